package executor

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// testDB is a real store over a real event log in a temporary directory; each statement runs
// in its own transaction and is committed through the same write path the database package
// uses (Prepare, Append, Publish). The executor itself never imports eventlog: only this test
// helper does, to stand in for the database package.
type testDB struct {
	tb testing.TB
	st *storage.Store
}

func newDB(tb testing.TB) *testDB {
	tb.Helper()
	return newDBClock(tb, nil)
}

// newDBClock is newDB with the log's clock (nil: the real one).
func newDBClock(tb testing.TB, now func() time.Time) *testDB {
	tb.Helper()
	dir := tb.TempDir()
	log, err := eventlog.Open(dir+"/log", &eventlog.Options{NoSync: true, Now: now})
	require.NoError(tb, err)
	st, err := storage.Open(dir, log, &storage.Options{NoSnapshots: true})
	if err != nil {
		log.Close()
	}
	require.NoError(tb, err)
	tb.Cleanup(func() {
		if err := st.Close(); err != nil && !errors.Is(err, storage.ErrClosed) {
			tb.Errorf("closing store: %v", err)
		}
		log.Close()
	})
	return &testDB{tb: tb, st: st}
}

// exec runs every statement of sql, each in its own committed transaction, and returns the
// result of the last.
func (d *testDB) exec(sql string, args ...schema.Value) (*Result, error) {
	d.tb.Helper()
	stmts, err := parser.Parse(sql)
	if err != nil {
		return nil, err
	}
	var res *Result
	for _, stmt := range stmts {
		tx := d.st.Begin()
		if res, err = Execute(context.Background(), Env{Tx: tx, Store: d.st}, stmt, args); err != nil {
			return nil, err
		}
		if err := d.commit(tx); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (d *testDB) commit(tx *storage.Tx) error {
	next, err := d.st.Prepare(tx)
	if err != nil || tx.Empty() {
		return err
	}
	entries := make([]eventlog.Entry, len(tx.Events()))
	for i, e := range tx.Events() {
		entries[i] = eventlog.Encode(e)
	}
	res, err := d.st.Log().Append(entries)
	require.NoError(d.tb, err)
	d.st.Stage(next, res)
	d.st.Publish(next)
	return nil
}

// run executes sql and fails the test on error.
func (d *testDB) run(sql string, args ...schema.Value) *Result {
	d.tb.Helper()
	res, err := d.exec(sql, args...)
	require.NoError(d.tb, err, sql)
	return res
}

// rows runs a query and renders its rows as text: values separated by "|", NULL as "NULL".
func (d *testDB) rows(sql string, args ...schema.Value) []string {
	d.tb.Helper()
	return render_(d.run(sql, args...))
}

func render_(res *Result) []string {
	out := []string{}
	for _, r := range res.Rows {
		parts := make([]string, len(r))
		for i, v := range r {
			parts[i] = v.String()
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}

// one runs a query that returns one value and renders it.
func (d *testDB) one(sql string, args ...schema.Value) string {
	d.tb.Helper()
	rows := d.rows(sql, args...)
	require.Len(d.tb, rows, 1, sql)
	return rows[0]
}

// fails runs sql and requires a *schema.Error with the given SQLSTATE; it returns the message.
func (d *testDB) fails(code, sql string, args ...schema.Value) string {
	d.tb.Helper()
	_, err := d.exec(sql, args...)
	return requireCode(d.tb, code, err)
}

func requireCode(tb testing.TB, code string, err error) string {
	tb.Helper()
	var se *schema.Error
	require.ErrorAs(tb, err, &se, "want SQLSTATE %s, got %v", code, err)
	require.Equal(tb, code, se.Code, "message: %s", se.Message)
	return se.Message
}

// plan runs EXPLAIN and returns its lines joined by newlines.
func (d *testDB) plan(sql string, args ...schema.Value) string {
	d.tb.Helper()
	return strings.Join(d.rows("EXPLAIN "+sql, args...), "\n")
}
