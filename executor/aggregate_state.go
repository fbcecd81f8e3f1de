package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// The running state of each aggregate function for one group. Every state skips NULL inputs
// (the aggregate operator does not feed them), so an aggregate over only NULLs or no rows is
// NULL — except count, which is 0.

// aggState accumulates one aggregate for one group.
type aggState interface {
	add(v schema.Value) error // v is never NULL, except for count(*)
	result() schema.Value
}

func (a *aggregate) newState() aggState {
	if s := a.newExtraState(); s != nil {
		return a.wrap(s)
	}
	var s aggState
	switch a.fn {
	case "count":
		s = &countState{}
	case "sum":
		switch a.typ.Kind {
		case schema.KindInt:
			s = &sumIntState{}
		case schema.KindNumeric:
			s = &sumNumericState{}
		default:
			s = &sumFloatState{typ: a.typ}
		}
	case "avg":
		if a.typ.Kind == schema.KindNumeric {
			s = &avgNumericState{}
		} else {
			s = &avgState{}
		}
	case "min":
		s = &extremeState{sign: -1}
	default:
		s = &extremeState{sign: 1}
	}
	return a.wrap(s)
}

type countState struct{ n int64 }

func (s *countState) add(schema.Value) error { s.n++; return nil }
func (s *countState) result() schema.Value   { return schema.Int(s.n) }

type sumIntState struct {
	sum int64
	any bool
}

func (s *sumIntState) add(v schema.Value) error {
	r, err := intArith(parser.OpAdd, s.sum, v.Int())
	if err != nil {
		return errOutOfRange(schema.BigInt)
	}
	s.sum, s.any = r, true
	return nil
}

func (s *sumIntState) result() schema.Value {
	if !s.any {
		return schema.Null
	}
	return schema.Int(s.sum)
}

type sumFloatState struct {
	typ schema.Type
	sum float64
	any bool
}

func (s *sumFloatState) add(v schema.Value) error { s.sum, s.any = s.sum+v.Float(), true; return nil }

func (s *sumFloatState) result() schema.Value {
	if !s.any {
		return schema.Null
	}
	if s.typ.Width == 4 {
		return schema.Float(float64(float32(s.sum)))
	}
	return schema.Float(s.sum)
}

type avgState struct {
	sum float64
	n   int64
}

func (s *avgState) add(v schema.Value) error { s.sum += v.Float(); s.n++; return nil }

func (s *avgState) result() schema.Value {
	if s.n == 0 {
		return schema.Null
	}
	return schema.Float(s.sum / float64(s.n))
}

// extremeState is min (sign -1) or max (sign 1). On a tie the later value wins, as in
// PostgreSQL's larger/smaller functions: it shows for values that compare equal but print
// differently, such as the intervals '1 mon' and '30 days'.
type extremeState struct {
	v    schema.Value
	sign int
}

func (s *extremeState) add(v schema.Value) error {
	if s.v.IsNull() || schema.Compare(v, s.v)*s.sign >= 0 {
		s.v = v
	}
	return nil
}

func (s *extremeState) result() schema.Value { return s.v }

// distinctState feeds its inner aggregate each distinct value once.
type distinctState struct {
	seen  map[string]bool
	inner aggState
}

func (s *distinctState) add(v schema.Value) error {
	k := schema.Key(v)
	if s.seen[k] {
		return nil
	}
	s.seen[k] = true
	return s.inner.add(v)
}

func (s *distinctState) result() schema.Value { return s.inner.result() }
