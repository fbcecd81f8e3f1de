package conformance

import (
	"crypto/md5"
	"encoding/hex"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/eventsql/eventsql/schema"
)

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  byte
		v    schema.Value
		want string
	}{
		{"null I", 'I', schema.Null, "NULL"},
		{"null R", 'R', schema.Null, "NULL"},
		{"null T", 'T', schema.Null, "NULL"},
		{"int I", 'I', schema.Int(-42), "-42"},
		{"big int I", 'I', schema.Int(1 << 40), "1099511627776"},
		{"float I truncates", 'I', schema.Float(2.9), "2"},
		{"negative float I truncates toward zero", 'I', schema.Float(-2.9), "-2"},
		{"huge float I saturates", 'I', schema.Float(1e300), "9223372036854775807"},
		{"NaN I", 'I', schema.Float(math.NaN()), "0"},
		{"bool I", 'I', schema.Bool(true), "1"},
		{"text I takes the integer prefix", 'I', schema.Str("12abc"), "12"},
		{"text I without a number", 'I', schema.Str("abc"), "0"},
		{"int R", 'R', schema.Int(7), "7.000"},
		{"float R", 'R', schema.Float(-1.23456), "-1.235"},
		{"bool R", 'R', schema.Bool(false), "0.000"},
		{"text R", 'R', schema.Str("2.5x"), "2.500"},
		{"text T", 'T', schema.Str("hello world"), "hello world"},
		{"empty T", 'T', schema.Str(""), "(empty)"},
		{"control and non-ASCII T", 'T', schema.Str("a\tb\u00e9~"), "a@b@@~"},
		{"int T", 'T', schema.Int(10), "10"},
		{"float T", 'T', schema.Float(0.5), "0.5"},
		{"bool T", 'T', schema.Bool(false), "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, FormatValue(tc.typ, tc.v))
		})
	}
}

func TestFormatReal(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    float64
		want string
	}{
		{"zero", 0, "0.000"},
		{"negative zero", math.Copysign(0, -1), "0.000"},
		{"exact", 1.5, "1.500"},
		{"rounds down", 1.2344, "1.234"},
		{"rounds up", 1.2346, "1.235"},
		{"exact tie away from zero", 0.0625, "0.063"},
		{"negative exact tie away from zero", -0.0625, "-0.063"},
		{"exact tie in a larger number", 2.5625, "2.563"},
		{"not a tie: 1.0005 is 1.000499999...", 1.0005, "1.000"},
		{"carry into the integer part", 9.9996, "10.000"},
		{"small negative keeps its sign", -0.0001, "-0.000"},
		{"large", 123456789012.3456, "123456789012.346"},
		{"integer-valued huge", 1e20, "100000000000000000000.000"},
		{"NaN", math.NaN(), "NaN"},
		{"infinity", math.Inf(-1), "-Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, FormatReal(tc.f))
		})
	}
}

func TestSortValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		vals []string
		ncol int
		mode SortMode
		want []string
	}{
		{"nosort keeps order", []string{"b", "a"}, 1, NoSort, []string{"b", "a"}},
		{"valuesort is bytewise", []string{"9", "10", "NULL", "-1"}, 1, ValueSort, []string{"-1", "10", "9", "NULL"}},
		{"valuesort ignores rows", []string{"2", "a", "1", "b"}, 2, ValueSort, []string{"1", "2", "a", "b"}},
		{"rowsort keeps rows together", []string{"2", "a", "1", "b", "1", "a"}, 2, RowSort,
			[]string{"1", "a", "1", "b", "2", "a"}},
		// Column by column, not by the joined row: "a" < "a b" but "a","z" > "a b","a".
		{"rowsort compares column by column", []string{"a b", "a", "a", "z"}, 2, RowSort,
			[]string{"a", "z", "a b", "a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			SortValues(tc.vals, tc.ncol, tc.mode)
			assert.Equal(t, tc.want, tc.vals)
		})
	}
}

func TestRender(t *testing.T) {
	rows := []schema.Row{
		{schema.Int(3), schema.Str("c")},
		{schema.Int(1), schema.Null},
		{schema.Int(2), schema.Str("")},
	}
	t.Run("under the threshold", func(t *testing.T) {
		assert.Equal(t, []string{"1", "NULL", "2", "(empty)", "3", "c"}, Render("IT", RowSort, 8, rows))
	})
	t.Run("threshold 0 never hashes", func(t *testing.T) {
		assert.Len(t, Render("IT", NoSort, 0, rows), 6)
	})
	t.Run("over the threshold", func(t *testing.T) {
		sum := md5.Sum([]byte("1\nNULL\n2\n(empty)\n3\nc\n"))
		want := "6 values hashing to " + hex.EncodeToString(sum[:])
		assert.Equal(t, []string{want}, Render("IT", RowSort, 5, rows))
	})
	t.Run("hash of two values", func(t *testing.T) {
		sum := md5.Sum([]byte("a\nb\n"))
		assert.Equal(t, hex.EncodeToString(sum[:]), Hash([]string{"a", "b"}))
	})
}
