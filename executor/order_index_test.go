package executor

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/parser"
)

func TestOrderByIndexPlans(t *testing.T) {
	d := newDB(t)
	d.run(`CREATE TABLE t (id INT PRIMARY KEY, k INT, v TEXT, f FLOAT8);
	CREATE INDEX t_k ON t (k);
	CREATE INDEX t_kv ON t (v, k);
	CREATE INDEX t_f ON t USING HASH (f)`)
	tests := []struct{ name, sql, want string }{
		{"range read in order, no sort", "SELECT * FROM t WHERE k >= 5 ORDER BY k LIMIT 3",
			"Limit\n  ->  Index Scan using t_k on t (k >= 5)"},
		{"range without LIMIT is still ordered", "SELECT id FROM t WHERE k > 5 ORDER BY k",
			"Index Scan using t_k on t (k > 5)"},
		{"backward", "SELECT * FROM t WHERE k < 5 ORDER BY k DESC LIMIT 3",
			"Limit\n  ->  Index Scan Backward using t_k on t (k < 5)"},
		{"whole index with LIMIT", "SELECT * FROM t ORDER BY k LIMIT 10",
			"Limit\n  ->  Index Scan using t_k on t"},
		{"primary key order", "SELECT * FROM t ORDER BY id DESC LIMIT 1",
			"Limit\n  ->  Index Scan Backward using t_pkey on t"},
		{"composite prefix", "SELECT * FROM t ORDER BY v, k LIMIT 2",
			"Limit\n  ->  Index Scan using t_kv on t"},
		{"filter kept", "SELECT * FROM t WHERE f > 1 ORDER BY k LIMIT 2",
			"Limit\n  ->  Index Scan using t_k on t\n        Filter: (f > 1)"},
		{"no LIMIT: sort the table", "SELECT * FROM t ORDER BY k",
			"Sort\n  Sort Key: t.k\n  ->  Seq Scan on t"},
		{"NULLS FIRST ascending needs a sort", "SELECT * FROM t ORDER BY k NULLS FIRST LIMIT 1",
			"Limit\n  ->  Sort\n        Sort Key: t.k\n        ->  Seq Scan on t"},
		{"mixed directions need a sort", "SELECT * FROM t ORDER BY v, k DESC LIMIT 1",
			"Limit\n  ->  Sort\n        Sort Key: t.v, t.k DESC\n        ->  Seq Scan on t"},
		{"expression needs a sort", "SELECT * FROM t ORDER BY k + 1 LIMIT 1",
			"Limit\n  ->  Sort\n        Sort Key: k + 1\n        ->  Seq Scan on t"},
		{"hash index cannot order", "SELECT * FROM t ORDER BY f LIMIT 1",
			"Limit\n  ->  Sort\n        Sort Key: t.f\n        ->  Seq Scan on t"},
		{"lookup keeps its sort", "SELECT * FROM t WHERE id = 3 ORDER BY k LIMIT 1",
			"Limit\n  ->  Sort\n        Sort Key: t.k\n        ->  Index Scan using t_pkey on t (id = 3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, d.plan(tt.sql))
		})
	}
}

// TestOrderByIndexAnswers checks that index-ordered scans and the bounded-heap sort give exactly
// the rows a full sort of a sequential scan gives, ties and NULLs included.
func TestOrderByIndexAnswers(t *testing.T) {
	d := newDB(t)
	d.run(`CREATE TABLE t (id INT PRIMARY KEY, k INT, v TEXT);
	CREATE INDEX t_k ON t (k);
	CREATE INDEX t_vk ON t (v, k)`)
	r := rand.New(rand.NewSource(1))
	for i := range 300 {
		k, v := fmt.Sprint(r.Intn(20)), fmt.Sprintf("'%c'", 'a'+r.Intn(4))
		if r.Intn(8) == 0 {
			k = "NULL"
		}
		if r.Intn(10) == 0 {
			v = "NULL"
		}
		d.run(fmt.Sprintf("INSERT INTO t VALUES (%d, %s, %s)", i, k, v))
	}
	queries := []string{
		"SELECT id, k FROM t ORDER BY k LIMIT 25",
		"SELECT id, k FROM t ORDER BY k DESC LIMIT 25",
		"SELECT id, k FROM t ORDER BY k DESC LIMIT 40 OFFSET 10",
		"SELECT id, k FROM t ORDER BY k LIMIT 30 OFFSET 270",
		"SELECT id, k FROM t WHERE k >= 7 ORDER BY k LIMIT 30",
		"SELECT id, k FROM t WHERE k BETWEEN 3 AND 9 ORDER BY k DESC",
		"SELECT id, k FROM t WHERE k < 4 ORDER BY k DESC LIMIT 12",
		"SELECT id, v, k FROM t ORDER BY v, k LIMIT 50",
		"SELECT id, v, k FROM t ORDER BY v DESC, k DESC LIMIT 50",
		"SELECT id FROM t ORDER BY id DESC LIMIT 5",
		"SELECT id, k FROM t WHERE v = 'b' ORDER BY k LIMIT 7",
		"SELECT id, k FROM t ORDER BY k NULLS FIRST LIMIT 9",
		"SELECT id, k FROM t ORDER BY k, id DESC LIMIT 9",
	}
	for _, q := range queries {
		want := d.rowsWith(Env{NoIndexScans: true}, q, 1<<30)
		assert.Equal(t, want, d.rows(q), q)
	}
	// ORDER BY a prefix of an index's columns: rows equal on the prefix come in the order of
	// the rest of the key, which SQL leaves open; the sort columns must still agree.
	for _, q := range []string{
		"SELECT v FROM t ORDER BY v DESC LIMIT 300",
		"SELECT v FROM t ORDER BY v LIMIT 100",
		"SELECT v FROM t WHERE v > 'a' ORDER BY v DESC LIMIT 100",
	} {
		want := d.rowsWith(Env{NoIndexScans: true}, q, 1<<30)
		assert.Equal(t, want, d.rows(q), q)
	}
	// The heap path and the full sort agree, also when the heap is the whole input.
	for _, q := range queries {
		assert.Equal(t, d.rowsWith(Env{NoIndexScans: true}, q, 0), d.rowsWith(Env{NoIndexScans: true}, q, 1<<30), q)
	}
}

// rowsWith runs a query with env's planner switches; heapMax replaces topNMax meanwhile.
func (d *testDB) rowsWith(env Env, sql string, heapMax int) []string {
	d.tb.Helper()
	old := topNMax
	topNMax = int64(heapMax)
	defer func() { topNMax = old }()
	stmts, err := parser.Parse(sql)
	require.NoError(d.tb, err)
	env.Tx, env.Store = d.st.Begin(), d.st
	res, err := Execute(context.Background(), env, stmts[0], nil)
	require.NoError(d.tb, err)
	return render_(res)
}

func TestTopNHeapSmall(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE t (a INT, b INT)")
	d.run("INSERT INTO t VALUES (3, 1), (1, 2), (3, 3), (2, 4), (1, 5), (NULL, 6)")
	assert.Equal(t, []string{"1|2", "1|5", "2|4"}, d.rows("SELECT * FROM t ORDER BY a LIMIT 3"))
	assert.Equal(t, []string{"NULL|6", "3|1"}, d.rows("SELECT * FROM t ORDER BY a DESC LIMIT 2"))
	assert.Equal(t, []string{"3|3", "2|4"}, d.rows("SELECT * FROM t ORDER BY a DESC LIMIT 2 OFFSET 2"))
	assert.Empty(t, d.rows("SELECT * FROM t ORDER BY a LIMIT 0"))
	d.fails("2201W", "SELECT * FROM t ORDER BY a LIMIT -1")
}

func TestMetaAggregates(t *testing.T) {
	d := newDB(t)
	d.run(`CREATE TABLE t (id INT PRIMARY KEY, k INT, v TEXT, f FLOAT8);
	CREATE INDEX t_k ON t (k);
	CREATE INDEX t_vk ON t (v, k)`)
	assert.Equal(t, []string{"0|NULL|NULL|NULL"}, d.rows("SELECT count(*), min(k), max(v), min(id) FROM t"))
	r := rand.New(rand.NewSource(2))
	for i := range 200 {
		k, v := fmt.Sprint(r.Intn(50)-25), fmt.Sprintf("'%c'", 'a'+r.Intn(20))
		if r.Intn(6) == 0 {
			k = "NULL"
		}
		if r.Intn(6) == 0 {
			v = "NULL"
		}
		d.run(fmt.Sprintf("INSERT INTO t VALUES (%d, %s, %s, %d)", i, k, v, r.Intn(9)))
	}
	d.run("DELETE FROM t WHERE id % 7 = 0")
	for _, q := range []string{
		"SELECT count(*) FROM t",
		"SELECT count(*), min(k), max(k), min(v), max(v), min(id), max(id) FROM t",
		"SELECT max(k) - min(k), count(*) * 2 FROM t",
		"SELECT count(*) FROM t HAVING count(*) > 5",
		"SELECT min(f) FROM t",
		"SELECT count(*) FROM t WHERE k > 0",
	} {
		assert.Equal(t, d.rowsWith(Env{NoIndexScans: true}, q, 1<<30), d.rows(q), q)
	}
	assert.Equal(t, "Aggregate\n  From: row count and index ends\n  ->  Seq Scan on t", d.plan("SELECT count(*), min(k), max(v) FROM t"))
	assert.Equal(t, "Aggregate\n  ->  Seq Scan on t", d.plan("SELECT min(f) FROM t"), "no index on f: a scan")
	assert.Equal(t, "Aggregate\n  ->  Seq Scan on t", d.plan("SELECT count(k) FROM t"), "count(k) skips NULLs: a scan")
}
