package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Every join here is one loop: for each row of the driving side, find the candidate rows of
// the probed side, keep the combinations that satisfy the join's conditions. The three join
// methods differ only in how candidates are found (the probedSide):
//
//	Nested Loop        every row of the probed side, materialized once
//	Hash Join          the rows whose join key equals the driving row's, from a hash table
//	                   built once over the probed side (equi-joins only)
//	index Nested Loop  an index lookup into the probed table per driving row
//
// The outer joins reuse the loop: LEFT emits a driving row padded with NULLs when nothing
// matched; RIGHT is LEFT with the right side driving (output columns stay left-then-right);
// FULL also remembers which probed rows matched and emits the rest at the end.

// joinOp joins a driving operator with a probed side.
type joinOp struct {
	x          *execution
	kind       parser.JoinKind // InnerJoin (also for CROSS and comma joins), LeftJoin, RightJoin, FullJoin
	drive      operator
	probe      probedSide
	swap       bool // the right side drives (RIGHT JOIN): output rows are probed ++ driving
	driveWidth int
	probeWidth int
	cond       []*expr       // the join's conditions, evaluated on the output row
	keyText    []parser.Expr // the equalities a hash join hashes on, for EXPLAIN
	condText   []parser.Expr // the other conditions, for EXPLAIN
}

// probedSide finds the candidate rows of a join's probed side.
type probedSide interface {
	// open prepares one run of the join (materializes rows, builds the hash table).
	open() (candidates, error)
	explain() *planNode
	method() string // "Nested Loop" or "Hash"
}

// candidates is a prepared probed side.
type candidates interface {
	// each calls fn for every candidate partner of driving row d; idx numbers the row among
	// all(), or is -1 when the side cannot enumerate its rows.
	each(d schema.Row, fn func(idx int, row schema.Row) error) error
	// all returns every row of the side (for FULL JOIN's unmatched rows).
	all() []schema.Row
}

func (j *joinOp) produce(emit func(schema.Row) error) error {
	cands, err := j.probe.open()
	if err != nil {
		return err
	}
	preserveDrive := j.kind != parser.InnerJoin && j.kind != parser.CrossJoin
	var matched []bool
	if j.kind == parser.FullJoin {
		matched = make([]bool, len(cands.all()))
	}
	nullProbe := make(schema.Row, j.probeWidth) // the zero Value is NULL
	// Candidates are tested in a scratch row; only the ones that pass are copied out, since
	// the consumer may keep the rows it is given.
	scratch := make(schema.Row, j.driveWidth+j.probeWidth)
	err = j.drive.produce(func(d schema.Row) error {
		hit := false
		err := cands.each(d, func(idx int, p schema.Row) error {
			if err := j.x.checkCancel(); err != nil {
				return err
			}
			j.combine(scratch, d, p)
			ok, err := passes(j.cond, scratch)
			if err != nil || !ok {
				return err
			}
			hit = true
			if matched != nil && idx >= 0 {
				matched[idx] = true
			}
			return emit(scratch.Clone())
		})
		if err != nil || hit || !preserveDrive {
			return err
		}
		return emit(j.combine(make(schema.Row, len(scratch)), d, nullProbe))
	})
	if err != nil || matched == nil {
		return err
	}
	nullDrive := make(schema.Row, j.driveWidth)
	for idx, p := range cands.all() {
		if !matched[idx] {
			if err := emit(j.combine(make(schema.Row, len(scratch)), nullDrive, p)); err != nil {
				return err
			}
		}
	}
	return nil
}

// combine lays out an output row in out: left columns, then right ones.
func (j *joinOp) combine(out, d, p schema.Row) schema.Row {
	l, r := d, p
	if j.swap {
		l, r = p, d
	}
	copy(out[copy(out, l):], r)
	return out
}

func (j *joinOp) explain() *planNode {
	kind := map[parser.JoinKind]string{parser.LeftJoin: " Left", parser.RightJoin: " Right", parser.FullJoin: " Full"}[j.kind]
	n := &planNode{}
	if j.probe.method() == "Hash" {
		n.label = "Hash" + kind + " Join " + formatConds(j.keyText)
	} else {
		n.label = "Nested Loop" + kind
		if kind != "" {
			n.label += " Join"
		}
	}
	if len(j.condText) > 0 {
		n.details = []string{"Join Filter: " + formatConds(j.condText)}
	}
	n.children = []*planNode{j.drive.explain(), j.probe.explain()}
	return n
}

// loopSide is the probed side of a plain nested loop: all its rows, read once per run.
type loopSide struct {
	x  *execution
	in operator
}

type rowList []schema.Row

func (l *loopSide) open() (candidates, error) {
	rows, err := collect(l.x, l.in)
	return rowList(rows), err
}

func (rs rowList) each(_ schema.Row, fn func(int, schema.Row) error) error {
	for i, r := range rs {
		if err := fn(i, r); err != nil {
			return err
		}
	}
	return nil
}

func (rs rowList) all() []schema.Row { return rs }

func (l *loopSide) explain() *planNode {
	return &planNode{label: "Materialize", children: []*planNode{l.in.explain()}}
}

func (l *loopSide) method() string { return "Nested Loop" }

// collect runs an operator to completion and returns its rows.
func collect(x *execution, op operator) ([]schema.Row, error) {
	var rows []schema.Row
	err := op.produce(func(r schema.Row) error {
		rows = append(rows, r)
		return x.checkCancel()
	})
	return rows, err
}

// hashSide is the probed side of a hash join: its rows bucketed by the key columns. Rows
// whose key has a NULL are in no bucket (NULL equals nothing) but still in all().
type hashSide struct {
	x         *execution
	in        operator
	keys      []*expr // over the probed side's rows
	driveKeys []*expr // over the driving side's rows
}

type hashTable struct {
	rows      []schema.Row
	buckets   map[string][]int
	driveKeys []*expr
}

func (h *hashSide) open() (candidates, error) {
	rows, err := collect(h.x, h.in)
	if err != nil {
		return nil, err
	}
	t := &hashTable{rows: rows, buckets: map[string][]int{}, driveKeys: h.driveKeys}
	for i, r := range rows {
		k, ok, err := hashKey(h.keys, r)
		if err != nil {
			return nil, err
		}
		if ok {
			t.buckets[k] = append(t.buckets[k], i)
		}
	}
	return t, nil
}

func (t *hashTable) each(d schema.Row, fn func(int, schema.Row) error) error {
	k, ok, err := hashKey(t.driveKeys, d)
	if err != nil || !ok {
		return err
	}
	for _, i := range t.buckets[k] {
		if err := fn(i, t.rows[i]); err != nil {
			return err
		}
	}
	return nil
}

func (t *hashTable) all() []schema.Row { return t.rows }

// hashKey computes a join key; ok is false when a part is NULL.
func hashKey(keys []*expr, row schema.Row) (string, bool, error) {
	vals := make([]schema.Value, len(keys))
	for i, k := range keys {
		v, err := k.eval(row)
		if err != nil || v.IsNull() {
			return "", false, err
		}
		vals[i] = v
	}
	return schema.Key(vals...), true, nil
}

func (h *hashSide) explain() *planNode {
	return &planNode{label: "Hash", children: []*planNode{h.in.explain()}}
}

func (h *hashSide) method() string { return "Hash" }

// indexSide is the probed side of an index nested loop: an access path whose keys are
// computed from each driving row, plus the probed table's own conditions.
type indexSide struct {
	scan *scanOp
}

func (s *indexSide) open() (candidates, error) { return s, nil }

func (s *indexSide) each(d schema.Row, fn func(int, schema.Row) error) error {
	return s.scan.access.scan(s.scan.x, s.scan.bt, d, func(_ uint64, row schema.Row) error {
		ok, err := passes(s.scan.filter, row)
		if err != nil || !ok {
			return err
		}
		return fn(-1, row)
	})
}

func (s *indexSide) all() []schema.Row { return nil }

func (s *indexSide) explain() *planNode { return s.scan.explain() }

func (s *indexSide) method() string { return "Nested Loop" }
