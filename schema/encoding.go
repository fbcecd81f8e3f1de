package schema

import (
	"encoding/binary"
	"fmt"
)

// The compact encoding used inside events and snapshots. A value is its kind byte followed by
//
//	KindNull       nothing
//	KindInt        signed varint (zig-zag)
//	KindFloat      8 bytes, little-endian IEEE 754 bits
//	KindText       uvarint length, then the UTF-8 bytes
//	KindBool       1 byte, 0 or 1
//	KindTimestamp  signed varint of microseconds since the Unix epoch
//	KindDate       signed varint of days since 2000-01-01
//	KindTimestampTZ signed varint of microseconds since the Unix epoch (UTC)
//	KindInterval   signed varints of months, days and microseconds
//	KindNumeric    uvarint length, then the number's text form ("-1.50", "NaN"), which keeps
//	               its display scale
//
// A row is a uvarint count followed by that many values.

// AppendValue appends v's encoding to buf and returns the extended buffer.
func AppendValue(buf []byte, v Value) []byte {
	buf = append(buf, byte(v.k))
	switch v.k {
	case KindInt, KindTimestamp, KindDate, KindTimestampTZ:
		buf = binary.AppendVarint(buf, int64(v.n))
	case KindInterval:
		m, d, us := v.Interval()
		buf = binary.AppendVarint(buf, int64(m))
		buf = binary.AppendVarint(buf, int64(d))
		buf = binary.AppendVarint(buf, us)
	case KindFloat:
		buf = binary.LittleEndian.AppendUint64(buf, v.n)
	case KindText, KindNumeric:
		buf = binary.AppendUvarint(buf, uint64(len(v.s)))
		buf = append(buf, v.s...)
	case KindBool:
		buf = append(buf, byte(v.n))
	}
	return buf
}

// DecodeValue decodes one value from the front of buf and returns it with the number of bytes
// read. It fails with ErrTruncated or ErrBadKind; it never panics on malformed input.
func DecodeValue(buf []byte) (Value, int, error) {
	if len(buf) == 0 {
		return Null, 0, ErrTruncated
	}
	k := Kind(buf[0])
	p := buf[1:]
	switch k {
	case KindNull:
		return Null, 1, nil
	case KindInt, KindTimestamp, KindDate, KindTimestampTZ:
		i, n := binary.Varint(p)
		if n <= 0 {
			return Null, 0, ErrTruncated
		}
		if k == KindDate && (i < DateNegInfinity || i > DateInfinity) {
			return Null, 0, fmt.Errorf("%w: date %d out of range", ErrBadKind, i)
		}
		return Value{k: k, n: uint64(i)}, 1 + n, nil
	case KindInterval:
		return decodeInterval(p)
	case KindFloat:
		if len(p) < 8 {
			return Null, 0, ErrTruncated
		}
		return Value{k: k, n: binary.LittleEndian.Uint64(p)}, 9, nil
	case KindText:
		l, n := binary.Uvarint(p)
		if n <= 0 || l > uint64(len(p)-n) {
			return Null, 0, ErrTruncated
		}
		return Value{k: k, s: string(p[n : n+int(l)])}, 1 + n + int(l), nil
	case KindNumeric:
		l, n := binary.Uvarint(p)
		if n <= 0 || l > uint64(len(p)-n) {
			return Null, 0, ErrTruncated
		}
		s := string(p[n : n+int(l)])
		// Only the canonical text is accepted, so that re-encoding gives the same bytes.
		if d, ok, _ := ParseDecimal(s); !ok || d.String() != s {
			return Null, 0, fmt.Errorf("%w: numeric %q", ErrBadValue, s)
		}
		return Value{k: k, s: s}, 1 + n + int(l), nil
	case KindBool:
		if len(p) < 1 {
			return Null, 0, ErrTruncated
		}
		if p[0] > 1 {
			return Null, 0, fmt.Errorf("%w: boolean byte %d", ErrBadKind, p[0])
		}
		return Value{k: k, n: uint64(p[0])}, 2, nil
	}
	return Null, 0, fmt.Errorf("%w: %d", ErrBadKind, buf[0])
}

// AppendRow appends r's encoding to buf.
func AppendRow(buf []byte, r Row) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(r)))
	for _, v := range r {
		buf = AppendValue(buf, v)
	}
	return buf
}

// DecodeRow decodes one row from the front of buf, returning it and the bytes read. It fails
// as DecodeValue does, naming the value. All the row's text values share one string: the
// encoded bytes from the first text value to the last, converted once and sliced, so a row
// costs at most two allocations (its values, its text) however many text values it holds.
// The text keeps those bytes alive as long as any of the row's text values lives: they are
// the row's own bytes, so a row never pins more than its encoding.
func DecodeRow(buf []byte) (Row, int, error) {
	cnt, n := binary.Uvarint(buf)
	if n <= 0 || cnt > uint64(len(buf)) { // every value takes at least one byte
		return nil, 0, ErrTruncated
	}
	r := make(Row, cnt)
	off := n
	lo, hi := -1, 0 // buf[lo:hi] holds every text value's bytes
	for i := range r {
		if off < len(buf) && Kind(buf[off]) == KindText {
			start, end, ok := textAt(buf, off)
			if !ok {
				return nil, 0, fmt.Errorf("value %d: %w", i, ErrTruncated)
			}
			// Remember where the value starts; its string is cut out below, once every text
			// value's place is known. (Setting fields, not the whole Value, stores no pointer:
			// no GC write barrier.)
			r[i].k, r[i].n = KindText, uint64(off)
			if lo < 0 {
				lo = start
			}
			off, hi = end, end
			continue
		}
		v, m, err := DecodeValue(buf[off:])
		if err != nil {
			return nil, 0, fmt.Errorf("value %d: %w", i, err)
		}
		r[i] = v
		off += m
	}
	if lo >= 0 {
		text := string(buf[lo:hi])
		for i := range r {
			if r[i].k == KindText && r[i].n != 0 { // n: where its encoding starts, never 0
				start, end, _ := textAt(buf, int(r[i].n))
				r[i].n, r[i].s = 0, text[start-lo:end-lo]
			}
		}
	}
	return r, off, nil
}

// decodeInterval decodes the three varints of an interval (after its kind byte).
func decodeInterval(p []byte) (Value, int, error) {
	var f [3]int64
	off := 0
	for i := range f {
		x, n := binary.Varint(p[off:])
		if n <= 0 {
			return Null, 0, ErrTruncated
		}
		f[i], off = x, off+n
	}
	if f[0] != int64(int32(f[0])) || f[1] != int64(int32(f[1])) {
		return Null, 0, fmt.Errorf("%w: interval months or days out of range", ErrBadKind)
	}
	return IntervalOf(int32(f[0]), int32(f[1]), f[2]), 1 + off, nil
}

// textAt returns where the bytes of the text value encoded at buf[off:] start and end, or
// false if its length is malformed or runs past the end of buf.
func textAt(buf []byte, off int) (start, end int, ok bool) {
	p := buf[off+1:]
	l, n := binary.Uvarint(p)
	if n <= 0 || l > uint64(len(p)-n) {
		return 0, 0, false
	}
	start = off + 1 + n
	return start, start + int(l), true
}
