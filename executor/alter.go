package executor

import (
	"fmt"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// ALTER TABLE: add, drop or rename a column, or rename the table. Each is one event; existing
// rows are rewritten by storage when the event is applied (an added column gets its DEFAULT,
// computed once here, in every existing row).

func (x *execution) alterTable(s *parser.AlterTableStmt) (*Result, error) {
	done := &Result{Tag: "ALTER TABLE"}
	t, ok := x.read.Table(s.Table)
	if !ok {
		if _, ok := x.read.View(s.Table); ok {
			return nil, errAlterView(s)
		}
		return nil, errUndefinedTable(s, s.Table)
	}
	def := t.Def()
	tx := x.env.Tx
	switch {
	case s.AddConstraint != nil:
		return done, x.addConstraint(s, t)
	case s.DropConstraint != nil:
		return done, x.dropConstraint(s, def)
	case s.AddColumn != nil:
		return done, x.addColumn(s, def, t.Len())
	case s.Drop != nil:
		if def.Column(s.Drop.Name) < 0 {
			if s.Drop.IfExists {
				return done, nil
			}
			return nil, errAt(s, schema.CodeUndefinedColumn, "column %q of relation %q does not exist", s.Drop.Name, def.Name)
		}
		col := def.Columns[def.Column(s.Drop.Name)].Name
		what := fmt.Sprintf("column %s of table %s", col, def.Name)
		if err := x.dropDependents(x.graph(), def.ID, col, s.Drop.Cascade, map[uint64]bool{}, what, s); err != nil {
			return nil, err
		}
		return done, tx.DropColumn(def.ID, s.Drop.Name)
	case s.RenameCol != nil:
		if def.Column(s.RenameCol.Old) < 0 {
			return nil, errAt(s, schema.CodeUndefinedColumn, "column %q does not exist", s.RenameCol.Old)
		}
		if def.Column(s.RenameCol.New) >= 0 {
			return nil, errAt(s, schema.CodeDuplicateColumn, "column %q of relation %q already exists", s.RenameCol.New, def.Name)
		}
		col := def.Columns[def.Column(s.RenameCol.Old)].Name
		if err := x.refuseRename(def.ID, col, fmt.Sprintf("column %s of table %s", col, def.Name), s); err != nil {
			return nil, err
		}
		return done, tx.RenameColumn(def.ID, s.RenameCol.Old, s.RenameCol.New)
	case s.RenameTo != "":
		if x.relationExists(s.RenameTo) {
			return nil, errAt(s, schema.CodeDuplicateTable, "relation %q already exists", s.RenameTo)
		}
		if err := x.refuseRename(def.ID, "", "table "+def.Name, s); err != nil {
			return nil, err
		}
		return done, tx.RenameTable(def.ID, s.RenameTo)
	}
	return nil, errUnsupported(s, "this ALTER TABLE action")
}

// errAlterView is the error for ALTER TABLE on a view: PostgreSQL's for adding and dropping
// columns; renaming a view, which PostgreSQL allows, is not supported here.
func errAlterView(s *parser.AlterTableStmt) error {
	switch {
	case s.AddColumn != nil:
		return errAt(s, codeWrongObjectType, "ALTER action ADD COLUMN cannot be performed on relation %q", s.Table)
	case s.Drop != nil:
		return errAt(s, codeWrongObjectType, "ALTER action DROP COLUMN cannot be performed on relation %q", s.Table)
	}
	return errAt(s, schema.CodeFeatureUnsupported, "renaming view %q or its columns is not supported", s.Table)
}

// addColumn adds a column. Existing rows get the DEFAULT evaluated once (PostgreSQL
// evaluates a volatile default per row; ours are all stable within a statement), or NULL —
// which a NOT NULL column refuses when the table has rows.
func (x *execution) addColumn(s *parser.AlterTableStmt, def *schema.Table, rows int) error {
	cd := s.AddColumn.Column
	if def.Column(cd.Name) >= 0 {
		if s.AddColumn.IfNotExists {
			return nil
		}
		return errAtPos(cd.At, schema.CodeDuplicateColumn, "column %q of relation %q already exists", cd.Name, def.Name)
	}
	if len(cd.Constraints) > 0 {
		return errAtPos(cd.At, schema.CodeFeatureUnsupported, "ALTER TABLE ADD COLUMN with CHECK, REFERENCES or a named constraint is not supported")
	}
	if cd.PrimaryKey && def.PrimaryKey() != nil {
		return errAtPos(cd.At, "42P16", "multiple primary keys for table %q are not allowed", def.Name)
	}
	col, err := x.columnDef(cd)
	if err != nil {
		return err
	}
	if col.Serial {
		return errAtPos(cd.At, schema.CodeFeatureUnsupported, "adding a serial column to an existing table is not supported")
	}
	fill := schema.Null
	if cd.Default != nil {
		e, err := x.compileDefaultExpr(cd.Default, col)
		if err != nil {
			return err
		}
		if fill, err = e.eval(nil); err != nil {
			return err
		}
	}
	if col.NotNull && fill.IsNull() && rows > 0 {
		return errAtPos(cd.At, schema.CodeNotNull, "column %q of relation %q contains null values", col.Name, def.Name)
	}
	if err := x.env.Tx.AddColumn(def.ID, col, fill); err != nil {
		return err
	}
	if !cd.PrimaryKey && !cd.Unique {
		return nil
	}
	// The column's constraint index, built over the filled rows (a constant fill in two rows
	// of a UNIQUE column fails here with 23505, as in PostgreSQL).
	next := x.env.Tx.State()
	t, _ := next.TableByID(def.ID)
	ndef := t.Def()
	base := ndef.Name + "_" + col.Name + "_key"
	if cd.PrimaryKey {
		base = ndef.Name + "_pkey"
	}
	ix := schema.Index{Name: x.freeIndexName(ndef, base), Columns: []uint32{ndef.Columns[len(ndef.Columns)-1].ID},
		Unique: true, Primary: cd.PrimaryKey, Constraint: !cd.PrimaryKey}
	return x.env.Tx.CreateIndex(def.ID, ix)
}
