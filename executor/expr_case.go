package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// The conditional expressions: CASE, COALESCE and NULLIF, and the rule that gives their
// branches one type.

// commonType is the type that values of all of es can take, as PostgreSQL resolves the
// branches of a CASE or the items of IN (see commonOf).
func commonType(es []*expr, what string, at parser.Node) (schema.Type, error) {
	types := make([]schema.Type, len(es))
	for i, e := range es {
		types[i] = e.typ
	}
	return commonOf(types, what, at)
}

// commonOf is the common type of types: unknowns follow the typed ones (all unknown: text);
// integers widen; integers mixed with floats become double precision; anything else mixed is
// an error.
func commonOf(types []schema.Type, what string, at parser.Node) (schema.Type, error) {
	t := unknownType
	for _, u := range types {
		switch {
		case isUnknown(u):
		case isUnknown(t):
			t = u
		case t.Kind == u.Kind:
			switch {
			case t.Kind == schema.KindText && t != u:
				t = schema.Text
			case t.Kind == schema.KindNumeric:
				if t != u {
					t = schema.Numeric // numerics of different precisions: unconstrained
				}
			case isDateTime(t):
				if t != u {
					t.Width = 0 // timestamps of different precisions: no particular one
				}
			default:
				t.Width = max(t.Width, u.Width)
			}
		case isExactNum(t) && isExactNum(u):
			t = schema.Numeric // integers and numerics: numeric
		case t.Kind == schema.KindNumeric && u.Kind == schema.KindFloat:
			t = u // numeric and a float: the float
		case t.Kind == schema.KindFloat && u.Kind == schema.KindNumeric:
		case isNumeric(t) && isNumeric(u):
			t = schema.Double
		case isDateTime(t) && isDateTime(u):
			if dateTimeRank(u) > dateTimeRank(t) {
				t = u
			}
		default:
			return t, errAt(at, schema.CodeDatatypeMismatch, "%s types %s and %s cannot be matched", what, typeName(t), typeName(u))
		}
	}
	if isUnknown(t) {
		t = schema.Text
	}
	return t, nil
}

// unify compiles es to the common type of them all.
func unify(es []*expr, what string, at parser.Node) (schema.Type, error) {
	t, err := commonType(es, what, at)
	if err != nil {
		return t, err
	}
	for i := range es {
		if es[i], err = coerce(es[i], t, at); err != nil {
			return t, err
		}
		es[i] = castTo(es[i], t)
	}
	return t, nil
}

// caseExpr compiles both forms of CASE. The simple form, CASE x WHEN v THEN ..., compares x
// with each v as x = v would, evaluating x once per row.
func (c *compiler) caseExpr(n *parser.CaseExpr) (*expr, error) {
	var operand *expr
	var err error
	if n.Operand != nil {
		if operand, err = c.compile(n.Operand); err != nil {
			return nil, err
		}
		// PostgreSQL makes an unknown operand text before comparing, so CASE '1' WHEN 1 is
		// text = integer, an error.
		if isUnknown(operand.typ) {
			if operand, err = coerce(operand, schema.Text, n.Operand); err != nil {
				return nil, err
			}
		}
	}
	conds := make([]*expr, len(n.Whens))
	results := make([]*expr, 0, len(n.Whens)+1)
	for i, w := range n.Whens {
		if conds[i], err = c.compile(w.Cond); err != nil {
			return nil, err
		}
		if operand != nil {
			var o *expr
			if o, conds[i], err = unifyOperands(w.Cond, operand, conds[i]); err != nil {
				return nil, err
			}
			if !comparable(o.typ, conds[i].typ) {
				return nil, errOperator(w.Cond, "=", o.typ, conds[i].typ)
			}
		} else if conds[i], err = requireBool(conds[i], "CASE", w.Cond); err != nil {
			return nil, err
		}
		r, err := c.compile(w.Result)
		if err != nil {
			return nil, err
		}
		results = append(results, r)
	}
	elseExpr := constant(schema.Null, unknownType, "")
	if n.Else != nil {
		if elseExpr, err = c.compile(n.Else); err != nil {
			return nil, err
		}
	}
	// PostgreSQL resolves the ELSE first, which decides the order of the types in its
	// "CASE types x and y cannot be matched".
	ordered := append([]*expr{elseExpr}, results...)
	t, err := unify(ordered, "CASE", n)
	if err != nil {
		return nil, err
	}
	results = append(ordered[1:], ordered[0])
	out := &expr{typ: t, name: "case", konst: operand == nil || operand.konst}
	for i := range conds {
		out.konst = out.konst && conds[i].konst && results[i].konst
	}
	out.konst = out.konst && results[len(conds)].konst
	out.eval = caseEval(operand, conds, results)
	return out, nil
}

func caseEval(operand *expr, conds, results []*expr) evalFn {
	return func(row schema.Row) (schema.Value, error) {
		var x schema.Value
		if operand != nil {
			var err error
			if x, err = operand.eval(row); err != nil {
				return x, err
			}
		}
		for i, cond := range conds {
			v, err := cond.eval(row)
			if err != nil {
				return v, err
			}
			hit := !v.IsNull() && v.Bool()
			if operand != nil {
				hit = !v.IsNull() && !x.IsNull() && schema.Compare(x, v) == 0
			}
			if hit {
				return results[i].eval(row)
			}
		}
		return results[len(conds)].eval(row)
	}
}

// coalesce returns its first non-NULL argument, evaluating no further.
func (c *compiler) coalesce(n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) == 0 {
		return nil, errAt(n, schema.CodeSyntax, "COALESCE needs at least one argument")
	}
	t, err := unify(args, "COALESCE", n)
	if err != nil {
		return nil, err
	}
	out := &expr{typ: t, name: "coalesce", konst: true}
	for _, a := range args {
		out.konst = out.konst && a.konst
	}
	out.eval = func(row schema.Row) (schema.Value, error) {
		for _, a := range args {
			v, err := a.eval(row)
			if err != nil || !v.IsNull() {
				return v, err
			}
		}
		return schema.Null, nil
	}
	return out, nil
}

// nullif returns NULL when its arguments are equal, else the first.
func (c *compiler) nullif(n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) != 2 {
		return nil, errAt(n, schema.CodeUndefinedFunction, "function nullif with %d arguments does not exist", len(args))
	}
	a, b, err := unifyOperands(n, args[0], args[1])
	if err != nil {
		return nil, err
	}
	a, b = widenDateTimes(a, b)
	if !comparable(a.typ, b.typ) {
		return nil, errOperator(n, "=", a.typ, b.typ)
	}
	ae, be := a.eval, b.eval
	return &expr{typ: a.typ, name: "nullif", konst: a.konst && b.konst, eval: func(row schema.Row) (schema.Value, error) {
		x, err := ae(row)
		if err != nil || x.IsNull() {
			return x, err
		}
		y, err := be(row)
		if err != nil {
			return y, err
		}
		if !y.IsNull() && schema.Compare(x, y) == 0 {
			return schema.Null, nil
		}
		return x, nil
	}}, nil
}
