package executor

import (
	"slices"
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// checkForeignKeys finishes a writing statement: once all its rows are written, the CASCADE
// and SET NULL actions run (round after round, as the rows they change may be referenced in
// turn), and then every foreign key the statement's rows touch must hold (PostgreSQL's NO
// ACTION, checked at the end of the statement).
func (x *execution) checkForeignKeys(res *Result, err error) (*Result, error) {
	if err != nil {
		return nil, err
	}
	if err := x.cascade(); err != nil {
		return nil, err
	}
	if err := x.env.Tx.CheckForeignKeys(x.events); err != nil {
		return nil, err
	}
	return res, nil
}

// foreignKeyDef checks a FOREIGN KEY (or column REFERENCES) of a table (whose columns have
// their IDs) and returns it unnamed. A reference to the table itself gets RefTable 0, which
// storage replaces by the new table's ID.
func (x *execution) foreignKeyDef(def *schema.Table, c parser.TableConstraint) (schema.ForeignKey, error) {
	r := c.References
	var fk schema.ForeignKey
	actions := map[string]schema.RefAction{"": schema.NoAction, "NO ACTION": schema.NoAction,
		"RESTRICT": schema.Restrict, "CASCADE": schema.Cascade, "SET NULL": schema.SetNull}
	for _, a := range []struct {
		what, action string
		to           *schema.RefAction
	}{{"DELETE", r.OnDelete, &fk.OnDelete}, {"UPDATE", r.OnUpdate, &fk.OnUpdate}} {
		act, ok := actions[a.action]
		if !ok {
			return fk, errAtPos(c.At, schema.CodeFeatureUnsupported, "ON %s %s is not supported", a.what, a.action)
		}
		*a.to = act
	}
	ref := def
	fk.RefTable = def.ID // 0 for a table being created
	if !strings.EqualFold(r.Table, def.Name) {
		t, ok := x.read.Table(r.Table)
		if !ok {
			return fk, errAtPos(c.At, schema.CodeUndefinedTable, "relation %q does not exist", r.Table)
		}
		ref = t.Def()
		fk.RefTable = ref.ID
	}
	for _, name := range c.Columns {
		p := def.Column(name)
		if p < 0 {
			return fk, errAtPos(c.At, schema.CodeUndefinedColumn, "column %q referenced in foreign key constraint does not exist", name)
		}
		fk.Columns = append(fk.Columns, def.Columns[p].ID)
	}
	refCols := r.Columns
	if len(refCols) == 0 {
		pk := ref.PrimaryKey()
		if pk == nil {
			return fk, errAtPos(c.At, schema.CodeInvalidForeignKey, "there is no primary key for referenced table %q", ref.Name)
		}
		for _, p := range ref.KeyPositions(pk) {
			refCols = append(refCols, ref.Columns[p].Name)
		}
	}
	for _, name := range refCols {
		p := ref.Column(name)
		if p < 0 {
			return fk, errAtPos(c.At, schema.CodeUndefinedColumn, "column %q referenced in foreign key constraint does not exist", name)
		}
		fk.RefColumns = append(fk.RefColumns, ref.Columns[p].ID)
	}
	if len(fk.Columns) != len(fk.RefColumns) {
		return fk, errAtPos(c.At, schema.CodeInvalidForeignKey, "number of referencing and referenced columns for foreign key disagree")
	}
	if !matchKeyIndex(ref, &fk) {
		return fk, errAtPos(c.At, schema.CodeInvalidForeignKey, "there is no unique constraint matching given keys for referenced table %q", ref.Name)
	}
	for i := range fk.Columns {
		cc, rc := def.Columns[def.ColumnByID(fk.Columns[i])], ref.Columns[ref.ColumnByID(fk.RefColumns[i])]
		if !comparableKinds(cc.Type.Kind, rc.Type.Kind) {
			name := c.Name
			if name == "" {
				name = def.Name + "_" + strings.Join(c.Columns, "_") + "_fkey"
			}
			return fk, errAtPos(c.At, schema.CodeDatatypeMismatch,
				"foreign key constraint %q cannot be implemented\nDETAIL:  Key columns %q and %q are of incompatible types: %s and %s.",
				name, cc.Name, rc.Name, typeName(cc.Type), typeName(rc.Type))
		}
	}
	return fk, nil
}

// matchKeyIndex finds a unique index of ref on exactly the referenced columns, in any order,
// as PostgreSQL requires, and puts both column lists of fk in that index's order (pairs stay
// pairs) so that storage can probe the index with the referencing values.
func matchKeyIndex(ref *schema.Table, fk *schema.ForeignKey) bool {
	want := slices.Clone(fk.RefColumns)
	slices.Sort(want)
	if len(slices.Compact(want)) != len(fk.RefColumns) {
		return false
	}
	for _, ix := range ref.Indexes {
		have := slices.Clone(ix.Columns)
		slices.Sort(have)
		if !ix.Unique || !slices.Equal(have, want) {
			continue
		}
		cols := make([]uint32, len(ix.Columns))
		for i, id := range ix.Columns {
			cols[i] = fk.Columns[slices.Index(fk.RefColumns, id)]
		}
		fk.Columns, fk.RefColumns = cols, slices.Clone(ix.Columns)
		return true
	}
	return false
}

// comparableKinds reports whether values of the two kinds can be compared for equality, which
// a foreign key needs: the same kind, or two numbers.
func comparableKinds(a, b schema.Kind) bool {
	num := func(k schema.Kind) bool { return k == schema.KindInt || k == schema.KindFloat }
	return a == b || num(a) && num(b)
}

// dropOrder orders the tables of one DROP TABLE so that a table goes before the tables its
// foreign keys reference: DROP TABLE parent, child drops both, as in PostgreSQL. A table still
// referenced by a table outside the list is left to storage, which refuses it (2BP01).
func (x *execution) dropOrder(ids []uint64) []uint64 {
	left := slices.Clone(ids)
	var out []uint64
	referenced := func(id uint64) bool {
		for _, other := range left {
			if t, ok := x.read.TableByID(other); ok && other != id {
				for _, fk := range t.Def().ForeignKeys {
					if fk.RefTable == id {
						return true
					}
				}
			}
		}
		return false
	}
	for len(left) > 0 {
		i := slices.IndexFunc(left, func(id uint64) bool { return !referenced(id) })
		if i < 0 {
			return append(out, left...) // a cycle: storage will say which table is in the way
		}
		out = append(out, left[i])
		left = slices.Delete(left, i, i+1)
	}
	return out
}

// maxCascadeRounds bounds the rounds of referential actions, against ON UPDATE CASCADE
// cycles that would never settle.
const maxCascadeRounds = 10000

// cascade performs the writes that CASCADE and SET NULL foreign keys ask for.
func (x *execution) cascade() error {
	tx := x.env.Tx
	from := x.events
	for round := 0; ; round++ {
		to := len(tx.Events())
		writes := tx.Cascades(from)
		if len(writes) == 0 {
			return nil
		}
		if round == maxCascadeRounds {
			return schema.Errorf("54001", "referential actions did not settle after %d rounds", round)
		}
		for _, w := range writes {
			if err := x.checkCancel(); err != nil {
				return err
			}
			if w.Delete {
				if err := tx.Delete(w.Table, w.Row); err != nil {
					return err
				}
				continue
			}
			t, ok := x.read.TableByID(w.Table) // a DML statement changes no definition
			if !ok {
				return errInternal("referential action on a table that does not exist")
			}
			if err := x.checkRow(t.Def(), w.New); err != nil {
				return err
			}
			if err := tx.Update(w.Table, w.Row, w.New); err != nil {
				return err
			}
		}
		from = to
	}
}
