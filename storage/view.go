package storage

import (
	"sort"
	"strings"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// Views are stored queries: storage keeps only their definitions, in the catalog, with the
// tables' version history. What a view's query means, and which tables it depends on, is the
// executor's business — storage does not parse SQL.

// createView applies ViewCreated: a new view, or a new version of a live one (CREATE OR
// REPLACE VIEW keeps its ID and name).
func (s *State) createView(seq uint64, e eventlog.ViewCreated) error {
	v := e.View
	v.Columns = append([]string(nil), v.Columns...) // the catalog must own its version
	if cur, ok := s.cat.ViewByID(v.ID); ok {
		if !strings.EqualFold(cur.Name, v.Name) {
			return internalError(ErrBadEvent, "storage: ViewCreated renames view %q (id %d) to %q", cur.Name, v.ID, v.Name)
		}
		s.catalog().PutView(seq, &v)
		return nil
	}
	if len(s.cat.Versions(v.ID)) > 0 || len(s.cat.ViewVersions(v.ID)) > 0 {
		return internalError(ErrBadEvent, "storage: view id %d of %q reused", v.ID, v.Name)
	}
	if err := s.checkRelationName(v.Name); err != nil {
		return err
	}
	s.catalog().PutView(seq, &v)
	s.maxTableID = max(s.maxTableID, v.ID)
	return nil
}

func (s *State) dropView(seq uint64, e eventlog.ViewDropped) error {
	if _, ok := s.cat.ViewByID(e.ViewID); !ok {
		return internalError(ErrNoTable, "storage: ViewDropped names view id %d (%q), which does not exist",
			e.ViewID, e.Name)
	}
	s.catalog().DropView(seq, e.ViewID)
	return nil
}

// View returns the live view currently named name (case-insensitively).
func (s *State) View(name string) (*schema.View, bool) { return s.cat.View(name) }

// CreateView creates a view, or replaces the live view with v.ID when v.ID is not 0 (the
// executor has checked that the new query keeps the old columns). A new view gets a fresh ID
// from the tables' counter. It returns the definition as stored; 42P07 if the name is taken
// by a table, index or view.
func (tx *Tx) CreateView(v schema.View) (*schema.View, error) {
	if v.ID == 0 {
		v.ID = tx.st.tableIDs.Add(1)
	}
	if err := tx.alter(v.ID, eventlog.ViewCreated{View: v}); err != nil {
		return nil, err
	}
	stored, _ := tx.reading().cat.ViewByID(v.ID)
	return stored, nil
}

// DependOn records that the views the transaction creates rely on the definitions of the
// relations ids (tables or views) as the transaction sees them: Prepare fails with 40001 if
// one of them was changed or dropped by a transaction that committed after this one began.
func (tx *Tx) DependOn(ids ...uint64) {
	if tx.depends == nil {
		tx.depends = map[uint64]bool{}
	}
	for _, id := range ids {
		tx.depends[id] = true
	}
}

// checkViewConflicts is checkConflicts for views: a transaction whose views rely on a
// relation loses if that relation's definition changed since it began; one that changed or
// dropped a relation that existed when it began (deciding from its base which views depend
// on it) loses if any view was created, replaced or dropped since.
func (tx *Tx) checkViewConflicts(cur *State) error {
	base := tx.base.Seq()
	changed := func(id uint64) (string, uint64, bool) {
		if vs := cur.cat.Versions(id); len(vs) > 0 && vs[len(vs)-1].Seq > base {
			return vs[len(vs)-1].Table.Name, vs[len(vs)-1].Seq, true
		}
		if vs := cur.cat.ViewVersions(id); len(vs) > 0 && vs[len(vs)-1].Seq > base {
			return vs[len(vs)-1].View.Name, vs[len(vs)-1].Seq, true
		}
		return "", 0, false
	}
	for _, id := range sortedIDs(tx.depends) {
		if name, seq, ok := changed(id); ok {
			return conflictError("definition of %q, which a new view reads, changed at seq %d", name, seq)
		}
	}
	for _, id := range sortedIDs(tx.altered) {
		_, table := tx.base.cat.ByID(id)
		_, view := tx.base.cat.ViewByID(id)
		if !table && !view {
			continue // created by the transaction
		}
		for _, vid := range cur.cat.ViewIDs() {
			if name, seq, ok := changed(vid); ok {
				return conflictError("view %q changed at seq %d", name, seq)
			}
		}
		break
	}
	return nil
}

func sortedIDs(m map[uint64]bool) []uint64 {
	ids := make([]uint64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// DropView drops the live view with the given ID.
func (tx *Tx) DropView(id uint64) error {
	v, ok := tx.reading().cat.ViewByID(id)
	if !ok {
		return internalError(ErrNoTable, "storage: view id %d does not exist", id)
	}
	return tx.alter(id, eventlog.ViewDropped{ViewID: id, Name: v.Name})
}
