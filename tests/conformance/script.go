package conformance

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrScript is returned by Parse when a script is malformed: an unknown record type, a
// statement that is neither "ok" nor "error", a query without a valid type string, an unknown
// sort mode, a bad hash-threshold, or a skipif/onlyif that prefixes nothing. The error names
// the file and line.
var ErrScript = errors.New("conformance: malformed script")

// Kind is the type of a record.
type Kind int

// The record types of a sqllogictest script.
const (
	KindStatement     Kind = iota // statement ok / statement error
	KindQuery                     // query <types> [<sort>] [<label>]
	KindHashThreshold             // hash-threshold N
	KindHalt                      // halt: stop reading the script
)

// SortMode says how a query's rendered values are ordered before they are compared.
type SortMode int

// The sort modes. NoSort keeps the engine's order.
const (
	NoSort    SortMode = iota // nosort (the default)
	RowSort                   // rowsort: sort whole rows, column by column, bytewise
	ValueSort                 // valuesort: sort every value on its own, bytewise
)

// Condition is one skipif or onlyif line in front of a record.
type Condition struct {
	Only   bool   // onlyif (true) or skipif (false)
	Engine string // the engine named; anything after it on the line is a comment
}

// Record is one record of a script.
type Record struct {
	Line       int // 1-based line of the record's command (after its conditions)
	Kind       Kind
	Conditions []Condition

	SQL       string // statement and query: the SQL text, lines joined with "\n"
	WantError bool   // statement error

	Types    string   // query: one of I, R, T per result column
	Sort     SortMode // query
	Label    string   // query: marks equivalent formulations; informational here
	Expected []string // query: the lines after "----", verbatim

	Threshold int // hash-threshold: the new threshold (0 = never hash)
}

// Skipped reports whether the record is skipped for engine: when any skipif names it, or any
// onlyif names another engine. Engine names compare case-insensitively, as in the reference
// runner.
func (r *Record) Skipped(engine string) bool {
	for _, c := range r.Conditions {
		if strings.EqualFold(c.Engine, engine) != c.Only {
			return true
		}
	}
	return false
}

// line is one line of a script with its 1-based number.
type line struct {
	no   int
	text string
}

// Parse splits a script into records. name is used in error messages only. Comment lines
// (starting with #) are removed first, so they neither end a record nor appear in one; a
// trailing \r is dropped from every line.
func Parse(name string, src []byte) ([]Record, error) {
	lines := scriptLines(src)
	var recs []Record
	for i := 0; ; {
		for i < len(lines) && isBlank(lines[i].text) {
			i++
		}
		if i == len(lines) {
			return recs, nil
		}
		rec, next, err := parseRecord(lines, i)
		if err != nil {
			return nil, fmt.Errorf("%w: %s:%v", ErrScript, name, err)
		}
		recs = append(recs, rec)
		i = next
	}
}

// scriptLines splits src into lines, dropping comments and trailing carriage returns.
func scriptLines(src []byte) []line {
	text := string(src)
	lines := make([]line, 0, strings.Count(text, "\n")+1)
	for no := 1; text != ""; no++ {
		var l string
		l, text, _ = strings.Cut(text, "\n")
		l = strings.TrimSuffix(l, "\r")
		if strings.HasPrefix(l, "#") {
			continue
		}
		lines = append(lines, line{no: no, text: l})
	}
	return lines
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// parseRecord parses the record starting at lines[i] and returns the index after it.
//
//	record    = { condition } command
//	condition = ( "skipif" | "onlyif" ) engine [ comment ]
//	command   = statement | query | "hash-threshold" N | "halt"
func parseRecord(lines []line, i int) (Record, int, error) {
	var rec Record
	fields := strings.Fields(lines[i].text)
	for fields[0] == "skipif" || fields[0] == "onlyif" {
		if len(fields) < 2 {
			return rec, 0, fmt.Errorf("%d: %s without an engine name", lines[i].no, fields[0])
		}
		rec.Conditions = append(rec.Conditions, Condition{Only: fields[0] == "onlyif", Engine: fields[1]})
		i++
		if i == len(lines) || isBlank(lines[i].text) {
			return rec, 0, fmt.Errorf("%d: %s prefixes no record", lines[i-1].no, fields[0])
		}
		fields = strings.Fields(lines[i].text)
	}
	rec.Line = lines[i].no
	var err error
	switch fields[0] {
	case "statement":
		err = parseStatement(&rec, fields)
	case "query":
		err = parseQueryHeader(&rec, fields)
	case "hash-threshold":
		rec.Kind = KindHashThreshold
		if len(fields) < 2 {
			err = errors.New("hash-threshold without a number")
		} else if rec.Threshold, err = strconv.Atoi(fields[1]); err == nil && rec.Threshold < 0 {
			err = errors.New("negative hash-threshold")
		}
	case "halt":
		rec.Kind = KindHalt
	default:
		err = fmt.Errorf("unknown record type %q", fields[0])
	}
	if err != nil {
		return rec, 0, fmt.Errorf("%d: %v", rec.Line, err)
	}
	i++
	if rec.Kind == KindStatement || rec.Kind == KindQuery {
		i = parseBody(&rec, lines, i)
	}
	// Anything else up to the blank line belongs to this record and means nothing.
	for i < len(lines) && !isBlank(lines[i].text) {
		i++
	}
	return rec, i, nil
}

// parseStatement reads the command line of a statement.
//
//	statement = "statement" ( "ok" | "error" )
func parseStatement(rec *Record, fields []string) error {
	rec.Kind = KindStatement
	if len(fields) < 2 || (fields[1] != "ok" && fields[1] != "error") {
		return errors.New(`statement must be followed by "ok" or "error"`)
	}
	rec.WantError = fields[1] == "error"
	return nil
}

// parseQueryHeader reads the command line of a query.
//
//	query = "query" types [ "nosort" | "rowsort" | "valuesort" ] [ label ]
func parseQueryHeader(rec *Record, fields []string) error {
	rec.Kind = KindQuery
	if len(fields) < 2 {
		return errors.New("query without a type string")
	}
	rec.Types = fields[1]
	if strings.Trim(rec.Types, "IRT") != "" {
		return fmt.Errorf("type string %q: only I, R and T are allowed", rec.Types)
	}
	if len(fields) > 2 {
		switch fields[2] {
		case "nosort":
			rec.Sort = NoSort
		case "rowsort":
			rec.Sort = RowSort
		case "valuesort":
			rec.Sort = ValueSort
		default:
			return fmt.Errorf("unknown sort mode %q", fields[2])
		}
	}
	if len(fields) > 3 {
		rec.Label = fields[3]
	}
	return nil
}

// parseBody reads the SQL of a statement or query and a query's expected lines, up to the
// blank line that ends the record, and returns the index of that line.
func parseBody(rec *Record, lines []line, i int) int {
	var sql []string
	for ; i < len(lines) && !isBlank(lines[i].text); i++ {
		if rec.Kind == KindQuery && lines[i].text == "----" {
			// Record that "----" was seen even if no lines follow: an empty result.
			rec.Expected = []string{}
			i++
			break
		}
		sql = append(sql, lines[i].text)
	}
	rec.SQL = strings.Join(sql, "\n")
	for ; rec.Expected != nil && i < len(lines) && !isBlank(lines[i].text); i++ {
		rec.Expected = append(rec.Expected, lines[i].text)
	}
	return i
}
