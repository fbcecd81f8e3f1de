package repl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/database"
)

func newShell(t *testing.T) (*Shell, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	db, err := database.Open(t.TempDir(), &database.Options{NoSync: true})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	var out, errOut bytes.Buffer
	return New(db, &out, &errOut), &out, &errOut
}

func TestScript(t *testing.T) {
	sh, out, errOut := newShell(t)
	script := `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO t VALUES (1, 'ann'),
                     (2, 'bob');
-- a comment line
SELECT * FROM t ORDER BY id;
\dt
`
	require.NoError(t, sh.Script(strings.NewReader(script)))
	assert.Empty(t, errOut.String())
	assert.Equal(t, `CREATE TABLE
INSERT 0 2
 id | name
----+------
  1 | ann
  2 | bob
(2 rows)
List of tables
 name | columns | rows | indexes
------+---------+------+---------
 t    |       2 |    2 |       1
`, out.String())
}

func TestScriptStopsAtFirstError(t *testing.T) {
	sh, out, errOut := newShell(t)
	err := sh.Script(strings.NewReader("SELECT 1;\nSELECT * FROM nope;\nSELECT 2;\n"))
	require.Error(t, err)
	assert.Contains(t, errOut.String(), `ERROR:  relation "nope" does not exist (SQLSTATE 42P01)`)
	assert.NotContains(t, out.String(), "2\n(1 row)")
}

func TestMetaCommands(t *testing.T) {
	sh, out, _ := newShell(t)
	require.NoError(t, sh.Script(strings.NewReader(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x');
INSERT INTO t VALUES (1, 'ann');
UPDATE t SET name = 'anne' WHERE id = 1;
INSERT INTO t VALUES (2, 'bob');
`)))
	out.Reset()
	require.NoError(t, sh.Command(`\d t`))
	assert.Contains(t, out.String(), `Table "t"`)
	assert.Contains(t, out.String(), "not null")
	assert.Contains(t, out.String(), `"t_pkey" PRIMARY KEY, btree (id)`)

	out.Reset()
	require.NoError(t, sh.Command(`\history t 1`))
	h := out.String()
	assert.Contains(t, h, "RowInserted")
	assert.Contains(t, h, "RowUpdated")
	assert.Contains(t, h, "name='ann'")
	assert.Contains(t, h, "name='anne'")
	assert.NotContains(t, h, "bob")

	out.Reset()
	require.NoError(t, sh.Command(`\log 2`))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Len(t, lines, 4, "header, rule and two events:\n%s", out.String())
	assert.Contains(t, lines[3], "bob")

	out.Reset()
	require.NoError(t, sh.Command(`\durability interval 20ms`))
	assert.Equal(t, "Durability is interval 20ms.\n", out.String())
	require.Error(t, sh.Command(`\durability sometimes`))

	require.Error(t, sh.Command(`\nope`))
	require.NoError(t, sh.Command(`\q`))
}

func TestAccept(t *testing.T) {
	sh, _, _ := newShell(t)
	var buf strings.Builder
	text, run := sh.accept(&buf, "SELECT 1", true)
	assert.True(t, run, "a complete one-line statement runs without ;")
	assert.Equal(t, "SELECT 1", text)

	_, run = sh.accept(&buf, "SELECT *", false)
	assert.False(t, run, "in a script, a statement waits for ;")
	text, run = sh.accept(&buf, "FROM t;", false)
	assert.True(t, run)
	assert.Equal(t, "SELECT *\nFROM t;", text)

	_, run = sh.accept(&buf, "SELECT 'a;", true)
	assert.False(t, run, "a ; inside a string does not end the statement")
	text, run = sh.accept(&buf, "b';", true)
	assert.True(t, run)
	assert.Equal(t, "SELECT 'a;\nb';", text)
}

func TestOneLineWithoutSemicolon(t *testing.T) {
	sh, _, _ := newShell(t)
	cases := []struct {
		line string
		run  bool
	}{
		{"SELECT 1", true},
		{"SELECT * FROM t", true},
		{"INSERT INTO t VALUES (1)", true},
		{"UPDATE t SET a = 1 WHERE id = 2", true},
		{"DELETE FROM t WHERE id = 2", true},
		{"UPDATE t SET a = 1", false}, // its WHERE may be on the next line
		{"DELETE FROM t", false},
		{"SELECT *", false}, // its FROM may be on the next line
		{"SELECT a, b + 1", false},
		{"SELECT a FROM", false}, // does not parse
	}
	for _, c := range cases {
		t.Run(c.line, func(t *testing.T) {
			var buf strings.Builder
			_, run := sh.accept(&buf, c.line, true)
			assert.Equal(t, c.run, run)
		})
	}
}

func TestReturningPrintsRowsThenTag(t *testing.T) {
	sh, out, errOut := newShell(t)
	script := `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO t VALUES (1, 'ann'), (2, 'bob') RETURNING id;
DELETE FROM t WHERE id = 5 RETURNING *;
`
	require.NoError(t, sh.Script(strings.NewReader(script)))
	assert.Empty(t, errOut.String())
	assert.Equal(t, `CREATE TABLE
 id
----
  1
  2
(2 rows)

INSERT 0 2
 id | name
----+------
(0 rows)

DELETE 0
`, out.String())
}

func TestDescribeConstraints(t *testing.T) {
	sh, out, errOut := newShell(t)
	script := `CREATE TABLE p (a INTEGER, b INTEGER, CONSTRAINT p_key PRIMARY KEY (a, b), UNIQUE (b, a));
CREATE TABLE c (id INTEGER PRIMARY KEY, x INTEGER, y INTEGER CHECK (y > 0), CHECK (x < y), FOREIGN KEY (x, y) REFERENCES p ON DELETE RESTRICT);
\d c
\d p
`
	require.NoError(t, sh.Script(strings.NewReader(script)))
	assert.Empty(t, errOut.String())
	assert.Equal(t, `CREATE TABLE
CREATE TABLE
Table "c"
 Column |  Type   | Nullable | Default
--------+---------+----------+---------
 id     | integer | not null |
 x      | integer |          |
 y      | integer |          |
Indexes:
    "c_pkey" PRIMARY KEY, btree (id)
Check constraints:
    "c_check" CHECK (x < y)
    "c_y_check" CHECK (y > 0)
Foreign-key constraints:
    "c_x_y_fkey" FOREIGN KEY (x, y) REFERENCES p(a, b) ON DELETE RESTRICT
Table "p"
 Column |  Type   | Nullable | Default
--------+---------+----------+---------
 a      | integer | not null |
 b      | integer | not null |
Indexes:
    "p_key" PRIMARY KEY, btree (a, b)
    "p_b_a_key" UNIQUE CONSTRAINT, btree (b, a)
Referenced by:
    TABLE "c" CONSTRAINT "c_x_y_fkey" FOREIGN KEY (x, y) REFERENCES p(a, b) ON DELETE RESTRICT
`, out.String())
}

// Numerics align right, as psql aligns every number.
func TestNumericAlignsRight(t *testing.T) {
	sh, out, errOut := newShell(t)
	require.NoError(t, sh.Script(strings.NewReader("SELECT 1.5 AS x UNION ALL SELECT 100.25 ORDER BY 1;\n")))
	assert.Empty(t, errOut.String())
	assert.Equal(t, `   x
--------
    1.5
 100.25
(2 rows)
`, out.String())
}
