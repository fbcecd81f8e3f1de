package executor

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/eventsql/eventsql/schema"
)

func TestExplain(t *testing.T) {
	d := newDB(t)
	d.run(`CREATE TABLE t (id INT PRIMARY KEY, email TEXT UNIQUE, score FLOAT8, grp INT);
	CREATE TABLE u (uid INT PRIMARY KEY, tid INT, note TEXT);
	CREATE TABLE pair (a INT, b INT, c TEXT, PRIMARY KEY (a, b));
	CREATE INDEX t_score ON t (score);
	CREATE INDEX u_tid ON u USING HASH (tid)`)
	tests := []struct{ name, sql, want string }{
		{"primary key equality", "SELECT * FROM t WHERE id = 5",
			"Index Scan using t_pkey on t (id = 5)"},
		{"equality the other way round", "SELECT * FROM t WHERE 5 = id",
			"Index Scan using t_pkey on t (5 = id)"},
		{"parameter", "SELECT * FROM t WHERE id = $1",
			"Index Scan using t_pkey on t (id = $1)"},
		{"unique constraint index", "SELECT * FROM t WHERE email = 'a@b'",
			"Index Scan using t_email_key on t (email = 'a@b')"},
		{"unique beats range", "SELECT * FROM t WHERE score > 1 AND id = 2",
			"Index Scan using t_pkey on t (id = 2)\n  Filter: (score > 1)"},
		{"IN list", "SELECT * FROM t WHERE id IN (1, 2, 3)",
			"Index Scan using t_pkey on t (id IN (1, 2, 3))"},
		{"range", "SELECT * FROM t WHERE score >= 1.5 AND score < 3",
			"Index Scan using t_score on t (score >= 1.5 AND score < 3)"},
		{"BETWEEN", "SELECT * FROM t WHERE score BETWEEN 1 AND 2",
			"Index Scan using t_score on t (score >= 1 AND score <= 2)"},
		{"constant condition gates the scan", "SELECT * FROM t WHERE false AND grp = 1",
			"Result\n  One-Time Filter: FALSE\n  ->  Seq Scan on t\n        Filter: (grp = 1)"},
		{"parameter condition gates the scan", "SELECT * FROM t WHERE $1 > 0",
			"Result\n  One-Time Filter: ($1 > 0)\n  ->  Seq Scan on t"},
		{"hash index", "SELECT * FROM u WHERE tid = 7",
			"Index Scan using u_tid on u (tid = 7)"},
		{"hash index cannot range", "SELECT * FROM u WHERE tid > 7",
			"Seq Scan on u\n  Filter: (tid > 7)"},
		{"composite key fully bound", "SELECT * FROM pair WHERE b = 2 AND a = 1",
			"Index Scan using pair_pkey on pair (a = 1 AND b = 2)"},
		{"composite key prefix", "SELECT * FROM pair WHERE a = 1 AND c = 'x'",
			"Index Scan using pair_pkey on pair (a = 1)\n  Filter: (c = 'x')"},
		{"second key column alone", "SELECT * FROM pair WHERE b = 1",
			"Seq Scan on pair\n  Filter: (b = 1)"},
		{"not an index shape", "SELECT * FROM t WHERE id + 0 = 5",
			"Seq Scan on t\n  Filter: (id + 0 = 5)"},
		{"OR is not indexed", "SELECT * FROM t WHERE id = 1 OR id = 2",
			"Seq Scan on t\n  Filter: (id = 1 OR id = 2)"},
		{"index nested loop", "SELECT * FROM t JOIN u ON u.tid = t.id",
			"Nested Loop\n  ->  Seq Scan on t\n  ->  Index Scan using u_tid on u (u.tid = t.id)"},
		{"index nested loop into primary key", "SELECT * FROM u JOIN t ON t.id = u.tid WHERE u.note = 'x'",
			"Nested Loop\n  ->  Seq Scan on u\n        Filter: (u.note = 'x')\n  ->  Index Scan using t_pkey on t (t.id = u.tid)"},
		{"hash join", "SELECT * FROM t JOIN u ON u.note = t.email",
			"Hash Join (u.note = t.email)\n  ->  Seq Scan on t\n  ->  Hash\n        ->  Seq Scan on u"},
		{"nested loop", "SELECT * FROM t, u WHERE t.id < u.tid",
			"Nested Loop\n  Join Filter: (t.id < u.tid)\n  ->  Seq Scan on t\n  ->  Materialize\n        ->  Seq Scan on u"},
		{"constant lookup on the inner side", "SELECT * FROM t JOIN u ON u.note = t.email WHERE u.uid = 3",
			"Hash Join (u.note = t.email)\n  ->  Seq Scan on t\n  ->  Hash\n        ->  Index Scan using u_pkey on u (u.uid = 3)"},
		{"left join", "SELECT * FROM t LEFT JOIN u ON u.tid = t.id AND u.note = 'x'",
			"Nested Loop Left Join\n  ->  Seq Scan on t\n  ->  Index Scan using u_tid on u (u.tid = t.id)\n        Filter: (u.note = 'x')"},
		{"full join", "SELECT * FROM t FULL JOIN u ON u.tid = t.id",
			"Hash Full Join (u.tid = t.id)\n  ->  Seq Scan on t\n  ->  Hash\n        ->  Seq Scan on u"},
		{"aggregate, sort, limit", "SELECT grp, count(*) FROM t WHERE score > 0 GROUP BY grp HAVING count(*) > 1 ORDER BY 2 DESC LIMIT 3",
			"Limit\n  ->  Sort\n        Sort Key: count(*) DESC\n        ->  HashAggregate\n              Group Key: grp\n              Filter: (count(*) > 1)\n" +
				"              ->  Index Scan using t_score on t (score > 0)"},
		{"plain aggregate", "SELECT count(*) FROM t", "Aggregate\n  From: row count and index ends\n  ->  Seq Scan on t"},
		{"aggregate that reads rows", "SELECT sum(grp) FROM t", "Aggregate\n  ->  Seq Scan on t"},
		{"distinct", "SELECT DISTINCT grp FROM t", "HashAggregate\n  Group Key: grp\n  ->  Seq Scan on t"},
		{"no FROM", "SELECT 1", "Result"},
		{"subquery in FROM", "SELECT * FROM (SELECT id FROM t) s WHERE s.id = 1",
			"Subquery Scan on s\n  Filter: (s.id = 1)\n  ->  Seq Scan on t"},
		{"alias", "SELECT * FROM t AS x WHERE x.id = 1", "Index Scan using t_pkey on t x (x.id = 1)"},
		{"update", "UPDATE t SET grp = 1 WHERE id = 1", "Update on t\n  ->  Index Scan using t_pkey on t (id = 1)"},
		{"delete", "DELETE FROM u WHERE tid IN (1, 2)", "Delete on u\n  ->  Index Scan using u_tid on u (tid IN (1, 2))"},
		{"insert", "INSERT INTO u VALUES (1, 2, 'x')", "Insert on u\n  ->  Values Scan"},
		{"union", "SELECT id FROM t UNION SELECT uid FROM u",
			"HashAggregate\n  ->  Append\n        ->  Seq Scan on t\n        ->  Seq Scan on u"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, d.plan(tt.sql, schema.Int(1)))
		})
	}
	res := d.run("EXPLAIN SELECT 1")
	assert.Equal(t, []Column{{"QUERY PLAN", schema.Text}}, res.Columns)
	assert.Equal(t, "EXPLAIN", res.Tag)
}

// TestIndexScansAgree checks that every access path returns exactly the rows a sequential
// scan returns, including around NULLs, bounds, duplicates in IN lists, and values of the
// other numeric kind.
func TestIndexScansAgree(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE s (id INT PRIMARY KEY, x INT, f FLOAT8, txt TEXT)")
	for i := 0; i < 40; i++ {
		x, f, txt := "NULL", "NULL", "NULL"
		if i%7 != 0 {
			x = schema.Int(int64(i % 10)).String()
			f = schema.Float(float64(i%9) / 2).String()
			txt = "'" + string(rune('a'+i%6)) + "'"
		}
		d.run("INSERT INTO s VALUES (" + schema.Int(int64(i)).String() + ", " + x + ", " + f + ", " + txt + ")")
	}
	conds := []string{
		"x = 3", "x = 3.0", "x = 2.5", "x IN (1, 3, 3, NULL)", "x > 4", "x >= 4", "x < 2", "x <= 2",
		"x BETWEEN 2 AND 5", "x > 2.5", "x < NULL", "f = 1", "f > 1 AND f <= 3", "f >= 2", "txt = 'c'",
		"txt > 'c'", "txt IN ('a', 'b')", "x = 3 AND f > 1",
	}
	for _, c := range conds {
		sql := "SELECT id FROM s WHERE " + c + " ORDER BY id"
		want := d.rows(sql)
		for _, ix := range []string{"CREATE INDEX ix ON s (x, f)", "CREATE INDEX ix ON s (x)", "CREATE INDEX ix ON s (f)",
			"CREATE INDEX ix ON s (txt)", "CREATE INDEX ix ON s USING HASH (x)"} {
			d.run(ix)
			assert.Equal(t, want, d.rows(sql), "%s with %s\n%s", c, ix, d.plan(sql))
			d.run("DROP INDEX ix")
		}
	}
}
