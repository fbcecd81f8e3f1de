package integration

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	_ "github.com/eventsql/eventsql/driver"
	"github.com/eventsql/eventsql/schema"
)

func TestDriver(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("eventsql", dir)
	require.NoError(t, err)
	ctx := context.Background()

	_, err = db.ExecContext(ctx, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, score DOUBLE PRECISION,
		done BOOLEAN, at TIMESTAMP, tag VARCHAR(8))`)
	require.NoError(t, err)
	at := time.Date(2026, 11, 23, 12, 30, 0, 0, time.UTC)
	res, err := db.ExecContext(ctx, "INSERT INTO notes VALUES ($1, $2, $3, $4, $5, $6), (2, 'two', NULL, false, NULL, NULL)",
		1, "one", 1.5, true, at, "x")
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)

	var (
		id    int64
		body  string
		score sql.NullFloat64
		done  bool
		when  sql.NullTime
		tag   sql.NullString
	)
	require.NoError(t, db.QueryRowContext(ctx, "SELECT * FROM notes WHERE id = ?", 1).Scan(&id, &body, &score, &done, &when, &tag))
	assert.Equal(t, "one", body)
	assert.Equal(t, 1.5, score.Float64)
	assert.True(t, done)
	assert.True(t, when.Time.Equal(at), "timestamp %v", when.Time)
	assert.Equal(t, "x", tag.String)

	rows, err := db.QueryContext(ctx, "SELECT id, body, score, done, at, tag FROM notes ORDER BY id")
	require.NoError(t, err)
	types, err := rows.ColumnTypes()
	require.NoError(t, err)
	var names []string
	for _, ct := range types {
		names = append(names, ct.DatabaseTypeName())
	}
	assert.Equal(t, []string{"INTEGER", "TEXT", "DOUBLE PRECISION", "BOOLEAN", "TIMESTAMP", "VARCHAR"}, names)
	count := 0
	for rows.Next() {
		count++
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	assert.Equal(t, 2, count)

	// Transactions: rollback leaves nothing, commit keeps everything.
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "DELETE FROM notes")
	require.NoError(t, err)
	require.NoError(t, tx.Rollback())
	var total int
	require.NoError(t, db.QueryRow("SELECT count(*) FROM notes").Scan(&total))
	assert.Equal(t, 2, total)

	tx, err = db.Begin()
	require.NoError(t, err)
	_, err = tx.Exec("UPDATE notes SET body = 'uno' WHERE id = 1")
	require.NoError(t, err)
	require.NoError(t, tx.QueryRow("SELECT body FROM notes WHERE id = 1").Scan(&body))
	assert.Equal(t, "uno", body)
	require.NoError(t, tx.Commit())

	// AS OF with a bound seq: the row as the first insert left it.
	require.NoError(t, db.QueryRow("SELECT body FROM notes AS OF SEQ $1 WHERE id = $2", 2, 1).Scan(&body))
	assert.Equal(t, "one", body)

	// Errors carry SQLSTATE codes through database/sql.
	_, err = db.Exec("INSERT INTO notes (id) VALUES (1)")
	var se *schema.Error
	require.True(t, errors.As(err, &se), "%v", err)
	assert.Equal(t, schema.CodeUnique, se.Code)

	// A cancelled context stops the statement.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = db.QueryContext(cctx, "SELECT * FROM notes")
	require.Error(t, err)

	// Prepared statements are reusable.
	st, err := db.Prepare("SELECT body FROM notes WHERE id = $1")
	require.NoError(t, err)
	for _, k := range []int{1, 2} {
		require.NoError(t, st.QueryRow(k).Scan(&body))
	}
	require.NoError(t, st.Close())

	// A second sql.DB on the same directory shares the open database.
	db2, err := sql.Open("eventsql", dir)
	require.NoError(t, err)
	require.NoError(t, db2.QueryRow("SELECT count(*) FROM notes").Scan(&total))
	assert.Equal(t, 2, total)
	require.NoError(t, db2.Close())
	require.NoError(t, db.Close())

	// Reopen: everything committed is there.
	db, err = sql.Open("eventsql", dir)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.QueryRow("SELECT body FROM notes WHERE id = 1").Scan(&body))
	assert.Equal(t, "uno", body)
}

// TestDriverReturning: a write with RETURNING yields rows through Query and still reports
// its row count through Exec.
func TestDriverReturning(t *testing.T) {
	db, err := sql.Open("eventsql", t.TempDir())
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
	require.NoError(t, err)
	rows, err := db.Query("INSERT INTO t VALUES (1, 'a'), (2, 'b') RETURNING id, upper(name)")
	require.NoError(t, err)
	var got []string
	for rows.Next() {
		var id int64
		var name string
		require.NoError(t, rows.Scan(&id, &name))
		got = append(got, fmt.Sprintf("%d %s", id, name))
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	assert.Equal(t, []string{"1 A", "2 B"}, got)

	res, err := db.Exec("UPDATE t SET name = 'z' RETURNING id")
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)

	var id int64
	require.NoError(t, db.QueryRow("DELETE FROM t WHERE id = 2 RETURNING id").Scan(&id))
	assert.Equal(t, int64(2), id)
}
