package conformance

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/eventsql/eventsql/schema"
)

// The reference runner turns every value into text through the column's type letter, the way
// SQLite's C API converts values (sqlite3_column_int, _double, _text). The expectations were
// produced that way, so the same conversions are made here:
//
//	         NULL   integer     float                  text                 boolean
//	I        NULL   %d          truncated toward 0     its integer prefix   1 / 0
//	R        NULL   %.3f        %.3f, ties away from 0 its number prefix    1.000 / 0.000
//	T        NULL   %d          as PostgreSQL prints   (empty) if empty     1 / 0
//
// In T columns every byte outside printable ASCII (space to ~) becomes "@". Two differences
// from the reference are deliberate: integers are printed with 64 bits (sqlite3_column_int
// keeps only the low 32), and floats in T columns are printed as PostgreSQL prints float8
// (shortest exact form) rather than SQLite's %.15g, because PostgreSQL is the bar.

// Render returns the lines a query record's expectation is compared with: the rendered values
// in row-major order, sorted by mode, or — when there are more of them than a positive
// threshold — the single line "N values hashing to <md5>".
func Render(types string, mode SortMode, threshold int, rows []schema.Row) []string {
	vals := Values(types, rows)
	SortValues(vals, len(types), mode)
	if threshold > 0 && len(vals) > threshold {
		return []string{fmt.Sprintf("%d values hashing to %s", len(vals), Hash(vals))}
	}
	return vals
}

// Values renders every value of rows by its column's type letter, row-major. Each row must
// have len(types) values.
func Values(types string, rows []schema.Row) []string {
	vals := make([]string, 0, len(rows)*len(types))
	for _, row := range rows {
		for i, v := range row {
			vals = append(vals, FormatValue(types[i], v))
		}
	}
	return vals
}

// FormatValue renders one value for a column of type letter typ (I, R or T).
func FormatValue(typ byte, v schema.Value) string {
	if v.IsNull() {
		return "NULL"
	}
	switch typ {
	case 'I':
		return strconv.FormatInt(asInt(v), 10)
	case 'R':
		return FormatReal(asFloat(v))
	}
	var s string
	switch v.Kind() {
	case schema.KindText:
		s = v.Text()
	case schema.KindBool:
		s = strconv.FormatInt(asInt(v), 10)
	default:
		s = v.String()
	}
	if s == "" {
		return "(empty)"
	}
	return printable(s)
}

// printable replaces every byte outside printable ASCII with '@', byte by byte as the
// reference does (so a two-byte UTF-8 character becomes "@@").
func printable(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] < ' ' || b[j] > '~' {
					b[j] = '@'
				}
			}
			return string(b)
		}
	}
	return s
}

// asInt converts a value to an integer as sqlite3_column_int does: floats truncate toward zero
// (saturating at the int64 range, NaN is 0), text yields its leading integer (0 if none).
func asInt(v schema.Value) int64 {
	switch v.Kind() {
	case schema.KindInt, schema.KindBool, schema.KindTimestamp:
		return v.Int()
	case schema.KindFloat, schema.KindNumeric:
		return truncate(v.Float())
	case schema.KindText:
		return truncate(numberPrefix(v.Text()))
	}
	return 0
}

func truncate(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// asFloat converts a value to a float as sqlite3_column_double does.
func asFloat(v schema.Value) float64 {
	switch v.Kind() {
	case schema.KindInt, schema.KindBool, schema.KindTimestamp:
		return float64(v.Int())
	case schema.KindFloat, schema.KindNumeric:
		return v.Float()
	case schema.KindText:
		return numberPrefix(v.Text())
	}
	return 0
}

// numberPrefix returns the number that the longest numeric prefix of s spells (after leading
// spaces), or 0.
func numberPrefix(s string) float64 {
	s = strings.TrimLeft(s, " \t\n\r")
	for n := len(s); n > 0; n-- {
		if f, err := strconv.ParseFloat(s[:n], 64); err == nil && !strings.ContainsAny(s[:n], "xXnNiI_") {
			return f
		}
	}
	return 0
}

// FormatReal formats f as SQLite's printf("%.3f") does. It differs from C's and Go's "%.3f" only
// on exact ties, which it rounds away from zero (0.0625 → "0.063", where Go gives "0.062").
func FormatReal(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	sign := ""
	if f < 0 {
		sign = "-"
	}
	f = math.Abs(f) // and -0 prints as 0.000, as in SQLite

	// 30 decimals are exact enough: a float that is not a tie differs from one by at least
	// an ulp, which shows in the first 18 significant digits, well before the 30th decimal
	// for any value that does not round to 0.000 anyway.
	s := strconv.FormatFloat(f, 'f', 30, 64)
	dot := strings.IndexByte(s, '.')
	digits := []byte(s[:dot] + s[dot+1:dot+4])
	if s[dot+4] >= '5' {
		i := len(digits) - 1
		for ; i >= 0 && digits[i] == '9'; i-- {
			digits[i] = '0'
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		} else {
			digits[i]++
		}
	}
	n := len(digits)
	return sign + string(digits[:n-3]) + "." + string(digits[n-3:])
}

// SortValues orders vals in place as the reference does: RowSort sorts rows of ncol values,
// comparing column by column; ValueSort sorts every value on its own. Comparison is bytewise
// (strcmp), so "10" < "9".
func SortValues(vals []string, ncol int, mode SortMode) {
	switch mode {
	case ValueSort:
		slices.Sort(vals)
	case RowSort:
		if ncol <= 0 || len(vals)%ncol != 0 {
			return
		}
		rows := make([][]string, len(vals)/ncol)
		for i := range rows {
			rows[i] = vals[i*ncol : (i+1)*ncol : (i+1)*ncol]
		}
		slices.SortStableFunc(rows, slices.Compare[[]string])
		sorted := make([]string, 0, len(vals))
		for _, r := range rows {
			sorted = append(sorted, r...)
		}
		copy(vals, sorted)
	}
}

// Hash returns the lowercase hex MD5 of the values, each followed by "\n".
func Hash(vals []string) string {
	h := md5.New()
	for _, v := range vals {
		h.Write([]byte(v))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}
