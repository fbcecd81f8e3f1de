package schema

import (
	"math"
	"strconv"
	"strings"
)

// Dates, instants and intervals. A date is a count of days since 2000-01-01 (PostgreSQL's
// epoch for dates); a timestamp and a timestamptz are microseconds since 1970-01-01 00:00:00
// (the timestamptz counting in UTC, an absolute instant); an interval keeps months, days and
// microseconds apart, as PostgreSQL does, because a month and a day have no fixed length:
// '1 month' added to January 31st is February 29th, and '1 day' across a DST change is 23 or
// 25 hours in a zone that has them. The interval's microseconds live in n and its months and
// days in s as 8 bytes (s is "" when both are 0, so equal intervals are equal Values), which
// keeps Value at its size for everything else.
//
// The largest and smallest values of each stand for 'infinity' and '-infinity'.

// The infinities of dates and timestamps, as PostgreSQL stores them.
const (
	DateNegInfinity = math.MinInt32
	DateInfinity    = math.MaxInt32
	TimeNegInfinity = math.MinInt64
	TimeInfinity    = math.MaxInt64
)

// UnixEpochDays is 1970-01-01 as a date: the days between PostgreSQL's epoch and Unix's.
const UnixEpochDays = -10957

// MicrosPerDay is the number of microseconds in a day of 24 hours.
const MicrosPerDay = 86_400_000_000

// DateDays returns a date value from days since 2000-01-01.
func DateDays(d int64) Value { return Value{k: KindDate, n: uint64(d)} }

// TimestampTZMicros returns a timestamptz value from microseconds since the Unix epoch.
func TimestampTZMicros(us int64) Value { return Value{k: KindTimestampTZ, n: uint64(us)} }

// IntervalOf returns an interval of months, days and microseconds.
func IntervalOf(months, days int32, micros int64) Value {
	v := Value{k: KindInterval, n: uint64(micros)}
	if months != 0 || days != 0 {
		var b [8]byte
		putInt32(b[:4], months)
		putInt32(b[4:], days)
		v.s = string(b[:])
	}
	return v
}

// Days returns a date as days since 2000-01-01.
func (v Value) Days() int64 { return int64(v.n) }

// Interval returns the months, days and microseconds of an interval.
func (v Value) Interval() (months, days int32, micros int64) {
	if len(v.s) == 8 {
		months, days = getInt32(v.s[:4]), getInt32(v.s[4:])
	}
	return months, days, int64(v.n)
}

func putInt32(b []byte, i int32) {
	u := uint32(i)
	b[0], b[1], b[2], b[3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
}

func getInt32(s string) int32 {
	return int32(uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24)
}

// CivilFromDays returns the proleptic Gregorian year, month and day of a date given as days
// since 2000-01-01 (year 0 is 1 BC), by Howard Hinnant's days_from_civil inverse.
func CivilFromDays(d int64) (y int64, m, day int) {
	z := d + 10957 + 719468 // days since 0000-03-01
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, day
}

// DaysFromCivil is the inverse of CivilFromDays; month and day must be in range.
func DaysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468 - 10957
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// SplitMicros splits microseconds since the Unix epoch into days since 2000-01-01 and the
// microseconds of that day.
func SplitMicros(us int64) (days, tod int64) {
	d := floorDiv(us, MicrosPerDay)
	return d + UnixEpochDays, us - d*MicrosPerDay
}

// appendDate writes a date as PostgreSQL's ISO DateStyle does: YYYY-MM-DD, with " BC" for
// years before 1 (which the caller appends after any time of day).
func appendDate(b []byte, days int64) (out []byte, bc bool) {
	y, m, d := CivilFromDays(days)
	if y <= 0 {
		y, bc = 1-y, true
	}
	b = appendPadded(b, y, 4)
	b = append(b, '-')
	b = appendPadded(b, int64(m), 2)
	b = append(b, '-')
	return appendPadded(b, int64(d), 2), bc
}

func appendPadded(b []byte, n int64, width int) []byte {
	s := strconv.FormatInt(n, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// appendSeconds writes seconds and microseconds as PostgreSQL does: two digits, then a
// fraction without trailing zeros, if any.
func appendSeconds(b []byte, sec, frac int64) []byte {
	b = appendPadded(b, sec, 2)
	if frac != 0 {
		f := strings.TrimRight(strconv.FormatInt(frac+1_000_000, 10)[1:], "0")
		b = append(append(b, '.'), f...)
	}
	return b
}

// formatDate is a date's text form.
func formatDate(days int64) string {
	switch days {
	case DateInfinity:
		return "infinity"
	case DateNegInfinity:
		return "-infinity"
	}
	b, bc := appendDate(make([]byte, 0, 16), days)
	if bc {
		b = append(b, " BC"...)
	}
	return string(b)
}

// formatTimestamp is a timestamp's text form; zone is appended after the time ("+00" for a
// timestamptz shown in UTC, "" for a timestamp).
func formatTimestamp(us int64, zone string) string {
	switch us {
	case TimeInfinity:
		return "infinity"
	case TimeNegInfinity:
		return "-infinity"
	}
	days, tod := SplitMicros(us)
	b, bc := appendDate(make([]byte, 0, 32), days)
	b = append(b, ' ')
	b = appendPadded(b, tod/3_600_000_000, 2)
	b = append(b, ':')
	b = appendPadded(b, tod/60_000_000%60, 2)
	b = append(b, ':')
	b = appendSeconds(b, tod/1_000_000%60, tod%1_000_000)
	b = append(b, zone...)
	if bc {
		b = append(b, " BC"...)
	}
	return string(b)
}

// formatInterval is an interval's text form in PostgreSQL's default IntervalStyle
// ("postgres"): '1 year 2 mons 3 days 04:05:06', '-1 days +02:00:00', '00:00:00'.
func formatInterval(months, days int32, us int64) string {
	var b []byte
	zero, before := true, false
	part := func(n int64, unit string) {
		if n == 0 {
			return
		}
		if !zero {
			b = append(b, ' ')
		}
		if before && n > 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, n, 10)
		b = append(append(b, ' '), unit...)
		if n != 1 {
			b = append(b, 's')
		}
		before, zero = n < 0, false
	}
	part(int64(months/12), "year")
	part(int64(months%12), "mon")
	part(int64(days), "day")
	if zero || us != 0 {
		if !zero {
			b = append(b, ' ')
		}
		// Unsigned magnitude, so that the smallest int64 does not overflow.
		mag := uint64(us)
		if us < 0 {
			b = append(b, '-')
			mag = -mag
		} else if before {
			b = append(b, '+')
		}
		h := mag / 3_600_000_000
		b = appendPadded(b, int64(h), 2)
		b = append(b, ':')
		b = appendPadded(b, int64(mag/60_000_000%60), 2)
		b = append(b, ':')
		b = appendSeconds(b, int64(mag/1_000_000%60), int64(mag%1_000_000))
	}
	return string(b)
}

// compareInterval orders intervals as PostgreSQL does: by their length with a month counted
// as 30 days and a day as 24 hours, so '1 mon' = '30 days' = '720 hours'.
func compareInterval(a, b Value) int {
	ad, ar := intervalSpan(a)
	bd, br := intervalSpan(b)
	if c := cmpInt(ad, bd); c != 0 {
		return c
	}
	return cmpInt(ar, br)
}

// intervalSpan is an interval's length as whole days (months counted as 30) and the
// microseconds left over, in [0, MicrosPerDay).
func intervalSpan(v Value) (days, rest int64) {
	m, d, us := v.Interval()
	q := floorDiv(us, MicrosPerDay)
	return int64(m)*30 + int64(d) + q, us - q*MicrosPerDay
}

// DateMicros is the instant of a date's midnight in microseconds since the Unix epoch, with
// the date infinities mapped to the timestamp infinities.
func DateMicros(days int64) int64 {
	switch days {
	case DateInfinity:
		return TimeInfinity
	case DateNegInfinity:
		return TimeNegInfinity
	}
	return (days - UnixEpochDays) * MicrosPerDay
}
