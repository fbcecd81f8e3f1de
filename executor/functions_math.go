package executor

import (
	"math"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// The mathematical functions, with PostgreSQL's overloads: most exist for double precision
// and numeric. A numeric argument picks the numeric version (exact, with PostgreSQL's result
// scales, in numeric_math.go); integers, reals and unknown literals pick double precision,
// the preferred type of the numeric category (so sqrt(2) is a float, sqrt(2.0) a numeric).

// SQLSTATEs of the math functions.
const (
	codeInvalidLogArg   = "2201E"
	codeInvalidPowerArg = "2201F"
)

func init() {
	registerScalar("abs", absFunc)
	for _, name := range []string{"round", "trunc"} {
		registerScalar(name, roundFunc)
	}
	for _, name := range []string{"floor", "ceil", "ceiling", "sign", "sqrt", "exp", "ln", "log10"} {
		registerScalar(name, floatOrNumericFunc)
	}
	registerScalar("log", logFunc)
	registerScalar("mod", modFunc)
	registerScalar("power", powerFunc)
	registerScalar("pow", powerFunc)
	registerScalar("pi", func(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
		if len(args) != 0 {
			return nil, errNoFunction(n, args)
		}
		return constant(schema.Float(math.Pi), schema.Double, n.Name), nil
	})
}

// floatOrNumeric resolves the argument of a function that has a double precision and a
// numeric version; ok is false when the argument is no number.
func floatOrNumeric(arg *expr, at parser.Node) (e *expr, ok bool, err error) {
	if e, err = coerce(arg, schema.Double, at); err != nil {
		return nil, false, err
	}
	switch {
	case e.typ.Kind == schema.KindNumeric:
		return e, true, nil
	case isNumeric(e.typ):
		return castTo(e, schema.Double), true, nil
	}
	return e, false, nil
}

// toNumericArg resolves an argument of a numeric-only parameter: integers and unknown
// literals become numeric; ok is false for anything else (floats do not cast implicitly).
func toNumericArg(arg *expr, at parser.Node) (*expr, bool, error) {
	e, err := coerce(arg, schema.Numeric, at)
	if err != nil || !isExactNum(e.typ) {
		return e, false, err
	}
	return castTo(e, schema.Numeric), true, nil
}

func absFunc(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) != 1 {
		return nil, errNoFunction(n, args)
	}
	x, err := coerce(args[0], schema.Double, n)
	if err != nil {
		return nil, err
	}
	if !isNumeric(x.typ) {
		return nil, errNoFunction(n, args)
	}
	t := x.typ
	return unaryFunc(n.Name, t, x, func(v schema.Value) (schema.Value, error) {
		switch t.Kind {
		case schema.KindFloat:
			return schema.Float(math.Abs(v.Float())), nil
		case schema.KindNumeric:
			return schema.Num(v.Decimal().Abs()), nil
		}
		if v.Int() < 0 {
			return negate(t, v)
		}
		return v, nil
	}), nil
}

// roundFunc is round(x), trunc(x) and their numeric-only two-argument forms round(x, s),
// trunc(x, s). round of a double rounds half to even (rint), of a numeric half away from zero.
func roundFunc(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) == 1 {
		return floatOrNumericFunc(c, n, args)
	}
	if len(args) != 2 {
		return nil, errNoFunction(n, args)
	}
	x, ok, err := toNumericArg(args[0], n)
	if err != nil {
		return nil, err
	}
	s, err := coerce(args[1], schema.Integer, n)
	if err != nil {
		return nil, err
	}
	if !ok || s.typ.Kind != schema.KindInt || s.typ.Width > 4 {
		return nil, errNoFunction(n, []*expr{x, s})
	}
	trunc := n.Name == "trunc"
	return binaryFunc(n.Name, schema.Numeric, x, s, func(a, b schema.Value) (schema.Value, error) {
		scale := int32(max(min(b.Int(), 2000), -2000)) // NUMERIC_MAX_RESULT_SCALE
		if trunc {
			return numericResult(a.Decimal().Truncate(scale))
		}
		return numericResult(a.Decimal().Rescale(scale))
	}), nil
}

// floatOrNumericFunc compiles the one-argument functions with a double precision and a
// numeric version.
func floatOrNumericFunc(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) != 1 {
		return nil, errNoFunction(n, args)
	}
	x, ok, err := floatOrNumeric(args[0], n)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoFunction(n, args)
	}
	if x.typ.Kind == schema.KindNumeric {
		f := numericFuncs[n.Name]
		return unaryFunc(n.Name, schema.Numeric, x, func(v schema.Value) (schema.Value, error) {
			d := v.Decimal()
			if d.IsNaN() {
				return v, nil
			}
			r, err := f(d)
			if err != nil {
				return schema.Null, err
			}
			return numericResult(r)
		}), nil
	}
	f := floatFuncs[n.Name]
	return unaryFunc(n.Name, schema.Double, x, func(v schema.Value) (schema.Value, error) {
		r, err := f(v.Float())
		if err != nil {
			return schema.Null, err
		}
		return schema.Float(r), nil
	}), nil
}

// floatFuncs are the double precision versions, with PostgreSQL's errors.
var floatFuncs = map[string]func(float64) (float64, error){
	"round":   func(x float64) (float64, error) { return math.RoundToEven(x), nil },
	"trunc":   func(x float64) (float64, error) { return math.Trunc(x), nil },
	"floor":   func(x float64) (float64, error) { return math.Floor(x), nil },
	"ceil":    func(x float64) (float64, error) { return math.Ceil(x), nil },
	"ceiling": func(x float64) (float64, error) { return math.Ceil(x), nil },
	"sign": func(x float64) (float64, error) {
		switch {
		case x > 0:
			return 1, nil
		case x < 0:
			return -1, nil
		}
		return 0, nil
	},
	"sqrt": func(x float64) (float64, error) {
		if x < 0 {
			return 0, errSqrtNegative()
		}
		return math.Sqrt(x), nil
	},
	"exp": func(x float64) (float64, error) {
		return checkFloat(exactExp(x), !math.IsInf(x, 0), !math.IsInf(x, -1))
	},
	"ln":    func(x float64) (float64, error) { return floatLog(x, exactLn) },
	"log":   func(x float64) (float64, error) { return floatLog(x, exactLog10) },
	"log10": func(x float64) (float64, error) { return floatLog(x, exactLog10) },
}

// checkFloat is PostgreSQL's float overflow and underflow check of a result r: infinite from
// finite inputs, or zero where it could not be.
func checkFloat(r float64, finiteIn, zeroImpossible bool) (float64, error) {
	switch {
	case math.IsInf(r, 0) && finiteIn:
		return 0, schema.Errorf(schema.CodeOutOfRange, "value out of range: overflow")
	case r == 0 && zeroImpossible:
		return 0, schema.Errorf(schema.CodeOutOfRange, "value out of range: underflow")
	}
	return r, nil
}

func floatLog(x float64, f func(float64) float64) (float64, error) {
	switch {
	case x == 0:
		return 0, errLogZero()
	case x < 0:
		return 0, errLogNegative()
	}
	return f(x), nil
}

func errSqrtNegative() error {
	return schema.Errorf(codeInvalidPowerArg, "cannot take square root of a negative number")
}
func errLogZero() error { return schema.Errorf(codeInvalidLogArg, "cannot take logarithm of zero") }
func errLogNegative() error {
	return schema.Errorf(codeInvalidLogArg, "cannot take logarithm of a negative number")
}

// logFunc is log(x) (base 10, double precision or numeric) and log(b, x) (numeric only).
func logFunc(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) != 2 {
		return floatOrNumericFunc(c, n, args)
	}
	b, okb, err := toNumericArg(args[0], n)
	if err != nil {
		return nil, err
	}
	x, okx, err := toNumericArg(args[1], n)
	if err != nil {
		return nil, err
	}
	if !okb || !okx {
		return nil, errNoFunction(n, args)
	}
	return binaryFunc(n.Name, schema.Numeric, b, x, func(bv, xv schema.Value) (schema.Value, error) {
		bd, xd := bv.Decimal(), xv.Decimal()
		if bd.IsNaN() || xd.IsNaN() {
			return schema.Num(schema.NaNDecimal), nil
		}
		r, err := numericLog(bd, xd)
		if err != nil {
			return schema.Null, err
		}
		return numericResult(r)
	}), nil
}

// modFunc is mod(a, b) for integers (the wider type) and numerics; there is none for floats.
func modFunc(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) != 2 {
		return nil, errNoFunction(n, args)
	}
	if isUnknown(args[0].typ) && isUnknown(args[1].typ) {
		return nil, errAt(n, codeAmbiguousFunction, "function mod(unknown, unknown) is not unique")
	}
	a, b, err := unifyOperands(n, args[0], args[1])
	if err != nil {
		return nil, err
	}
	if !isExactNum(a.typ) || !isExactNum(b.typ) {
		return nil, errNoFunction(n, []*expr{a, b})
	}
	t, _ := arithType(parser.OpMod, a.typ, b.typ)
	return binaryFunc(n.Name, t, a, b, func(x, y schema.Value) (schema.Value, error) {
		return arith(parser.OpMod, t, x, y)
	}), nil
}

// powerFunc is power(a, b) and pow(a, b): numeric when an argument is numeric and none is a
// float, else double precision.
func powerFunc(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) != 2 {
		return nil, errNoFunction(n, args)
	}
	t := schema.Double
	for _, a := range args {
		if !isUnknown(a.typ) && !isNumeric(a.typ) {
			return nil, errNoFunction(n, args)
		}
		if a.typ.Kind == schema.KindFloat {
			t = schema.Double
			break
		}
		if a.typ.Kind == schema.KindNumeric {
			t = schema.Numeric
		}
	}
	ops := make([]*expr, 2)
	for i, a := range args {
		e, err := coerce(a, t, n)
		if err != nil {
			return nil, err
		}
		ops[i] = castTo(e, t)
	}
	if t.Kind == schema.KindNumeric {
		return binaryFunc(n.Name, t, ops[0], ops[1], func(x, y schema.Value) (schema.Value, error) {
			r, err := numericPower(x.Decimal(), y.Decimal())
			if err != nil {
				return schema.Null, err
			}
			return numericResult(r)
		}), nil
	}
	return binaryFunc(n.Name, t, ops[0], ops[1], func(x, y schema.Value) (schema.Value, error) {
		r, err := floatPower(x.Float(), y.Float())
		return schema.Float(r), err
	}), nil
}

// floatPower is PostgreSQL's dpow: pow(3) with SQL's errors.
func floatPower(x, y float64) (float64, error) {
	switch {
	case math.IsNaN(x):
		if math.IsNaN(y) || y != 0 {
			return math.NaN(), nil
		}
		return 1, nil
	case math.IsNaN(y):
		if x != 1 {
			return math.NaN(), nil
		}
		return 1, nil
	case x == 0 && y < 0:
		return 0, errZeroNegativePower()
	case x < 0 && math.Floor(y) != y && !math.IsInf(y, 0):
		return 0, errComplexPower()
	}
	finite := !math.IsInf(x, 0) && !math.IsInf(y, 0)
	return checkFloat(exactPow(x, y), finite, finite && x != 0)
}

func errZeroNegativePower() error {
	return schema.Errorf(codeInvalidPowerArg, "zero raised to a negative power is undefined")
}

func errComplexPower() error {
	return schema.Errorf(codeInvalidPowerArg, "a negative number raised to a non-integer power yields a complex result")
}

// binaryFunc builds a strict two-argument function: NULL in, NULL out.
func binaryFunc(name string, t schema.Type, a, b *expr, f func(x, y schema.Value) (schema.Value, error)) *expr {
	return &expr{typ: t, name: name, konst: a.konst && b.konst, eval: strict2(a, b, f)}
}
