package catalog

import (
	"sort"
	"strings"

	"github.com/eventsql/eventsql/schema"
)

// Version is one version of a table's definition: the definition that took effect at Seq, or,
// when Dropped is set, the fact that the table was dropped at Seq (Table then holds the last
// definition it had, so history can still name it).
type Version struct {
	Seq     uint64
	Table   *schema.Table
	Dropped bool
}

// Catalog holds every version of every table definition, keyed by table ID, plus the name
// lookups of the current versions. A Catalog is not safe for concurrent mutation; once it is
// published (as part of a storage.State) it is only read, which is safe from any goroutine.
//
// The *schema.Table values it stores and returns are shared between clones and must be treated
// as read-only: derive a new version with (*schema.Table).Clone and Put it.
type Catalog struct {
	// versions maps a table ID to its versions in ascending Seq order. The slices are shared
	// between clones and never written in place: Put and Drop build a new slice.
	versions map[uint64][]Version
	// names maps the lower-cased name of every live table to its ID.
	names map[string]uint64
	// indexes maps the lower-cased name of every index of a live table to the table's ID.
	// Index names are global, as in PostgreSQL, so two tables cannot have same-named indexes.
	indexes map[string]uint64
	// views holds the views' versions and names (view.go).
	views views
}

// New returns an empty catalog.
func New() *Catalog {
	return &Catalog{
		versions: map[uint64][]Version{},
		names:    map[string]uint64{},
		indexes:  map[string]uint64{},
	}
}

// Clone returns a catalog that starts equal to c and then evolves independently. It costs
// O(#tables + #indexes): the maps are copied, the version slices and definitions are shared
// (they are immutable).
func (c *Catalog) Clone() *Catalog {
	n := &Catalog{
		versions: make(map[uint64][]Version, len(c.versions)),
		names:    make(map[string]uint64, len(c.names)),
		indexes:  make(map[string]uint64, len(c.indexes)),
	}
	for id, vs := range c.versions {
		n.versions[id] = vs
	}
	for k, v := range c.names {
		n.names[k] = v
	}
	for k, v := range c.indexes {
		n.indexes[k] = v
	}
	n.views = c.views.clone()
	return n
}

// Put records t as the definition of table t.ID effective at seq: a creation, or a new version
// of an existing table (rename, column change, index change). The catalog takes ownership of t;
// the caller must not modify it afterwards. seq must not be below the table's latest version;
// a Put at the same seq as the latest version replaces it.
func (c *Catalog) Put(seq uint64, t *schema.Table) {
	if cur, ok := c.ByID(t.ID); ok {
		c.unname(cur)
	}
	c.push(t.ID, Version{Seq: seq, Table: t})
	c.names[strings.ToLower(t.Name)] = t.ID
	for i := range t.Indexes {
		c.indexes[strings.ToLower(t.Indexes[i].Name)] = t.ID
	}
}

// Drop records that table id was dropped at seq. Dropping a table that is not live does
// nothing. Its versions stay, so ByIDAt and LookupAt still find it at earlier seqs.
func (c *Catalog) Drop(seq uint64, id uint64) {
	cur, ok := c.ByID(id)
	if !ok {
		return
	}
	c.unname(cur)
	c.push(id, Version{Seq: seq, Table: cur, Dropped: true})
}

// push appends v to the versions of id without writing into a slice a clone may share: the
// three-index slice has no spare capacity, so append always copies.
func (c *Catalog) push(id uint64, v Version) {
	vs := c.versions[id]
	if n := len(vs); n > 0 && vs[n-1].Seq == v.Seq {
		vs = vs[:n-1]
	}
	c.versions[id] = append(vs[:len(vs):len(vs)], v)
}

// unname removes a live version's table and index names from the lookups.
func (c *Catalog) unname(t *schema.Table) {
	if c.names[strings.ToLower(t.Name)] == t.ID {
		delete(c.names, strings.ToLower(t.Name))
	}
	for i := range t.Indexes {
		k := strings.ToLower(t.Indexes[i].Name)
		if c.indexes[k] == t.ID {
			delete(c.indexes, k)
		}
	}
}

// Lookup returns the current definition of the live table named name (case-insensitively).
func (c *Catalog) Lookup(name string) (*schema.Table, bool) {
	id, ok := c.names[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return c.ByID(id)
}

// LookupAt returns the definition that the table named name (case-insensitively) had at seq:
// the table that was live under that name after the event at seq was applied. It scans every
// table, O(#tables × log #versions).
func (c *Catalog) LookupAt(name string, seq uint64) (*schema.Table, bool) {
	for id := range c.versions {
		if t, ok := c.ByIDAt(id, seq); ok && strings.EqualFold(t.Name, name) {
			return t, true
		}
	}
	return nil, false
}

// ByID returns the current definition of the live table with the given ID.
func (c *Catalog) ByID(id uint64) (*schema.Table, bool) {
	vs := c.versions[id]
	if len(vs) == 0 || vs[len(vs)-1].Dropped {
		return nil, false
	}
	return vs[len(vs)-1].Table, true
}

// ByIDAt returns the definition table id had at seq (its latest version with Seq <= seq), or
// false when it did not exist yet or had been dropped by then.
func (c *Catalog) ByIDAt(id uint64, seq uint64) (*schema.Table, bool) {
	vs := c.versions[id]
	// i is the first version after seq; the one before it is in effect at seq.
	i := sort.Search(len(vs), func(i int) bool { return vs[i].Seq > seq })
	if i == 0 || vs[i-1].Dropped {
		return nil, false
	}
	return vs[i-1].Table, true
}

// Tables returns the current definitions of all live tables, sorted by name.
func (c *Catalog) Tables() []*schema.Table {
	ts := make([]*schema.Table, 0, len(c.names))
	for _, id := range c.names {
		if t, ok := c.ByID(id); ok {
			ts = append(ts, t)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
	return ts
}

// IDs returns the IDs of every table the catalog has ever held, live or dropped, ascending.
func (c *Catalog) IDs() []uint64 {
	ids := make([]uint64, 0, len(c.versions))
	for id := range c.versions {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Versions returns every version of table id, oldest first. The slice is shared: do not modify
// it.
func (c *Catalog) Versions(id uint64) []Version {
	return c.versions[id]
}

// IndexTable returns the current definition of the live table that owns the index named
// indexName (case-insensitively). Index names are global, as in PostgreSQL.
func (c *Catalog) IndexTable(indexName string) (*schema.Table, bool) {
	id, ok := c.indexes[strings.ToLower(indexName)]
	if !ok {
		return nil, false
	}
	return c.ByID(id)
}
