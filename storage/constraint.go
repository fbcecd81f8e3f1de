package storage

import (
	"slices"
	"strings"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// AddCheck adds a CHECK constraint to a table. The executor has already evaluated it on every
// row the transaction sees; storage cannot evaluate SQL, so the transaction also records that
// it read the whole table, and Prepare fails with 40001 if a row of it was written by a commit
// since the transaction began (that row was never checked). 42710 if the name is taken.
func (tx *Tx) AddCheck(tableID uint64, ch schema.Check) error {
	if err := tx.alter(tableID, eventlog.TableAltered{TableID: tableID, Kind: eventlog.ConstraintAdded, Check: &ch}); err != nil {
		return err
	}
	tx.validated[tableID] = true
	return nil
}

// AddForeignKey adds a FOREIGN KEY constraint to a table; applying it checks every existing
// row (23503), so a concurrent commit cannot slip a violating row past it. 42710 if the name
// is taken.
func (tx *Tx) AddForeignKey(tableID uint64, fk schema.ForeignKey) error {
	return tx.alter(tableID, eventlog.TableAltered{TableID: tableID, Kind: eventlog.ConstraintAdded, ForeignKey: &fk})
}

// DropConstraint drops the CHECK or FOREIGN KEY constraint named name from a table.
func (tx *Tx) DropConstraint(tableID uint64, name string) error {
	return tx.alter(tableID, eventlog.TableAltered{TableID: tableID, Kind: eventlog.ConstraintDropped, OldName: name})
}

// addConstraint applies ConstraintAdded to def, the new version of t's definition.
func (s *State) addConstraint(t *Table, def *schema.Table, e eventlog.TableAltered) error {
	name := ""
	var cols []uint32
	switch {
	case e.Check != nil:
		name, cols = e.Check.Name, e.Check.Columns
	case e.ForeignKey != nil:
		name, cols = e.ForeignKey.Name, e.ForeignKey.Columns
	default:
		return internalError(ErrBadEvent, "storage: ConstraintAdded on %q adds nothing", def.Name)
	}
	if def.ConstraintName(name) {
		return &schema.Error{Code: schema.CodeDuplicateObject, Err: ErrExists,
			Message: "constraint \"" + name + "\" for relation \"" + def.Name + "\" already exists"}
	}
	for _, id := range cols {
		if def.ColumnByID(id) < 0 {
			return internalError(ErrBadEvent, "storage: constraint %q names column id %d, which table %q does not have", name, id, def.Name)
		}
	}
	if e.Check != nil {
		def.Checks = append(def.Checks, *e.Check)
		return nil
	}
	def.ForeignKeys = append(def.ForeignKeys, *e.ForeignKey)
	if err := s.checkForeignKeyDefs(def); err != nil {
		return err
	}
	fk := &def.ForeignKeys[len(def.ForeignKeys)-1]
	probe := &Table{def: def, rows: t.rows, idx: t.idx}
	var err error
	t.Scan(func(_ uint64, row schema.Row) bool {
		err = s.checkParent(probe, fk, row)
		return err == nil
	})
	return err
}

// dropConstraint applies ConstraintDropped to def.
func dropConstraint(def *schema.Table, e eventlog.TableAltered) error {
	n := len(def.Checks) + len(def.ForeignKeys)
	def.Checks = slices.DeleteFunc(def.Checks, func(c schema.Check) bool { return strings.EqualFold(c.Name, e.OldName) })
	def.ForeignKeys = slices.DeleteFunc(def.ForeignKeys, func(fk schema.ForeignKey) bool { return strings.EqualFold(fk.Name, e.OldName) })
	if len(def.Checks)+len(def.ForeignKeys) == n {
		return internalError(ErrBadEvent, "storage: table %q has no constraint %q", def.Name, e.OldName)
	}
	return nil
}

// checkDropIndex refuses to drop the unique index a foreign key relies on.
func (s *State) checkDropIndex(t *Table, ix *schema.Index) error {
	if !ix.Unique {
		return nil
	}
	var err error
	check := func(child *Table, fk *schema.ForeignKey) bool {
		if slices.Equal(fk.RefColumns, ix.Columns) {
			err = dependentError("cannot drop constraint %s on table %s because other objects depend on it\n"+
				"DETAIL:  constraint %s on table %s depends on index %s", ix.Name, t.def.Name, fk.Name, child.def.Name, ix.Name)
		}
		return err == nil
	}
	s.referencing(t.def.ID, check)
	for i := range t.def.ForeignKeys {
		if fk := &t.def.ForeignKeys[i]; err == nil && fk.RefTable == t.def.ID {
			check(t, fk)
		}
	}
	return err
}

// checkValidated fails with 40001 if a row of a table the transaction validated as a whole
// (AddCheck) was written by a commit after the transaction began.
func (st *Store) checkValidated(tx *Tx, cur *State) error {
	for _, id := range sortedKeys(tx.validated) {
		t, ok := cur.TableByID(id)
		if !ok {
			continue
		}
		var err error
		t.rows.Ascend(func(it rowItem) bool {
			if it.version > tx.base.Seq() {
				err = conflictError("row %d of table %q written at seq %d was not checked by the new constraint", it.id, t.def.Name, it.version)
			}
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
