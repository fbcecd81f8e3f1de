package storage

import (
	"fmt"
	"strings"

	"github.com/google/btree"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/index"
	"github.com/eventsql/eventsql/schema"
)

// Apply applies event e, which has sequence number seq, to s. It is the one deterministic
// state transition of the database, used alike by recovery (replaying the log), by a Tx for
// its own writes (with provisional seqs) and by Store.Prepare (with the real ones): the same
// events in the same order always produce the same state.
//
// Apply validates before it changes anything, so on error s is unchanged. It fails with a
// *schema.Error: 23505 (ErrUnique) when a write or index build duplicates a unique key (keys
// with a NULL never collide); 42P07/42701 (ErrExists) when a created or renamed table, index or
// column takes a name in use; 42704 (ErrNoIndex) for an unknown index; XX000 (ErrNoTable,
// ErrNoRow, ErrBadEvent) when the event does not fit the state at all. It returns ErrSeqOrder
// if seq <= s.Seq() and ErrSealed if s has been published.
func (s *State) Apply(seq uint64, e eventlog.Event) error {
	if s.sealed {
		return ErrSealed
	}
	if seq <= s.seq {
		return fmt.Errorf("%w: seq %d after %d", ErrSeqOrder, seq, s.seq)
	}
	var err error
	switch e := deref(e).(type) {
	case eventlog.RowInserted:
		err = s.insert(seq, e)
	case eventlog.RowUpdated:
		err = s.update(seq, e)
	case eventlog.RowDeleted:
		err = s.delete(e)
	case eventlog.TableCreated:
		err = s.createTable(seq, e)
	case eventlog.TableDropped:
		err = s.dropTable(seq, e)
	case eventlog.TableAltered:
		err = s.alterTable(seq, e)
	case eventlog.IndexCreated:
		err = s.createIndex(seq, e)
	case eventlog.IndexDropped:
		err = s.dropIndex(seq, e)
	case eventlog.ViewCreated:
		err = s.createView(seq, e)
	case eventlog.ViewDropped:
		err = s.dropView(seq, e)
	default:
		err = internalError(ErrBadEvent, "storage: unknown event %T", e)
	}
	if err != nil {
		return err
	}
	s.seq = seq
	s.time = 0 // the commit time is the log's to say; Store sets it on publish
	return nil
}

func (s *State) insert(seq uint64, e eventlog.RowInserted) error {
	t, err := s.table(e.TableID, e)
	if err != nil {
		return err
	}
	if len(e.Row) != len(t.def.Columns) {
		return internalError(ErrBadEvent, "storage: row %d of table %q has %d values, want %d",
			e.RowID, t.def.Name, len(e.Row), len(t.def.Columns))
	}
	if t.rows.Has(rowItem{id: e.RowID}) {
		return internalError(ErrBadEvent, "storage: row %d of table %q inserted twice", e.RowID, t.def.Name)
	}
	if err := t.checkUnique(e.RowID, e.Row); err != nil {
		return err
	}
	t.put(e.RowID, seq, e.Row)
	s.maxRowID = max(s.maxRowID, e.RowID)
	return nil
}

func (s *State) update(seq uint64, e eventlog.RowUpdated) error {
	t, err := s.table(e.TableID, e)
	if err != nil {
		return err
	}
	if !t.rows.Has(rowItem{id: e.RowID}) {
		return noRowError(t, e.RowID)
	}
	if len(e.After) != len(t.def.Columns) {
		return internalError(ErrBadEvent, "storage: row %d of table %q updated to %d values, want %d",
			e.RowID, t.def.Name, len(e.After), len(t.def.Columns))
	}
	if err := t.checkUnique(e.RowID, e.After); err != nil {
		return err
	}
	t.put(e.RowID, seq, e.After)
	return nil
}

func (s *State) delete(e eventlog.RowDeleted) error {
	t, err := s.table(e.TableID, e)
	if err != nil {
		return err
	}
	if !t.rows.Has(rowItem{id: e.RowID}) {
		return noRowError(t, e.RowID)
	}
	t.remove(e.RowID)
	return nil
}

func noRowError(t *Table, id uint64) error {
	return internalError(ErrNoRow, "storage: row %d of table %q (id %d) does not exist", id, t.def.Name, t.def.ID)
}

func (s *State) createTable(seq uint64, e eventlog.TableCreated) error {
	def := e.Table.Clone() // the event may be the caller's; the catalog must own its version
	if len(s.cat.Versions(def.ID)) > 0 {
		return internalError(ErrBadEvent, "storage: table id %d of %q reused", def.ID, def.Name)
	}
	if err := s.checkRelationName(def.Name); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i := range def.Indexes {
		n := strings.ToLower(def.Indexes[i].Name)
		if err := s.checkRelationName(n); err != nil || seen[n] || n == strings.ToLower(def.Name) {
			return existsError(schema.CodeDuplicateTable, "relation %q already exists", def.Indexes[i].Name)
		}
		seen[n] = true
		if err := checkIndexColumns(def, &def.Indexes[i]); err != nil {
			return err
		}
	}
	if err := s.checkForeignKeyDefs(def); err != nil {
		return err
	}
	s.catalog().Put(seq, def)
	s.setTable(def.ID, newTable(def))
	s.maxTableID = max(s.maxTableID, def.ID)
	return nil
}

// checkRelationName fails if a live table, index or view is named name: they share one
// namespace, as relations do in PostgreSQL.
func (s *State) checkRelationName(name string) error {
	if _, ok := s.cat.View(name); ok {
		return existsError(schema.CodeDuplicateTable, "relation %q already exists", name)
	}
	if _, ok := s.cat.Lookup(name); ok {
		return existsError(schema.CodeDuplicateTable, "relation %q already exists", name)
	}
	if _, ok := s.cat.IndexTable(name); ok {
		return existsError(schema.CodeDuplicateTable, "relation %q already exists", name)
	}
	return nil
}

func checkIndexColumns(def *schema.Table, ix *schema.Index) error {
	if len(ix.Columns) == 0 {
		return internalError(ErrBadEvent, "storage: index %q has no columns", ix.Name)
	}
	for _, id := range ix.Columns {
		if def.ColumnByID(id) < 0 {
			return internalError(ErrBadEvent, "storage: index %q names column id %d, which table %q does not have",
				ix.Name, id, def.Name)
		}
	}
	return nil
}

func (s *State) dropTable(seq uint64, e eventlog.TableDropped) error {
	t, ok := s.tables[e.TableID]
	if !ok {
		return internalError(ErrNoTable, "storage: TableDropped names table id %d (%q), which does not exist",
			e.TableID, e.Name)
	}
	if err := s.checkDropTable(t); err != nil {
		return err
	}
	s.catalog().Drop(seq, e.TableID)
	delete(s.tables, e.TableID)
	delete(s.owned, e.TableID)
	return nil
}

func (s *State) createIndex(seq uint64, e eventlog.IndexCreated) error {
	t, err := s.table(e.TableID, e)
	if err != nil {
		return err
	}
	if err := s.checkRelationName(e.Index.Name); err != nil {
		return err
	}
	def := t.def.Clone()
	def.Indexes = append(def.Indexes, e.Index)
	ix := &def.Indexes[len(def.Indexes)-1]
	ix.Columns = append([]uint32(nil), ix.Columns...)
	if err := checkIndexColumns(def, ix); err != nil {
		return err
	}
	built, err := buildIndex(def, len(def.Indexes)-1, t)
	if err != nil {
		return err
	}
	t.def = def
	t.idx = append(t.idx[:len(t.idx):len(t.idx)], built)
	s.catalog().Put(seq, def)
	return nil
}

func (s *State) dropIndex(seq uint64, e eventlog.IndexDropped) error {
	t, err := s.table(e.TableID, e)
	if err != nil {
		return err
	}
	i := t.def.Index(e.Name)
	if i < 0 {
		return &schema.Error{Code: schema.CodeUndefinedObject,
			Message: fmt.Sprintf("index %q does not exist", e.Name), Err: ErrNoIndex}
	}
	if err := s.checkDropIndex(t, &t.def.Indexes[i]); err != nil {
		return err
	}
	def := t.def.Clone()
	def.Indexes = append(def.Indexes[:i], def.Indexes[i+1:]...)
	idx := append([]index.Index(nil), t.idx[:i]...)
	t.def, t.idx = def, append(idx, t.idx[i+1:]...)
	s.catalog().Put(seq, def)
	return nil
}

// mapRows replaces every row of t by f(row), keeping row ids and versions. Index keys do not
// change (callers only add or remove columns no remaining index uses), so indexes are kept.
func mapRows(t *Table, f func(schema.Row) schema.Row) {
	rows := btree.NewG(degree, lessRow)
	t.rows.Ascend(func(it rowItem) bool {
		it.row = f(it.row)
		rows.ReplaceOrInsert(it)
		return true
	})
	t.rows = rows
}

// deref accepts events by pointer as well as by value, since Event's methods have value
// receivers and a decoder may return either.
func deref(e eventlog.Event) eventlog.Event {
	switch p := e.(type) {
	case *eventlog.RowInserted:
		return *p
	case *eventlog.RowUpdated:
		return *p
	case *eventlog.RowDeleted:
		return *p
	case *eventlog.TableCreated:
		return *p
	case *eventlog.TableDropped:
		return *p
	case *eventlog.TableAltered:
		return *p
	case *eventlog.IndexCreated:
		return *p
	case *eventlog.IndexDropped:
		return *p
	case *eventlog.ViewCreated:
		return *p
	case *eventlog.ViewDropped:
		return *p
	}
	return e
}
