package executor

import (
	"math"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Conversions between DATE, TIMESTAMP, TIMESTAMPTZ and text, and the calendar arithmetic
// behind their operators. The session time zone is UTC, so a timestamp and a timestamptz
// with the same microseconds name the same instant and converting between them changes only
// the type.

func isDateTime(t schema.Type) bool {
	return t.Kind == schema.KindDate || t.Kind == schema.KindTimestamp || t.Kind == schema.KindTimestampTZ
}

// dateTimeRank orders the date/time types by PostgreSQL's implicit casts: date → timestamp →
// timestamptz.
func dateTimeRank(t schema.Type) int {
	switch t.Kind {
	case schema.KindDate:
		return 1
	case schema.KindTimestamp:
		return 2
	}
	return 3
}

// dateTimeWidens reports whether from → to is an implicit cast.
func dateTimeWidens(from, to schema.Type) bool { return dateTimeRank(from) <= dateTimeRank(to) }

// convertDateTime converts text, a date, timestamp or timestamptz to one of those types.
func convertDateTime(v schema.Value, to schema.Type) (schema.Value, error) {
	if v.Kind() == schema.KindText {
		switch to.Kind {
		case schema.KindDate:
			return parseDate(v.Text())
		case schema.KindTimestamp:
			return parseTimestamp(v.Text())
		case schema.KindTimestampTZ:
			return parseTimestampTZ(v.Text())
		case schema.KindInterval:
			return parseInterval(v.Text())
		}
	}
	us, ok := instantOf(v)
	if !ok {
		return schema.Null, schema.Errorf(codeCannotCoerce, "cannot cast value of type %s to %s", v.Kind(), to)
	}
	switch to.Kind {
	case schema.KindTimestamp:
		return schema.TimestampMicros(us), nil
	case schema.KindTimestampTZ:
		return schema.TimestampTZMicros(us), nil
	case schema.KindDate:
		return schema.DateDays(daysOf(us)), nil
	}
	return schema.Null, schema.Errorf(codeCannotCoerce, "cannot cast value of type %s to %s", v.Kind(), to)
}

// instantOf is a date, timestamp or timestamptz as microseconds since the Unix epoch (a date
// at its midnight).
func instantOf(v schema.Value) (int64, bool) {
	switch v.Kind() {
	case schema.KindDate:
		return schema.DateMicros(v.Days()), true
	case schema.KindTimestamp, schema.KindTimestampTZ:
		return v.Micros(), true
	}
	return 0, false
}

// daysOf is the date of an instant, keeping the infinities.
func daysOf(us int64) int64 {
	switch us {
	case schema.TimeInfinity:
		return schema.DateInfinity
	case schema.TimeNegInfinity:
		return schema.DateNegInfinity
	}
	d, _ := schema.SplitMicros(us)
	return d
}

// addInterval is timestamp + interval as PostgreSQL computes it: months first (the day
// clamped to the end of the resulting month: Jan 31 + 1 month is Feb 29 in a leap year), then
// days, then microseconds. Infinities stay infinite.
func addInterval(us int64, iv interval) (int64, error) {
	if isInfinite(us) {
		return us, nil
	}
	if iv.months != 0 {
		days, tod := schema.SplitMicros(us)
		y, m, d := schema.CivilFromDays(days)
		total := y*12 + int64(m-1) + iv.months
		y, m = floorDivMod(total, 12)
		d = min(d, daysIn(y, m))
		us = schema.DateMicros(schema.DaysFromCivil(y, m, d)) + tod
		if err := checkMicros(us); err != nil {
			return 0, err
		}
	}
	r := us + iv.days*schema.MicrosPerDay + iv.micros
	if overflowAdd(us, iv.days*schema.MicrosPerDay+iv.micros, r) {
		return 0, schema.Errorf(codeDatetimeOverflow, "timestamp out of range")
	}
	return r, checkMicros(r)
}

func floorDivMod(total, n int64) (int64, int) {
	q := total / n
	r := total % n
	if r < 0 {
		q, r = q-1, r+n
	}
	return q, int(r) + 1
}

func overflowAdd(x, y, r int64) bool { return (x^r)&(y^r) < 0 }

// subInstants is timestamp - timestamp: an interval of days and time, whole days moved out of
// the time as justify_hours does.
func subInstants(a, b int64) (schema.Value, error) {
	if isInfinite(a) || isInfinite(b) {
		return schema.Null, schema.Errorf(codeDatetimeOverflow, "cannot subtract infinite timestamps")
	}
	d := a - b
	if overflowAdd(a, -b, d) {
		return schema.Null, schema.Errorf(codeDatetimeOverflow, "interval out of range")
	}
	return justifyHours(interval{micros: d}).value()
}

// justifyHours moves whole days out of the microseconds, signs kept consistent.
func justifyHours(iv interval) interval {
	iv.days += iv.micros / schema.MicrosPerDay
	iv.micros %= schema.MicrosPerDay
	if iv.days > 0 && iv.micros < 0 {
		iv.micros += schema.MicrosPerDay
		iv.days--
	} else if iv.days < 0 && iv.micros > 0 {
		iv.micros -= schema.MicrosPerDay
		iv.days++
	}
	return iv
}

// justifyDays moves whole 30-day months out of the days.
func justifyDays(iv interval) interval {
	iv.months += iv.days / 30
	iv.days %= 30
	if iv.months > 0 && iv.days < 0 {
		iv.days += 30
		iv.months--
	} else if iv.months < 0 && iv.days > 0 {
		iv.days -= 30
		iv.months++
	}
	return iv
}

// addIntervals is interval ± interval, field by field.
func addIntervals(a, b interval, sign int64) (schema.Value, error) {
	r := interval{a.months + sign*b.months, a.days + sign*b.days, a.micros + sign*b.micros}
	if overflowAdd(a.micros, sign*b.micros, r.micros) {
		return schema.Null, schema.Errorf(codeDatetimeOverflow, "interval out of range")
	}
	return r.value()
}

// tsRound rounds to microsecond precision of seconds, PostgreSQL's TSROUND.
func tsRound(x float64) float64 { return math.RoundToEven(x*1e6) / 1e6 }

// scaleInterval is interval * factor (or / divisor when div), with PostgreSQL 15's cascade of
// fractional months into days and fractional days into seconds.
func scaleInterval(iv interval, f float64, div bool) (schema.Value, error) {
	if div && f == 0 {
		return schema.Null, errDivisionByZero()
	}
	apply := func(x float64) float64 {
		if div {
			return x / f
		}
		return x * f
	}
	mf, df := apply(float64(iv.months)), apply(float64(iv.days))
	if math.IsNaN(mf) || math.IsNaN(df) || math.Abs(mf) > math.MaxInt32 || math.Abs(df) > math.MaxInt32 {
		return schema.Null, schema.Errorf(codeDatetimeOverflow, "interval out of range")
	}
	r := interval{months: int64(mf), days: int64(df)}
	monthRemDays := tsRound((mf - float64(r.months)) * 30)
	secRem := tsRound((df - float64(r.days) + monthRemDays - math.Trunc(monthRemDays)) * 86400)
	if math.Abs(secRem) >= 86400 {
		r.days += int64(secRem / 86400)
		secRem -= math.Trunc(secRem/86400) * 86400
	}
	r.days += int64(monthRemDays)
	t := math.RoundToEven(apply(float64(iv.micros)) + secRem*1e6)
	if math.IsNaN(t) || math.Abs(t) >= 9.2e18 {
		return schema.Null, schema.Errorf(codeDatetimeOverflow, "interval out of range")
	}
	r.micros = int64(t)
	return r.value()
}

// timePrecision applies TIMESTAMP(p): the precision, 0 to 6 fractional digits of a second,
// is kept in Type.Width as p+1 (0 is no precision given: microseconds). As in PostgreSQL a
// precision above 6 is reduced to 6.
func timePrecision(t schema.Type, tn parser.TypeName) (schema.Type, error) {
	if len(tn.Args) == 0 {
		return t, nil
	}
	p := tn.Args[0]
	name := "TIMESTAMP"
	if t.Kind == schema.KindTimestampTZ {
		name = "TIMESTAMP WITH TIME ZONE"
	}
	if len(tn.Args) > 1 || p < 0 {
		return t, errAtPos(tn.At, schema.CodeInvalidParameter, "%s(%d) precision must not be negative", name, p)
	}
	t.Width = uint8(min(p, 6) + 1)
	return t, nil
}

// roundPrecision rounds a timestamp to the precision of its type as PostgreSQL's
// AdjustTimestampForTypmod does.
func roundPrecision(v schema.Value, t schema.Type) (schema.Value, error) {
	if t.Width == 0 || t.Width > 6 || v.Kind() != schema.KindTimestamp && v.Kind() != schema.KindTimestampTZ {
		return v, nil
	}
	us := v.Micros()
	if isInfinite(us) {
		return v, nil
	}
	scale := int64(1)
	for i := t.Width - 1; i < 6; i++ {
		scale *= 10
	}
	// PostgreSQL counts from 2000-01-01 and rounds that count half away from zero, so a tie
	// before 2000 rounds down.
	const from2000 = -schema.UnixEpochDays * schema.MicrosPerDay
	if t := us - from2000; t >= 0 {
		us = (t+scale/2)/scale*scale + from2000
	} else {
		us = -((-t + scale/2) / scale * scale) + from2000
	}
	if err := checkMicros(us); err != nil {
		return schema.Null, err
	}
	if v.Kind() == schema.KindTimestampTZ {
		return schema.TimestampTZMicros(us), nil
	}
	return schema.TimestampMicros(us), nil
}
