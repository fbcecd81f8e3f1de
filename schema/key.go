package schema

import (
	"encoding/binary"
	"math"
)

// Index keys use an order-preserving encoding: for two values of the same kind, comparing the
// encodings bytewise gives the same answer as Compare, and a tuple's key is the concatenation of
// its values' keys (text is escaped and terminated, so no key is a prefix of another's value).
// Integers and floats share one numeric encoding so 2 and 2.0 produce equal keys.
//
//	NULL       0x05                     (after every non-NULL value, as ASC puts NULLs last)
//	boolean    0x01 then 0x00 or 0x01
//	number     0x02 then 8 bytes: the float64 bits made order-preserving; integers beyond ±2^53
//	           (not exact in a float) add 8 bytes: the sign-flipped big-endian int64
//	text       0x03 then bytes with 0x00 written as 0x00 0xFF, ended by 0x00 0x01
//	timestamp  0x04 then the sign-flipped big-endian microseconds; a timestamptz the same, and
//	           a date as the microseconds of its midnight (so equal instants have equal keys)
//	interval   0x00 then the sign-flipped big-endian days (a month as 30) and the big-endian
//	           microseconds left over, as Compare orders intervals
//	numeric    0x00 then a class byte (1 negative, 2 zero, 3 positive, 4 NaN) and for non-zero
//	           numbers the exponent and digits (see appendDecimalKey), so 1.5 and 1.50 have one
//	           key. Numerics get their own tag: an index column holds one kind, and exact
//	           decimals do not fit the float encoding that integers and floats share.
//
// Tags need only differ between kinds that can meet in one index column or one hash key:
// intervals and numerics never do (no cast or operator mixes them), so they share 0x00.
const (
	keyInterval  = 0x00
	keyNumeric   = 0x00 // below keyNull, which must stay last
	keyBool      = 0x01
	keyNumber    = 0x02
	keyText      = 0x03
	keyTimestamp = 0x04
	keyNull      = 0x05
)

// AppendKey appends the order-preserving key encoding of v to buf.
func AppendKey(buf []byte, v Value) []byte {
	switch v.k {
	case KindNull:
		return append(buf, keyNull)
	case KindBool:
		return append(buf, keyBool, byte(v.n))
	case KindInt:
		// Integers are encoded as floats so that they compare with float keys; integers that a
		// float64 cannot hold exactly get a 9-byte suffix that breaks ties between them.
		i := int64(v.n)
		buf = appendOrderedFloat(append(buf, keyNumber), float64(i))
		if i > 1<<53 || i < -(1<<53) {
			buf = binary.BigEndian.AppendUint64(buf, uint64(i)^(1<<63))
		}
		return buf
	case KindFloat:
		return appendOrderedFloat(append(buf, keyNumber), v.Float())
	case KindText:
		buf = append(buf, keyText)
		for i := 0; i < len(v.s); i++ {
			if v.s[i] == 0 {
				buf = append(buf, 0, 0xFF)
			} else {
				buf = append(buf, v.s[i])
			}
		}
		return append(buf, 0, 1)
	case KindTimestamp, KindTimestampTZ:
		return binary.BigEndian.AppendUint64(append(buf, keyTimestamp), v.n^(1<<63))
	case KindDate:
		us := DateMicros(int64(v.n))
		return binary.BigEndian.AppendUint64(append(buf, keyTimestamp), uint64(us)^(1<<63))
	case KindInterval:
		days, rest := intervalSpan(v)
		buf = binary.BigEndian.AppendUint64(append(buf, keyInterval), uint64(days)^(1<<63))
		return binary.BigEndian.AppendUint64(buf, uint64(rest))
	case KindNumeric:
		return appendDecimalKey(append(buf, keyNumeric), v.Decimal())
	}
	return buf
}

// Key returns the key encoding of a tuple of values as a string, usable as a map key.
func Key(vals ...Value) string {
	var buf []byte
	for _, v := range vals {
		buf = AppendKey(buf, v)
	}
	return string(buf)
}

func appendOrderedFloat(buf []byte, f float64) []byte {
	if f == 0 {
		f = 0 // -0 and +0 are equal
	}
	if math.IsNaN(f) {
		return binary.BigEndian.AppendUint64(buf, math.MaxUint64) // NaN sorts above every number
	}
	b := math.Float64bits(f)
	if b&(1<<63) != 0 {
		b = ^b
	} else {
		b |= 1 << 63
	}
	return binary.BigEndian.AppendUint64(buf, b)
}
