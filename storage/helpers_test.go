package storage

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// openStore opens a log and a store in dir, closing both when the test ends (the store first,
// after checking that its current state is internally consistent).
func openStore(tb testing.TB, dir string, opts *Options) *Store {
	tb.Helper()
	log, err := eventlog.Open(dir+"/log", &eventlog.Options{NoSync: true})
	require.NoError(tb, err)
	st, err := Open(dir, log, opts)
	if err != nil {
		log.Close()
	}
	require.NoError(tb, err)
	tb.Cleanup(func() {
		checkConsistent(tb, st.Current())
		if err := st.Close(); err != nil && !errors.Is(err, ErrClosed) {
			tb.Errorf("closing store: %v", err)
		}
		log.Close()
	})
	return st
}

// reopen closes st and its log and opens both again from dir.
func reopen(tb testing.TB, st *Store, dir string, opts *Options) *Store {
	tb.Helper()
	if err := st.Close(); !errors.Is(err, ErrClosed) {
		require.NoError(tb, err)
	}
	require.NoError(tb, st.Log().Close())
	return openStore(tb, dir, opts)
}

// commit runs the write path: Prepare, append to the log, Publish.
func commit(tb testing.TB, st *Store, tx *Tx) error {
	tb.Helper()
	next, err := st.Prepare(tx)
	if err != nil {
		return err
	}
	if tx.Empty() {
		return nil
	}
	entries := make([]eventlog.Entry, len(tx.Events()))
	for i, e := range tx.Events() {
		entries[i] = eventlog.Encode(e)
	}
	res, err := st.Log().Append(entries)
	require.NoError(tb, err)
	st.Stage(next, res)
	st.Publish(next)
	return nil
}

// usersDef is a table "users" (id integer primary key, name text unique, age integer).
func usersDef() schema.Table {
	return schema.Table{
		Name: "users",
		Columns: []schema.Column{
			{Name: "id", Type: schema.Integer, NotNull: true},
			{Name: "name", Type: schema.Text},
			{Name: "age", Type: schema.Integer},
		},
		Indexes: []schema.Index{
			{Name: "users_pkey", Columns: []uint32{1}, Unique: true, Primary: true},
			{Name: "users_name_key", Columns: []uint32{2}, Unique: true, Constraint: true, Method: schema.Hash},
		},
	}
}

func row(vals ...any) schema.Row {
	r := make(schema.Row, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case nil:
			r[i] = schema.Null
		case int:
			r[i] = schema.Int(int64(v))
		case string:
			r[i] = schema.Str(v)
		default:
			panic(fmt.Sprintf("row: %T", v))
		}
	}
	return r
}

// requireCode fails unless err is a *schema.Error with the given SQLSTATE.
func requireCode(tb testing.TB, code string, err error) *schema.Error {
	tb.Helper()
	var se *schema.Error
	require.ErrorAs(tb, err, &se, "want SQLSTATE %s", code)
	require.Equal(tb, code, se.Code, "message: %s", se.Message)
	return se
}

// dump renders everything observable in a state — catalog history, rows with their versions,
// and the answer of every index for every row — as text, so states can be compared exactly.
func dump(s *State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "seq %d maxRow %d maxTable %d\n", s.Seq(), s.maxRowID, s.maxTableID)
	for _, id := range s.Catalog().IDs() {
		for _, v := range s.Catalog().Versions(id) {
			fmt.Fprintf(&b, "table %d @%d dropped=%v %+v\n", id, v.Seq, v.Dropped, *v.Table)
		}
	}
	for _, id := range s.Catalog().ViewIDs() {
		for _, v := range s.Catalog().ViewVersions(id) {
			fmt.Fprintf(&b, "view %d @%d dropped=%v %+v\n", id, v.Seq, v.Dropped, *v.View)
		}
	}
	ids := make([]uint64, 0, len(s.tables))
	for id := range s.tables {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		t := s.tables[id]
		fmt.Fprintf(&b, "rows of %d (%s):\n", id, t.Def().Name)
		t.Scan(func(rid uint64, r schema.Row) bool {
			fmt.Fprintf(&b, "  %d @%d %v\n", rid, t.Version(rid), r)
			return true
		})
		for i, ix := range t.Indexes() {
			fmt.Fprintf(&b, "  index %s len %d\n", ix.Name, t.idx[i].Len())
		}
	}
	return b.String()
}

// checkConsistent verifies that every index of every table holds exactly one entry per row,
// under the key computed from the row, and that unique indexes hold no duplicate non-NULL key.
func checkConsistent(tb testing.TB, s *State) {
	tb.Helper()
	for id, t := range s.tables {
		def, ok := s.Catalog().ByID(id)
		require.True(tb, ok, "table %d has rows but no definition", id)
		require.Same(tb, def, t.Def(), "table %d definition differs from the catalog's", id)
		require.Len(tb, t.idx, len(def.Indexes))
		for i := range def.Indexes {
			require.Equal(tb, t.Len(), t.idx[i].Len(), "index %s entries vs rows", def.Indexes[i].Name)
			t.Scan(func(rid uint64, r schema.Row) bool {
				require.Len(tb, r, len(def.Columns))
				k, hasNull := t.key(i, r)
				found, others := false, 0
				t.idx[i].Lookup(k, func(x uint64) bool {
					found = found || x == rid
					others += boolInt(x != rid)
					return true
				})
				require.True(tb, found, "index %s lacks row %d", def.Indexes[i].Name, rid)
				if def.Indexes[i].Unique && !hasNull {
					require.Zero(tb, others, "unique index %s has a duplicate of row %d", def.Indexes[i].Name, rid)
				}
				return true
			})
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fmtSscan reads the seq from a snapshot file name.
func fmtSscan(name string, seq *uint64) (int, error) { return fmt.Sscanf(name, "%d.snap", seq) }

type schemaRow = schema.Row
