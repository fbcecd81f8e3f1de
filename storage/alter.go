package storage

import (
	"slices"
	"strings"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/index"
	"github.com/eventsql/eventsql/schema"
)

// alterTable applies a TableAltered event: a new catalog version, and for column changes a
// rewrite of every row (rows are stored in the column order of their table's current version).
func (s *State) alterTable(seq uint64, e eventlog.TableAltered) error {
	t, err := s.table(e.TableID, e)
	if err != nil {
		return err
	}
	def := t.def.Clone()
	switch e.Kind {
	case eventlog.ColumnAdded:
		err = addColumn(t, def, e)
	case eventlog.ColumnDropped:
		if p := def.ColumnByID(e.Column.ID); p >= 0 {
			err = s.checkDropColumn(t, e.Column.ID)
		}
		if err == nil {
			err = dropColumn(t, def, e)
		}
	case eventlog.ColumnRenamed:
		err = renameColumn(def, e)
	case eventlog.ConstraintAdded:
		err = s.addConstraint(t, def, e)
	case eventlog.ConstraintDropped:
		err = dropConstraint(def, e)
	case eventlog.TableRenamed:
		if !strings.EqualFold(def.Name, e.NewName) {
			err = s.checkRelationName(e.NewName)
		}
		def.Name = e.NewName
	default:
		err = internalError(ErrBadEvent, "storage: unknown alteration %d of table %q", e.Kind, def.Name)
	}
	if err != nil {
		return err
	}
	t.def = def
	s.catalog().Put(seq, def)
	return nil
}

// addColumn appends e.Column to def and e.Fill to every row. The column's ID was assigned by
// the writer (Tx.AddColumn) from the definition it saw; NextColumnID moves past it.
func addColumn(t *Table, def *schema.Table, e eventlog.TableAltered) error {
	if def.Column(e.Column.Name) >= 0 {
		return columnExists(def, e.Column.Name)
	}
	if e.Column.ID == 0 || def.ColumnByID(e.Column.ID) >= 0 {
		return internalError(ErrBadEvent, "storage: column id %d added to table %q is zero or in use",
			e.Column.ID, def.Name)
	}
	def.Columns = append(def.Columns, e.Column)
	def.NextColumnID = max(def.NextColumnID, e.Column.ID+1)
	mapRows(t, func(r schema.Row) schema.Row {
		return append(r[:len(r):len(r)], e.Fill)
	})
	return nil
}

// dropColumn removes the column from def and its value from every row, and drops every index
// that uses it, as PostgreSQL does (including a primary key or unique constraint on it).
func dropColumn(t *Table, def *schema.Table, e eventlog.TableAltered) error {
	p, err := findColumn(def, e.Column.ID, e.Column.Name)
	if err != nil {
		return err
	}
	id := def.Columns[p].ID
	def.Columns = append(def.Columns[:p], def.Columns[p+1:]...)
	var (
		keepDefs []schema.Index
		keepIdx  []index.Index
	)
	for i, ix := range def.Indexes {
		if !usesColumn(&ix, id) {
			keepDefs = append(keepDefs, ix)
			keepIdx = append(keepIdx, t.idx[i])
		}
	}
	def.Indexes, t.idx = keepDefs, keepIdx
	// CHECK and FOREIGN KEY constraints that read the column go with it, as in PostgreSQL.
	def.Checks = slices.DeleteFunc(def.Checks, func(c schema.Check) bool { return slices.Contains(c.Columns, id) })
	def.ForeignKeys = slices.DeleteFunc(def.ForeignKeys, func(fk schema.ForeignKey) bool { return slices.Contains(fk.Columns, id) })
	mapRows(t, func(r schema.Row) schema.Row {
		n := make(schema.Row, 0, len(r)-1)
		return append(append(n, r[:p]...), r[p+1:]...)
	})
	return nil
}

func renameColumn(def *schema.Table, e eventlog.TableAltered) error {
	p, err := findColumn(def, e.Column.ID, e.OldName)
	if err != nil {
		return err
	}
	if q := def.Column(e.NewName); q >= 0 && q != p {
		return columnExists(def, e.NewName)
	}
	def.Columns[p].Name = e.NewName
	return nil
}

// findColumn finds a column by ID, or by name when the event carries no ID.
func findColumn(def *schema.Table, id uint32, name string) (int, error) {
	p := -1
	if id != 0 {
		p = def.ColumnByID(id)
	} else {
		p = def.Column(name)
	}
	if p < 0 {
		return -1, internalError(ErrBadEvent, "storage: table %q has no column %q (id %d)", def.Name, name, id)
	}
	return p, nil
}

func usesColumn(ix *schema.Index, id uint32) bool {
	for _, c := range ix.Columns {
		if c == id {
			return true
		}
	}
	return false
}

func columnExists(def *schema.Table, name string) error {
	return existsError(schema.CodeDuplicateColumn, "column %q of relation %q already exists", name, def.Name)
}
