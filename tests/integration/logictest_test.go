package integration

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

// A logic-test script is a sequence of records separated by blank lines:
//
//	statement ok                 the SQL must succeed
//	statement error <regex>      the SQL must fail with a message matching regex; the error's
//	                             SQLSTATE may be given first: statement error 23505 duplicate key
//	query <types> [rowsort]      the SQL's rows, one per line after "----", values separated by
//	                             single spaces (NULL for NULL, (empty) for ''); rowsort sorts
//	                             both sides first. <types> has one letter per column (I, R, T, B)
//	                             and is checked against the column count.
//	restart                      close the database cleanly and open it again
//	verify                       check the log's chain and that a state rebuilt from the log
//	                             alone equals the live state
//
// Lines starting with # are comments.

type record struct {
	line     int
	kind     string // statement, error, query, restart, verify
	errCode  string
	errRegex string
	types    string
	rowsort  bool
	sql      string
	expected []string
}

func parseScript(t testing.TB, path string) []record {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var recs []record
	sc := bufio.NewScanner(f)
	lineNo := 0
	var cur *record
	inResult := false
	flush := func() {
		if cur != nil {
			cur.sql = strings.TrimSpace(cur.sql)
			recs = append(recs, *cur)
			cur = nil
		}
		inResult = false
	}
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if cur == nil {
			trimmed := strings.TrimSpace(line)
			if trimmed == "" || strings.HasPrefix(trimmed, "#") {
				continue
			}
			fields := strings.Fields(trimmed)
			cur = &record{line: lineNo, kind: fields[0]}
			switch fields[0] {
			case "statement":
				require.GreaterOrEqual(t, len(fields), 2, "%s:%d: statement ok|error", path, lineNo)
				if fields[1] == "error" {
					rest := strings.TrimSpace(strings.TrimPrefix(trimmed, "statement error"))
					if m := regexp.MustCompile(`^([0-9A-Z]{5})\b\s*`).FindStringSubmatch(rest); m != nil {
						cur.errCode = m[1]
						rest = rest[len(m[0]):]
					}
					cur.errRegex = rest
					cur.kind = "error"
				}
			case "query":
				require.GreaterOrEqual(t, len(fields), 2, "%s:%d: query <types>", path, lineNo)
				cur.types = fields[1]
				cur.rowsort = len(fields) > 2 && fields[2] == "rowsort"
			case "restart", "verify":
				flush()
			default:
				t.Fatalf("%s:%d: unknown record %q", path, lineNo, fields[0])
			}
			continue
		}
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if cur.kind == "query" && line == "----" {
			inResult = true
			continue
		}
		if inResult {
			cur.expected = append(cur.expected, strings.Join(strings.Fields(line), " "))
		} else {
			cur.sql += line + "\n"
		}
	}
	flush()
	require.NoError(t, sc.Err())
	return recs
}

// config is one way of running every script; all must give identical results.
type config struct {
	name            string
	opts            database.Options
	restartEachStmt bool
}

var configs = []config{
	{name: "default"},
	{name: "no-index-scans", opts: database.Options{NoIndexScans: true, NoSync: true}},
	{name: "snapshot-every-event", opts: database.Options{SnapshotEvery: 1, NoSync: true}},
	{name: "restart-every-statement", opts: database.Options{NoSync: true}, restartEachStmt: true},
}

func TestLogic(t *testing.T) {
	scripts, err := filepath.Glob("testdata/*.slt")
	require.NoError(t, err)
	require.NotEmpty(t, scripts)
	for _, cfg := range configs {
		t.Run(cfg.name, func(t *testing.T) {
			for _, path := range scripts {
				t.Run(strings.TrimSuffix(filepath.Base(path), ".slt"), func(t *testing.T) {
					t.Parallel()
					runScript(t, path, cfg)
				})
			}
		})
	}
}

type harness struct {
	t    *testing.T
	dir  string
	opts database.Options
	db   *database.DB
	sess *database.Session
}

func (h *harness) open() {
	h.t.Helper()
	db, err := database.Open(h.dir, &h.opts)
	require.NoError(h.t, err)
	h.db, h.sess = db, db.Session()
}

func (h *harness) restart() {
	h.t.Helper()
	require.False(h.t, h.sess.InTx(), "restart inside a transaction")
	require.NoError(h.t, h.db.Close())
	h.open()
}

func runScript(t *testing.T, path string, cfg config) {
	h := &harness{t: t, dir: t.TempDir(), opts: cfg.opts}
	h.open()
	defer func() { h.db.Close() }()
	ctx := context.Background()
	for _, rec := range parseScript(t, path) {
		where := fmt.Sprintf("%s:%d", path, rec.line)
		switch rec.kind {
		case "restart":
			h.restart()
			continue
		case "verify":
			verifyRebuild(t, h.db)
			continue
		}
		results, err := h.sess.Exec(ctx, rec.sql)
		if msg := checkRecord(rec, results, err); msg != "" {
			if !keepGoing {
				t.Fatalf("%s: %s\n%s", where, rec.sql, msg)
			}
			t.Errorf("%s: %s\n%s", where, rec.sql, msg)
		}
		if cfg.restartEachStmt && !h.sess.InTx() {
			h.restart()
		}
	}
}

// keepGoing (EVENTSQL_LOGIC_KEEPGOING=1) reports every failing record of a script instead of
// stopping at the first: handy when bringing up a new script.
var keepGoing = os.Getenv("EVENTSQL_LOGIC_KEEPGOING") != ""

// checkRecord compares a record's outcome with what the script expects; "" when they agree.
func checkRecord(rec record, results []*database.Result, err error) string {
	switch rec.kind {
	case "statement":
		if err != nil {
			return fmt.Sprintf("unexpected error: %v", err)
		}
	case "error":
		if err == nil {
			return "expected an error, got none"
		}
		if ok, rerr := regexp.MatchString(rec.errRegex, err.Error()); rerr != nil || !ok {
			return fmt.Sprintf("error %q does not match %q", err, rec.errRegex)
		}
		if rec.errCode != "" {
			var se *schema.Error
			if !errors.As(err, &se) {
				return fmt.Sprintf("%v is not an SQL error", err)
			}
			if se.Code != rec.errCode {
				return fmt.Sprintf("SQLSTATE %s, want %s (%v)", se.Code, rec.errCode, err)
			}
		}
	case "query":
		if err != nil {
			return fmt.Sprintf("unexpected error: %v", err)
		}
		if len(results) == 0 {
			return "no result"
		}
		res := results[len(results)-1]
		if len(res.Columns) != len(rec.types) {
			return fmt.Sprintf("%d columns, want %d", len(res.Columns), len(rec.types))
		}
		got := formatRows(res)
		want := append([]string(nil), rec.expected...)
		if rec.rowsort {
			sort.Strings(got)
			sort.Strings(want)
		}
		if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
			return fmt.Sprintf("got:\n%s\nwant:\n%s", g, w)
		}
	}
	return ""
}

func formatRows(res *database.Result) []string {
	out := make([]string, len(res.Rows))
	for i, r := range res.Rows {
		vals := make([]string, len(r))
		for j, v := range r {
			switch {
			case v.IsNull():
				vals[j] = "NULL"
			case v.Kind() == schema.KindText && v.Text() == "":
				vals[j] = "(empty)"
			default:
				vals[j] = strings.Join(strings.Fields(v.Format(res.Columns[j].Type)), " ")
			}
		}
		out[i] = strings.Join(vals, " ")
	}
	return out
}
