package executor

import (
	"github.com/eventsql/eventsql/index"
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// An access path is how a scan finds the rows of one table: every row in row-id order (a
// sequential scan), or through an index — equality lookups of whole keys, a key-prefix range
// of a B-tree, or a range of a B-tree's first column. Whatever the path, the scan still
// evaluates every condition on every row it fetches, so a path only has to return a superset
// of the matching rows; that keeps it simple and keeps index bugs from returning wrong rows.

type accessKind uint8

const (
	seqScan     accessKind = iota
	indexLookup            // keys bind every index column (possibly several keys: IN lists)
	indexPrefix            // keys bind the first columns of a B-tree index
	indexRange             // lo/hi bound the first column of a B-tree index
)

// binding is a condition that pins one column of a table to a value computable without the
// table's row: col = 5, col IN ($1, $2), col > 3, or, inside a join, col = other.col — then
// the value is compiled in the other side's scope and computed from each of its rows (the
// probe row).
type binding struct {
	pos  int       // column position in the table
	op   parser.Op // OpEq, OpLt, OpLe, OpGt, OpGe; IN lists are OpEq with several values
	vals []*expr
	cond parser.Expr // the condition, for EXPLAIN
	join bool        // vals read the probe row
}

// access is a chosen access path.
type access struct {
	kind   accessKind
	ixDef  *schema.Index
	ix     index.Index
	keys   [][]*expr // indexLookup / indexPrefix: one tuple per key to look up
	lo, hi *expr     // indexRange: nil for an open end
	types  []schema.Type
	conds  []parser.Expr
	join   bool // the keys read the probe row: an index nested loop
	// ordered is set when the plan relies on indexRange visiting rows in key order (ORDER BY
	// served by the index); desc walks the range backwards; whole reads every entry, NULL
	// keys included (no bounds).
	ordered, desc, whole bool
}

// chooseAccess picks the best path for a table given the bindings its conditions offer:
// a unique index fully bound by equality, then any fully bound index (more columns first),
// then a B-tree bound on a prefix, then an IN list, then a range, else a sequential scan.
func chooseAccess(bt *baseTable, binds []binding) *access {
	best, bestScore := &access{kind: seqScan}, 0
	for _, ixDef := range bt.tbl.Indexes() {
		ix, _, ok := bt.tbl.Index(ixDef.Name)
		if !ok {
			continue
		}
		_, ordered := ix.(index.Ordered)
		a, score := accessFor(bt.def, ixDef, ordered, binds)
		if a != nil && score > bestScore {
			a.ixDef, a.ix = ixDef, ix
			best, bestScore = a, score
		}
	}
	return best
}

// accessFor is the best way to use one index with the bindings, and a score to compare it
// with other indexes; nil when the index does not help.
func accessFor(def *schema.Table, ixDef *schema.Index, ordered bool, binds []binding) (*access, int) {
	pos := def.KeyPositions(ixDef)
	types := make([]schema.Type, len(pos))
	for i, p := range pos {
		types[i] = def.Columns[p].Type
	}
	if a, score := equalityAccess(pos, types, ordered, ixDef.Unique, binds); a != nil {
		return a, score
	}
	if len(pos) == 1 {
		if b, ok := findBinding(binds, pos[0], func(b binding) bool { return b.op == parser.OpEq }); ok {
			a := &access{kind: indexLookup, types: types, conds: []parser.Expr{b.cond}, join: b.join}
			for _, v := range b.vals {
				a.keys = append(a.keys, []*expr{v})
			}
			return a, 30
		}
	}
	if ordered {
		return rangeAccess(pos[0], types, binds)
	}
	return nil, 0
}

// equalityAccess uses single-value equalities on the index's columns: all of them (a lookup),
// or, in a B-tree, a prefix of them (a prefix range).
func equalityAccess(pos []int, types []schema.Type, ordered, unique bool, binds []binding) (*access, int) {
	var eqs []binding
	for _, p := range pos {
		b, ok := findBinding(binds, p, func(b binding) bool { return b.op == parser.OpEq && len(b.vals) == 1 })
		if !ok {
			break
		}
		eqs = append(eqs, b)
	}
	if len(eqs) == 0 || len(eqs) < len(pos) && !ordered {
		return nil, 0
	}
	a := &access{kind: indexLookup, types: types, keys: [][]*expr{nil}}
	for _, b := range eqs {
		a.keys[0] = append(a.keys[0], b.vals[0])
		a.conds = append(a.conds, b.cond)
		a.join = a.join || b.join
	}
	switch {
	case len(eqs) < len(pos):
		a.kind = indexPrefix
		return a, 40 + len(eqs)
	case unique:
		return a, 100
	}
	return a, 60 + len(eqs)
}

// rangeAccess bounds a B-tree's first column by the comparisons on it.
func rangeAccess(first int, types []schema.Type, binds []binding) (*access, int) {
	a := &access{kind: indexRange, types: types}
	for _, b := range binds {
		if b.pos != first || b.join {
			continue
		}
		switch b.op {
		case parser.OpGt, parser.OpGe:
			if a.lo != nil {
				continue
			}
			a.lo = b.vals[0]
		case parser.OpLt, parser.OpLe:
			if a.hi != nil {
				continue
			}
			a.hi = b.vals[0]
		default:
			continue
		}
		if !containsExpr(a.conds, b.cond) { // BETWEEN gives two bindings
			a.conds = append(a.conds, b.cond)
		}
	}
	switch {
	case a.lo == nil && a.hi == nil:
		return nil, 0
	case a.lo != nil && a.hi != nil:
		return a, 20
	}
	return a, 10
}

func findBinding(binds []binding, pos int, ok func(binding) bool) (binding, bool) {
	for _, b := range binds {
		if b.pos == pos && ok(b) {
			return b, true
		}
	}
	return binding{}, false
}

// localBindings finds the conditions among conds that bind a column of sc's table to values
// that do not depend on its rows: col op const, const op col, col IN (consts), col BETWEEN
// const AND const. Conditions of other shapes are ignored (they stay filters).
func (c *compiler) localBindings(conds []parser.Expr) []binding {
	var out []binding
	for _, cond := range conds {
		switch n := unparen(cond).(type) {
		case *parser.BinaryExpr:
			if !isComparison(n.Op) || n.Op == parser.OpNe {
				continue
			}
			if b, ok := c.bindColumn(n.L, n.Op, []parser.Expr{n.R}, cond); ok {
				out = append(out, b)
			} else if b, ok := c.bindColumn(n.R, flip(n.Op), []parser.Expr{n.L}, cond); ok {
				out = append(out, b)
			}
		case *parser.InExpr:
			if n.Not || n.Select != nil {
				continue
			}
			if b, ok := c.bindColumn(n.X, parser.OpEq, n.List, cond); ok {
				out = append(out, b)
			}
		case *parser.BetweenExpr:
			if n.Not || n.Symmetric {
				continue
			}
			if b, ok := c.bindColumn(n.X, parser.OpGe, []parser.Expr{n.Lo}, cond); ok {
				out = append(out, b)
			}
			if b, ok := c.bindColumn(n.X, parser.OpLe, []parser.Expr{n.Hi}, cond); ok {
				out = append(out, b)
			}
		}
	}
	return out
}

// bindColumn makes a binding when col is a column of the compiler's own scope and every one
// of vals compiles to a row-independent value comparable with it. Any failure just means
// "no binding": the condition is compiled (and its errors reported) as a filter anyway.
func (c *compiler) bindColumn(col parser.Expr, op parser.Op, vals []parser.Expr, cond parser.Expr) (binding, bool) {
	ref, ok := unparen(col).(*parser.ColumnRef)
	if !ok {
		return binding{}, false
	}
	pos, err := c.sc.find(ref)
	if err != nil || pos < 0 {
		return binding{}, false
	}
	t := c.sc.cols[pos].typ
	b := binding{pos: pos, op: op, cond: cond}
	for _, v := range vals {
		e, err := c.compile(v)
		if err != nil || !e.konst {
			return binding{}, false
		}
		if e, err = coerce(e, baseType(t), v); err != nil || !comparable(e.typ, t) {
			return binding{}, false
		}
		if t.Kind == schema.KindNumeric && e.typ.Kind == schema.KindFloat {
			// numeric = float compares as floats: many numerics equal one float, and their
			// keys are not near each other in a numeric index.
			return binding{}, false
		}
		b.vals = append(b.vals, e)
	}
	return b, true
}

// flip mirrors a comparison so that 5 < col reads col > 5.
func flip(op parser.Op) parser.Op {
	switch op {
	case parser.OpLt:
		return parser.OpGt
	case parser.OpLe:
		return parser.OpGe
	case parser.OpGt:
		return parser.OpLt
	case parser.OpGe:
		return parser.OpLe
	}
	return op
}

// unparen strips redundant parentheses.
func unparen(e parser.Expr) parser.Expr {
	for {
		p, ok := e.(*parser.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}
