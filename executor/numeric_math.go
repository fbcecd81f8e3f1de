package executor

import (
	"math"
	"math/big"

	"github.com/eventsql/eventsql/schema"
)

// The numeric versions of the math functions. The digits come from schema.Decimal; the result
// scales are PostgreSQL's (numeric.c), which aim at NUMERIC_MIN_SIG_DIGITS significant digits
// and never fewer digits after the point than the argument has.

// numericMaxResultScale is NUMERIC_MAX_RESULT_SCALE, which also bounds exp's argument.
const numericMaxResultScale = 2000

// numericFuncs are the one-argument numeric functions; NaN never reaches them.
var numericFuncs = map[string]func(schema.Decimal) (schema.Decimal, error){
	"round":   func(d schema.Decimal) (schema.Decimal, error) { return d.Rescale(0), nil },
	"trunc":   func(d schema.Decimal) (schema.Decimal, error) { return d.Truncate(0), nil },
	"floor":   func(d schema.Decimal) (schema.Decimal, error) { return d.Floor(), nil },
	"ceil":    func(d schema.Decimal) (schema.Decimal, error) { return d.Ceil(), nil },
	"ceiling": func(d schema.Decimal) (schema.Decimal, error) { return d.Ceil(), nil },
	"sign":    func(d schema.Decimal) (schema.Decimal, error) { return schema.DecimalFromInt(int64(d.Sign())), nil },
	"sqrt":    numericSqrt,
	"exp":     numericExp,
	"ln":      numericLn,
	"log":     func(d schema.Decimal) (schema.Decimal, error) { return numericLog(schema.DecimalFromInt(10), d) },
	"log10":   func(d schema.Decimal) (schema.Decimal, error) { return numericLog(schema.DecimalFromInt(10), d) },
}

// clampScale applies the bounds every result scale gets: at least the display scales given,
// at least 0, at most NUMERIC_MAX_DISPLAY_SCALE.
func clampScale(rscale int, scales ...int32) int32 {
	for _, s := range scales {
		rscale = max(rscale, int(s))
	}
	return int32(min(max(rscale, 0), numericMaxDisplay))
}

func numericSqrt(d schema.Decimal) (schema.Decimal, error) {
	if d.Sign() < 0 {
		return d, errSqrtNegative()
	}
	w, _ := nbaseLead(d)
	sweight := (w+1)*decDigits/2 - 1
	return d.SqrtRound(clampScale(numericMinSigDigits-sweight, d.Scale())), nil
}

func numericExp(d schema.Decimal) (schema.Decimal, error) {
	weight := d.Float64() * 0.434294481903252 // log10(e^x): about the result's decimal weight
	val := max(min(weight, numericMaxResultScale), -numericMaxResultScale)
	rscale := clampScale(numericMinSigDigits-int(val), d.Scale())
	if x := d.Float64(); math.Abs(x) >= numericMaxResultScale*3 {
		if x > 0 {
			return d, errNumericOverflow()
		}
		return schema.DecimalFromInt(0).Rescale(rscale), nil
	}
	return d.ExpRound(rscale, int(weight)+2), nil
}

func numericLn(d schema.Decimal) (schema.Decimal, error) {
	if err := checkLogArg(d); err != nil {
		return d, err
	}
	rscale := clampScale(numericMinSigDigits-estimateLnDweight(d), d.Scale())
	return schema.DecimalFromBigFloat(d.LnBig(bitsForDigits(int(rscale)+8)), rscale), nil
}

func checkLogArg(d schema.Decimal) error {
	switch d.Sign() {
	case 0:
		return errLogZero()
	case -1:
		return errLogNegative()
	}
	return nil
}

// bitsForDigits is the big.Float precision that carries digits decimal digits.
func bitsForDigits(digits int) uint { return uint(max(digits, 1))*3322/1000 + 64 }

// numericLog is log(b, x), PostgreSQL's log_var: the result scale comes from the estimated
// weights of ln b and ln x.
func numericLog(b, x schema.Decimal) (schema.Decimal, error) {
	if err := checkLogArg(b); err != nil {
		return b, err
	}
	if err := checkLogArg(x); err != nil {
		return x, err
	}
	if b.Cmp(schema.DecimalFromInt(1)) == 0 {
		return b, errDivisionByZero()
	}
	dweight := estimateLnDweight(x) - estimateLnDweight(b)
	rscale := clampScale(numericMinSigDigits-dweight, b.Scale(), x.Scale())
	prec := bitsForDigits(int(rscale) + max(dweight, 0) + 8)
	lx, lb := x.LnBig(prec), b.LnBig(prec)
	return schema.DecimalFromBigFloat(lx.Quo(lx, lb), rscale), nil
}

// estimateLnDweight is PostgreSQL's estimate of the decimal weight of ln(d), for d > 0: from
// d - 1 near 1, else from d's first two base-10000 digits.
func estimateLnDweight(d schema.Decimal) int {
	if d.Sign() <= 0 {
		return 0
	}
	lo, hi := schema.NewDecimal(big.NewInt(9), 1), schema.NewDecimal(big.NewInt(11), 1)
	if d.Cmp(lo) >= 0 && d.Cmp(hi) <= 0 {
		x := d.Sub(schema.DecimalFromInt(1))
		if x.Sign() == 0 {
			return 0
		}
		return x.Weight10()
	}
	w, first := nbaseLead(d)
	digits, dweight := float64(first), w*decDigits
	if rest := d.Sub(schema.NewDecimal(big.NewInt(first), 0).Mul(pow10000(w))); rest.Sign() != 0 {
		_, second := nbaseLead2(d, w)
		digits, dweight = digits*10000+float64(second), dweight-decDigits
	}
	ln := math.Log(digits) + float64(dweight)*2.302585092994046
	return int(math.Log10(math.Abs(ln)))
}

// pow10000 returns 10000^w as a Decimal (w may be negative).
func pow10000(w int) schema.Decimal {
	if w >= 0 {
		return schema.NewDecimal(new(big.Int).Exp(big.NewInt(10000), big.NewInt(int64(w)), nil), 0)
	}
	return schema.NewDecimal(big.NewInt(1), int32(-w*decDigits))
}

// nbaseLead2 returns the second base-10000 digit of d, whose first digit has weight w.
func nbaseLead2(d schema.Decimal, w int) (int, int64) {
	c := d.Abs().Mul(pow10000(1 - w)).Truncate(0).Coef() // the first two digits as an integer
	return w - 1, new(big.Int).Rem(c, big.NewInt(10000)).Int64()
}

// numericPower is PostgreSQL's power(numeric, numeric).
func numericPower(b, e schema.Decimal) (schema.Decimal, error) {
	one := schema.DecimalFromInt(1)
	switch {
	case b.IsNaN():
		if e.IsNaN() || e.Sign() != 0 {
			return b, nil
		}
		return one, nil
	case e.IsNaN():
		if b.Cmp(one) != 0 {
			return e, nil
		}
		return one, nil
	case b.Sign() == 0 && e.Sign() < 0:
		return b, errZeroNegativePower()
	}
	integral := e.Cmp(e.Truncate(0)) == 0
	if b.Sign() < 0 && !integral {
		return b, errComplexPower()
	}
	if n, ok := e.Int64(); integral && ok && n >= math.MinInt32 && n <= math.MaxInt32 {
		return powerInt(b, n, clampScale(numericMinSigDigits, b.Scale()))
	}
	if b.Sign() == 0 {
		return schema.DecimalFromInt(0).Rescale(numericMinSigDigits), nil
	}
	ln := math.Log(b.Float64()) * e.Float64()
	if math.IsNaN(ln) || math.IsInf(b.Float64(), 0) {
		ln = float64(b.Weight10()) * 2.302585092994046 * e.Float64()
	}
	if math.Abs(ln) > numericMaxResultScale*3.01 {
		if ln > 0 {
			return b, errNumericOverflow()
		}
		return schema.DecimalFromInt(0).Rescale(numericMaxDisplay), nil
	}
	val := ln * 0.434294481903252
	rscale := clampScale(numericMinSigDigits-int(val), b.Scale(), e.Scale())
	return expOfProduct(b.Abs(), e, false, rscale, int(val)), nil
}

// powerInt is b^n for an integer n, at scale rscale: exactly when the power is small enough
// to compute in full, else through exp(n·ln|b|).
func powerInt(b schema.Decimal, n int64, rscale int32) (schema.Decimal, error) {
	if n == 0 {
		return schema.DecimalFromInt(1).Rescale(rscale), nil
	}
	if b.Sign() == 0 {
		return b.Rescale(rscale), nil
	}
	absN := n
	if n < 0 {
		absN = -n
	}
	digits := float64(len(b.Coef().String())) * float64(absN)
	weight := log10Abs(b) * float64(n) // about the result's decimal weight
	if weight > schema.MaxNumericWeight+1 {
		return b, errNumericOverflow()
	}
	// The exact power has digits digits; the result needs about weight + rscale of them. When
	// those are comparable, or the result is huge anyway, multiplying out is the cheaper way.
	if digits <= 20000+4*(math.Abs(weight)+float64(rscale)) || weight > 5000 && digits <= 4e6 {
		p := b.PowInt(absN)
		if n > 0 {
			return p.Rescale(rscale), nil
		}
		return schema.DecimalFromInt(1).QuoRound(p, rscale), nil
	}
	if weight < -float64(rscale)-2 {
		return schema.DecimalFromInt(0).Rescale(rscale), nil
	}
	return expOfProduct(b.Abs(), schema.DecimalFromInt(n), b.Sign() < 0 && n%2 != 0, rscale, int(weight)), nil
}

// expOfProduct returns ±exp(e·ln b) for b > 0 rounded to rscale, with resultWeight the
// approximate decimal weight of the result (for the working precision).
func expOfProduct(b, e schema.Decimal, neg bool, rscale int32, resultWeight int) schema.Decimal {
	prec := bitsForDigits(int(rscale) + max(resultWeight, 0) + 10)
	y := b.LnBig(prec + 64 + uint(max(e.Weight10()+resultWeight, 0))*4)
	y.Mul(y, e.BigFloat(y.Prec()))
	r := schema.DecimalFromBigFloat(schema.ExpBig(y, prec), rscale)
	if neg {
		r = r.Neg()
	}
	return r
}

// log10Abs is log10|d| as a float, also for numerics beyond the float range.
func log10Abs(d schema.Decimal) float64 {
	f := math.Abs(d.Float64())
	if f == 0 || math.IsInf(f, 0) {
		return float64(d.Weight10()) // a numeric too large or too small for a float
	}
	return math.Log10(f)
}
