package storage

import (
	"github.com/eventsql/eventsql/catalog"
	"github.com/eventsql/eventsql/eventlog"
)

// State is the whole database — catalog, rows and indexes — as of one seq of the log: the
// result of applying events 1..Seq() to an empty state, in order, with Apply.
//
// A State is built by one goroutine (replay, a Tx, or Store.Prepare) and then published, after
// which it is immutable and safe for any number of concurrent readers. Deriving a new state
// never disturbs an old one: Clone is copy-on-write all the way down — the table map is copied,
// and each table (with its row and index B-trees) and the catalog are cloned only when first
// written.
type State struct {
	seq  uint64
	time int64 // unix nanos of the commit of the event at seq; 0 when unknown or seq is 0

	cat    *catalog.Catalog
	catOwn bool // cat belongs to this state alone and may be written

	tables map[uint64]*Table
	owned  map[uint64]bool // tables that belong to this state alone and may be written

	// maxRowID and maxTableID are the largest ids any applied event used, including ids of
	// rows and tables since deleted; the Store resumes its counters after them.
	maxRowID, maxTableID uint64

	sealed bool // published or exposed: Apply refuses
}

// NewState returns the empty state at seq 0.
func NewState() *State {
	return &State{cat: catalog.New(), catOwn: true, tables: map[uint64]*Table{}, owned: map[uint64]bool{}}
}

// Seq returns the seq of the last event applied (0 for the empty state).
func (s *State) Seq() uint64 { return s.seq }

// Time returns the commit time (unix nanoseconds) of the last event applied, as recorded by
// the log; 0 for the empty state or a state still being written by a transaction.
func (s *State) Time() int64 { return s.time }

// Catalog returns the table definitions as of this state, with their full version history up
// to Seq. It is shared: do not modify it.
func (s *State) Catalog() *catalog.Catalog { return s.cat }

// Table returns the live table currently named name (case-insensitively).
func (s *State) Table(name string) (*Table, bool) {
	def, ok := s.cat.Lookup(name)
	if !ok {
		return nil, false
	}
	return s.TableByID(def.ID)
}

// TableByID returns the live table with the given ID.
func (s *State) TableByID(id uint64) (*Table, bool) {
	t, ok := s.tables[id]
	return t, ok
}

// Clone returns an unsealed state equal to s that can be written with Apply without affecting
// s. It costs O(#tables) (a map copy); tables and the catalog are cloned lazily on first write.
// Clone is safe to call concurrently on a published state.
func (s *State) Clone() *State {
	c := *s
	c.catOwn = false
	c.sealed = false
	c.tables = make(map[uint64]*Table, len(s.tables))
	for id, t := range s.tables {
		c.tables[id] = t
	}
	c.owned = map[uint64]bool{}
	return &c
}

// seal marks s immutable: from now on it may be shared with readers. Sealing a sealed state
// writes nothing, so it is safe while other goroutines clone it.
func (s *State) seal() {
	if !s.sealed {
		s.sealed = true
	}
}

// catalog returns the catalog for writing, cloning it on the first write.
func (s *State) catalog() *catalog.Catalog {
	if !s.catOwn {
		s.cat = s.cat.Clone()
		s.catOwn = true
	}
	return s.cat
}

// table returns table id for writing, cloning it on the first write, or an internal error if
// it is not live.
func (s *State) table(id uint64, e eventlog.Event) (*Table, error) {
	t, ok := s.tables[id]
	if !ok {
		return nil, internalError(ErrNoTable, "storage: %T names table id %d, which does not exist", e, id)
	}
	if !s.owned[id] {
		t = t.clone()
		s.tables[id] = t
		s.owned[id] = true
	}
	return t, nil
}

// setTable installs t as table id, owned by s.
func (s *State) setTable(id uint64, t *Table) {
	s.tables[id] = t
	s.owned[id] = true
}
