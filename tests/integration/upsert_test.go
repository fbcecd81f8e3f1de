package integration

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

// Concurrent upserts of one key never lose a row: the second committer fails with 23505 when
// both inserted the key, and with 40001 when both updated the same existing row.
func TestUpsertRace(t *testing.T) {
	cases := []struct {
		name  string
		setup string
		want  string
		final int64
	}{
		{name: "both insert", setup: "", want: schema.CodeUnique, final: 1},
		{name: "both update", setup: "INSERT INTO kv VALUES ('x', 100)", want: schema.CodeSerialization, final: 101},
		{name: "one inserts, one updates", setup: "", want: schema.CodeUnique, final: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t, &database.Options{NoSync: true})
			ctx := context.Background()
			_, err := db.Exec(ctx, "CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)")
			require.NoError(t, err)
			if tc.setup != "" {
				_, err = db.Exec(ctx, tc.setup)
				require.NoError(t, err)
			}
			upsert := "INSERT INTO kv VALUES ('x', 1) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v"
			s1, s2 := db.Session(), db.Session()
			mustExec(t, s1, "BEGIN")
			mustExec(t, s2, "BEGIN")
			mustExec(t, s1, upsert)
			if tc.name == "one inserts, one updates" {
				mustExec(t, s2, "INSERT INTO kv VALUES ('x', 50)")
			} else {
				mustExec(t, s2, upsert)
			}
			mustExec(t, s1, "COMMIT")
			_, err = s2.Exec(ctx, "COMMIT")
			require.Error(t, err)
			assert.Equal(t, tc.want, sqlState(err), "error: %v", err)
			res, err := db.Query(ctx, "SELECT v FROM kv WHERE k = 'x'")
			require.NoError(t, err)
			require.Len(t, res.Rows, 1)
			assert.Equal(t, tc.final, res.Rows[0][0].Int())
			verifyRebuild(t, db)
		})
	}
}
