package storage

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// withUsers returns a store holding "users" with rows (1,'ann',30) and (2,'bob',NULL), and
// the table's ID and the two row ids.
func withUsers(t *testing.T) (st *Store, tableID uint64, ann, bob uint64) {
	t.Helper()
	st = openStore(t, t.TempDir(), nil)
	tx := st.Begin()
	def, err := tx.CreateTable(usersDef())
	require.NoError(t, err)
	ann, err = tx.Insert(def.ID, row(1, "ann", 30))
	require.NoError(t, err)
	bob, err = tx.Insert(def.ID, row(2, "bob", nil))
	require.NoError(t, err)
	require.NoError(t, commit(t, st, tx))
	return st, def.ID, ann, bob
}

func TestCreateTableAssignsIDs(t *testing.T) {
	st := openStore(t, t.TempDir(), nil)
	tx := st.Begin()
	d1, err := tx.CreateTable(usersDef())
	require.NoError(t, err)
	d2, err := tx.CreateTable(schema.Table{Name: "t2", Columns: []schema.Column{{ID: 77, Name: "a"}}})
	require.NoError(t, err)
	assert.NotEqual(t, d1.ID, d2.ID)
	assert.Equal(t, []uint32{1, 2, 3}, []uint32{d1.Columns[0].ID, d1.Columns[1].ID, d1.Columns[2].ID})
	assert.Equal(t, uint32(4), d1.NextColumnID)
	assert.Equal(t, uint32(1), d2.Columns[0].ID)
	_, err = tx.CreateTable(usersDef())
	requireCode(t, schema.CodeDuplicateTable, err)
	assert.Len(t, tx.Events(), 2, "a failed write records no event")
}

func TestTxIsolation(t *testing.T) {
	st, users, ann, _ := withUsers(t)
	base := st.Current()
	tx := st.Begin()
	assert.Same(t, base, tx.State(), "before writing, a tx reads its base")

	id, err := tx.Insert(users, row(3, "cy", 1))
	require.NoError(t, err)
	require.NoError(t, tx.Update(users, ann, row(1, "ann", 31)))

	mine := tx.State()
	assert.Equal(t, 3, mustTable(t, mine, "users").Len())
	r, _ := mustTable(t, mine, "users").Get(ann)
	assert.Equal(t, row(1, "ann", 31), r)

	for name, s := range map[string]*State{"base": tx.Base(), "current": st.Current()} {
		assert.Equal(t, 2, mustTable(t, s, "users").Len(), name)
		r, _ := mustTable(t, s, "users").Get(ann)
		assert.Equal(t, row(1, "ann", 30), r, name)
		_, ok := mustTable(t, s, "users").Get(id)
		assert.False(t, ok, name)
	}

	// A State handed out does not change when the tx writes again.
	require.NoError(t, tx.Delete(users, ann))
	assert.Equal(t, 3, mustTable(t, mine, "users").Len())
	assert.Equal(t, 2, mustTable(t, tx.State(), "users").Len())

	require.NoError(t, commit(t, st, tx))
	assert.Equal(t, 2, mustTable(t, st.Current(), "users").Len())
	_, ok := mustTable(t, st.Current(), "users").Get(ann)
	assert.False(t, ok)
	assert.Equal(t, 2, mustTable(t, base, "users").Len(), "the old published state is unchanged")
	assert.Equal(t, base.Seq()+3, st.Current().Seq())
	assert.NotZero(t, st.Current().Time())
}

func TestTxFailedWriteLeavesNoTrace(t *testing.T) {
	st, users, ann, bob := withUsers(t)
	tx := st.Begin()
	_, err := tx.Insert(users, row(1, "dup", nil))
	requireCode(t, schema.CodeUnique, err)
	requireCode(t, schema.CodeUnique, tx.Update(users, bob, row(2, "ann", nil)))
	requireCode(t, schema.CodeInternal, tx.Delete(users, 999))
	assert.True(t, tx.Empty())
	require.NoError(t, tx.Update(users, ann, row(1, "ann", 99)))
	assert.Len(t, tx.Events(), 1)
	assert.IsType(t, eventlog.RowUpdated{}, tx.Events()[0])
	assert.Equal(t, row(1, "ann", 30), tx.Events()[0].(eventlog.RowUpdated).Before)
}

func TestTxDDL(t *testing.T) {
	st, users, ann, _ := withUsers(t)
	tx := st.Begin()
	require.NoError(t, tx.AddColumn(users, schema.Column{Name: "email", Type: schema.Text}, schema.Str("-")))
	require.NoError(t, tx.RenameColumn(users, "email", "mail"))
	require.NoError(t, tx.CreateIndex(users, schema.Index{Name: "users_mail", Columns: []uint32{4}}))
	require.NoError(t, tx.DropColumn(users, "name"))
	require.NoError(t, tx.RenameTable(users, "people"))
	require.NoError(t, tx.DropIndex(users, "users_mail"))
	requireCode(t, schema.CodeUndefinedObject, tx.DropIndex(users, "users_mail"))
	require.NoError(t, commit(t, st, tx))

	p := mustTable(t, st.Current(), "people")
	r, _ := p.Get(ann)
	assert.Equal(t, row(1, 30, "-"), r)
	assert.Equal(t, []string{"id", "age", "mail"}, []string{p.Def().Columns[0].Name, p.Def().Columns[1].Name, p.Def().Columns[2].Name})
	assert.Equal(t, uint32(5), p.Def().NextColumnID)

	tx = st.Begin()
	require.NoError(t, tx.DropTable(users))
	require.NoError(t, commit(t, st, tx))
	_, ok := st.Current().Table("people")
	assert.False(t, ok)
}

func TestIDsAreStoreWide(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, &Options{NoSnapshots: true})
	tx1, tx2 := st.Begin(), st.Begin()
	d1, err := tx1.CreateTable(schema.Table{Name: "a", Columns: []schema.Column{{Name: "x"}}})
	require.NoError(t, err)
	d2, err := tx2.CreateTable(schema.Table{Name: "b", Columns: []schema.Column{{Name: "x"}}})
	require.NoError(t, err)
	assert.NotEqual(t, d1.ID, d2.ID)
	require.NoError(t, commit(t, st, tx1))
	tx := st.Begin()
	r1, err := tx.Insert(d1.ID, row(1))
	require.NoError(t, err)
	r2, err := tx.Insert(d1.ID, row(2))
	require.NoError(t, err)
	require.NoError(t, tx.Delete(d1.ID, r2))
	require.NoError(t, commit(t, st, tx))

	// The largest ids seen in the log (the row since deleted; not the uncommitted table)
	// bound where the counters resume.
	st = reopen(t, st, dir, &Options{NoSnapshots: true})
	tx = st.Begin()
	r3, err := tx.Insert(d1.ID, row(3))
	require.NoError(t, err)
	assert.Greater(t, r3, r2)
	assert.Greater(t, r2, r1)
	d3, err := tx.CreateTable(schema.Table{Name: "c"})
	require.NoError(t, err)
	assert.Greater(t, d3.ID, d1.ID)
}
