package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

func view(id uint64, name, query string) *schema.View {
	return &schema.View{ID: id, Name: name, Columns: []string{"a"}, Query: query}
}

// viewHistory builds: view 4 "v" created at 2, replaced at 4, dropped at 6; view 5 "V"
// created at 8 (reusing the name); view 6 "w" created at 3.
func viewHistory() *Catalog {
	c := New()
	c.PutView(2, view(4, "v", "SELECT 1 AS a"))
	c.PutView(3, view(6, "w", "SELECT 3 AS a"))
	c.PutView(4, view(4, "v", "SELECT 2 AS a"))
	c.DropView(6, 4)
	c.PutView(8, view(5, "V", "SELECT 5 AS a"))
	return c
}

func TestViewAt(t *testing.T) {
	c := viewHistory()
	for _, tc := range []struct {
		name      string
		seq       uint64
		wantQuery string // "" = not found
	}{
		{"before creation", 1, ""},
		{"created", 2, "SELECT 1 AS a"},
		{"before replace", 3, "SELECT 1 AS a"},
		{"replaced", 5, "SELECT 2 AS a"},
		{"dropped", 6, ""},
		{"name reused", 8, "SELECT 5 AS a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := c.ViewAt("V", tc.seq)
			if tc.wantQuery == "" {
				assert.False(t, ok, "found %v", got)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tc.wantQuery, got.Query)
		})
	}
}

func TestViewCurrent(t *testing.T) {
	c := viewHistory()
	v, ok := c.View("v")
	require.True(t, ok)
	assert.Equal(t, uint64(5), v.ID)
	_, ok = c.ViewByID(4)
	assert.False(t, ok, "dropped view still live")
	var names []string
	for _, v := range c.Views() {
		names = append(names, v.Name)
	}
	assert.Equal(t, []string{"V", "w"}, names)
	assert.Equal(t, []uint64{4, 5, 6}, c.ViewIDs())
	vs := c.ViewVersions(4)
	require.Len(t, vs, 3)
	assert.True(t, vs[2].Dropped)
	assert.Equal(t, "SELECT 2 AS a", vs[2].View.Query, "a drop keeps the last definition")
	_, ok = c.Lookup("v")
	assert.False(t, ok, "a view is not a table")
}

func TestViewCloneIsIndependent(t *testing.T) {
	orig := New()
	orig.PutView(1, view(1, "v", "SELECT 1 AS a"))
	c1, c2 := orig.Clone(), orig.Clone()
	c1.PutView(2, view(1, "v", "SELECT 2 AS a"))
	c2.DropView(2, 1)

	v, ok := orig.View("v")
	require.True(t, ok)
	assert.Equal(t, "SELECT 1 AS a", v.Query)
	assert.Len(t, orig.ViewVersions(1), 1)
	v, ok = c1.View("v")
	require.True(t, ok)
	assert.Equal(t, "SELECT 2 AS a", v.Query)
	_, ok = c2.View("v")
	assert.False(t, ok)
	assert.False(t, c2.ViewVersions(1)[1].View.Query == "SELECT 2 AS a", "c2 sees c1's version")
}

func TestViewEmptyCatalog(t *testing.T) {
	c := New()
	_, ok := c.View("v")
	assert.False(t, ok)
	assert.Empty(t, c.Views())
	c.DropView(1, 9)
	assert.Empty(t, c.ViewVersions(9))
	assert.NotPanics(t, func() { c.Clone().PutView(1, view(1, "v", "SELECT 1 AS a")) })
}
