package executor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

func TestCreateTable(t *testing.T) {
	d := newDB(t)
	res := d.run(`CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(20) UNIQUE, n BIGINT NOT NULL DEFAULT 1 + 1,
		f FLOAT, r REAL, s SMALLINT, b BOOL, ts TIMESTAMP, txt TEXT, UNIQUE (n, s))`)
	assert.Equal(t, "CREATE TABLE", res.Tag)
	tbl, ok := d.st.Current().Table("t")
	require.True(t, ok)
	def := tbl.Def()
	types := []schema.Type{schema.Integer, schema.Varchar(20), schema.BigInt, schema.Double, schema.Real, schema.SmallInt,
		schema.Boolean, schema.Timestamp, schema.Text}
	for i, c := range def.Columns {
		assert.Equal(t, types[i], c.Type, c.Name)
	}
	assert.True(t, def.Columns[0].NotNull, "PRIMARY KEY implies NOT NULL")
	assert.Equal(t, "1 + 1", def.Columns[2].Default)
	require.Len(t, def.Indexes, 3)
	assert.Equal(t, schema.Index{Name: "t_pkey", Columns: []uint32{1}, Unique: true, Primary: true}, def.Indexes[0])
	assert.Equal(t, schema.Index{Name: "t_email_key", Columns: []uint32{2}, Unique: true, Constraint: true}, def.Indexes[1])
	assert.Equal(t, schema.Index{Name: "t_n_s_key", Columns: []uint32{3, 6}, Unique: true, Constraint: true}, def.Indexes[2])

	d.run("CREATE TABLE pair (a INT, b TEXT, PRIMARY KEY (a, b))")
	pair, _ := d.st.Current().Table("pair")
	assert.True(t, pair.Def().Columns[1].NotNull)
	assert.Equal(t, "pair_pkey", pair.Def().Indexes[0].Name)

	assert.Equal(t, "CREATE TABLE", d.run("CREATE TABLE IF NOT EXISTS t (x INT)").Tag)
	tests := []struct{ name, sql, code, msg string }{
		{"exists", "CREATE TABLE t (x INT)", schema.CodeDuplicateTable, `relation "t" already exists`},
		{"name of an index", "CREATE TABLE t_pkey (x INT)", schema.CodeDuplicateTable, `relation "t_pkey" already exists`},
		{"duplicate column", "CREATE TABLE w (a INT, a TEXT)", schema.CodeDuplicateColumn, `column "a" specified more than once`},
		{"unknown type", "CREATE TABLE w (a MONEY)", schema.CodeUndefinedObject, `type "money" does not exist`},
		{"two primary keys", "CREATE TABLE w (a INT PRIMARY KEY, b INT, PRIMARY KEY (b))", "42P16", `multiple primary keys for table "w" are not allowed`},
		{"unknown key column", "CREATE TABLE w (a INT, UNIQUE (b))", schema.CodeUndefinedColumn, `column "b" named in key does not exist`},
		{"bad default", "CREATE TABLE w (a INT DEFAULT 'x')", schema.CodeInvalidText, `invalid input syntax for type integer: "x"`},
		{"default of wrong type", "CREATE TABLE w (a INT DEFAULT true)", schema.CodeDatatypeMismatch, `column "a" is of type integer but expression is of type boolean`},
		{"default reads a column", "CREATE TABLE w (a INT, b INT DEFAULT a)", schema.CodeFeatureUnsupported, "cannot use column reference in DEFAULT expression"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.msg, d.fails(tt.code, tt.sql))
		})
	}
}

func TestDropTable(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE a (x INT); CREATE TABLE b (x INT)")
	d.fails(schema.CodeUndefinedTable, "DROP TABLE a, nope")
	assert.Equal(t, "0", d.one("SELECT count(*) FROM a"), "a failed DROP drops nothing")
	assert.Equal(t, "DROP TABLE", d.run("DROP TABLE a, b").Tag)
	d.fails(schema.CodeUndefinedTable, "SELECT * FROM a")
	assert.Equal(t, "DROP TABLE", d.run("DROP TABLE IF EXISTS a").Tag)
	d.run("CREATE TABLE a (y TEXT)")
	assert.Equal(t, []Column{{"y", schema.Text}}, d.run("SELECT * FROM a").Columns)
}

func TestAlterTable(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE t (id INT PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b')")
	d.run("ALTER TABLE t ADD COLUMN n INT DEFAULT 40 + 2")
	assert.Equal(t, []string{"1|a|42", "2|b|42"}, d.rows("SELECT * FROM t ORDER BY id"))
	d.run("INSERT INTO t (id) VALUES (3)")
	assert.Equal(t, "42", d.one("SELECT n FROM t WHERE id = 3"), "the default also applies to new rows")
	d.run("ALTER TABLE t ADD COLUMN m TEXT NOT NULL DEFAULT 'm'")
	d.run("ALTER TABLE t ADD COLUMN IF NOT EXISTS m INT")
	d.fails(schema.CodeNotNull, "ALTER TABLE t ADD COLUMN k INT NOT NULL")
	d.fails(schema.CodeDuplicateColumn, "ALTER TABLE t ADD COLUMN name TEXT")
	d.fails(schema.CodeUnique, "ALTER TABLE t ADD COLUMN u INT UNIQUE DEFAULT 1")
	d.run("ALTER TABLE t ADD COLUMN u INT UNIQUE")
	assert.Equal(t, "Index Scan using t_u_key on t (u = 1)", d.plan("SELECT * FROM t WHERE u = 1"))
	d.run("ALTER TABLE t RENAME COLUMN name TO label")
	assert.Equal(t, "a", d.one("SELECT label FROM t WHERE id = 1"))
	d.fails(schema.CodeUndefinedColumn, "SELECT name FROM t")
	d.fails(schema.CodeDuplicateColumn, "ALTER TABLE t RENAME COLUMN label TO n")
	d.fails(schema.CodeUndefinedColumn, "ALTER TABLE t RENAME COLUMN nope TO x")
	d.run("ALTER TABLE t DROP COLUMN m")
	d.run("ALTER TABLE t DROP COLUMN IF EXISTS m")
	d.fails(schema.CodeUndefinedColumn, "ALTER TABLE t DROP COLUMN m")
	d.run("ALTER TABLE t RENAME TO t2")
	assert.Equal(t, []Column{{"id", schema.Integer}, {"label", schema.Text}, {"n", schema.Integer}, {"u", schema.Integer}},
		d.run("SELECT * FROM t2").Columns)
	d.fails(schema.CodeUndefinedTable, "ALTER TABLE t ADD COLUMN x INT")
	d.run("CREATE TABLE other (x INT)")
	d.fails(schema.CodeDuplicateTable, "ALTER TABLE t2 RENAME TO other")
}

func TestIndexDDL(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE t (id INT PRIMARY KEY, a INT, b TEXT); INSERT INTO t VALUES (1, 5, 'x'), (2, 5, 'y')")
	assert.Equal(t, "CREATE INDEX", d.run("CREATE INDEX t_a ON t (a)").Tag)
	assert.Equal(t, "Index Scan using t_a on t (a = 5)", d.plan("SELECT * FROM t WHERE a = 5"))
	assert.Equal(t, []string{"1", "2"}, d.rows("SELECT id FROM t WHERE a = 5 ORDER BY id"))
	d.run("CREATE INDEX IF NOT EXISTS t_a ON t (b)")
	d.run("CREATE INDEX t_ba ON t (b, a)")
	assert.Equal(t, "Index Scan using t_ba on t (b = 'x' AND a = 5)", d.plan("SELECT * FROM t WHERE b = 'x' AND a = 5"))
	d.run("CREATE INDEX t_h ON t USING HASH (b)")
	d.run("CREATE UNIQUE INDEX t_ub ON t (b)")
	d.run("INSERT INTO t VALUES (3, 6, NULL), (4, 6, NULL)") // NULLs never collide
	d.fails(schema.CodeUnique, "INSERT INTO t VALUES (5, 6, 'x')")
	tests := []struct{ name, sql, code, msg string }{
		{"unique violated by rows", "CREATE UNIQUE INDEX t_ua ON t (a)", schema.CodeUnique, ""},
		{"name taken", "CREATE INDEX t_a ON t (b)", schema.CodeDuplicateTable, `relation "t_a" already exists`},
		{"name of a table", "CREATE INDEX t ON t (b)", schema.CodeDuplicateTable, `relation "t" already exists`},
		{"unknown table", "CREATE INDEX x ON nope (a)", schema.CodeUndefinedTable, `relation "nope" does not exist`},
		{"unknown column", "CREATE INDEX x ON t (nope)", schema.CodeUndefinedColumn, `column "nope" does not exist`},
		{"multicolumn hash", "CREATE INDEX x ON t USING HASH (a, b)", schema.CodeFeatureUnsupported, `access method "hash" does not support multicolumn indexes`},
		{"drop primary key index", "DROP INDEX t_pkey", schema.CodeDependentObjects, "cannot drop index t_pkey because constraint t_pkey on table t requires it"},
		{"drop unknown", "DROP INDEX nope", schema.CodeUndefinedObject, `index "nope" does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := d.fails(tt.code, tt.sql)
			if tt.msg != "" {
				assert.Equal(t, tt.msg, msg)
			}
		})
	}
	assert.Equal(t, "DROP INDEX", d.run("DROP INDEX t_a, t_h").Tag)
	d.run("DROP INDEX IF EXISTS t_a")
	assert.Equal(t, "Seq Scan on t\n  Filter: (a = 5)", d.plan("SELECT * FROM t WHERE a = 5"))
	d.run("CREATE TABLE c (x INT UNIQUE)")
	d.fails(schema.CodeDependentObjects, "DROP INDEX c_x_key")
}
