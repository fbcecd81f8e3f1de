package executor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// people is the fixture of the query tests.
func people(t *testing.T) *testDB {
	d := newDB(t)
	d.run(`CREATE TABLE people (id INT PRIMARY KEY, name TEXT, age INT, city TEXT, score FLOAT8);
	INSERT INTO people VALUES
		(1, 'ann', 30, 'oslo', 1.5),
		(2, 'bob', NULL, 'rome', 2.5),
		(3, 'cid', 25, 'oslo', NULL),
		(4, NULL, 40, NULL, 4),
		(5, 'eve', 30, 'rome', 0.5)`)
	return d
}

func TestSelect(t *testing.T) {
	d := people(t)
	tests := []struct {
		name, sql string
		want      []string
	}{
		{"star", "SELECT * FROM people WHERE id = 1", []string{"1|ann|30|oslo|1.5"}},
		{"qualified star", "SELECT p.* FROM people p WHERE p.id = 2", []string{"2|bob|NULL|rome|2.5"}},
		{"expressions", "SELECT id * 10, name || '!' FROM people WHERE id <= 2", []string{"10|ann!", "20|bob!"}},
		{"no FROM", "SELECT 1, 'a'", []string{"1|a"}},
		{"no FROM with false WHERE", "SELECT 1 WHERE 1 = 0", []string{}},
		{"WHERE drops NULL", "SELECT id FROM people WHERE age > 26", []string{"1", "4", "5"}},
		{"IS NULL", "SELECT id FROM people WHERE age IS NULL OR city IS NULL", []string{"2", "4"}},
		{"IN", "SELECT id FROM people WHERE city IN ('rome', 'paris')", []string{"2", "5"}},
		{"NOT IN", "SELECT id FROM people WHERE age NOT IN (30, 40)", []string{"3"}},
		{"LIKE", "SELECT id FROM people WHERE name LIKE '_o%'", []string{"2"}},
		{"ORDER BY ASC puts NULLs last", "SELECT age FROM people ORDER BY age", []string{"25", "30", "30", "40", "NULL"}},
		{"ORDER BY DESC puts NULLs first", "SELECT age FROM people ORDER BY age DESC", []string{"NULL", "40", "30", "30", "25"}},
		{"NULLS FIRST", "SELECT age FROM people ORDER BY age NULLS FIRST", []string{"NULL", "25", "30", "30", "40"}},
		{"DESC NULLS LAST", "SELECT age FROM people ORDER BY age DESC NULLS LAST", []string{"40", "30", "30", "25", "NULL"}},
		{"two keys, stable", "SELECT id FROM people ORDER BY age, id DESC", []string{"3", "5", "1", "4", "2"}},
		{"ordinal", "SELECT name, age FROM people ORDER BY 2 DESC, 1", []string{"bob|NULL", "NULL|40", "ann|30", "eve|30", "cid|25"}},
		{"output alias", "SELECT id AS k FROM people ORDER BY k DESC LIMIT 2", []string{"5", "4"}},
		{"alias wins over column", "SELECT id AS age, age AS id FROM people ORDER BY age LIMIT 1", []string{"1|30"}},
		{"hidden sort key", "SELECT name FROM people WHERE age IS NOT NULL ORDER BY score", []string{"eve", "ann", "NULL", "cid"}},
		{"sort by expression", "SELECT id FROM people ORDER BY -id LIMIT 2", []string{"5", "4"}},
		{"text order is bytewise", "SELECT name FROM people WHERE name IS NOT NULL ORDER BY upper(name) DESC", []string{"eve", "cid", "bob", "ann"}},
		{"LIMIT OFFSET", "SELECT id FROM people ORDER BY id LIMIT 2 OFFSET 1", []string{"2", "3"}},
		{"OFFSET past end", "SELECT id FROM people ORDER BY id OFFSET 10", []string{}},
		{"LIMIT 0", "SELECT id FROM people LIMIT 0", []string{}},
		{"LIMIT NULL", "SELECT id FROM people ORDER BY id LIMIT NULL OFFSET 4", []string{"5"}},
		{"LIMIT expression", "SELECT id FROM people ORDER BY id LIMIT 1 + 1", []string{"1", "2"}},
		{"DISTINCT", "SELECT DISTINCT city FROM people ORDER BY city", []string{"oslo", "rome", "NULL"}},
		{"DISTINCT two columns", "SELECT DISTINCT city, age FROM people WHERE city = 'oslo' ORDER BY age", []string{"oslo|25", "oslo|30"}},
		{"subquery in FROM", "SELECT s.n FROM (SELECT name AS n, age FROM people) s WHERE s.age = 30 ORDER BY 1", []string{"ann", "eve"}},
		{"scalar subquery", "SELECT name FROM people WHERE age = (SELECT max(age) FROM people)", []string{"NULL"}},
		{"empty scalar subquery is NULL", "SELECT (SELECT id FROM people WHERE id = 99)", []string{"NULL"}},
		{"correlated subquery", "SELECT id, (SELECT count(*) FROM people q WHERE q.age < p.age) FROM people p ORDER BY id", []string{"1|1", "2|0", "3|0", "4|3", "5|1"}},
		{"EXISTS", "SELECT id FROM people p WHERE EXISTS (SELECT 1 FROM people q WHERE q.age > p.age)", []string{"1", "3", "5"}},
		{"NOT EXISTS", "SELECT id FROM people p WHERE NOT EXISTS (SELECT 1 FROM people q WHERE q.age > p.age)", []string{"2", "4"}},
		{"IN subquery", "SELECT id FROM people WHERE age IN (SELECT age FROM people WHERE city = 'rome')", []string{"1", "5"}},
		{"NOT IN subquery with NULL", "SELECT id FROM people WHERE age NOT IN (SELECT age FROM people)", []string{}},
		{"NOT IN empty subquery", "SELECT count(*) FROM people WHERE age NOT IN (SELECT age FROM people WHERE false)", []string{"5"}},
		{"UNION", "SELECT city FROM people UNION SELECT 'paris' ORDER BY 1", []string{"oslo", "paris", "rome", "NULL"}},
		{"UNION ALL", "SELECT 1 UNION ALL SELECT 1", []string{"1", "1"}},
		{"UNION widens types", "SELECT 1 UNION SELECT 2.5 ORDER BY 1", []string{"1", "2.5"}},
		{"INTERSECT", "SELECT age FROM people INTERSECT SELECT 30", []string{"30"}},
		{"EXCEPT", "SELECT city FROM people EXCEPT SELECT 'rome' ORDER BY 1", []string{"oslo", "NULL"}},
		{"EXCEPT ALL", "SELECT age FROM people EXCEPT ALL SELECT 30 ORDER BY 1", []string{"25", "30", "40", "NULL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, d.rows(tt.sql))
		})
	}
}

func TestAggregates(t *testing.T) {
	d := people(t)
	tests := []struct {
		name, sql string
		want      []string
	}{
		{"whole table", "SELECT count(*), count(age), count(DISTINCT age), sum(age), avg(age), min(name), max(score) FROM people",
			[]string{"5|4|3|125|31.2500000000000000|ann|4"}},
		{"empty input", "SELECT count(*), count(age), sum(age), avg(age), min(age), max(age) FROM people WHERE false",
			[]string{"0|0|NULL|NULL|NULL|NULL"}},
		{"group by", "SELECT city, count(*), sum(score) FROM people GROUP BY city ORDER BY city",
			[]string{"oslo|2|1.5", "rome|2|3", "NULL|1|4"}},
		{"group by ordinal", "SELECT age, count(*) FROM people GROUP BY 1 ORDER BY 1", []string{"25|1", "30|2", "40|1", "NULL|1"}},
		{"group by alias", "SELECT age / 10 AS decade, count(*) FROM people GROUP BY decade ORDER BY decade",
			[]string{"2|1", "3|2", "4|1", "NULL|1"}},
		{"group by expression", "SELECT age / 10, count(*) FROM people GROUP BY age / 10 ORDER BY 1 LIMIT 1", []string{"2|1"}},
		{"grouped column in expression", "SELECT age + 1 FROM people GROUP BY age ORDER BY 1 NULLS FIRST", []string{"NULL", "26", "31", "41"}},
		{"group by empty input", "SELECT city, count(*) FROM people WHERE false GROUP BY city", []string{}},
		{"having", "SELECT city, count(*) FROM people GROUP BY city HAVING count(*) > 1 ORDER BY city", []string{"oslo|2", "rome|2"}},
		{"having with other aggregate", "SELECT city FROM people GROUP BY city HAVING max(age) < 35 ORDER BY city", []string{"oslo", "rome"}},
		{"order by aggregate", "SELECT city FROM people GROUP BY city ORDER BY sum(score) DESC", []string{"NULL", "rome", "oslo"}},
		{"aggregate of expression", "SELECT sum(age * 2), max(length(name)) FROM people", []string{"250|3"}},
		{"aggregate in expression", "SELECT count(*) * 2 + 1 FROM people", []string{"11"}},
		{"distinct aggregate", "SELECT city, count(DISTINCT age) FROM people GROUP BY city ORDER BY city", []string{"oslo|2", "rome|1", "NULL|1"}},
		{"avg of floats", "SELECT avg(score) FROM people", []string{"2.125"}},
		{"columns depending on a grouped primary key", "SELECT id, name, count(*) FROM people GROUP BY id ORDER BY name LIMIT 2",
			[]string{"1|ann|1", "2|bob|1"}},
		{"star grouped by primary key", "SELECT * FROM people GROUP BY id HAVING max(age) > 35", []string{"4|NULL|40|NULL|4"}},
		{"primary key grouped through a join", "SELECT p.id, p.city, count(q.id) FROM people p JOIN people q ON q.age < p.age GROUP BY p.id ORDER BY p.id",
			[]string{"1|oslo|1", "4|NULL|3", "5|rome|1"}},
		{"subquery over groups", "SELECT city, (SELECT count(*) FROM people q WHERE q.city = p.city) FROM people p GROUP BY city ORDER BY city",
			[]string{"oslo|2", "rome|2", "NULL|0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, d.rows(tt.sql))
		})
	}
	t.Run("types", func(t *testing.T) {
		res := d.run("SELECT count(*), sum(age), sum(score), avg(age), min(name), max(age) FROM people")
		assert.Equal(t, []Column{{"count", schema.BigInt}, {"sum", schema.BigInt}, {"sum", schema.Double},
			{"avg", schema.Numeric}, {"min", schema.Text}, {"max", schema.Integer}}, res.Columns)
	})
	t.Run("sum of bigint is numeric", func(t *testing.T) {
		d.run("CREATE TABLE big (b BIGINT); INSERT INTO big VALUES (9223372036854775807), (1), (9223372036854775807)")
		assert.Equal(t, []string{"18446744073709551615|6148914691236517205"}, d.rows("SELECT sum(b), avg(b) FROM big"))
	})
	errs := []struct{ name, sql, code, msg string }{
		{"ungrouped column", "SELECT name, count(*) FROM people", schema.CodeGrouping,
			`column "people.name" must appear in the GROUP BY clause or be used in an aggregate function`},
		{"ungrouped column with GROUP BY", "SELECT city, age FROM people GROUP BY city", schema.CodeGrouping,
			`column "people.age" must appear in the GROUP BY clause or be used in an aggregate function`},
		{"ungrouped in ORDER BY", "SELECT city FROM people GROUP BY city ORDER BY age", schema.CodeGrouping,
			`column "people.age" must appear in the GROUP BY clause or be used in an aggregate function`},
		{"aggregate in WHERE", "SELECT 1 FROM people WHERE count(*) > 1", schema.CodeGrouping, "aggregate functions are not allowed in WHERE"},
		{"nested aggregate", "SELECT sum(count(*)) FROM people", schema.CodeGrouping, "aggregate function calls cannot be nested"},
		{"sum of text", "SELECT sum(name) FROM people", schema.CodeUndefinedFunction, "function sum(text) does not exist"},
		{"bad GROUP BY position", "SELECT city FROM people GROUP BY 2", codeInvalidColumnRef, "GROUP BY position 2 is not in select list"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.msg, d.fails(tt.code, tt.sql))
		})
	}
}

// TestResultColumns checks the names and types a query reports, named as PostgreSQL names them.
func TestResultColumns(t *testing.T) {
	d := people(t)
	res := d.run("SELECT id, p.name, age + 1, age AS years FROM people p")
	assert.Equal(t, []Column{{"id", schema.Integer}, {"name", schema.Text}, {"?column?", schema.Integer}, {"years", schema.Integer}}, res.Columns)
	res = d.run("SELECT 'x', NULL, true, 1::bigint, score::int, CASE WHEN true THEN 1 END, coalesce(age, 0), (SELECT max(id) FROM people) FROM people LIMIT 1")
	assert.Equal(t, []Column{{"?column?", schema.Text}, {"?column?", schema.Text}, {"bool", schema.Boolean}, {"int8", schema.BigInt},
		{"score", schema.Integer}, {"case", schema.Integer}, {"coalesce", schema.Integer}, {"max", schema.Integer}}, res.Columns)
	assert.Equal(t, "SELECT 1", res.Tag)
}

func TestSelectErrors(t *testing.T) {
	d := people(t)
	d.run("CREATE TABLE other (id INT, x INT)")
	tests := []struct{ name, sql, code, msg string }{
		{"unknown table", "SELECT * FROM nope", schema.CodeUndefinedTable, `relation "nope" does not exist`},
		{"ambiguous column", "SELECT id FROM people, other", schema.CodeAmbiguousColumn, `column reference "id" is ambiguous`},
		{"duplicate table name", "SELECT 1 FROM people, people", "42712", `table name "people" specified more than once`},
		{"ORDER BY position", "SELECT id FROM people ORDER BY 3", codeInvalidColumnRef, "ORDER BY position 3 is not in select list"},
		{"DISTINCT with hidden sort key", "SELECT DISTINCT city FROM people ORDER BY age", codeInvalidColumnRef,
			"for SELECT DISTINCT, ORDER BY expressions must appear in select list"},
		{"negative LIMIT", "SELECT id FROM people LIMIT -1", codeNegativeLimit, "LIMIT must not be negative"},
		{"negative OFFSET", "SELECT id FROM people OFFSET -1", codeNegativeOffset, "OFFSET must not be negative"},
		{"text LIMIT", "SELECT id FROM people LIMIT 'x'", schema.CodeInvalidText, `invalid input syntax for type bigint: "x"`},
		{"star without FROM", "SELECT *", schema.CodeSyntax, "SELECT * with no tables specified is not valid"},
		{"UNION column count", "SELECT 1 UNION SELECT 1, 2", schema.CodeSyntax, "each UNION query must have the same number of columns"},
		{"UNION types", "SELECT 1 UNION SELECT 'a'::text", schema.CodeDatatypeMismatch, "UNION types integer and text cannot be matched"},
		{"subquery without alias", "SELECT * FROM (SELECT 1)", schema.CodeSyntax, "subquery in FROM must have an alias"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.msg, d.fails(tt.code, tt.sql))
		})
	}
}

func TestCancel(t *testing.T) {
	d := people(t)
	for i := 0; i < 5; i++ {
		d.run("INSERT INTO people SELECT id + (SELECT max(id) FROM people), name, age, city, score FROM people")
	}
	stmts, err := parser.Parse("SELECT count(*) FROM people a, people b")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Execute(ctx, Env{Tx: d.st.Begin(), Store: d.st}, stmts[0], nil)
	requireCode(t, schema.CodeQueryCanceled, err)
	assert.Equal(t, "25600", d.one("SELECT count(*) FROM people a, people b"))
}
