package executor

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/eventsql/eventsql/schema"
)

func TestInsert(t *testing.T) {
	d := newDB(t)
	d.run(`CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(5) DEFAULT 'anon', n SMALLINT DEFAULT 1 + 2,
		f REAL, b BOOLEAN NOT NULL DEFAULT false, ts TIMESTAMP)`)
	tests := []struct {
		name, sql, tag string
		want           []string // rows of SELECT * FROM t WHERE id >= 100 after the insert
	}{
		{"all columns", "INSERT INTO t VALUES (100, 'a', 1, 1.5, true, '2024-01-01')", "INSERT 0 1",
			[]string{"100|a|1|1.5|t|2024-01-01 00:00:00"}},
		{"defaults for missing columns", "INSERT INTO t (id) VALUES (101)", "INSERT 0 1",
			[]string{"101|anon|3|NULL|f|NULL"}},
		{"DEFAULT keyword", "INSERT INTO t VALUES (102, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)", "INSERT 0 1",
			[]string{"102|anon|3|NULL|f|NULL"}},
		{"short VALUES fill from the left", "INSERT INTO t VALUES (103, 'x')", "INSERT 0 1",
			[]string{"103|x|3|NULL|f|NULL"}},
		{"column list in any order", "INSERT INTO t (n, id) VALUES (7, 104)", "INSERT 0 1",
			[]string{"104|anon|7|NULL|f|NULL"}},
		{"several rows", "INSERT INTO t (id, n) VALUES (105, 1), (106, 2)", "INSERT 0 2",
			[]string{"105|anon|1|NULL|f|NULL", "106|anon|2|NULL|f|NULL"}},
		{"assignment casts", "INSERT INTO t (id, name, n, f) VALUES (107.4, 12, 2.5, 1)", "INSERT 0 1",
			[]string{"107|12|3|1|f|NULL"}},
		{"text literals are parsed", "INSERT INTO t (id, n, b, ts) VALUES ('108', '9', 'yes', '2024-02-03 04:05:06')", "INSERT 0 1",
			[]string{"108|anon|9|NULL|t|2024-02-03 04:05:06"}},
		{"trailing spaces trimmed to fit", "INSERT INTO t (id, name) VALUES (109, 'abcde   ')", "INSERT 0 1",
			[]string{"109|abcde|3|NULL|f|NULL"}},
		{"INSERT SELECT", "INSERT INTO t (id, name) SELECT id + 100, name || '!' FROM t WHERE id < 100", "INSERT 0 1",
			[]string{"101|ab!|3|NULL|f|NULL"}},
		{"INSERT SELECT reads the table as it was", "INSERT INTO t SELECT id + 100, name, n, f, b, ts FROM t", "INSERT 0 1",
			[]string{"101|ab|3|NULL|f|NULL"}},
		{"INSERT SELECT of nothing", "INSERT INTO t SELECT * FROM t WHERE false", "INSERT 0 0", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d.run("DELETE FROM t; INSERT INTO t (id, name) VALUES (1, 'ab')")
			res := d.run(tt.sql)
			assert.Equal(t, tt.tag, res.Tag)
			assert.Equal(t, int64(len(tt.want)), res.RowsAffected)
			assert.Equal(t, tt.want, d.rows("SELECT * FROM t WHERE id >= 100 ORDER BY id"))
		})
	}
}

func TestInsertErrors(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(3), n INT NOT NULL DEFAULT 0, b BOOLEAN)")
	d.run("INSERT INTO t VALUES (1, 'a', 1, true)")
	tests := []struct{ name, sql, code, msg string }{
		{"unknown table", "INSERT INTO nope VALUES (1)", schema.CodeUndefinedTable, `relation "nope" does not exist`},
		{"unknown column", "INSERT INTO t (id, nope) VALUES (2, 1)", schema.CodeUndefinedColumn, `column "nope" of relation "t" does not exist`},
		{"column twice", "INSERT INTO t (id, id) VALUES (2, 2)", schema.CodeDuplicateColumn, `column "id" specified more than once`},
		{"too many values", "INSERT INTO t (id) VALUES (2, 3)", schema.CodeSyntax, "INSERT has more expressions than target columns"},
		{"too many values without list", "INSERT INTO t VALUES (2, 'b', 1, true, 5)", schema.CodeSyntax, "INSERT has more expressions than target columns"},
		{"too few values", "INSERT INTO t (id, name) VALUES (2)", schema.CodeSyntax, "INSERT has more target columns than expressions"},
		{"duplicate key", "INSERT INTO t VALUES (1, 'b')", schema.CodeUnique, ""},
		{"NULL primary key", "INSERT INTO t (name) VALUES ('x')", schema.CodeNotNull, `null value in column "id" of relation "t" violates not-null constraint`},
		{"NULL into NOT NULL", "INSERT INTO t VALUES (2, 'b', NULL)", schema.CodeNotNull, `null value in column "n" of relation "t" violates not-null constraint`},
		{"too long", "INSERT INTO t (id, name) VALUES (2, 'abcd')", schema.CodeStringTooLong, "value too long for type character varying(3)"},
		{"int4 range", "INSERT INTO t (id) VALUES (2147483648)", schema.CodeOutOfRange, "integer out of range"},
		{"bad literal", "INSERT INTO t (id) VALUES ('x')", schema.CodeInvalidText, `invalid input syntax for type integer: "x"`},
		{"typed text into int", "INSERT INTO t (id) VALUES ('1'::text)", schema.CodeDatatypeMismatch, `column "id" is of type integer but expression is of type text`},
		{"bool into int", "INSERT INTO t (id) VALUES (true)", schema.CodeDatatypeMismatch, `column "id" is of type integer but expression is of type boolean`},
		{"int into bool", "INSERT INTO t (id, b) VALUES (2, 1)", schema.CodeDatatypeMismatch, `column "b" is of type boolean but expression is of type integer`},
		{"SELECT too wide", "INSERT INTO t (id) SELECT 1, 2", schema.CodeSyntax, "INSERT has more expressions than target columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := d.fails(tt.code, tt.sql)
			if tt.msg != "" {
				assert.Equal(t, tt.msg, msg)
			}
		})
	}
	// A failed multi-row INSERT writes nothing.
	d.fails(schema.CodeUnique, "INSERT INTO t (id) VALUES (5), (1)")
	assert.Equal(t, []string{"1"}, d.rows("SELECT id FROM t"))
}
