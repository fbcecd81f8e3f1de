package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// isDistinct compiles x IS [NOT] DISTINCT FROM y: a comparison in which NULL is a value like
// any other, so the answer is never NULL. Operand types resolve as for =.
func (c *compiler) isDistinct(n *parser.BinaryExpr) (*expr, error) {
	l, err := c.compile(n.L)
	if err != nil {
		return nil, err
	}
	r, err := c.compile(n.R)
	if err != nil {
		return nil, err
	}
	if l, r, err = unifyOperands(n, l, r); err != nil {
		return nil, err
	}
	if !comparable(l.typ, r.typ) {
		return nil, errOperator(n, "=", l.typ, r.typ)
	}
	le, re, distinct := l.eval, r.eval, n.Op == parser.OpIsDistinct
	return &expr{typ: schema.Boolean, konst: l.konst && r.konst, name: anonymous, eval: func(row schema.Row) (schema.Value, error) {
		a, err := le(row)
		if err != nil {
			return a, err
		}
		b, err := re(row)
		if err != nil {
			return b, err
		}
		same := a.IsNull() == b.IsNull() && (a.IsNull() || schema.Compare(a, b) == 0)
		return schema.Bool(same != distinct), nil
	}}, nil
}
