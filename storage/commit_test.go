package storage

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

func TestPrepareConflicts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		first  func(tx *Tx, users, ann, bob uint64) error
		second func(tx *Tx, users, ann, bob uint64) error
		code   string // of the second commit; "" = both succeed
	}{
		{"same row updated",
			func(tx *Tx, u, a, _ uint64) error { return tx.Update(u, a, row(1, "ann", 1)) },
			func(tx *Tx, u, a, _ uint64) error { return tx.Update(u, a, row(1, "ann", 2)) },
			schema.CodeSerialization},
		{"updated then deleted",
			func(tx *Tx, u, a, _ uint64) error { return tx.Update(u, a, row(1, "ann", 1)) },
			func(tx *Tx, u, a, _ uint64) error { return tx.Delete(u, a) },
			schema.CodeSerialization},
		{"deleted then updated",
			func(tx *Tx, u, a, _ uint64) error { return tx.Delete(u, a) },
			func(tx *Tx, u, a, _ uint64) error { return tx.Update(u, a, row(1, "ann", 2)) },
			schema.CodeSerialization},
		{"same unique key inserted",
			func(tx *Tx, u, _, _ uint64) error { _, err := tx.Insert(u, row(3, "cy", nil)); return err },
			func(tx *Tx, u, _, _ uint64) error { _, err := tx.Insert(u, row(3, "dee", nil)); return err },
			schema.CodeUnique},
		{"same hash unique key inserted",
			func(tx *Tx, u, _, _ uint64) error { _, err := tx.Insert(u, row(3, "cy", nil)); return err },
			func(tx *Tx, u, _, _ uint64) error { _, err := tx.Insert(u, row(4, "cy", nil)); return err },
			schema.CodeUnique},
		{"disjoint rows",
			func(tx *Tx, u, a, _ uint64) error { return tx.Update(u, a, row(1, "ann", 1)) },
			func(tx *Tx, u, _, b uint64) error { return tx.Update(u, b, row(2, "bob", 2)) },
			""},
		{"disjoint inserts",
			func(tx *Tx, u, _, _ uint64) error { _, err := tx.Insert(u, row(3, nil, nil)); return err },
			func(tx *Tx, u, _, _ uint64) error { _, err := tx.Insert(u, row(4, nil, nil)); return err },
			""},
		{"insert into a table altered meanwhile",
			func(tx *Tx, u, _, _ uint64) error {
				return tx.AddColumn(u, schema.Column{Name: "x", Type: schema.Integer}, schema.Null)
			},
			func(tx *Tx, u, _, _ uint64) error { _, err := tx.Insert(u, row(3, nil, nil)); return err },
			schema.CodeSerialization},
		{"alter a table written meanwhile is fine",
			func(tx *Tx, u, _, _ uint64) error { _, err := tx.Insert(u, row(3, nil, nil)); return err },
			func(tx *Tx, u, _, _ uint64) error { return tx.RenameTable(u, "people") },
			""},
		{"both alter",
			func(tx *Tx, u, _, _ uint64) error { return tx.RenameTable(u, "a") },
			func(tx *Tx, u, _, _ uint64) error { return tx.RenameTable(u, "b") },
			schema.CodeSerialization},
		{"write to a dropped table",
			func(tx *Tx, u, _, _ uint64) error { return tx.DropTable(u) },
			func(tx *Tx, u, _, b uint64) error { return tx.Delete(u, b) },
			schema.CodeSerialization},
		{"same table created twice",
			func(tx *Tx, _, _, _ uint64) error { _, err := tx.CreateTable(schema.Table{Name: "t"}); return err },
			func(tx *Tx, _, _, _ uint64) error { _, err := tx.CreateTable(schema.Table{Name: "T"}); return err },
			schema.CodeDuplicateTable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, users, ann, bob := withUsers(t)
			tx1, tx2 := st.Begin(), st.Begin()
			require.NoError(t, tc.first(tx1, users, ann, bob))
			require.NoError(t, tc.second(tx2, users, ann, bob))
			require.NoError(t, commit(t, st, tx1))
			after1 := dump(st.Current())
			err := commit(t, st, tx2)
			if tc.code == "" {
				require.NoError(t, err)
				return
			}
			se := requireCode(t, tc.code, err)
			if tc.code == schema.CodeSerialization {
				assert.Equal(t, "could not serialize access due to concurrent update", se.Message)
				assert.ErrorIs(t, err, ErrConflict)
			}
			assert.Equal(t, after1, dump(st.Current()), "a failed Prepare publishes nothing")
		})
	}
}

func TestPrepareFastPathSealsTx(t *testing.T) {
	st, users, _, _ := withUsers(t)
	tx := st.Begin()
	_, err := tx.Insert(users, row(3, nil, nil))
	require.NoError(t, err)
	next, err := st.Prepare(tx)
	require.NoError(t, err)
	n := mustTable(t, next, "users").Len()
	// The caller did not publish (say the append failed) and the tx writes on: next must not
	// change.
	_, err = tx.Insert(users, row(4, nil, nil))
	require.NoError(t, err)
	assert.Equal(t, n, mustTable(t, next, "users").Len())
}

func TestEmptyTx(t *testing.T) {
	st, _, _, _ := withUsers(t)
	tx := st.Begin()
	assert.True(t, tx.Empty())
	next, err := st.Prepare(tx)
	require.NoError(t, err)
	assert.Same(t, st.Current(), next)
}

// With the default setting a snapshot waits for as many events as the state has rows; an
// explicit SnapshotEvery is exact.
func TestSnapshotDue(t *testing.T) {
	st := &Store{opts: Options{SnapshotEvery: 10}, adaptive: true}
	s := NewState()
	s.tables = map[uint64]*Table{}
	big := newTestTable(t, 50)
	s.tables[1] = big
	s.seq = 20
	assert.False(t, st.snapshotDue(s), "20 events, 50 rows: not yet")
	s.seq = 50
	assert.True(t, st.snapshotDue(s))
	st.adaptive = false
	s.seq = 20
	assert.True(t, st.snapshotDue(s), "explicit interval is exact")
	s.seq = 5
	assert.False(t, st.snapshotDue(s))
}

// newTestTable returns a table of n one-column rows, without indexes.
func newTestTable(t *testing.T, n int) *Table {
	t.Helper()
	tab := newTable(&schema.Table{ID: 1, Name: "x", Columns: []schema.Column{{ID: 1, Name: "a", Type: schema.Integer}}})
	for i := 1; i <= n; i++ {
		tab.put(uint64(i), uint64(i), schema.Row{schema.Int(int64(i))})
	}
	require.Equal(t, n, tab.Len())
	return tab
}
