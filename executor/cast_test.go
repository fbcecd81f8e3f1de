package executor

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

func TestParseText(t *testing.T) {
	ts := func(s string) schema.Value {
		v, err := parseTimestamp(s)
		require.NoError(t, err)
		return v
	}
	tests := []struct {
		name string
		in   string
		to   schema.Type
		want schema.Value
		code string
	}{
		{"int", " 42 ", schema.Integer, schema.Int(42), ""},
		{"negative int", "-7", schema.Integer, schema.Int(-7), ""},
		{"int4 max", "2147483647", schema.Integer, schema.Int(math.MaxInt32), ""},
		{"int4 overflow", "2147483648", schema.Integer, schema.Null, schema.CodeOutOfRange},
		{"int2 overflow", "40000", schema.SmallInt, schema.Null, schema.CodeOutOfRange},
		{"int8 overflow", "9223372036854775808", schema.BigInt, schema.Null, schema.CodeOutOfRange},
		{"int garbage", "12x", schema.Integer, schema.Null, schema.CodeInvalidText},
		{"int empty", "", schema.Integer, schema.Null, schema.CodeInvalidText},
		{"int with fraction", "1.5", schema.Integer, schema.Null, schema.CodeInvalidText},
		{"float", "1.25", schema.Double, schema.Float(1.25), ""},
		{"float exponent", "1e3", schema.Double, schema.Float(1000), ""},
		{"float NaN", "NaN", schema.Double, schema.Float(math.NaN()), ""},
		{"float -Infinity", "-Infinity", schema.Double, schema.Float(math.Inf(-1)), ""},
		{"float overflow", "1e400", schema.Double, schema.Null, schema.CodeOutOfRange},
		{"real overflow", "1e39", schema.Real, schema.Null, schema.CodeOutOfRange},
		{"float hex rejected", "0x10", schema.Double, schema.Null, schema.CodeInvalidText},
		{"bool true", "TRUE", schema.Boolean, schema.Bool(true), ""},
		{"bool prefix", "t", schema.Boolean, schema.Bool(true), ""},
		{"bool yes", "yes", schema.Boolean, schema.Bool(true), ""},
		{"bool off", "off", schema.Boolean, schema.Bool(false), ""},
		{"bool 0", " 0 ", schema.Boolean, schema.Bool(false), ""},
		{"bool ambiguous o", "o", schema.Boolean, schema.Null, schema.CodeInvalidText},
		{"bool garbage", "maybe", schema.Boolean, schema.Null, schema.CodeInvalidText},
		{"date", "2024-02-29", schema.Timestamp, ts("2024-02-29 00:00:00"), ""},
		{"timestamp T", "2024-01-02T03:04:05", schema.Timestamp, ts("2024-01-02 03:04:05"), ""},
		{"timestamp fraction", "2024-01-02 03:04:05.123456", schema.Timestamp, schema.TimestampMicros(1704164645123456), ""},
		{"timestamp zone ignored", "2024-01-02 03:04:05Z", schema.Timestamp, ts("2024-01-02 03:04:05"), ""},
		{"timestamp no seconds", "2024-01-02 03:04", schema.Timestamp, ts("2024-01-02 03:04:00"), ""},
		{"timestamp bad day", "2023-02-29", schema.Timestamp, schema.Null, codeDatetimeOverflow},
		{"timestamp bad month", "2023-13-01", schema.Timestamp, schema.Null, codeDatetimeOverflow},
		{"timestamp bad hour", "2023-01-01 25:00", schema.Timestamp, schema.Null, codeDatetimeOverflow},
		{"timestamp garbage", "yesterday", schema.Timestamp, schema.Null, schema.CodeInvalidDatetime},
		{"varchar fits", "abc", schema.Varchar(3), schema.Str("abc"), ""},
		{"varchar too long", "abcd", schema.Varchar(3), schema.Null, schema.CodeStringTooLong},
		{"varchar trailing spaces cut", "abc  ", schema.Varchar(3), schema.Str("abc"), ""},
		{"varchar counts characters", "héé", schema.Varchar(3), schema.Str("héé"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseText(tt.in, tt.to)
			if tt.code != "" {
				requireCode(t, tt.code, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 0, schema.Compare(tt.want, got), "got %v want %v", got, tt.want)
			assert.Equal(t, tt.want.Kind(), got.Kind())
		})
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		name     string
		in       schema.Value
		to       schema.Type
		explicit bool
		want     schema.Value
		code     string
	}{
		{"float to int rounds half to even (down)", schema.Float(2.5), schema.Integer, false, schema.Int(2), ""},
		{"float to int rounds half to even (up)", schema.Float(3.5), schema.Integer, false, schema.Int(4), ""},
		{"negative half", schema.Float(-2.5), schema.Integer, false, schema.Int(-2), ""},
		{"float to int nearest", schema.Float(2.7), schema.Integer, false, schema.Int(3), ""},
		{"float too big for int4", schema.Float(3e9), schema.Integer, false, schema.Null, schema.CodeOutOfRange},
		{"NaN to int", schema.Float(math.NaN()), schema.BigInt, false, schema.Null, schema.CodeOutOfRange},
		{"bigint to int4", schema.Int(1 << 40), schema.Integer, false, schema.Null, schema.CodeOutOfRange},
		{"int to smallint", schema.Int(-32768), schema.SmallInt, false, schema.Int(-32768), ""},
		{"int to float", schema.Int(3), schema.Double, false, schema.Float(3), ""},
		{"double to real", schema.Float(0.1), schema.Real, false, schema.Float(float64(float32(0.1))), ""},
		{"double too big for real", schema.Float(1e300), schema.Real, false, schema.Null, schema.CodeOutOfRange},
		{"bool to text", schema.Bool(true), schema.Text, false, schema.Str("true"), ""},
		{"int to text", schema.Int(-5), schema.Text, false, schema.Str("-5"), ""},
		{"text cut by explicit varchar", schema.Str("abcdef"), schema.Varchar(2), true, schema.Str("ab"), ""},
		{"text rejected by assigned varchar", schema.Str("abcdef"), schema.Varchar(2), false, schema.Null, schema.CodeStringTooLong},
		{"int to bool", schema.Int(2), schema.Boolean, true, schema.Bool(true), ""},
		{"bool to int", schema.Bool(true), schema.Integer, true, schema.Int(1), ""},
		{"NULL stays NULL", schema.Null, schema.Integer, false, schema.Null, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := convert(tt.in, tt.to, tt.explicit)
			if tt.code != "" {
				requireCode(t, tt.code, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestCanCast(t *testing.T) {
	tests := []struct {
		from, to                   schema.Type
		implicit, assign, explicit bool
	}{
		{schema.Integer, schema.BigInt, true, true, true},
		{schema.BigInt, schema.Integer, false, true, true},
		{schema.Integer, schema.Double, true, true, true},
		{schema.Double, schema.Integer, false, true, true},
		{schema.Integer, schema.Text, false, true, true},
		{schema.Text, schema.Integer, false, false, true},
		{schema.Boolean, schema.Integer, false, false, true},
		{schema.Timestamp, schema.Integer, false, false, false},
		{unknownType, schema.Timestamp, true, true, true},
	}
	for _, tt := range tests {
		t.Run(typeName(tt.from)+" to "+typeName(tt.to), func(t *testing.T) {
			assert.Equal(t, tt.implicit, canCast(tt.from, tt.to, castImplicit), "implicit")
			assert.Equal(t, tt.assign, canCast(tt.from, tt.to, castAssign), "assignment")
			assert.Equal(t, tt.explicit, canCast(tt.from, tt.to, castExplicit), "explicit")
		})
	}
}
