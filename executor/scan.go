package executor

import (
	"math"

	"github.com/eventsql/eventsql/index"
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// baseTable is one table reference of a statement, bound to the state it reads: the
// statement's own snapshot, or an older one for AS OF.
type baseTable struct {
	tbl  *storage.Table
	def  *schema.Table
	qual string // the name columns are qualified with: the alias, else the table name
	asOf string // " AS OF SEQ n" for EXPLAIN, "" when reading the current state
	// deps, when set, records the columns read (planning a view's query, view_deps.go).
	deps *dependencies
}

// scanOp reads one table through an access path and keeps the rows that pass its filter.
type scanOp struct {
	x      *execution
	bt     *baseTable
	access *access
	filter []*expr
	conds  []parser.Expr // the filter as written, for EXPLAIN
}

func (s *scanOp) produce(emit func(schema.Row) error) error {
	return s.access.scan(s.x, s.bt, nil, func(_ uint64, row schema.Row) error {
		ok, err := passes(s.filter, row)
		if err != nil || !ok {
			return err
		}
		return emit(row)
	})
}

// rows calls fn with the id and contents of every row that passes the filter; UPDATE and
// DELETE use it to find their targets.
func (s *scanOp) rows(fn func(id uint64, row schema.Row) error) error {
	return s.access.scan(s.x, s.bt, nil, func(id uint64, row schema.Row) error {
		ok, err := passes(s.filter, row)
		if err != nil || !ok {
			return err
		}
		return fn(id, row)
	})
}

// passes evaluates conditions on a row: it passes only if every one is true (not NULL).
func passes(conds []*expr, row schema.Row) (bool, error) {
	for _, c := range conds {
		v, err := c.eval(row)
		if err != nil || v.IsNull() || !v.Bool() {
			return false, err
		}
	}
	return true, nil
}

// scan calls fn for the rows the path finds: all of them for a sequential scan, otherwise
// those under the keys computed from probe (the outer row of an index nested loop; nil
// otherwise). A row is visited at most once even when an IN list repeats a value.
func (a *access) scan(x *execution, bt *baseTable, probe schema.Row, fn func(id uint64, row schema.Row) error) error {
	var err error
	visit := func(id uint64) bool {
		if err = x.checkCancel(); err != nil {
			return false
		}
		row, ok := bt.tbl.Get(id)
		if ok {
			err = fn(id, row)
		}
		return err == nil
	}
	switch a.kind {
	case seqScan:
		bt.tbl.Scan(func(id uint64, row schema.Row) bool {
			if err = x.checkCancel(); err == nil {
				err = fn(id, row)
			}
			return err == nil
		})
		return err
	case indexRange:
		return a.scanRange(probe, visit, &err)
	}
	var seen map[uint64]bool
	if len(a.keys) > 1 {
		seen = map[uint64]bool{}
		inner := visit
		visit = func(id uint64) bool {
			if seen[id] {
				return true
			}
			seen[id] = true
			return inner(id)
		}
	}
	for _, tuple := range a.keys {
		key, ok, kerr := a.key(tuple, probe)
		if kerr != nil {
			return kerr
		}
		if !ok {
			continue
		}
		if a.kind == indexLookup {
			a.ix.Lookup(key, visit)
		} else {
			a.ix.(index.Ordered).Ascend(key, prefixEnd(key), func(_ string, id uint64) bool { return visit(id) })
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// scanRange visits the B-tree entries between the bounds. Both ends are taken inclusively
// (the filter then drops the rows equal to an exclusive bound); the upper end extends over
// every key that starts with the bound, which covers composite keys. NULL keys, which sort
// last, are excluded when there is no upper bound.
func (a *access) scanRange(probe schema.Row, visit func(uint64) bool, err *error) error {
	from, to := "", schema.Key(schema.Null)
	if a.whole {
		to = ""
	}
	for i, e := range []*expr{a.lo, a.hi} {
		if e == nil {
			continue
		}
		v, verr := e.eval(probe)
		if verr != nil {
			return verr
		}
		if v.IsNull() {
			return nil // col > NULL matches nothing
		}
		v = rangeValue(a.types[0], v)
		if i == 0 {
			from = schema.Key(v)
		} else {
			to = prefixEnd(schema.Key(v))
		}
	}
	if a.desc {
		descendInRowOrder(a.ix.(index.Ordered), from, to, visit)
	} else {
		a.ix.(index.Ordered).Ascend(from, to, func(_ string, id uint64) bool { return visit(id) })
	}
	return *err
}

// key computes the index key of one tuple of lookup values. ok is false when no row can
// match: a NULL value, or a fraction looked up in an integer column.
func (a *access) key(tuple []*expr, probe schema.Row) (string, bool, error) {
	vals := make([]schema.Value, len(tuple))
	for i, e := range tuple {
		v, err := e.eval(probe)
		if err != nil {
			return "", false, err
		}
		var ok bool
		if vals[i], ok = keyValue(a.types[i], v); !ok {
			return "", false, nil
		}
	}
	return schema.Key(vals...), true, nil
}

// keyValue converts a lookup value to the kind the indexed column stores, so that its key
// encoding is the one the index holds (integers beyond 2^53 encode differently from the float
// of the same value). ok is false when the value cannot equal any value of the column.
func keyValue(t schema.Type, v schema.Value) (schema.Value, bool) {
	switch {
	case v.IsNull():
		return v, false
	case t.Kind == schema.KindInt && v.Kind() == schema.KindFloat:
		f := v.Float()
		if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			return v, false
		}
		return schema.Int(int64(f)), true
	case t.Kind == schema.KindFloat && v.Kind() == schema.KindInt:
		return schema.Float(v.Float()), true
	case t.Kind == schema.KindInt && v.Kind() == schema.KindNumeric:
		d := v.Decimal()
		i, ok := d.Int64()
		if !ok || d.Cmp(schema.DecimalFromInt(i)) != 0 {
			return v, false
		}
		return schema.Int(i), true
	case t.Kind == schema.KindNumeric && v.Kind() == schema.KindInt:
		return schema.Num(v.Decimal()), true
	case t.Kind == schema.KindFloat && v.Kind() == schema.KindNumeric:
		return schema.Float(v.Float()), true
	}
	return v, true
}

// rangeValue converts a range bound to a value whose key orders among the column's keys:
// integers bound numeric columns as numerics, numerics bound integer and float columns as
// floats (which share the integers' key encoding).
func rangeValue(t schema.Type, v schema.Value) schema.Value {
	switch {
	case t.Kind == schema.KindNumeric && v.Kind() == schema.KindInt:
		return schema.Num(v.Decimal())
	case t.Kind != schema.KindNumeric && v.Kind() == schema.KindNumeric:
		return schema.Float(v.Float())
	}
	return v
}

// prefixEnd is the smallest key greater than every key that starts with prefix ("" when
// there is none: unbounded).
func prefixEnd(prefix string) string {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != 0xFF {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}
