package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Set operations combine two queries with the same number of columns, each column of the
// result having the common type of the two sides. UNION ALL appends; UNION, INTERSECT and
// EXCEPT compare whole rows by their key encoding (so NULLs are equal to each other, as SQL
// wants here) and, without ALL, return each distinct row once. Rows come out in the order
// the left side produced them, then (for UNION) the right side's new ones.

func (p *planner) planSetOp(s *parser.SetOpStmt) (*query, error) {
	l, err := p.planOperand(s.Left)
	if err != nil {
		return nil, err
	}
	r, err := p.planOperand(s.Right)
	if err != nil {
		return nil, err
	}
	if len(l.cols) != len(r.cols) {
		return nil, errAt(s, schema.CodeSyntax, "each %s query must have the same number of columns", s.Op)
	}
	cols := make([]Column, len(l.cols))
	lcast, rcast := make([]*expr, len(cols)), make([]*expr, len(cols))
	for i := range cols {
		t, err := commonOf([]schema.Type{l.cols[i].Type, r.cols[i].Type}, s.Op.String(), s)
		if err != nil {
			return nil, err
		}
		cols[i] = Column{Name: l.cols[i].Name, Type: t}
		lcast[i], rcast[i] = operandColumn(i, l.cols[i].Type, t), operandColumn(i, r.cols[i].Type, t)
	}
	op := &setOp{x: p.x, op: s.Op, all: s.All,
		left: &projectOp{in: l.root, exprs: lcast}, right: &projectOp{in: r.root, exprs: rcast}}
	keys, _, err := p.orderKeys(nil, s.OrderBy, nil, nil, cols, true)
	if err != nil {
		return nil, err
	}
	root, err := p.finish(op, keys, s.Limit, s.Offset)
	if err != nil {
		return nil, err
	}
	return &query{root: root, cols: cols}, nil
}

// planOperand plans an operand of a set operation. A SELECT keeps its unknown-typed columns
// unknown, so that they take the type of the other operand's column, as in PostgreSQL; a
// nested set operation has resolved its own (two unknowns make text).
func (p *planner) planOperand(stmt parser.Stmt) (*query, error) {
	if _, ok := stmt.(*parser.SelectStmt); ok {
		leaf := *p
		leaf.keepUnknown = true
		return leaf.planQuery(stmt)
	}
	inner := *p
	inner.keepUnknown = false
	return inner.planQuery(stmt)
}

// operandColumn reads column i of an operand's row, of type from, as type to. An unknown
// column holds NULLs and literal text, which is read as a value of the type (22P02 if it is not
// one: SELECT 1 UNION SELECT 'x').
func operandColumn(i int, from, to schema.Type) *expr {
	if !isUnknown(from) {
		return castTo(columnExpr(i, from), to)
	}
	return &expr{typ: to, eval: func(row schema.Row) (schema.Value, error) {
		v := row[i]
		if v.IsNull() || v.Kind() != schema.KindText {
			return v, nil
		}
		return parseText(v.Text(), to)
	}}
}

// columnExpr reads column i of its row.
func columnExpr(i int, t schema.Type) *expr {
	return &expr{typ: t, eval: func(row schema.Row) (schema.Value, error) { return row[i], nil }}
}

// setOp computes one set operation.
type setOp struct {
	x           *execution
	op          parser.SetOp
	all         bool
	left, right operator
}

func (s *setOp) produce(emit func(schema.Row) error) error {
	if s.op == parser.Union {
		return s.union(emit)
	}
	// INTERSECT and EXCEPT: count the right side's rows, then filter the left side.
	counts := map[string]int{}
	err := s.right.produce(func(row schema.Row) error {
		counts[schema.Key(row...)]++
		return s.x.checkCancel()
	})
	if err != nil {
		return err
	}
	emitted := map[string]bool{}
	return s.left.produce(func(row schema.Row) error {
		k := schema.Key(row...)
		inRight := counts[k] > 0
		if s.all && inRight {
			counts[k]--
		}
		keep := inRight == (s.op == parser.Intersect)
		if !keep || !s.all && emitted[k] {
			return nil
		}
		emitted[k] = true
		return emit(row)
	})
}

func (s *setOp) union(emit func(schema.Row) error) error {
	var seen map[string]bool
	if !s.all {
		seen = map[string]bool{}
	}
	each := func(row schema.Row) error {
		if seen != nil {
			k := schema.Key(row...)
			if seen[k] {
				return nil
			}
			seen[k] = true
		}
		return emit(row)
	}
	if err := s.left.produce(each); err != nil {
		return err
	}
	return s.right.produce(each)
}

func (s *setOp) explain() *planNode {
	kids := []*planNode{s.left.explain(), s.right.explain()}
	suffix := ""
	if s.all {
		suffix = " All"
	}
	switch {
	case s.op == parser.Union && s.all:
		return &planNode{label: "Append", children: kids}
	case s.op == parser.Union:
		return &planNode{label: "HashAggregate", children: []*planNode{{label: "Append", children: kids}}}
	case s.op == parser.Intersect:
		return &planNode{label: "HashSetOp Intersect" + suffix, children: kids}
	}
	return &planNode{label: "HashSetOp Except" + suffix, children: kids}
}
