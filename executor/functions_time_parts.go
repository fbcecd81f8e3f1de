package executor

import (
	"math"
	"time"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// The fields of extract and date_part, and the functions that build or compare dates and
// intervals field by field: age, make_date and the justify family.

// instantPart is one field of a date, timestamp or timestamptz.
func instantPart(u string, v schema.Value, t schema.Type) (schema.Value, error) {
	us, _ := instantOf(v)
	if isInfinite(us) {
		switch u {
		case "epoch", "year", "decade", "century", "millennium", "isoyear", "julian":
			return schema.Float(math.Inf(int(us>>63) | 1)), nil
		}
		if _, ok := unitNames[u]; ok && unitNames[u] == u && u != "timezone" {
			return schema.Null, nil
		}
		return schema.Null, errUnit(u, t, unitKnown(u))
	}
	f := instantFields(us)
	sec := float64(f.sec) + float64(f.fsec)/1e6
	var r float64
	switch u {
	case "microseconds", "milliseconds", "second", "minute", "hour":
		if t.Kind == schema.KindDate {
			return schema.Null, errUnit(u, t, true)
		}
		switch u {
		case "microseconds":
			r = float64(f.sec*1_000_000 + f.fsec)
		case "milliseconds":
			r = float64(f.sec*1000) + float64(f.fsec)/1000
		case "second":
			r = sec
		case "minute":
			r = float64(f.min)
		default:
			r = float64(f.hour)
		}
	case "day":
		r = float64(f.mday)
	case "month":
		r = float64(f.mon)
	case "quarter":
		r = float64((f.mon-1)/3 + 1)
	case "year":
		r = float64(f.year)
		if f.year <= 0 {
			r = float64(f.year - 1)
		}
	case "decade":
		if f.year >= 0 {
			r = float64(f.year / 10)
		} else {
			r = float64(-((8 - (f.year - 1)) / 10))
		}
	case "century":
		if f.year > 0 {
			r = float64((f.year + 99) / 100)
		} else {
			r = float64(-((99 - (f.year - 1)) / 100))
		}
	case "millennium":
		if f.year > 0 {
			r = float64((f.year + 999) / 1000)
		} else {
			r = float64(-((999 - (f.year - 1)) / 1000))
		}
	case "epoch":
		r = float64(us) / 1e6
		if us%1_000_000 == 0 {
			r = float64(us / 1_000_000)
		}
	case "dow", "isodow":
		wd := (f.days%7 + 7 + 6) % 7 // 2000-01-01 was a Saturday (6)
		if u == "isodow" && wd == 0 {
			wd = 7
		}
		r = float64(wd)
	case "doy":
		r = float64(f.days - schema.DaysFromCivil(f.year, 1, 1) + 1)
	case "week", "isoyear":
		y, w := time.Date(int(f.year), time.Month(f.mon), f.mday, 0, 0, 0, 0, time.UTC).ISOWeek()
		r = float64(w)
		if u == "isoyear" {
			r = float64(y)
			if y <= 0 {
				r = float64(y - 1)
			}
		}
	case "julian":
		// The Julian day: 2000-01-01 is day 2451545; a time of day adds its fraction.
		r = float64(f.days + 2451545)
		if f.tod != 0 {
			r += float64(f.tod) / schema.MicrosPerDay
		}
	case "timezone":
		if t.Kind != schema.KindTimestampTZ {
			return schema.Null, errUnit(u, t, true)
		}
		r = 0 // the session time zone is UTC
	default:
		return schema.Null, errUnit(u, t, false)
	}
	return schema.Float(r), nil
}

// intervalPart is one field of an interval.
func intervalPart(u string, v schema.Value) (schema.Value, error) {
	f := intervalFields(v)
	var r float64
	switch u {
	case "microseconds":
		r = float64(f.sec*1_000_000 + f.fsec)
	case "milliseconds":
		r = float64(f.sec*1000) + float64(f.fsec)/1000
	case "second":
		r = float64(f.sec) + float64(f.fsec)/1e6
	case "minute":
		r = float64(f.min)
	case "hour":
		r = float64(f.hour)
	case "day":
		r = float64(f.mday)
	case "month":
		r = float64(f.mon)
	case "quarter":
		r = float64(f.mon/3 + 1)
	case "year":
		r = float64(f.year)
	case "decade":
		r = float64(f.year / 10)
	case "century":
		r = float64(f.year / 100)
	case "millennium":
		r = float64(f.year / 1000)
	case "epoch":
		m, d, us := v.Interval()
		r = float64(us)/1e6 + 365.25*86400*float64(m/12) + 30.0*86400*float64(m%12) + 86400.0*float64(d)
	default:
		return schema.Null, errUnit(u, schema.Interval, unitKnown(u))
	}
	return schema.Float(r), nil
}

// age is age(a, b), the difference "in years, months and days" as PostgreSQL computes it by
// subtracting field by field and borrowing from the larger fields; age(x) is age from
// midnight of the current date.
func age(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) == 1 {
		today := schema.DateMicros(daysOf(c.x.env.TxStart.UnixMicro()))
		args = []*expr{constant(schema.TimestampMicros(today), schema.Timestamp, ""), args[0]}
	}
	if len(args) != 2 {
		return nil, errNoFunction(n, args)
	}
	l, r, err := unifyOperands(n, args[0], args[1])
	if err != nil {
		return nil, err
	}
	if !isDateTime(l.typ) || !isDateTime(r.typ) {
		return nil, errNoFunction(n, args)
	}
	if l, r = widenDateTimes(l, r); l.typ.Kind == schema.KindDate {
		l, r = castTo(l, schema.TimestampTZ), castTo(r, schema.TimestampTZ)
	}
	return &expr{typ: schema.Interval, name: n.Name, konst: l.konst && r.konst, eval: strict2(l, r, func(a, b schema.Value) (schema.Value, error) {
		return ageOf(a.Micros(), b.Micros())
	})}, nil
}

func ageOf(a, b int64) (schema.Value, error) {
	if isInfinite(a) || isInfinite(b) {
		return schema.Null, schema.Errorf(codeDatetimeOverflow, "interval out of range")
	}
	f1, f2 := instantFields(a), instantFields(b)
	year, mon, mday := f1.year-f2.year, int64(f1.mon-f2.mon), int64(f1.mday-f2.mday)
	hour, min, sec, fsec := f1.hour-f2.hour, f1.min-f2.min, f1.sec-f2.sec, f1.fsec-f2.fsec
	neg := a < b
	if neg {
		year, mon, mday, hour, min, sec, fsec = -year, -mon, -mday, -hour, -min, -sec, -fsec
	}
	for ; fsec < 0; sec-- {
		fsec += 1_000_000
	}
	for ; sec < 0; min-- {
		sec += 60
	}
	for ; min < 0; hour-- {
		min += 60
	}
	for ; hour < 0; mday-- {
		hour += 24
	}
	for ; mday < 0; mon-- {
		if neg {
			mday += int64(daysIn(f1.year, f1.mon))
		} else {
			mday += int64(daysIn(f2.year, f2.mon))
		}
	}
	for ; mon < 0; year-- {
		mon += 12
	}
	if neg {
		year, mon, mday, hour, min, sec, fsec = -year, -mon, -mday, -hour, -min, -sec, -fsec
	}
	return interval{year*12 + mon, mday, ((hour*60+min)*60+sec)*1_000_000 + fsec}.value()
}

// makeDate is make_date(year, month, day); a negative year is BC.
func makeDate(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) != 3 {
		return nil, errNoFunction(n, args)
	}
	for i, a := range args {
		a, err := coerce(a, schema.Integer, n)
		if err != nil {
			return nil, err
		}
		if a.typ.Kind != schema.KindInt || a.typ.Width > 4 {
			return nil, errNoFunction(n, args)
		}
		args[i] = a
	}
	y, m, d := args[0].eval, args[1].eval, args[2].eval
	return &expr{typ: schema.Date, name: n.Name, konst: args[0].konst && args[1].konst && args[2].konst,
		eval: func(row schema.Row) (schema.Value, error) {
			var f [3]schema.Value
			for i, ev := range []evalFn{y, m, d} {
				v, err := ev(row)
				if err != nil || v.IsNull() {
					return schema.Null, err
				}
				f[i] = v
			}
			year, mon, day := f[0].Int(), f[1].Int(), f[2].Int()
			if year < 0 {
				year++
			}
			if year == 0 && f[0].Int() == 0 || mon < 1 || mon > 12 || day < 1 || day > int64(daysIn(year, int(mon))) {
				return schema.Null, schema.Errorf(codeDatetimeOverflow, "date field value out of range: %d-%02d-%02d", f[0].Int(), mon, day)
			}
			days := schema.DaysFromCivil(year, int(mon), int(day))
			if days < minDays || days > maxDays {
				return schema.Null, schema.Errorf(codeDatetimeOverflow, "date out of range: %d-%02d-%02d", f[0].Int(), mon, day)
			}
			return schema.DateDays(days), nil
		}}, nil
}

// justify compiles justify_days, justify_hours and justify_interval.
func justify(f func(interval) interval) scalarFunc {
	return func(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
		if len(args) != 1 {
			return nil, errNoFunction(n, args)
		}
		a, err := coerce(args[0], schema.Interval, n)
		if err != nil {
			return nil, err
		}
		if a.typ.Kind != schema.KindInterval {
			return nil, errNoFunction(n, args)
		}
		return unaryFunc(n.Name, schema.Interval, a, func(v schema.Value) (schema.Value, error) {
			return f(intervalOf(v)).value()
		}), nil
	}
}

// justifyInterval is justify_days after justify_hours, with the signs made to agree, as
// PostgreSQL 15's interval_justify_interval.
func justifyInterval(iv interval) interval {
	iv.days += iv.micros / schema.MicrosPerDay
	iv.micros %= schema.MicrosPerDay
	iv.months += iv.days / 30
	iv.days %= 30
	if iv.months > 0 && (iv.days < 0 || iv.days == 0 && iv.micros < 0) {
		iv.days += 30
		iv.months--
	} else if iv.months < 0 && (iv.days > 0 || iv.days == 0 && iv.micros > 0) {
		iv.days -= 30
		iv.months++
	}
	if iv.days > 0 && iv.micros < 0 {
		iv.micros += schema.MicrosPerDay
		iv.days--
	} else if iv.days < 0 && iv.micros > 0 {
		iv.micros -= schema.MicrosPerDay
		iv.days++
	}
	return iv
}
