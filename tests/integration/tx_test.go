package integration

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

func sqlState(err error) string {
	var se *schema.Error
	if errors.As(err, &se) {
		return se.Code
	}
	return ""
}

func mustExec(t testing.TB, s *database.Session, sql string, args ...any) []*database.Result {
	t.Helper()
	res, err := s.Exec(context.Background(), sql, args...)
	require.NoError(t, err, sql)
	return res
}

// Two transactions update the same row: the second to commit fails with 40001 and appends
// nothing; snapshot isolation means neither saw the other's write.
func TestWriteWriteConflict(t *testing.T) {
	db := openDB(t, &database.Options{NoSync: true})
	ctx := context.Background()
	_, err := db.Exec(ctx, "CREATE TABLE a (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO a VALUES (1, 0), (2, 0)")
	require.NoError(t, err)

	s1, s2 := db.Session(), db.Session()
	mustExec(t, s1, "BEGIN")
	mustExec(t, s2, "BEGIN")
	mustExec(t, s1, "UPDATE a SET n = n + 1 WHERE id = 1")
	mustExec(t, s2, "UPDATE a SET n = n + 10 WHERE id = 1")
	// s2 reads its own write, not s1's.
	res := mustExec(t, s2, "SELECT n FROM a WHERE id = 1")
	assert.Equal(t, int64(10), res[0].Rows[0][0].Int())
	mustExec(t, s1, "COMMIT")
	head, _ := db.Log().Head()
	_, err = s2.Exec(ctx, "COMMIT")
	require.Error(t, err)
	assert.Equal(t, schema.CodeSerialization, sqlState(err), "error: %v", err)
	after, _ := db.Log().Head()
	assert.Equal(t, head, after, "the failed commit appended events")
	assert.False(t, s2.InTx())

	res2, err := db.Query(ctx, "SELECT n FROM a WHERE id = 1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), res2.Rows[0][0].Int())

	// Disjoint rows do not conflict.
	mustExec(t, s1, "BEGIN")
	mustExec(t, s2, "BEGIN")
	mustExec(t, s1, "UPDATE a SET n = 5 WHERE id = 1")
	mustExec(t, s2, "UPDATE a SET n = 6 WHERE id = 2")
	mustExec(t, s1, "COMMIT")
	mustExec(t, s2, "COMMIT")
	verifyRebuild(t, db)
}

// Readers inside a transaction see the state as of their start.
func TestSnapshotRead(t *testing.T) {
	db := openDB(t, &database.Options{NoSync: true})
	ctx := context.Background()
	_, err := db.Exec(ctx, "CREATE TABLE a (id INTEGER PRIMARY KEY)")
	require.NoError(t, err)
	r := db.Session()
	mustExec(t, r, "BEGIN")
	mustExec(t, r, "SELECT count(*) FROM a")
	_, err = db.Exec(ctx, "INSERT INTO a VALUES (1)")
	require.NoError(t, err)
	res := mustExec(t, r, "SELECT count(*) FROM a")
	assert.Equal(t, int64(0), res[0].Rows[0][0].Int())
	mustExec(t, r, "COMMIT")
	res = mustExec(t, r, "SELECT count(*) FROM a")
	assert.Equal(t, int64(1), res[0].Rows[0][0].Int())
}

// Concurrent inserts of the same key in two transactions: one wins, the other gets 23505.
func TestConcurrentUniqueInsert(t *testing.T) {
	db := openDB(t, &database.Options{NoSync: true})
	_, err := db.Exec(context.Background(), "CREATE TABLE u (id INTEGER PRIMARY KEY)")
	require.NoError(t, err)
	s1, s2 := db.Session(), db.Session()
	mustExec(t, s1, "BEGIN; INSERT INTO u VALUES (7)")
	mustExec(t, s2, "BEGIN; INSERT INTO u VALUES (7)")
	mustExec(t, s1, "COMMIT")
	_, err = s2.Exec(context.Background(), "COMMIT")
	require.Error(t, err)
	assert.Contains(t, []string{schema.CodeUnique, schema.CodeSerialization}, sqlState(err), "%v", err)
	verifyRebuild(t, db)
}

// Many goroutines autocommit at once: every insert lands exactly once, in a gapless log.
func TestConcurrentAutocommit(t *testing.T) {
	db := openDB(t, &database.Options{NoSync: true})
	ctx := context.Background()
	_, err := db.Exec(ctx, "CREATE TABLE w (id INTEGER PRIMARY KEY, g INTEGER)")
	require.NoError(t, err)
	const workers, each = 8, 50
	var wg sync.WaitGroup
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := db.Exec(ctx, "INSERT INTO w VALUES ($1, $2)", g*each+i, g); err != nil {
					t.Errorf("insert: %v", err)
					return
				}
				if _, err := db.Query(ctx, "SELECT count(*) FROM w WHERE g = $1", g); err != nil {
					t.Errorf("select: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	res, err := db.Query(ctx, "SELECT count(*), count(DISTINCT id) FROM w")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(workers*each), res.Rows[0][0].String())
	head, _ := db.Log().Head()
	assert.Equal(t, uint64(1+workers*each), head)
	verifyRebuild(t, db)
}

// Statements that fail validation append nothing and leave the state untouched.
func TestBadInputAppendsNothing(t *testing.T) {
	db := openDB(t, &database.Options{NoSync: true})
	ctx := context.Background()
	_, err := db.Exec(ctx, `CREATE TABLE b (id INTEGER PRIMARY KEY, name VARCHAR(5) NOT NULL UNIQUE, n SMALLINT);
		INSERT INTO b VALUES (1, 'one', 1), (2, 'two', 2)`)
	require.NoError(t, err)
	head, hash := db.Log().Head()
	bad := map[string]string{
		"syntax":            "INSERT INTO b VALUES (3, 'x', 1",
		"unknown table":     "INSERT INTO nope VALUES (1)",
		"unknown column":    "UPDATE b SET nope = 1",
		"type mismatch":     "INSERT INTO b VALUES ('x', 'y', 1)",
		"not null":          "INSERT INTO b VALUES (3, NULL, 1)",
		"primary key":       "INSERT INTO b VALUES (3, 'three', 3), (1, 'uno', 1)",
		"unique":            "UPDATE b SET name = 'one' WHERE id = 2",
		"too long":          "INSERT INTO b VALUES (3, 'toolong', 1)",
		"out of range":      "UPDATE b SET n = n * 100000 WHERE id = 2",
		"division by zero":  "UPDATE b SET n = 1 / (n - 2)",
		"duplicate table":   "CREATE TABLE b (x INTEGER)",
		"drop missing":      "DROP TABLE nope",
		"bad index column":  "CREATE INDEX bi ON b (nope)",
		"bad alter":         "ALTER TABLE b DROP COLUMN nope",
		"not null add":      "ALTER TABLE b ADD COLUMN z INTEGER NOT NULL",
		"second stmt fails": "INSERT INTO b VALUES (9, 'nine', 9); INSERT INTO b VALUES (9, 'again', 9)",
	}
	for name, sql := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := db.Exec(ctx, sql)
			require.Error(t, err, sql)
			assert.NotEmpty(t, sqlState(err), "error without SQLSTATE: %v", err)
		})
	}
	// The multi-statement case autocommits its first statement; undo it to compare.
	_, err = db.Exec(ctx, "DELETE FROM b WHERE id = 9")
	require.NoError(t, err)
	h2, _ := db.Log().Head()
	assert.Equal(t, head+2, h2, "only the good statement and its cleanup were appended")
	_ = hash
	res, err := db.Query(ctx, "SELECT id, name, n FROM b ORDER BY id")
	require.NoError(t, err)
	require.Len(t, res.Rows, 2)
	assert.Equal(t, "one", res.Rows[0][1].Text())
	assert.Equal(t, int64(2), res.Rows[1][2].Int())
}

// Two transactions drawing from one SERIAL column (without a unique index that would catch a
// duplicate) cannot both commit: the later one fails with 40001 and appends nothing, and an
// autocommit insert, which runs on the latest state, never collides.
func TestSerialConcurrentTransactions(t *testing.T) {
	db := openDB(t, &database.Options{NoSync: true})
	ctx := context.Background()
	_, err := db.Exec(ctx, "CREATE TABLE s (n SERIAL, who TEXT)")
	require.NoError(t, err)
	s1, s2 := db.Session(), db.Session()
	mustExec(t, s1, "BEGIN")
	mustExec(t, s2, "BEGIN")
	mustExec(t, s1, "INSERT INTO s (who) VALUES ('one')")
	mustExec(t, s2, "INSERT INTO s (who) VALUES ('two')")
	mustExec(t, s1, "COMMIT")
	_, err = s2.Exec(ctx, "COMMIT")
	require.Error(t, err)
	assert.Equal(t, schema.CodeSerialization, sqlState(err), "error: %v", err)
	mustExec(t, s2, "INSERT INTO s (who) VALUES ('two again')")
	res, err := db.Query(ctx, "SELECT n, who FROM s ORDER BY n")
	require.NoError(t, err)
	require.Len(t, res.Rows, 2)
	assert.Equal(t, int64(1), res.Rows[0][0].Int())
	assert.Equal(t, int64(2), res.Rows[1][0].Int())
	verifyRebuild(t, db)
}

// SET SESSION AS OF makes a session read the past until RESET SESSION AS OF, and refuses its
// writes meanwhile; other sessions are not affected.
func TestSessionAsOf(t *testing.T) {
	db := openDB(t, &database.Options{NoSync: true})
	ctx := context.Background()
	_, err := db.Exec(ctx, "CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO a VALUES (1, 10); UPDATE a SET v = 20 WHERE id = 1")
	require.NoError(t, err)
	s, other := db.Session(), db.Session()
	mustExec(t, s, "SET SESSION AS OF SEQ 2")
	res := mustExec(t, s, "SELECT v FROM a")
	assert.Equal(t, int64(10), res[0].Rows[0][0].Int(), "the past")
	res = mustExec(t, s, "SELECT v FROM a AS OF SEQ 3")
	assert.Equal(t, int64(20), res[0].Rows[0][0].Int(), "an explicit AS OF wins")
	res = mustExec(t, other, "SELECT v FROM a")
	assert.Equal(t, int64(20), res[0].Rows[0][0].Int(), "another session reads the present")
	_, err = s.Exec(ctx, "INSERT INTO a VALUES (2, 1)")
	require.Error(t, err)
	assert.Equal(t, "25006", sqlState(err), "error: %v", err)
	mustExec(t, s, "BEGIN")
	res = mustExec(t, s, "SELECT v FROM a")
	assert.Equal(t, int64(10), res[0].Rows[0][0].Int(), "inside a transaction too")
	mustExec(t, s, "COMMIT")
	mustExec(t, s, "RESET SESSION AS OF")
	res = mustExec(t, s, "SELECT v FROM a")
	assert.Equal(t, int64(20), res[0].Rows[0][0].Int(), "the present again")
	mustExec(t, s, "INSERT INTO a VALUES (2, 1)")
	_, err = s.Exec(ctx, "SET SESSION AS OF SEQ 99")
	require.Error(t, err, "a seq beyond the head")
}
