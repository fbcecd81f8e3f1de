package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// quantified compiles x op ANY (SELECT y ...) and x op ALL (SELECT y ...). ANY is true when
// x op y holds for some row, ALL when it holds for every row; where that is undecided because
// a comparison was NULL, the answer is NULL. Over no rows ANY is false and ALL is true.
// x = ANY (...) is x IN (...); x <> ALL (...) is x NOT IN (...).
func (c *compiler) quantified(n *parser.QuantifiedExpr) (*expr, error) {
	x, q, correlated, err := c.compareWithSubquery(n, n.X, n.Select, n.Op.String())
	if err != nil {
		return nil, err
	}
	run := runner(c, correlated, func() ([]schema.Value, error) {
		var vals []schema.Value
		err := q.root.produce(func(r schema.Row) error {
			vals = append(vals, r[0])
			return c.x.checkCancel()
		})
		return vals, err
	})
	xe, op, all := x.eval, n.Op, n.All
	return &expr{typ: schema.Boolean, name: anonymous, konst: x.konst && !correlated, eval: func(row schema.Row) (schema.Value, error) {
		v, err := xe(row)
		if err != nil {
			return v, err
		}
		vals, err := run(row)
		if err != nil {
			return schema.Null, err
		}
		// ANY stops at the first true, ALL at the first false; a NULL comparison leaves the
		// answer NULL unless a later row decides it.
		res := schema.Bool(all)
		for _, w := range vals {
			if v.IsNull() || w.IsNull() {
				res = schema.Null
				continue
			}
			if compareOp(op, v, w) != all {
				return schema.Bool(!all), nil
			}
		}
		return res, nil
	}}, nil
}
