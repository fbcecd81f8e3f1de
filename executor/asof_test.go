package executor

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/eventsql/eventsql/schema"
)

func TestAsOf(t *testing.T) {
	clock := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	d := newDBClock(t, func() time.Time { clock = clock.Add(time.Second); return clock })
	d.run("CREATE TABLE t (id INT PRIMARY KEY, name TEXT, gone INT)") // seq 1
	d.run("INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20)")          // seqs 2, 3
	afterInsert := d.st.Current()
	d.run("UPDATE t SET name = 'z' WHERE id = 1")         // 4
	d.run("ALTER TABLE t DROP COLUMN gone")               // 5
	d.run("ALTER TABLE t ADD COLUMN added INT DEFAULT 7") // 6
	d.run("ALTER TABLE t RENAME TO t2")                   // 7
	d.run("DELETE FROM t2 WHERE id = 2")                  // 8

	tests := []struct {
		name, sql string
		want      []string
	}{
		{"now", "SELECT * FROM t2", []string{"1|z|7"}},
		{"before the update", "SELECT * FROM t AS OF SEQ 3 ORDER BY id", []string{"1|a|10", "2|b|20"}},
		{"part-way through a transaction", "SELECT * FROM t AS OF SEQ 2", []string{"1|a|10"}},
		{"empty table", "SELECT count(*) FROM t AS OF SEQ 1", []string{"0"}},
		{"dropped column is back", "SELECT id, gone FROM t AS OF SEQ 4 ORDER BY id", []string{"1|10", "2|20"}},
		{"added column not yet there", "SELECT * FROM t AS OF SEQ 5 ORDER BY id", []string{"1|z", "2|b"}},
		{"old name, new column", "SELECT id, added FROM t AS OF SEQ 6 ORDER BY id", []string{"1|7", "2|7"}},
		{"alias after AS OF", "SELECT p.name FROM t AS OF SEQ 3 p WHERE p.id = 2", []string{"b"}},
		{"index on an old state", "SELECT name FROM t AS OF SEQ 3 WHERE id = 1", []string{"a"}},
		{"the table joined with its past", "SELECT n.id, n.name, o.name FROM t2 n JOIN t AS OF SEQ 3 o ON o.id = n.id", []string{"1|z|a"}},
		{"past rows missing now", "SELECT o.id FROM t AS OF SEQ 3 o LEFT JOIN t2 n ON n.id = o.id WHERE n.id IS NULL", []string{"2"}},
		{"seq as a parameter", "SELECT name FROM t AS OF SEQ $1 WHERE id = 1", []string{"a"}},
		{"timestamp", "SELECT name FROM t AS OF TIMESTAMP '" + time.Unix(0, afterInsert.Time()).UTC().Format(schema.TimestampLayout) + "' WHERE id = 1", []string{"a"}},
		{"timestamp before everything", "SELECT count(*) FROM t2 AS OF TIMESTAMP '2024-01-01 00:00:00.5' ", nil},
		{"timestamptz", "SELECT name FROM t AS OF TIMESTAMP TIMESTAMPTZ '" + time.Unix(0, afterInsert.Time()).UTC().Format(schema.TimestampLayout) + "+00' WHERE id = 1", []string{"a"}},
		{"now() less an interval", "SELECT name FROM t2 AS OF TIMESTAMP now() - INTERVAL '1 minute'", []string{"z"}},
		{"a date is its midnight", "SELECT count(*) FROM t2 AS OF TIMESTAMP DATE '2024-01-01'", nil},
		{"in a subquery", "SELECT (SELECT name FROM t AS OF SEQ 3 WHERE id = 1) || name FROM t2", []string{"az"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == nil {
				assert.Equal(t, `relation "t2" does not exist`, d.fails(schema.CodeUndefinedTable, tt.sql))
				return
			}
			assert.Equal(t, tt.want, d.rows(tt.sql, schema.Int(3)))
		})
	}
	assert.Equal(t, []Column{{"id", schema.Integer}, {"name", schema.Text}, {"gone", schema.Integer}},
		d.run("SELECT * FROM t AS OF SEQ 4").Columns)
	assert.Equal(t, "Index Scan using t_pkey on t AS OF SEQ 3 (id = 1)", d.plan("SELECT * FROM t AS OF SEQ 3 WHERE id = 1"))
	errs := []struct{ name, sql, code, msg string }{
		{"beyond the head", "SELECT * FROM t2 AS OF SEQ 9", schema.CodeInvalidParameter, "AS OF SEQ 9 is out of range: the log holds seqs 0 to 8"},
		{"negative", "SELECT * FROM t2 AS OF SEQ -1", schema.CodeInvalidParameter, "AS OF SEQ -1 is out of range: the log holds seqs 0 to 8"},
		{"NULL", "SELECT * FROM t2 AS OF SEQ NULL", schema.CodeInvalidParameter, "AS OF SEQ must not be NULL"},
		{"not a number", "SELECT * FROM t2 AS OF SEQ 'x'", schema.CodeInvalidText, `invalid input syntax for type bigint: "x"`},
		{"timestamp of wrong type", "SELECT * FROM t2 AS OF TIMESTAMP 5", schema.CodeDatatypeMismatch,
			"AS OF TIMESTAMP must be of type timestamp without time zone, not type integer"},
		{"table not there yet", "SELECT * FROM t2 AS OF SEQ 6", schema.CodeUndefinedTable, `relation "t2" does not exist`},
		{"column not there yet", "SELECT added FROM t AS OF SEQ 5", schema.CodeUndefinedColumn, `column "added" does not exist`},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.msg, d.fails(tt.code, tt.sql))
		})
	}
}
