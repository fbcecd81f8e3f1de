-- SELECT clauses, items and aliases.
SELECT 1;
SELECT * FROM t;
SELECT t.*, u.a FROM t, u;
SELECT DISTINCT a, b AS bee, c cee, d AS "Dee" FROM t;
SELECT ALL a FROM t;
SELECT a AS select, b AS "from" FROM t;
SELECT a, count(*) FROM t WHERE b > 1 GROUP BY a HAVING count(*) > 2 ORDER BY a DESC, 2 NULLS FIRST LIMIT 10 OFFSET 20;
SELECT a FROM t ORDER BY a ASC NULLS LAST LIMIT ALL;
SELECT a FROM t OFFSET 5 LIMIT 3;
SELECT key, value, seq, name, data, timestamp, text FROM kv;
SELECT "Mixed Case", "with ""quotes""" FROM kv AS "K";
SELECT * FROM t AS OF SEQ 42;
SELECT * FROM t AS OF TIMESTAMP '2024-05-01 12:00:00' AS x;
SELECT * FROM t x AS OF SEQ $1 JOIN u AS OF SEQ 3 ON x.a = u.a;
SELECT * FROM t AS of;
SELECT * FROM (SELECT a FROM t) AS s;
SELECT * FROM (SELECT a FROM t) s WHERE s.a = 1;
SELECT (SELECT max(a) FROM t) AS m;
