package schema

import (
	"math"
	"math/big"
)

// Transcendental functions of Decimals, computed in binary floating point (big.Float) with
// enough guard bits that rounding the result to the requested scale gives the correctly
// rounded digits (barring results within a few ulps of a rounding tie).

// SqrtRound returns √d rounded half away from zero to scale digits. d must not be negative.
func (d Decimal) SqrtRound(scale int32) Decimal {
	if d.nan {
		return d
	}
	// floor(√(d × 10^(2·(scale+1)))) is √d with one more digit, truncated; rounding on that
	// digit is exact rounding, since a truncated 5 means at least half.
	n := d.c()
	if e := 2*(int(scale)+1) - int(d.scale); e >= 0 {
		n = new(big.Int).Mul(n, pow10(e))
	} else {
		n = new(big.Int).Quo(n, pow10(-e))
	}
	r := new(big.Int).Sqrt(n)
	r.Add(r, big.NewInt(5)).Quo(r, bigTen)
	return Decimal{coef: r, scale: scale}
}

// bitsFor returns the big.Float precision for digits significant decimal digits, with guard
// bits.
func bitsFor(digits int) uint { return uint(max(digits, 1))*3322/1000 + 64 }

// BigFloat returns d as a big.Float of the given precision; NaN is not allowed.
func (d Decimal) BigFloat(prec uint) *big.Float {
	f := new(big.Float).SetPrec(prec).SetInt(d.c())
	if d.scale > 0 {
		f.Quo(f, new(big.Float).SetPrec(prec).SetInt(pow10(int(d.scale))))
	}
	return f
}

// DecimalFromBigFloat rounds f half away from zero to scale digits.
func DecimalFromBigFloat(f *big.Float, scale int32) Decimal {
	d, _, _ := ParseDecimal(f.Text('f', int(scale)+6))
	return d.Rescale(scale)
}

// ExpRound returns e^d rounded to scale digits; intDigits is about how many digits the
// result has before the point at most (for the working precision).
func (d Decimal) ExpRound(scale int32, intDigits int) Decimal {
	prec := bitsFor(int(scale) + max(intDigits, 0) + 10)
	return DecimalFromBigFloat(ExpBig(d.BigFloat(prec+64), prec), scale)
}

// LnBig returns ln d at prec bits; d must be positive.
func (d Decimal) LnBig(prec uint) *big.Float {
	return LnBig(d.BigFloat(prec+64), prec)
}

// ExpBig returns e^x with prec bits of precision: x is halved k times until tiny, the Taylor
// series sums e^(x/2^k), and k squarings undo the halving (each squaring doubles the relative
// error, so k more bits are carried).
func ExpBig(x *big.Float, prec uint) *big.Float {
	// Halving until |y| < 2^-r, with r about √prec, balances the series' terms (prec/r of
	// them) against the squarings (k).
	r := max(10, int(math.Sqrt(float64(prec))))
	k := 0
	if x.Sign() != 0 {
		k = max(x.MantExp(nil)+r, 0)
	}
	wp := prec + 64 + uint(k)
	y := new(big.Float).SetPrec(wp).SetMantExp(x, -k)
	sum := new(big.Float).SetPrec(wp).SetInt64(1)
	term := new(big.Float).SetPrec(wp).SetInt64(1)
	for i := int64(1); ; i++ {
		term.Mul(term, y)
		term.Quo(term, new(big.Float).SetPrec(wp).SetInt64(i))
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-int(wp) {
			break
		}
		sum.Add(sum, term)
	}
	for ; k > 0; k-- {
		sum.Mul(sum, sum)
	}
	return sum.SetPrec(prec)
}

// LnBig returns ln x for x > 0 with prec bits: x = m·2^e with m in [√½, √2), and
// ln x = e·ln 2 + 2·atanh((m-1)/(m+1)).
func LnBig(x *big.Float, prec uint) *big.Float {
	m := new(big.Float)
	e := x.MantExp(m)
	wp := prec + 64 + uint(bitLen(e))
	m.SetPrec(wp)
	if m.Cmp(big.NewFloat(0.7071067811865476)) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	one := new(big.Float).SetPrec(wp).SetInt64(1)
	t := new(big.Float).SetPrec(wp).Sub(m, one)
	t.Quo(t, new(big.Float).SetPrec(wp).Add(m, one))
	r := atanh2(t, wp)
	if e != 0 {
		third := new(big.Float).SetPrec(wp).Quo(one, new(big.Float).SetPrec(wp).SetInt64(3))
		ln2 := atanh2(third, wp)
		r.Add(r, ln2.Mul(ln2, new(big.Float).SetPrec(wp).SetInt64(int64(e))))
	}
	return r.SetPrec(prec)
}

// atanh2 returns 2·atanh(t) = 2·(t + t³/3 + t⁵/5 + ...) for small |t|.
func atanh2(t *big.Float, wp uint) *big.Float {
	sum := new(big.Float).SetPrec(wp).Set(t)
	if t.Sign() == 0 {
		return sum
	}
	t2 := new(big.Float).SetPrec(wp).Mul(t, t)
	pow := new(big.Float).SetPrec(wp).Set(t)
	term := new(big.Float).SetPrec(wp)
	for i := int64(3); ; i += 2 {
		pow.Mul(pow, t2)
		term.Quo(pow, new(big.Float).SetPrec(wp).SetInt64(i))
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-int(wp) {
			break
		}
		sum.Add(sum, term)
	}
	return sum.SetMantExp(sum, 1)
}

func bitLen(e int) int {
	n := 0
	for e != 0 {
		e /= 2
		n++
	}
	return n
}

// PowInt returns d^n exactly for n ≥ 0.
func (d Decimal) PowInt(n int64) Decimal {
	if d.nan {
		return d
	}
	c := new(big.Int).Exp(d.c(), big.NewInt(n), nil)
	return Decimal{coef: c, scale: d.scale * int32(n)}
}
