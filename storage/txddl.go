package storage

import (
	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// CreateTable creates a table from def and returns the definition as stored (shared: treat it
// as read-only). It assigns the table a fresh ID and its columns the IDs 1..n in column order
// (any IDs in def are replaced), with NextColumnID n+1 — so the indexes in def.Indexes (the
// primary key and UNIQUE constraints, built by the executor) must name column i as ID i+1.
// A foreign key with RefTable 0 references the new table itself. It fails with 42P07 if the
// table's or an index's name is taken.
func (tx *Tx) CreateTable(def schema.Table) (*schema.Table, error) {
	d := def.Clone()
	d.ID = tx.st.tableIDs.Add(1)
	for i := range d.Columns {
		d.Columns[i].ID = uint32(i + 1)
	}
	d.NextColumnID = uint32(len(d.Columns) + 1)
	for i := range d.ForeignKeys {
		if d.ForeignKeys[i].RefTable == 0 { // a self-reference: the ID is assigned just now
			d.ForeignKeys[i].RefTable = d.ID
		}
	}
	if err := tx.apply(eventlog.TableCreated{Table: *d}); err != nil {
		return nil, err
	}
	tx.altered[d.ID] = true
	t, _ := tx.cur.TableByID(d.ID)
	return t.Def(), nil
}

// DropTable drops a table with its rows and indexes.
func (tx *Tx) DropTable(tableID uint64) error {
	t, err := tx.tableDef(tableID)
	if err != nil {
		return err
	}
	return tx.alter(tableID, eventlog.TableDropped{TableID: tableID, Name: t.def.Name})
}

// AddColumn adds col (given the table's next column ID) at the end of the table; existing rows
// get fill (the DEFAULT evaluated once by the executor, or NULL). 42701 if the name is taken.
func (tx *Tx) AddColumn(tableID uint64, col schema.Column, fill schema.Value) error {
	t, err := tx.tableDef(tableID)
	if err != nil {
		return err
	}
	col.ID = t.def.NextColumnID
	return tx.alter(tableID, eventlog.TableAltered{TableID: tableID, Kind: eventlog.ColumnAdded,
		Column: col, NewName: col.Name, Fill: fill})
}

// DropColumn drops the named column, its values, and every index that uses it.
func (tx *Tx) DropColumn(tableID uint64, name string) error {
	t, err := tx.tableDef(tableID)
	if err != nil {
		return err
	}
	p, err := findColumn(t.def, 0, name)
	if err != nil {
		return err
	}
	return tx.alter(tableID, eventlog.TableAltered{TableID: tableID, Kind: eventlog.ColumnDropped,
		Column: t.def.Columns[p], OldName: t.def.Columns[p].Name})
}

// RenameColumn renames a column; 42701 if newName is taken.
func (tx *Tx) RenameColumn(tableID uint64, oldName, newName string) error {
	t, err := tx.tableDef(tableID)
	if err != nil {
		return err
	}
	p, err := findColumn(t.def, 0, oldName)
	if err != nil {
		return err
	}
	col := t.def.Columns[p]
	col.Name = newName
	return tx.alter(tableID, eventlog.TableAltered{TableID: tableID, Kind: eventlog.ColumnRenamed,
		Column: col, OldName: t.def.Columns[p].Name, NewName: newName})
}

// RenameTable renames a table; 42P07 if newName is taken by a table or index.
func (tx *Tx) RenameTable(tableID uint64, newName string) error {
	t, err := tx.tableDef(tableID)
	if err != nil {
		return err
	}
	return tx.alter(tableID, eventlog.TableAltered{TableID: tableID, Kind: eventlog.TableRenamed,
		OldName: t.def.Name, NewName: newName})
}

// CreateIndex creates and builds an index; 23505 if it is unique and existing rows collide,
// 42P07 if its name is taken. ix.Columns holds column IDs.
func (tx *Tx) CreateIndex(tableID uint64, ix schema.Index) error {
	return tx.alter(tableID, eventlog.IndexCreated{TableID: tableID, Index: ix})
}

// DropIndex drops the named index of a table; 42704 if the table has no such index.
func (tx *Tx) DropIndex(tableID uint64, name string) error {
	return tx.alter(tableID, eventlog.IndexDropped{TableID: tableID, Name: name})
}

// alter applies a definition change and remembers the table for Prepare's conflict check.
func (tx *Tx) alter(tableID uint64, e eventlog.Event) error {
	if err := tx.apply(e); err != nil {
		return err
	}
	tx.altered[tableID] = true
	return nil
}
