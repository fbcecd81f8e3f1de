package executor

import (
	"slices"

	"github.com/eventsql/eventsql/index"
	"github.com/eventsql/eventsql/schema"
)

// Serving ORDER BY from an index. A B-tree hands out its entries in key order, and the key
// encoding orders values as ORDER BY does (NULLs after every value), so a query that sorts a
// single table by the leading columns of a B-tree index — all ascending with NULLs last, or all
// descending with NULLs first — can read the rows in that order and skip the sort. With a
// LIMIT, the scan then stops after the rows it needs: ORDER BY k LIMIT 10 reads ten index
// entries instead of sorting the table.

// orderedByIndex makes the scan under op read rows in the order of keys, when an index allows
// it, and reports whether it did. keys refer to exprs, the select list compiled over the scan's
// rows. A sequential scan is replaced by a whole-index scan only when a LIMIT will stop it
// early; a range scan of the right index is ordered anyway, so it is always used.
func (p *planner) orderedByIndex(op operator, keys []sortKey, exprs []*expr, limited bool) bool {
	if len(keys) == 0 || p.x.env.NoIndexScans {
		return false
	}
	if g, ok := op.(*gateOp); ok {
		op = g.in
	}
	s, ok := op.(*scanOp)
	if !ok || s.access.kind != seqScan && s.access.kind != indexRange {
		return false
	}
	desc := keys[0].desc
	cols := make([]int, len(keys))
	for i, k := range keys {
		e := exprs[k.pos]
		if k.desc != desc || k.nullsFirst != desc || !e.isCol {
			return false
		}
		cols[i] = e.col
	}
	for _, ixDef := range s.bt.tbl.Indexes() {
		ix, _, ok := s.bt.tbl.Index(ixDef.Name)
		if _, ordered := ix.(index.Ordered); !ok || !ordered {
			continue
		}
		pos := s.bt.def.KeyPositions(ixDef)
		if len(cols) > len(pos) || !slices.Equal(cols, pos[:len(cols)]) {
			continue
		}
		switch {
		case s.access.kind == indexRange && s.access.ixDef.Name == ixDef.Name:
			a := *s.access
			a.ordered, a.desc = true, desc
			s.access = &a
			return true
		case s.access.kind == seqScan && limited:
			types := make([]schema.Type, len(pos))
			for i, p := range pos {
				types[i] = s.bt.def.Columns[p].Type
			}
			s.access = &access{kind: indexRange, ixDef: ixDef, ix: ix, types: types, ordered: true, desc: desc, whole: true}
			return true
		}
	}
	return false
}

// descendInRowOrder walks a B-tree range backwards, as ORDER BY col DESC wants, but hands out
// the row ids of equal keys in ascending order — the order a stable sort of a sequential scan
// would give them — so the answer does not depend on whether the index was used.
func descendInRowOrder(ix index.Ordered, from, to string, visit func(uint64) bool) {
	var run []uint64
	var runKey string
	flush := func() bool {
		for i := len(run) - 1; i >= 0; i-- {
			if !visit(run[i]) {
				return false
			}
		}
		run = run[:0]
		return true
	}
	stopped := false
	ix.Descend(from, to, func(key string, id uint64) bool {
		if len(run) > 0 && key != runKey && !flush() {
			stopped = true
			return false
		}
		runKey = key
		run = append(run, id)
		return true
	})
	if !stopped {
		flush()
	}
}
