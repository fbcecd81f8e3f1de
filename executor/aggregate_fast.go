package executor

import (
	"github.com/eventsql/eventsql/index"
	"github.com/eventsql/eventsql/schema"
)

// Aggregates answered without reading the rows. A query with no WHERE, GROUP BY or DISTINCT
// aggregate whose every aggregate is count(*), or min/max of a column that leads a B-tree
// index, needs no scan: count(*) is the table's row count, kept by its B-tree, and min(col) and
// max(col) are the first and last non-NULL keys of the index. SELECT count(*) FROM t costs the
// same for ten rows as for ten million.

// metaAggregateOp produces the one row of such a query.
type metaAggregateOp struct {
	scan *scanOp
	aggs []metaAggregate
}

// metaAggregate is one aggregate of a metaAggregateOp.
type metaAggregate struct {
	fn  string // "count", "min" or "max"
	pos int    // min/max: the column's position in the table
	ix  index.Ordered
}

// metaAggregate returns the operator that answers g over the scan in from without reading
// rows, or nil when the query needs the rows.
func (p *planner) metaAggregate(from operator, g *grouping) operator {
	s, ok := from.(*scanOp)
	if !ok || len(g.keys) > 0 || len(g.deps) > 0 || len(s.filter) > 0 || s.access.kind != seqScan {
		return nil
	}
	op := &metaAggregateOp{scan: s}
	for _, a := range g.aggs {
		switch {
		case a.fn == "count" && a.arg == nil && !a.distinct:
			op.aggs = append(op.aggs, metaAggregate{fn: "count"})
		case (a.fn == "min" || a.fn == "max") && a.arg != nil && a.arg.isCol && len(a.extras) == 0 && !p.x.env.NoIndexScans:
			ix := leadingIndex(s.bt, a.arg.col)
			if ix == nil {
				return nil
			}
			op.aggs = append(op.aggs, metaAggregate{fn: a.fn, pos: a.arg.col, ix: ix})
		default:
			return nil
		}
	}
	return op
}

// leadingIndex returns an ordered index of the table whose first column is at pos, or nil.
func leadingIndex(bt *baseTable, pos int) index.Ordered {
	for _, ixDef := range bt.tbl.Indexes() {
		if keys := bt.def.KeyPositions(ixDef); len(keys) == 0 || keys[0] != pos {
			continue
		}
		if ix, _, ok := bt.tbl.Index(ixDef.Name); ok {
			if o, ok := ix.(index.Ordered); ok {
				return o
			}
		}
	}
	return nil
}

func (m *metaAggregateOp) produce(emit func(schema.Row) error) error {
	out := make(schema.Row, len(m.aggs))
	tbl := m.scan.bt.tbl
	for i, a := range m.aggs {
		switch a.fn {
		case "count":
			out[i] = schema.Int(int64(tbl.Len()))
		default:
			// Keys sort NULLs last: min is the first entry unless it is NULL; max is the last
			// entry that is not NULL.
			out[i] = schema.Null
			found := func(_ string, id uint64) bool {
				row, ok := tbl.Get(id)
				if ok && !row[a.pos].IsNull() {
					out[i] = row[a.pos]
					return false
				}
				return a.fn == "max" // walking down past NULLs; min stops at the first entry
			}
			if a.fn == "min" {
				a.ix.Ascend("", "", found)
			} else {
				a.ix.Descend("", "", found)
			}
		}
	}
	return emit(out)
}

func (m *metaAggregateOp) explain() *planNode {
	return &planNode{label: "Aggregate", details: []string{"From: row count and index ends"}, children: []*planNode{m.scan.explain()}}
}
