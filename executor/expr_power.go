package executor

import (
	"math"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// power compiles x ^ y. PostgreSQL has two: numeric ^ numeric, chosen when an operand is
// numeric and neither is a float (2 ^ 0.5 is numeric), and double precision ^ double precision
// for everything else, with errors instead of infinities and complex results.
func (c *compiler) power(n *parser.BinaryExpr) (*expr, error) {
	var es [2]*expr
	ops := []parser.Expr{n.L, n.R}
	for i, e := range ops {
		x, err := c.compile(e)
		if err != nil {
			return nil, err
		}
		es[i] = x
	}
	if numericPowerOperands(es[0].typ, es[1].typ) {
		for i, x := range es {
			x, err := coerce(x, schema.Numeric, ops[i])
			if err != nil {
				return nil, err
			}
			es[i] = castTo(x, schema.Numeric)
		}
		return binaryFunc(anonymous, schema.Numeric, es[0], es[1], func(x, y schema.Value) (schema.Value, error) {
			r, err := numericPower(x.Decimal(), y.Decimal())
			if err != nil {
				return schema.Null, err
			}
			return numericResult(r)
		}), nil
	}
	for i, e := range ops {
		x := es[i]
		x, err := coerce(x, schema.Double, e)
		if err != nil {
			return nil, err
		}
		if !isNumeric(x.typ) {
			return nil, errOperator(n, "^", es[0].typ, x.typ)
		}
		es[i] = castTo(x, schema.Double)
	}
	if isNullConst(es[0]) || isNullConst(es[1]) {
		return constant(schema.Null, schema.Double, anonymous), nil // strict, see binary
	}
	return &expr{typ: schema.Double, konst: es[0].konst && es[1].konst, name: anonymous,
		eval: strict2(es[0], es[1], func(a, b schema.Value) (schema.Value, error) {
			return pow(a.Float(), b.Float())
		})}, nil
}

// numericPowerOperands reports whether x ^ y takes the numeric operator: one operand numeric,
// none a float.
func numericPowerOperands(l, r schema.Type) bool {
	return (l.Kind == schema.KindNumeric || r.Kind == schema.KindNumeric) &&
		l.Kind != schema.KindFloat && r.Kind != schema.KindFloat
}

const codeInvalidPower = "2201F"

// pow is float8 ^ float8 with PostgreSQL's errors.
func pow(x, y float64) (schema.Value, error) {
	switch {
	case x == 0 && y < 0:
		return schema.Null, schema.Errorf(codeInvalidPower, "zero raised to a negative power is undefined")
	case x < 0 && y != math.Trunc(y) && !math.IsInf(y, 0):
		return schema.Null, schema.Errorf(codeInvalidPower, "a negative number raised to a non-integer power yields a complex result")
	}
	r := math.Pow(x, y)
	switch {
	case math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0):
		return schema.Null, schema.Errorf(schema.CodeOutOfRange, "value out of range: overflow")
	case r == 0 && x != 0 && !math.IsInf(y, 0):
		return schema.Null, schema.Errorf(schema.CodeOutOfRange, "value out of range: underflow")
	}
	return schema.Float(r), nil
}
