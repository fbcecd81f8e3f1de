package schema

import "strings"

// Column is one column of a table. ID is unique within its table and never reused, so an index
// or a later schema version can refer to a column across renames and drops of other columns.
type Column struct {
	ID      uint32
	Name    string
	Type    Type
	NotNull bool
	// Default is the SQL text of the column's DEFAULT expression, "" when it has none; the
	// executor parses and evaluates it for each row that omits the column.
	Default string
	// Serial marks a SERIAL, SMALLSERIAL or BIGSERIAL column: a row that omits it gets one
	// more than the largest value the column has ever held (storage keeps that counter).
	Serial bool
}

// IndexMethod is how an index is organized.
type IndexMethod uint8

// The index methods. A B-tree answers equality and ranges in key order; a hash index answers
// equality only.
const (
	BTree IndexMethod = iota
	Hash
)

func (m IndexMethod) String() string {
	if m == Hash {
		return "hash"
	}
	return "btree"
}

// Index defines one index of a table. Columns holds column IDs, in key order.
type Index struct {
	Name    string
	Columns []uint32
	Unique  bool
	Method  IndexMethod
	// Primary marks the index that enforces the table's PRIMARY KEY; Constraint marks one
	// created by a UNIQUE column constraint. Both go away with their table or column.
	Primary    bool
	Constraint bool
}

// Check is a CHECK constraint. Expr is its condition as SQL text; Columns holds, for each
// column reference in Expr in the order a depth-first walk meets them, the ID of the column it
// means — so the condition survives renames: a reader re-points each reference at the
// column's current name before compiling or printing it.
type Check struct {
	Name    string
	Expr    string
	Columns []uint32
}

// RefAction is what a foreign key does when a referenced row is deleted or its key updated.
type RefAction uint8

// The referential actions. NoAction (the default) and Restrict both refuse the change while
// referencing rows exist; eventsql checks both at the end of the statement. Cascade deletes
// the referencing rows (or, on update, gives them the new key); SetNull sets their
// referencing columns to NULL.
const (
	NoAction RefAction = iota
	Restrict
	Cascade
	SetNull
)

func (a RefAction) String() string {
	switch a {
	case Restrict:
		return "RESTRICT"
	case Cascade:
		return "CASCADE"
	case SetNull:
		return "SET NULL"
	}
	return "NO ACTION"
}

// ForeignKey is a FOREIGN KEY constraint of the referencing (child) table: the values of
// Columns (column IDs of this table) must appear, unless one of them is NULL, as the values of
// RefColumns (column IDs of table RefTable, covered by a unique index there) in some row of
// RefTable. RefTable may be the table itself.
type ForeignKey struct {
	Name       string
	Columns    []uint32
	RefTable   uint64
	RefColumns []uint32
	OnDelete   RefAction
	OnUpdate   RefAction
}

// Table is one version of a table's definition. Tables are identified by ID, which never
// changes, so a rename is a new version of the same table. A table without a primary key
// orders and identifies its rows by the hidden row id alone.
type Table struct {
	ID      uint64
	Name    string
	Columns []Column
	Indexes []Index
	// NextColumnID is the ID the next added column gets.
	NextColumnID uint32
	// Checks and ForeignKeys are the table's CHECK and FOREIGN KEY constraints (its PRIMARY
	// KEY and UNIQUE constraints are Indexes).
	Checks      []Check
	ForeignKeys []ForeignKey
}

// Column returns the position of the column named name (case-insensitively), or -1.
func (t *Table) Column(name string) int {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return i
		}
	}
	return -1
}

// ColumnByID returns the position of the column with the given ID, or -1.
func (t *Table) ColumnByID(id uint32) int {
	for i := range t.Columns {
		if t.Columns[i].ID == id {
			return i
		}
	}
	return -1
}

// Index returns the position of the index named name (case-insensitively), or -1.
func (t *Table) Index(name string) int {
	for i := range t.Indexes {
		if strings.EqualFold(t.Indexes[i].Name, name) {
			return i
		}
	}
	return -1
}

// PrimaryKey returns the primary key index, or nil when the table has none.
func (t *Table) PrimaryKey() *Index {
	for i := range t.Indexes {
		if t.Indexes[i].Primary {
			return &t.Indexes[i]
		}
	}
	return nil
}

// KeyPositions returns the column positions of an index's columns in this table version.
func (t *Table) KeyPositions(ix *Index) []int {
	pos := make([]int, len(ix.Columns))
	for i, id := range ix.Columns {
		pos[i] = t.ColumnByID(id)
	}
	return pos
}

// Clone returns a deep copy of t, so a new version can be derived without touching the old.
func (t *Table) Clone() *Table {
	c := *t
	c.Columns = append([]Column(nil), t.Columns...)
	c.Indexes = make([]Index, len(t.Indexes))
	for i, ix := range t.Indexes {
		ix.Columns = append([]uint32(nil), ix.Columns...)
		c.Indexes[i] = ix
	}
	c.Checks = nil
	for _, ch := range t.Checks {
		ch.Columns = append([]uint32(nil), ch.Columns...)
		c.Checks = append(c.Checks, ch)
	}
	c.ForeignKeys = nil
	for _, fk := range t.ForeignKeys {
		fk.Columns = append([]uint32(nil), fk.Columns...)
		fk.RefColumns = append([]uint32(nil), fk.RefColumns...)
		c.ForeignKeys = append(c.ForeignKeys, fk)
	}
	return &c
}

// ConstraintName reports whether name is taken by one of the table's constraints or indexes.
func (t *Table) ConstraintName(name string) bool {
	if t.Index(name) >= 0 {
		return true
	}
	for _, c := range t.Checks {
		if strings.EqualFold(c.Name, name) {
			return true
		}
	}
	for _, fk := range t.ForeignKeys {
		if strings.EqualFold(fk.Name, name) {
			return true
		}
	}
	return false
}
