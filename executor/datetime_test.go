package executor

import (
	"context"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// TestDateTimeInput reads text as each date/time type, as the types' input functions do;
// the expectations are PostgreSQL 15's (TimeZone UTC).
func TestDateTimeInput(t *testing.T) {
	tests := []struct {
		name, in string
		typ      schema.Type
		want     string // the value's text form, or the SQLSTATE of the error
	}{
		{"date", "2024-01-02", schema.Date, "2024-01-02"},
		{"date compact", "20240102", schema.Date, "2024-01-02"},
		{"date MDY", "12/31/2024", schema.Date, "2024-12-31"},
		{"date with time", "2024-01-02 23:59", schema.Date, "2024-01-02"},
		{"date BC", "0044-03-15 BC", schema.Date, "0044-03-15 BC"},
		{"date infinity", "Infinity", schema.Date, "infinity"},
		{"date year 0", "0000-01-01", schema.Date, codeDatetimeOverflow},
		{"date Feb 30", "2024-02-30", schema.Date, codeDatetimeOverflow},
		{"date garbage", "x", schema.Date, schema.CodeInvalidDatetime},
		{"date empty", "", schema.Date, schema.CodeInvalidDatetime},
		{"timestamp zone ignored", "2024-01-02 03:04:05+02", schema.Timestamp, "2024-01-02 03:04:05"},
		{"timestamp 24:00", "2024-01-02 24:00:00", schema.Timestamp, "2024-01-03 00:00:00"},
		{"timestamp rounds to micros", "2024-01-02 03:04:05.9999995", schema.Timestamp, "2024-01-02 03:04:06"},
		{"timestamp T without time", "2024-01-02T", schema.Timestamp, schema.CodeInvalidDatetime},
		{"timestamp epoch", "epoch", schema.Timestamp, "1970-01-01 00:00:00"},
		{"timestamptz offset", "2024-01-02 03:04:05+02", schema.TimestampTZ, "2024-01-02 01:04:05+00"},
		{"timestamptz Z", "2024-01-02T03:04:05.5Z", schema.TimestampTZ, "2024-01-02 03:04:05.5+00"},
		{"timestamptz minutes", "2024-01-02 03:04:05-05:30", schema.TimestampTZ, "2024-01-02 08:34:05+00"},
		{"timestamptz no zone is UTC", "2024-01-02 03:04:05", schema.TimestampTZ, "2024-01-02 03:04:05+00"},
		{"timestamptz zone out of range", "2024-01-02 03:04:05+16", schema.TimestampTZ, "22009"},
		{"interval units", "1 year 2 months 3 days 04:05:06", schema.Interval, "1 year 2 mons 3 days 04:05:06"},
		{"interval plural and short", "2 hrs 30 mins", schema.Interval, "02:30:00"},
		{"interval fraction of a day", "1.5 days", schema.Interval, "1 day 12:00:00"},
		{"interval fraction of a month", "1.5 months", schema.Interval, "1 mon 15 days"},
		{"interval fraction of a year", "1.7 years", schema.Interval, "1 year 8 mons"},
		{"interval bare seconds", "90", schema.Interval, "00:01:30"},
		{"interval ago", "@ 1 minute 30 seconds ago", schema.Interval, "-00:01:30"},
		{"interval own output", "-1 days +02:00:00", schema.Interval, "-1 days +02:00:00"},
		{"interval ISO", "P1Y2M3DT4H5M6S", schema.Interval, "1 year 2 mons 3 days 04:05:06"},
		{"interval micros truncate", "1.5 microseconds", schema.Interval, "00:00:00.000001"},
		{"interval repeated unit", "1 day 1 day", schema.Interval, schema.CodeInvalidDatetime},
		{"interval unknown unit", "1 fortnight", schema.Interval, schema.CodeInvalidDatetime},
		{"interval minutes 60", "1:60", schema.Interval, codeIntervalFieldOverflow},
		{"interval too many days", "3000000000 days", schema.Interval, codeIntervalFieldOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := parseText(tt.in, tt.typ)
			if len(tt.want) == 5 && tt.want[0] >= '0' && tt.want[0] <= '9' && tt.want[4] != ':' {
				requireCode(t, tt.want, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.typ.Kind, v.Kind())
			assert.Equal(t, tt.want, v.String())
		})
	}
}

// TestDateTimeExpressions evaluates operators and functions; results are PostgreSQL 15's.
func TestDateTimeExpressions(t *testing.T) {
	d := newDB(t)
	tests := []struct {
		expr, want string
		typ        schema.Type
	}{
		{"DATE '2024-01-31' + 1", "2024-02-01", schema.Date},
		{"DATE '2024-03-01' - DATE '2024-01-01'", "60", schema.Integer},
		{"DATE '2024-01-31' + INTERVAL '1 month'", "2024-02-29 00:00:00", schema.Timestamp},
		{"TIMESTAMP '2024-02-29 12:00' - INTERVAL '1 year'", "2023-02-28 12:00:00", schema.Timestamp},
		{"TIMESTAMPTZ '2024-01-01 00:00+00' + INTERVAL '36 hours'", "2024-01-02 12:00:00+00", schema.TimestampTZ},
		{"TIMESTAMP '2024-01-03 12:00' - TIMESTAMP '2024-01-01'", "2 days 12:00:00", schema.Interval},
		{"TIMESTAMP '2024-01-01' - TIMESTAMP '2024-01-03 12:00'", "-2 days -12:00:00", schema.Interval},
		{"DATE '2024-01-02' - TIMESTAMPTZ '2024-01-01 18:00+00'", "06:00:00", schema.Interval},
		{"INTERVAL '1 mon' - INTERVAL '1 day'", "1 mon -1 days", schema.Interval},
		{"INTERVAL '1 mon' / 7", "4 days 06:51:25.6896", schema.Interval},
		{"INTERVAL '1 mon' * 1.5", "1 mon 15 days", schema.Interval},
		{"INTERVAL '7 days' * -0.5", "-3 days -12:00:00", schema.Interval},
		{"-INTERVAL '-1 year +2 days -00:00:03'", "1 year -2 days +00:00:03", schema.Interval},
		{"TIMESTAMP 'infinity' + INTERVAL '1 day'", "infinity", schema.Timestamp},
		{"DATE '2024-01-01' = TIMESTAMP '2024-01-01'", "t", schema.Boolean},
		{"INTERVAL '1 mon' = INTERVAL '30 days'", "t", schema.Boolean},
		{"date_trunc('week', TIMESTAMP '2024-05-17 10:00')", "2024-05-13 00:00:00", schema.Timestamp},
		{"date_trunc('century', TIMESTAMP '0044-03-15 BC')", "0100-01-01 00:00:00 BC", schema.Timestamp},
		{"date_trunc('minute', INTERVAL '-1 day -01:02:03.5')", "-1 days -01:02:00", schema.Interval},
		{"date_part('week', DATE '2021-01-03')", "53", schema.Double},
		{"date_part('year', DATE '0044-03-15 BC')", "-44", schema.Double},
		{"date_part('epoch', INTERVAL '1 year')", "31557600", schema.Double},
		{"extract(epoch FROM TIMESTAMP '2024-01-02 03:04:05.25')", "1704164645.250000", schema.Numeric},
		{"age(TIMESTAMP '2024-01-31', TIMESTAMP '2024-02-29')", "-29 days", schema.Interval},
		{"age(TIMESTAMPTZ '2020-02-29', TIMESTAMPTZ '2024-02-28')", "-3 years -11 mons -28 days", schema.Interval},
		{"make_date(-44, 3, 15)", "0044-03-15 BC", schema.Date},
		{"justify_interval(INTERVAL '1 mon -31 days')", "-1 days", schema.Interval},
		{"CAST(DATE '2024-01-02' AS timestamptz)", "2024-01-02 00:00:00+00", schema.TimestampTZ},
		{"'2024-01-02 23:04:05-03'::timestamptz::date", "2024-01-03", schema.Date},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			res := d.run("SELECT " + tt.expr)
			require.Len(t, res.Rows, 1)
			assert.Equal(t, tt.want, res.Rows[0][0].String())
			assert.Equal(t, tt.typ, res.Columns[0].Type)
		})
	}
	errs := []struct{ expr, code, msg string }{
		{"DATE '2024-01-05' + '1'", codeAmbiguousFunction, "operator is not unique: date + unknown"},
		{"DATE '2024-01-05' - 1::bigint", schema.CodeUndefinedFunction, "operator does not exist: date - bigint"},
		{"INTERVAL '1 day' / 0", "22012", "division by zero"},
		{"TIMESTAMP '2024-01-01' + INTERVAL '300000 years'", codeDatetimeOverflow, "timestamp out of range"},
		{"INTERVAL '2147483647 mons' + INTERVAL '1 mon'", codeDatetimeOverflow, "interval out of range"},
		{"date_trunc('foo', TIMESTAMP '2024-01-01')", schema.CodeInvalidParameter, `unit "foo" not recognized for type timestamp without time zone`},
		{"extract(hour FROM DATE '2024-01-01')", schema.CodeFeatureUnsupported, `unit "hour" not supported for type date`},
		{"make_date(2024, 2, 30)", codeDatetimeOverflow, "date field value out of range: 2024-02-30"},
	}
	for _, tt := range errs {
		t.Run(tt.expr, func(t *testing.T) {
			assert.Equal(t, tt.msg, d.fails(tt.code, "SELECT "+tt.expr))
		})
	}
}

// TestNowIsTransactionStart: now() and its spellings return Env.TxStart in every statement of
// a transaction; statement_timestamp() is the statement's start; a DEFAULT now() is evaluated
// at insert time.
func TestNowIsTransactionStart(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE t (id INT, at TIMESTAMPTZ DEFAULT now(), day DATE DEFAULT CURRENT_DATE)")
	start := time.Date(2024, 5, 17, 10, 11, 12, 345678000, time.UTC)
	tx := d.st.Begin()
	exec := func(sql string) *Result {
		stmts, err := parser.Parse(sql)
		require.NoError(t, err)
		res, err := Execute(context.Background(), Env{Tx: tx, Store: d.st, TxStart: start}, stmts[0], nil)
		require.NoError(t, err, sql)
		return res
	}
	for range 2 {
		row := exec("SELECT now(), CURRENT_TIMESTAMP, transaction_timestamp(), CURRENT_DATE, LOCALTIMESTAMP, statement_timestamp() > now()").Rows[0]
		assert.Equal(t, "2024-05-17 10:11:12.345678+00|2024-05-17 10:11:12.345678+00|2024-05-17 10:11:12.345678+00|2024-05-17|2024-05-17 10:11:12.345678|t",
			render_(&Result{Rows: []schema.Row{row}})[0])
	}
	exec("INSERT INTO t (id) VALUES (1)")
	require.NoError(t, d.commit(tx))
	assert.Equal(t, "1|2024-05-17 10:11:12.345678+00|2024-05-17", d.one("SELECT * FROM t"))

	before := time.Now()
	d.run("INSERT INTO t (id) VALUES (2)") // an autocommitted statement starts its transaction
	at := d.run("SELECT at FROM t WHERE id = 2").Rows[0][0].Time()
	assert.False(t, at.Before(before.Truncate(time.Microsecond)), "%v before %v", at, before)
	assert.False(t, at.After(time.Now()))
}

func TestSetTimeZone(t *testing.T) {
	d := newDB(t)
	for _, ok := range []string{"SET TIME ZONE 'UTC'", "SET TIME ZONE LOCAL", "SET timezone = DEFAULT", "SET TimeZone TO 'Etc/UTC'", "SET TIME ZONE 0"} {
		assert.Equal(t, "SET", d.run(ok).Tag, ok)
	}
	assert.Equal(t, "UTC", d.one("SHOW TIME ZONE"))
	assert.Contains(t, d.fails(schema.CodeFeatureUnsupported, "SET TIME ZONE 'Europe/Berlin'"), "the session time zone is always UTC")
	assert.Equal(t, "SET datestyle is not supported", d.fails(schema.CodeFeatureUnsupported, "SET datestyle = 'ISO'"))
}

// Every value's text form reads back as the same value, for random dates, timestamps,
// timestamptz values and intervals.
func TestDateTimeTextRoundTrip(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	micros := func() int64 { return rng.Int63n(maxMicros/2) - rng.Int63n(-minMicros/2) }
	for i := 0; i < 2000; i++ {
		vals := []schema.Value{
			schema.DateDays(minDays + rng.Int63n(maxDays-minDays)),
			schema.TimestampMicros(micros()),
			schema.TimestampTZMicros(micros()),
			schema.IntervalOf(int32(rng.Intn(4000)-2000), int32(rng.Intn(80000)-40000), rng.Int63n(1<<50)-1<<49),
			schema.IntervalOf(0, 0, rng.Int63n(100_000_000)-50_000_000),
		}
		for _, v := range vals {
			got, err := parseText(v.String(), schema.Type{Kind: v.Kind()})
			require.NoError(t, err, "%s", v)
			require.Equal(t, v, got, "%s", v)
		}
	}
}

func FuzzParseInterval(f *testing.F) {
	for _, s := range []string{"1 year 2 mons 3 days 04:05:06", "-1 days +02:00:00", "P1Y2M3DT4H5M6S", "1.5 hours ago", "@ 1 minute", "100:00", "1 day 1 day"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseInterval(s)
		if err != nil {
			return
		}
		// Whatever reads prints as text that reads back as the same interval.
		back, err := parseInterval(v.String())
		require.NoError(t, err, "%q printed as %q", s, v.String())
		require.Equal(t, v, back, "%q printed as %q", s, v.String())
	})
}
