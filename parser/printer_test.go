package parser

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func col(name string) *ColumnRef { return &ColumnRef{Column: name} }
func num(text string) *Literal   { return &Literal{Kind: LitInt, Text: text} }
func bin(op Op, l, r Expr) *BinaryExpr {
	return &BinaryExpr{Op: op, L: l, R: r}
}
func unary(op Op, x Expr) *UnaryExpr { return &UnaryExpr{Op: op, X: x} }

// TestFormatAddsParentheses prints trees built by hand, without ParenExpr, and checks that
// the printer adds exactly the parentheses needed to read them back with the same grouping.
func TestFormatAddsParentheses(t *testing.T) {
	a, b, c := col("a"), col("b"), col("c")
	tests := []struct {
		name string
		x    Expr
		want string
	}{
		{"lower on the left", bin(OpMul, bin(OpAdd, a, b), c), "(a + b) * c"},
		{"higher on the left", bin(OpAdd, bin(OpMul, a, b), c), "a * b + c"},
		{"same on the left", bin(OpSub, bin(OpSub, a, b), c), "a - b - c"},
		{"same on the right", bin(OpSub, a, bin(OpSub, b, c)), "a - (b - c)"},
		{"negated sum", unary(OpNeg, bin(OpAdd, a, b)), "-(a + b)"},
		{"double minus", unary(OpNeg, unary(OpNeg, a)), "- -a"},
		{"NOT on the left", bin(OpEq, unary(OpNot, a), b), "(NOT a) = b"},
		{"NOT on the right", bin(OpAnd, bin(OpEq, a, unary(OpNot, b)), c), "a = NOT b AND c"},
		{"NOT on the right, then tighter", bin(OpAdd, bin(OpMul, a, unary(OpNot, b)), c), "a * (NOT b) + c"},
		{"minus NOT", bin(OpAdd, unary(OpNeg, unary(OpNot, a)), b), "-(NOT a) + b"},
		{"IS NULL of AND", &IsNullExpr{X: bin(OpAnd, a, b)}, "(a AND b) IS NULL"},
		{"IS NULL then =", bin(OpEq, &IsNullExpr{X: a}, b), "a IS NULL = b"},
		{"BETWEEN then +", bin(OpAdd, &BetweenExpr{X: a, Lo: num("1"), Hi: num("2")}, c), "(a BETWEEN 1 AND 2) + c"},
		{"BETWEEN bounds", &BetweenExpr{X: a, Lo: bin(OpAnd, b, c), Hi: bin(OpOr, b, c)}, "a BETWEEN (b AND c) AND (b OR c)"},
		{"LIKE of OR", &LikeExpr{X: bin(OpOr, a, b), Pattern: c}, "(a OR b) LIKE c"},
		{"IN of =", &InExpr{X: bin(OpEq, a, b), List: []Expr{c}}, "(a = b) IN (c)"},
		{"NOT EXISTS then =", bin(OpEq, &ExistsExpr{Not: true, Select: &SelectStmt{Columns: []SelectItem{{Star: true}}}}, b), "(NOT EXISTS (SELECT *)) = b"},
		{"minus then ^", bin(OpPow, unary(OpNeg, a), b), "-a ^ b"},
		{"minus of ^", unary(OpNeg, bin(OpPow, a, b)), "-(a ^ b)"},
		{"^ on the right", bin(OpPow, a, bin(OpPow, b, c)), "a ^ (b ^ c)"},
		{"* of ^", bin(OpPow, bin(OpMul, a, b), c), "(a * b) ^ c"},
		{"comparison of comparison", bin(OpLt, bin(OpLt, a, b), c), "(a < b) < c"},
		{"LIKE of LIKE", &LikeExpr{X: &LikeExpr{X: a, Pattern: b}, Pattern: c}, "(a LIKE b) LIKE c"},
		{"BETWEEN of LIKE", &BetweenExpr{X: &LikeExpr{X: a, Pattern: b}, Lo: c, Hi: c}, "(a LIKE b) BETWEEN c AND c"},
		{"IS NULL of DISTINCT", &IsNullExpr{X: bin(OpIsDistinct, a, b)}, "(a IS DISTINCT FROM b) IS NULL"},
		{"DISTINCT of =", bin(OpIsNotDistinct, a, bin(OpEq, b, c)), "a IS NOT DISTINCT FROM b = c"},
		{"= of DISTINCT", bin(OpEq, bin(OpIsDistinct, a, b), c), "(a IS DISTINCT FROM b) = c"},
		{"ANY then =", bin(OpEq, &QuantifiedExpr{X: a, Op: OpLt, Select: &SelectStmt{Columns: []SelectItem{{Star: true}}}}, b), "a < ANY (SELECT *) = b"},
		{"ALL of +", &QuantifiedExpr{X: bin(OpAdd, a, b), Op: OpNe, All: true, Select: &SelectStmt{Columns: []SelectItem{{Star: true}}}}, "a + b <> ALL (SELECT *)"},
		{"symmetric", &BetweenExpr{X: a, Lo: b, Hi: c, Not: true, Symmetric: true}, "a NOT BETWEEN SYMMETRIC b AND c"},
		{"aggregate ORDER BY", &FuncCall{Name: "string_agg", Args: []Expr{a, b}, OrderBy: []OrderItem{{Expr: c, Desc: true}}}, "string_agg(a, b ORDER BY c DESC)"},
		{"keyword names", &ColumnRef{Table: "select", Column: "Key"}, `"select"."Key"`},
		{"unreserved names stay bare", &ColumnRef{Table: "key", Column: "seq"}, "key.seq"},
		{"function named by a keyword", &FuncCall{Name: "exists", Args: []Expr{a}}, `"exists"(a)`},
		{"type-function keyword", &FuncCall{Name: "left", Args: []Expr{a}}, `left(a)`},
		{"cast", &CastExpr{X: bin(OpAdd, a, b), Type: TypeName{Name: "NUMERIC", Args: []int{10, 2}}}, "CAST(a + b AS NUMERIC(10, 2))"},
	}
	// A negative number literal cannot come from the parser (it reads -1 as a negation),
	// but one built by hand must not turn into a comment.
	assert.Equal(t, "- -1", Format(unary(OpNeg, &Literal{Kind: LitInt, Text: "-1"})))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Format(tt.x)
			assert.Equal(t, tt.want, got)
			back, err := ParseExpr(got)
			require.NoError(t, err)
			assert.Equal(t, full(tt.x), full(back), "grouping changed")
		})
	}
}

func TestFormatSetOperations(t *testing.T) {
	sel := func(n string) *SelectStmt { return &SelectStmt{Columns: []SelectItem{{Expr: num(n)}}} }
	limited := sel("3")
	limited.Limit = num("1")
	tests := []struct {
		name string
		s    Stmt
		want string
	}{
		{"left-deep", &SetOpStmt{Op: Union, Left: &SetOpStmt{Op: Union, Left: sel("1"), Right: sel("2")}, Right: sel("3")},
			"SELECT 1 UNION SELECT 2 UNION SELECT 3"},
		{"right-nested", &SetOpStmt{Op: Except, Left: sel("1"), Right: &SetOpStmt{Op: Union, Left: sel("2"), Right: sel("3")}},
			"SELECT 1 EXCEPT (SELECT 2 UNION SELECT 3)"},
		{"INTERSECT on the right", &SetOpStmt{Op: Union, Left: sel("1"), Right: &SetOpStmt{Op: Intersect, Left: sel("2"), Right: sel("3")}},
			"SELECT 1 UNION SELECT 2 INTERSECT SELECT 3"},
		{"UNION under INTERSECT", &SetOpStmt{Op: Intersect, All: true, Left: &SetOpStmt{Op: Union, Left: sel("1"), Right: sel("2")}, Right: sel("3")},
			"(SELECT 1 UNION SELECT 2) INTERSECT ALL SELECT 3"},
		{"operand with LIMIT", &SetOpStmt{Op: Union, Left: sel("1"), Right: limited, Limit: num("5")},
			"SELECT 1 UNION (SELECT 3 LIMIT 1) LIMIT 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Format(tt.s)
			assert.Equal(t, tt.want, got)
			back, err := Parse(got)
			require.NoError(t, err)
			require.Len(t, back, 1)
			zeroPos(back[0])
			assert.Equal(t, tt.s, back[0])
		})
	}
}

// TestRoundTrip covers inputs beyond the golden files, mostly names and spellings that the
// printer must quote or rewrite.
func TestRoundTrip(t *testing.T) {
	tests := []string{
		`CREATE TABLE "select" ("from" INTEGER, "Key" TEXT, key TEXT, "a""b" INT, "été" INT)`,
		`SELECT "order".* FROM "order" AS "group"`,
		`SELECT a AS "AS", b AS "NULL" FROM t AS x JOIN u AS "JOIN" USING ("using")`,
		`SELECT timestamp, "timestamp" FROM t WHERE integer = 1`,
		`CREATE TABLE if (if INTEGER); DROP TABLE if; ALTER TABLE t DROP COLUMN if`,
		`SELECT * FROM t AS of AS OF SEQ 1`,
		`UPDATE t AS set SET set = 1`,
		`SELECT x AS escape FROM t WHERE a LIKE escape ESCAPE escape`,
		`SELECT double FROM t; SELECT double precision '1'`,
		`INSERT INTO t (SELECT 1 LIMIT 1) UNION SELECT 2`,
		`SELECT (((SELECT 1) LIMIT 1) UNION SELECT 2)`,
		`SELECT x IN (((SELECT 1) LIMIT 1) UNION SELECT 2)`,
		`SELECT * FROM (((SELECT 1) LIMIT 1) UNION SELECT 2) AS s`,
		`SELECT * FROM a JOIN (b CROSS JOIN c) ON true`,
		`SELECT * FROM a LEFT JOIN b JOIN c USING (x) ON true`,
		`SELECT 'a' || 'b''c' || E`,
		`SELECT CAST(x AS uuid), CAST(x AS key), x::timestamptz(3)`,
		`CREATE TABLE t (a TIMESTAMP(6) WITHOUT TIME ZONE DEFAULT LOCALTIMESTAMP)`,
		`SELECT - - -1, -+1, +-1, 1 - -1`,
	}
	for _, src := range tests {
		t.Run(src, func(t *testing.T) {
			stmts, err := Parse(src)
			require.NoError(t, err)
			requireRoundTrip(t, stmts)
		})
	}
}

func TestFormatUnknownNode(t *testing.T) {
	assert.Panics(t, func() { Format(nil) })
}

// TestRoundTripNearLimits checks that printing never nests deeper than the parser went, so
// that text near the nesting limit still round-trips.
func TestRoundTripNearLimits(t *testing.T) {
	const n = 900
	tests := map[string]string{
		"cast chain":         "SELECT a" + strings.Repeat("::int", 5*n),
		"nested CAST":        "SELECT " + strings.Repeat("CAST(", n) + "a" + strings.Repeat(" AS int)", n),
		"right-nested joins": "SELECT * FROM a" + strings.Repeat(" JOIN b", n) + strings.Repeat(" ON true", n),
		"parenthesized joins": "SELECT * FROM a" + strings.Repeat(" JOIN (b", n/2) + " JOIN c ON true" +
			strings.Repeat(") ON true", n/2),
		"NOT":   "SELECT " + strings.Repeat("NOT ", n) + "a",
		"minus": "SELECT " + strings.Repeat("- ", n) + "a",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			stmts, err := Parse(src)
			require.NoError(t, err)
			requireRoundTrip(t, stmts)
		})
	}
}
