package executor

import (
	"fmt"
	"time"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// System-time ranges: t FOR SYSTEM_TIME ALL | BETWEEN lo AND hi | FROM lo TO hi reads every
// version of t's rows whose lifetime overlaps the range, in the table's current shape (NULL for
// a column a version did not have yet), with system columns saying where each came from:
// _seq_from and _seq_to (the events that began and ended it; NULL while current),
// _valid_from and _valid_to (their commit times), _tx and _op (insert, update, or delete — a
// delete's version is the row's last image). Bounds are SEQ n or timestamps. Versions come
// from the log (storage.Store.Versions): they are committed history, without the current
// transaction's own writes.

// systemColumns are the system columns of a range, after the table's own.
var systemColumns = []column{
	{name: "_seq_from", typ: schema.BigInt}, {name: "_seq_to", typ: schema.BigInt},
	{name: "_valid_from", typ: schema.TimestampTZ}, {name: "_valid_to", typ: schema.TimestampTZ},
	{name: "_tx", typ: schema.BigInt}, {name: "_op", typ: schema.Text},
}

// prepareVersions plans a table reference with a system-time range.
func (p *planner) prepareVersions(n *parser.TableName) (*unit, error) {
	if p.x.env.Store == nil {
		return nil, &schema.Error{Code: schema.CodeFeatureUnsupported, Message: "FOR SYSTEM_TIME needs the database's store", Err: ErrNoStore}
	}
	tbl, ok := p.x.read.Table(n.Name)
	if !ok {
		if _, ok := p.x.read.View(n.Name); ok {
			return nil, errAt(n, schema.CodeFeatureUnsupported, "FOR SYSTEM_TIME ranges apply to tables, and %q is a view", n.Name)
		}
		return nil, errUndefinedTable(n, n.Name)
	}
	def := tbl.Def()
	qual := n.Name
	if n.Alias != "" {
		qual = n.Alias
	}
	cols := tableColumns(&baseTable{tbl: tbl, def: def, qual: qual})
	for _, c := range systemColumns {
		c.table, c.system = qual, true
		cols = append(cols, c)
	}
	op := &versionsOp{x: p.x, def: def, qual: qual, a: n.AsOf}
	c := &compiler{x: p.x, sc: newScope(nil, nil, nil), clause: "FOR SYSTEM_TIME"}
	for i, b := range n.AsOf.RangeBounds {
		t, what := schema.Timestamp, "FOR SYSTEM_TIME bound"
		if b.Seq {
			t = schema.BigInt
		}
		v, err := asOfValue(c, b.X, t, what)
		if err != nil {
			return nil, err
		}
		op.bounds = append(op.bounds, p.boundSeq(b, v, i == 1 && n.AsOf.Range == parser.RangeFromTo))
	}
	sc := p.newScope(cols)
	return &unit{sc: sc, build: func(conds []parser.Expr) (operator, error) {
		return p.filtered(op, sc, conds)
	}}, nil
}

// boundSeq turns a range bound into a seq: SEQ n is n; a timestamp is the last seq committed
// at or before it — or, for the excluded upper end of FROM … TO, the first seq committed at or
// after it.
func (p *planner) boundSeq(b parser.TimeBound, v schema.Value, exclusiveHi bool) uint64 {
	if b.Seq {
		return uint64(max(v.Int(), 0))
	}
	if exclusiveHi {
		return p.x.env.Store.SeqAtTime(v.Time().Add(-time.Nanosecond)) + 1
	}
	return p.x.env.Store.SeqAtTime(v.Time())
}

// versionsOp produces the row versions of a system-time range.
type versionsOp struct {
	x      *execution
	def    *schema.Table
	qual   string
	a      *parser.AsOf
	bounds []uint64 // lo, hi as seqs (none for ALL)
}

func (v *versionsOp) produce(emit func(schema.Row) error) error {
	head := v.x.read.Seq()
	lo, hi := uint64(0), head
	if len(v.bounds) == 2 {
		lo, hi = v.bounds[0], v.bounds[1]
	}
	versions, err := v.x.env.Store.Versions(v.def, v.x.read, head)
	if err != nil {
		return &schema.Error{Code: schema.CodeIOError, Message: err.Error(), Err: err}
	}
	for _, ver := range versions {
		if !v.overlaps(ver, lo, hi) {
			continue
		}
		if err := v.x.checkCancel(); err != nil {
			return err
		}
		row := make(schema.Row, 0, len(ver.Row)+len(systemColumns))
		row = append(row, ver.Row...)
		row = append(row, schema.Int(int64(ver.From)), schema.Null,
			schema.TimestampTZMicros(ver.FromTime/int64(time.Microsecond)), schema.Null,
			schema.Int(int64(ver.Tx)), schema.Str(ver.Op))
		if ver.To != 0 {
			row[len(ver.Row)+1] = schema.Int(int64(ver.To))
			row[len(ver.Row)+3] = schema.TimestampTZMicros(ver.ToTime / int64(time.Microsecond))
		}
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

// overlaps reports whether a version's lifetime [From, To) meets the range: BETWEEN includes
// both ends, FROM … TO excludes the upper one.
func (v *versionsOp) overlaps(ver storage.Version, lo, hi uint64) bool {
	endsAfterLo := ver.To == 0 || ver.To > lo
	switch v.a.Range {
	case parser.RangeBetween:
		return ver.From <= hi && endsAfterLo
	case parser.RangeFromTo:
		return ver.From < hi && endsAfterLo
	}
	return true
}

func (v *versionsOp) explain() *planNode {
	return &planNode{label: fmt.Sprintf("Versions Scan on %s%s", v.def.Name, aliasSuffix(v.def.Name, v.qual))}
}

func aliasSuffix(name, qual string) string {
	if qual == name {
		return ""
	}
	return " " + qual
}
