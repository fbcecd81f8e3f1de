package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// UPDATE and DELETE run in two phases: first every target row and its new contents are
// computed from the statement's snapshot, then the writes are made. A row is thus never
// visited twice (an update that moves a row forward in an index cannot meet it again), and
// every SET expression sees the old values, as SQL requires.

// updatePlan is a planned UPDATE.
type updatePlan struct {
	scan *scanOp
	sets []assign
	ret  *returning
}

type assign struct {
	pos int
	e   *expr
}

func (x *execution) update(s *parser.UpdateStmt) (*Result, error) {
	w, err := x.planUpdate(s)
	if err != nil {
		return nil, err
	}
	type change struct {
		id  uint64
		row schema.Row
	}
	var changes []change
	def := w.scan.bt.def
	err = w.scan.rows(func(id uint64, old schema.Row) error {
		row := old.Clone()
		for _, a := range w.sets {
			v, err := a.e.eval(old)
			if err != nil {
				return err
			}
			row[a.pos] = v
		}
		if err := x.checkRow(def, row); err != nil {
			return err
		}
		changes = append(changes, change{id, row})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		if err := x.checkCancel(); err != nil {
			return nil, err
		}
		if err := x.env.Tx.Update(def.ID, c.id, c.row); err != nil {
			return nil, err
		}
		if err := w.ret.add(c.row); err != nil {
			return nil, err
		}
	}
	return w.ret.result("UPDATE", int64(len(changes))), nil
}

// planUpdate resolves the SET list and plans the scan that finds the target rows.
func (x *execution) planUpdate(s *parser.UpdateStmt) (*updatePlan, error) {
	u, err := x.targetUnit(s.Table, s.Alias, s)
	if err != nil {
		return nil, err
	}
	def := u.base.def
	c := &compiler{x: x, sc: u.sc, clause: "UPDATE"}
	w := &updatePlan{}
	if w.sets, err = x.compileAssignments(def, s.Set, c); err != nil {
		return nil, err
	}
	if w.scan, err = x.targetScan(u, s.Where); err != nil {
		return nil, err
	}
	if w.ret, err = x.planReturning(s.Returning, u.sc); err != nil {
		return nil, err
	}
	return w, nil
}

// compileAssignments compiles the SET list of an UPDATE or of ON CONFLICT DO UPDATE with c,
// each value converted to its column's type.
func (x *execution) compileAssignments(def *schema.Table, sets []parser.Assignment, c *compiler) ([]assign, error) {
	var out []assign
	seen := map[int]bool{}
	for _, set := range sets {
		pos := def.Column(set.Column)
		if pos < 0 {
			return nil, errAtPos(set.At, schema.CodeUndefinedColumn, "column %q of relation %q does not exist", set.Column, def.Name)
		}
		if seen[pos] {
			return nil, errAtPos(set.At, schema.CodeSyntax, "multiple assignments to same column %q", set.Column)
		}
		seen[pos] = true
		col := def.Columns[pos]
		var e *expr
		var err error
		if _, ok := set.Value.(*parser.DefaultExpr); ok {
			e = constant(schema.Null, col.Type, col.Name)
			if col.Default != "" {
				e, err = x.compileDefault(col)
			}
		} else if hasAggregate(set.Value) {
			err = errAt(set.Value, schema.CodeGrouping, "aggregate functions are not allowed in %s", c.clause)
		} else if e, err = c.compile(set.Value); err == nil {
			e, err = assignment(e, col, set.Value)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, assign{pos: pos, e: e})
	}
	return out, nil
}

func (x *execution) delete(s *parser.DeleteStmt) (*Result, error) {
	scan, ret, err := x.planDelete(s)
	if err != nil {
		return nil, err
	}
	var ids []uint64
	var olds []schema.Row
	if err := scan.rows(func(id uint64, old schema.Row) error {
		ids = append(ids, id)
		olds = append(olds, old)
		return nil
	}); err != nil {
		return nil, err
	}
	for i, id := range ids {
		if err := x.checkCancel(); err != nil {
			return nil, err
		}
		if err := x.env.Tx.Delete(scan.bt.def.ID, id); err != nil {
			return nil, err
		}
		if err := ret.add(olds[i]); err != nil {
			return nil, err
		}
	}
	return ret.result("DELETE", int64(len(ids))), nil
}

func (x *execution) planDelete(s *parser.DeleteStmt) (*scanOp, *returning, error) {
	u, err := x.targetUnit(s.Table, s.Alias, s)
	if err != nil {
		return nil, nil, err
	}
	scan, err := x.targetScan(u, s.Where)
	if err != nil {
		return nil, nil, err
	}
	ret, err := x.planReturning(s.Returning, u.sc)
	return scan, ret, err
}

// targetUnit binds the table an UPDATE or DELETE writes (always its current version).
func (x *execution) targetUnit(name, alias string, at parser.Node) (*unit, error) {
	bt, err := x.bindTable(&parser.TableName{At: at.Pos(), Name: name, Alias: alias})
	if err != nil {
		if verr := x.errViewWrite(name, at); verr != nil {
			return nil, verr
		}
		return nil, err
	}
	return &unit{sc: newScope(tableColumns(bt), nil, nil), base: bt}, nil
}

// targetScan plans the scan for the rows a WHERE clause selects, using the same access paths
// as a query.
func (x *execution) targetScan(u *unit, where parser.Expr) (*scanOp, error) {
	if hasAggregate(where) {
		return nil, errAt(where, schema.CodeGrouping, "aggregate functions are not allowed in WHERE")
	}
	return x.planner().scanTable(u, conjuncts(where), nil)
}
