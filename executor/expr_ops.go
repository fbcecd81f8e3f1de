package executor

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// This file holds the semantics of the operators on non-NULL values, separate from how
// expressions are compiled: typing rules (what int4 + int8 is), overflow, division, comparison
// and LIKE. NULL handling is the compiler's job: these functions never see a NULL.

// arithType is the result type of l op r for + - * / %, following PostgreSQL: integers widen
// to the wider operand (int4 + int8 is int8), any float makes the result a float (REAL only
// when both are REAL), and there is no % on floats. ok is false when the operator does not
// exist for these types.
func arithType(op parser.Op, l, r schema.Type) (t schema.Type, ok bool) {
	if !isNumeric(l) || !isNumeric(r) {
		return schema.Type{}, false
	}
	if l.Kind == schema.KindInt && r.Kind == schema.KindInt {
		return schema.Type{Kind: schema.KindInt, Width: max(l.Width, r.Width)}, true
	}
	if isExactNum(l) && isExactNum(r) {
		return schema.Numeric, true // an integer meeting a numeric becomes numeric
	}
	if op == parser.OpMod {
		return schema.Type{}, false
	}
	if l.Kind == schema.KindFloat && r.Kind == schema.KindFloat && l.Width == 4 && r.Width == 4 {
		return schema.Real, true
	}
	return schema.Double, true
}

// arith computes a op b for non-NULL numbers, with t the result type from arithType.
func arith(op parser.Op, t schema.Type, a, b schema.Value) (schema.Value, error) {
	if t.Kind == schema.KindInt {
		r, err := intArith(op, a.Int(), b.Int())
		if err != nil {
			if err == errIntOverflow {
				return schema.Null, errOutOfRange(t)
			}
			return schema.Null, err
		}
		if lo, hi := t.IntRange(); r < lo || r > hi {
			return schema.Null, errOutOfRange(t)
		}
		return schema.Int(r), nil
	}
	if t.Kind == schema.KindNumeric {
		return numericArith(op, a, b)
	}
	x, y := a.Float(), b.Float()
	var f float64
	switch op {
	case parser.OpAdd:
		f = x + y
	case parser.OpSub:
		f = x - y
	case parser.OpMul:
		f = x * y
		if f == 0 && x != 0 && y != 0 {
			return schema.Null, errFloatUnderflow()
		}
	case parser.OpDiv:
		if y == 0 {
			return schema.Null, errDivisionByZero()
		}
		f = x / y
		if f == 0 && x != 0 && !math.IsInf(y, 0) {
			return schema.Null, errFloatUnderflow()
		}
	default:
		return schema.Null, errInternal("float operator %s", op)
	}
	if math.IsInf(f, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		return schema.Null, errFloatOverflow()
	}
	return roundFloat(f, t, true)
}

// errIntOverflow is intArith's report that the result does not fit in 64 bits; arith turns
// it into the message naming the result type.
var errIntOverflow = errOutOfRange(schema.BigInt)

// intArith is 64-bit integer arithmetic with overflow detection. Division truncates toward
// zero and % takes the sign of the dividend, as in both Go and PostgreSQL.
func intArith(op parser.Op, x, y int64) (int64, error) {
	switch op {
	case parser.OpAdd:
		r := x + y
		if (x^r)&(y^r) < 0 {
			return 0, errIntOverflow
		}
		return r, nil
	case parser.OpSub:
		r := x - y
		if (x^y)&(x^r) < 0 {
			return 0, errIntOverflow
		}
		return r, nil
	case parser.OpMul:
		if x == 0 || y == 0 {
			return 0, nil
		}
		r := x * y
		if r/y != x || (x == -1 && y == math.MinInt64) || (y == -1 && x == math.MinInt64) {
			return 0, errIntOverflow
		}
		return r, nil
	case parser.OpDiv:
		if y == 0 {
			return 0, errDivisionByZero()
		}
		if x == math.MinInt64 && y == -1 {
			return 0, errIntOverflow
		}
		return x / y, nil
	case parser.OpMod:
		if y == 0 {
			return 0, errDivisionByZero()
		}
		if y == -1 {
			return 0, nil // MinInt64 % -1 would trap
		}
		return x % y, nil
	}
	return 0, errInternal("integer operator %s", op)
}

// negate is unary minus.
func negate(t schema.Type, v schema.Value) (schema.Value, error) {
	switch t.Kind {
	case schema.KindFloat:
		return schema.Float(-v.Float()), nil
	case schema.KindNumeric:
		return numericNegate(v), nil
	}
	return arith(parser.OpSub, t, schema.Int(0), v)
}

// comparable reports whether values of types l and r can be compared: same kind, or both
// numbers (an integer compared with a float is promoted).
func comparable(l, r schema.Type) bool {
	return l.Kind == r.Kind || isNumeric(l) && isNumeric(r)
}

// compareOp applies a comparison operator to two non-NULL values of comparable types.
func compareOp(op parser.Op, a, b schema.Value) bool {
	c := schema.Compare(a, b)
	switch op {
	case parser.OpEq:
		return c == 0
	case parser.OpNe:
		return c != 0
	case parser.OpLt:
		return c < 0
	case parser.OpLe:
		return c <= 0
	case parser.OpGt:
		return c > 0
	}
	return c >= 0
}

// isComparison reports whether op is one of = <> < <= > >=.
func isComparison(op parser.Op) bool { return op >= parser.OpEq && op <= parser.OpGe }

// isArith reports whether op is one of + - * / %.
func isArith(op parser.Op) bool { return op <= parser.OpMod }

// likeToken is one element of a compiled LIKE pattern.
type likeToken struct {
	kind byte // 'c' one literal rune, '_' any one rune, '%' any run of runes
	r    rune
}

// compileLike turns a LIKE pattern into tokens; escape is the escape rune, or -1 for none.
func compileLike(pattern string, escape rune, fold bool) ([]likeToken, error) {
	if fold {
		pattern = strings.ToLower(pattern)
	}
	var toks []likeToken
	escaped := false
	for _, r := range pattern {
		switch {
		case escaped:
			toks = append(toks, likeToken{kind: 'c', r: r})
			escaped = false
		case r == escape:
			escaped = true
		case r == '%':
			if len(toks) == 0 || toks[len(toks)-1].kind != '%' {
				toks = append(toks, likeToken{kind: '%'})
			}
		case r == '_':
			toks = append(toks, likeToken{kind: '_'})
		default:
			toks = append(toks, likeToken{kind: 'c', r: r})
		}
	}
	if escaped {
		// PostgreSQL complains about a trailing escape only when matching reaches it with
		// text left ('a' LIKE 'a\' is false; 'ab' LIKE 'a\' is an error), so it is a token.
		toks = append(toks, likeToken{kind: 'E'})
	}
	return toks, nil
}

// likeMatch matches s against a compiled pattern with the classic two-pointer wildcard
// algorithm: on a mismatch it backtracks to just after the last %, letting that % swallow one
// more rune. It runs in O(len(s) * len(toks)) and never recurses. Reaching a dangling
// escape with text left is error 22025.
func likeMatch(s string, toks []likeToken) (bool, error) {
	ti, si := 0, 0
	starT, starS := -1, 0
	for si < len(s) {
		r, size := utf8.DecodeRuneInString(s[si:])
		if ti < len(toks) {
			switch t := toks[ti]; {
			case t.kind == '%':
				starT, starS = ti, si
				ti++
				continue
			case t.kind == 'E':
				return false, schema.Errorf(codeInvalidEscape, "LIKE pattern must not end with escape character")
			case t.kind == '_' || t.kind == 'c' && t.r == r:
				ti++
				si += size
				continue
			}
		}
		if starT < 0 {
			return false, nil
		}
		_, skip := utf8.DecodeRuneInString(s[starS:])
		starS += skip
		ti, si = starT+1, starS
	}
	for ti < len(toks) && toks[ti].kind == '%' {
		ti++
	}
	return ti == len(toks), nil
}

// and3 and or3 are three-valued AND and OR over NULL / true / false.
func and3(a, b schema.Value) schema.Value {
	switch {
	case !a.IsNull() && !a.Bool(), !b.IsNull() && !b.Bool():
		return schema.Bool(false)
	case a.IsNull() || b.IsNull():
		return schema.Null
	}
	return schema.Bool(true)
}

func or3(a, b schema.Value) schema.Value {
	switch {
	case !a.IsNull() && a.Bool(), !b.IsNull() && b.Bool():
		return schema.Bool(true)
	case a.IsNull() || b.IsNull():
		return schema.Null
	}
	return schema.Bool(false)
}
