package storage

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

func viewDef(id uint64, name, query string) schema.View {
	return schema.View{ID: id, Name: name, Columns: []string{"id"}, Query: query}
}

func TestApplyViews(t *testing.T) {
	created := eventlog.ViewCreated{View: viewDef(5, "adults", "SELECT id FROM users WHERE age >= 18")}
	for _, tc := range []struct {
		name   string
		events []eventlog.Event // applied in order after baseState; the last one may fail
		code   string
		check  func(t *testing.T, s *State)
	}{
		{name: "create", events: []eventlog.Event{created}, check: func(t *testing.T, s *State) {
			v, ok := s.View("ADULTS")
			require.True(t, ok)
			assert.Equal(t, created.View, *v)
			assert.Equal(t, uint64(5), s.maxTableID, "views take ids from the tables' counter")
			_, ok = s.Table("adults")
			assert.False(t, ok)
		}},
		{name: "replace", events: []eventlog.Event{created,
			eventlog.ViewCreated{View: viewDef(5, "Adults", "SELECT id FROM users")}},
			check: func(t *testing.T, s *State) {
				v, _ := s.View("adults")
				assert.Equal(t, "SELECT id FROM users", v.Query)
				assert.Len(t, s.Catalog().ViewVersions(5), 2)
				old, ok := s.Catalog().ViewByIDAt(5, 5)
				require.True(t, ok)
				assert.Equal(t, created.View.Query, old.Query)
			}},
		{name: "drop", events: []eventlog.Event{created, eventlog.ViewDropped{ViewID: 5, Name: "adults"}},
			check: func(t *testing.T, s *State) {
				_, ok := s.View("adults")
				assert.False(t, ok)
				_, ok = s.Catalog().ViewAt("adults", 5)
				assert.True(t, ok, "history keeps the dropped view")
			}},
		{name: "name of a table", events: []eventlog.Event{eventlog.ViewCreated{View: viewDef(5, "USERS", "SELECT 1")}},
			code: schema.CodeDuplicateTable},
		{name: "name of an index", events: []eventlog.Event{eventlog.ViewCreated{View: viewDef(5, "users_pkey", "SELECT 1")}},
			code: schema.CodeDuplicateTable},
		{name: "table named like a view", events: []eventlog.Event{created,
			eventlog.TableCreated{Table: schema.Table{ID: 6, Name: "adults", NextColumnID: 1}}},
			code: schema.CodeDuplicateTable},
		{name: "table renamed to a view's name", events: []eventlog.Event{created,
			eventlog.TableAltered{TableID: 1, Kind: eventlog.TableRenamed, OldName: "users", NewName: "adults"}},
			code: schema.CodeDuplicateTable},
		{name: "second view of one name", events: []eventlog.Event{created,
			eventlog.ViewCreated{View: viewDef(6, "adults", "SELECT 1")}},
			code: schema.CodeDuplicateTable},
		{name: "table id reused", events: []eventlog.Event{eventlog.ViewCreated{View: viewDef(1, "v", "SELECT 1")}},
			code: schema.CodeInternal},
		{name: "replace renames", events: []eventlog.Event{created,
			eventlog.ViewCreated{View: viewDef(5, "kids", "SELECT 1")}},
			code: schema.CodeInternal},
		{name: "drop unknown", events: []eventlog.Event{eventlog.ViewDropped{ViewID: 5, Name: "adults"}},
			code: schema.CodeInternal},
		{name: "drop a table as a view", events: []eventlog.Event{eventlog.ViewDropped{ViewID: 1, Name: "users"}},
			code: schema.CodeInternal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := baseState(t)
			s := base.Clone()
			var err error
			for i, e := range tc.events {
				if err = s.Apply(base.Seq()+1+uint64(i), e); err != nil {
					require.Equal(t, len(tc.events)-1, i, "event %d failed: %v", i, err)
				}
			}
			if tc.code != "" {
				requireCode(t, tc.code, err)
				return
			}
			require.NoError(t, err)
			tc.check(t, s)
			_, ok := base.View("adults")
			assert.False(t, ok, "the base state changed")
		})
	}
}

// viewWorkload commits a table, views created, replaced and dropped, and a name reused.
func viewWorkload(t *testing.T, st *Store) {
	t.Helper()
	tx := st.Begin()
	_, err := tx.CreateTable(usersDef())
	require.NoError(t, err)
	v, err := tx.CreateView(viewDef(0, "v", "SELECT id FROM users"))
	require.NoError(t, err)
	_, err = tx.CreateView(viewDef(0, "w", "SELECT id FROM v"))
	require.NoError(t, err)
	require.NoError(t, commit(t, st, tx))

	tx = st.Begin()
	r := *v
	r.Query = "SELECT id FROM users WHERE id > 1"
	_, err = tx.CreateView(r)
	require.NoError(t, err)
	require.NoError(t, tx.DropView(v.ID+1))
	_, err = tx.CreateView(viewDef(0, "W", "SELECT 1 AS id"))
	require.NoError(t, err)
	require.NoError(t, commit(t, st, tx))
}

func TestSnapshotViews(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, &Options{NoSnapshots: true})
	viewWorkload(t, st)
	want := dump(st.Current())
	require.Contains(t, want, "view 3 @5 dropped=true")

	st = reopen(t, st, dir, &Options{NoSnapshots: true})
	assert.Equal(t, want, dump(st.Current()), "replayed from the log")

	require.NoError(t, writeSnapshotFile(dir, st.Current(), mustHash(t, st)))
	data, err := os.ReadFile(dir + "/" + snapshotName(st.Current().Seq()))
	require.NoError(t, err)
	s, _, err := decodeSnapshot(data)
	require.NoError(t, err)
	assert.Equal(t, want, dump(s), "decoded from a snapshot")
	w, ok := s.View("w")
	require.True(t, ok)
	assert.Equal(t, "SELECT 1 AS id", w.Query)

	// The tables' id counter resumes after the views' ids.
	st.opts.NoSnapshots = false
	st = reopen(t, st, dir, nil)
	tx := st.Begin()
	def, err := tx.CreateTable(schema.Table{Name: "later"})
	require.NoError(t, err)
	assert.Equal(t, uint64(5), def.ID)
}

func mustHash(t *testing.T, st *Store) eventlog.Hash {
	t.Helper()
	h, err := st.Log().HashAt(st.Current().Seq())
	require.NoError(t, err)
	return h
}

// TestSnapshotVersion1 reads snapshots in the formats written before views and constraints
// existed, and refuses a version from the future.
func TestSnapshotVersion1(t *testing.T) {
	st := openStore(t, t.TempDir(), &Options{NoSnapshots: true})
	newWorkload(st, 3).run(t, 20)
	for _, version := range []uint32{1, 2, 3} {
		s, _, err := decodeSnapshot(olderSnapshot(t, st.Current(), version))
		require.NoError(t, err, "format %d", version)
		assert.Equal(t, dump(st.Current()), dump(s), "format %d", version)
	}
	future := olderSnapshot(t, st.Current(), snapshotVersion+1)
	_, _, err := decodeSnapshot(future)
	assert.ErrorIs(t, err, ErrSnapshotCorrupt)
}

func TestViewConflicts(t *testing.T) {
	setup := func(t *testing.T) (*Store, uint64) {
		st := openStore(t, t.TempDir(), &Options{NoSnapshots: true})
		tx := st.Begin()
		def, err := tx.CreateTable(usersDef())
		require.NoError(t, err)
		require.NoError(t, commit(t, st, tx))
		return st, def.ID
	}
	createView := func(t *testing.T, tx *Tx, name string, on uint64) {
		_, err := tx.CreateView(viewDef(0, name, "SELECT id FROM users"))
		require.NoError(t, err)
		tx.DependOn(on)
	}
	t.Run("table dropped under a new view", func(t *testing.T) {
		st, users := setup(t)
		a, b := st.Begin(), st.Begin()
		createView(t, a, "v", users)
		require.NoError(t, b.DropTable(users))
		require.NoError(t, commit(t, st, b))
		requireCode(t, schema.CodeSerialization, commit(t, st, a))
	})
	t.Run("view created under a drop", func(t *testing.T) {
		st, users := setup(t)
		a, b := st.Begin(), st.Begin()
		require.NoError(t, b.DropTable(users))
		createView(t, a, "v", users)
		require.NoError(t, commit(t, st, a))
		requireCode(t, schema.CodeSerialization, commit(t, st, b))
		_, ok := st.Current().Table("users")
		assert.True(t, ok)
	})
	t.Run("unrelated DDL commits", func(t *testing.T) {
		st, users := setup(t)
		a, b, c := st.Begin(), st.Begin(), st.Begin()
		createView(t, a, "v", users)
		_, err := b.CreateTable(schema.Table{Name: "other"})
		require.NoError(t, err)
		_, err = c.Insert(users, row(1, "ann", 30))
		require.NoError(t, err)
		require.NoError(t, commit(t, st, b))
		require.NoError(t, commit(t, st, c))
		require.NoError(t, commit(t, st, a))
		_, ok := st.Current().View("v")
		assert.True(t, ok)
	})
}
