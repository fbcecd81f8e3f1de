package executor

import (
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// The date/time functions: the clock (now() and its SQL spellings), date_trunc, extract and
// date_part, age, make_date and justify_*. now() is the transaction's start, the same for
// every statement of a transaction; statement_timestamp() the statement's; clock_timestamp()
// reads the clock on every call. The session time zone is UTC.

func init() {
	txClock := func(t schema.Type) scalarFunc {
		return func(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
			if len(args) != 0 {
				return nil, errNoFunction(n, args)
			}
			v, err := convert(schema.TimestampTZMicros(c.x.env.TxStart.UnixMicro()), t, false)
			return constant(v, t, n.Name), err
		}
	}
	for _, name := range []string{"now", "current_timestamp", "transaction_timestamp"} {
		registerScalar(name, txClock(schema.TimestampTZ))
	}
	registerScalar("localtimestamp", txClock(schema.Timestamp))
	registerScalar("current_date", txClock(schema.Date))
	registerScalar("statement_timestamp", func(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
		if len(args) != 0 {
			return nil, errNoFunction(n, args)
		}
		return constant(schema.TimestampTZMicros(c.x.stmtStart.UnixMicro()), schema.TimestampTZ, n.Name), nil
	})
	registerScalar("clock_timestamp", func(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
		if len(args) != 0 {
			return nil, errNoFunction(n, args)
		}
		return &expr{typ: schema.TimestampTZ, name: n.Name, eval: func(schema.Row) (schema.Value, error) {
			return schema.TimestampTZMicros(time.Now().UnixMicro()), nil
		}}, nil
	})
	registerScalar("date_trunc", dateTrunc)
	registerScalar("date_part", datePart)
	registerScalar("extract", datePart)
	registerScalar("age", age)
	registerScalar("make_date", makeDate)
	registerScalar("timezone", atTimeZone)
	registerScalar("justify_days", justify(justifyDays))
	registerScalar("justify_hours", justify(justifyHours))
	registerScalar("justify_interval", justify(justifyInterval))
}

// unitArg compiles the text argument naming a unit: a constant is resolved once, otherwise
// per row. It returns a function giving the unit's canonical name.
func unitArg(n *parser.FuncCall, args []*expr) (func(schema.Row) (string, bool, error), error) {
	a, err := coerce(args[0], schema.Text, n)
	if err != nil {
		return nil, err
	}
	if a.typ.Kind != schema.KindText {
		return nil, errNoFunction(n, args)
	}
	ev := a.eval
	return func(row schema.Row) (string, bool, error) {
		v, err := ev(row)
		if err != nil || v.IsNull() {
			return "", false, err
		}
		u := strings.ToLower(strings.TrimSpace(v.Text()))
		if c, ok := unitNames[u]; ok {
			return c, true, nil
		}
		return u, true, nil
	}, nil
}

// unitNames maps the spellings PostgreSQL accepts for a unit to its canonical name.
var unitNames = map[string]string{}

func init() {
	for canon, spellings := range map[string]string{
		"microseconds": "microsecond microseconds us usec usecs useconds",
		"milliseconds": "millisecond milliseconds ms msec msecs mseconds",
		"second":       "second seconds s sec secs",
		"minute":       "minute minutes m min mins",
		"hour":         "hour hours h hr hrs",
		"day":          "day days d",
		"week":         "week weeks w",
		"month":        "month months mon mons",
		"quarter":      "quarter qtr",
		"year":         "year years y yr yrs",
		"decade":       "decade decades dec decs",
		"century":      "century centuries c cent",
		"millennium":   "millennium millennia mil mils",
		"epoch":        "epoch",
		"dow":          "dow",
		"isodow":       "isodow",
		"doy":          "doy",
		"isoyear":      "isoyear",
		"timezone":     "timezone",
		"julian":       "julian",
	} {
		for _, s := range strings.Fields(spellings) {
			unitNames[s] = canon
		}
	}
}

// timeArg checks the date/time argument of date_trunc, date_part and extract: a typed value
// (an unknown one makes the call ambiguous, as in PostgreSQL).
func timeArg(n *parser.FuncCall, args []*expr, interval bool) error {
	if len(args) != 2 {
		return errNoFunction(n, args)
	}
	if isUnknown(args[1].typ) {
		name := n.Name
		if name == "extract" {
			name = "pg_catalog.extract"
		}
		return errAt(n, codeAmbiguousFunction, "function %s(unknown, unknown) is not unique", name)
	}
	if isDateTime(args[1].typ) || interval && args[1].typ.Kind == schema.KindInterval {
		return nil
	}
	return errNoFunction(n, args)
}

func errUnit(u string, t schema.Type, known bool) error {
	if known {
		return schema.Errorf(schema.CodeFeatureUnsupported, "unit %q not supported for type %s", u, t)
	}
	return schema.Errorf(schema.CodeInvalidParameter, "unit %q not recognized for type %s", u, t)
}

// dateTrunc is date_trunc(unit, timestamp | timestamptz | interval); a date is truncated as a
// timestamptz, the type PostgreSQL prefers.
func dateTrunc(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if err := timeArg(n, args, true); err != nil {
		return nil, err
	}
	unit, err := unitArg(n, args)
	if err != nil {
		return nil, err
	}
	x := args[1]
	if x.typ.Kind == schema.KindDate {
		x = castTo(x, schema.TimestampTZ)
	}
	t, ev := x.typ, x.eval
	return &expr{typ: t, name: n.Name, konst: args[0].konst && x.konst, eval: func(row schema.Row) (schema.Value, error) {
		u, ok, err := unit(row)
		if err != nil || !ok {
			return schema.Null, err
		}
		v, err := ev(row)
		if err != nil || v.IsNull() {
			return v, err
		}
		if t.Kind == schema.KindInterval {
			return truncInterval(u, v)
		}
		us, err := truncInstant(u, v.Micros(), t)
		if err != nil {
			return schema.Null, err
		}
		if t.Kind == schema.KindTimestampTZ {
			return schema.TimestampTZMicros(us), nil
		}
		return schema.TimestampMicros(us), nil
	}}, nil
}

// fields is a broken-down timestamp or interval.
type fields struct {
	year              int64 // astronomical: 0 is 1 BC
	mon, mday         int   // for an interval, months 0-11 and days
	hour, min, sec    int64
	fsec              int64 // microseconds
	days, tod, months int64 // as stored
}

func instantFields(us int64) fields {
	days, tod := schema.SplitMicros(us)
	y, m, d := schema.CivilFromDays(days)
	return fields{year: y, mon: m, mday: d, hour: tod / 3_600_000_000, min: tod / 60_000_000 % 60,
		sec: tod / 1_000_000 % 60, fsec: tod % 1_000_000, days: days, tod: tod}
}

func intervalFields(v schema.Value) fields {
	m, d, us := v.Interval()
	return fields{year: int64(m / 12), mon: int(m % 12), mday: int(d), hour: us / 3_600_000_000,
		min: us / 60_000_000 % 60, sec: us / 1_000_000 % 60, fsec: us % 1_000_000, months: int64(m)}
}

// truncInstant is date_trunc on a timestamp's microseconds, each unit clearing the fields
// below it as PostgreSQL's fall-through switch does.
func truncInstant(u string, us int64, t schema.Type) (int64, error) {
	if isInfinite(us) {
		if _, ok := truncOrder[u]; ok || u == "week" {
			return us, nil
		}
	}
	f := instantFields(us)
	if u == "week" {
		wd := (int(f.days%7) + 7 + 5) % 7 // days since Monday; 2000-01-01 was a Saturday
		return schema.DateMicros(f.days - int64(wd)), nil
	}
	level, ok := truncOrder[u]
	if !ok {
		return 0, errUnit(u, t, unitKnown(u))
	}
	y := f.year
	switch u {
	case "millennium":
		if y > 0 {
			y = (y+999)/1000*1000 - 999
		} else {
			y = -((999-(y-1))/1000)*1000 + 1
		}
	case "century":
		if y > 0 {
			y = (y+99)/100*100 - 99
		} else {
			y = -((99-(y-1))/100)*100 + 1
		}
	case "decade":
		if y > 0 {
			y = y / 10 * 10
		} else {
			y = -((8 - (y - 1)) / 10) * 10
		}
	}
	m, d := f.mon, f.mday
	if level >= truncOrder["year"] {
		m = 1
	} else if level == truncOrder["quarter"] {
		m = 3*((m-1)/3) + 1
	}
	if level >= truncOrder["month"] {
		d = 1
	}
	tod := f.tod
	if level >= truncOrder["day"] {
		tod = 0
	} else {
		tod = truncTime(tod, level)
	}
	r := schema.DateMicros(schema.DaysFromCivil(y, m, d)) + tod
	return r, checkMicros(r)
}

// truncOrder ranks the units of date_trunc, smallest first.
var truncOrder = map[string]int{"microseconds": 0, "milliseconds": 1, "second": 2, "minute": 3, "hour": 4,
	"day": 5, "month": 6, "quarter": 7, "year": 8, "decade": 9, "century": 10, "millennium": 11}

// truncTime truncates microseconds (toward zero) to the unit of level, below a day.
func truncTime(us int64, level int) int64 {
	for _, step := range [...]struct {
		level int
		unit  int64
	}{{4, 3_600_000_000}, {3, 60_000_000}, {2, 1_000_000}, {1, 1000}} {
		if level >= step.level {
			return us - us%step.unit
		}
	}
	return us
}

func unitKnown(u string) bool {
	_, ok := unitNames[u]
	return ok && unitNames[u] == u
}

// truncInterval is date_trunc on an interval.
func truncInterval(u string, v schema.Value) (schema.Value, error) {
	level, ok := truncOrder[u]
	if !ok {
		return schema.Null, errUnit(u, schema.Interval, unitKnown(u))
	}
	f := intervalFields(v)
	y, mon, day := f.year, int64(f.mon), int64(f.mday)
	_, _, us := v.Interval()
	switch {
	case level == truncOrder["millennium"]:
		y = y / 1000 * 1000
	case level == truncOrder["century"]:
		y = y / 100 * 100
	case level == truncOrder["decade"]:
		y = y / 10 * 10
	}
	if level >= truncOrder["year"] {
		mon = 0
	} else if level == truncOrder["quarter"] {
		mon = 3 * (mon / 3)
	}
	if level >= truncOrder["month"] {
		day = 0
	}
	if level >= truncOrder["day"] {
		us = 0
	} else {
		us = truncTime(us, level)
	}
	return interval{y*12 + mon, day, us}.value()
}

// datePart is date_part(unit, x), which returns double precision, and extract(unit FROM x),
// which returns numeric as in PostgreSQL 15 (extractNumeric).
func datePart(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if err := timeArg(n, args, true); err != nil {
		return nil, err
	}
	unit, err := unitArg(n, args)
	if err != nil {
		return nil, err
	}
	x := args[1]
	if x.typ.Kind == schema.KindDate && n.Name == "date_part" {
		x = castTo(x, schema.Timestamp) // date_part has no date variant; extract does
	}
	t, ev := x.typ, x.eval
	typ, extract := schema.Double, n.Name == "extract"
	if extract {
		typ = schema.Numeric
	}
	return &expr{typ: typ, name: n.Name, konst: args[0].konst && x.konst, eval: func(row schema.Row) (schema.Value, error) {
		u, ok, err := unit(row)
		if err != nil || !ok {
			return schema.Null, err
		}
		v, err := ev(row)
		if err != nil || v.IsNull() {
			return v, err
		}
		var part schema.Value
		if t.Kind == schema.KindInterval {
			part, err = intervalPart(u, v)
		} else {
			part, err = instantPart(u, v, t)
		}
		if err != nil || part.IsNull() || !extract {
			return part, err
		}
		return extractNumeric(u, v, t, part.Float())
	}}, nil
}

// extractNumeric is extract's numeric result for the field u of v (of type t), whose value as
// a double is f. PostgreSQL gives seconds and epochs six decimals (the microseconds, exactly),
// milliseconds three and every other field none — except an instant's Julian day, which is the
// day number plus the fraction of the day as a numeric division.
func extractNumeric(u string, v schema.Value, t schema.Type, f float64) (schema.Value, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return schema.Null, errAtPos(parser.Pos{}, schema.CodeFeatureUnsupported, "extract(%s) of an infinite value does not fit numeric here", u)
	}
	scale := int32(0)
	switch {
	case u == "second" || u == "epoch" && t.Kind != schema.KindDate:
		scale = 6
	case u == "milliseconds":
		scale = 3
	case u == "julian" && t.Kind != schema.KindDate:
		const dayMicros = 86_400_000_000
		us, _ := instantOf(v)
		day, frac := floorDiv64(us, dayMicros), us-floorDiv64(us, dayMicros)*dayMicros
		a, b := schema.DecimalFromInt(frac), schema.DecimalFromInt(dayMicros)
		julian := schema.DecimalFromInt(day + unixEpochJulian).Add(a.QuoRound(b, divScale(a, b)))
		return schema.Num(julian), nil
	}
	// The double carries every field exactly up to microseconds (epochs to about year 2255);
	// rounding it to the scale recovers the exact decimal.
	coef := math.Round(f * math.Pow10(int(scale)))
	return schema.Num(schema.NewDecimal(big.NewInt(int64(coef)), scale)), nil
}

// unixEpochJulian is the Julian day number of 1970-01-01.
const unixEpochJulian = 2440588

func floorDiv64(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
