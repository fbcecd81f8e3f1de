package executor

import (
	"strconv"
	"strings"
	"time"

	"github.com/eventsql/eventsql/schema"
)

// parseTimestamp reads 'YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]]', the forms PostgreSQL prints and
// ISO 8601 writes. A trailing time zone ("Z", "+02", "-05:30") is accepted and ignored, as
// PostgreSQL does for TIMESTAMP WITHOUT TIME ZONE.
func parseTimestamp(s string) (schema.Value, error) {
	bad := func() (schema.Value, error) {
		return schema.Null, schema.Errorf(schema.CodeInvalidDatetime, "invalid input syntax for type timestamp: %q", s)
	}
	t := strings.TrimSpace(s)
	date, clock, _ := strings.Cut(strings.Replace(t, "T", " ", 1), " ")
	clock = strings.TrimSpace(clock)
	ymd := strings.Split(date, "-")
	if len(ymd) != 3 || len(ymd[0]) < 4 || len(ymd[1]) < 1 || len(ymd[2]) < 1 {
		return bad()
	}
	var f [6]int
	for i, p := range ymd {
		n, ok := digits(p)
		if !ok {
			return bad()
		}
		f[i] = n
	}
	micros := 0
	if clock != "" {
		clock = stripZone(clock)
		hms := strings.Split(clock, ":")
		if len(hms) < 2 || len(hms) > 3 {
			return bad()
		}
		if len(hms) == 3 {
			sec, frac, hasFrac := strings.Cut(hms[2], ".")
			hms[2] = sec
			if hasFrac {
				if frac == "" || len(frac) > 9 {
					return bad()
				}
				n, ok := digits((frac + "000000")[:6])
				if !ok {
					return bad()
				}
				micros = n
			}
		}
		for i, p := range hms {
			n, ok := digits(p)
			if !ok || len(p) > 2 {
				return bad()
			}
			f[3+i] = n
		}
	}
	if f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 24 || f[4] > 59 || f[5] > 60 ||
		f[3] == 24 && (f[4] != 0 || f[5] != 0 || micros != 0) {
		return schema.Null, schema.Errorf(codeDatetimeOverflow, "date/time field value out of range: %q", s)
	}
	if time.Date(f[0], time.Month(f[1]), f[2], 0, 0, 0, 0, time.UTC).Day() != f[2] {
		return schema.Null, schema.Errorf(codeDatetimeOverflow, "date/time field value out of range: %q", s)
	}
	tm := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], micros*1000, time.UTC)
	return schema.TimeValue(tm), nil
}

// stripZone removes a trailing zone designator from a clock string.
func stripZone(clock string) string {
	if strings.HasSuffix(clock, "Z") || strings.HasSuffix(clock, "z") {
		return strings.TrimSpace(clock[:len(clock)-1])
	}
	if i := strings.LastIndexAny(clock, "+-"); i > 0 {
		return strings.TrimSpace(clock[:i])
	}
	return clock
}

// digits parses a non-empty run of ASCII digits.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
