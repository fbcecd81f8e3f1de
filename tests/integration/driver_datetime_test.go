package integration

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	_ "github.com/eventsql/eventsql/driver"
)

// Dates, timestamps and timestamptz values come out of the driver as time.Time (as from pq and
// pgx), intervals as their text; time.Time parameters bind to each date/time column type.
func TestDriverDateTime(t *testing.T) {
	db, err := sql.Open("eventsql", t.TempDir())
	require.NoError(t, err)
	defer db.Close()
	ctx := context.Background()
	_, err = db.ExecContext(ctx, `CREATE TABLE ev (id INTEGER PRIMARY KEY, d DATE, ts TIMESTAMP, tz TIMESTAMPTZ, span INTERVAL,
		made TIMESTAMPTZ DEFAULT now())`)
	require.NoError(t, err)
	// A time in another zone names the same instant: a timestamptz keeps the instant.
	at := time.Date(2024, 5, 17, 12, 30, 0, 250000000, time.FixedZone("x", 2*3600))
	_, err = db.ExecContext(ctx, "INSERT INTO ev (id, d, ts, tz, span) VALUES ($1, $2, $3, $4, $5)", 1, at, at, at, "1 day 02:00:00")
	require.NoError(t, err)

	var (
		d, ts, tz, made time.Time
		span            string
	)
	require.NoError(t, db.QueryRowContext(ctx, "SELECT d, ts, tz, span, made FROM ev WHERE id = 1").Scan(&d, &ts, &tz, &span, &made))
	assert.Equal(t, time.Date(2024, 5, 17, 0, 0, 0, 0, time.UTC), d)
	assert.True(t, ts.Equal(at), "timestamp %v", ts)
	assert.True(t, tz.Equal(at), "timestamptz %v", tz)
	assert.Equal(t, "1 day 02:00:00", span)
	assert.WithinDuration(t, time.Now(), made, time.Minute)

	var n int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT count(*) FROM ev WHERE tz = $1 AND d <= $1", at).Scan(&n))
	assert.Equal(t, 1, n)

	rows, err := db.QueryContext(ctx, "SELECT d, ts, tz, span FROM ev")
	require.NoError(t, err)
	types, err := rows.ColumnTypes()
	require.NoError(t, err)
	var names []string
	for _, ct := range types {
		names = append(names, ct.DatabaseTypeName())
	}
	require.NoError(t, rows.Close())
	assert.Equal(t, []string{"DATE", "TIMESTAMP", "TIMESTAMPTZ", "INTERVAL"}, names)

	// now() stands still inside a transaction.
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	var first, second time.Time
	require.NoError(t, tx.QueryRowContext(ctx, "SELECT now()").Scan(&first))
	time.Sleep(2 * time.Millisecond)
	require.NoError(t, tx.QueryRowContext(ctx, "SELECT now()").Scan(&second))
	require.NoError(t, tx.Commit())
	assert.Equal(t, first, second)
}
