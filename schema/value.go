package schema

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Value is one SQL value: NULL, or a value of one kind. It is a small comparable struct, passed
// by value; numbers, booleans and timestamps live in n (floats as their IEEE bits, timestamps as
// microseconds since 1970-01-01 00:00:00, dates as days since 2000-01-01), text in s; an
// interval uses both (see datetime.go). The zero Value is NULL.
type Value struct {
	k Kind
	n uint64
	s string
}

// Null is the NULL value.
var Null = Value{}

// Int returns an integer value.
func Int(i int64) Value { return Value{k: KindInt, n: uint64(i)} }

// Float returns a floating-point value.
func Float(f float64) Value { return Value{k: KindFloat, n: math.Float64bits(f)} }

// Str returns a text value.
func Str(s string) Value { return Value{k: KindText, s: s} }

// Bool returns a boolean value.
func Bool(b bool) Value {
	if b {
		return Value{k: KindBool, n: 1}
	}
	return Value{k: KindBool}
}

// TimestampMicros returns a timestamp value from microseconds since the Unix epoch.
func TimestampMicros(us int64) Value { return Value{k: KindTimestamp, n: uint64(us)} }

// TimeValue returns a timestamp value for t's wall clock in UTC, truncated to microseconds.
func TimeValue(t time.Time) Value { return TimestampMicros(t.UTC().UnixMicro()) }

// Kind returns the value's kind; KindNull for NULL.
func (v Value) Kind() Kind { return v.k }

// IsNull reports whether v is NULL.
func (v Value) IsNull() bool { return v.k == KindNull }

// Int returns the integer of a KindInt value (and 0/1 for booleans, micros for timestamps).
func (v Value) Int() int64 { return int64(v.n) }

// Float returns the number of a KindFloat value, or an integer or numeric value converted to
// the nearest float.
func (v Value) Float() float64 {
	switch v.k {
	case KindInt:
		return float64(int64(v.n))
	case KindNumeric:
		f, _ := strconv.ParseFloat(v.s, 64) // the text of a numeric is valid float syntax
		return f
	}
	return math.Float64frombits(v.n)
}

// Text returns the string of a KindText value.
func (v Value) Text() string { return v.s }

// Bool returns the truth of a KindBool value.
func (v Value) Bool() bool { return v.n != 0 }

// Micros returns a timestamp as microseconds since the Unix epoch.
func (v Value) Micros() int64 { return int64(v.n) }

// Time returns a timestamp as a UTC time.Time.
func (v Value) Time() time.Time { return time.UnixMicro(int64(v.n)).UTC() }

// TimestampLayout is the text form of timestamps, as PostgreSQL prints them (fraction trimmed).
const TimestampLayout = "2006-01-02 15:04:05.999999"

// String returns the value's text form as PostgreSQL prints it: NULL as "NULL", booleans as
// t/f, floats in the shortest form that reads back exactly.
func (v Value) String() string {
	switch v.k {
	case KindNull:
		return "NULL"
	case KindInt:
		return strconv.FormatInt(int64(v.n), 10)
	case KindFloat:
		return FormatFloat(v.Float())
	case KindText, KindNumeric:
		return v.s
	case KindBool:
		if v.n != 0 {
			return "t"
		}
		return "f"
	case KindTimestamp:
		return formatTimestamp(int64(v.n), "")
	case KindDate:
		return formatDate(int64(v.n))
	case KindTimestampTZ:
		return formatTimestamp(int64(v.n), "+00") // the session time zone is UTC
	case KindInterval:
		return formatInterval(v.Interval())
	}
	return "?"
}

// Format returns the value's text form for a column of type t: like String, except that a
// REAL (float4) prints with the shortest digits that read back as the same float32, as
// PostgreSQL does, rather than the digits of its float64 widening.
func (v Value) Format(t Type) string {
	if v.k == KindFloat && t.Kind == KindFloat && t.Width == 4 {
		return formatFloat(v.Float(), 32, 1e6)
	}
	return v.String()
}

// FormatFloat formats f as PostgreSQL 15 does for float8: the shortest exact representation,
// exponent form outside [1e-4, 1e15), and NaN / Infinity / -Infinity spelled out.
func FormatFloat(f float64) string { return formatFloat(f, 64, 1e15) }

// formatFloat formats f with the shortest digits exact at bitSize, in exponent form when its
// magnitude is below 1e-4 or at least big (1e15 for float8, 1e6 for float4, after DBL_DIG and
// FLT_DIG as PostgreSQL does).
func formatFloat(f float64, bitSize int, big float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-4 || abs >= big) {
		// Go writes e+06 style exponents with at least two digits, as PostgreSQL does.
		return strconv.FormatFloat(f, 'e', -1, bitSize)
	}
	return strconv.FormatFloat(f, 'f', -1, bitSize)
}

// Compare orders two non-NULL values of comparable kinds: -1, 0 or +1. Integers and floats
// compare numerically; text compares bytewise (the "C" collation). NULL sorts after everything,
// as in an ascending PostgreSQL index. Values of unrelated kinds order by kind so that the
// result is still a total order, but callers are expected to coerce first.
func Compare(a, b Value) int {
	if a.k == KindNull || b.k == KindNull {
		switch {
		case a.k == b.k:
			return 0
		case a.k == KindNull:
			return 1
		default:
			return -1
		}
	}
	if a.k != b.k {
		if (a.k == KindInt || a.k == KindFloat) && (b.k == KindInt || b.k == KindFloat) {
			return compareFloat(a.Float(), b.Float())
		}
		if a.k == KindNumeric || b.k == KindNumeric {
			if n, ok := compareNumeric(a, b); ok {
				return n
			}
		}
		return cmpInt(int64(a.k), int64(b.k))
	}
	switch a.k {
	case KindInt, KindTimestamp, KindDate, KindTimestampTZ:
		return cmpInt(int64(a.n), int64(b.n))
	case KindInterval:
		return compareInterval(a, b)
	case KindFloat:
		return compareFloat(a.Float(), b.Float())
	case KindText:
		return strings.Compare(a.s, b.s)
	case KindNumeric:
		return compareNumericText(a.s, b.s)
	case KindBool:
		return cmpInt(int64(a.n), int64(b.n))
	}
	return 0
}

// compareNumeric compares a numeric with an integer exactly, and with a float as PostgreSQL
// does, by converting the numeric to a float. ok is false when the other value is no number.
func compareNumeric(a, b Value) (int, bool) {
	switch {
	case a.k == KindFloat || b.k == KindFloat:
		return compareFloat(a.Float(), b.Float()), true
	case a.k == KindInt:
		return compareNumericText(strconv.FormatInt(int64(a.n), 10), b.s), true
	case b.k == KindInt:
		return compareNumericText(a.s, strconv.FormatInt(int64(b.n), 10)), true
	}
	return 0, false
}

// compareFloat orders floats as PostgreSQL does: NaN is equal to itself and above every number.
func compareFloat(x, y float64) int {
	xn, yn := math.IsNaN(x), math.IsNaN(y)
	switch {
	case xn && yn:
		return 0
	case xn:
		return 1
	case yn:
		return -1
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// Row is one table row: a value per column, in the column order of the table's schema at the
// time the row was written.
type Row []Value

// Clone returns a copy of r that shares no backing array with it.
func (r Row) Clone() Row {
	if r == nil {
		return nil
	}
	c := make(Row, len(r))
	copy(c, r)
	return c
}
