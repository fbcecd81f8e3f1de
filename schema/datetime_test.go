package schema

import (
	"bytes"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDateTimeText(t *testing.T) {
	day := func(y, m, d int) Value { return DateDays(DaysFromCivil(int64(y), m, d)) }
	tests := []struct {
		name string
		v    Value
		want string
	}{
		{"date", day(2024, 1, 2), "2024-01-02"},
		{"date epoch", DateDays(0), "2000-01-01"},
		{"date leap", day(2024, 2, 29), "2024-02-29"},
		{"date BC", day(-43, 3, 15), "0044-03-15 BC"},
		{"date year 1 BC", day(0, 1, 1), "0001-01-01 BC"},
		{"date far", day(20000, 12, 31), "20000-12-31"},
		{"date infinity", DateDays(DateInfinity), "infinity"},
		{"date -infinity", DateDays(DateNegInfinity), "-infinity"},
		{"timestamp", TimestampMicros(1704164645_000000), "2024-01-02 03:04:05"},
		{"timestamp before 1970", TimestampMicros(-1), "1969-12-31 23:59:59.999999"},
		{"timestamptz", TimestampTZMicros(1704164645_250000), "2024-01-02 03:04:05.25+00"},
		{"timestamptz infinity", TimestampTZMicros(TimeInfinity), "infinity"},
		{"interval zero", IntervalOf(0, 0, 0), "00:00:00"},
		{"interval day hours", IntervalOf(0, 1, 2*3600_000000), "1 day 02:00:00"},
		{"interval years", IntervalOf(14, 0, 0), "1 year 2 mons"},
		{"interval minus day", IntervalOf(0, -1, 0), "-1 days"},
		{"interval mixed signs", IntervalOf(0, -1, 2*3600_000000), "-1 days +02:00:00"},
		{"interval all", IntervalOf(14, 3, (4*3600+5*60+6)*1_000_000), "1 year 2 mons 3 days 04:05:06"},
		{"interval negative time", IntervalOf(0, 0, -1_500_000), "-00:00:01.5"},
		{"interval negative months", IntervalOf(-13, 0, 0), "-1 years -1 mons"},
		{"interval long hours", IntervalOf(0, 0, 100*3600_000000), "100:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.v.String()) })
	}
}

// CivilFromDays and DaysFromCivil agree with Go's calendar and invert each other.
func TestCivil(t *testing.T) {
	for d := int64(-800_000); d < 800_000; d += 37 {
		y, m, dd := CivilFromDays(d)
		require.Equal(t, d, DaysFromCivil(y, m, dd), "day %d", d)
		g := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(d))
		require.Equal(t, [3]int{g.Year(), int(g.Month()), g.Day()}, [3]int{int(y), m, dd}, "day %d", d)
	}
}

func TestIntervalCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b Value
		want int
	}{
		{"month is 30 days", IntervalOf(1, 0, 0), IntervalOf(0, 30, 0), 0},
		{"day is 24 hours", IntervalOf(0, 1, 0), IntervalOf(0, 0, MicrosPerDay), 0},
		{"year vs 360 days", IntervalOf(12, 0, 0), IntervalOf(0, 360, 0), 0},
		{"year vs 366 days", IntervalOf(12, 0, 0), IntervalOf(0, 366, 0), -1},
		{"negative time", IntervalOf(0, 1, -1), IntervalOf(0, 0, MicrosPerDay-2), 1},
		{"extremes", IntervalOf(-1<<31, 0, 0), IntervalOf(0, 0, -1<<63), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Compare(tt.a, tt.b))
			assert.Equal(t, -tt.want, Compare(tt.b, tt.a))
		})
	}
}

// Keys of dates and intervals order as Compare does; a date's key equals the key of the
// timestamp at its midnight.
func TestDateTimeKeyOrder(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	var dates, spans []Value
	for i := 0; i < 300; i++ {
		dates = append(dates, DateDays(rng.Int63n(2_000_000)-1_000_000))
		spans = append(spans, IntervalOf(int32(rng.Intn(200)-100), int32(rng.Intn(6000)-3000), rng.Int63n(1<<40)-1<<39))
	}
	dates = append(dates, DateDays(DateInfinity), DateDays(DateNegInfinity))
	spans = append(spans, IntervalOf(1, 0, 0), IntervalOf(0, 30, 0), IntervalOf(0, 0, 30*MicrosPerDay))
	for _, g := range [][]Value{dates, spans} {
		for _, a := range g {
			for _, b := range g {
				got := bytes.Compare([]byte(Key(a)), []byte(Key(b)))
				require.Equal(t, Compare(a, b), got, "Compare(%v, %v) vs key order", a, b)
			}
		}
	}
	assert.Equal(t, Key(TimestampMicros(0)), Key(DateDays(UnixEpochDays)))
	assert.Less(t, Key(IntervalOf(1<<30, 0, 0)), Key(Null))
}

func TestDateTimeTypeNames(t *testing.T) {
	assert.Equal(t, "date", Date.String())
	assert.Equal(t, "interval", Interval.String())
	assert.Equal(t, "timestamp without time zone", Timestamp.String())
	assert.Equal(t, "timestamp with time zone", TimestampTZ.String())
	assert.Equal(t, "timestamp(0) without time zone", Type{Kind: KindTimestamp, Width: 1}.String())
	assert.Equal(t, "timestamp(3) with time zone", Type{Kind: KindTimestampTZ, Width: 4}.String())
}
