package executor

import (
	"math"
	"strings"

	"github.com/eventsql/eventsql/schema"
)

// The input functions of DATE, TIMESTAMP and TIMESTAMPTZ: the forms PostgreSQL accepts most
// often. A date is 'YYYY-MM-DD' (also 'YYYYMMDD', 'YYYY/MM/DD' and, DateStyle MDY, 'MM/DD/YYYY'),
// optionally followed by ' BC'; a time of day is 'HH:MM[:SS[.ffffff]]' after a space or a 'T';
// a zone is 'Z', 'UTC', 'GMT' or a numeric offset '+HH', '+HHMM', '+HH:MM'. The words
// 'infinity', '-infinity' and 'epoch' are accepted; relative words ('now', 'today') are not.
// The session time zone is always UTC, so a timestamptz without a zone is read as UTC.

// dateTime is a parsed date/time string.
type dateTime struct {
	inf       int   // +1 'infinity', -1 '-infinity', 0 a finite value
	days      int64 // the date, days since 2000-01-01
	tod       int64 // microseconds since midnight
	offset    int64 // the zone's offset east of UTC, in seconds
	hasTime   bool
	hasOffset bool
}

// The limits of timestamps, which also bound our dates: from 4714-11-24 BC, as PostgreSQL,
// to the end of 294246 AD, a little short of PostgreSQL's 294276 AD because our microseconds
// count from 1970 rather than 2000 and must fit in an int64.
var (
	minDays = schema.DaysFromCivil(-4713, 11, 24)
	maxDays = schema.DaysFromCivil(294247, 1, 1) - 1
)

// dtError says why a string is not a date/time: syntax (22007) or a field out of range (22008).
type dtError uint8

const (
	dtOK dtError = iota
	dtSyntax
	dtField
	dtRange
	dtZone
)

// parseDateTime reads s; the caller reports errors in the words of its type.
func parseDateTime(s string) (dateTime, dtError) {
	var dt dateTime
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "infinity":
		dt.inf = 1
		return dt, dtOK
	case "-infinity":
		dt.inf = -1
		return dt, dtOK
	case "epoch":
		dt.days = schema.UnixEpochDays
		return dt, dtOK
	}
	bc := false
	if rest, ok := strings.CutSuffix(t, " bc"); ok {
		t, bc = strings.TrimSpace(rest), true
	} else if rest, ok := strings.CutSuffix(t, " ad"); ok {
		t = strings.TrimSpace(rest)
	}
	end := strings.IndexAny(t, " t")
	if end < 0 {
		end = len(t)
	}
	y, m, d, ok := parseYMD(t[:end])
	if !ok {
		return dt, dtSyntax
	}
	if y < 1 {
		return dt, dtField // there is no year 0
	}
	if bc {
		y = 1 - y
	}
	if end < len(t) && t[end] == 't' && end == len(t)-1 {
		return dt, dtSyntax // a 'T' must be followed by a time
	}
	if rest := strings.TrimSpace(strings.TrimPrefix(t[end:], "t")); rest != "" {
		if e := dt.parseClock(rest); e != dtOK {
			return dt, e
		}
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return dt, dtField
	}
	dt.days = schema.DaysFromCivil(y, m, d)
	if dt.days < minDays || dt.days > maxDays {
		return dt, dtRange
	}
	return dt, dtOK
}

// parseYMD reads the date part: Y-M-D, Y/M/D, M/D/Y or YYYYMMDD.
func parseYMD(s string) (y int64, m, d int, ok bool) {
	if len(s) == 8 {
		if n, ok := digits(s); ok {
			return int64(n / 10000), n / 100 % 100, n % 100, true
		}
	}
	sep := "-"
	if strings.Contains(s, "/") {
		sep = "/"
	}
	p := strings.Split(s, sep)
	if len(p) != 3 {
		return 0, 0, 0, false
	}
	var f [3]int
	for i, x := range p {
		if len(x) > 9 {
			return 0, 0, 0, false
		}
		if f[i], ok = digits(x); !ok {
			return 0, 0, 0, false
		}
	}
	switch {
	case len(p[0]) >= 3:
		return int64(f[0]), f[1], f[2], true
	case sep == "/" && len(p[2]) >= 3:
		return int64(f[2]), f[0], f[1], true
	}
	return 0, 0, 0, false
}

// daysIn is the number of days in month m of year y.
func daysIn(y int64, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseClock reads 'HH:MM[:SS[.frac]]' and an optional zone.
func (dt *dateTime) parseClock(s string) dtError {
	zone := strings.IndexAny(s, "+-zug ")
	clock := s
	if zone >= 0 {
		clock = s[:zone]
		if e := dt.parseZone(strings.TrimSpace(s[zone:])); e != dtOK {
			return e
		}
	}
	hms := strings.Split(clock, ":")
	if len(hms) < 2 || len(hms) > 3 {
		return dtSyntax
	}
	var frac int64
	if len(hms) == 3 {
		sec, f, has := strings.Cut(hms[2], ".")
		hms[2] = sec
		if has {
			var ok bool
			if frac, ok = fraction(f); !ok {
				return dtSyntax
			}
		}
	}
	var f [3]int64
	for i, p := range hms {
		n, ok := digits(p)
		if !ok || len(p) > 2 {
			return dtSyntax
		}
		f[i] = int64(n)
	}
	if f[0] > 24 || f[1] > 59 || f[2] > 60 || f[0] == 24 && f[1]+f[2]+frac > 0 {
		return dtField
	}
	dt.tod = (f[0]*3600+f[1]*60+f[2])*1_000_000 + frac
	dt.hasTime = true
	return dtOK
}

// fraction reads the digits after a decimal point as microseconds, rounded half away from
// zero as PostgreSQL rounds input to its precision.
func fraction(f string) (int64, bool) {
	if f == "" {
		return 0, true
	}
	if _, ok := digits(f); !ok || len(f) > 18 {
		return 0, false
	}
	padded := (f + "0000000")[:7]
	n, _ := digits(padded)
	return int64((n + 5) / 10), true
}

// parseZone reads a zone designator.
func (dt *dateTime) parseZone(z string) dtError {
	dt.hasOffset = true
	switch z {
	case "z", "utc", "gmt", "+00", "-00":
		return dtOK
	}
	if len(z) < 2 || z[0] != '+' && z[0] != '-' {
		return dtSyntax
	}
	body := strings.ReplaceAll(z[1:], ":", "")
	n, ok := digits(body)
	if !ok {
		return dtSyntax
	}
	var secs int
	switch len(body) {
	case 1, 2:
		secs = n * 3600
	case 3, 4:
		secs = n/100*3600 + n%100*60
	case 5, 6:
		secs = n/10000*3600 + n/100%100*60 + n%100
	default:
		return dtSyntax
	}
	if secs > 15*3600+59*60+59 {
		return dtZone
	}
	if z[0] == '-' {
		secs = -secs
	}
	dt.offset = int64(secs)
	return dtOK
}

// dtFailure turns a parse failure into PostgreSQL's error for type name.
func dtFailure(e dtError, typ, s string) error {
	switch e {
	case dtField:
		return schema.Errorf(codeDatetimeOverflow, "date/time field value out of range: %q", s)
	case dtZone:
		return schema.Errorf("22009", "time zone displacement out of range: %q", s)
	case dtRange:
		if typ == "date" {
			return schema.Errorf(codeDatetimeOverflow, "date out of range: %q", s)
		}
		return schema.Errorf(codeDatetimeOverflow, "timestamp out of range: %q", s)
	}
	return schema.Errorf(schema.CodeInvalidDatetime, "invalid input syntax for type %s: %q", typ, s)
}

// parseDate is DATE's input function; a time of day is read and ignored, as PostgreSQL does.
func parseDate(s string) (schema.Value, error) {
	dt, e := parseDateTime(s)
	if e != dtOK {
		return schema.Null, dtFailure(e, "date", s)
	}
	switch dt.inf {
	case 1:
		return schema.DateDays(schema.DateInfinity), nil
	case -1:
		return schema.DateDays(schema.DateNegInfinity), nil
	}
	return schema.DateDays(dt.days), nil
}

// parseTimestamp is TIMESTAMP's input function; a zone is read and ignored, as PostgreSQL
// does for TIMESTAMP WITHOUT TIME ZONE.
func parseTimestamp(s string) (schema.Value, error) {
	us, err := parseInstant(s, "timestamp", false)
	return schema.TimestampMicros(us), err
}

// parseTimestampTZ is TIMESTAMPTZ's input function: the local time less the zone's offset (UTC
// when none is given, the session's zone).
func parseTimestampTZ(s string) (schema.Value, error) {
	us, err := parseInstant(s, "timestamp with time zone", true)
	return schema.TimestampTZMicros(us), err
}

func parseInstant(s, typ string, zoned bool) (int64, error) {
	dt, e := parseDateTime(s)
	if e != dtOK {
		return 0, dtFailure(e, typ, s)
	}
	switch dt.inf {
	case 1:
		return schema.TimeInfinity, nil
	case -1:
		return schema.TimeNegInfinity, nil
	}
	us := schema.DateMicros(dt.days) + dt.tod
	if zoned {
		us -= dt.offset * 1_000_000
	}
	if us <= minMicros || us >= maxMicros {
		return 0, dtFailure(dtRange, typ, s)
	}
	return us, nil
}

// The finite range of timestamps, exclusive.
var (
	minMicros = schema.DateMicros(minDays) - 1
	maxMicros = schema.DateMicros(maxDays + 1)
)

// checkMicros fails with "timestamp out of range" when a computed timestamp leaves the range.
func checkMicros(us int64) error {
	if us <= minMicros || us >= maxMicros {
		return schema.Errorf(codeDatetimeOverflow, "timestamp out of range")
	}
	return nil
}

// isInfinite reports whether a timestamp's microseconds are one of the infinities.
func isInfinite(us int64) bool { return us == math.MaxInt64 || us == math.MinInt64 }

// digits parses a non-empty run of ASCII digits.
func digits(s string) (int, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
