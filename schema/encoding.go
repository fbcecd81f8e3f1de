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
//	KindNumeric    uvarint length, then the number's text form ("-1.50", "NaN"), which keeps
//	               its display scale
//
// A row is a uvarint count followed by that many values.

// AppendValue appends v's encoding to buf and returns the extended buffer.
func AppendValue(buf []byte, v Value) []byte {
	buf = append(buf, byte(v.k))
	switch v.k {
	case KindInt, KindTimestamp:
		buf = binary.AppendVarint(buf, int64(v.n))
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
	case KindInt, KindTimestamp:
		i, n := binary.Varint(p)
		if n <= 0 {
			return Null, 0, ErrTruncated
		}
		return Value{k: k, n: uint64(i)}, 1 + n, nil
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

// DecodeRow decodes one row from the front of buf, returning it and the bytes read.
func DecodeRow(buf []byte) (Row, int, error) {
	cnt, n := binary.Uvarint(buf)
	if n <= 0 || cnt > uint64(len(buf)) { // every value takes at least one byte
		return nil, 0, ErrTruncated
	}
	r := make(Row, cnt)
	off := n
	for i := range r {
		v, m, err := DecodeValue(buf[off:])
		if err != nil {
			return nil, 0, fmt.Errorf("value %d: %w", i, err)
		}
		r[i] = v
		off += m
	}
	return r, off, nil
}
