package executor

import (
	"math"
	"math/big"

	"github.com/eventsql/eventsql/schema"
)

// Go's math.Exp, Log and Pow may be off by an ulp; PostgreSQL calls the C library's, which
// on glibc are correctly rounded, so the last digit printed differs (ln(3) is
// 1.0986122886681098, not ...96). These compute in 128-bit binary floating point and round
// once to float64, which gives the correctly rounded result except within 2^-60 of a tie.

const floatMathPrec = 128

func exactExp(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 746 {
		return math.Exp(x) // NaN, ±Inf, and results beyond the float range
	}
	f, _ := schema.ExpBig(new(big.Float).SetFloat64(x), floatMathPrec).Float64()
	return f
}

func exactLn(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x <= 0 {
		return math.Log(x)
	}
	f, _ := schema.LnBig(new(big.Float).SetFloat64(x), floatMathPrec).Float64()
	return f
}

func exactLog10(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x <= 0 {
		return math.Log10(x)
	}
	if l := math.Log10(x); l == math.Trunc(l) && math.Pow(10, l) == x {
		return l // exact powers of ten give exact logarithms
	}
	ln := schema.LnBig(new(big.Float).SetFloat64(x), floatMathPrec)
	f, _ := ln.Quo(ln, schema.LnBig(big.NewFloat(10), floatMathPrec)).Float64()
	return f
}

// exactPow is x^y for finite x, y with x > 0, or x < 0 and an integer y; other cases
// (zeros, infinities, NaN) are math.Pow's, which follows C's pow there.
func exactPow(x, y float64) float64 {
	if x == 0 || y == 0 || math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) || x == 1 {
		return math.Pow(x, y)
	}
	neg := x < 0 && math.Mod(y, 2) != 0
	ax := math.Abs(x)
	if p := math.Abs(y * math.Log2(ax)); p > 1100 {
		return math.Pow(x, y) // beyond the float range either way
	}
	ln := schema.LnBig(new(big.Float).SetFloat64(ax), floatMathPrec+64)
	ln.Mul(ln, new(big.Float).SetPrec(floatMathPrec+64).SetFloat64(y))
	f, _ := schema.ExpBig(ln, floatMathPrec).Float64()
	if neg {
		f = -f
	}
	return f
}
