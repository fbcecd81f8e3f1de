package schema

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dec(t testing.TB, s string) Decimal {
	t.Helper()
	d, ok, _ := ParseDecimal(s)
	require.True(t, ok, "parse %q", s)
	return d
}

func num(s string) Value {
	d, ok, _ := ParseDecimal(s)
	if !ok {
		panic("bad numeric " + s)
	}
	return Num(d)
}

func TestParseDecimal(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0", "0"}, {"-0.0", "0.0"}, {"1.50", "1.50"}, {" +7 ", "7"}, {".5", "0.5"}, {"5.", "5"},
		{"1e3", "1000"}, {"1.50e1", "15.0"}, {"1.5e-3", "0.0015"}, {"-1E-2", "-0.01"}, {"nan", "NaN"},
		{"000123.4500", "123.4500"}, {"12345678901234567890.1", "12345678901234567890.1"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) { assert.Equal(t, c.want, dec(t, c.in).String()) })
	}
	for _, bad := range []string{"", "abc", "1.2.3", "1e", "--1", "1_000", "0x10", "Infinity", ". ", "e5"} {
		_, ok, _ := ParseDecimal(bad)
		assert.False(t, ok, "%q", bad)
	}
	_, ok, overflow := ParseDecimal("1e131073")
	assert.True(t, overflow && !ok)
	_, ok, overflow = ParseDecimal("1e-20000")
	assert.True(t, overflow && !ok)
}

func TestDecimalArithmetic(t *testing.T) {
	cases := []struct {
		name string
		got  Decimal
		want string
	}{
		{"add keeps larger scale", dec(t, "1.5").Add(dec(t, "2.25")), "3.75"},
		{"add zeros", dec(t, "0.10").Add(dec(t, "0.20")), "0.30"},
		{"sub", dec(t, "1").Sub(dec(t, "1.000")), "0.000"},
		{"mul adds scales", dec(t, "1.50").Mul(dec(t, "2.0")), "3.000"},
		{"quo rounds half away", dec(t, "2").QuoRound(dec(t, "3"), 3), "0.667"},
		{"quo negative", dec(t, "-2").QuoRound(dec(t, "3"), 3), "-0.667"},
		{"quo tie", dec(t, "1").QuoRound(dec(t, "8"), 2), "0.13"},
		{"quo negative tie", dec(t, "-1").QuoRound(dec(t, "8"), 2), "-0.13"},
		{"rem sign of dividend", dec(t, "-7.5").Rem(dec(t, "2")), "-1.5"},
		{"rescale up", dec(t, "1.5").Rescale(3), "1.500"},
		{"rescale half away", dec(t, "-2.5").Rescale(0), "-3"},
		{"rescale negative", dec(t, "1234.5").Rescale(-2), "1200"},
		{"truncate", dec(t, "-1.57").Truncate(1), "-1.5"},
		{"floor", dec(t, "-1.5").Floor(), "-2"},
		{"ceil", dec(t, "-1.5").Ceil(), "-1"},
		{"ceil exact", dec(t, "2.00").Ceil(), "2"},
		{"nan absorbs", dec(t, "NaN").Add(dec(t, "1")), "NaN"},
		{"sqrt", dec(t, "2").SqrtRound(15), "1.414213562373095"},
		{"sqrt exact", dec(t, "1.21").SqrtRound(3), "1.100"},
		{"pow", dec(t, "1.5").PowInt(3), "3.375"},
		{"exp", dec(t, "1").ExpRound(16, 1), "2.7182818284590452"},
		{"exp negative", dec(t, "-10.5").ExpRound(20, 0), "0.00002753644934974716"},
		{"ln", DecimalFromBigFloat(dec(t, "2").LnBig(200), 16), "0.6931471805599453"},
		{"ln large", DecimalFromBigFloat(dec(t, "10000000000000000000").LnBig(200), 15), "43.749116766886868"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, c.got.String()) })
	}
}

func TestDecimalConversions(t *testing.T) {
	d, ok := DecimalFromFloat(0.1, 15)
	require.True(t, ok)
	assert.Equal(t, "0.1", d.String())
	d, _ = DecimalFromFloat(1.0/3, 15)
	assert.Equal(t, "0.333333333333333", d.String())
	d, _ = DecimalFromFloat(1e20, 15)
	assert.Equal(t, "100000000000000000000", d.String())
	_, ok = DecimalFromFloat(math.Inf(1), 15)
	assert.False(t, ok)
	assert.Equal(t, 2.5, dec(t, "2.50").Float64())
	i, ok := dec(t, "-2.5").Int64()
	assert.True(t, ok)
	assert.Equal(t, int64(-3), i)
	_, ok = dec(t, "9223372036854775807.5").Int64()
	assert.False(t, ok)
	assert.Equal(t, 2, dec(t, "123.4").Weight10())
	assert.Equal(t, -2, dec(t, "0.05").Weight10())
}

func TestNumericCompare(t *testing.T) {
	assert.Equal(t, 0, Compare(num("1.5"), num("1.50")))
	assert.Equal(t, -1, Compare(num("-2"), num("-1.99")))
	assert.Equal(t, 1, Compare(num("NaN"), num("1e100")))
	assert.Equal(t, 0, Compare(num("2.000"), Int(2)))
	assert.Equal(t, 1, Compare(num("9223372036854775808"), Int(math.MaxInt64)))
	assert.Equal(t, 0, Compare(num("0.1"), Float(0.1)))
	assert.Equal(t, -1, Compare(Int(1), num("1.5")))
}

// Numeric keys order as Compare orders numerics, and equal numbers of any scale share a key.
func TestNumericKeyOrder(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	vals := []Value{num("0"), num("0.000"), num("-0.001"), num("0.001"), num("1"), num("1.0"), num("10"), num("9.99"),
		num("-10"), num("-9.99"), num("NaN"), num("123456789012345678901234567890"), num("-1e-30"), num("1e-30"), num("0.12"), num("0.1200001")}
	for i := 0; i < 300; i++ {
		c := new(big.Int).Rand(rng, big.NewInt(1e12))
		if rng.Intn(2) == 0 {
			c.Neg(c)
		}
		vals = append(vals, Num(NewDecimal(c, int32(rng.Intn(15)))))
	}
	for _, a := range vals {
		for _, b := range vals {
			want := Compare(a, b)
			got := bytes.Compare([]byte(Key(a)), []byte(Key(b)))
			require.Equal(t, want, got, "Compare(%v, %v) vs key order", a, b)
		}
	}
	// A numeric key is self-delimiting: in a tuple, the next value's key does not disturb order.
	assert.Less(t, Key(num("-1.5"), Str("z")), Key(num("-1.4"), Str("a")))
	assert.Less(t, Key(num("1.5"), Str("z")), Key(num("1.51"), Str("a")))
	assert.Less(t, Key(num("NaN")), Key(Null))
}

func TestNumericDecodeRejectsNonCanonical(t *testing.T) {
	for _, s := range []string{"1.5e1", "01", "-0", "+1", "nan", "abc", ""} {
		buf := append([]byte{byte(KindNumeric), byte(len(s))}, s...)
		_, _, err := DecodeValue(buf)
		assert.ErrorIs(t, err, ErrBadValue, fmt.Sprintf("%q", s))
	}
}
