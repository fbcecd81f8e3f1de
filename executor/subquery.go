package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Subqueries in expressions: (SELECT ...), EXISTS (SELECT ...), x IN (SELECT ...).
//
// A subquery is planned once, with the scope of the expression that contains it as its outer
// scope. If it reads a column of an enclosing query (it is correlated), the enclosing
// expression stores its current row in its scope's row cell before each run, and the
// subquery's reference reads the cell. If it is not correlated its result cannot change from
// row to row, so it runs once per statement and the result is kept.

// subplan plans a subquery nested in the compiler's scope.
func (c *compiler) subplan(stmt parser.Stmt) (*query, bool, error) {
	corr := &correlation{}
	q, err := (&planner{x: c.x, outer: c.sc, corr: corr}).planQuery(stmt)
	if err != nil {
		return nil, false, err
	}
	return q, corr.outer, nil
}

// runner returns a function that runs q for an outer row, caching the result of an
// uncorrelated subquery.
func runner[T any](c *compiler, correlated bool, run func() (T, error)) func(schema.Row) (T, error) {
	cell := c.sc.rowCell()
	var cached *T
	return func(row schema.Row) (T, error) {
		if cached != nil {
			return *cached, nil
		}
		*cell = row
		v, err := run()
		if err == nil && !correlated {
			cached = &v
		}
		return v, err
	}
}

func (c *compiler) scalarSubquery(n *parser.SubqueryExpr) (*expr, error) {
	q, correlated, err := c.subplan(n.Select)
	if err != nil {
		return nil, err
	}
	if len(q.cols) != 1 {
		return nil, errAt(n, schema.CodeSyntax, "subquery must return only one column")
	}
	run := runner(c, correlated, func() (schema.Value, error) {
		v, rows := schema.Null, 0
		err := q.root.produce(func(r schema.Row) error {
			if rows++; rows > 1 {
				return schema.Errorf(schema.CodeCardinality, "more than one row returned by a subquery used as an expression")
			}
			v = r[0]
			return nil
		})
		return v, err
	})
	return &expr{typ: q.cols[0].Type, name: q.cols[0].Name, konst: !correlated, eval: run}, nil
}

func (c *compiler) exists(n *parser.ExistsExpr) (*expr, error) {
	q, correlated, err := c.subplan(n.Select)
	if err != nil {
		return nil, err
	}
	not := n.Not
	run := runner(c, correlated, func() (schema.Value, error) {
		found := false
		err := q.root.produce(func(schema.Row) error {
			found = true
			return errStop
		})
		if found && err == errStop {
			err = nil
		}
		return schema.Bool(found != not), err
	})
	return &expr{typ: schema.Boolean, name: "exists", konst: !correlated, eval: run}, nil
}

// subqueryValues is the materialized result column of an IN subquery.
type subqueryValues struct {
	vals    []schema.Value
	set     map[string]bool // keys of vals, when they can be compared by key
	hasNull bool
}

// inSubquery compiles x [NOT] IN (SELECT y ...) with the NULL rules of IN lists: true on a
// match; else NULL if x or some y is NULL; else false — and always false for an empty result.
func (c *compiler) inSubquery(n *parser.InExpr) (*expr, error) {
	x, q, correlated, err := c.compareWithSubquery(n, n.X, n.Select, "=")
	if err != nil {
		return nil, err
	}
	t := q.cols[0].Type
	byKey := x.typ.Kind == t.Kind
	run := runner(c, correlated, func() (*subqueryValues, error) {
		sv := &subqueryValues{}
		if byKey {
			sv.set = map[string]bool{}
		}
		err := q.root.produce(func(r schema.Row) error {
			switch {
			case r[0].IsNull():
				sv.hasNull = true
			case byKey:
				sv.set[schema.Key(r[0])] = true
			}
			sv.vals = append(sv.vals, r[0])
			return c.x.checkCancel()
		})
		return sv, err
	})
	xe, not := x.eval, n.Not
	return &expr{typ: schema.Boolean, name: anonymous, konst: x.konst && !correlated, eval: func(row schema.Row) (schema.Value, error) {
		v, err := xe(row)
		if err != nil {
			return v, err
		}
		sv, err := run(row)
		if err != nil || len(sv.vals) == 0 {
			return schema.Bool(not), err
		}
		if v.IsNull() {
			return schema.Null, nil
		}
		return not3(sv.member(v), not), nil
	}}, nil
}

func (sv *subqueryValues) member(v schema.Value) schema.Value {
	if sv.set != nil {
		if sv.set[schema.Key(v)] {
			return schema.Bool(true)
		}
	} else {
		for _, w := range sv.vals {
			if !w.IsNull() && schema.Compare(v, w) == 0 {
				return schema.Bool(true)
			}
		}
	}
	if sv.hasNull {
		return schema.Null
	}
	return schema.Bool(false)
}

// compareWithSubquery compiles the left operand and plans the one-column subquery of
// x IN (SELECT …) and x op ANY/ALL (SELECT …), coercing x to the column's type; op names the
// comparison in a type error.
func (c *compiler) compareWithSubquery(at parser.Node, left parser.Expr, sel parser.Stmt, op string) (*expr, *query, bool, error) {
	x, err := c.compile(left)
	if err != nil {
		return nil, nil, false, err
	}
	q, correlated, err := c.subplan(sel)
	if err != nil {
		return nil, nil, false, err
	}
	if len(q.cols) != 1 {
		return nil, nil, false, errAt(at, schema.CodeSyntax, "subquery has too many columns")
	}
	t := q.cols[0].Type
	if x, err = coerce(x, baseType(t), left); err != nil {
		return nil, nil, false, err
	}
	if !comparable(x.typ, t) {
		return nil, nil, false, errOperator(at, op, x.typ, t)
	}
	return x, q, correlated, nil
}
