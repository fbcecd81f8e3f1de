package integration

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// NUMERIC values reach Go as their exact text, as PostgreSQL drivers give them; a string
// argument is parsed into the column's type; the column reports its precision and scale.
func TestDriverNumeric(t *testing.T) {
	db, err := sql.Open("eventsql", t.TempDir())
	require.NoError(t, err)
	defer db.Close()
	ctx := context.Background()
	_, err = db.ExecContext(ctx, "CREATE TABLE acct (id INTEGER PRIMARY KEY, bal NUMERIC(12,2))")
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, "INSERT INTO acct VALUES (1, $1), (2, $2), (3, $3)", "10.005", 7, 0.1)
	require.NoError(t, err)

	rows, err := db.QueryContext(ctx, "SELECT bal, bal / 3 FROM acct ORDER BY id")
	require.NoError(t, err)
	types, err := rows.ColumnTypes()
	require.NoError(t, err)
	assert.Equal(t, "NUMERIC", types[0].DatabaseTypeName())
	p, s, ok := types[0].DecimalSize()
	assert.True(t, ok)
	assert.Equal(t, [2]int64{12, 2}, [2]int64{p, s})
	_, _, ok = types[1].DecimalSize()
	assert.False(t, ok, "an expression is NUMERIC without limits")
	var got [][2]string
	for rows.Next() {
		var a, b string
		require.NoError(t, rows.Scan(&a, &b))
		got = append(got, [2]string{a, b})
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, [][2]string{{"10.01", "3.3366666666666667"}, {"7.00", "2.3333333333333333"}, {"0.10", "0.03333333333333333333"}}, got)

	var f float64
	require.NoError(t, db.QueryRowContext(ctx, "SELECT sum(bal) FROM acct").Scan(&f))
	assert.Equal(t, 17.11, f)
}
