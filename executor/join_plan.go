package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// joinSpec is one join step for the planner: a planned driving side, and a unit to join to it
// with the conditions that concern it.
type joinSpec struct {
	kind     parser.JoinKind
	drive    operator
	driveSc  *scope
	driveSet unitSet
	probe    *unit
	probeSet unitSet
	swap     bool          // the probed unit is the left one (RIGHT JOIN)
	local    []parser.Expr // conditions on the probed unit alone: pushed into it
	terms    []term        // conditions on both sides (or on neither)
}

// equiKey is an equality between an expression of the driving side and one of the probed side.
type equiKey struct {
	cond            parser.Expr
	drive, probeAST parser.Expr
}

// join chooses the method of one join step: an index nested loop when the probed side is a
// table with an index its equalities can look up (never for FULL JOIN, which must see every
// probed row); else a hash join when there are equalities; else a nested loop.
func (p *planner) join(js joinSpec) (operator, error) {
	keys := equiKeys(js)
	var in operator
	var side probedSide
	var answered []parser.Expr // conditions the probe method enforces, left out of EXPLAIN's filter
	if js.probe.base != nil && js.kind != parser.FullJoin {
		binds, err := p.joinBindings(js, keys)
		if err != nil {
			return nil, err
		}
		scan, err := p.scanTable(js.probe, js.local, binds)
		if err != nil {
			return nil, err
		}
		if in = scan; scan.access.join {
			side, answered = &indexSide{scan: scan}, scan.access.conds
		}
	} else {
		var err error
		if in, err = js.probe.build(js.local); err != nil {
			return nil, err
		}
	}
	var keyText []parser.Expr
	if side == nil && len(keys) > 0 {
		h, err := p.hashSide(js, in, keys)
		if err != nil {
			return nil, err
		}
		side = h
		for _, k := range keys {
			keyText = append(keyText, k.cond)
		}
		answered = keyText
	} else if side == nil {
		side = &loopSide{x: p.x, in: in}
	}
	outSc := concatScope(js.driveSc, js.probe.sc)
	if js.swap {
		outSc = concatScope(js.probe.sc, js.driveSc)
	}
	var filters []parser.Expr
	for _, t := range js.terms {
		if !t.keyOnly {
			filters = append(filters, t.ast)
		}
	}
	cond, err := p.compileConds(outSc, filters)
	if err != nil {
		return nil, err
	}
	j := &joinOp{x: p.x, kind: js.kind, drive: js.drive, probe: side, swap: js.swap, cond: cond,
		driveWidth: len(js.driveSc.cols), probeWidth: len(js.probe.sc.cols), keyText: keyText}
	for _, t := range js.terms {
		if !containsExpr(answered, t.ast) && !t.keyOnly {
			j.condText = append(j.condText, t.ast)
		}
	}
	return j, nil
}

// equiKeys finds the terms of the form driving-expr = probed-expr.
func equiKeys(js joinSpec) []equiKey {
	var keys []equiKey
	for _, t := range js.terms {
		if t.eq == nil || t.left == 0 || t.right == 0 {
			continue
		}
		switch {
		case t.left&^js.driveSet == 0 && t.right&^js.probeSet == 0:
			keys = append(keys, equiKey{cond: t.ast, drive: t.eq.L, probeAST: t.eq.R})
		case t.right&^js.driveSet == 0 && t.left&^js.probeSet == 0:
			keys = append(keys, equiKey{cond: t.ast, drive: t.eq.R, probeAST: t.eq.L})
		}
	}
	return keys
}

// joinBindings turns equalities probed-column = driving-expr into bindings an index lookup
// can use, the driving expression compiled over the driving row.
func (p *planner) joinBindings(js joinSpec, keys []equiKey) ([]binding, error) {
	var binds []binding
	dc := p.compiler(js.driveSc, "JOIN conditions")
	for _, k := range keys {
		ref, ok := unparen(k.probeAST).(*parser.ColumnRef)
		if !ok {
			continue
		}
		pos, err := js.probe.sc.find(ref)
		if err != nil || pos < 0 {
			continue
		}
		e, err := dc.compile(k.drive)
		if err != nil {
			return nil, err
		}
		t := js.probe.sc.cols[pos].typ
		if e, err = coerce(e, baseType(t), k.drive); err != nil {
			return nil, err
		}
		if comparable(e.typ, t) && !(t.Kind == schema.KindNumeric && e.typ.Kind == schema.KindFloat) {
			binds = append(binds, binding{pos: pos, op: parser.OpEq, vals: []*expr{e}, cond: k.cond, join: true})
		}
	}
	return binds, nil
}

// hashSide compiles the two sides of each equality as hash keys, converting integers to
// floats where the sides differ so that equal numbers hash alike.
func (p *planner) hashSide(js joinSpec, in operator, keys []equiKey) (*hashSide, error) {
	h := &hashSide{x: p.x, in: in}
	dc, pc := p.compiler(js.driveSc, "JOIN conditions"), p.compiler(js.probe.sc, "JOIN conditions")
	for _, k := range keys {
		d, err := dc.compile(k.drive)
		if err != nil {
			return nil, err
		}
		pe, err := pc.compile(k.probeAST)
		if err != nil {
			return nil, err
		}
		if d, pe, err = unifyOperands(k.cond, d, pe); err != nil {
			return nil, err
		}
		if !comparable(d.typ, pe.typ) {
			return nil, errOperator(k.cond, "=", d.typ, pe.typ)
		}
		if d.typ.Kind != pe.typ.Kind {
			t := schema.Double
			if isExactNum(d.typ) && isExactNum(pe.typ) {
				t = schema.Numeric // integers meet numerics exactly
			}
			d, pe = castTo(d, t), castTo(pe, t)
		}
		h.driveKeys, h.keys = append(h.driveKeys, d), append(h.keys, pe)
	}
	return h, nil
}

// scanTable plans the scan of a table unit: its access path chosen from its own conditions
// and any join bindings, and its conditions as the filter.
func (p *planner) scanTable(u *unit, conds []parser.Expr, joinBinds []binding) (*scanOp, error) {
	filter, err := p.compileConds(u.sc, conds)
	if err != nil {
		return nil, err
	}
	acc := &access{kind: seqScan}
	if !p.x.env.NoIndexScans {
		binds := append(p.compiler(u.sc, "WHERE").localBindings(conds), joinBinds...)
		acc = chooseAccess(u.base, binds)
	}
	return &scanOp{x: p.x, bt: u.base, access: acc, filter: filter, conds: conds}, nil
}

// prepareOuterJoin makes a unit of a LEFT, RIGHT or FULL join.
func (p *planner) prepareOuterJoin(n *parser.JoinExpr) (*unit, error) {
	l, err := p.prepare(n.Left)
	if err != nil {
		return nil, err
	}
	r, err := p.prepare(n.Right)
	if err != nil {
		return nil, err
	}
	if hasAggregate(n.On) {
		return nil, errAt(n.On, schema.CodeGrouping, "aggregate functions are not allowed in JOIN conditions")
	}
	sc := concatScope(l.sc, r.sc)
	return &unit{sc: sc, build: func(conds []parser.Expr) (operator, error) {
		op, err := p.outerJoin(n, l, r, sc)
		if err != nil {
			return nil, err
		}
		return p.filtered(op, sc, conds)
	}}, nil
}

// outerJoin plans an outer join. The preserved side drives; ON terms that mention only the
// other side may be pushed into it (they only decide which of its rows can match), every
// other ON term decides matches on the joined row. FULL JOIN pushes nothing.
func (p *planner) outerJoin(n *parser.JoinExpr, l, r *unit, sc *scope) (operator, error) {
	terms, err := p.analyze(conjuncts(n.On), sc, []int{0, len(l.sc.cols)})
	if err != nil {
		return nil, err
	}
	js := joinSpec{kind: n.Kind, driveSc: l.sc, driveSet: only(0), probe: r, probeSet: only(1)}
	drive := l
	if n.Kind == parser.RightJoin {
		drive, js.driveSc, js.driveSet, js.probe, js.probeSet, js.swap = r, r.sc, only(1), l, only(0), true
	}
	for _, t := range terms {
		if n.Kind != parser.FullJoin && t.set == js.probeSet {
			js.local = append(js.local, t.ast)
		} else {
			js.terms = append(js.terms, t)
		}
	}
	if js.drive, err = drive.build(nil); err != nil {
		return nil, err
	}
	return p.join(js)
}

// containsExpr reports whether list holds the very node e.
func containsExpr(list []parser.Expr, e parser.Expr) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}
