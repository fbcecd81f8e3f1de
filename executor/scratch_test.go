package executor

import (
	"fmt"
	"strings"
	"testing"
)

func TestScratch(t *testing.T) {
	d := newDB(t)
	d.run(`CREATE TABLE t (id INT PRIMARY KEY, name TEXT DEFAULT 'anon', n INT DEFAULT 1 + 2, ts TIMESTAMP);
	INSERT INTO t VALUES (1, 'a', 1, '2024-01-01'), (2, 'b', 2, '2024-01-02T10:00:00'), (3, 'c', 3, NULL)`)
	for _, q := range strings.Split(`INSERT INTO t (id) VALUES (4)
INSERT INTO t VALUES (5, DEFAULT, DEFAULT, DEFAULT)
INSERT INTO t VALUES (6)
SELECT * FROM t ORDER BY id
UPDATE t SET n = n * 10 WHERE id > 3
UPDATE t SET id = id + 10
SELECT id, n FROM t ORDER BY id
UPDATE t SET name = DEFAULT WHERE id = 11
DELETE FROM t WHERE id IN (12, 13)
SELECT id, name FROM t ORDER BY id
SELECT current_seq()
SELECT id FROM t AS OF SEQ 3 ORDER BY id
SELECT id FROM t AS OF SEQ 99999
SELECT id FROM t AS OF SEQ -1
ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'e'
ALTER TABLE t ADD COLUMN req INT NOT NULL
ALTER TABLE t RENAME COLUMN name TO label
SELECT * FROM t ORDER BY id LIMIT 2
SELECT * FROM t AS OF SEQ 10 ORDER BY id LIMIT 2
SELECT a.id, a.label, b.name FROM t a JOIN t AS OF SEQ 10 b ON a.id = b.id ORDER BY a.id
ALTER TABLE t DROP COLUMN extra
ALTER TABLE t RENAME TO t2
SELECT * FROM t2 WHERE id = 11
SELECT count(*) FROM t AS OF SEQ 5
CREATE UNIQUE INDEX t2_label ON t2 (label)
CREATE INDEX t2_n ON t2 USING HASH (n)
EXPLAIN SELECT * FROM t2 WHERE n = 30
CREATE INDEX t2_n ON t2 (n)
CREATE INDEX IF NOT EXISTS t2_n ON t2 (n)
DROP INDEX t2_n
EXPLAIN SELECT * FROM t2 WHERE n = 30
SELECT ts, ts > '2024-01-01 12:00' FROM t2 ORDER BY ts
SELECT 'a\_b' LIKE 'a\_b', 'axb' LIKE 'a\_b', 'a%' LIKE 'a!%' ESCAPE '!', 'ABC' ILIKE 'a%c'
SELECT 'abcdef'::varchar(3), 'NaN'::float8, 'Infinity'::float8 > 1e308, 0.1::real
SELECT 1 = 1.0, 2 > 1.5, 3 BETWEEN 1 AND NULL, NULL IN (1), 1 IN (1, NULL)
SELECT id FROM t2 WHERE id = $1`, "\n") {
		res, err := d.exec(q)
		if err != nil {
			fmt.Printf("%s\n  ERROR %v %v\n", q, err.(interface{ Error() string }), codeOf(err))
			continue
		}
		if strings.HasPrefix(q, "EXPLAIN") {
			fmt.Printf("%s\n%s\n", q, strings.Join(render_(res), "\n"))
			continue
		}
		var cols []string
		for _, c := range res.Columns {
			cols = append(cols, c.Name+":"+c.Type.String())
		}
		fmt.Printf("%s\n  %s %s\n  %s\n", q, res.Tag, strings.Join(cols, ", "), strings.Join(render_(res), "  /  "))
	}
}
