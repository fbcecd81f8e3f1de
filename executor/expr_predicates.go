package executor

import (
	"unicode/utf8"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// The predicates: IS [NOT] NULL, [NOT] IN (list), [NOT] BETWEEN, [NOT] LIKE / ILIKE.

func (c *compiler) isNull(n *parser.IsNullExpr) (*expr, error) {
	x, err := c.compile(n.X)
	if err != nil {
		return nil, err
	}
	ev, not := x.eval, n.Not
	if n.Test != parser.IsNull {
		// IS [NOT] TRUE | FALSE | UNKNOWN: never NULL; the operand must be boolean.
		if x, err = coerce(x, schema.Boolean, n.X); err != nil {
			return nil, err
		}
		if x.typ.Kind != schema.KindBool {
			return nil, errAt(n, schema.CodeDatatypeMismatch, "argument of IS %s must be type boolean, not type %s", n.Test, typeName(x.typ))
		}
		ev, test := x.eval, n.Test
		return &expr{typ: schema.Boolean, konst: x.konst, name: anonymous, eval: func(row schema.Row) (schema.Value, error) {
			v, err := ev(row)
			if err != nil {
				return schema.Null, err
			}
			var is bool
			switch test {
			case parser.IsTrue:
				is = !v.IsNull() && v.Bool()
			case parser.IsFalse:
				is = !v.IsNull() && !v.Bool()
			default:
				is = v.IsNull()
			}
			return schema.Bool(is != not), nil
		}}, nil
	}
	return &expr{typ: schema.Boolean, konst: x.konst, name: anonymous, eval: func(row schema.Row) (schema.Value, error) {
		v, err := ev(row)
		if err != nil {
			return schema.Null, err
		}
		return schema.Bool(v.IsNull() != not), nil
	}}, nil
}

// inList compiles x [NOT] IN (a, b, ...): true when x equals an item; otherwise NULL when x or
// any item is NULL; otherwise false. NOT IN negates that, so NOT IN over a list holding NULL
// is never true. A list of constants becomes a hash set built at compile time.
func (c *compiler) inList(n *parser.InExpr) (*expr, error) {
	x, err := c.compile(n.X)
	if err != nil {
		return nil, err
	}
	all := make([]*expr, 1+len(n.List))
	all[0] = x
	for i, e := range n.List {
		if all[i+1], err = c.compile(e); err != nil {
			return nil, err
		}
	}
	t, err := commonType(all, "IN", n)
	if err != nil {
		return nil, err
	}
	konst, consts := x.konst, true
	for i := range all {
		if all[i], err = coerce(all[i], t, n); err != nil {
			return nil, err
		}
		all[i] = castTo(all[i], t)
		konst = konst && all[i].konst
		consts = consts && (i == 0 || all[i].lit != nil)
	}
	x, items := all[0], all[1:]
	allNull := true
	for _, it := range items {
		allNull = allNull && isNullConst(it)
	}
	if isNullConst(x) || allNull {
		// x IN (a, b) is x = a OR x = b: every comparison folds to NULL (see binary).
		return constant(schema.Null, schema.Boolean, anonymous), nil
	}
	member := listMember(items)
	if consts {
		member = setMember(items)
	}
	xe, not := x.eval, n.Not
	return &expr{typ: schema.Boolean, konst: konst, name: anonymous, eval: func(row schema.Row) (schema.Value, error) {
		v, err := xe(row)
		if err != nil || v.IsNull() {
			return schema.Null, err
		}
		res, err := member(row, v)
		return not3(res, not), err
	}}, nil
}

// listMember tests membership by comparing with each item in turn.
func listMember(items []*expr) func(schema.Row, schema.Value) (schema.Value, error) {
	return func(row schema.Row, v schema.Value) (schema.Value, error) {
		res := schema.Bool(false)
		for _, it := range items {
			w, err := it.eval(row)
			if err != nil {
				return w, err
			}
			if w.IsNull() {
				res = schema.Null
			} else if schema.Compare(v, w) == 0 {
				return schema.Bool(true), nil
			}
		}
		return res, nil
	}
}

// setMember tests membership in a list of constants with a hash set of their keys (they have
// been converted to one type, so equal values have equal keys).
func setMember(items []*expr) func(schema.Row, schema.Value) (schema.Value, error) {
	set, hasNull := map[string]bool{}, false
	for _, it := range items {
		if it.lit.IsNull() {
			hasNull = true
		} else {
			set[schema.Key(*it.lit)] = true
		}
	}
	return func(_ schema.Row, v schema.Value) (schema.Value, error) {
		if set[schema.Key(v)] {
			return schema.Bool(true), nil
		}
		if hasNull {
			return schema.Null, nil
		}
		return schema.Bool(false), nil
	}
}

// not3 negates a three-valued boolean when not is set.
func not3(v schema.Value, not bool) schema.Value {
	if !not || v.IsNull() {
		return v
	}
	return schema.Bool(!v.Bool())
}

// between compiles x [NOT] BETWEEN lo AND hi as lo <= x AND x <= hi, evaluating x once;
// BETWEEN SYMMETRIC also accepts hi <= x AND x <= lo.
func (c *compiler) between(n *parser.BetweenExpr) (*expr, error) {
	var es [3]*expr
	for i, e := range []parser.Expr{n.X, n.Lo, n.Hi} {
		var err error
		if es[i], err = c.compile(e); err != nil {
			return nil, err
		}
	}
	t, err := commonType(es[:], "BETWEEN", n)
	if err != nil {
		return nil, err
	}
	for i := range es {
		if es[i], err = coerce(es[i], t, n); err != nil {
			return nil, err
		}
		if isDateTime(es[i].typ) && isDateTime(t) {
			es[i] = castTo(es[i], t) // a date between timestamps compares as a timestamp
		}
		if !comparable(es[i].typ, t) {
			return nil, errOperator(n, ">=", es[0].typ, es[i].typ)
		}
	}
	if isNullConst(es[0]) || isNullConst(es[1]) && isNullConst(es[2]) {
		// BETWEEN is lo <= x AND x <= hi: both comparisons fold to NULL (see binary), so
		// the other operands are never evaluated.
		return constant(schema.Null, schema.Boolean, anonymous), nil
	}
	xe, loe, hie, not, symmetric := es[0].eval, es[1].eval, es[2].eval, n.Not, n.Symmetric
	return &expr{typ: schema.Boolean, konst: es[0].konst && es[1].konst && es[2].konst, name: anonymous,
		eval: func(row schema.Row) (schema.Value, error) {
			var v [3]schema.Value
			for i, ev := range []evalFn{xe, loe, hie} {
				var err error
				if v[i], err = ev(row); err != nil {
					return schema.Null, err
				}
			}
			res := within(v[0], v[1], v[2])
			if symmetric {
				res = or3(res, within(v[0], v[2], v[1]))
			}
			return not3(res, not), nil
		}}, nil
}

// within is lo <= x AND x <= hi in three-valued logic.
func within(x, lo, hi schema.Value) schema.Value {
	ge, le := schema.Null, schema.Null
	if !x.IsNull() && !lo.IsNull() {
		ge = schema.Bool(schema.Compare(x, lo) >= 0)
	}
	if !x.IsNull() && !hi.IsNull() {
		le = schema.Bool(schema.Compare(x, hi) <= 0)
	}
	return and3(ge, le)
}

// like compiles x [NOT] LIKE|ILIKE pattern [ESCAPE e]. The default escape is backslash; an
// empty ESCAPE string turns escaping off. A constant pattern is compiled once.
func (c *compiler) like(n *parser.LikeExpr) (*expr, error) {
	op := "~~"
	if n.CaseInsensitive {
		op = "~~*"
	}
	var es []*expr
	for _, e := range []parser.Expr{n.X, n.Pattern, n.Escape} {
		if e == nil {
			continue
		}
		ce, err := c.compile(e)
		if err != nil {
			return nil, err
		}
		if ce, err = coerce(ce, schema.Text, e); err != nil {
			return nil, err
		}
		if ce.typ.Kind != schema.KindText {
			return nil, errOperator(n, op, ce.typ, schema.Text)
		}
		es = append(es, ce)
	}
	escape := '\\'
	if len(es) == 3 {
		var err error
		if escape, err = likeEscape(es[2], n.Escape); err != nil {
			return nil, err
		}
	}
	if isNullConst(es[0]) || isNullConst(es[1]) {
		return constant(schema.Null, schema.Boolean, anonymous), nil // strict, see binary
	}
	pat, fold := es[1], n.CaseInsensitive
	var fixed []likeToken
	if pat.lit != nil && !pat.lit.IsNull() {
		var err error
		if fixed, err = compileLike(pat.lit.Text(), escape, fold); err != nil {
			return nil, positioned(err, n.Pattern)
		}
	}
	not := n.Not
	out := &expr{typ: schema.Boolean, konst: es[0].konst && pat.konst, name: anonymous}
	out.eval = strict2(es[0], pat, func(a, b schema.Value) (schema.Value, error) {
		toks := fixed
		if toks == nil {
			var err error
			if toks, err = compileLike(b.Text(), escape, fold); err != nil {
				return schema.Null, err
			}
		}
		s := a.Text()
		if fold {
			s = lower(s)
		}
		m, err := likeMatch(s, toks)
		return schema.Bool(m != not), err
	})
	return out, nil
}

// likeEscape reads an ESCAPE clause: one character, or none for the empty string.
func likeEscape(e *expr, at parser.Node) (rune, error) {
	if e.lit == nil {
		return 0, errUnsupported(at, "a non-constant ESCAPE")
	}
	esc := e.lit.Text()
	switch utf8.RuneCountInString(esc) {
	case 0:
		return -1, nil
	case 1:
		r, _ := utf8.DecodeRuneInString(esc)
		return r, nil
	}
	return 0, errAt(at, codeInvalidEscape, "invalid escape string")
}
