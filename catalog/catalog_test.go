package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

func table(id uint64, name string, indexes ...string) *schema.Table {
	t := &schema.Table{ID: id, Name: name, Columns: []schema.Column{{ID: 1, Name: "a", Type: schema.Integer}}, NextColumnID: 2}
	for _, ix := range indexes {
		t.Indexes = append(t.Indexes, schema.Index{Name: ix, Columns: []uint32{1}})
	}
	return t
}

func names(ts []*schema.Table) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}

// history builds: t1 "users" created at 1, renamed "people" at 5, dropped at 9; t2 "users"
// created at 7 (reusing the name) with index users_pkey.
func history() *Catalog {
	c := New()
	c.Put(1, table(1, "users", "people_idx"))
	c.Put(3, table(3, "orders"))
	c.Put(5, table(1, "people", "people_idx"))
	c.Put(7, table(2, "Users", "users_pkey"))
	c.Drop(9, 1)
	return c
}

func TestLookupAt(t *testing.T) {
	c := history()
	for _, tc := range []struct {
		name   string
		lookup string
		seq    uint64
		wantID uint64 // 0 = not found
	}{
		{"before creation", "users", 0, 0},
		{"at creation", "USERS", 1, 1},
		{"before rename", "users", 4, 1},
		{"renamed away", "users", 5, 0},
		{"new name", "people", 6, 1},
		{"name reused", "users", 7, 2},
		{"dropped", "people", 9, 0},
		{"just before drop", "people", 8, 1},
		{"far future", "users", 100, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := c.LookupAt(tc.lookup, tc.seq)
			if tc.wantID == 0 {
				assert.False(t, ok, "found %v", got)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tc.wantID, got.ID)
		})
	}
}

func TestCurrent(t *testing.T) {
	c := history()
	got, ok := c.Lookup("users")
	require.True(t, ok)
	assert.Equal(t, uint64(2), got.ID)
	_, ok = c.Lookup("people")
	assert.False(t, ok, "dropped table still current")
	_, ok = c.ByID(1)
	assert.False(t, ok)
	old, ok := c.ByIDAt(1, 6)
	require.True(t, ok)
	assert.Equal(t, "people", old.Name)
	assert.Equal(t, []string{"Users", "orders"}, names(c.Tables()))
	assert.Equal(t, []uint64{1, 2, 3}, c.IDs())

	vs := c.Versions(1)
	require.Len(t, vs, 3)
	assert.Equal(t, []uint64{1, 5, 9}, []uint64{vs[0].Seq, vs[1].Seq, vs[2].Seq})
	assert.True(t, vs[2].Dropped)
	assert.Equal(t, "people", vs[2].Table.Name, "a drop keeps the last definition")

	it, ok := c.IndexTable("USERS_PKEY")
	require.True(t, ok)
	assert.Equal(t, uint64(2), it.ID)
	_, ok = c.IndexTable("people_idx")
	assert.False(t, ok, "index of a dropped table")
}

func TestPutSameSeqReplaces(t *testing.T) {
	c := New()
	c.Put(1, table(1, "a"))
	c.Put(1, table(1, "b"))
	assert.Len(t, c.Versions(1), 1)
	_, ok := c.Lookup("a")
	assert.False(t, ok)
	_, ok = c.Lookup("b")
	assert.True(t, ok)
}

func TestDropIndexByNewVersion(t *testing.T) {
	c := New()
	c.Put(1, table(1, "t", "t_a"))
	c.Put(2, table(1, "t"))
	_, ok := c.IndexTable("t_a")
	assert.False(t, ok)
}

func TestCloneIsIndependent(t *testing.T) {
	orig := New()
	orig.Put(1, table(1, "a"))
	orig.Put(2, table(2, "b"))

	c1, c2 := orig.Clone(), orig.Clone()
	// Both clones append to the same shared version slice: neither may see the other's.
	c1.Put(3, table(1, "a1"))
	c2.Put(3, table(1, "a2"))
	c2.Drop(4, 2)

	get := func(c *Catalog, name string) bool { _, ok := c.Lookup(name); return ok }
	assert.True(t, get(orig, "a"))
	assert.True(t, get(orig, "b"))
	assert.Len(t, orig.Versions(1), 1)
	assert.True(t, get(c1, "a1"))
	assert.False(t, get(c1, "a2"))
	assert.True(t, get(c1, "b"))
	assert.Equal(t, "a1", c1.Versions(1)[1].Table.Name)
	assert.True(t, get(c2, "a2"))
	assert.False(t, get(c2, "b"))
	assert.Equal(t, "a2", c2.Versions(1)[1].Table.Name)
}

func TestDropUnknownIsNoop(t *testing.T) {
	c := New()
	c.Drop(1, 42)
	assert.Empty(t, c.Versions(42))
}
