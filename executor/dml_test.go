package executor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

func TestUpdateDelete(t *testing.T) {
	d := newDB(t)
	d.run(`CREATE TABLE t (id INT PRIMARY KEY, name TEXT DEFAULT 'dflt', n INT NOT NULL, tag TEXT UNIQUE);
	CREATE INDEX t_n ON t (n)`)
	reset := func() {
		d.run("DELETE FROM t; INSERT INTO t VALUES (1, 'a', 10, 'x'), (2, 'b', 20, 'y'), (3, 'c', 30, NULL)")
	}
	tests := []struct {
		name, sql, tag string
		want           []string
	}{
		{"update all", "UPDATE t SET n = n + 1", "UPDATE 3", []string{"1|a|11|x", "2|b|21|y", "3|c|31|NULL"}},
		{"update by key", "UPDATE t SET name = 'z' WHERE id = 2", "UPDATE 1", []string{"1|a|10|x", "2|z|20|y", "3|c|30|NULL"}},
		{"update by index range", "UPDATE t SET name = upper(name) WHERE n >= 20", "UPDATE 2", []string{"1|a|10|x", "2|B|20|y", "3|C|30|NULL"}},
		{"update nothing", "UPDATE t SET n = 0 WHERE id = 9", "UPDATE 0", []string{"1|a|10|x", "2|b|20|y", "3|c|30|NULL"}},
		{"SET sees old values", "UPDATE t SET n = id, id = n WHERE id = 1", "UPDATE 1", []string{"2|b|20|y", "3|c|30|NULL", "10|a|1|x"}},
		{"update the primary key of every row", "UPDATE t SET id = id + 10", "UPDATE 3", []string{"11|a|10|x", "12|b|20|y", "13|c|30|NULL"}},
		{"update an indexed column used by WHERE", "UPDATE t SET n = n + 15 WHERE n > 5", "UPDATE 3", []string{"1|a|25|x", "2|b|35|y", "3|c|45|NULL"}},
		{"SET DEFAULT", "UPDATE t SET name = DEFAULT, tag = DEFAULT WHERE id = 1", "UPDATE 1", []string{"1|dflt|10|NULL", "2|b|20|y", "3|c|30|NULL"}},
		{"alias", "UPDATE t AS x SET n = x.n * 2 WHERE x.id = 3", "UPDATE 1", []string{"1|a|10|x", "2|b|20|y", "3|c|60|NULL"}},
		{"correlated subquery", "UPDATE t SET n = (SELECT max(n) FROM t) WHERE id = 1", "UPDATE 1", []string{"1|a|30|x", "2|b|20|y", "3|c|30|NULL"}},
		{"assignment cast", "UPDATE t SET n = 2.5, name = 7 WHERE id = 1", "UPDATE 1", []string{"1|7|3|x", "2|b|20|y", "3|c|30|NULL"}},
		{"delete by key", "DELETE FROM t WHERE id = 2", "DELETE 1", []string{"1|a|10|x", "3|c|30|NULL"}},
		{"delete by IN", "DELETE FROM t WHERE id IN (1, 3, 5)", "DELETE 2", []string{"2|b|20|y"}},
		{"delete with NULL logic", "DELETE FROM t WHERE tag <> 'x'", "DELETE 1", []string{"1|a|10|x", "3|c|30|NULL"}},
		{"delete with subquery", "DELETE FROM t WHERE n > (SELECT avg(n) FROM t)", "DELETE 1", []string{"1|a|10|x", "2|b|20|y"}},
		{"delete all", "DELETE FROM t", "DELETE 3", []string{}},
		{"delete nothing", "DELETE FROM t WHERE false", "DELETE 0", []string{"1|a|10|x", "2|b|20|y", "3|c|30|NULL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reset()
			res := d.run(tt.sql)
			assert.Equal(t, tt.tag, res.Tag)
			assert.Equal(t, tt.want, d.rows("SELECT * FROM t ORDER BY id"))
		})
	}
	errs := []struct{ name, sql, code, msg string }{
		{"unknown table", "UPDATE nope SET a = 1", schema.CodeUndefinedTable, `relation "nope" does not exist`},
		{"unknown column", "UPDATE t SET nope = 1", schema.CodeUndefinedColumn, `column "nope" of relation "t" does not exist`},
		{"column twice", "UPDATE t SET n = 1, n = 2", schema.CodeSyntax, `multiple assignments to same column "n"`},
		{"NOT NULL", "UPDATE t SET n = NULL WHERE id = 1", schema.CodeNotNull, `null value in column "n" of relation "t" violates not-null constraint`},
		{"unique", "UPDATE t SET tag = 'x'", schema.CodeUnique, ""},
		{"primary key collision", "UPDATE t SET id = 2 WHERE id = 1", schema.CodeUnique, ""},
		{"type", "UPDATE t SET n = 'x'", schema.CodeInvalidText, `invalid input syntax for type integer: "x"`},
		{"overflow", "UPDATE t SET n = n * 1000000000", schema.CodeOutOfRange, "integer out of range"},
		{"aggregate in SET", "UPDATE t SET n = count(*)", schema.CodeGrouping, "aggregate functions are not allowed in UPDATE"},
		{"aggregate in WHERE", "DELETE FROM t WHERE count(*) > 0", schema.CodeGrouping, "aggregate functions are not allowed in WHERE"},
		{"WHERE not boolean", "DELETE FROM t WHERE n", schema.CodeDatatypeMismatch, "argument of WHERE must be type boolean, not type integer"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			reset()
			msg := d.fails(tt.code, tt.sql)
			if tt.msg != "" {
				assert.Equal(t, tt.msg, msg)
			}
			assert.Equal(t, []string{"1|a|10|x", "2|b|20|y", "3|c|30|NULL"}, d.rows("SELECT * FROM t ORDER BY id"))
		})
	}
}

// TestStatementsInOneTransaction runs several statements on one Tx: each sees the writes of
// the ones before it, and nothing is visible outside until commit.
func TestStatementsInOneTransaction(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE t (id INT PRIMARY KEY, n INT)")
	tx := d.st.Begin()
	exec := func(sql string) *Result {
		stmts, err := parser.Parse(sql)
		require.NoError(t, err)
		res, err := Execute(context.Background(), Env{Tx: tx, Store: d.st}, stmts[0], nil)
		require.NoError(t, err, sql)
		return res
	}
	exec("INSERT INTO t VALUES (1, 1), (2, 2)")
	exec("UPDATE t SET n = n * 10")
	exec("CREATE TABLE u (x INT)")
	exec("INSERT INTO u SELECT n FROM t")
	assert.Equal(t, []string{"10", "20"}, render_(exec("SELECT x FROM u ORDER BY x")))
	assert.Empty(t, d.rows("SELECT * FROM t"))
	assert.Equal(t, "1", d.one("SELECT current_seq()"))
	require.NoError(t, d.commit(tx))
	assert.Equal(t, []string{"1|10", "2|20"}, d.rows("SELECT * FROM t ORDER BY id"))
	assert.Equal(t, "8", d.one("SELECT current_seq()"), "1 CREATE + 2 inserts + 2 updates + 1 CREATE + 2 inserts")
}
