package executor

import (
	"math/big"

	"github.com/eventsql/eventsql/parser"

	"github.com/eventsql/eventsql/schema"
)

// The aggregate states that compute in exact decimals: sum of bigint or numeric, and avg of
// integers or numeric, which PostgreSQL types numeric.

// sumNumericState adds exactly. Integers are summed in an int64 while they fit, since most
// sums of bigints do; the big.Int takes over on overflow.
type sumNumericState struct {
	small  int64
	big    *big.Int // integer part beyond int64, when small overflowed
	dec    schema.Decimal
	anyDec bool // dec holds the sum of the numeric inputs
	nan    bool
	any    bool
}

func (s *sumNumericState) add(v schema.Value) error {
	s.any = true
	if v.Kind() == schema.KindInt {
		if r, err := intArith(parser.OpAdd, s.small, v.Int()); err == nil {
			s.small = r
			return nil
		}
		if s.big == nil {
			s.big = new(big.Int)
		}
		s.big.Add(s.big, big.NewInt(s.small))
		s.small = v.Int()
		return nil
	}
	d := v.Decimal()
	if d.IsNaN() {
		s.nan = true
		return nil
	}
	if !s.anyDec {
		s.dec, s.anyDec = d, true
		return nil
	}
	s.dec = s.dec.Add(d)
	return nil
}

// total returns the sum as a Decimal, or NaN.
func (s *sumNumericState) total() schema.Decimal {
	if s.nan {
		return schema.NaNDecimal
	}
	i := big.NewInt(s.small)
	if s.big != nil {
		i.Add(i, s.big)
	}
	t := schema.NewDecimal(i, 0)
	if s.anyDec {
		t = t.Add(s.dec)
	}
	return t
}

func (s *sumNumericState) result() schema.Value {
	if !s.any {
		return schema.Null
	}
	return schema.Num(s.total())
}

// avgNumericState is sum / count, divided with the scale PostgreSQL's numeric division picks
// (so avg of 1 and 2 is 1.5000000000000000).
type avgNumericState struct {
	sum sumNumericState
	n   int64
}

func (s *avgNumericState) add(v schema.Value) error {
	s.n++
	return s.sum.add(v)
}

func (s *avgNumericState) result() schema.Value {
	if s.n == 0 {
		return schema.Null
	}
	t, n := s.sum.total(), schema.DecimalFromInt(s.n)
	if t.IsNaN() {
		return schema.Num(t)
	}
	return schema.Num(t.QuoRound(n, divScale(t, n)))
}
