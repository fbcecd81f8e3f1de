package executor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// viewDB has tables t (a pk, b, c) and u (a, d), and views v over t and vv over v.
func viewDB(t *testing.T) *testDB {
	d := newDB(t)
	d.run(`CREATE TABLE t (a INT PRIMARY KEY, b TEXT, c INT);
		CREATE TABLE u (a INT, d INT);
		INSERT INTO t VALUES (1, 'x', 10), (2, 'y', 20), (3, 'y', 30);
		INSERT INTO u VALUES (2, 200), (3, 300);
		CREATE VIEW v AS SELECT * FROM t WHERE a > 1;
		CREATE VIEW vv (label, total) AS SELECT b, sum(c) FROM v GROUP BY b`)
	return d
}

func TestViewQueries(t *testing.T) {
	d := viewDB(t)
	for _, tt := range []struct {
		name, sql string
		want      []string
	}{
		{"all", "SELECT * FROM v ORDER BY a", []string{"2|y|20", "3|y|30"}},
		{"qualified by the view's name", "SELECT v.b FROM v WHERE v.a = 3", []string{"y"}},
		{"alias", "SELECT x.c FROM v AS x WHERE x.a = 2", []string{"20"}},
		{"join with a table", "SELECT v.a, u.d FROM v JOIN u ON u.a = v.a ORDER BY 1", []string{"2|200", "3|300"}},
		{"view over view, renamed columns", "SELECT label, total FROM vv", []string{"y|50"}},
		{"aggregate over a view", "SELECT count(*), max(c) FROM v", []string{"2|30"}},
		{"in a subquery", "SELECT a FROM t WHERE a NOT IN (SELECT a FROM v)", []string{"1"}},
		{"correlated with a view", "SELECT a, (SELECT total FROM vv WHERE label = t.b) FROM t ORDER BY a", []string{"1|NULL", "2|50", "3|50"}},
		{"self join", "SELECT p.a, q.a FROM v p JOIN v q ON q.a = p.a + 1", []string{"2|3"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, d.rows(tt.sql))
		})
	}
	assert.Equal(t, []Column{{"label", schema.Text}, {"total", schema.BigInt}}, d.run("SELECT * FROM vv").Columns)
	assert.Contains(t, d.plan("SELECT * FROM v"), "Subquery Scan on v")
}

func TestViewStoredText(t *testing.T) {
	d := viewDB(t)
	d.run(`CREATE VIEW j AS SELECT *, 1 AS one FROM t JOIN u USING (a);
		CREATE VIEW s AS SELECT u.* FROM u UNION ALL SELECT * FROM u`)
	cat := d.st.Current().Catalog()
	for name, want := range map[string]string{
		"v":  "SELECT t.a, t.b, t.c FROM t WHERE a > 1",
		"vv": "SELECT b, sum(c) FROM v GROUP BY b",
		"j":  "SELECT a, t.b, t.c, u.d, 1 AS one FROM t JOIN u USING (a)",
		"s":  "SELECT u.a, u.d FROM u UNION ALL SELECT u.a, u.d FROM u",
	} {
		v, ok := cat.View(name)
		require.True(t, ok, name)
		assert.Equal(t, want, v.Query, name)
		_, err := parser.Parse(v.Query)
		assert.NoError(t, err, "the stored text parses")
	}
	v, _ := cat.View("vv")
	assert.Equal(t, []string{"label", "total"}, v.Columns)

	stmts, err := parser.Parse("CREATE VIEW k AS SELECT * FROM t")
	require.NoError(t, err)
	_, err = Execute(context.Background(), Env{Tx: d.st.Begin(), Store: d.st}, stmts[0], nil)
	require.NoError(t, err)
	assert.Equal(t, "CREATE VIEW k AS SELECT * FROM t", parser.Format(stmts[0]), "the parsed statement is left as it was")

	d.run("ALTER TABLE t ADD COLUMN e INT DEFAULT 5")
	assert.Equal(t, []string{"2|y|20", "3|y|30"}, d.rows("SELECT * FROM v ORDER BY a"), "* was expanded at creation")
}

func TestViewErrors(t *testing.T) {
	d := viewDB(t)
	for _, tt := range []struct{ name, sql, code, msg string }{
		{"exists", "CREATE VIEW v AS SELECT 1", schema.CodeDuplicateTable, `relation "v" already exists`},
		{"table exists", "CREATE VIEW t AS SELECT 1", schema.CodeDuplicateTable, `relation "t" already exists`},
		{"table by view's name", "CREATE TABLE v (x INT)", schema.CodeDuplicateTable, `relation "v" already exists`},
		{"index by view's name", "CREATE INDEX v ON t (b)", schema.CodeDuplicateTable, `relation "v" already exists`},
		{"replace a table", "CREATE OR REPLACE VIEW t AS SELECT 1", codeWrongObjectType, `"t" is not a view`},
		{"undefined table", "CREATE VIEW w AS SELECT * FROM nosuch", schema.CodeUndefinedTable, `relation "nosuch" does not exist`},
		{"undefined column", "CREATE VIEW w AS SELECT nosuch FROM t", schema.CodeUndefinedColumn, `column "nosuch" does not exist`},
		{"parameter", "CREATE VIEW w AS SELECT $1", codeUndefinedParameter, "there is no parameter $1"},
		{"too many names", "CREATE VIEW w (a, b) AS SELECT 1", schema.CodeSyntax, "CREATE VIEW specifies more column names than columns"},
		{"duplicate names", "CREATE VIEW w AS SELECT a, a FROM t", schema.CodeDuplicateColumn, `column "a" specified more than once`},
		{"replace drops a column", "CREATE OR REPLACE VIEW vv AS SELECT b FROM v", "42P16", "cannot drop columns from view"},
		{"replace renames", "CREATE OR REPLACE VIEW vv AS SELECT b AS lbl, sum(c) FROM v GROUP BY b", "42P16",
			`cannot change name of view column "label" to "lbl"`},
		{"replace retypes", "CREATE OR REPLACE VIEW vv (label, total) AS SELECT b, 1 FROM v", "42P16",
			`cannot change data type of view column "total" from bigint to integer`},
		{"insert", "INSERT INTO v VALUES (9, 'q', 9)", "55000", `cannot insert into view "v"`},
		{"update", "UPDATE v SET c = 0", "55000", `cannot update view "v"`},
		{"delete", "DELETE FROM vv", "55000", `cannot delete from view "vv"`},
		{"drop table on a view", "DROP TABLE v", codeWrongObjectType, `"v" is not a table`},
		{"drop view on a table", "DROP VIEW IF EXISTS t", codeWrongObjectType, `"t" is not a view`},
		{"drop unknown view", "DROP VIEW nosuch", schema.CodeUndefinedTable, `view "nosuch" does not exist`},
		{"drop a table views use", "DROP TABLE t", schema.CodeDependentObjects, "cannot drop table t because other objects depend on it"},
		{"drop a view views use", "DROP VIEW v", schema.CodeDependentObjects, "cannot drop view v because other objects depend on it"},
		{"drop a column views use", "ALTER TABLE t DROP COLUMN c", schema.CodeDependentObjects,
			"cannot drop column c of table t because other objects depend on it"},
		{"rename a column views use", "ALTER TABLE t RENAME COLUMN b TO bb", schema.CodeDependentObjects,
			"cannot rename column b of table t because view v depends on it"},
		{"rename a table views use", "ALTER TABLE t RENAME TO t2", schema.CodeDependentObjects,
			"cannot rename table t because view v depends on it"},
		{"index on a view", "CREATE INDEX i ON v (a)", codeWrongObjectType, `cannot create index on relation "v"`},
		{"add a column to a view", "ALTER TABLE v ADD COLUMN z INT", codeWrongObjectType,
			`ALTER action ADD COLUMN cannot be performed on relation "v"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.msg, d.fails(tt.code, tt.sql))
		})
	}
	// What no view uses can change.
	d.run(`ALTER TABLE u RENAME COLUMN d TO dd; ALTER TABLE u RENAME TO uu; DROP TABLE uu;
		ALTER TABLE t ADD COLUMN z INT; ALTER TABLE t RENAME COLUMN z TO zz; ALTER TABLE t DROP COLUMN zz`)
	assert.Equal(t, []string{"y|50"}, d.rows("SELECT * FROM vv"))
}

// execTx runs sql in one transaction without committing it and returns its events.
func execTx(t *testing.T, d *testDB, sql string) []eventlog.Event {
	t.Helper()
	stmts, err := parser.Parse(sql)
	require.NoError(t, err)
	tx := d.st.Begin()
	for _, s := range stmts {
		_, err := Execute(context.Background(), Env{Tx: tx, Store: d.st}, s, nil)
		require.NoError(t, err, parser.Format(s))
	}
	return tx.Events()
}

func TestViewCascade(t *testing.T) {
	d := viewDB(t)
	d.run("CREATE VIEW other AS SELECT a FROM u; CREATE VIEW bs AS SELECT b FROM t")
	ids := map[string]uint64{}
	for _, v := range d.st.Current().Catalog().Views() {
		ids[v.Name] = v.ID
	}
	tdef, _ := d.st.Current().Catalog().Lookup("t")
	dropped := func(evs []eventlog.Event) []uint64 {
		var out []uint64
		for _, e := range evs {
			switch e := e.(type) {
			case eventlog.ViewDropped:
				out = append(out, e.ViewID)
			case eventlog.TableDropped:
				out = append(out, e.TableID)
			}
		}
		return out
	}
	// Dependents go first, each with its own event; "other" does not depend on t.
	assert.Equal(t, []uint64{ids["bs"], ids["vv"], ids["v"], tdef.ID}, dropped(execTx(t, d, "DROP TABLE t CASCADE")))
	assert.Equal(t, []uint64{ids["vv"], ids["v"]}, dropped(execTx(t, d, "DROP VIEW v CASCADE")))
	assert.Equal(t, []uint64{ids["vv"], ids["v"]}, dropped(execTx(t, d, "DROP VIEW vv, v")), "both named: no CASCADE needed")
	assert.Equal(t, []uint64{ids["vv"], ids["v"]}, dropped(execTx(t, d, "ALTER TABLE t DROP COLUMN c CASCADE")))
	// A view created in a transaction is seen by the transaction's next statements.
	evs := execTx(t, d, "CREATE VIEW n AS SELECT 1 AS one; CREATE VIEW m AS SELECT one FROM n; DROP VIEW n CASCADE")
	require.Len(t, evs, 4)
	assert.IsType(t, eventlog.ViewCreated{}, evs[0])
	assert.Equal(t, "SELECT one FROM n", evs[1].(eventlog.ViewCreated).View.Query)
}

func TestViewAsOf(t *testing.T) {
	clock := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	d := newDBClock(t, func() time.Time { clock = clock.Add(time.Second); return clock })
	d.run("CREATE TABLE p (id INT PRIMARY KEY, price INT)")         // 1
	d.run("INSERT INTO p VALUES (1, 10), (2, 20)")                  // 2, 3
	d.run("CREATE VIEW cheap AS SELECT id FROM p WHERE price < 15") // 4
	at4 := time.Unix(0, d.st.Current().Time()).UTC().Format(schema.TimestampLayout)
	d.run("UPDATE p SET price = 5 WHERE id = 2")                              // 5
	d.run("CREATE OR REPLACE VIEW cheap AS SELECT id FROM p WHERE price > 7") // 6
	d.run("CREATE VIEW top AS SELECT max(id) AS id FROM cheap")               // 7
	d.run("DROP VIEW cheap CASCADE")                                          // 8, 9
	for _, tt := range []struct {
		name, sql string
		want      []string
	}{
		{"first definition", "SELECT * FROM cheap AS OF SEQ 4", []string{"1"}},
		{"first definition, later rows", "SELECT * FROM cheap AS OF SEQ 5 ORDER BY id", []string{"1", "2"}},
		{"replaced", "SELECT * FROM cheap AS OF SEQ 6", []string{"1"}},
		{"timestamp", "SELECT * FROM cheap AS OF TIMESTAMP '" + at4 + "'", []string{"1"}},
		{"view over view", "SELECT * FROM top AS OF SEQ 7", []string{"1"}},
		{"joined with the present", "SELECT c.id, p.price FROM cheap AS OF SEQ 5 c JOIN p ON p.id = c.id ORDER BY 1", []string{"1|10", "2|5"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, d.rows(tt.sql))
		})
	}
	assert.Equal(t, "Subquery Scan on top AS OF SEQ 7", d.rows("EXPLAIN SELECT * FROM top AS OF SEQ 7")[0])
	assert.Equal(t, `relation "cheap" does not exist`, d.fails(schema.CodeUndefinedTable, "SELECT * FROM cheap"))
	assert.Equal(t, `relation "cheap" does not exist`, d.fails(schema.CodeUndefinedTable, "SELECT * FROM cheap AS OF SEQ 3"))
	assert.Equal(t, `relation "top" does not exist`, d.fails(schema.CodeUndefinedTable, "SELECT * FROM top AS OF SEQ 8"))
}

// TestViewPushDown checks that conditions pushed into a view's query (view_push.go) change
// the plan but never the rows: each query over a view must return what the same query over
// the view's text as a FROM subquery (which is never pushed into) returns.
func TestViewPushDown(t *testing.T) {
	d := newDB(t)
	d.run(`CREATE TABLE t (a INT PRIMARY KEY, b TEXT, c INT);
		CREATE TABLE u (a INT, d INT);
		CREATE INDEX u_a ON u (a);
		INSERT INTO t VALUES (1, 'x', 10), (2, 'y', NULL), (3, NULL, 30), (4, 'y', 40);
		INSERT INTO u VALUES (2, 200), (3, 300), (3, 301), (5, 500)`)
	views := map[string]string{
		"plain":  "SELECT a, b, c FROM t WHERE c IS NOT NULL OR b = 'y'",
		"calc":   "SELECT a AS k, c * 2 AS twice, b FROM t",
		"ljoin":  "SELECT t.a, u.d, t.b FROM t LEFT JOIN u ON u.a = t.a",
		"fjoin":  "SELECT a, b, d FROM t FULL JOIN u USING (a)",
		"sorted": "SELECT a, b FROM t ORDER BY b DESC",
		"agg":    "SELECT b, count(*) AS n FROM t GROUP BY b",
		"lim":    "SELECT a, b FROM t ORDER BY a LIMIT 2",
	}
	for name, q := range views {
		d.run("CREATE VIEW " + name + " AS " + q)
	}
	conds := map[string][]string{
		"plain":  {"a = 2", "plain.a IN (1, 3)", "b = 'y' AND c > 5", "a BETWEEN 2 AND 3", "NOT (a = 1) AND b LIKE 'y%'", "c IS NULL", "a = $1", "CASE WHEN a > 1 THEN b END = 'y'"},
		"calc":   {"k = 3", "twice > 25", "k = 1 OR twice IS NULL", "b IS NULL AND k = 3"},
		"ljoin":  {"a = 3", "d IS NULL", "a = 3 AND d = 301", "b = 'y'"},
		"fjoin":  {"a = 5", "a IS NULL", "d > 250", "b IS NULL"},
		"sorted": {"a > 1", "b = 'y'"},
		"agg":    {"b = 'y'", "n > 1", "b IS NULL"},
		"lim":    {"a = 2", "a = 3"},
	}
	for name, cs := range conds {
		for _, c := range cs {
			t.Run(name+" WHERE "+c, func(t *testing.T) {
				got := d.rows("SELECT * FROM "+name+" WHERE "+c+" ORDER BY 1, 2", schema.Int(2))
				want := d.rows("SELECT * FROM ("+views[name]+") AS "+name+" WHERE "+c+" ORDER BY 1, 2", schema.Int(2))
				assert.Equal(t, want, got)
			})
		}
	}
	assert.Contains(t, d.plan("SELECT * FROM plain WHERE a = 2"), "Index Scan using t_pkey on t (a = 2)")
	assert.Contains(t, d.plan("SELECT * FROM plain p WHERE p.a = $1", schema.Int(1)), "Index Scan using t_pkey")
	assert.Contains(t, d.plan("SELECT * FROM ljoin WHERE a = 3"), "Nested Loop Left Join\n        Filter: (t.a = 3)")
	assert.Contains(t, d.plan("SELECT * FROM lim WHERE a = 3"), "Subquery Scan on lim\n  Filter: (a = 3)", "a condition is not pushed under LIMIT")
	assert.NotContains(t, d.plan("SELECT * FROM agg WHERE n > 1"), "Index")
	assert.Contains(t, d.plan("SELECT * FROM plain WHERE upper(b) = 'Y'"), "Filter: (upper(b) = 'Y')", "functions stay above the view")
}
