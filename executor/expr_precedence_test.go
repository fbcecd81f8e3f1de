package executor

import (
	"testing"

	"github.com/eventsql/eventsql/schema"
)

// TestPrecedenceValues evaluates expressions whose value depends on PostgreSQL 15's operator
// precedence; every value and type was obtained from the server. The parser's own grouping
// tests are in parser/parse_expr_test.go.
func TestPrecedenceValues(t *testing.T) {
	runExprCases(t, []exprCase{
		{"-2 ^ 2", "4", schema.Double},
		{"2 ^ 3 ^ 2", "64", schema.Double},
		{"2 * 3 ^ 2", "18", schema.Double},
		{"2 ^ 3 * 2", "16", schema.Double},
		{"-2 ^ 2 * -1", "-4", schema.Double},
		{"-(2 ^ 2)", "-4", schema.Double},
		{"2 + 3 * 4 ^ 2", "50", schema.Double},
		{"10 - 2 - 3", "5", schema.Integer},
		{"2 * 3 % 4", "2", schema.Integer},
		{"7 % 4 * 2", "6", schema.Integer},
		{"'a' || 'b' LIKE 'ab'", "t", schema.Boolean},
		{"'a' || 'b' = 'ab' AND NOT 'x' LIKE 'y'", "t", schema.Boolean},
		{"NOT 1 = 2", "t", schema.Boolean},
		{"NOT true AND false", "f", schema.Boolean},
		{"NOT (true AND false)", "t", schema.Boolean},
		{"true OR true AND false", "t", schema.Boolean},
		{"(true OR true) AND false", "f", schema.Boolean},
		{"NULL IS NULL AND false", "f", schema.Boolean},
		{"1 = 1 IS NULL", "f", schema.Boolean},
		{"1 + 1 BETWEEN 2 AND 3", "t", schema.Boolean},
		{"1 BETWEEN 0 AND 2 = true", "t", schema.Boolean},
		{"'a' LIKE 'b' = false", "t", schema.Boolean},
		{"true IS NULL IS DISTINCT FROM false", "f", schema.Boolean},
		{"NOT true IS DISTINCT FROM false", "f", schema.Boolean},
		{"1 IN (1) IN (true)", "t", schema.Boolean},
		{"1 = ANY (SELECT 1) = true", "t", schema.Boolean},
		{"- -3", "3", schema.Integer},
		{"+-3", "-3", schema.Integer},
		{"-3 + 2", "-1", schema.Integer},
		{"2 - -3", "5", schema.Integer},
		{"'x' || 1 + 2", "x3", schema.Text},
		{"1 + 2 || 'x'", "3x", schema.Text},
		{"3 > 2 AND 2 > 1", "t", schema.Boolean},
		{"2 ^ 0.5::float8 * 2 ^ 0.5::float8 > 1.99", "t", schema.Boolean},
	})
}
