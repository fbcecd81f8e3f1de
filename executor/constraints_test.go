package executor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

func TestReturning(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE t (id INT PRIMARY KEY, name TEXT DEFAULT 'd')")
	tests := []struct {
		name, sql, tag string
		cols           []string
		want           []string
	}{
		{"insert star", "INSERT INTO t VALUES (1, 'a'), (2, DEFAULT) RETURNING *", "INSERT 0 2", []string{"id", "name"}, []string{"1|a", "2|d"}},
		{"insert expressions", "INSERT INTO t AS x VALUES (3, 'c') RETURNING x.id + 1 AS next, upper(name)", "INSERT 0 1", []string{"next", "upper"}, []string{"4|C"}},
		{"update returns the new row", "UPDATE t SET name = name || '!' WHERE id = 1 RETURNING name", "UPDATE 1", []string{"name"}, []string{"a!"}},
		{"delete returns the old row", "DELETE FROM t WHERE id = 2 RETURNING id, name", "DELETE 1", []string{"id", "name"}, []string{"2|d"}},
		{"nothing", "DELETE FROM t WHERE id = 99 RETURNING id", "DELETE 0", []string{"id"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := d.run(tt.sql)
			assert.Equal(t, tt.tag, res.Tag)
			assert.Equal(t, int64(len(tt.want)), res.RowsAffected)
			var cols []string
			for _, c := range res.Columns {
				cols = append(cols, c.Name)
			}
			assert.Equal(t, tt.cols, cols)
			assert.Equal(t, tt.want, render_(res))
		})
	}
	assert.Contains(t, d.fails(schema.CodeGrouping, "DELETE FROM t RETURNING max(id)"), "aggregate functions are not allowed in RETURNING")
	d.fails(schema.CodeUndefinedColumn, "INSERT INTO t VALUES (9) RETURNING nope")
}

func TestUpsert(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE kv (k TEXT PRIMARY KEY, v INT NOT NULL, u INT UNIQUE); CREATE UNIQUE INDEX kv_v_u ON kv (v, u)")
	reset := func() { d.run("DELETE FROM kv; INSERT INTO kv VALUES ('a', 1, 10), ('b', 2, NULL)") }
	tests := []struct {
		name, sql, tag string
		want           []string
	}{
		{"do nothing on the target", "INSERT INTO kv VALUES ('a', 5, NULL), ('c', 3, NULL) ON CONFLICT (k) DO NOTHING", "INSERT 0 1",
			[]string{"a|1|10", "b|2|NULL", "c|3|NULL"}},
		{"do nothing on any index", "INSERT INTO kv VALUES ('z', 9, 10) ON CONFLICT DO NOTHING", "INSERT 0 0",
			[]string{"a|1|10", "b|2|NULL"}},
		{"do update", "INSERT INTO kv VALUES ('a', 5, NULL) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v", "INSERT 0 1",
			[]string{"a|6|10", "b|2|NULL"}},
		{"do update where false", "INSERT INTO kv VALUES ('a', 5, NULL) ON CONFLICT (k) DO UPDATE SET v = 0 WHERE kv.v > 100", "INSERT 0 0",
			[]string{"a|1|10", "b|2|NULL"}},
		{"on constraint", "INSERT INTO kv VALUES ('q', 7, 10) ON CONFLICT ON CONSTRAINT kv_u_key DO UPDATE SET k = 'a2'", "INSERT 0 1",
			[]string{"a2|1|10", "b|2|NULL"}},
		{"multi-column unique index inferred in any order", "INSERT INTO kv VALUES ('x', 1, 10) ON CONFLICT (u, v) DO UPDATE SET k = excluded.k", "INSERT 0 1",
			[]string{"b|2|NULL", "x|1|10"}},
		{"rows of the statement conflict with each other", "INSERT INTO kv VALUES ('n', 4, NULL), ('n', 5, NULL) ON CONFLICT (k) DO NOTHING", "INSERT 0 1",
			[]string{"a|1|10", "b|2|NULL", "n|4|NULL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reset()
			assert.Equal(t, tt.tag, d.run(tt.sql).Tag)
			assert.Equal(t, tt.want, d.rows("SELECT * FROM kv ORDER BY k"))
		})
	}
	errs := []struct{ name, sql, code, msg string }{
		{"no matching index", "INSERT INTO kv VALUES ('a', 1, 1) ON CONFLICT (v) DO NOTHING", "42P10", "there is no unique or exclusion constraint matching the ON CONFLICT specification"},
		{"plain unique index is no constraint", "INSERT INTO kv VALUES ('a', 1, 1) ON CONFLICT ON CONSTRAINT kv_v_u DO NOTHING", schema.CodeUndefinedObject, `constraint "kv_v_u" for table "kv" does not exist`},
		{"row affected twice", "INSERT INTO kv VALUES ('a', 1, NULL), ('a', 2, NULL) ON CONFLICT (k) DO UPDATE SET v = 0", schema.CodeCardinality, "cannot affect row a second time"},
		{"inserted row updated", "INSERT INTO kv VALUES ('m', 1, NULL), ('m', 2, NULL) ON CONFLICT (k) DO UPDATE SET v = 0", schema.CodeCardinality, "cannot affect row a second time"},
		{"update violates NOT NULL", "INSERT INTO kv VALUES ('a', 1, NULL) ON CONFLICT (k) DO UPDATE SET v = NULL", schema.CodeNotNull, ""},
		{"excluded outside DO UPDATE", "INSERT INTO kv VALUES ('a', 1, NULL) ON CONFLICT (k) DO NOTHING RETURNING excluded.v", schema.CodeUndefinedTable, ""},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			reset()
			assert.Contains(t, d.fails(tt.code, tt.sql), tt.msg)
			assert.Equal(t, []string{"a|1|10", "b|2|NULL"}, d.rows("SELECT * FROM kv ORDER BY k"))
		})
	}
}

func TestCheckConstraints(t *testing.T) {
	d := newDB(t)
	d.run(`CREATE TABLE t (a INT CHECK (a > 0), b INT, c INT CHECK (a < c), CHECK (b <> 0), CONSTRAINT named CHECK (c < 100), CHECK (b > -10 AND b < 10))`)
	def, ok := d.st.Current().Table("t")
	require.True(t, ok)
	var names []string
	for _, ch := range def.Def().Checks {
		names = append(names, ch.Name)
	}
	assert.Equal(t, []string{"t_a_check", "t_check", "t_b_check", "named", "t_b_check1"}, names)

	d.run("INSERT INTO t VALUES (1, 1, 2), (NULL, NULL, NULL)")
	tests := []struct{ sql, constraint string }{
		{"INSERT INTO t VALUES (0, 1, 2)", "t_a_check"},
		{"INSERT INTO t VALUES (5, 1, 2)", "t_check"},
		{"INSERT INTO t VALUES (1, 0, 2)", "t_b_check"},
		{"INSERT INTO t VALUES (1, 20, 2)", "t_b_check1"},
		{"INSERT INTO t VALUES (1, 1, 200)", "named"},
		{"UPDATE t SET a = -a", "t_a_check"},
		// Several fail: the first by name is reported, as in PostgreSQL.
		{"INSERT INTO t VALUES (0, 0, 200)", "named"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			msg := d.fails(schema.CodeCheck, tt.sql)
			assert.Contains(t, msg, `new row for relation "t" violates check constraint "`+tt.constraint+`"`)
		})
	}
	assert.Contains(t, d.fails(schema.CodeCheck, "INSERT INTO t VALUES (0, 1, 2)"), "DETAIL:  Failing row contains (0, 1, 2).")

	// The condition follows renames; a dropped column takes its constraints along.
	d.run("ALTER TABLE t RENAME COLUMN a TO x")
	d.fails(schema.CodeCheck, "INSERT INTO t VALUES (0, 1, 2)")
	def, _ = d.st.Current().Table("t")
	text, err := CheckText(def.Def(), def.Def().Checks[1])
	require.NoError(t, err)
	assert.Equal(t, "x < c", text)
	d.run("ALTER TABLE t DROP COLUMN c")
	def, _ = d.st.Current().Table("t")
	assert.Len(t, def.Def().Checks, 3)
	d.run("INSERT INTO t VALUES (1, 1)")

	errs := []struct{ sql, code, msg string }{
		{"CREATE TABLE e (a INT CHECK (a IN (SELECT 1)))", schema.CodeFeatureUnsupported, "cannot use subquery in check constraint"},
		{"CREATE TABLE e (a INT CHECK (EXISTS (SELECT 1)))", schema.CodeFeatureUnsupported, "cannot use subquery in check constraint"},
		{"CREATE TABLE e (a INT CHECK (sum(a) > 0))", schema.CodeGrouping, "aggregate functions are not allowed in check constraints"},
		{"CREATE TABLE e (a INT CHECK (a))", schema.CodeDatatypeMismatch, "argument of CHECK must be type boolean, not type integer"},
		{"CREATE TABLE e (a INT CHECK (a > $1))", "42P02", "there is no parameter $1"},
		{"CREATE TABLE e (a INT CHECK (other.a > 0))", schema.CodeUndefinedTable, ""},
	}
	for _, tt := range errs {
		assert.Contains(t, d.fails(tt.code, tt.sql), tt.msg, tt.sql)
	}
}

func TestForeignKeys(t *testing.T) {
	d := newDB(t)
	d.run(`CREATE TABLE p (id INT PRIMARY KEY, a INT, b TEXT, UNIQUE (a, b));
	CREATE TABLE c (id INT PRIMARY KEY, pid BIGINT REFERENCES p, x TEXT, y INT, FOREIGN KEY (x, y) REFERENCES p (b, a) ON DELETE RESTRICT);
	INSERT INTO p VALUES (1, 10, 'u'), (2, 20, 'v')`)
	def, _ := d.st.Current().Table("c")
	fks := def.Def().ForeignKeys
	require.Len(t, fks, 2)
	assert.Equal(t, "c_pid_fkey", fks[0].Name)
	assert.Equal(t, "c_x_y_fkey", fks[1].Name)
	assert.Equal(t, []uint32{4, 3}, fks[1].Columns, "put in the order of the referenced index (a, b)")
	assert.Equal(t, schema.Restrict, fks[1].OnDelete)

	d.run("INSERT INTO c VALUES (1, 1, 'u', 10), (2, NULL, 'zz', NULL), (3, 2, NULL, 99)")
	tests := []struct{ sql, msg string }{
		{"INSERT INTO c VALUES (4, 3, NULL, NULL)", `insert or update on table "c" violates foreign key constraint "c_pid_fkey"` + "\nDETAIL:  Key (pid)=(3) is not present in table \"p\"."},
		{"INSERT INTO c VALUES (4, 1, 'v', 10)", `violates foreign key constraint "c_x_y_fkey"`},
		{"UPDATE c SET pid = pid + 5", `violates foreign key constraint "c_pid_fkey"`},
		{"DELETE FROM p WHERE id = 1", `update or delete on table "p" violates foreign key constraint "c_pid_fkey" on table "c"` + "\nDETAIL:  Key (id)=(1) is still referenced from table \"c\"."},
		{"UPDATE p SET a = 11 WHERE id = 1", `update or delete on table "p" violates foreign key constraint "c_x_y_fkey" on table "c"`},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			assert.Contains(t, d.fails(schema.CodeForeignKey, tt.sql), tt.msg)
		})
	}
	// Updates that leave the referenced keys as they were are no change to the references.
	d.run("UPDATE p SET b = b, a = a + 0, id = id * 1")
	assert.Equal(t, []string{"1|1", "3|2"}, d.rows("SELECT c.id, p.id FROM c JOIN p ON p.id = c.pid ORDER BY c.id"))

	errs := []struct{ sql, code, msg string }{
		{"CREATE TABLE e (x INT REFERENCES p (a))", schema.CodeInvalidForeignKey, `there is no unique constraint matching given keys for referenced table "p"`},
		{"CREATE TABLE e (x BOOLEAN REFERENCES p)", schema.CodeDatatypeMismatch, `foreign key constraint "e_x_fkey" cannot be implemented`},
		{"CREATE TABLE e (x INT REFERENCES e)", schema.CodeInvalidForeignKey, `there is no primary key for referenced table "e"`},
		{"CREATE TABLE e (x INT REFERENCES p ON DELETE SET DEFAULT)", schema.CodeFeatureUnsupported, "ON DELETE SET DEFAULT is not supported"},
		{"DROP TABLE p", schema.CodeDependentObjects, "cannot drop table p because other objects depend on it"},
		{"ALTER TABLE p DROP COLUMN b", schema.CodeDependentObjects, "cannot drop column b of table p because other objects depend on it"},
	}
	for _, tt := range errs {
		assert.Contains(t, d.fails(tt.code, tt.sql), tt.msg, tt.sql)
	}
	// Dropping the referencing column drops its foreign key; then the parent may go.
	d.run("ALTER TABLE c DROP COLUMN pid; ALTER TABLE c DROP COLUMN y")
	def, _ = d.st.Current().Table("c")
	assert.Empty(t, def.Def().ForeignKeys)
	d.run("DROP TABLE p")
}
