package integration

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/database"
)

// AS OF TIMESTAMP reads the table as of the last commit at or before the given time (commit
// times are UTC), before and after a restart, with snapshots in between.
func TestAsOfTimestamp(t *testing.T) {
	dir := t.TempDir()
	db, err := database.Open(dir, &database.Options{NoSync: true, SnapshotEvery: 2})
	require.NoError(t, err)
	ctx := context.Background()
	_, err = db.Exec(ctx, "CREATE TABLE s (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO s VALUES (1, 'first')")
	require.NoError(t, err)
	time.Sleep(5 * time.Millisecond)
	between := time.Now().UTC()
	time.Sleep(5 * time.Millisecond)
	_, err = db.Exec(ctx, "UPDATE s SET v = 'second' WHERE id = 1; INSERT INTO s VALUES (2, 'new')")
	require.NoError(t, err)

	check := func(db *database.DB) {
		res, err := db.Query(ctx, "SELECT id, v FROM s AS OF TIMESTAMP $1 ORDER BY id", between.Format("2006-01-02 15:04:05.999999"))
		require.NoError(t, err)
		require.Len(t, res.Rows, 1)
		assert.Equal(t, "first", res.Rows[0][1].Text())

		res, err = db.Query(ctx, "SELECT count(*) FROM s AS OF TIMESTAMP '2000-01-01 00:00:00'")
		require.Error(t, err, "before the table existed")

		res, err = db.Query(ctx, "SELECT v FROM s AS OF TIMESTAMP $1 WHERE id = 1", time.Now().UTC())
		require.NoError(t, err)
		assert.Equal(t, "second", res.Rows[0][0].Text())

		// One join, two points in time.
		res, err = db.Query(ctx, `SELECT old.v, cur.v FROM s AS OF TIMESTAMP $1 old JOIN s cur ON cur.id = old.id`, between)
		require.NoError(t, err)
		require.Len(t, res.Rows, 1)
		assert.Equal(t, []string{"first", "second"}, []string{res.Rows[0][0].Text(), res.Rows[0][1].Text()})
	}
	check(db)
	require.NoError(t, db.Close())
	db, err = database.Open(dir, &database.Options{NoSync: true})
	require.NoError(t, err)
	defer db.Close()
	check(db)
}
