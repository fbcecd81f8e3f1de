package catalog

import (
	"sort"
	"strings"

	"github.com/eventsql/eventsql/schema"
)

// ViewVersion is one version of a view's definition: the definition that took effect at Seq
// (a CREATE VIEW or CREATE OR REPLACE VIEW), or, when Dropped is set, the fact that the view
// was dropped at Seq (View then holds its last definition).
type ViewVersion struct {
	Seq     uint64
	View    *schema.View
	Dropped bool
}

// views holds every version of every view, keyed by view ID, the way the catalog holds
// tables: version slices are shared between clones and never written in place.
type views struct {
	versions map[uint64][]ViewVersion
	names    map[string]uint64 // lower-cased name of every live view → its ID
}

func (vs *views) clone() views {
	n := views{versions: make(map[uint64][]ViewVersion, len(vs.versions)),
		names: make(map[string]uint64, len(vs.names))}
	for id, v := range vs.versions {
		n.versions[id] = v
	}
	for k, v := range vs.names {
		n.names[k] = v
	}
	return n
}

func (vs *views) push(id uint64, v ViewVersion) {
	if vs.versions == nil {
		vs.versions, vs.names = map[uint64][]ViewVersion{}, map[string]uint64{}
	}
	old := vs.versions[id]
	if n := len(old); n > 0 && old[n-1].Seq == v.Seq {
		old = old[:n-1]
	}
	vs.versions[id] = append(old[:len(old):len(old)], v)
}

// PutView records v as the definition of view v.ID effective at seq: a creation, or a
// replacement of the live view with that ID (which may not rename it). The catalog takes
// ownership of v. Names are shared with tables: the caller (storage) checks that v.Name is
// not a live table's or another view's.
func (c *Catalog) PutView(seq uint64, v *schema.View) {
	if cur, ok := c.ViewByID(v.ID); ok && c.views.names[strings.ToLower(cur.Name)] == v.ID {
		delete(c.views.names, strings.ToLower(cur.Name))
	}
	c.views.push(v.ID, ViewVersion{Seq: seq, View: v})
	c.views.names[strings.ToLower(v.Name)] = v.ID
}

// DropView records that view id was dropped at seq. Dropping a view that is not live does
// nothing; its versions stay for ViewAt.
func (c *Catalog) DropView(seq uint64, id uint64) {
	cur, ok := c.ViewByID(id)
	if !ok {
		return
	}
	delete(c.views.names, strings.ToLower(cur.Name))
	c.views.push(id, ViewVersion{Seq: seq, View: cur, Dropped: true})
}

// View returns the current definition of the live view named name (case-insensitively).
func (c *Catalog) View(name string) (*schema.View, bool) {
	id, ok := c.views.names[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return c.ViewByID(id)
}

// ViewAt returns the definition the view named name had at seq, as LookupAt does for tables.
func (c *Catalog) ViewAt(name string, seq uint64) (*schema.View, bool) {
	for id := range c.views.versions {
		if v, ok := c.ViewByIDAt(id, seq); ok && strings.EqualFold(v.Name, name) {
			return v, true
		}
	}
	return nil, false
}

// ViewByID returns the current definition of the live view with the given ID.
func (c *Catalog) ViewByID(id uint64) (*schema.View, bool) {
	vs := c.views.versions[id]
	if len(vs) == 0 || vs[len(vs)-1].Dropped {
		return nil, false
	}
	return vs[len(vs)-1].View, true
}

// ViewByIDAt returns the definition view id had at seq, or false when it did not exist yet
// or had been dropped by then.
func (c *Catalog) ViewByIDAt(id uint64, seq uint64) (*schema.View, bool) {
	vs := c.views.versions[id]
	i := sort.Search(len(vs), func(i int) bool { return vs[i].Seq > seq })
	if i == 0 || vs[i-1].Dropped {
		return nil, false
	}
	return vs[i-1].View, true
}

// Views returns the current definitions of all live views, sorted by name.
func (c *Catalog) Views() []*schema.View {
	out := make([]*schema.View, 0, len(c.views.names))
	for _, id := range c.views.names {
		if v, ok := c.ViewByID(id); ok {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ViewIDs returns the IDs of every view the catalog has ever held, live or dropped, ascending.
func (c *Catalog) ViewIDs() []uint64 {
	ids := make([]uint64, 0, len(c.views.versions))
	for id := range c.views.versions {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// ViewVersions returns every version of view id, oldest first. The slice is shared: do not
// modify it.
func (c *Catalog) ViewVersions(id uint64) []ViewVersion {
	return c.views.versions[id]
}
