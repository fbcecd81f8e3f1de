package storage

import (
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

// DropView drops the live view with the given ID.
func (tx *Tx) DropView(id uint64) error {
	v, ok := tx.reading().cat.ViewByID(id)
	if !ok {
		return internalError(ErrNoTable, "storage: view id %d does not exist", id)
	}
	return tx.alter(id, eventlog.ViewDropped{ViewID: id, Name: v.Name})
}
