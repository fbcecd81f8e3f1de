package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// JOIN ... USING (c, ...) joins on left.c = right.c and merges each pair into one column c:
// it comes first in SELECT *, an unqualified c means it, and left.c / right.c still reach the
// two originals. The merged value is the left one (the right one for RIGHT JOIN, the first
// non-NULL for FULL JOIN). The join is planned like an outer join — as a unit of its own —
// followed by a projection that puts the merged columns in front.

func (p *planner) prepareUsing(n *parser.JoinExpr) (*unit, error) {
	l, err := p.prepare(n.Left)
	if err != nil {
		return nil, err
	}
	r, err := p.prepare(n.Right)
	if err != nil {
		return nil, err
	}
	var lpos, rpos []int
	var merged []column
	for _, name := range n.Using {
		lp, err := usingColumn(l.sc, name, "left", n)
		if err != nil {
			return nil, err
		}
		rp, err := usingColumn(r.sc, name, "right", n)
		if err != nil {
			return nil, err
		}
		t, err := commonOf([]schema.Type{l.sc.cols[lp].typ, r.sc.cols[rp].typ}, "JOIN/USING", n)
		if err != nil {
			return nil, err
		}
		lpos, rpos = append(lpos, lp), append(rpos, rp)
		merged = append(merged, column{name: l.sc.cols[lp].name, typ: t})
	}
	cols := append([]column(nil), merged...)
	for i, side := range []*scope{l.sc, r.sc} {
		pos := [][]int{lpos, rpos}[i]
		for j, c := range side.cols {
			c.hidden = c.hidden || containsInt(pos, j)
			cols = append(cols, c)
		}
	}
	sc := p.newScope(cols)
	return &unit{sc: sc, build: func(conds []parser.Expr) (operator, error) {
		op, err := p.usingJoin(n, l, r, lpos, rpos, merged)
		if err != nil {
			return nil, err
		}
		return p.filtered(op, sc, conds)
	}}, nil
}

// usingColumn finds a USING column on one side by its bare name.
func usingColumn(sc *scope, name, side string, at parser.Node) (int, error) {
	pos, err := sc.find(&parser.ColumnRef{Column: name})
	switch {
	case err != nil:
		return -1, errAt(at, schema.CodeAmbiguousColumn, "common column name %q appears more than once in %s table", name, side)
	case pos < 0:
		return -1, errAt(at, schema.CodeUndefinedColumn, "column %q specified in USING clause does not exist in %s table", name, side)
	}
	return pos, nil
}

// usingJoin plans the join on the USING equalities and the projection of the merged columns.
func (p *planner) usingJoin(n *parser.JoinExpr, l, r *unit, lpos, rpos []int, merged []column) (operator, error) {
	js := joinSpec{kind: n.Kind, driveSc: l.sc, driveSet: only(0), probe: r, probeSet: only(1)}
	drive := l
	if n.Kind == parser.RightJoin {
		drive, js.driveSc, js.driveSet, js.probe, js.probeSet, js.swap = r, r.sc, only(1), l, only(0), true
	}
	for i, name := range n.Using {
		// Keys compile on each side alone, where the bare name is unambiguous; the qualified
		// form is only shown by EXPLAIN.
		bare := &parser.ColumnRef{At: n.At, Column: name}
		shown := &parser.BinaryExpr{At: n.At, Op: parser.OpEq,
			L: &parser.ColumnRef{Table: l.sc.cols[lpos[i]].table, Column: name},
			R: &parser.ColumnRef{Table: r.sc.cols[rpos[i]].table, Column: name}}
		js.terms = append(js.terms, term{ast: shown, set: only(0) | only(1), left: only(0), right: only(1), keyOnly: true,
			eq: &parser.BinaryExpr{At: n.At, Op: parser.OpEq, L: bare, R: bare}})
	}
	var err error
	if js.drive, err = drive.build(nil); err != nil {
		return nil, err
	}
	op, err := p.join(js)
	if err != nil {
		return nil, err
	}
	width := len(l.sc.cols) + len(r.sc.cols)
	exprs := make([]*expr, 0, len(merged)+width)
	for i, m := range merged {
		le, re := castTo(columnExpr(lpos[i], l.sc.cols[lpos[i]].typ), m.typ), castTo(columnExpr(len(l.sc.cols)+rpos[i], r.sc.cols[rpos[i]].typ), m.typ)
		exprs = append(exprs, mergedExpr(n.Kind, le, re))
	}
	for i := 0; i < width; i++ {
		exprs = append(exprs, columnExpr(i, schema.Type{}))
	}
	return &projectOp{in: op, exprs: exprs}, nil
}

// mergedExpr is the value of a merged USING column.
func mergedExpr(kind parser.JoinKind, l, r *expr) *expr {
	switch kind {
	case parser.RightJoin:
		return r
	case parser.FullJoin:
		return &expr{typ: l.typ, eval: func(row schema.Row) (schema.Value, error) {
			v, err := l.eval(row)
			if err != nil || !v.IsNull() {
				return v, err
			}
			return r.eval(row)
		}}
	}
	return l
}

func containsInt(list []int, x int) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}
