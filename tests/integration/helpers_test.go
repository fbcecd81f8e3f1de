package integration

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// openDB opens a database in a fresh temporary directory, closed when the test ends.
func openDB(t testing.TB, opts *database.Options) *database.DB {
	t.Helper()
	db, err := database.Open(t.TempDir(), opts)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// verifyRebuild checks the log's chain, then rebuilds the state from a copy of the log alone
// (no snapshots) and requires it to equal the live state, indexes included.
func verifyRebuild(t testing.TB, db *database.DB) {
	t.Helper()
	_, err := db.Log().Verify()
	require.NoError(t, err, "log verify")
	copyDir := t.TempDir()
	copyTree(t, filepath.Join(db.Dir(), "log"), filepath.Join(copyDir, "log"))
	rebuilt, err := database.Open(copyDir, &database.Options{NoSnapshots: true, NoSync: true})
	require.NoError(t, err, "rebuild from log")
	defer rebuilt.Close()
	live := db.Store().Current()
	require.Equal(t, dumpState(t, live), dumpState(t, rebuilt.Store().Current()),
		"state rebuilt from the log differs from the live state")
}

// dumpState renders every table's definition and rows (by row id, with versions) and every
// version of every view as text, and checks on the way that every index holds exactly the
// table's rows.
func dumpState(t testing.TB, st *storage.State) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "seq %d\n", st.Seq())
	for _, def := range st.Catalog().Tables() {
		tab, ok := st.TableByID(def.ID)
		require.True(t, ok, "table %s in catalog but not in state", def.Name)
		fmt.Fprintf(&b, "table %s id=%d cols=%v\n", def.Name, def.ID, def.Columns)
		var ixNames []string
		for _, ix := range def.Indexes {
			ixNames = append(ixNames, fmt.Sprintf("%s%v", ix.Name, ix.Columns))
		}
		sort.Strings(ixNames)
		fmt.Fprintf(&b, "  indexes %v\n", ixNames)
		n := 0
		tab.Scan(func(rowID uint64, row schema.Row) bool {
			n++
			fmt.Fprintf(&b, "  %d v%d %v\n", rowID, tab.Version(rowID), row)
			checkIndexed(t, def, tab, rowID, row)
			return true
		})
		require.Equal(t, tab.Len(), n, "table %s: Len vs Scan", def.Name)
		for i := range def.Indexes {
			ix, _, ok := tab.Index(def.Indexes[i].Name)
			require.True(t, ok)
			require.Equal(t, n, ix.Len(), "index %s holds %d entries for %d rows", def.Indexes[i].Name, ix.Len(), n)
		}
	}
	// Views: every version, so a rebuild must also reproduce their history for AS OF.
	for _, id := range st.Catalog().ViewIDs() {
		for _, v := range st.Catalog().ViewVersions(id) {
			fmt.Fprintf(&b, "view %d @%d dropped=%v %s %q %s\n", id, v.Seq, v.Dropped, v.View.Name, v.View.Columns, v.View.Query)
		}
	}
	return b.String()
}

// checkIndexed requires every index of the table to find the row under its key.
func checkIndexed(t testing.TB, def *schema.Table, tab *storage.Table, rowID uint64, row schema.Row) {
	for i := range def.Indexes {
		ixDef := &def.Indexes[i]
		ix, _, ok := tab.Index(ixDef.Name)
		require.True(t, ok, "index %s missing", ixDef.Name)
		var vals []schema.Value
		for _, p := range def.KeyPositions(ixDef) {
			vals = append(vals, row[p])
		}
		found := false
		ix.Lookup(schema.Key(vals...), func(id uint64) bool {
			found = id == rowID
			return !found
		})
		require.True(t, found, "index %s does not find row %d %v", ixDef.Name, rowID, row)
	}
}

func copyTree(t testing.TB, from, to string) {
	t.Helper()
	require.NoError(t, filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = io.Copy(out, in)
		return err
	}))
}
