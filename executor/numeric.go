package executor

import (
	"math"
	"math/big"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// NUMERIC: the exact decimal type. The numbers themselves are schema.Decimal; this file holds
// what PostgreSQL's numeric.c adds on top: the type modifier (p,s), the conversions to and from
// the other types, and the scale each operator's result gets.

// PostgreSQL's constants for choosing result scales (numeric.c).
const (
	numericMinSigDigits = 16   // NUMERIC_MIN_SIG_DIGITS
	numericMaxDisplay   = 1000 // NUMERIC_MAX_DISPLAY_SCALE
	numericMaxPrecision = 1000 // NUMERIC_MAX_PRECISION
	decDigits           = 4    // DEC_DIGITS: a numeric digit is base 10000
)

// resolveNumeric checks NUMERIC, NUMERIC(p) and NUMERIC(p,s) as PostgreSQL 15 does.
func resolveNumeric(tn parser.TypeName) (schema.Type, error) {
	switch len(tn.Args) {
	case 0:
		return schema.Numeric, nil
	case 1, 2:
	default:
		return schema.Type{}, errAtPos(tn.At, schema.CodeInvalidParameter, "invalid NUMERIC type modifier")
	}
	p, s := tn.Args[0], 0
	if len(tn.Args) == 2 {
		s = tn.Args[1]
	}
	if p < 1 || p > numericMaxPrecision {
		return schema.Type{}, errAtPos(tn.At, schema.CodeInvalidParameter, "NUMERIC precision %d must be between 1 and %d", p, numericMaxPrecision)
	}
	if s > numericMaxPrecision {
		return schema.Type{}, errAtPos(tn.At, schema.CodeInvalidParameter, "NUMERIC scale %d must be between -1000 and 1000", s)
	}
	return schema.NumericOf(p, s), nil
}

// errNumericOverflow is the error of a result beyond the numeric format's limits.
func errNumericOverflow() error {
	return schema.Errorf(schema.CodeOutOfRange, "value overflows numeric format")
}

// numericResult checks that an operator's result fits the numeric format.
func numericResult(d schema.Decimal) (schema.Value, error) {
	if d.Scale() > schema.MaxNumericScale || d.Weight10() >= schema.MaxNumericWeight {
		return schema.Null, errNumericOverflow()
	}
	return schema.Num(d), nil
}

// toNumeric converts a non-NULL value to type to (a NUMERIC, perhaps with (p,s)).
func toNumeric(v schema.Value, to schema.Type) (schema.Value, error) {
	var d schema.Decimal
	switch v.Kind() {
	case schema.KindNumeric, schema.KindInt:
		d = v.Decimal()
	case schema.KindFloat:
		return floatToNumeric(v.Float(), 15, to)
	case schema.KindText:
		var ok, overflow bool
		d, ok, overflow = schema.ParseDecimal(v.Text())
		switch {
		case overflow:
			return schema.Null, errNumericOverflow()
		case !ok:
			return schema.Null, schema.Errorf(schema.CodeInvalidText, "invalid input syntax for type numeric: %q", v.Text())
		}
	default:
		return schema.Null, schema.Errorf(codeCannotCoerce, "cannot cast type %s to %s", v.Kind(), to)
	}
	return applyTypmod(d, to)
}

// floatToNumeric converts a float with its type's significant digits (15 for double
// precision, 6 for real), as PostgreSQL does through text.
func floatToNumeric(f float64, digits int, to schema.Type) (schema.Value, error) {
	d, ok := schema.DecimalFromFloat(f, digits)
	if !ok {
		return schema.Null, schema.Errorf(schema.CodeFeatureUnsupported, "cannot convert infinity to numeric")
	}
	return applyTypmod(d, to)
}

// applyTypmod rounds d to the scale of NUMERIC(p,s), half away from zero, and fails with
// "numeric field overflow" when it then has more than p digits.
func applyTypmod(d schema.Decimal, to schema.Type) (schema.Value, error) {
	if to.Length <= 0 || d.IsNaN() {
		return numericResult(d)
	}
	d = d.Rescale(int32(to.Scale))
	if c := d.Coef(); c.Sign() != 0 && len(c.Abs(c).String()) > to.Length {
		return schema.Null, schema.Errorf(schema.CodeOutOfRange, "numeric field overflow")
	}
	return schema.Num(d), nil
}

// numericToInt converts a numeric to an integer type, rounding half away from zero.
func numericToInt(v schema.Value, to schema.Type) (schema.Value, error) {
	d := v.Decimal()
	if d.IsNaN() {
		return schema.Null, schema.Errorf(schema.CodeFeatureUnsupported, "cannot convert NaN to %s", to)
	}
	i, ok := d.Int64()
	if lo, hi := to.IntRange(); !ok || i < lo || i > hi {
		return schema.Null, errOutOfRange(to)
	}
	return schema.Int(i), nil
}

// numericArith computes a op b for numbers of which neither is a float, with PostgreSQL's
// result scales: the larger scale for + - %, the sum for *, select_div_scale for /.
func numericArith(op parser.Op, a, b schema.Value) (schema.Value, error) {
	x, y := a.Decimal(), b.Decimal()
	var r schema.Decimal
	switch op {
	case parser.OpAdd:
		r = x.Add(y)
	case parser.OpSub:
		r = x.Sub(y)
	case parser.OpMul:
		r = x.Mul(y)
	case parser.OpDiv, parser.OpMod:
		if x.IsNaN() || y.IsNaN() {
			return schema.Num(schema.NaNDecimal), nil
		}
		if y.Sign() == 0 {
			return schema.Null, errDivisionByZero()
		}
		if op == parser.OpMod {
			r = x.Rem(y)
		} else {
			r = x.QuoRound(y, divScale(x, y))
		}
	default:
		return schema.Null, errInternal("numeric operator %s", op)
	}
	return numericResult(r)
}

// divScale is PostgreSQL's select_div_scale: enough digits for NUMERIC_MIN_SIG_DIGITS
// significant digits in the quotient, estimated from the base-10000 weights and leading digits
// of the operands, and at least either operand's scale.
func divScale(x, y schema.Decimal) int32 {
	w1, d1 := nbaseLead(x)
	w2, d2 := nbaseLead(y)
	qweight := w1 - w2
	if d1 <= d2 {
		qweight--
	}
	rscale := numericMinSigDigits - qweight*decDigits
	rscale = max(rscale, int(x.Scale()), int(y.Scale()), 0)
	return int32(min(rscale, numericMaxDisplay))
}

// nbaseLead returns the weight of d's leading base-10000 digit (the power of 10000 it stands
// for) and that digit's value, as PostgreSQL stores numerics; 0, 0 for zero.
func nbaseLead(d schema.Decimal) (weight int, digit int64) {
	if d.Sign() == 0 || d.IsNaN() {
		return 0, 0
	}
	weight = floorDiv(d.Weight10(), decDigits)
	c := d.Coef()
	c.Abs(c)
	if e := int(d.Scale()) + weight*decDigits; e >= 0 {
		c.Quo(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e)), nil))
	} else {
		c.Mul(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-e)), nil))
	}
	return weight, c.Int64()
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// numericNegate is unary minus on a numeric.
func numericNegate(v schema.Value) schema.Value { return schema.Num(v.Decimal().Neg()) }

// realToNumeric wraps a REAL expression being cast to numeric: a real converts with 6
// significant digits (0.1::real::numeric is 0.1), which its float64 widening does not know.
func realToNumeric(e *expr, t schema.Type) *expr {
	ev := e.eval
	return &expr{typ: t, konst: e.konst, name: e.name, eval: func(row schema.Row) (schema.Value, error) {
		v, err := ev(row)
		if err != nil || v.IsNull() {
			return v, err
		}
		return floatToNumeric(v.Float(), 6, t)
	}}
}

// isExactNum reports whether t is an integer or numeric type: arithmetic between them is exact.
func isExactNum(t schema.Type) bool {
	return t.Kind == schema.KindInt || t.Kind == schema.KindNumeric
}

// numericFloat64 is the float of a numeric for float arithmetic, with float8in's range error.
func numericFloat64(v schema.Value) (float64, error) {
	f := v.Float()
	if math.IsInf(f, 0) {
		return 0, schema.Errorf(schema.CodeOutOfRange, "%q is out of range for type double precision", v.String())
	}
	return f, nil
}

// floatOperands converts the numeric operand of a numeric and a float to double precision
// once, at compile time for a literal, so that rows do not convert it again.
func floatOperands(l, r *expr) (*expr, *expr) {
	switch {
	case l.typ.Kind == schema.KindNumeric && r.typ.Kind == schema.KindFloat:
		return toDouble(l), r
	case l.typ.Kind == schema.KindFloat && r.typ.Kind == schema.KindNumeric:
		return l, toDouble(r)
	}
	return l, r
}

func toDouble(e *expr) *expr {
	if e.lit != nil && !e.lit.IsNull() {
		if v, err := convert(*e.lit, schema.Double, false); err == nil {
			return constant(v, schema.Double, e.name)
		}
	}
	return castTo(e, schema.Double)
}
