package storage

import (
	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// rowRef names one row of one table.
type rowRef struct{ table, row uint64 }

// Tx is a transaction's private workspace: a copy-on-write clone of the state it began on (its
// base), the events it has produced, and what Store.Prepare needs to detect conflicts.
//
// Each write method builds an event, applies it to the private state with a provisional seq
// (base.Seq()+1+len(Events())), and records it only if Apply succeeded — so a failed statement
// leaves no trace, and later statements of the transaction see the earlier ones' writes.
// Nothing is visible to other transactions until Store.Prepare and Store.Publish.
//
// A Tx belongs to one session: it is not safe for concurrent use.
type Tx struct {
	st   *Store
	base *State
	// cur is the private state: nil until the first write. Once handed out by State it is
	// sealed and the next write continues on a fresh clone, so a reader of a State from this
	// Tx never sees it change (an UPDATE may scan one while it writes).
	cur     *State
	exposed bool
	events  []eventlog.Event

	// seen holds, for each base row the tx updated or deleted, its version in the base.
	seen map[rowRef]uint64
	// written holds the tables whose rows the tx wrote; altered those whose definitions it
	// created or changed.
	written, altered map[uint64]bool
	// depends holds the relations the tx's new views rely on (DependOn).
	depends map[uint64]bool
	// validated holds the tables whose every row the tx checked against a new CHECK.
	validated map[uint64]bool
	// serials holds, for each SERIAL column the tx drew values from (NextSerial), the last
	// value it handed out and the column's counter in the base state.
	serials map[serialRef]serialUse
}

type serialUse struct{ base, last int64 }

type serialRef struct {
	table uint64
	col   uint32
}

// NextSerial hands out the next value of SERIAL column col of a table: one more than the
// largest the column has held in the transaction's state or handed out by this transaction
// (a value handed out but never written is skipped, as a PostgreSQL sequence skips it). Two
// transactions drawing from one column at once would hand out the same values, so Prepare
// fails the later committer with 40001 if the column's counter moved since it began.
func (tx *Tx) NextSerial(tableID uint64, col uint32) int64 {
	serialMax := func(s *State) int64 {
		if t, ok := s.tables[tableID]; ok {
			return t.SerialMax(col)
		}
		return 0
	}
	s := tx.base
	if tx.cur != nil {
		s = tx.cur
	}
	ref := serialRef{tableID, col}
	if tx.serials == nil {
		tx.serials = map[serialRef]serialUse{}
	}
	use, ok := tx.serials[ref]
	if !ok {
		use.base = serialMax(tx.base)
	}
	use.last = max(serialMax(s), use.last) + 1
	tx.serials[ref] = use
	return use.last
}

// Begin starts a transaction on the current state.
func (st *Store) Begin() *Tx { return st.beginAt(st.Current()) }

// BeginLatest starts a transaction on Latest: what a statement that commits at once (an
// autocommit write, run under the commit lock) reads, so that it cannot conflict with
// commits still on their way to disk. Only the committer, holding the commit lock, may call it.
func (st *Store) BeginLatest() *Tx { return st.beginAt(st.Latest()) }

func (st *Store) beginAt(base *State) *Tx {
	return &Tx{st: st, base: base, seen: map[rowRef]uint64{},
		written: map[uint64]bool{}, altered: map[uint64]bool{}, validated: map[uint64]bool{}}
}

// State returns what the transaction reads: its base plus its own writes so far. The returned
// State does not change when the transaction writes again (so it may be scanned while the
// transaction writes); call State again to see new writes. The first write after State was
// called continues on a fresh clone, O(#tables): call State once per statement, not per row.
func (tx *Tx) State() *State {
	if tx.cur == nil {
		return tx.base
	}
	tx.exposed = true
	tx.cur.seal()
	return tx.cur
}

// Base returns the committed state the transaction began on.
func (tx *Tx) Base() *State { return tx.base }

// Events returns the events the transaction has produced, in order. Do not modify the slice.
func (tx *Tx) Events() []eventlog.Event { return tx.events }

// Empty reports whether the transaction has written nothing.
func (tx *Tx) Empty() bool { return len(tx.events) == 0 }

// apply applies e to the private state and records it if it succeeds.
func (tx *Tx) apply(e eventlog.Event) error {
	switch {
	case tx.cur == nil:
		tx.cur = tx.base.Clone()
	case tx.exposed:
		tx.cur = tx.cur.Clone()
		tx.exposed = false
	}
	if err := tx.cur.Apply(tx.base.Seq()+1+uint64(len(tx.events)), e); err != nil {
		return err
	}
	tx.events = append(tx.events, e)
	return nil
}

// reading returns the private state (or the base) without exposing it.
func (tx *Tx) reading() *State {
	if tx.cur == nil {
		return tx.base
	}
	return tx.cur
}

// tableDef returns the current definition of a live table as the tx sees it.
func (tx *Tx) tableDef(id uint64) (*Table, error) {
	t, ok := tx.reading().TableByID(id)
	if !ok {
		return nil, internalError(ErrNoTable, "storage: table id %d does not exist", id)
	}
	return t, nil
}

// Insert inserts row into table tableID under a fresh row id and returns the id. The row must
// have one value per column, already checked by the executor; Insert fails with 23505 if it
// duplicates a unique key.
func (tx *Tx) Insert(tableID uint64, row schema.Row) (uint64, error) {
	id := tx.st.rowIDs.Add(1)
	if err := tx.apply(eventlog.RowInserted{TableID: tableID, RowID: id, Row: row}); err != nil {
		return 0, err
	}
	tx.written[tableID] = true
	return id, nil
}

// Update replaces row rowID of table tableID by row. It fails with 23505 if the new row
// duplicates a unique key, and with an internal error (ErrNoRow) if the row does not exist.
func (tx *Tx) Update(tableID, rowID uint64, row schema.Row) error {
	t, err := tx.tableDef(tableID)
	if err != nil {
		return err
	}
	before, ok := t.Get(rowID)
	if !ok {
		return noRowError(t, rowID)
	}
	if err := tx.apply(eventlog.RowUpdated{TableID: tableID, RowID: rowID, Before: before, After: row}); err != nil {
		return err
	}
	tx.see(tableID, rowID)
	return nil
}

// Delete deletes row rowID of table tableID; an internal error (ErrNoRow) if it does not exist.
func (tx *Tx) Delete(tableID, rowID uint64) error {
	t, err := tx.tableDef(tableID)
	if err != nil {
		return err
	}
	before, ok := t.Get(rowID)
	if !ok {
		return noRowError(t, rowID)
	}
	if err := tx.apply(eventlog.RowDeleted{TableID: tableID, RowID: rowID, Row: before}); err != nil {
		return err
	}
	tx.see(tableID, rowID)
	return nil
}

// see records a written row: the version the base had, for Prepare's conflict check (rows the
// tx inserted itself are not in the base and cannot conflict).
func (tx *Tx) see(tableID, rowID uint64) {
	tx.written[tableID] = true
	ref := rowRef{tableID, rowID}
	if _, ok := tx.seen[ref]; ok {
		return
	}
	if t, ok := tx.base.TableByID(tableID); ok {
		if v := t.Version(rowID); v != 0 {
			tx.seen[ref] = v
		}
	}
}
