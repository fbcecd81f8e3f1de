package integration

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

// Two transactions, one deleting a parent and one inserting a child of it, cannot both
// commit: whichever commits second fails with 23503 when storage.Prepare re-checks its rows
// against the merged state, and appends nothing.
func TestForeignKeyRace(t *testing.T) {
	cases := []struct {
		name          string
		first, second string
	}{
		{"delete parent, then insert child", "DELETE FROM p WHERE id = 1", "INSERT INTO c VALUES (1, 1)"},
		{"insert child, then delete parent", "INSERT INTO c VALUES (1, 1)", "DELETE FROM p WHERE id = 1"},
		{"update parent key, then insert child", "UPDATE p SET id = 5 WHERE id = 1", "INSERT INTO c VALUES (1, 1)"},
		{"repoint child, then delete new parent", "UPDATE c SET pid = 1 WHERE id = 2", "DELETE FROM p WHERE id = 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t, &database.Options{NoSync: true})
			ctx := context.Background()
			_, err := db.Exec(ctx, `CREATE TABLE p (id INTEGER PRIMARY KEY);
				CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p);
				INSERT INTO p VALUES (1), (2); INSERT INTO c VALUES (2, 2)`)
			require.NoError(t, err)
			s1, s2 := db.Session(), db.Session()
			mustExec(t, s1, "BEGIN")
			mustExec(t, s2, "BEGIN")
			mustExec(t, s1, tc.first)
			mustExec(t, s2, tc.second)
			mustExec(t, s1, "COMMIT")
			head, _ := db.Log().Head()
			_, err = s2.Exec(ctx, "COMMIT")
			require.Error(t, err)
			assert.Equal(t, schema.CodeForeignKey, sqlState(err), "error: %v", err)
			after, _ := db.Log().Head()
			assert.Equal(t, head, after, "the failed commit appended events")
			res, err := db.Query(ctx, "SELECT count(*) FROM c WHERE pid IS NOT NULL AND pid NOT IN (SELECT id FROM p)")
			require.NoError(t, err)
			assert.Equal(t, int64(0), res.Rows[0][0].Int(), "a child lost its parent")
			verifyRebuild(t, db)
		})
	}
}

// A table created with a reference to a table that a concurrent transaction drops: the second
// to commit fails.
func TestForeignKeyDDLRace(t *testing.T) {
	db := openDB(t, &database.Options{NoSync: true})
	ctx := context.Background()
	_, err := db.Exec(ctx, "CREATE TABLE p (id INTEGER PRIMARY KEY)")
	require.NoError(t, err)
	s1, s2 := db.Session(), db.Session()
	mustExec(t, s1, "BEGIN")
	mustExec(t, s2, "BEGIN")
	mustExec(t, s1, "CREATE TABLE c (pid INTEGER REFERENCES p)")
	mustExec(t, s2, "DROP TABLE p")
	mustExec(t, s1, "COMMIT")
	_, err = s2.Exec(ctx, "COMMIT")
	require.Error(t, err)
	assert.Equal(t, schema.CodeDependentObjects, sqlState(err), "error: %v", err)

	// The other order: the drop commits first, and the new reference finds its table gone.
	s1, s2 = db.Session(), db.Session()
	mustExec(t, s1, "BEGIN")
	mustExec(t, s2, "BEGIN")
	mustExec(t, s1, "DROP TABLE c, p")
	mustExec(t, s2, "CREATE TABLE d (pid INTEGER REFERENCES p)")
	mustExec(t, s1, "COMMIT")
	_, err = s2.Exec(ctx, "COMMIT")
	require.Error(t, err)
	assert.Equal(t, schema.CodeSerialization, sqlState(err), "error: %v", err)
	verifyRebuild(t, db)
}

// ALTER TABLE ADD CHECK validates the rows its transaction sees; a row committed meanwhile by
// another transaction was not checked, so the ALTER fails with 40001 instead of admitting it.
func TestAddCheckRace(t *testing.T) {
	db := openDB(t, &database.Options{NoSync: true})
	ctx := context.Background()
	_, err := db.Exec(ctx, "CREATE TABLE c (id INTEGER PRIMARY KEY, qty INTEGER); INSERT INTO c VALUES (1, 5)")
	require.NoError(t, err)
	s1 := db.Session()
	mustExec(t, s1, "BEGIN")
	mustExec(t, s1, "ALTER TABLE c ADD CHECK (qty > 0)")
	_, err = db.Exec(ctx, "INSERT INTO c VALUES (2, -1)")
	require.NoError(t, err)
	_, err = s1.Exec(ctx, "COMMIT")
	require.Error(t, err)
	assert.Equal(t, schema.CodeSerialization, sqlState(err), "error: %v", err)

	// Without a concurrent write it commits, and holds from then on.
	_, err = db.Exec(ctx, "DELETE FROM c WHERE qty < 0")
	require.NoError(t, err)
	mustExec(t, s1, "BEGIN")
	mustExec(t, s1, "ALTER TABLE c ADD CHECK (qty > 0)")
	mustExec(t, s1, "COMMIT")
	_, err = db.Exec(ctx, "INSERT INTO c VALUES (2, -1)")
	assert.Equal(t, schema.CodeCheck, sqlState(err), "error: %v", err)
	verifyRebuild(t, db)
}

// A cascading delete racing an insert of a new child: whichever commits second fails with
// 23503 (Prepare re-checks, it does not cascade again), so no child is ever orphaned.
func TestCascadeRace(t *testing.T) {
	for _, deleteFirst := range []bool{true, false} {
		db := openDB(t, &database.Options{NoSync: true})
		ctx := context.Background()
		_, err := db.Exec(ctx, `CREATE TABLE p (id INTEGER PRIMARY KEY);
			CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p ON DELETE CASCADE);
			INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1)`)
		require.NoError(t, err)
		del, ins := db.Session(), db.Session()
		mustExec(t, del, "BEGIN")
		mustExec(t, ins, "BEGIN")
		mustExec(t, del, "DELETE FROM p WHERE id = 1")
		res := mustExec(t, del, "SELECT count(*) FROM c")
		assert.Equal(t, int64(0), res[0].Rows[0][0].Int(), "the child went with its parent")
		mustExec(t, ins, "INSERT INTO c VALUES (2, 1)")
		first, second := del, ins
		if !deleteFirst {
			first, second = ins, del
		}
		mustExec(t, first, "COMMIT")
		_, err = second.Exec(ctx, "COMMIT")
		require.Error(t, err)
		assert.Equal(t, schema.CodeForeignKey, sqlState(err), "error: %v", err)
		out, err := db.Query(ctx, "SELECT count(*) FROM c WHERE pid NOT IN (SELECT id FROM p)")
		require.NoError(t, err)
		assert.Equal(t, int64(0), out.Rows[0][0].Int(), "a child lost its parent")
		verifyRebuild(t, db)
	}
}
