package database

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eventsql/eventsql/executor"
	"github.com/eventsql/eventsql/schema"
)

// TableConstraints is what psql's \d lists under a table's columns and indexes, one line
// each, sorted by constraint name: its CHECK constraints ("t_qty_check" CHECK (qty > 0)), its
// foreign keys, and the foreign keys of other tables that reference it.
type TableConstraints struct {
	Checks, ForeignKeys, ReferencedBy []string
}

// Constraints describes the constraints of the current version of the named table; ok is
// false when there is no such table.
func (db *DB) Constraints(table string) (c TableConstraints, ok bool) {
	cat := db.store.Current().Catalog()
	t, ok := cat.Lookup(table)
	if !ok {
		return c, false
	}
	for _, ch := range t.Checks {
		text, err := executor.CheckText(t, ch)
		if err != nil {
			text = ch.Expr
		}
		c.Checks = append(c.Checks, fmt.Sprintf("%q CHECK (%s)", ch.Name, text))
	}
	tables := map[uint64]*schema.Table{}
	for _, other := range cat.Tables() {
		tables[other.ID] = other
	}
	for i := range t.ForeignKeys {
		c.ForeignKeys = append(c.ForeignKeys, fmt.Sprintf("%q %s", t.ForeignKeys[i].Name, fkText(t, &t.ForeignKeys[i], tables)))
	}
	for _, other := range cat.Tables() {
		for i := range other.ForeignKeys {
			if fk := &other.ForeignKeys[i]; fk.RefTable == t.ID {
				c.ReferencedBy = append(c.ReferencedBy, fmt.Sprintf("TABLE %q CONSTRAINT %q %s", other.Name, fk.Name, fkText(other, fk, tables)))
			}
		}
	}
	sort.Strings(c.Checks)
	sort.Strings(c.ForeignKeys)
	sort.Strings(c.ReferencedBy)
	return c, true
}

// fkText is a foreign key as PostgreSQL prints it: FOREIGN KEY (a) REFERENCES p(id).
func fkText(t *schema.Table, fk *schema.ForeignKey, tables map[uint64]*schema.Table) string {
	ref := tables[fk.RefTable]
	if ref == nil {
		ref = &schema.Table{Name: "?"}
	}
	s := fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s(%s)", columnNames(t, fk.Columns), ref.Name, columnNames(ref, fk.RefColumns))
	if fk.OnUpdate != schema.NoAction {
		s += " ON UPDATE " + fk.OnUpdate.String()
	}
	if fk.OnDelete != schema.NoAction {
		s += " ON DELETE " + fk.OnDelete.String()
	}
	return s
}

func columnNames(t *schema.Table, ids []uint32) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		if p := t.ColumnByID(id); p >= 0 {
			names[i] = t.Columns[p].Name
		}
	}
	return strings.Join(names, ", ")
}
