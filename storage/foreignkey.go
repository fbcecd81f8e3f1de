package storage

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// Foreign keys. A definition is checked when its TableCreated event is applied (the referenced
// table exists and has a unique index on exactly the referenced columns), and a referenced
// table or column cannot be dropped (2BP01). Rows are checked by CheckForeignKeys after a
// group of row events — the executor calls it at the end of each statement, and Store.Prepare
// again on the merged state when other transactions committed in between — so a statement may
// pass through an inconsistent state (delete a parent and its child in either order) as long
// as it ends consistent: PostgreSQL's NO ACTION.

// checkForeignKeyDefs validates the foreign keys of a table about to be created.
func (s *State) checkForeignKeyDefs(def *schema.Table) error {
	for _, fk := range def.ForeignKeys {
		ref := def
		if fk.RefTable != def.ID {
			t, ok := s.tables[fk.RefTable]
			if !ok {
				// The executor saw the table; a transaction that committed meanwhile dropped it.
				return conflictError("table %d referenced by %q was dropped", fk.RefTable, fk.Name)
			}
			ref = t.def
		}
		if len(fk.Columns) == 0 || len(fk.Columns) != len(fk.RefColumns) {
			return internalError(ErrBadEvent, "storage: foreign key %q has %d columns referencing %d",
				fk.Name, len(fk.Columns), len(fk.RefColumns))
		}
		for _, id := range fk.Columns {
			if def.ColumnByID(id) < 0 {
				return internalError(ErrBadEvent, "storage: foreign key %q names column id %d, which table %q does not have", fk.Name, id, def.Name)
			}
		}
		if refIndex(ref, fk.RefColumns) < 0 {
			return internalError(ErrBadEvent, "storage: no unique index of %q matches foreign key %q", ref.Name, fk.Name)
		}
	}
	return nil
}

// refIndex returns the position of a unique index of def on exactly the columns cols, in
// that order, or -1.
func refIndex(def *schema.Table, cols []uint32) int {
	for i := range def.Indexes {
		if def.Indexes[i].Unique && slices.Equal(def.Indexes[i].Columns, cols) {
			return i
		}
	}
	return -1
}

// referencing calls fn for every foreign key of another live table that references table id.
func (s *State) referencing(id uint64, fn func(child *Table, fk *schema.ForeignKey) bool) {
	for _, cid := range sortedKeys(s.tables) {
		t := s.tables[cid]
		if cid == id {
			continue
		}
		for i := range t.def.ForeignKeys {
			if t.def.ForeignKeys[i].RefTable == id && !fn(t, &t.def.ForeignKeys[i]) {
				return
			}
		}
	}
}

// checkDropTable refuses to drop a table that another table's foreign key references.
func (s *State) checkDropTable(t *Table) error {
	var err error
	s.referencing(t.def.ID, func(child *Table, fk *schema.ForeignKey) bool {
		err = dependentError("cannot drop table %s because other objects depend on it\n"+
			"DETAIL:  constraint %s on table %s depends on table %s", t.def.Name, fk.Name, child.def.Name, t.def.Name)
		return false
	})
	return err
}

// checkDropColumn refuses to drop a column that a foreign key of another table references.
func (s *State) checkDropColumn(t *Table, col uint32) error {
	var err error
	name := t.def.Columns[t.def.ColumnByID(col)].Name
	s.referencing(t.def.ID, func(child *Table, fk *schema.ForeignKey) bool {
		if slices.Contains(fk.RefColumns, col) {
			err = dependentError("cannot drop column %s of table %s because other objects depend on it\n"+
				"DETAIL:  constraint %s on table %s depends on column %s of table %s", name, t.def.Name, fk.Name, child.def.Name, name, t.def.Name)
		}
		return err == nil
	})
	if err != nil {
		return err
	}
	for _, fk := range t.def.ForeignKeys { // a self-reference
		if fk.RefTable == t.def.ID && slices.Contains(fk.RefColumns, col) && !slices.Contains(fk.Columns, col) {
			return dependentError("cannot drop column %s of table %s because other objects depend on it", name, t.def.Name)
		}
	}
	return nil
}

func dependentError(format string, args ...any) *schema.Error {
	return &schema.Error{Code: schema.CodeDependentObjects, Message: fmt.Sprintf(format, args...)}
}

// CheckForeignKeys checks that the rows events wrote and removed leave every foreign key
// satisfied in s: each row still present that an event inserted or updated into a table with
// foreign keys has its parents (23503 "insert or update on table …"), and no row references a
// key that an event deleted or updated away from a parent table (23503 "update or delete on
// table …"). Rows with a NULL in their foreign key columns reference nothing. Other events
// are ignored. It reads s only.
func (s *State) CheckForeignKeys(events []eventlog.Event) error {
	type removed struct {
		parent *Table
		keys   map[string]schema.Row // key of the referenced columns → an old parent row
	}
	children := map[uint64]map[uint64]bool{} // table → rows written
	gone := map[uint64]*removed{}            // parent table → keys that may have disappeared
	drop := func(tableID uint64, row schema.Row) {
		t, ok := s.tables[tableID]
		if !ok {
			return
		}
		r := gone[tableID]
		if r == nil {
			r = &removed{parent: t, keys: map[string]schema.Row{}}
			gone[tableID] = r
		}
		r.keys[string(schema.AppendRow(nil, row))] = row
	}
	// Most tables take part in no foreign key: skip their events without bookkeeping.
	relevant := map[uint64]bool{}
	for id, t := range s.tables {
		for _, fk := range t.def.ForeignKeys {
			relevant[id], relevant[fk.RefTable] = true, true
		}
	}
	if len(relevant) == 0 {
		return nil
	}
	for _, e := range events {
		switch e := deref(e).(type) {
		case eventlog.RowInserted:
			if !relevant[e.TableID] {
				continue
			}
			if children[e.TableID] == nil {
				children[e.TableID] = map[uint64]bool{}
			}
			children[e.TableID][e.RowID] = true
		case eventlog.RowUpdated:
			if !relevant[e.TableID] {
				continue
			}
			if children[e.TableID] == nil {
				children[e.TableID] = map[uint64]bool{}
			}
			children[e.TableID][e.RowID] = true
			drop(e.TableID, e.Before)
		case eventlog.RowDeleted:
			if relevant[e.TableID] {
				drop(e.TableID, e.Row)
			}
		}
	}
	for _, tid := range sortedKeys(children) {
		t, ok := s.tables[tid]
		if !ok || len(t.def.ForeignKeys) == 0 {
			continue
		}
		for _, rid := range sortedKeys(children[tid]) {
			row, ok := t.Get(rid)
			if !ok {
				continue
			}
			for i := range t.def.ForeignKeys {
				if err := s.checkParent(t, &t.def.ForeignKeys[i], row); err != nil {
					return err
				}
			}
		}
	}
	for _, pid := range sortedKeys(gone) {
		r := gone[pid]
		var err error
		check := func(child *Table, fk *schema.ForeignKey) bool {
			err = s.checkChildren(r.parent, child, fk, r.keys)
			return err == nil
		}
		s.referencing(pid, check)
		for i := range r.parent.def.ForeignKeys { // self-references
			if fk := &r.parent.def.ForeignKeys[i]; err == nil && fk.RefTable == pid {
				check(r.parent, fk)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkParent checks that row of child t has a parent under fk.
func (s *State) checkParent(t *Table, fk *schema.ForeignKey, row schema.Row) error {
	var vals []schema.Value
	for _, id := range fk.Columns {
		v := row[t.def.ColumnByID(id)]
		if v.IsNull() {
			return nil
		}
		vals = append(vals, v)
	}
	parent, ok := s.tables[fk.RefTable]
	if ok {
		if i := refIndex(parent.def, fk.RefColumns); i >= 0 {
			found := false
			parent.idx[i].Lookup(schema.Key(vals...), func(uint64) bool { found = true; return false })
			if found {
				return nil
			}
		}
	}
	pname := fmt.Sprint(fk.RefTable)
	if ok {
		pname = parent.def.Name
	}
	return &schema.Error{Code: schema.CodeForeignKey, Message: fmt.Sprintf(
		"insert or update on table %q violates foreign key constraint %q\nDETAIL:  Key %s is not present in table %q.",
		t.def.Name, fk.Name, fkDetail(t.def, fk.Columns, vals), pname)}
}

// checkChildren fails if a row of child references, through fk, one of the keys (encoded rows
// of parent) that no row of parent holds any more.
func (s *State) checkChildren(parent, child *Table, fk *schema.ForeignKey, keys map[string]schema.Row) error {
	i := refIndex(parent.def, fk.RefColumns)
	if i < 0 {
		return nil
	}
	missing := map[string][]schema.Value{} // index key → values
	for _, enc := range sortedKeys(keys) {
		old := keys[enc]
		var vals []schema.Value
		for _, id := range fk.RefColumns {
			vals = append(vals, old[parent.def.ColumnByID(id)])
		}
		k, hasNull := parent.key(i, old)
		if hasNull {
			continue
		}
		still := false
		parent.idx[i].Lookup(k, func(uint64) bool { still = true; return false })
		if !still {
			missing[k] = vals
		}
	}
	if len(missing) == 0 {
		return nil
	}
	pos := make([]int, len(fk.Columns))
	for j, id := range fk.Columns {
		pos[j] = child.def.ColumnByID(id)
	}
	var err error
	fail := func(vals []schema.Value) {
		err = &schema.Error{Code: schema.CodeForeignKey, Message: fmt.Sprintf(
			"update or delete on table %q violates foreign key constraint %q on table %q\nDETAIL:  Key %s is still referenced from table %q.",
			parent.def.Name, fk.Name, child.def.Name, fkDetail(parent.def, fk.RefColumns, vals), child.def.Name)}
	}
	if j := slices.IndexFunc(child.def.Indexes, func(ix schema.Index) bool { return slices.Equal(ix.Columns, fk.Columns) }); j >= 0 {
		// An index on exactly the referencing columns: one lookup per vanished key.
		for _, k := range sortedKeys(missing) {
			child.idx[j].Lookup(k, func(uint64) bool { fail(missing[k]); return false })
			if err != nil {
				return err
			}
		}
		return nil
	}
	child.Scan(func(_ uint64, row schema.Row) bool {
		var buf []byte
		for _, p := range pos {
			if row[p].IsNull() {
				return true
			}
			buf = schema.AppendKey(buf, row[p])
		}
		if vals, ok := missing[string(buf)]; ok {
			fail(vals)
			return false
		}
		return true
	})
	return err
}

// fkDetail formats key values as PostgreSQL's DETAIL does: (a, b)=(1, x).
func fkDetail(def *schema.Table, cols []uint32, vals []schema.Value) string {
	names := make([]string, len(cols))
	texts := make([]string, len(vals))
	for i, id := range cols {
		names[i] = def.Columns[def.ColumnByID(id)].Name
		texts[i] = vals[i].String()
	}
	return "(" + strings.Join(names, ", ") + ")=(" + strings.Join(texts, ", ") + ")"
}

func sortedKeys[K string | uint64, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
