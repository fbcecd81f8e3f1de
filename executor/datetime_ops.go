package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Compiling the operators of dates, timestamps and intervals, with PostgreSQL's result types:
//
//	date ± integer → date           date - date → integer
//	date ± interval → timestamp     timestamp[tz] ± interval → timestamp[tz]
//	timestamp[tz] - timestamp[tz] → interval
//	interval ± interval → interval  interval * number, number * interval, interval / number
//
// Mixed date/timestamp/timestamptz operands are first widened along the implicit casts
// (date → timestamp → timestamptz), as for comparisons.

// isTemporal reports whether t is a date/time type or an interval.
func isTemporal(t schema.Type) bool { return isDateTime(t) || t.Kind == schema.KindInterval }

// widenDateTimes casts the narrower of two date/time operands to the wider one's type, so
// date '2024-01-01' = timestamp '2024-01-01 00:00' compares instants.
func widenDateTimes(l, r *expr) (*expr, *expr) {
	if !isDateTime(l.typ) || !isDateTime(r.typ) || l.typ.Kind == r.typ.Kind {
		return l, r
	}
	if dateTimeRank(l.typ) < dateTimeRank(r.typ) {
		return castTo(l, r.typ), r
	}
	return l, castTo(r, l.typ)
}

// resolveUnknownTemporal gives an unknown operand the type PostgreSQL's operator resolution
// picks next to a date/time operand: timestamp + '1 day' is an interval, date - '2024-01-01'
// a date, interval * '2' a double; date + '...' is ambiguous.
func resolveUnknownTemporal(n *parser.BinaryExpr, l, r *expr) (*expr, *expr, error) {
	known, unknownLeft := r.typ, true
	if isUnknown(r.typ) {
		known, unknownLeft = l.typ, false
	}
	var want schema.Type
	switch {
	case known.Kind == schema.KindInterval && (n.Op == parser.OpMul || n.Op == parser.OpDiv):
		want = schema.Double
	case known.Kind == schema.KindInterval:
		want = schema.Interval
	case n.Op == parser.OpSub:
		want = known
	case n.Op == parser.OpAdd && known.Kind != schema.KindDate:
		want = schema.Interval
	default:
		if unknownLeft {
			return nil, nil, errAt(n, codeAmbiguousFunction, "operator is not unique: unknown %s %s", n.Op, typeName(known))
		}
		return nil, nil, errAt(n, codeAmbiguousFunction, "operator is not unique: %s %s unknown", typeName(known), n.Op)
	}
	var err error
	if unknownLeft {
		l, err = coerce(l, want, n)
	} else {
		r, err = coerce(r, want, n)
	}
	return l, r, err
}

// dateTimeArith types and compiles an arithmetic operator with a date/time or interval operand.
func dateTimeArith(n *parser.BinaryExpr, out, l, r *expr) error {
	var err error
	if isUnknown(l.typ) || isUnknown(r.typ) {
		if l, r, err = resolveUnknownTemporal(n, l, r); err != nil {
			return err
		}
	}
	op := n.Op
	lk, rk := l.typ.Kind, r.typ.Kind
	dayCount := func(t schema.Type) bool { return t.Kind == schema.KindInt && t.Width <= 4 }
	set := func(t schema.Type, f func(a, b schema.Value) (schema.Value, error)) error {
		out.typ, out.eval = t, strict2(l, r, f)
		return nil
	}
	switch {
	case lk == schema.KindDate && dayCount(r.typ) && (op == parser.OpAdd || op == parser.OpSub):
		sign := int64(1)
		if op == parser.OpSub {
			sign = -1
		}
		return set(schema.Date, func(a, b schema.Value) (schema.Value, error) { return addDays(a, sign*b.Int()) })
	case dayCount(l.typ) && rk == schema.KindDate && op == parser.OpAdd:
		return set(schema.Date, func(a, b schema.Value) (schema.Value, error) { return addDays(b, a.Int()) })
	case lk == schema.KindDate && rk == schema.KindDate && op == parser.OpSub:
		return set(schema.Integer, func(a, b schema.Value) (schema.Value, error) {
			if isInfiniteDate(a.Days()) || isInfiniteDate(b.Days()) {
				return schema.Null, schema.Errorf(codeDatetimeOverflow, "cannot subtract infinite dates")
			}
			return schema.Int(a.Days() - b.Days()), nil
		})
	case isDateTime(l.typ) && rk == schema.KindInterval && (op == parser.OpAdd || op == parser.OpSub):
		sign := int64(1)
		if op == parser.OpSub {
			sign = -1
		}
		return set(instantType(l.typ), func(a, b schema.Value) (schema.Value, error) {
			return shiftInstant(a, intervalOf(b), sign)
		})
	case lk == schema.KindInterval && isDateTime(r.typ) && op == parser.OpAdd:
		return set(instantType(r.typ), func(a, b schema.Value) (schema.Value, error) {
			return shiftInstant(b, intervalOf(a), 1)
		})
	case isDateTime(l.typ) && isDateTime(r.typ) && op == parser.OpSub:
		l, r = widenDateTimes(l, r)
		return set(schema.Interval, func(a, b schema.Value) (schema.Value, error) {
			x, _ := instantOf(a)
			y, _ := instantOf(b)
			return subInstants(x, y)
		})
	case lk == schema.KindInterval && rk == schema.KindInterval && (op == parser.OpAdd || op == parser.OpSub):
		sign := int64(1)
		if op == parser.OpSub {
			sign = -1
		}
		return set(schema.Interval, func(a, b schema.Value) (schema.Value, error) {
			return addIntervals(intervalOf(a), intervalOf(b), sign)
		})
	case lk == schema.KindInterval && isNumeric(r.typ) && (op == parser.OpMul || op == parser.OpDiv):
		div := op == parser.OpDiv
		return set(schema.Interval, func(a, b schema.Value) (schema.Value, error) {
			return scaleInterval(intervalOf(a), b.Float(), div)
		})
	case isNumeric(l.typ) && rk == schema.KindInterval && op == parser.OpMul:
		return set(schema.Interval, func(a, b schema.Value) (schema.Value, error) {
			return scaleInterval(intervalOf(b), a.Float(), false)
		})
	}
	return errOperator(n, op.String(), l.typ, r.typ)
}

// instantType is the type of date/timestamp ± interval: a date becomes a timestamp.
func instantType(t schema.Type) schema.Type {
	if t.Kind == schema.KindDate {
		return schema.Timestamp
	}
	return t
}

// shiftInstant adds sign × iv to a date (as its midnight), timestamp or timestamptz.
func shiftInstant(v schema.Value, iv interval, sign int64) (schema.Value, error) {
	us, _ := instantOf(v)
	us, err := addInterval(us, interval{sign * iv.months, sign * iv.days, sign * iv.micros})
	if err != nil {
		return schema.Null, err
	}
	if v.Kind() == schema.KindTimestampTZ {
		return schema.TimestampTZMicros(us), nil
	}
	return schema.TimestampMicros(us), nil
}

func isInfiniteDate(d int64) bool { return d == schema.DateInfinity || d == schema.DateNegInfinity }

// addDays is date + integer.
func addDays(v schema.Value, n int64) (schema.Value, error) {
	d := v.Days()
	if isInfiniteDate(d) {
		return v, nil
	}
	d += n
	if d < minDays || d > maxDays {
		return schema.Null, schema.Errorf(codeDatetimeOverflow, "date out of range")
	}
	return schema.DateDays(d), nil
}

// negateInterval compiles -interval.
func negateInterval(n *parser.UnaryExpr, x *expr) *expr {
	if n.Op == parser.OpPlus {
		return x
	}
	ev := x.eval
	return &expr{typ: schema.Interval, konst: x.konst, name: anonymous, eval: func(row schema.Row) (schema.Value, error) {
		v, err := ev(row)
		if err != nil || v.IsNull() {
			return v, err
		}
		iv := intervalOf(v)
		if iv.micros == -1<<63 {
			return schema.Null, schema.Errorf(codeDatetimeOverflow, "interval out of range")
		}
		return interval{-iv.months, -iv.days, -iv.micros}.value()
	}}
}
