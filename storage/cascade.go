package storage

import (
	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// RefWrite is a write a referential action asks for: delete row Row of table Table (ON DELETE
// CASCADE), or replace it by New (ON UPDATE CASCADE, SET NULL).
type RefWrite struct {
	Table, Row uint64
	Delete     bool
	New        schema.Row
}

// Cascades returns the writes that the CASCADE and SET NULL foreign keys ask for after the
// transaction's events from position from on: for each key those events deleted or updated
// away from a referenced table (and that no row holds any more), every row referencing it
// through a foreign key whose action for that change is CASCADE or SET NULL. Writes come in
// table, then row order, one per row (a delete wins over updates; updates of one row merge).
// The caller performs them and asks again for the events they produced, until there are none.
func (tx *Tx) Cascades(from int) []RefWrite {
	if from >= len(tx.events) {
		return nil
	}
	return tx.reading().cascades(tx.events[from:])
}

// removedKey is a key that vanished from a parent: the old parent row and, for an update,
// the new one.
type removedKey struct {
	old, new schema.Row
}

func (s *State) cascades(events []eventlog.Event) []RefWrite {
	acting := func(a schema.RefAction) bool { return a == schema.Cascade || a == schema.SetNull }
	parents := map[uint64]bool{}
	for _, t := range s.tables {
		for _, fk := range t.def.ForeignKeys {
			if acting(fk.OnDelete) || acting(fk.OnUpdate) {
				parents[fk.RefTable] = true
			}
		}
	}
	if len(parents) == 0 {
		return nil
	}
	removed := map[uint64][]removedKey{}
	for _, e := range events {
		switch e := deref(e).(type) {
		case eventlog.RowDeleted:
			if parents[e.TableID] {
				removed[e.TableID] = append(removed[e.TableID], removedKey{old: e.Row})
			}
		case eventlog.RowUpdated:
			if parents[e.TableID] {
				removed[e.TableID] = append(removed[e.TableID], removedKey{old: e.Before, new: e.After})
			}
		}
	}
	writes := map[uint64]map[uint64]*RefWrite{}
	for _, pid := range sortedKeys(removed) {
		parent, ok := s.tables[pid]
		if !ok {
			continue
		}
		visit := func(child *Table, fk *schema.ForeignKey) bool {
			if acting(fk.OnDelete) || acting(fk.OnUpdate) {
				s.cascadeFK(parent, child, fk, removed[pid], writes)
			}
			return true
		}
		s.referencing(pid, visit)
		for i := range parent.def.ForeignKeys {
			if parent.def.ForeignKeys[i].RefTable == pid {
				visit(parent, &parent.def.ForeignKeys[i])
			}
		}
	}
	var out []RefWrite
	for _, tid := range sortedKeys(writes) {
		for _, rid := range sortedKeys(writes[tid]) {
			out = append(out, *writes[tid][rid])
		}
	}
	return out
}

// cascadeFK adds to writes what fk's actions ask of child for the vanished keys of parent.
func (s *State) cascadeFK(parent, child *Table, fk *schema.ForeignKey, keys []removedKey, writes map[uint64]map[uint64]*RefWrite) {
	i := refIndex(parent.def, fk.RefColumns)
	if i < 0 {
		return
	}
	gone := map[string]removedKey{}
	for _, k := range keys {
		key, hasNull := parent.key(i, k.old)
		if hasNull {
			continue
		}
		if k.new != nil {
			if nk, _ := parent.key(i, k.new); nk == key {
				continue // the update kept the key
			}
		}
		still := false
		parent.idx[i].Lookup(key, func(uint64) bool { still = true; return false })
		if !still {
			gone[key] = k
		}
	}
	if len(gone) == 0 {
		return
	}
	pos := make([]int, len(fk.Columns))
	for j, id := range fk.Columns {
		pos[j] = child.def.ColumnByID(id)
	}
	child.Scan(func(rid uint64, row schema.Row) bool {
		var buf []byte
		for _, p := range pos {
			if row[p].IsNull() {
				return true
			}
			buf = schema.AppendKey(buf, row[p])
		}
		k, ok := gone[string(buf)]
		if !ok {
			return true
		}
		action := fk.OnDelete
		if k.new != nil {
			action = fk.OnUpdate
		}
		if writes[child.def.ID] == nil {
			writes[child.def.ID] = map[uint64]*RefWrite{}
		}
		w := writes[child.def.ID][rid]
		if w == nil {
			w = &RefWrite{Table: child.def.ID, Row: rid, New: row.Clone()}
			writes[child.def.ID][rid] = w
		}
		switch action {
		case schema.Cascade:
			if k.new == nil {
				w.Delete, w.New = true, nil
			} else if !w.Delete {
				for j, id := range fk.RefColumns {
					w.New[pos[j]] = k.new[parent.def.ColumnByID(id)]
				}
			}
		case schema.SetNull:
			if !w.Delete {
				for _, p := range pos {
					w.New[p] = schema.Null
				}
			}
		default:
			if !w.Delete && rowsEqual(w.New, row) {
				delete(writes[child.def.ID], rid) // NO ACTION / RESTRICT: CheckForeignKeys decides
			}
		}
		return true
	})
}

func rowsEqual(a, b schema.Row) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
