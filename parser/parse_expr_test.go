package parser

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// full prints an expression with every operator in parentheses, and the author's own
// parentheses dropped: two expressions print the same exactly when they group the same.
func full(x Expr) string {
	switch x := x.(type) {
	case *ParenExpr:
		return full(x.X)
	case *BinaryExpr:
		return "(" + full(x.L) + " " + x.Op.String() + " " + full(x.R) + ")"
	case *UnaryExpr:
		return "(" + x.Op.String() + " " + full(x.X) + ")"
	case *IsNullExpr:
		if x.Not {
			return "(" + full(x.X) + " IS NOT " + x.Test.String() + ")"
		}
		return "(" + full(x.X) + " IS " + x.Test.String() + ")"
	case *BetweenExpr:
		sym := ""
		if x.Symmetric {
			sym = "SYMMETRIC "
		}
		return "(" + full(x.X) + not(x.Not) + "BETWEEN " + sym + full(x.Lo) + " AND " + full(x.Hi) + ")"
	case *QuantifiedExpr:
		q := " ANY ("
		if x.All {
			q = " ALL ("
		}
		return "(" + full(x.X) + " " + x.Op.String() + q + Format(x.Select) + "))"
	case *LikeExpr:
		s := "(" + full(x.X) + not(x.Not) + "LIKE " + full(x.Pattern)
		if x.Escape != nil {
			s += " ESCAPE " + full(x.Escape)
		}
		return s + ")"
	case *InExpr:
		if x.Select != nil {
			return "(" + full(x.X) + not(x.Not) + "IN (" + Format(x.Select) + "))"
		}
		items := make([]string, len(x.List))
		for i, it := range x.List {
			items[i] = full(it)
		}
		return "(" + full(x.X) + not(x.Not) + "IN (" + strings.Join(items, ", ") + "))"
	case *CastExpr:
		return "(" + full(x.X) + "::" + x.Type.Name + ")"
	}
	return Format(x)
}

func not(b bool) string {
	if b {
		return " NOT "
	}
	return " "
}

// TestPrecedence checks the grouping of PostgreSQL's operator precedence table.
func TestPrecedence(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a OR b AND c", "(a OR (b AND c))"},
		{"a AND b OR c", "((a AND b) OR c)"},
		{"a OR b OR c", "((a OR b) OR c)"},
		{"NOT a = b", "(NOT (a = b))"},
		{"NOT a AND b", "((NOT a) AND b)"},
		{"NOT NOT a", "(NOT (NOT a))"},
		{"NOT a IS NULL", "(NOT (a IS NULL))"},
		{"a = b IS NULL", "((a = b) IS NULL)"},
		{"a IS NULL = b", "((a IS NULL) = b)"},
		{"a IS NOT NULL AND b ISNULL", "((a IS NOT NULL) AND (b IS NULL))"},
		{"a NOTNULL", "(a IS NOT NULL)"},
		{"a = b AND c < d", "((a = b) AND (c < d))"},
		{"a < b BETWEEN c AND d", "(a < (b BETWEEN c AND d))"},
		{"a BETWEEN 1 AND 2 AND b", "((a BETWEEN 1 AND 2) AND b)"},
		{"a BETWEEN b + 1 AND c * 2", "(a BETWEEN (b + 1) AND (c * 2))"},
		{"a NOT BETWEEN 1 AND 2", "(a NOT BETWEEN 1 AND 2)"},
		{"a = b LIKE c", "(a = (b LIKE c))"},
		{"a LIKE b || c", "(a LIKE (b || c))"},
		{"a NOT LIKE b ESCAPE c", "(a NOT LIKE b ESCAPE c)"},
		{"a NOT IN (1, 2) = b", "((a NOT IN (1, 2)) = b)"},
		{"a || b + c", "(a || (b + c))"},
		{"a + b || c", "((a + b) || c)"},
		{"a + b * c", "(a + (b * c))"},
		{"a * b + c", "((a * b) + c)"},
		{"a - b - c", "((a - b) - c)"},
		{"a / b % c", "((a / b) % c)"},
		{"-a * b", "((- a) * b)"},
		{"- -a", "(- (- a))"},
		{"-a::int", "(- (a::INTEGER))"},
		{"a::int::text", "((a::INTEGER)::TEXT)"},
		{"(a + b) * c", "((a + b) * c)"},
		{"a = NOT b AND c", "((a = (NOT b)) AND c)"},
		{"a * NOT b + c", "(a * (NOT (b + c)))"},
		{"NOT EXISTS (SELECT 1) AND a", "(NOT EXISTS (SELECT 1) AND a)"},
		// ^ binds tighter than * and looser than unary minus, and associates to the left
		{"-2 ^ 2", "((- 2) ^ 2)"},
		{"2 ^ 3 ^ 2", "((2 ^ 3) ^ 2)"},
		{"a * b ^ c", "(a * (b ^ c))"},
		{"a ^ b * c", "((a ^ b) * c)"},
		{"a ^ -b", "(a ^ (- b))"},
		{"a ^ b::int", "(a ^ (b::INTEGER))"},
		// IS [NOT] DISTINCT FROM is at the level of IS: its right operand takes comparisons
		{"a IS DISTINCT FROM b = c", "(a IS DISTINCT FROM (b = c))"},
		{"a = b IS NOT DISTINCT FROM c", "((a = b) IS NOT DISTINCT FROM c)"},
		{"NOT a IS DISTINCT FROM b", "(NOT (a IS DISTINCT FROM b))"},
		{"a IS NULL IS DISTINCT FROM b", "((a IS NULL) IS DISTINCT FROM b)"},
		{"a IS DISTINCT FROM b AND c", "((a IS DISTINCT FROM b) AND c)"},
		// the non-associative levels may follow a closed form or another level
		{"a IN (1) IN (b)", "((a IN (1)) IN (b))"},
		{"a LIKE b = c", "((a LIKE b) = c)"},
		{"a = b IS NULL", "((a = b) IS NULL)"},
		{"a IS NULL IS NULL", "((a IS NULL) IS NULL)"},
		{"'a' || 'b' LIKE 'ab'", "(('a' || 'b') LIKE 'ab')"},
		{"a IS NULL AND b", "((a IS NULL) AND b)"},
		{"a BETWEEN SYMMETRIC 1 AND 2", "(a BETWEEN SYMMETRIC 1 AND 2)"},
		{"a NOT BETWEEN SYMMETRIC b AND c + 1", "(a NOT BETWEEN SYMMETRIC b AND (c + 1))"},
		{"a < ANY (SELECT 1) AND b", "((a < ANY (SELECT 1)) AND b)"},
		{"a + 1 <> ALL (SELECT 1) = c", "(((a + 1) <> ALL (SELECT 1)) = c)"},
		{"a = SOME (SELECT 1)", "(a = ANY (SELECT 1))"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			x, err := ParseExpr(tt.src)
			require.NoError(t, err)
			assert.Equal(t, tt.want, full(x))
		})
	}
}

func TestParseExprNodes(t *testing.T) {
	tests := []struct {
		src  string
		want Expr
	}{
		{"42", &Literal{Kind: LitInt, Text: "42"}},
		{"99999999999999999999", &Literal{Kind: LitInt, Text: "99999999999999999999"}},
		{"1.50", &Literal{Kind: LitFloat, Text: "1.50"}},
		{"'a''b'", &Literal{Kind: LitString, Text: "a'b"}},
		{"TRUE", &Literal{Kind: LitBool, Text: "true"}},
		{"null", &Literal{Kind: LitNull}},
		{"-5", &UnaryExpr{Op: OpNeg, X: &Literal{Kind: LitInt, Text: "5"}}},
		{"$3", &Param{Index: 3}},
		{"T.Col", &ColumnRef{Table: "t", Column: "col"}},
		{`"T"."Col"`, &ColumnRef{Table: "T", Column: "Col"}},
		{"seq", &ColumnRef{Column: "seq"}},
		{"timestamp", &ColumnRef{Column: "timestamp"}},
		{"COUNT(*)", &FuncCall{Name: "count", Star: true}},
		{"count(DISTINCT x)", &FuncCall{Name: "count", Distinct: true, Args: []Expr{&ColumnRef{Column: "x"}}}},
		{"now()", &FuncCall{Name: "now"}},
		{"current_timestamp", &FuncCall{Name: "current_timestamp"}},
		{"TIMESTAMP '2024-01-01'", &CastExpr{X: &Literal{Kind: LitString, Text: "2024-01-01"}, Type: TypeName{Name: "TIMESTAMP"}}},
		{"x::varchar(3)", &CastExpr{X: &ColumnRef{Column: "x"}, Type: TypeName{Name: "VARCHAR", Args: []int{3}}}},
		{"NOT EXISTS (SELECT 1)", &ExistsExpr{Not: true, Select: &SelectStmt{Columns: []SelectItem{{Expr: &Literal{Kind: LitInt, Text: "1"}}}}}},
		{"(SELECT 1)", &SubqueryExpr{Select: &SelectStmt{Columns: []SelectItem{{Expr: &Literal{Kind: LitInt, Text: "1"}}}}}},
		{"CASE WHEN a THEN 1 END", &CaseExpr{Whens: []When{{Cond: &ColumnRef{Column: "a"}, Result: &Literal{Kind: LitInt, Text: "1"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			x, err := ParseExpr(tt.src)
			require.NoError(t, err)
			zeroPos(x)
			assert.Equal(t, tt.want, x)
		})
	}
}

// TestNonAssociative checks that, as in PostgreSQL, comparisons, the BETWEEN/IN/LIKE level
// and IS DISTINCT FROM do not chain: each case is a syntax error in PostgreSQL 15.
func TestNonAssociative(t *testing.T) {
	for _, src := range []string{
		"1 < 2 < 3",
		"1 = 1 = true",
		"1 < 2 = true",
		"1 < 2 + 1 > 0",
		"'a' LIKE 'b' LIKE 'c'",
		"'a' NOT ILIKE 'b' LIKE 'c'",
		"'a' LIKE 'b' BETWEEN 'a' AND 'b'",
		"1 BETWEEN 0 AND 2 LIKE 'a'",
		"1 BETWEEN 0 AND 2 NOT IN (1)",
		"1 IS DISTINCT FROM 2 IS NULL",
		"a IS DISTINCT FROM b IS NOT DISTINCT FROM c",
	} {
		t.Run(src, func(t *testing.T) {
			_, err := ParseExpr(src)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "does not associate")
		})
	}
}

// TestSpecialCallForms checks that SQL's keyword-argument calls become PostgreSQL's plain
// calls, as PostgreSQL's grammar rewrites them.
func TestSpecialCallForms(t *testing.T) {
	tests := []struct{ src, want string }{
		{"substring(s FROM 2 FOR 3)", "substring(s, 2, 3)"},
		{"substring(s FOR 3 FROM 2)", "substring(s, 2, 3)"},
		{"substring(s FROM 2)", "substring(s, 2)"},
		{"substring(s FOR 3)", "substring(s, 1, 3)"},
		{"substring(s, 2)", "substring(s, 2)"},
		{"trim(s)", "btrim(s)"},
		{"trim(s, 'x')", "btrim(s, 'x')"},
		{"trim(FROM s)", "btrim(s)"},
		{"trim('x' FROM s)", "btrim(s, 'x')"},
		{"trim(BOTH 'x' FROM s)", "btrim(s, 'x')"},
		{"trim(LEADING FROM s)", "ltrim(s)"},
		{"trim(leading 'x' FROM s)", "ltrim(s, 'x')"},
		{"trim(TRAILING 'x' || y FROM s)", "rtrim(s, 'x' || y)"},
		{"position('b' IN s)", "position(s, 'b')"},
		{"position(a || b IN c || d)", "position(c || d, a || b)"},
		{"string_agg(x, ',' ORDER BY y DESC NULLS LAST, z)", "string_agg(x, ',' ORDER BY y DESC NULLS LAST, z)"},
		{`E'a\\b\x41\101\u00e9''\''`, `'a\bAAé'''''`},
		{`e'\t'`, "'\t'"},
		{"2 ^ 3", "2 ^ 3"},
		{"a IS NOT DISTINCT FROM b", "a IS NOT DISTINCT FROM b"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			x, err := ParseExpr(tt.src)
			require.NoError(t, err)
			assert.Equal(t, tt.want, Format(x))
		})
	}
}

func TestParseExprErrors(t *testing.T) {
	for _, src := range []string{"", "1 2", "1;", "SELECT 1", "DEFAULT", "a +"} {
		t.Run(src, func(t *testing.T) {
			_, err := ParseExpr(src)
			var e *Error
			require.ErrorAs(t, err, &e)
		})
	}
}
