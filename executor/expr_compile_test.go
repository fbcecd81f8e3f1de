package executor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

// TestExpressions evaluates one expression per case with SELECT and compares its text form
// and type with what PostgreSQL 15 returns.
func TestExpressions(t *testing.T) {
	d := newDB(t)
	tests := []struct {
		expr, want string
		typ        schema.Type
	}{
		// arithmetic and its typing
		{"1 + 2", "3", schema.Integer},
		{"2147483647 + 0::bigint", "2147483647", schema.BigInt},
		{"3000000000", "3000000000", schema.BigInt},
		{"-2147483648", "-2147483648", schema.Integer},
		{"7 / 2", "3", schema.Integer},
		{"-7 / 2", "-3", schema.Integer},
		{"7 % -3", "1", schema.Integer},
		{"7 / 2.0", "3.5000000000000000", schema.Numeric},
		{"1.5 * 2", "3.0", schema.Numeric},
		{"1.5::float8 * 2", "3", schema.Double},
		{"2::smallint * 3::smallint", "6", schema.SmallInt},
		{"1.5::real + 1", "2.5", schema.Double},
		{"- (3)", "-3", schema.Integer},
		{"'5' + 1", "6", schema.Integer},
		// text
		{"'a' || 'b'", "ab", schema.Text},
		{"'x' || 1 || true", "x1true", schema.Text},
		{"'x' || NULL", "NULL", schema.Text},
		{"lower('AbC') || upper('d')", "abcD", schema.Text},
		{"length('héllo')", "5", schema.Integer},
		{"'abcdef'::varchar(3)", "abc", schema.Varchar(3)},
		// comparison, with promotion and unknown literals
		{"1 = 1.0", "t", schema.Boolean},
		{"2 > 1.5", "t", schema.Boolean},
		{"'b' > 'a'", "t", schema.Boolean},
		{"'B' < 'a'", "t", schema.Boolean}, // C collation
		{"'2024-01-02'::timestamp > '2024-01-01 23:59'", "t", schema.Boolean},
		{"'NaN'::float8 = 'NaN'::float8", "t", schema.Boolean},
		{"1 <> 1", "f", schema.Boolean},
		// predicates
		{"NULL IS NULL", "t", schema.Boolean},
		{"1 IS NOT NULL", "t", schema.Boolean},
		{"2 IN (1, 2, 3)", "t", schema.Boolean},
		{"2 IN (1.5, 2.0)", "t", schema.Boolean},
		{"5 NOT IN (1, 2)", "t", schema.Boolean},
		{"2 BETWEEN 1 AND 3", "t", schema.Boolean},
		{"2 NOT BETWEEN 1 AND 3", "f", schema.Boolean},
		{"'abc' LIKE 'a%'", "t", schema.Boolean},
		{"'abc' NOT LIKE 'a_'", "t", schema.Boolean},
		{"'ABC' ILIKE 'a%c'", "t", schema.Boolean},
		{"'a_c' LIKE 'a\\_c'", "t", schema.Boolean},
		{"'abc' LIKE 'a\\_c'", "f", schema.Boolean},
		{"'a%' LIKE 'a!%' ESCAPE '!'", "t", schema.Boolean},
		// conditionals
		{"CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' END", "b", schema.Text},
		{"CASE WHEN false THEN 1 END", "NULL", schema.Integer},
		{"CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END", "two", schema.Text},
		{"CASE NULL WHEN NULL THEN 'eq' ELSE 'ne' END", "ne", schema.Text},
		{"CASE WHEN true THEN 1 ELSE 2.5 END", "1", schema.Numeric},
		{"CASE WHEN true THEN 1 ELSE 2.5::float8 END", "1", schema.Double},
		{"coalesce(NULL, 2, 3)", "2", schema.Integer},
		{"coalesce(NULL, NULL)", "NULL", schema.Text},
		{"nullif(1, 1)", "NULL", schema.Integer},
		{"nullif(1, 2)", "1", schema.Integer},
		{"abs(-3)", "3", schema.Integer},
		{"abs(-2.5)", "2.5", schema.Numeric},
		{"abs(-2.5::float8)", "2.5", schema.Double},
		// casts
		{"CAST('12' AS INTEGER)", "12", schema.Integer},
		{"2.5::int", "3", schema.Integer},
		{"2.5::float8::int", "2", schema.Integer},
		{"3.5::int", "4", schema.Integer},
		{"-2.5::int", "-3", schema.Integer},
		{"'yes'::boolean", "t", schema.Boolean},
		{"true::int", "1", schema.Integer},
		{"12::text", "12", schema.Text},
		{"'2024-01-02 03:04:05.5'::timestamp", "2024-01-02 03:04:05.5", schema.Timestamp},
		{"TIMESTAMP '2024-01-02T03:04:05'", "2024-01-02 03:04:05", schema.Timestamp},
	}
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

// TestNullLogic checks AND, OR, NOT, comparisons and IN against SQL's three-valued truth
// tables, through the whole compiler.
func TestNullLogic(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE b (x BOOLEAN, y BOOLEAN)")
	vals := []string{"true", "false", "NULL"}
	for _, x := range vals {
		for _, y := range vals {
			d.run("INSERT INTO b VALUES (" + x + ", " + y + ")")
		}
	}
	want := []string{
		"t|t|t|t|f|t", "t|f|f|t|f|f", "t|NULL|NULL|t|f|NULL",
		"f|t|f|t|t|f", "f|f|f|f|t|t", "f|NULL|f|NULL|t|NULL",
		"NULL|t|NULL|t|NULL|NULL", "NULL|f|f|NULL|NULL|NULL", "NULL|NULL|NULL|NULL|NULL|NULL",
	}
	assert.Equal(t, want, d.rows("SELECT x, y, x AND y, x OR y, NOT x, x = y FROM b"))
	// WHERE keeps only true rows; NOT of NULL is still NULL.
	assert.Equal(t, []string{"t|NULL"}, d.rows("SELECT x, y FROM b WHERE x AND y IS NULL"))
	// NOT binds looser than IS: NOT ((x AND y) IS NULL). false AND NULL is false, not NULL.
	assert.Equal(t, "5", d.one("SELECT count(*) FROM b WHERE NOT (x AND y) IS NULL AND x IS NOT NULL"))
	tests := []struct{ expr, want string }{
		{"1 IN (1, NULL)", "t"},
		{"1 IN (2, NULL)", "NULL"},
		{"1 NOT IN (2, NULL)", "NULL"},
		{"NULL IN (1, 2)", "NULL"},
		{"NULL = NULL", "NULL"},
		{"NULL <> 1", "NULL"},
		{"NULL BETWEEN 1 AND 2", "NULL"},
		{"3 BETWEEN 1 AND NULL", "NULL"},
		{"0 BETWEEN 1 AND NULL", "f"},
		{"NULL LIKE 'a'", "NULL"},
		{"NULL + 1", "NULL"},
		{"NOT NULL", "NULL"},
		// A strict operator with a NULL constant operand is NULL without evaluating the other
		// operand, as PostgreSQL folds it at plan time: no overflow here.
		{"(2147483647 + 1) = NULL", "NULL"},
		{"NULL BETWEEN NULL AND 2147483647 * 2", "NULL"},
		{"2147483647 * 2 NOT BETWEEN NULL AND NULL", "NULL"},
		{"NULL IN (1 / 0)", "NULL"},
		{"1 / 0 IN (NULL, NULL)", "NULL"},
		{"(1 / 0)::text LIKE NULL", "NULL"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, d.one("SELECT "+tt.expr), tt.expr)
	}
	// x BETWEEN NULL AND hi is x >= NULL AND x <= hi; the first term is a constant NULL,
	// which stops the scan before any row is read, so x never overflows.
	d.run("CREATE TABLE big (i INT); INSERT INTO big VALUES (2147483647)")
	assert.Empty(t, d.rows("SELECT * FROM big WHERE i * 2 BETWEEN NULL AND 5"))
	d.fails(schema.CodeOutOfRange, "SELECT * FROM big WHERE i * 2 BETWEEN 1 AND 5")
}

// TestExpressionErrors checks the SQLSTATE of expressions PostgreSQL rejects.
func TestExpressionErrors(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE t (id INT, name TEXT, f FLOAT8, s SMALLINT, b BIGINT)")
	d.run("INSERT INTO t VALUES (1, 'a', 1.5, 32767, 9223372036854775807)")
	tests := []struct {
		name, sql, code, msg string
	}{
		{"int4 overflow", "SELECT 2147483647 + 1", schema.CodeOutOfRange, "integer out of range"},
		{"int8 overflow", "SELECT b + 1 FROM t", schema.CodeOutOfRange, "bigint out of range"},
		{"int2 overflow", "SELECT s + s FROM t", schema.CodeOutOfRange, "smallint out of range"},
		{"negate min int", "SELECT -(-2147483648)", schema.CodeOutOfRange, "integer out of range"},
		{"abs min int", "SELECT abs(-2147483648)", schema.CodeOutOfRange, "integer out of range"},
		{"division by zero", "SELECT id / 0 FROM t", schema.CodeDivisionByZero, "division by zero"},
		{"float division by zero", "SELECT f / 0 FROM t", schema.CodeDivisionByZero, "division by zero"},
		{"modulo by zero", "SELECT 1 % 0", schema.CodeDivisionByZero, "division by zero"},
		{"int = text", "SELECT id = name FROM t", schema.CodeUndefinedFunction, "operator does not exist: integer = text"},
		{"int + text", "SELECT id + name FROM t", schema.CodeUndefinedFunction, "operator does not exist: integer + text"},
		{"float modulo", "SELECT f % 2 FROM t", schema.CodeUndefinedFunction, "operator does not exist: double precision % integer"},
		{"int || int", "SELECT 1 || 2", schema.CodeUndefinedFunction, "operator does not exist: integer || integer"},
		{"bad int literal", "SELECT id FROM t WHERE id = 'x'", schema.CodeInvalidText, `invalid input syntax for type integer: "x"`},
		{"unknown + unknown", "SELECT '1' + '2'", codeAmbiguousFunction, "operator is not unique: unknown + unknown"},
		{"WHERE not boolean", "SELECT id FROM t WHERE id", schema.CodeDatatypeMismatch, "argument of WHERE must be type boolean, not type integer"},
		{"AND not boolean", "SELECT true AND 1", schema.CodeDatatypeMismatch, "argument of AND must be type boolean, not type integer"},
		{"bad cast", "SELECT 'abc'::int", schema.CodeInvalidText, `invalid input syntax for type integer: "abc"`},
		{"impossible cast", "SELECT '2024-01-01'::timestamp::int", codeCannotCoerce, "cannot cast type timestamp without time zone to integer"},
		{"unknown column", "SELECT nope FROM t", schema.CodeUndefinedColumn, `column "nope" does not exist`},
		{"unknown qualified column", "SELECT t.nope FROM t", schema.CodeUndefinedColumn, "column t.nope does not exist"},
		{"unknown table qualifier", "SELECT x.id FROM t", schema.CodeUndefinedTable, `missing FROM-clause entry for table "x"`},
		{"unknown function", "SELECT foo(1)", schema.CodeUndefinedFunction, "function foo(integer) does not exist"},
		{"wrong argument type", "SELECT lower(id) FROM t", schema.CodeUndefinedFunction, "function lower(integer) does not exist"},
		{"missing parameter", "SELECT $2", codeUndefinedParameter, "there is no parameter $2"},
		{"CASE type mismatch", "SELECT CASE WHEN true THEN 1 ELSE name END FROM t", schema.CodeDatatypeMismatch, "CASE types text and integer cannot be matched"},
		{"unknown type", "SELECT 1::money", schema.CodeUndefinedObject, `type "money" does not exist`},
		{"unsupported type", "SELECT 1::json", schema.CodeFeatureUnsupported, "type json is not supported"},
		{"LIKE escape at end", `SELECT 'ab' LIKE 'a\'`, codeInvalidEscape, "LIKE pattern must not end with escape character"},
		{"LIKE on int", "SELECT id LIKE 'a' FROM t", schema.CodeUndefinedFunction, "operator does not exist: integer ~~ text"},
		{"scalar subquery rows", "SELECT (SELECT id FROM t UNION ALL SELECT id FROM t)", schema.CodeCardinality, "more than one row returned by a subquery used as an expression"},
		{"scalar subquery columns", "SELECT (SELECT id, name FROM t)", schema.CodeSyntax, "subquery must return only one column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.msg, d.fails(tt.code, tt.sql))
		})
	}
}

// TestParameters checks that $n takes its type from the argument, and that text arguments
// adapt to their context as PostgreSQL's untyped parameters do.
func TestParameters(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE t (id INT PRIMARY KEY, f FLOAT8, ts TIMESTAMP)")
	d.run("INSERT INTO t VALUES ($1, $2, $3)", schema.Int(1), schema.Float(2.5), schema.Str("2024-05-06 07:08:09"))
	d.run("INSERT INTO t VALUES ($1, $2, NULL)", schema.Str("2"), schema.Int(3))
	assert.Equal(t, []string{"1|2.5|2024-05-06 07:08:09", "2|3|NULL"}, d.rows("SELECT * FROM t ORDER BY id"))
	assert.Equal(t, "2", d.one("SELECT id FROM t WHERE id = $1", schema.Str("2")))
	assert.Equal(t, "2", d.one("SELECT id FROM t WHERE id = $1", schema.Float(2)))
	assert.Equal(t, "1", d.one("SELECT id FROM t WHERE f = $1", schema.Float(2.5)))
	assert.Equal(t, "1", d.one("SELECT id FROM t WHERE ts < $1", schema.TimestampMicros(1<<62)))
	assert.Equal(t, "1", d.one("SELECT id FROM t ORDER BY id LIMIT $1", schema.Int(1)))
	assert.Empty(t, d.rows("SELECT id FROM t WHERE id = $1", schema.Null))
	res := d.run("SELECT $1, $2", schema.Int(1), schema.Str("x"))
	assert.Equal(t, []Column{{"?column?", schema.BigInt}, {"?column?", schema.Text}}, res.Columns)
	d.fails(schema.CodeOutOfRange, "INSERT INTO t (id) VALUES ($1)", schema.Int(1<<40))
	d.fails(schema.CodeInvalidText, "SELECT id FROM t WHERE id = $1", schema.Str("x"))
}
