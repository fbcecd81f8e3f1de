package schema

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestString(t *testing.T) {
	cases := []struct {
		name string
		v    Value
		want string
	}{
		{"null", Null, "NULL"},
		{"int", Int(-42), "-42"},
		{"float", Float(3.5), "3.5"},
		{"float integral", Float(2), "2"},
		{"float small", Float(1.5e-7), "1.5e-07"},
		{"float large", Float(1e20), "1e+20"},
		{"float below 1e15", Float(123456789012345), "123456789012345"},
		{"nan", Float(math.NaN()), "NaN"},
		{"inf", Float(math.Inf(-1)), "-Infinity"},
		{"text", Str("héllo"), "héllo"},
		{"true", Bool(true), "t"},
		{"false", Bool(false), "f"},
		{"timestamp", TimeValue(time.Date(2026, 11, 23, 12, 0, 1, 500000000, time.UTC)), "2026-11-23 12:00:01.5"},
		{"timestamp whole", TimeValue(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), "2026-01-02 03:04:05"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, c.v.String())
		})
	}
}

func TestFormatReal(t *testing.T) {
	cases := map[float32]string{0.1: "0.1", 1234567: "1.234567e+06", 123456: "123456", 0.00001: "1e-05", 1.5: "1.5"}
	for f, want := range cases {
		assert.Equal(t, want, Float(float64(f)).Format(Real), "%v", f)
		assert.Equal(t, Float(float64(f)).String(), Float(float64(f)).Format(Double))
	}
}

func TestCompare(t *testing.T) {
	cases := []struct {
		name string
		a, b Value
		want int
	}{
		{"ints", Int(1), Int(2), -1},
		{"int float", Int(2), Float(2), 0},
		{"float int", Float(2.5), Int(2), 1},
		{"text", Str("b"), Str("a"), 1},
		{"null last", Null, Int(1), 1},
		{"null null", Null, Null, 0},
		{"nan above", Float(math.NaN()), Float(math.Inf(1)), 1},
		{"bools", Bool(false), Bool(true), -1},
		{"timestamps", TimestampMicros(5), TimestampMicros(-5), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, Compare(c.a, c.b))
			assert.Equal(t, -c.want, Compare(c.b, c.a))
		})
	}
}
