package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// returning is a compiled RETURNING list: expressions over a row of the target table (the
// new row for INSERT and UPDATE, the old one for DELETE), and the rows computed so far. A nil
// *returning means the statement has no RETURNING clause; its methods then do nothing.
type returning struct {
	exprs []*expr
	cols  []Column
	rows  []schema.Row
}

// planReturning compiles a RETURNING list in the scope of the target table. As in PostgreSQL,
// it may hold any expression a select list may, except aggregates.
func (x *execution) planReturning(items []parser.SelectItem, sc *scope) (*returning, error) {
	if len(items) == 0 {
		return nil, nil
	}
	for _, it := range items {
		if !it.Star && hasAggregate(it.Expr) {
			return nil, errAt(it.Expr, schema.CodeGrouping, "aggregate functions are not allowed in RETURNING")
		}
	}
	expanded, err := expandStars(items, sc)
	if err != nil {
		return nil, err
	}
	c := &compiler{x: x, sc: sc, clause: "RETURNING"}
	exprs, cols, err := compileItems(c, expanded, nil, false)
	if err != nil {
		return nil, err
	}
	return &returning{exprs: exprs, cols: cols}, nil
}

// add computes the RETURNING row for a written table row.
func (r *returning) add(row schema.Row) error {
	if r == nil {
		return nil
	}
	out := make(schema.Row, len(r.exprs))
	for i, e := range r.exprs {
		v, err := e.eval(row)
		if err != nil {
			return err
		}
		out[i] = v
	}
	r.rows = append(r.rows, out)
	return nil
}

// result is the statement's result: its tag and count, plus the RETURNING rows if any.
func (r *returning) result(tag string, n int64) *Result {
	res := tagged(tag, n)
	if r != nil {
		res.Columns, res.Rows = r.cols, r.rows
		if res.Rows == nil {
			res.Rows = []schema.Row{}
		}
	}
	return res
}
