package schema

import "fmt"

// Kind is the storage class of a value: every SQL type maps to one kind.
type Kind uint8

// The kinds. KindNull is the kind of the NULL value only; no column has it.
const (
	KindNull Kind = iota
	KindInt
	KindFloat
	KindText
	KindBool
	KindTimestamp
	KindNumeric     // exact decimal: NUMERIC(p,s)
	KindDate        // days since 2000-01-01
	KindTimestampTZ // microseconds since the Unix epoch, an absolute instant
	KindInterval    // months, days and microseconds, kept apart as PostgreSQL does
)

var kindNames = [...]string{"null", "integer", "float", "text", "boolean", "timestamp", "numeric", "date", "timestamptz", "interval"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Type is a column's SQL type: a kind plus the details that constrain values of that kind.
// For KindInt, Width is 2, 4 or 8 bytes (SMALLINT, INTEGER, BIGINT) and bounds the range; for
// KindFloat it is 4 or 8 (REAL, DOUBLE PRECISION); for timestamps it is TIMESTAMP(p)'s p+1
// (0: microseconds, no precision given). For KindText, Length > 0 is VARCHAR(Length),
// counted in characters; 0 is TEXT. For KindNumeric, Length > 0 is NUMERIC(Length, Scale), the
// precision and scale; 0 is NUMERIC without limits.
type Type struct {
	Kind   Kind
	Width  uint8
	Length int
	Scale  int
}

// The column types of the dialect.
var (
	SmallInt    = Type{Kind: KindInt, Width: 2}
	Integer     = Type{Kind: KindInt, Width: 4}
	BigInt      = Type{Kind: KindInt, Width: 8}
	Real        = Type{Kind: KindFloat, Width: 4}
	Double      = Type{Kind: KindFloat, Width: 8}
	Text        = Type{Kind: KindText}
	Boolean     = Type{Kind: KindBool}
	Timestamp   = Type{Kind: KindTimestamp}
	Date        = Type{Kind: KindDate}
	TimestampTZ = Type{Kind: KindTimestampTZ}
	Interval    = Type{Kind: KindInterval}
	Numeric     = Type{Kind: KindNumeric}
)

// NumericOf returns NUMERIC(precision, scale).
func NumericOf(precision, scale int) Type {
	return Type{Kind: KindNumeric, Length: precision, Scale: scale}
}

// Varchar returns VARCHAR(n).
func Varchar(n int) Type { return Type{Kind: KindText, Length: n} }

// String returns the type's name as PostgreSQL prints it.
func (t Type) String() string {
	switch t.Kind {
	case KindInt:
		switch t.Width {
		case 2:
			return "smallint"
		case 4:
			return "integer"
		default:
			return "bigint"
		}
	case KindFloat:
		if t.Width == 4 {
			return "real"
		}
		return "double precision"
	case KindText:
		if t.Length > 0 {
			return fmt.Sprintf("character varying(%d)", t.Length)
		}
		return "text"
	case KindBool:
		return "boolean"
	case KindTimestamp, KindTimestampTZ:
		// Width is TIMESTAMP(p)'s precision plus one, 0 when none was given.
		name := "timestamp"
		if t.Width > 0 {
			name = fmt.Sprintf("timestamp(%d)", t.Width-1)
		}
		if t.Kind == KindTimestampTZ {
			return name + " with time zone"
		}
		return name + " without time zone"
	case KindNumeric:
		if t.Length > 0 {
			return fmt.Sprintf("numeric(%d,%d)", t.Length, t.Scale)
		}
		return "numeric"
	}
	return t.Kind.String()
}

// IntRange returns the smallest and largest value an integer type holds.
func (t Type) IntRange() (min, max int64) {
	switch t.Width {
	case 2:
		return -1 << 15, 1<<15 - 1
	case 4:
		return -1 << 31, 1<<31 - 1
	}
	return -1 << 63, 1<<63 - 1
}
