package executor

import (
	"math"
	"strconv"
	"strings"

	"github.com/eventsql/eventsql/schema"
)

// INTERVAL: months, days and microseconds, kept apart (see schema/datetime.go). Input is
// PostgreSQL's "postgres" style: quantities with units ('1 year 2 mons -3 days', '10 minutes',
// '1.5 hours'), a clock 'HH:MM[:SS[.f]]', a trailing 'ago' that negates everything, and ISO
// 8601 'P1Y2M3DT4H5M6S'.

const codeIntervalFieldOverflow = "22015"

// interval is an interval being computed, in wide integers so overflow can be detected.
type interval struct {
	months, days, micros int64
}

func intervalOf(v schema.Value) interval {
	m, d, us := v.Interval()
	return interval{int64(m), int64(d), us}
}

// value checks the interval's range and returns it as a value.
func (iv interval) value() (schema.Value, error) {
	if iv.months != int64(int32(iv.months)) || iv.days != int64(int32(iv.days)) {
		return schema.Null, schema.Errorf(codeDatetimeOverflow, "interval out of range")
	}
	return schema.IntervalOf(int32(iv.months), int32(iv.days), iv.micros), nil
}

// unitMicros gives each time unit's length; months and days are handled apart.
var intervalUnits = map[string]struct {
	months, days int64
	micros       int64
}{
	"microsecond": {0, 0, 1}, "us": {0, 0, 1}, "usec": {0, 0, 1},
	"millisecond": {0, 0, 1000}, "ms": {0, 0, 1000}, "msec": {0, 0, 1000},
	"second": {0, 0, 1_000_000}, "s": {0, 0, 1_000_000}, "sec": {0, 0, 1_000_000},
	"minute": {0, 0, 60_000_000}, "m": {0, 0, 60_000_000}, "min": {0, 0, 60_000_000},
	"hour": {0, 0, 3_600_000_000}, "h": {0, 0, 3_600_000_000}, "hr": {0, 0, 3_600_000_000},
	"day": {0, 1, 0}, "d": {0, 1, 0},
	"week": {0, 7, 0}, "w": {0, 7, 0},
	"month": {1, 0, 0}, "mon": {1, 0, 0},
	"year": {12, 0, 0}, "y": {12, 0, 0}, "yr": {12, 0, 0},
	"decade": {120, 0, 0}, "century": {1200, 0, 0}, "centurie": {1200, 0, 0},
	"millennium": {12000, 0, 0}, "millennia": {12000, 0, 0}, "mil": {12000, 0, 0},
}

// lookupUnit finds a unit, singular or plural.
func lookupUnit(u string) (months, days, micros int64, ok bool) {
	x, ok := intervalUnits[u]
	if !ok && len(u) > 1 && strings.HasSuffix(u, "s") {
		x, ok = intervalUnits[u[:len(u)-1]]
	}
	return x.months, x.days, x.micros, ok
}

// unitField names the field a unit sets, for the check that no field is given twice.
func unitField(u string) string {
	if _, ok := intervalUnits[u]; !ok {
		u = u[:len(u)-1] // a plural: lookupUnit found the singular
	}
	return unitNames[u] // unitNames (functions_time.go) folds the spellings
}

// parseInterval is INTERVAL's input function.
func parseInterval(s string) (schema.Value, error) {
	iv, e := readInterval(strings.ToLower(strings.TrimSpace(s)))
	switch e {
	case dtOK:
		v, err := iv.value()
		if err != nil {
			return schema.Null, schema.Errorf(codeIntervalFieldOverflow, "interval field value out of range: %q", s)
		}
		return v, nil
	case dtField, dtRange:
		return schema.Null, schema.Errorf(codeIntervalFieldOverflow, "interval field value out of range: %q", s)
	}
	return schema.Null, schema.Errorf(schema.CodeInvalidDatetime, "invalid input syntax for type %s: %q", "interval", s)
}

// intervalTokens splits an interval string into numbers, words and clocks: "1day" is "1",
// "day"; "-1 days +02:00" is "-1", "days", "+02:00".
func intervalTokens(s string) []string {
	var out []string
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
			continue
		case c >= 'a' && c <= 'z':
			j := i
			for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
				j++
			}
			out = append(out, s[i:j])
			i = j
		default:
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == ':') {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}

func readInterval(s string) (interval, dtError) {
	var iv interval
	if s == "" {
		return iv, dtSyntax
	}
	if s[0] == 'p' {
		return readISOInterval(s[1:])
	}
	s = strings.TrimPrefix(s, "@")
	toks := intervalTokens(s)
	seen := false
	// Each field may be given once ('1 day 1 day' is an error, as in PostgreSQL).
	used := map[string]bool{}
	use := func(fields ...string) bool {
		for _, f := range fields {
			if used[f] {
				return false
			}
			used[f] = true
		}
		return true
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t == "ago" && i == len(toks)-1 && seen {
			return interval{-iv.months, -iv.days, -iv.micros}, dtOK
		}
		if strings.Contains(t, ":") {
			us, e := clockMicros(t)
			if e != dtOK {
				return iv, e
			}
			if !use("hour", "minute", "second") {
				return iv, dtSyntax
			}
			r := iv.micros + us
			if overflowAdd(iv.micros, us, r) {
				return iv, dtField
			}
			iv.micros = r
			seen = true
			continue
		}
		num, err := strconv.ParseFloat(t, 64)
		if err != nil || strings.ContainsAny(t, "einfa") {
			return iv, dtSyntax
		}
		months, days, micros := int64(0), int64(0), int64(1_000_000) // a bare number is seconds
		field := "second"
		if i+1 < len(toks) && toks[i+1][0] >= 'a' && toks[i+1] != "ago" {
			var ok bool
			if months, days, micros, ok = lookupUnit(toks[i+1]); !ok {
				return iv, dtSyntax
			}
			field = unitField(toks[i+1])
			i++
		} else if i+1 < len(toks) && toks[i+1] != "ago" {
			return iv, dtSyntax
		}
		if !use(field) {
			return iv, dtSyntax
		}
		if math.Abs(num) > 1e15 {
			return iv, dtField
		}
		if e := iv.add(num, months, days, micros); e != dtOK {
			return iv, e
		}
		seen = true
	}
	if !seen {
		return iv, dtSyntax
	}
	return iv, dtOK
}

// add adds num units to iv; a fraction of a unit spills into the smaller fields as PostgreSQL
// does (a month is 30 days, a day 24 hours).
func (iv *interval) add(num float64, months, days, micros int64) dtError {
	whole, frac := math.Modf(num)
	switch {
	case months > 0:
		iv.months += int64(whole) * months
		fm := frac * float64(months)
		wm, fr := math.Modf(fm)
		iv.months += int64(wm)
		// The fraction of a year stops at months; of a month, spills to days.
		if months == 1 {
			fd := fr * 30
			wd, fdr := math.Modf(fd)
			iv.days += int64(wd)
			iv.micros += int64(math.RoundToEven(fdr * schema.MicrosPerDay))
		}
	case days > 0:
		iv.days += int64(whole) * days
		fd := frac * float64(days)
		wd, fdr := math.Modf(fd)
		iv.days += int64(wd)
		iv.micros += int64(math.RoundToEven(fdr * schema.MicrosPerDay))
	default:
		f := num * float64(micros)
		if math.Abs(f) > 9.2e18 {
			return dtField
		}
		us := int64(f) // truncated, as PostgreSQL 15 does
		r := iv.micros + us
		if overflowAdd(iv.micros, us, r) {
			return dtField
		}
		iv.micros = r
	}
	if iv.months != int64(int32(iv.months)) || iv.days != int64(int32(iv.days)) {
		return dtField
	}
	return dtOK
}

// clockMicros reads [+-]H:MM[:SS[.f]] as microseconds.
func clockMicros(t string) (int64, dtError) {
	neg := false
	switch t[0] {
	case '-':
		neg, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	p := strings.Split(t, ":")
	if len(p) < 2 || len(p) > 3 {
		return 0, dtSyntax
	}
	var frac int64
	if len(p) == 3 {
		sec, f, has := strings.Cut(p[2], ".")
		p[2] = sec
		if has {
			var ok bool
			if frac, ok = fraction(f); !ok {
				return 0, dtSyntax
			}
		}
	}
	var us int64
	for i, x := range p {
		n, ok := digits(x)
		if !ok || i > 0 && len(x) > 2 || n > 1<<31 {
			return 0, dtSyntax
		}
		if i > 0 && n > 59 {
			return 0, dtField
		}
		us = us*60 + int64(n)
	}
	if len(p) == 2 {
		us *= 60
	}
	us = us*1_000_000 + frac
	if neg {
		us = -us
	}
	return us, dtOK
}

// readISOInterval reads the part after 'P' of an ISO 8601 duration: nY nM nW nD [T nH nM nS].
func readISOInterval(s string) (interval, dtError) {
	var iv interval
	inTime := false
	if s == "" {
		return iv, dtSyntax
	}
	for s != "" {
		if s[0] == 't' {
			inTime, s = true, s[1:]
			continue
		}
		j := 0
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == '-' || s[j] == '+') {
			j++
		}
		if j == 0 || j == len(s) {
			return iv, dtSyntax
		}
		num, err := strconv.ParseFloat(s[:j], 64)
		if err != nil {
			return iv, dtSyntax
		}
		var unit string
		switch u := s[j]; {
		case !inTime && u == 'y':
			unit = "year"
		case !inTime && u == 'm':
			unit = "month"
		case !inTime && u == 'w':
			unit = "week"
		case !inTime && u == 'd':
			unit = "day"
		case inTime && u == 'h':
			unit = "hour"
		case inTime && u == 'm':
			unit = "minute"
		case inTime && u == 's':
			unit = "second"
		default:
			return iv, dtSyntax
		}
		months, days, micros, _ := lookupUnit(unit)
		if e := iv.add(num, months, days, micros); e != dtOK {
			return iv, e
		}
		s = s[j+1:]
	}
	return iv, dtOK
}
