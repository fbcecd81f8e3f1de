package executor

import (
	"slices"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// INSERT … ON CONFLICT. Before each proposed row is inserted, the arbiter indexes (the unique
// indexes the conflict target names, or all of them) are probed for a row holding the same
// key — in the transaction's state as it is now, so a row the same statement inserted a moment
// ago counts. No holder: the row is inserted. A holder: DO NOTHING skips the row; DO UPDATE
// computes the SET list over the holder and the proposed row (EXCLUDED) and updates the holder
// if the WHERE condition holds. A row the statement already inserted or updated cannot be
// updated again (21000), as in PostgreSQL.
//
// The probe and the write happen on the transaction's private state. If another transaction
// commits a row with the same key before this one, storage.Prepare re-applies the insert and
// fails with 23505; if it changes or deletes the holder this transaction updated, Prepare's
// first-updater-wins check fails with 40001. Either way the upsert fails rather than losing the
// other's row (autocommitted statements run under the commit lock and never race).

// upsert is a planned ON CONFLICT clause.
type upsert struct {
	arbiters []string // names of the unique indexes probed, in definition order
	update   bool
	sets     []assign // over [holder row…, proposed row…]
	where    *expr    // nil: always
	affected map[uint64]bool
}

// planUpsert resolves the conflict target and compiles DO UPDATE's SET and WHERE in a scope
// of the target table followed by EXCLUDED.
func (x *execution) planUpsert(oc *parser.OnConflict, target *unit) (*upsert, error) {
	def := target.base.def
	up := &upsert{update: oc.Update, affected: map[uint64]bool{}}
	var err error
	if up.arbiters, err = arbiters(def, oc); err != nil {
		return nil, err
	}
	if !oc.Update {
		return up, nil
	}
	cols := append([]column(nil), target.sc.cols...)
	for _, c := range def.Columns {
		cols = append(cols, column{table: "excluded", name: c.Name, typ: c.Type})
	}
	c := &compiler{x: x, sc: newScope(cols, nil, nil), clause: "ON CONFLICT DO UPDATE"}
	if up.sets, err = x.compileAssignments(def, oc.Set, c); err != nil {
		return nil, err
	}
	if oc.Where != nil {
		if hasAggregate(oc.Where) {
			return nil, errAt(oc.Where, schema.CodeGrouping, "aggregate functions are not allowed in WHERE")
		}
		if up.where, err = c.compileCond(oc.Where, "WHERE"); err != nil {
			return nil, err
		}
	}
	return up, nil
}

// arbiters finds the unique indexes a conflict target names: with ON CONSTRAINT, that
// constraint's index; with a column list, every unique index on exactly those columns (in any
// order), as PostgreSQL's inference does; with neither, every unique index.
func arbiters(def *schema.Table, oc *parser.OnConflict) ([]string, error) {
	var names []string
	switch {
	case oc.Constraint != "":
		i := def.Index(oc.Constraint)
		if i < 0 || !def.Indexes[i].Primary && !def.Indexes[i].Constraint {
			return nil, errAtPos(oc.At, schema.CodeUndefinedObject, "constraint %q for table %q does not exist", oc.Constraint, def.Name)
		}
		names = append(names, def.Indexes[i].Name)
	case len(oc.Columns) > 0:
		var want []uint32
		for _, name := range oc.Columns {
			pos := def.Column(name)
			if pos < 0 {
				return nil, errAtPos(oc.At, schema.CodeUndefinedColumn, "column %q does not exist", name)
			}
			want = append(want, def.Columns[pos].ID)
		}
		slices.Sort(want)
		want = slices.Compact(want)
		for _, ix := range def.Indexes {
			have := slices.Clone(ix.Columns)
			slices.Sort(have)
			if ix.Unique && slices.Equal(have, want) {
				names = append(names, ix.Name)
			}
		}
		if len(names) == 0 {
			return nil, errAtPos(oc.At, codeInvalidColumnRef,
				"there is no unique or exclusion constraint matching the ON CONFLICT specification")
		}
	default:
		for _, ix := range def.Indexes {
			if ix.Unique {
				names = append(names, ix.Name)
			}
		}
	}
	return names, nil
}

// insertRow writes one proposed row under the ON CONFLICT rules and returns the row written
// (nil when it was skipped).
func (up *upsert) insertRow(x *execution, def *schema.Table, row schema.Row) (schema.Row, error) {
	tx := x.env.Tx
	for _, name := range up.arbiters {
		id, holder, ok := tx.UniqueHolder(def.ID, name, row)
		if !ok {
			continue
		}
		if !up.update {
			return nil, nil
		}
		if up.affected[id] {
			return nil, schema.Errorf(schema.CodeCardinality, "ON CONFLICT DO UPDATE command cannot affect row a second time\n"+
				"HINT:  Ensure that no rows proposed for insertion within the same command have duplicate constrained values.")
		}
		both := append(holder.Clone(), row...)
		if up.where != nil {
			v, err := up.where.eval(both)
			if err != nil {
				return nil, err
			}
			if v.IsNull() || !v.Bool() {
				return nil, nil
			}
		}
		next := holder.Clone()
		for _, a := range up.sets {
			v, err := a.e.eval(both)
			if err != nil {
				return nil, err
			}
			next[a.pos] = v
		}
		if err := x.checkRow(def, next); err != nil {
			return nil, err
		}
		if err := tx.Update(def.ID, id, next); err != nil {
			return nil, err
		}
		up.affected[id] = true
		return next, nil
	}
	id, err := tx.Insert(def.ID, row)
	if err != nil {
		return nil, err
	}
	up.affected[id] = true
	return row, nil
}
