package executor

import (
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Planning a FROM clause. Each item — a table, a subquery, an outer join — becomes a unit:
// its columns, known up front, and a build function that plans it once we know which
// conditions can be pushed into it. Runs of inner and cross joins are flattened into one
// list of units and one list of conditions (their ON terms plus the WHERE terms), then joined
// left-deep in the order written; each condition is applied at the first point where all the
// tables it mentions are present: a condition on one table goes into that table's scan, where
// it may choose an index; an equality between the new table and earlier ones makes an index
// nested loop or a hash join; the rest filter the joined rows.
//
// Outer joins are units of their own: their ON conditions decide which rows match, so they
// cannot be mixed with WHERE terms; they are planned by outerJoin.

// unit is one item of a FROM clause.
type unit struct {
	sc    *scope
	base  *baseTable // set for a plain table, whose scans can use indexes
	build func(conds []parser.Expr) (operator, error)
}

// unitSet is a set of unit numbers.
type unitSet uint64

const maxUnits = 64

func only(i int) unitSet { return 1 << uint(i) }

// term is one condition with the units it mentions; for an equality a = b, also the units of
// each side.
type term struct {
	ast         parser.Expr
	set         unitSet
	left, right unitSet
	eq          *parser.BinaryExpr
	// keyOnly marks a JOIN ... USING equality: enforced by the join's keys, never compiled
	// as a filter (its unqualified names would be ambiguous over the joined row).
	keyOnly bool
}

// prepare turns a FROM item into a unit.
func (p *planner) prepare(te parser.TableExpr) (*unit, error) {
	switch n := te.(type) {
	case *parser.TableName:
		switch strings.ToLower(n.Schema) {
		case "", "public":
		case "eventsql":
			return p.prepareSystemTable(n)
		default:
			return nil, errAt(n, schema.CodeUndefinedTable, "relation \"%s.%s\" does not exist", n.Schema, n.Name)
		}
		if c := p.x.lookupCTE(n.Name); c >= 0 && n.Schema == "" {
			return p.prepareCTE(n, c)
		}
		if n.AsOf != nil && n.AsOf.Range != parser.NoRange {
			return p.prepareVersions(n)
		}
		if v, st, asOf, err := p.x.bindView(n); v != nil || err != nil {
			if err != nil {
				return nil, err
			}
			return p.prepareView(n, v, st, asOf)
		}
		bt, err := p.x.bindTable(n)
		if err != nil {
			return nil, err
		}
		u := &unit{sc: p.newScope(tableColumns(bt)), base: bt}
		u.build = func(conds []parser.Expr) (operator, error) { return p.scanTable(u, conds, nil) }
		return u, nil
	case *parser.SubqueryTable:
		return p.prepareSubquery(n)
	case *parser.JoinExpr:
		if len(n.Using) > 0 {
			return p.prepareUsing(n)
		}
		if n.Kind == parser.InnerJoin || n.Kind == parser.CrossJoin {
			var units []*unit
			var on []parser.Expr
			if err := p.flatten(n, &units, &on); err != nil {
				return nil, err
			}
			sc := units[0].sc
			for _, u := range units[1:] {
				sc = concatScope(sc, u.sc)
			}
			return &unit{sc: sc, build: func(conds []parser.Expr) (operator, error) {
				return p.joinUnits(units, sc, append(on[:len(on):len(on)], conds...))
			}}, nil
		}
		return p.prepareOuterJoin(n)
	}
	return nil, errUnsupported(te, "this FROM item")
}

// flatten collects the units and ON terms of a tree of inner and cross joins.
func (p *planner) flatten(te parser.TableExpr, units *[]*unit, on *[]parser.Expr) error {
	if j, ok := te.(*parser.JoinExpr); ok && (j.Kind == parser.InnerJoin || j.Kind == parser.CrossJoin) && len(j.Using) == 0 {
		if err := p.flatten(j.Left, units, on); err != nil {
			return err
		}
		if err := p.flatten(j.Right, units, on); err != nil {
			return err
		}
		if hasAggregate(j.On) {
			return errAt(j.On, schema.CodeGrouping, "aggregate functions are not allowed in JOIN conditions")
		}
		*on = append(*on, conjuncts(j.On)...)
		return nil
	}
	u, err := p.prepare(te)
	if err != nil {
		return err
	}
	if *units = append(*units, u); len(*units) > maxUnits {
		return errUnsupported(te, "joining more than 64 tables")
	}
	return nil
}

// prepareSubquery plans (SELECT ...) AS alias. It cannot see the columns of the FROM items
// beside it (there is no LATERAL), only those of enclosing queries.
func (p *planner) prepareSubquery(n *parser.SubqueryTable) (*unit, error) {
	if n.Alias == "" {
		return nil, errAt(n, schema.CodeSyntax, "subquery in FROM must have an alias")
	}
	inner := *p
	inner.keepUnknown = false // only the select list of a set operation's operand stays unknown
	q, err := inner.planQuery(n.Select)
	if err != nil {
		return nil, err
	}
	cols := make([]column, len(q.cols))
	for i, c := range q.cols {
		cols[i] = column{table: n.Alias, name: c.Name, typ: c.Type}
	}
	sc := p.newScope(cols)
	op := &subqueryScanOp{in: q.root, alias: n.Alias}
	return &unit{sc: sc, build: func(conds []parser.Expr) (operator, error) {
		return p.filtered(op, sc, conds)
	}}, nil
}

// subqueryScanOp marks a FROM subquery in EXPLAIN; it passes rows through.
type subqueryScanOp struct {
	in    operator
	alias string
	asOf  string // " AS OF SEQ n" for a view read as of an older state
}

func (s *subqueryScanOp) produce(emit func(schema.Row) error) error { return s.in.produce(emit) }

func (s *subqueryScanOp) explain() *planNode {
	return &planNode{label: "Subquery Scan on " + s.alias + s.asOf, children: []*planNode{s.in.explain()}}
}

// filtered puts a filter of conds (compiled over sc) on op.
func (p *planner) filtered(op operator, sc *scope, conds []parser.Expr) (operator, error) {
	if len(conds) == 0 {
		return op, nil
	}
	f, err := p.compileConds(sc, conds)
	if err != nil {
		return nil, err
	}
	return &filterOp{in: op, conds: f, text: conds}, nil
}

// compileConds compiles conditions over sc.
func (p *planner) compileConds(sc *scope, conds []parser.Expr) ([]*expr, error) {
	c := p.compiler(sc, "WHERE")
	out := make([]*expr, len(conds))
	for i, cond := range conds {
		var err error
		if out[i], err = c.compileCond(cond, "WHERE"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// analyze finds which units each condition mentions, by compiling it over the scope of all
// of them and noting the columns it resolved. offs[i] is where unit i's columns start.
func (p *planner) analyze(conds []parser.Expr, sc *scope, offs []int) ([]term, error) {
	c := p.compiler(sc, "WHERE")
	unitsOf := func(e parser.Expr, cond bool) (unitSet, error) {
		sc.used = make([]bool, len(sc.cols))
		defer func() { sc.used = nil }()
		var err error
		if cond {
			_, err = c.compileCond(e, "WHERE")
		} else {
			_, err = c.compile(e)
		}
		var set unitSet
		for pos, u := range sc.used {
			if u {
				i := len(offs) - 1
				for offs[i] > pos {
					i--
				}
				set |= only(i)
			}
		}
		return set, err
	}
	terms := make([]term, len(conds))
	for i, cond := range conds {
		t := term{ast: cond}
		var err error
		if t.set, err = unitsOf(cond, true); err != nil {
			return nil, err
		}
		if b, ok := unparen(cond).(*parser.BinaryExpr); ok && b.Op == parser.OpEq {
			t.eq = b
			if t.left, err = unitsOf(b.L, false); err == nil {
				t.right, err = unitsOf(b.R, false)
			}
			if err != nil {
				return nil, err
			}
		}
		terms[i] = t
	}
	return terms, nil
}

// joinUnits plans a run of inner joins: units joined left-deep in the order joinOrder picks,
// each condition placed at the first step by which everything it mentions has been joined.
// The result keeps the FROM clause's column order, whatever the join order.
func (p *planner) joinUnits(units []*unit, sc *scope, conds []parser.Expr) (operator, error) {
	offs := make([]int, len(units))
	for i := 1; i < len(units); i++ {
		offs[i] = offs[i-1] + len(units[i-1].sc.cols)
	}
	terms, err := p.analyze(conds, sc, offs)
	if err != nil {
		return nil, err
	}
	order := joinOrder(len(units), terms)
	step := make([]int, len(units)) // step[u]: when unit u is joined
	for i, u := range order {
		step[u] = i
	}
	local, joins := make([][]term, len(units)), make([][]term, len(units))
	for _, t := range terms {
		last := order[0] // the unit whose step completes t
		for u := range units {
			if t.set&only(u) != 0 && step[u] > step[last] {
				last = u
			}
		}
		if t.set&^only(last) == 0 {
			local[last] = append(local[last], t)
		} else {
			joins[last] = append(joins[last], t)
		}
	}
	first := order[0]
	acc, err := units[first].build(asts(local[first]))
	if err != nil {
		return nil, err
	}
	accSc, joined := units[first].sc, only(first)
	for _, k := range order[1:] {
		js := joinSpec{kind: parser.InnerJoin, drive: acc, driveSc: accSc, driveSet: joined,
			probe: units[k], probeSet: only(k), local: asts(local[k]), terms: joins[k]}
		if acc, err = p.join(js); err != nil {
			return nil, err
		}
		accSc, joined = concatScope(accSc, units[k].sc), joined|only(k)
	}
	return restoreOrder(acc, units, order), nil
}

// joinOrder chooses the order in which to join units: the written order as long as each next
// unit is connected to the ones already joined by some condition; otherwise the first unit
// (in written order) that is — preferring an equality, which a hash join or index can use.
// A cross product happens only when no remaining unit is connected. Without statistics this
// avoids the one disaster that matters: multiplying unrelated tables.
func joinOrder(n int, terms []term) []int {
	order := []int{0}
	joined := only(0)
	connected := func(u int, equality bool) bool {
		for _, t := range terms {
			if t.set&only(u) != 0 && t.set&joined != 0 && t.set&^(joined|only(u)) == 0 && (!equality || t.eq != nil) {
				return true
			}
		}
		return false
	}
	pick := func(ok func(u int) bool) int {
		for u := 0; u < n; u++ {
			if joined&only(u) == 0 && ok(u) {
				return u
			}
		}
		return -1
	}
	for len(order) < n {
		next := pick(func(int) bool { return true }) // the next one as written...
		if !connected(next, false) {
			if u := pick(func(u int) bool { return connected(u, true) }); u >= 0 { // ...else an equi-joined one
				next = u
			} else if u := pick(func(u int) bool { return connected(u, false) }); u >= 0 {
				next = u
			}
		}
		order = append(order, next)
		joined |= only(next)
	}
	return order
}

// restoreOrder puts the columns of a join back in FROM order when the join order differs.
func restoreOrder(op operator, units []*unit, order []int) operator {
	at := make([]int, len(units)) // where each unit's columns start in op's rows
	pos := 0
	for _, u := range order {
		at[u] = pos
		pos += len(units[u].sc.cols)
	}
	var exprs []*expr
	identity := true
	for u, un := range units {
		for i, c := range un.sc.cols {
			identity = identity && at[u]+i == len(exprs)
			exprs = append(exprs, columnExpr(at[u]+i, c.typ))
		}
	}
	if identity {
		return op
	}
	return &projectOp{in: op, exprs: exprs}
}

func asts(ts []term) []parser.Expr {
	out := make([]parser.Expr, len(ts))
	for i, t := range ts {
		out[i] = t.ast
	}
	return out
}

// checkDuplicateNames rejects a FROM clause that uses one name for two items, as PostgreSQL
// does ("table name "t" specified more than once"): references to it would be ambiguous.
func checkDuplicateNames(te parser.TableExpr, seen map[string]bool) error {
	var name string
	switch n := te.(type) {
	case *parser.JoinExpr:
		if err := checkDuplicateNames(n.Left, seen); err != nil {
			return err
		}
		return checkDuplicateNames(n.Right, seen)
	case *parser.TableName:
		name = n.Name
		if n.Alias != "" {
			name = n.Alias
		}
	case *parser.SubqueryTable:
		name = n.Alias
	}
	key := strings.ToLower(name)
	if name != "" && seen[key] {
		return errAt(te, "42712", "table name %q specified more than once", name)
	}
	seen[key] = true
	return nil
}
