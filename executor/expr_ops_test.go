package executor

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

func TestArith(t *testing.T) {
	tests := []struct {
		name string
		op   parser.Op
		t    schema.Type
		a, b schema.Value
		want schema.Value
		code string
	}{
		{"int4 add", parser.OpAdd, schema.Integer, schema.Int(2), schema.Int(3), schema.Int(5), ""},
		{"int4 overflow", parser.OpAdd, schema.Integer, schema.Int(math.MaxInt32), schema.Int(1), schema.Null, schema.CodeOutOfRange},
		{"int2 overflow", parser.OpMul, schema.SmallInt, schema.Int(200), schema.Int(200), schema.Null, schema.CodeOutOfRange},
		{"int8 add overflow", parser.OpAdd, schema.BigInt, schema.Int(math.MaxInt64), schema.Int(1), schema.Null, schema.CodeOutOfRange},
		{"int8 sub overflow", parser.OpSub, schema.BigInt, schema.Int(math.MinInt64), schema.Int(1), schema.Null, schema.CodeOutOfRange},
		{"int8 mul overflow", parser.OpMul, schema.BigInt, schema.Int(1 << 32), schema.Int(1 << 32), schema.Null, schema.CodeOutOfRange},
		{"int8 min * -1", parser.OpMul, schema.BigInt, schema.Int(math.MinInt64), schema.Int(-1), schema.Null, schema.CodeOutOfRange},
		{"division truncates toward zero", parser.OpDiv, schema.Integer, schema.Int(-7), schema.Int(2), schema.Int(-3), ""},
		{"int8 min / -1", parser.OpDiv, schema.BigInt, schema.Int(math.MinInt64), schema.Int(-1), schema.Null, schema.CodeOutOfRange},
		{"int4 min / -1", parser.OpDiv, schema.Integer, schema.Int(math.MinInt32), schema.Int(-1), schema.Null, schema.CodeOutOfRange},
		{"int division by zero", parser.OpDiv, schema.Integer, schema.Int(1), schema.Int(0), schema.Null, schema.CodeDivisionByZero},
		{"modulo sign of dividend", parser.OpMod, schema.Integer, schema.Int(-7), schema.Int(3), schema.Int(-1), ""},
		{"modulo by -1", parser.OpMod, schema.BigInt, schema.Int(math.MinInt64), schema.Int(-1), schema.Int(0), ""},
		{"modulo by zero", parser.OpMod, schema.Integer, schema.Int(1), schema.Int(0), schema.Null, schema.CodeDivisionByZero},
		{"float division", parser.OpDiv, schema.Double, schema.Int(1), schema.Float(4), schema.Float(0.25), ""},
		{"float division by zero", parser.OpDiv, schema.Double, schema.Float(1), schema.Float(0), schema.Null, schema.CodeDivisionByZero},
		{"float overflow", parser.OpMul, schema.Double, schema.Float(1e300), schema.Float(1e300), schema.Null, schema.CodeOutOfRange},
		{"float underflow", parser.OpMul, schema.Double, schema.Float(1e-300), schema.Float(1e-300), schema.Null, schema.CodeOutOfRange},
		{"infinity is not overflow", parser.OpAdd, schema.Double, schema.Float(math.Inf(1)), schema.Float(1), schema.Float(math.Inf(1)), ""},
		{"real rounds to float32", parser.OpAdd, schema.Real, schema.Float(0.1), schema.Float(0.2), schema.Float(float64(float32(0.1 + 0.2))), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := arith(tt.op, tt.t, tt.a, tt.b)
			if tt.code != "" {
				msg := requireCode(t, tt.code, err)
				if tt.code == schema.CodeOutOfRange && tt.t.Kind == schema.KindInt {
					assert.Equal(t, tt.t.String()+" out of range", msg)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestArithType(t *testing.T) {
	tests := []struct {
		op   parser.Op
		l, r schema.Type
		want schema.Type
		ok   bool
	}{
		{parser.OpAdd, schema.Integer, schema.Integer, schema.Integer, true},
		{parser.OpAdd, schema.SmallInt, schema.SmallInt, schema.SmallInt, true},
		{parser.OpAdd, schema.Integer, schema.BigInt, schema.BigInt, true},
		{parser.OpMul, schema.Integer, schema.Double, schema.Double, true},
		{parser.OpMul, schema.Real, schema.Real, schema.Real, true},
		{parser.OpMul, schema.Real, schema.Integer, schema.Double, true},
		{parser.OpMod, schema.Double, schema.Double, schema.Type{}, false},
		{parser.OpAdd, schema.Text, schema.Integer, schema.Type{}, false},
	}
	for _, tt := range tests {
		got, ok := arithType(tt.op, tt.l, tt.r)
		assert.Equal(t, tt.ok, ok, "%s %s %s", tt.l, tt.op, tt.r)
		assert.Equal(t, tt.want, got, "%s %s %s", tt.l, tt.op, tt.r)
	}
}

func TestLike(t *testing.T) {
	tests := []struct {
		s, pattern string
		escape     rune
		fold       bool
		want       bool
	}{
		{"abc", "abc", '\\', false, true},
		{"abc", "a%", '\\', false, true},
		{"abc", "%c", '\\', false, true},
		{"abc", "a_c", '\\', false, true},
		{"abc", "a_", '\\', false, false},
		{"", "%", '\\', false, true},
		{"", "_", '\\', false, false},
		{"a%c", `a\%c`, '\\', false, true},
		{"abc", `a\%c`, '\\', false, false},
		{"a_c", "a!_c", '!', false, true},
		{`a\c`, `a\c`, -1, false, true},
		{"héllo", "h_llo", '\\', false, true},
		{"mississippi", "%iss%ppi", '\\', false, true},
		{"mississippi", "%iss%ppx", '\\', false, false},
		{"aaa", "%a%a%a%", '\\', false, true},
		{"ABC", "a%c", '\\', true, true},
		{"ABC", "a%c", '\\', false, false},
	}
	for _, tt := range tests {
		toks, err := compileLike(tt.pattern, tt.escape, tt.fold)
		require.NoError(t, err)
		s := tt.s
		if tt.fold {
			s = lower(s)
		}
		got, err := likeMatch(s, toks)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "%q LIKE %q", tt.s, tt.pattern)
	}
	// A trailing escape is an error only when matching reaches it with text left, as in
	// PostgreSQL 15.
	for _, tt := range []struct {
		s, pattern string
		fails      bool
	}{
		{"a", `a\`, false}, {"b", `a\`, false}, {"a", `_\`, false}, {"", `%\`, false}, {"ab", `%b\`, false},
		{"ab", `a\`, true}, {"a", `%\`, true}, {"abc", `%b\`, true},
	} {
		toks, err := compileLike(tt.pattern, '\\', false)
		require.NoError(t, err)
		got, err := likeMatch(tt.s, toks)
		if tt.fails {
			requireCode(t, codeInvalidEscape, err)
		} else {
			require.NoError(t, err, "%q LIKE %q", tt.s, tt.pattern)
			assert.False(t, got)
		}
	}
}

// TestThreeValuedLogic checks AND and OR over every combination of true, false and NULL
// against the truth tables of the SQL standard.
func TestThreeValuedLogic(t *testing.T) {
	T, F, N := schema.Bool(true), schema.Bool(false), schema.Null
	vals := []schema.Value{T, F, N}
	and := [3][3]schema.Value{{T, F, N}, {F, F, F}, {N, F, N}}
	or := [3][3]schema.Value{{T, T, T}, {T, F, N}, {T, N, N}}
	for i, a := range vals {
		for j, b := range vals {
			assert.Equal(t, and[i][j], and3(a, b), "%v AND %v", a, b)
			assert.Equal(t, or[i][j], or3(a, b), "%v OR %v", a, b)
		}
	}
}
