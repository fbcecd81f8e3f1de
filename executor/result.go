package executor

import (
	"fmt"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Column describes one column of a query result.
type Column struct {
	Name string
	Type schema.Type
}

// Result is the outcome of one statement. A query fills Columns and Rows; a write sets
// RowsAffected. Tag is the command tag psql prints: "SELECT 3", "INSERT 0 2", "UPDATE 1",
// "DELETE 0", "CREATE TABLE", "EXPLAIN", ...
type Result struct {
	Columns      []Column
	Rows         []schema.Row
	RowsAffected int64
	Tag          string
	// SessionAsOf reports a SET SESSION AS OF (Set, at seq Seq) or RESET SESSION AS OF
	// (Reset), for the session to keep.
	SessionAsOf *SessionAsOf
}

// SessionAsOf is the effect of SET / RESET SESSION AS OF.
type SessionAsOf struct {
	Reset bool
	Seq   uint64
}

// query runs a SELECT (or a set operation) and collects its rows.
func (x *execution) query(stmt parser.Stmt) (*Result, error) {
	q, err := x.planner().planQuery(stmt)
	if err != nil {
		return nil, err
	}
	rows, err := collect(x, q.root)
	if err != nil {
		return nil, err
	}
	if err := x.ctx.Err(); err != nil {
		return nil, errCanceled()
	}
	n := int64(len(rows))
	return &Result{Columns: q.cols, Rows: rows, RowsAffected: n, Tag: fmt.Sprintf("SELECT %d", n)}, nil
}

// tagged is the result of a write: its tag ("UPDATE") followed by the row count.
func tagged(tag string, n int64) *Result {
	return &Result{RowsAffected: n, Tag: fmt.Sprintf("%s %d", tag, n)}
}
