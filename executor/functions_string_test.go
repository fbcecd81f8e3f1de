package executor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

// exprCase is one expression with the text and type PostgreSQL 15 gives it.
type exprCase struct {
	expr, want string
	typ        schema.Type
}

func runExprCases(t *testing.T, tests []exprCase) {
	t.Helper()
	d := newDB(t)
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			res, err := d.exec("SELECT " + tt.expr)
			require.NoError(t, err)
			require.Len(t, res.Rows, 1)
			assert.Equal(t, tt.want, res.Rows[0][0].String())
			assert.Equal(t, tt.typ, res.Columns[0].Type)
		})
	}
}

// TestStringFunctions: each expression's value and type as PostgreSQL 15 returns them
// (obtained from the server with SELECT (expr)::text, pg_typeof(expr)).
func TestStringFunctions(t *testing.T) {
	runExprCases(t, []exprCase{
		{"substr('h\u00e9llo', 2, 3)", "\u00e9ll", schema.Text},
		{"substring('abc' FROM 0 FOR 2)", "a", schema.Text},
		{"substring('abc' FOR 1)", "a", schema.Text},
		{"substring('abc', 4)", "", schema.Text},
		{"trim(BOTH 'xy' FROM 'yxaxy')", "a", schema.Text},
		{"trim('  a  ')", "a", schema.Text},
		{"rtrim('a  ') || '|'", "a|", schema.Text},
		{"ltrim('aab', 'a')", "b", schema.Text},
		{"btrim('')", "", schema.Text},
		{"replace('h\u00e9llo', '\u00e9', 'e')", "hello", schema.Text},
		{"position('lo' IN 'h\u00e9llo')", "4", schema.Integer},
		{"strpos('abc', 'd')", "0", schema.Integer},
		{"concat('a', NULL, 2, false)", "a2f", schema.Text},
		{"concat_ws('-', NULL, 'a', NULL)", "a", schema.Text},
		{"concat_ws('', 'a', 'b')", "ab", schema.Text},
		{"left('h\u00e9llo', 2)", "h\u00e9", schema.Text},
		{"left('abc', -5)", "", schema.Text},
		{"right('h\u00e9llo', 3)", "llo", schema.Text},
		{"right('abc', -1)", "bc", schema.Text},
		{"repeat('\u00e9', 3)", "\u00e9\u00e9\u00e9", schema.Text},
		{"lpad('5', 3, '0')", "005", schema.Text},
		{"rpad('h\u00e9llo', 3)", "h\u00e9l", schema.Text},
		{"lpad('ab', 7, 'xyz')", "xyzxyab", schema.Text},
		{"reverse('')", "", schema.Text},
		{"initcap('o''neil mc-DONALD')", "O'Neil Mc-Donald", schema.Text},
		{"split_part('a--b--c', '--', 3)", "c", schema.Text},
		{"split_part('a,b', ',', -3)", "", schema.Text},
		{"starts_with('h\u00e9llo', 'h\u00e9')", "t", schema.Boolean},
		{"ascii('\u20ac')", "8364", schema.Integer},
		{"chr(8364)", "\u20ac", schema.Text},
		{"md5('')", "d41d8cd98f00b204e9800998ecf8427e", schema.Text},
		{"octet_length('\u20ac')", "3", schema.Integer},
		{"length('')", "0", schema.Integer},
		{"upper(NULL)", "NULL", schema.Text},
		{"greatest('a', 'B', 'c')", "c", schema.Text},
		{"least(2, 1.5::float8)", "1.5", schema.Double},
		{"greatest(1, 2::bigint)", "2", schema.BigInt},
		{"'a' || 1 || 2.5::float8", "a12.5", schema.Text},
		{"E'\\\\'", "\\", schema.Text},
		{"E'\\101\\x42'", "AB", schema.Text},
	})
}

// TestStringFunctionErrors: SQLSTATEs and messages as PostgreSQL 15 reports them.
func TestStringFunctionErrors(t *testing.T) {
	d := newDB(t)
	tests := []struct{ sql, code, msg string }{
		{"SELECT substr('abc', 1, -1)", "22011", "negative substring length not allowed"},
		{"SELECT substring('abc' FROM 2 FOR -1)", "22011", "negative substring length not allowed"},
		{"SELECT repeat('ab', 1000000000)", "54000", "requested length too large"},
		{"SELECT lpad('a', 1000000000)", "54000", "requested length too large"},
		{"SELECT split_part('a', ',', 0)", "22023", "field position must not be zero"},
		{"SELECT chr(0)", "54000", "null character not permitted"},
		{"SELECT chr(-1)", "22023", "character number must be positive"},
		{"SELECT chr(55296)", "54000", "requested character not valid for encoding: 55296"},
		{"SELECT chr(1114112)", "54000", "requested character too large for encoding: 1114112"},
		{"SELECT concat()", "42883", "function concat() does not exist"},
		{"SELECT substr(1, 1)", "42883", "function substr(integer, integer) does not exist"},
		{"SELECT left('a', 1.5)", "42883", "function left(unknown, numeric) does not exist"},
		{"SELECT 1 || 2", "42883", "operator does not exist: integer || integer"},
		{"SELECT greatest(1, true)", "42804", "GREATEST types integer and boolean cannot be matched"},
		{"SELECT least('a'::text, 1)", "42804", "LEAST types text and integer cannot be matched"},
		{"SELECT lower('a' ORDER BY 1)", "42809", "ORDER BY specified, but lower is not an aggregate function"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			assert.Equal(t, tt.msg, d.fails(tt.code, tt.sql))
		})
	}
}

// TestFunctionColumnNames: the output column names PostgreSQL 15 gives these calls (the
// special forms are named after the function they become).
func TestFunctionColumnNames(t *testing.T) {
	d := newDB(t)
	res, err := d.exec(`SELECT substring('abc' FROM 2), trim(' a'), trim(LEADING FROM ' a'), position('a' IN 'abc'),
		greatest(1, 2), least(1, 2), concat('a'), 'a' IS DISTINCT FROM 'b', 2 ^ 2, octet_length('a')`)
	require.NoError(t, err)
	var names []string
	for _, c := range res.Columns {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"substring", "btrim", "ltrim", "position", "greatest", "least", "concat",
		"?column?", "?column?", "octet_length"}, names)
}

// TestAggregatesMore: string_agg with a delimiter per row (the one before each value but the
// first, NULL counting as empty), the boolean aggregates, and text forms of other types.
func TestAggregatesMore(t *testing.T) {
	d := newDB(t)
	assert.Equal(t, "a+bc|t|t|f", d.one(`SELECT string_agg(x, y), bool_and(true), every(true), bool_or(false)
		FROM (SELECT 'a' AS x, '-' AS y UNION ALL SELECT 'b', '+' UNION ALL SELECT 'c', NULL) AS v`))
	assert.Equal(t, "x2024-01-01 10:00:00|1.52024-01-01 00:00:00",
		d.one(`SELECT 'x' || '2024-01-01 10:00'::timestamp, concat(1.5::real, '2024-01-01'::timestamp)`))
}
