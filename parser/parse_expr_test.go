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
			return "(" + full(x.X) + " IS NOT NULL)"
		}
		return "(" + full(x.X) + " IS NULL)"
	case *BetweenExpr:
		return "(" + full(x.X) + not(x.Not) + "BETWEEN " + full(x.Lo) + " AND " + full(x.Hi) + ")"
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

func TestParseExprErrors(t *testing.T) {
	for _, src := range []string{"", "1 2", "1;", "SELECT 1", "DEFAULT", "a +"} {
		t.Run(src, func(t *testing.T) {
			_, err := ParseExpr(src)
			var e *Error
			require.ErrorAs(t, err, &e)
		})
	}
}
