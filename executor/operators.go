package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// operator is one node of a physical plan. Plans run push-style: produce calls emit once per
// output row, in order, and stops at the first error emit returns (errStop asks it to stop
// quietly). A row handed to emit is never modified afterwards, so consumers may keep it;
// operators that derive rows (projection, joins) build new ones.
//
// Push rather than pull (Volcano's Next) because storage scans are callbacks and because the
// operators come out as straight loops: a join is a loop inside a loop.
type operator interface {
	produce(emit func(schema.Row) error) error
	// explain describes the operator and its inputs for EXPLAIN.
	explain() *planNode
}

// resultOp produces one empty row: the FROM-less SELECT 1.
type resultOp struct{}

func (resultOp) produce(emit func(schema.Row) error) error { return emit(schema.Row{}) }

func (resultOp) explain() *planNode { return &planNode{label: "Result"} }

// filterOp passes the rows for which every condition is true.
type filterOp struct {
	in    operator
	conds []*expr
	text  []parser.Expr
}

func (f *filterOp) produce(emit func(schema.Row) error) error {
	return f.in.produce(func(row schema.Row) error {
		ok, err := passes(f.conds, row)
		if err != nil || !ok {
			return err
		}
		return emit(row)
	})
}

func (f *filterOp) explain() *planNode {
	n := f.in.explain()
	n.details = append(n.details, "Filter: "+formatConds(f.text))
	return n
}

// gateOp evaluates conditions that do not depend on the rows once, and produces nothing
// unless all are true (PostgreSQL's One-Time Filter).
type gateOp struct {
	in    operator
	conds []*expr
	text  []parser.Expr
}

func (g *gateOp) produce(emit func(schema.Row) error) error {
	ok, err := passes(g.conds, nil)
	if err != nil || !ok {
		return err
	}
	return g.in.produce(emit)
}

func (g *gateOp) explain() *planNode {
	return &planNode{label: "Result", details: []string{"One-Time Filter: " + formatConds(g.text)},
		children: []*planNode{g.in.explain()}}
}

// projectOp computes the output expressions of each row.
type projectOp struct {
	in    operator
	exprs []*expr
}

func (p *projectOp) produce(emit func(schema.Row) error) error {
	return p.in.produce(func(row schema.Row) error {
		out := make(schema.Row, len(p.exprs))
		for i, e := range p.exprs {
			v, err := e.eval(row)
			if err != nil {
				return err
			}
			out[i] = v
		}
		return emit(out)
	})
}

// A projection is not shown by EXPLAIN, as in PostgreSQL: every node computes its output list.
func (p *projectOp) explain() *planNode { return p.in.explain() }

// trimOp drops the columns after the first n: the sort keys an ORDER BY added.
type trimOp struct {
	in operator
	n  int
}

func (t *trimOp) produce(emit func(schema.Row) error) error {
	return t.in.produce(func(row schema.Row) error { return emit(row[:t.n:t.n]) })
}

func (t *trimOp) explain() *planNode { return t.in.explain() }

// distinctOp drops rows whose first n columns equal those of an earlier row. NULLs are equal
// to each other here, as SQL's DISTINCT wants.
type distinctOp struct {
	x    *execution
	in   operator
	n    int
	text []string
}

func (d *distinctOp) produce(emit func(schema.Row) error) error {
	seen := map[string]bool{}
	return d.in.produce(func(row schema.Row) error {
		if err := d.x.checkCancel(); err != nil {
			return err
		}
		k := schema.Key(row[:d.n]...)
		if seen[k] {
			return nil
		}
		seen[k] = true
		return emit(row)
	})
}

func (d *distinctOp) explain() *planNode {
	return &planNode{label: "HashAggregate", details: []string{"Group Key: " + joinText(d.text)},
		children: []*planNode{d.in.explain()}}
}

// limitOp skips offset rows and passes at most limit rows, then stops its input. The limit
// and offset are computed once per run (they may be parameters).
type limitOp struct {
	in            operator
	limit, offset *expr // nil when absent
}

func (l *limitOp) produce(emit func(schema.Row) error) error {
	limit, err := evalCount(l.limit, "LIMIT", codeNegativeLimit)
	if err != nil || limit == 0 {
		return err
	}
	offset, err := evalCount(l.offset, "OFFSET", codeNegativeOffset)
	if err != nil {
		return err
	}
	var seen, sent int64
	stopped := false
	err = l.in.produce(func(row schema.Row) error {
		if seen++; seen <= offset {
			return nil
		}
		if err := emit(row); err != nil {
			return err
		}
		if sent++; limit >= 0 && sent >= limit {
			stopped = true
			return errStop
		}
		return nil
	})
	if stopped && err == errStop {
		return nil
	}
	return err
}

func (l *limitOp) explain() *planNode {
	return &planNode{label: "Limit", children: []*planNode{l.in.explain()}}
}

// evalCount computes a LIMIT or OFFSET: -1 for none (absent or NULL).
func evalCount(e *expr, what, code string) (int64, error) {
	if e == nil {
		return -1, nil
	}
	v, err := e.eval(nil)
	if err != nil || v.IsNull() {
		return -1, err
	}
	if v.Int() < 0 {
		return 0, schema.Errorf(code, "%s must not be negative", what)
	}
	return v.Int(), nil
}
