package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Compiling the operators: NOT, unary minus, arithmetic, comparison, || and AND/OR. Their
// typing rules and value semantics are in expr_ops.go.

func (c *compiler) unary(n *parser.UnaryExpr) (*expr, error) {
	if lit, ok := n.X.(*parser.Literal); ok && n.Op == parser.OpNeg && (lit.Kind == parser.LitInt || lit.Kind == parser.LitFloat) {
		// The grammar of PostgreSQL folds the sign into a numeric constant, so -2147483648
		// is an int4 (and its minus cannot overflow).
		return literal(&parser.Literal{At: lit.At, Kind: lit.Kind, Text: "-" + lit.Text})
	}
	x, err := c.compile(n.X)
	if err != nil {
		return nil, err
	}
	ev := x.eval
	out := &expr{konst: x.konst, name: anonymous}
	switch n.Op {
	case parser.OpNot:
		if x, err = requireBool(x, "NOT", n.X); err != nil {
			return nil, err
		}
		ev = x.eval
		out.typ = schema.Boolean
		out.eval = func(row schema.Row) (schema.Value, error) {
			v, err := ev(row)
			if err != nil || v.IsNull() {
				return v, err
			}
			return schema.Bool(!v.Bool()), nil
		}
		return out, nil
	case parser.OpNeg, parser.OpPlus:
		if x.typ.Kind == schema.KindInterval {
			return negateInterval(n, x), nil
		}
		// An unknown operand: PostgreSQL finds several prefix minus operators but only one
		// prefix plus that takes it, float8's.
		if isUnknown(x.typ) && n.Op == parser.OpNeg {
			return nil, errAt(n, codeAmbiguousFunction, "operator is not unique: - unknown")
		}
		if x, err = coerce(x, schema.Double, n.X); err != nil {
			return nil, err
		}
		if !isNumeric(x.typ) {
			return nil, errAt(n, schema.CodeUndefinedFunction, "operator does not exist: %s %s", n.Op, typeName(x.typ))
		}
		if n.Op == parser.OpPlus {
			return x, nil
		}
		out.typ = x.typ
		t := x.typ
		out.eval = func(row schema.Row) (schema.Value, error) {
			v, err := ev(row)
			if err != nil || v.IsNull() {
				return v, err
			}
			return negate(t, v)
		}
		return out, nil
	}
	return nil, errUnsupported(n, "operator "+n.Op.String())
}

func (c *compiler) binary(n *parser.BinaryExpr) (*expr, error) {
	switch n.Op {
	case parser.OpPow:
		return c.power(n)
	case parser.OpIsDistinct, parser.OpIsNotDistinct:
		return c.isDistinct(n)
	}
	l, err := c.compile(n.L)
	if err != nil {
		return nil, err
	}
	r, err := c.compile(n.R)
	if err != nil {
		return nil, err
	}
	out := &expr{konst: l.konst && r.konst, name: anonymous}
	if n.Op == parser.OpAnd || n.Op == parser.OpOr {
		return logical(n, l, r)
	}
	if err := c.typeBinary(n, out, l, r); err != nil {
		return nil, err
	}
	if isNullConst(l) || isNullConst(r) {
		// PostgreSQL folds a strict operator with a NULL constant operand to NULL when it
		// plans the query, so the other operand is never evaluated (and cannot overflow).
		return constant(schema.Null, out.typ, anonymous), nil
	}
	return out, nil
}

// isNullConst reports whether e is the constant NULL.
func isNullConst(e *expr) bool { return e.lit != nil && e.lit.IsNull() }

// typeBinary resolves the operand types of a comparison, arithmetic or concatenation and sets
// out's type and evaluation.
func (c *compiler) typeBinary(n *parser.BinaryExpr, out, l, r *expr) error {
	var err error
	switch {
	case isComparison(n.Op):
		if l, r, err = unifyOperands(n, l, r); err != nil {
			return err
		}
		l, r = widenDateTimes(l, r)
		if !comparable(l.typ, r.typ) {
			return errOperator(n, n.Op.String(), l.typ, r.typ)
		}
		l, r = floatOperands(l, r)
		op := n.Op
		out.typ = schema.Boolean
		out.eval = strict2(l, r, func(a, b schema.Value) (schema.Value, error) {
			return schema.Bool(compareOp(op, a, b)), nil
		})
	case isArith(n.Op) && (isTemporal(l.typ) || isTemporal(r.typ)):
		return dateTimeArith(n, out, l, r)
	case isArith(n.Op):
		if isUnknown(l.typ) && isUnknown(r.typ) {
			return errAt(n, codeAmbiguousFunction, "operator is not unique: unknown %s unknown", n.Op)
		}
		if l, r, err = unifyOperands(n, l, r); err != nil {
			return err
		}
		t, ok := arithType(n.Op, l.typ, r.typ)
		if !ok {
			return errOperator(n, n.Op.String(), l.typ, r.typ)
		}
		l, r = floatOperands(l, r)
		op := n.Op
		out.typ = t
		out.eval = strict2(l, r, func(a, b schema.Value) (schema.Value, error) { return arith(op, t, a, b) })
	case n.Op == parser.OpConcat:
		textual := func(t schema.Type) bool { return isUnknown(t) || t.Kind == schema.KindText }
		if !textual(l.typ) && !textual(r.typ) {
			return errOperator(n, "||", l.typ, r.typ)
		}
		out.typ = schema.Text
		lt, rt := l.typ, r.typ
		out.eval = strict2(l, r, func(a, b schema.Value) (schema.Value, error) {
			return schema.Str(textAs(a, lt) + textAs(b, rt)), nil
		})
	default:
		return errUnsupported(n, "operator "+n.Op.String())
	}
	return nil
}

// unifyOperands resolves an unknown operand to the other operand's type (both unknown: text),
// as PostgreSQL resolves '5' = int_col.
func unifyOperands(at parser.Node, l, r *expr) (*expr, *expr, error) {
	var err error
	switch {
	case isUnknown(l.typ) && isUnknown(r.typ):
		if l, err = coerce(l, schema.Text, at); err == nil {
			r, err = coerce(r, schema.Text, at)
		}
	case isUnknown(l.typ):
		l, err = coerce(l, baseType(r.typ), at)
	case isUnknown(r.typ):
		r, err = coerce(r, baseType(l.typ), at)
	}
	return l, r, err
}

// baseType drops a VARCHAR length: comparing with a varchar(3) column does not limit a
// literal's length.
func baseType(t schema.Type) schema.Type {
	if t.Kind == schema.KindText {
		return schema.Text
	}
	if isDateTime(t) {
		t.Width = 0 // nor does a timestamp(0) column round a literal compared with it
	}
	return t
}

// logical compiles AND / OR with three-valued logic. The right side is not evaluated when the
// left decides the answer (false AND x, true OR x); SQL leaves evaluation order open.
func logical(n *parser.BinaryExpr, l, r *expr) (*expr, error) {
	what := n.Op.String()
	l, err := requireBool(l, what, n.L)
	if err != nil {
		return nil, err
	}
	if r, err = requireBool(r, what, n.R); err != nil {
		return nil, err
	}
	le, re := l.eval, r.eval
	and := n.Op == parser.OpAnd
	out := &expr{typ: schema.Boolean, konst: l.konst && r.konst, name: anonymous}
	out.eval = func(row schema.Row) (schema.Value, error) {
		a, err := le(row)
		if err != nil {
			return a, err
		}
		if !a.IsNull() && a.Bool() != and {
			return a, nil // false AND ..., true OR ...
		}
		b, err := re(row)
		if err != nil {
			return b, err
		}
		if and {
			return and3(a, b), nil
		}
		return or3(a, b), nil
	}
	return out, nil
}
