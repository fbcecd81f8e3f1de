package schema

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleValues() []Value {
	return []Value{
		Null, Int(0), Int(-1), Int(1), Int(math.MaxInt64), Int(math.MinInt64), Int(1 << 53), Int(1<<53 + 1),
		Int(-(1 << 53) - 1), Float(0), Float(math.Copysign(0, -1)), Float(-2.5), Float(2.5), Float(1e300),
		Float(math.Inf(1)), Float(math.Inf(-1)), Float(math.NaN()), Str(""), Str("a"), Str("a\x00b"), Str("ab"),
		Str("b"), Str("\x00"), Bool(false), Bool(true), TimestampMicros(0), TimestampMicros(-1),
		TimeValue(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)), DateDays(0), DateDays(-1), DateDays(DateInfinity),
		DateDays(DateNegInfinity), TimestampTZMicros(1), TimestampTZMicros(TimeInfinity), IntervalOf(0, 0, 0),
		IntervalOf(14, -3, 3_600_000_000), IntervalOf(math.MinInt32, math.MaxInt32, math.MinInt64),
		num("0"), num("-1.50"), num("123456789012345678901234567890.000001"), num("NaN"), num("0.00"),
	}
}

func TestValueRoundTrip(t *testing.T) {
	vals := sampleValues()
	buf := AppendRow(nil, vals)
	got, n, err := DecodeRow(buf)
	require.NoError(t, err)
	assert.Equal(t, len(buf), n)
	require.Len(t, got, len(vals))
	for i := range vals {
		if vals[i].Kind() == KindFloat && math.IsNaN(vals[i].Float()) {
			assert.True(t, math.IsNaN(got[i].Float()))
			continue
		}
		assert.Equal(t, vals[i], got[i], "value %d", i)
	}
}

func TestDecodeTruncated(t *testing.T) {
	buf := AppendRow(nil, sampleValues())
	for cut := 0; cut < len(buf); cut++ {
		_, _, err := DecodeRow(buf[:cut])
		assert.Error(t, err, "cut at %d", cut)
	}
}

// decodeRowByValue is DecodeRow done the plain way, one DecodeValue (and one string) per value:
// the reference DecodeRow's shared-text decoding must agree with.
func decodeRowByValue(buf []byte) (Row, int, error) {
	cnt, off := binary.Uvarint(buf)
	if off <= 0 || cnt > uint64(len(buf)) {
		return nil, 0, ErrTruncated
	}
	r := make(Row, cnt)
	for i := range r {
		v, m, err := DecodeValue(buf[off:])
		if err != nil {
			return nil, 0, fmt.Errorf("value %d: %w", i, err)
		}
		r[i], off = v, off+m
	}
	return r, off, nil
}

func TestDecodeRowAllocs(t *testing.T) {
	tests := []struct {
		name string
		row  Row
		want float64
	}{
		{"no text", Row{Int(1), Float(2), Null, Bool(true)}, 1},
		{"one text", Row{Int(1), Str("abc")}, 2},
		{"texts around other values", Row{Str("a"), Int(1), Str(""), Null, Str("bc"), Float(1)}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := AppendRow(nil, tt.row)
			got := testing.AllocsPerRun(100, func() {
				if _, _, err := DecodeRow(buf); err != nil {
					t.Fatal(err)
				}
			})
			assert.Equal(t, tt.want, got)
			row, _, err := DecodeRow(buf)
			require.NoError(t, err)
			assert.Equal(t, tt.row, row)
			buf[len(buf)-1] ^= 0xff // the row's text is its own copy
			assert.Equal(t, tt.row, row)
		})
	}
}

func FuzzDecodeRow(f *testing.F) {
	f.Add(AppendRow(nil, sampleValues()))
	f.Add([]byte{1, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		row, n, err := DecodeRow(data)
		want, wantN, wantErr := decodeRowByValue(data)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("DecodeRow: %v; value by value: %v", err, wantErr)
		}
		if err != nil {
			return
		}
		// It reads exactly what DecodeValue reads, value after value.
		assert.Equal(t, wantN, n)
		assert.Equal(t, want, row)
		// Whatever decodes re-encodes to the same bytes (the encoding is canonical).
		assert.Equal(t, data[:n], AppendRow(nil, row))
	})
}

// Keys order exactly as Compare orders values of the same kind, numbers across int/float.
func TestKeyOrder(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	groups := [][]Value{}
	var nums, texts, stamps []Value
	for _, v := range sampleValues() {
		switch v.Kind() {
		case KindInt, KindFloat:
			nums = append(nums, v)
		case KindText:
			texts = append(texts, v)
		case KindTimestamp:
			stamps = append(stamps, v)
		}
	}
	for i := 0; i < 200; i++ {
		nums = append(nums, Int(rng.Int63n(1<<60)-1<<59), Float(rng.NormFloat64()*1e6))
		b := make([]byte, rng.Intn(4))
		rng.Read(b)
		texts = append(texts, Str(string(b)))
		stamps = append(stamps, TimestampMicros(rng.Int63()-1<<62))
	}
	groups = append(groups, nums, texts, stamps, []Value{Bool(false), Bool(true)})
	for _, g := range groups {
		for _, a := range g {
			for _, b := range g {
				want := Compare(a, b)
				got := bytes.Compare([]byte(Key(a)), []byte(Key(b)))
				if (a.Kind() == KindInt) != (b.Kind() == KindInt) && want == 0 {
					continue // 2 and 2.0: equal values, and keys equal unless beyond 2^53
				}
				require.Equal(t, want, got, "Compare(%v, %v) vs key order", a, b)
			}
		}
	}
	// NULL sorts after every non-NULL value.
	all := sampleValues()
	sort.Slice(all, func(i, j int) bool { return Key(all[i]) < Key(all[j]) })
	assert.True(t, all[len(all)-1].IsNull())
	assert.Equal(t, Key(Int(2)), Key(Float(2)))
}
