package schema

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number, the value of a NUMERIC: Coef × 10^-Scale. Scale is the
// display scale (PostgreSQL's dscale), never negative, so 1.5 and 1.50 are different Decimals
// that compare equal. NaN is PostgreSQL's numeric NaN: equal to itself, above every number.
// Decimals are immutable: operations return new ones and never modify their operands.
type Decimal struct {
	coef  *big.Int // nil means zero
	scale int32
	nan   bool
}

// Limits of the numeric format, PostgreSQL's: at most MaxNumericScale digits after the point
// and MaxNumericWeight before it.
const (
	MaxNumericScale  = 16383
	MaxNumericWeight = 131072
)

var bigTen = big.NewInt(10)

// NaNDecimal is the numeric NaN.
var NaNDecimal = Decimal{nan: true}

// DecimalFromInt returns i with scale 0.
func DecimalFromInt(i int64) Decimal { return Decimal{coef: big.NewInt(i)} }

// NewDecimal returns coef × 10^-scale (scale ≥ 0). The caller must not modify coef afterwards.
func NewDecimal(coef *big.Int, scale int32) Decimal { return Decimal{coef: coef, scale: scale} }

// ParseDecimal reads a numeric in PostgreSQL's input syntax: optional spaces, a sign, digits
// with an optional point, an optional exponent, spaces; or NaN in any case. ok is false for
// anything else; overflow is set (and ok false) when the number is beyond the numeric format.
func ParseDecimal(s string) (d Decimal, ok bool, overflow bool) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "nan") {
		return NaNDecimal, true, false
	}
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	mant, exp := t, int64(0)
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		mant = t[:i]
		e, err := strconv.ParseInt(t[i+1:], 10, 32)
		if err != nil {
			if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange {
				return Decimal{}, false, true
			}
			return Decimal{}, false, false
		}
		exp = e
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return Decimal{}, false, false
	}
	scale := int64(len(frac)) - exp
	if scale > MaxNumericScale || int64(len(intPart))+exp > MaxNumericWeight {
		return Decimal{}, false, true
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	c := new(big.Int)
	if digits != "" {
		c.SetString(digits, 10)
	}
	if scale < 0 {
		c.Mul(c, pow10(int(-scale)))
		scale = 0
	}
	if neg {
		c.Neg(c)
	}
	return Decimal{coef: c, scale: int32(scale)}, true, false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pow10 returns 10^n as a new big.Int.
func pow10(n int) *big.Int {
	if n < 19 {
		return big.NewInt(int64(math.Pow10(n)))
	}
	return new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil)
}

// IsNaN reports whether d is NaN.
func (d Decimal) IsNaN() bool { return d.nan }

// Scale returns the display scale: the number of digits after the point.
func (d Decimal) Scale() int32 { return d.scale }

// Coef returns the coefficient (d × 10^Scale) as a new big.Int; 0 for NaN.
func (d Decimal) Coef() *big.Int {
	if d.coef == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(d.coef)
}

func (d Decimal) c() *big.Int {
	if d.coef == nil {
		return new(big.Int)
	}
	return d.coef
}

// Sign returns -1, 0 or +1 (0 for NaN too).
func (d Decimal) Sign() int {
	if d.coef == nil {
		return 0
	}
	return d.coef.Sign()
}

// String returns the text form PostgreSQL prints: all Scale digits after the point, no
// exponent, no sign on zero.
func (d Decimal) String() string {
	if d.nan {
		return "NaN"
	}
	s := d.c().String()
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	if d.scale > 0 {
		if len(s) <= int(d.scale) {
			s = strings.Repeat("0", int(d.scale)-len(s)+1) + s
		}
		s = s[:len(s)-int(d.scale)] + "." + s[len(s)-int(d.scale):]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Rescale returns d with display scale s: rounded half away from zero when s is smaller,
// padded with zeros when larger. s may be negative (round to tens, hundreds...), giving
// scale 0.
func (d Decimal) Rescale(s int32) Decimal { return d.round(s, true) }

// Truncate returns d cut (toward zero) to s digits after the point, with display scale
// max(s, 0).
func (d Decimal) Truncate(s int32) Decimal { return d.round(s, false) }

func (d Decimal) round(s int32, half bool) Decimal {
	if d.nan {
		return d
	}
	c := d.c()
	if s >= d.scale {
		return Decimal{coef: new(big.Int).Mul(c, pow10(int(s-d.scale))), scale: s}
	}
	p := pow10(int(d.scale - s))
	q, r := new(big.Int).QuoRem(c, p, new(big.Int))
	if half {
		r.Abs(r).Lsh(r, 1)
		if r.Cmp(p) >= 0 {
			q.Add(q, big.NewInt(int64(c.Sign())))
		}
	}
	if s < 0 {
		q.Mul(q, pow10(int(-s)))
		s = 0
	}
	return Decimal{coef: q, scale: s}
}

// Floor and Ceil return the nearest integers below and above d, with scale 0.
func (d Decimal) Floor() Decimal { return d.toInteger(-1) }

// Ceil is the smallest integer not below d.
func (d Decimal) Ceil() Decimal { return d.toInteger(1) }

func (d Decimal) toInteger(dir int) Decimal {
	if d.nan {
		return d
	}
	t := d.Truncate(0)
	if d.Cmp(t) != 0 && d.Sign() == dir {
		t.coef.Add(t.coef, big.NewInt(int64(dir)))
	}
	return t
}

// align returns the coefficients of a and b at their common (larger) scale.
func align(a, b Decimal) (x, y *big.Int, scale int32) {
	x, y, scale = a.c(), b.c(), max(a.scale, b.scale)
	if a.scale < scale {
		x = new(big.Int).Mul(x, pow10(int(scale-a.scale)))
	}
	if b.scale < scale {
		y = new(big.Int).Mul(y, pow10(int(scale-b.scale)))
	}
	return x, y, scale
}

// Cmp compares d and b numerically (-1, 0, +1), NaN above everything and equal to itself.
func (d Decimal) Cmp(b Decimal) int {
	switch {
	case d.nan || b.nan:
		return cmpInt(b2i(d.nan), b2i(b.nan))
	case d.scale == b.scale:
		return d.c().Cmp(b.c())
	}
	x, y, _ := align(d, b)
	return x.Cmp(y)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Add returns d + b at the larger of their scales.
func (d Decimal) Add(b Decimal) Decimal {
	if d.nan || b.nan {
		return NaNDecimal
	}
	x, y, s := align(d, b)
	return Decimal{coef: new(big.Int).Add(x, y), scale: s}
}

// Sub returns d - b at the larger of their scales.
func (d Decimal) Sub(b Decimal) Decimal { return d.Add(b.Neg()) }

// Neg returns -d.
func (d Decimal) Neg() Decimal {
	if d.nan {
		return d
	}
	return Decimal{coef: new(big.Int).Neg(d.c()), scale: d.scale}
}

// Abs returns |d|.
func (d Decimal) Abs() Decimal {
	if d.Sign() < 0 {
		return d.Neg()
	}
	return d
}

// Mul returns d × b exactly, at the sum of their scales.
func (d Decimal) Mul(b Decimal) Decimal {
	if d.nan || b.nan {
		return NaNDecimal
	}
	return Decimal{coef: new(big.Int).Mul(d.c(), b.c()), scale: d.scale + b.scale}
}

// QuoRound returns d / b rounded half away from zero to scale digits. b must not be zero.
func (d Decimal) QuoRound(b Decimal, scale int32) Decimal {
	if d.nan || b.nan {
		return NaNDecimal
	}
	num, den := d.c(), b.c()
	if k := int(scale) + int(b.scale) - int(d.scale); k >= 0 {
		num = new(big.Int).Mul(num, pow10(k))
	} else {
		den = new(big.Int).Mul(den, pow10(-k))
	}
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.CmpAbs(den) >= 0 {
		q.Add(q, big.NewInt(int64(num.Sign()*den.Sign())))
	}
	return Decimal{coef: q, scale: scale}
}

// Rem returns d - trunc(d/b)·b, the remainder with the sign of d, at the larger scale. b must
// not be zero.
func (d Decimal) Rem(b Decimal) Decimal {
	if d.nan || b.nan {
		return NaNDecimal
	}
	x, y, s := align(d, b)
	return Decimal{coef: new(big.Int).Rem(x, y), scale: s}
}

// IntDigits returns the number of digits before the point (0 for |d| < 1).
func (d Decimal) IntDigits() int {
	if d.nan || d.Sign() == 0 {
		return 0
	}
	n := len(new(big.Int).Abs(d.c()).String()) - int(d.scale)
	return max(n, 0)
}

// Int64 returns d rounded half away from zero to an integer; ok is false for NaN or when the
// integer does not fit in an int64.
func (d Decimal) Int64() (i int64, ok bool) {
	if d.nan {
		return 0, false
	}
	r := d.Rescale(0).c()
	if !r.IsInt64() {
		return 0, false
	}
	return r.Int64(), true
}

// Float64 returns the float64 nearest to d (±Inf beyond the float range, NaN for NaN).
func (d Decimal) Float64() float64 {
	if d.nan {
		return math.NaN()
	}
	return Num(d).Float()
}

// DecimalFromFloat converts f as PostgreSQL does: through its text with digits significant
// digits (15 for double precision, 6 for real), so 0.1::float8::numeric is 0.1. ok is false
// for ±Inf.
func DecimalFromFloat(f float64, digits int) (Decimal, bool) {
	switch {
	case math.IsNaN(f):
		return NaNDecimal, true
	case math.IsInf(f, 0):
		return Decimal{}, false
	}
	d, ok, _ := ParseDecimal(strconv.FormatFloat(f, 'g', digits, 64))
	if ok && d.scale > 0 {
		d = d.trimZeros()
	}
	return d, ok
}

// trimZeros drops trailing zeros after the point, as %g's output has none.
func (d Decimal) trimZeros() Decimal {
	c, s := d.c(), d.scale
	r := new(big.Int)
	for s > 0 {
		q, m := new(big.Int).QuoRem(c, bigTen, r)
		if m.Sign() != 0 {
			break
		}
		c, s = q, s-1
	}
	return Decimal{coef: c, scale: s}
}

// Weight10 returns the decimal exponent of d's most significant digit (2 for 123.4, -2 for
// 0.05) and 0 for zero.
func (d Decimal) Weight10() int {
	if d.Sign() == 0 || d.nan {
		return 0
	}
	return len(new(big.Int).Abs(d.c()).String()) - int(d.scale) - 1
}

// Num returns the numeric value of d. A Value keeps a numeric as its text, which is
// canonical for the pair (number, display scale).
func Num(d Decimal) Value { return Value{k: KindNumeric, s: d.String()} }

// Decimal returns the number of a KindNumeric value, or an integer value as a Decimal.
func (v Value) Decimal() Decimal {
	switch v.k {
	case KindInt:
		return DecimalFromInt(int64(v.n))
	case KindFloat:
		d, _ := DecimalFromFloat(v.Float(), 15)
		return d
	}
	d, _, _ := ParseDecimal(v.s)
	return d
}

// appendDecimalKey appends the order-preserving key of d: a class byte (negative, zero,
// positive, NaN), then for non-zero numbers the exponent of the leading digit and the digits
// without trailing zeros, two to a byte, ended by 0; a negative number's bytes after the
// class are inverted, so larger magnitudes sort first. Equal numbers of any scale get equal
// keys.
func appendDecimalKey(buf []byte, d Decimal) []byte {
	switch {
	case d.nan:
		return append(buf, 4)
	case d.Sign() == 0:
		return append(buf, 2)
	}
	neg := d.Sign() < 0
	class := byte(3)
	if neg {
		class = 1
	}
	buf = append(buf, class)
	start := len(buf)
	digits := strings.TrimRight(new(big.Int).Abs(d.c()).String(), "0")
	e := uint32(int32(d.Weight10())) ^ 1<<31
	buf = append(buf, byte(e>>24), byte(e>>16), byte(e>>8), byte(e))
	for i := 0; i < len(digits); i += 2 {
		p := (digits[i] - '0') * 10
		if i+1 < len(digits) {
			p += digits[i+1] - '0'
		}
		buf = append(buf, p+1)
	}
	buf = append(buf, 0)
	if neg {
		for i := start; i < len(buf); i++ {
			buf[i] = ^buf[i]
		}
	}
	return buf
}

// compareNumericText compares two numerics by their canonical text, without converting
// them: the sign, then the length of the integer part (which has no leading zeros), then the
// digits, with trailing zeros of the fractions ignored.
func compareNumericText(a, b string) int {
	if a == b {
		return 0
	}
	if a == "NaN" || b == "NaN" {
		return cmpInt(b2i(a == "NaN"), b2i(b == "NaN"))
	}
	an, bn := a[0] == '-', b[0] == '-'
	if an != bn {
		// Canonical text has no negative zero, so a minus sign means below zero.
		if an {
			return -1
		}
		return 1
	}
	c := compareMagnitudes(strings.TrimPrefix(a, "-"), strings.TrimPrefix(b, "-"))
	if an {
		return -c
	}
	return c
}

func compareMagnitudes(a, b string) int {
	ai, af, _ := strings.Cut(a, ".")
	bi, bf, _ := strings.Cut(b, ".")
	if len(ai) != len(bi) {
		return cmpInt(int64(len(ai)), int64(len(bi)))
	}
	if c := strings.Compare(ai, bi); c != 0 {
		return c
	}
	return strings.Compare(strings.TrimRight(af, "0"), strings.TrimRight(bf, "0"))
}
