package storage

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// baseState is "users" (table id 1, columns id 1..3) with rows 1 (1,'ann',30) and
// 2 (2,'bob',NULL) and 3 (3,NULL,NULL), at seq 4, sealed.
func baseState(tb testing.TB) *State {
	tb.Helper()
	def := usersDef()
	def.ID = 1
	for i := range def.Columns {
		def.Columns[i].ID = uint32(i + 1)
	}
	def.NextColumnID = 4
	s := NewState()
	for i, e := range []eventlog.Event{
		eventlog.TableCreated{Table: def},
		eventlog.RowInserted{TableID: 1, RowID: 1, Row: row(1, "ann", 30)},
		eventlog.RowInserted{TableID: 1, RowID: 2, Row: row(2, "bob", nil)},
		eventlog.RowInserted{TableID: 1, RowID: 3, Row: row(3, nil, nil)},
	} {
		require.NoError(tb, s.Apply(uint64(i+1), e))
	}
	s.seal()
	return s
}

func rowsOf(t *Table) map[uint64]schema.Row {
	m := map[uint64]schema.Row{}
	t.Scan(func(id uint64, r schema.Row) bool { m[id] = r; return true })
	return m
}

func TestApply(t *testing.T) {
	for _, tc := range []struct {
		name  string
		event eventlog.Event
		code  string // expected SQLSTATE, "" for success
		cause error  // expected errors.Is cause, if any
		check func(t *testing.T, s *State)
	}{
		{name: "insert", event: eventlog.RowInserted{TableID: 1, RowID: 9, Row: row(9, "cy", 5)},
			check: func(t *testing.T, s *State) {
				u, _ := s.Table("USERS")
				r, ok := u.Get(9)
				require.True(t, ok)
				assert.Equal(t, row(9, "cy", 5), r)
				assert.Equal(t, uint64(5), u.Version(9))
				assert.Equal(t, uint64(9), s.maxRowID)
			}},
		{name: "insert duplicate primary key", event: eventlog.RowInserted{TableID: 1, RowID: 9, Row: row(1, "cy", 5)},
			code: schema.CodeUnique, cause: ErrUnique},
		{name: "insert duplicate hash unique", event: eventlog.RowInserted{TableID: 1, RowID: 9, Row: row(9, "bob", 5)},
			code: schema.CodeUnique},
		{name: "NULLs never collide", event: eventlog.RowInserted{TableID: 1, RowID: 9, Row: row(9, nil, 5)}},
		{name: "insert into unknown table", event: eventlog.RowInserted{TableID: 7, RowID: 9, Row: row(9, nil, 5)},
			code: schema.CodeInternal, cause: ErrNoTable},
		{name: "insert wrong width", event: eventlog.RowInserted{TableID: 1, RowID: 9, Row: row(9)},
			code: schema.CodeInternal, cause: ErrBadEvent},
		{name: "insert reused row id", event: eventlog.RowInserted{TableID: 1, RowID: 1, Row: row(9, nil, 5)},
			code: schema.CodeInternal, cause: ErrBadEvent},
		{name: "update", event: eventlog.RowUpdated{TableID: 1, RowID: 2, Before: row(2, "bob", nil), After: row(20, "bob", 40)},
			check: func(t *testing.T, s *State) {
				u, _ := s.Table("users")
				r, _ := u.Get(2)
				assert.Equal(t, row(20, "bob", 40), r)
				assert.Equal(t, uint64(5), u.Version(2))
				pk, _, _ := u.Index("users_pkey")
				var ids []uint64
				pk.Lookup(schema.Key(schema.Int(20)), func(id uint64) bool { ids = append(ids, id); return true })
				assert.Equal(t, []uint64{2}, ids)
				pk.Lookup(schema.Key(schema.Int(2)), func(id uint64) bool { t.Errorf("old key still indexed"); return true })
			}},
		{name: "update keeping own key", event: eventlog.RowUpdated{TableID: 1, RowID: 1, After: row(1, "ann", 31)}},
		{name: "update onto another key", event: eventlog.RowUpdated{TableID: 1, RowID: 2, After: row(1, "bob", nil)},
			code: schema.CodeUnique},
		{name: "update missing row", event: eventlog.RowUpdated{TableID: 1, RowID: 99, After: row(1, "x", nil)},
			code: schema.CodeInternal, cause: ErrNoRow},
		{name: "delete", event: eventlog.RowDeleted{TableID: 1, RowID: 1},
			check: func(t *testing.T, s *State) {
				u, _ := s.Table("users")
				_, ok := u.Get(1)
				assert.False(t, ok)
				assert.Equal(t, 2, u.Len())
			}},
		{name: "delete missing row", event: eventlog.RowDeleted{TableID: 1, RowID: 99},
			code: schema.CodeInternal, cause: ErrNoRow},
		{name: "create table", event: eventlog.TableCreated{Table: schema.Table{ID: 2, Name: "t",
			Columns: []schema.Column{{ID: 1, Name: "a", Type: schema.Integer}}, NextColumnID: 2}},
			check: func(t *testing.T, s *State) {
				tt, ok := s.Table("T")
				require.True(t, ok)
				assert.Equal(t, uint64(2), tt.Def().ID)
				assert.Equal(t, 0, tt.Len())
				assert.Equal(t, uint64(2), s.maxTableID)
			}},
		{name: "create table name taken", event: eventlog.TableCreated{Table: schema.Table{ID: 2, Name: "Users"}},
			code: schema.CodeDuplicateTable, cause: ErrExists},
		{name: "create table name taken by index", event: eventlog.TableCreated{Table: schema.Table{ID: 2, Name: "users_pkey"}},
			code: schema.CodeDuplicateTable},
		{name: "create table reused id", event: eventlog.TableCreated{Table: schema.Table{ID: 1, Name: "x"}},
			code: schema.CodeInternal, cause: ErrBadEvent},
		{name: "drop table", event: eventlog.TableDropped{TableID: 1, Name: "users"},
			check: func(t *testing.T, s *State) {
				_, ok := s.Table("users")
				assert.False(t, ok)
				_, ok = s.TableByID(1)
				assert.False(t, ok)
				old, ok := s.Catalog().ByIDAt(1, 4)
				require.True(t, ok, "history survives the drop")
				assert.Equal(t, "users", old.Name)
			}},
		{name: "drop unknown table", event: eventlog.TableDropped{TableID: 5}, code: schema.CodeInternal, cause: ErrNoTable},
		{name: "add column", event: eventlog.TableAltered{TableID: 1, Kind: eventlog.ColumnAdded,
			Column: schema.Column{ID: 4, Name: "email", Type: schema.Text}, Fill: schema.Str("?")},
			check: func(t *testing.T, s *State) {
				u, _ := s.Table("users")
				assert.Equal(t, uint32(5), u.Def().NextColumnID)
				assert.Equal(t, map[uint64]schema.Row{1: row(1, "ann", 30, "?"), 2: row(2, "bob", nil, "?"), 3: row(3, nil, nil, "?")}, rowsOf(u))
				assert.Equal(t, uint64(2), u.Version(1), "an ALTER does not change row versions")
			}},
		{name: "add column name taken", event: eventlog.TableAltered{TableID: 1, Kind: eventlog.ColumnAdded,
			Column: schema.Column{ID: 4, Name: "AGE", Type: schema.Text}}, code: schema.CodeDuplicateColumn},
		{name: "drop column drops its indexes", event: eventlog.TableAltered{TableID: 1, Kind: eventlog.ColumnDropped,
			Column: schema.Column{ID: 2, Name: "name"}},
			check: func(t *testing.T, s *State) {
				u, _ := s.Table("users")
				assert.Equal(t, map[uint64]schema.Row{1: row(1, 30), 2: row(2, nil), 3: row(3, nil)}, rowsOf(u))
				require.Len(t, u.Indexes(), 1)
				assert.Equal(t, "users_pkey", u.Indexes()[0].Name)
				_, ok := s.Catalog().IndexTable("users_name_key")
				assert.False(t, ok)
			}},
		{name: "drop unknown column", event: eventlog.TableAltered{TableID: 1, Kind: eventlog.ColumnDropped,
			Column: schema.Column{ID: 42}}, code: schema.CodeInternal, cause: ErrBadEvent},
		{name: "rename column", event: eventlog.TableAltered{TableID: 1, Kind: eventlog.ColumnRenamed,
			Column: schema.Column{ID: 3, Name: "years"}, OldName: "age", NewName: "years"},
			check: func(t *testing.T, s *State) {
				u, _ := s.Table("users")
				assert.Equal(t, 2, u.Def().Column("years"))
				assert.Equal(t, -1, u.Def().Column("age"))
			}},
		{name: "rename column onto another", event: eventlog.TableAltered{TableID: 1, Kind: eventlog.ColumnRenamed,
			Column: schema.Column{ID: 3}, OldName: "age", NewName: "name"}, code: schema.CodeDuplicateColumn},
		{name: "rename table", event: eventlog.TableAltered{TableID: 1, Kind: eventlog.TableRenamed, OldName: "users", NewName: "people"},
			check: func(t *testing.T, s *State) {
				_, ok := s.Table("users")
				assert.False(t, ok)
				p, ok := s.Table("people")
				require.True(t, ok)
				assert.Equal(t, 3, p.Len())
				then, ok := s.Catalog().LookupAt("users", 4)
				require.True(t, ok)
				assert.Equal(t, uint64(1), then.ID)
			}},
		{name: "rename table case only", event: eventlog.TableAltered{TableID: 1, Kind: eventlog.TableRenamed, NewName: "USERS"}},
		{name: "rename table onto index", event: eventlog.TableAltered{TableID: 1, Kind: eventlog.TableRenamed, NewName: "users_pkey"},
			code: schema.CodeDuplicateTable},
		{name: "create index", event: eventlog.IndexCreated{TableID: 1, Index: schema.Index{Name: "users_age", Columns: []uint32{3}}},
			check: func(t *testing.T, s *State) {
				u, _ := s.Table("users")
				ix, def, ok := u.Index("USERS_AGE")
				require.True(t, ok)
				assert.Equal(t, []uint32{3}, def.Columns)
				assert.Equal(t, 3, ix.Len())
			}},
		{name: "create unique index over NULLs", event: eventlog.IndexCreated{TableID: 1,
			Index: schema.Index{Name: "u_age", Columns: []uint32{3}, Unique: true}}},
		{name: "create composite unique index", event: eventlog.IndexCreated{TableID: 1,
			Index: schema.Index{Name: "u_id_age", Columns: []uint32{3, 1}, Unique: true}}},
		{name: "create index name taken", event: eventlog.IndexCreated{TableID: 1,
			Index: schema.Index{Name: "users", Columns: []uint32{3}}}, code: schema.CodeDuplicateTable},
		{name: "create index unknown column", event: eventlog.IndexCreated{TableID: 1,
			Index: schema.Index{Name: "x", Columns: []uint32{9}}}, code: schema.CodeInternal, cause: ErrBadEvent},
		{name: "drop index", event: eventlog.IndexDropped{TableID: 1, Name: "users_name_key"},
			check: func(t *testing.T, s *State) {
				u, _ := s.Table("users")
				_, _, ok := u.Index("users_name_key")
				assert.False(t, ok)
				assert.Len(t, u.Indexes(), 1)
			}},
		{name: "drop unknown index", event: eventlog.IndexDropped{TableID: 1, Name: "nope"},
			code: schema.CodeUndefinedObject, cause: ErrNoIndex},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := baseState(t)
			before := dump(base)
			s := base.Clone()
			err := s.Apply(5, tc.event)
			if tc.code != "" {
				requireCode(t, tc.code, err)
				if tc.cause != nil {
					assert.ErrorIs(t, err, tc.cause)
				}
				assert.Equal(t, before, dump(s), "a failed Apply must leave the state unchanged")
			} else {
				require.NoError(t, err)
				assert.Equal(t, uint64(5), s.Seq())
				if tc.check != nil {
					tc.check(t, s)
				}
			}
			checkConsistent(t, s)
			assert.Equal(t, before, dump(base), "Apply on a clone must not touch the original")
			checkConsistent(t, base)
		})
	}
}

func TestUniqueMessage(t *testing.T) {
	s := baseState(t).Clone()
	se := requireCode(t, schema.CodeUnique, s.Apply(5, eventlog.RowInserted{TableID: 1, RowID: 9, Row: row(1, "x", nil)}))
	assert.Equal(t, "duplicate key value violates unique constraint \"users_pkey\"\nDETAIL:  Key (id)=(1) already exists.", se.Message)

	require.NoError(t, s.Apply(5, eventlog.RowInserted{TableID: 1, RowID: 9, Row: row(9, "x", 30)}))
	se = requireCode(t, schema.CodeUnique, s.Apply(6, eventlog.IndexCreated{TableID: 1,
		Index: schema.Index{Name: "by_age", Columns: []uint32{3}, Unique: true}}))
	assert.Equal(t, "could not create unique index \"by_age\"\nDETAIL:  Key (age)=(30) is duplicated.", se.Message)
}

func TestApplyOrderAndSeal(t *testing.T) {
	s := baseState(t)
	assert.ErrorIs(t, s.Apply(5, eventlog.RowDeleted{TableID: 1, RowID: 1}), ErrSealed)
	c := s.Clone()
	assert.ErrorIs(t, c.Apply(4, eventlog.RowDeleted{TableID: 1, RowID: 1}), ErrSeqOrder)
	require.NoError(t, c.Apply(5, &eventlog.RowDeleted{TableID: 1, RowID: 1}), "pointer events are accepted")
	assert.Equal(t, 2, mustTable(t, c, "users").Len())
	assert.Equal(t, 3, mustTable(t, s, "users").Len())
}

func mustTable(tb testing.TB, s *State, name string) *Table {
	tb.Helper()
	t, ok := s.Table(name)
	require.True(tb, ok, "no table %q", name)
	return t
}

// TestCloneChain derives several generations and writes each; no generation may see another's
// writes.
func TestCloneChain(t *testing.T) {
	g0 := baseState(t)
	g1 := g0.Clone()
	require.NoError(t, g1.Apply(5, eventlog.RowInserted{TableID: 1, RowID: 10, Row: row(10, "g1", nil)}))
	g1.seal()
	g2a, g2b := g1.Clone(), g1.Clone()
	require.NoError(t, g2a.Apply(6, eventlog.RowDeleted{TableID: 1, RowID: 10}))
	require.NoError(t, g2b.Apply(6, eventlog.RowUpdated{TableID: 1, RowID: 10, After: row(10, "g2b", nil)}))
	require.NoError(t, g2b.Apply(7, eventlog.TableAltered{TableID: 1, Kind: eventlog.ColumnAdded,
		Column: schema.Column{ID: 4, Name: "x", Type: schema.Integer}, Fill: schema.Int(7)}))

	assert.Equal(t, 3, mustTable(t, g0, "users").Len())
	assert.Equal(t, 4, mustTable(t, g1, "users").Len())
	assert.Equal(t, 3, mustTable(t, g2a, "users").Len())
	r, _ := mustTable(t, g1, "users").Get(10)
	assert.Equal(t, row(10, "g1", nil), r)
	r, _ = mustTable(t, g2b, "users").Get(10)
	assert.Equal(t, row(10, "g2b", nil, 7), r)
	assert.Len(t, mustTable(t, g1, "users").Def().Columns, 3)
	for _, s := range []*State{g0, g1, g2a, g2b} {
		checkConsistent(t, s)
	}
}

func TestCreateUniqueIndexOverDuplicates(t *testing.T) {
	s := baseState(t).Clone()
	require.NoError(t, s.Apply(5, eventlog.RowInserted{TableID: 1, RowID: 9, Row: row(9, "x", 30)}))
	before := dump(s)
	requireCode(t, schema.CodeUnique, s.Apply(6, eventlog.IndexCreated{TableID: 1,
		Index: schema.Index{Name: "by_age", Columns: []uint32{3}, Unique: true, Method: schema.Hash}}))
	assert.Equal(t, before, dump(s))
	require.NoError(t, s.Apply(6, eventlog.IndexCreated{TableID: 1,
		Index: schema.Index{Name: "by_age_id", Columns: []uint32{3, 1}, Unique: true}}))
	checkConsistent(t, s)
}
