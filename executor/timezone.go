package executor

import (
	"strings"
	"time"
	_ "time/tzdata" // AT TIME ZONE reads the same zone rules on every host

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// atTimeZone is x AT TIME ZONE zone, the call timezone(zone, x): a timestamptz becomes the
// wall-clock timestamp in that zone, a timestamp is read as wall-clock time there. Zones are
// IANA names (the copy of the database embedded by time/tzdata, used when the host has none)
// or the spellings of UTC. The session's own zone stays UTC.
func atTimeZone(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) != 2 {
		return nil, errNoFunction(n, args)
	}
	if isUnknown(args[1].typ) {
		return nil, errAt(n, codeAmbiguousFunction, "function timezone(unknown, unknown) is not unique")
	}
	zone, err := coerce(args[0], schema.Text, n)
	if err != nil {
		return nil, err
	}
	x := args[1]
	if x.typ.Kind == schema.KindDate {
		x = castTo(x, schema.TimestampTZ)
	}
	if zone.typ.Kind != schema.KindText || !isDateTime(x.typ) {
		return nil, errNoFunction(n, args)
	}
	toLocal := x.typ.Kind == schema.KindTimestampTZ
	t := schema.TimestampTZ
	if toLocal {
		t = schema.Timestamp
	}
	return &expr{typ: t, name: n.Name, konst: zone.konst && x.konst, eval: strict2(zone, x, func(z, v schema.Value) (schema.Value, error) {
		loc, err := location(z.Text())
		if err != nil {
			return schema.Null, err
		}
		us := v.Micros()
		if isInfinite(us) {
			if toLocal {
				return schema.TimestampMicros(us), nil
			}
			return schema.TimestampTZMicros(us), nil
		}
		if toLocal {
			_, off := time.UnixMicro(us).In(loc).Zone()
			return schema.TimestampMicros(us + int64(off)*1_000_000), nil
		}
		r := fromWallClock(us, loc)
		return schema.TimestampTZMicros(r), checkMicros(r)
	})}, nil
}

// fromWallClock is the instant at which loc's clocks show the wall-clock time w (micros as
// if UTC). Around a change of offset it decides as PostgreSQL does: a time that occurs twice
// takes the offset after the change, a time skipped takes the offset before it. (Assumes at
// most one change within a day either side, true of every real zone.)
func fromWallClock(w int64, loc *time.Location) int64 {
	offset := func(us int64) int64 {
		_, off := time.UnixMicro(us).In(loc).Zone()
		return int64(off) * 1_000_000
	}
	before, after := offset(w-schema.MicrosPerDay), offset(w+schema.MicrosPerDay)
	if i := w - after; offset(i) == after {
		return i
	}
	return w - before
}

// location finds a time zone by name.
func location(name string) (*time.Location, error) {
	if utcNames[strings.ToLower(name)] {
		return time.UTC, nil
	}
	if name != "" && name != "Local" && !strings.HasPrefix(name, "/") && !strings.Contains(name, "..") {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, nil
		}
	}
	return nil, schema.Errorf(schema.CodeInvalidParameter, "time zone %q not recognized", name)
}
