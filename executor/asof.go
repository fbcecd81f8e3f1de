package executor

import (
	"fmt"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// Time travel. A table reference may carry AS OF SEQ n or AS OF TIMESTAMP t; it then reads the
// database state right after event n (or after the last commit at or before t), rebuilt by
// the store from a snapshot and the log. Each reference binds its own state, so one query can
// join a table with its own past. The table's definition is the one in that state's catalog:
// columns dropped since are there, columns added since are not.

// bindTable finds the table a FROM item names, in the state it reads.
func (x *execution) bindTable(n *parser.TableName) (*baseTable, error) {
	st, asOf, err := x.stateFor(n)
	if err != nil {
		return nil, err
	}
	tbl, ok := st.Table(n.Name)
	if !ok {
		return nil, errUndefinedTable(n, n.Name)
	}
	qual := n.Name
	if n.Alias != "" {
		qual = n.Alias
	}
	bt := &baseTable{tbl: tbl, def: tbl.Def(), qual: qual, asOf: asOf}
	if x.deps != nil && n.AsOf == nil {
		x.deps.relations[bt.def.ID] = true
		bt.deps = x.deps
	}
	return bt, nil
}

// bindView finds the view a FROM item names, with the state the reference reads (for AS OF,
// the view's definition and its tables are both taken from that state). It returns a nil
// view when the name is not a view's there.
func (x *execution) bindView(n *parser.TableName) (*schema.View, *storage.State, string, error) {
	if _, ok := x.read.View(n.Name); !ok && n.AsOf == nil && !x.env.SessionAsOf {
		return nil, nil, "", nil // the common case: a table, or nothing
	}
	st, asOf, err := x.stateFor(n)
	if err != nil {
		return nil, nil, "", err
	}
	v, _ := st.View(n.Name)
	return v, st, asOf, nil
}

// stateAsOf evaluates an AS OF clause to a state, and a note for EXPLAIN.
func (x *execution) stateAsOf(a *parser.AsOf) (*storage.State, string, error) {
	seq, err := x.seqAsOf(a)
	if err != nil {
		return nil, "", err
	}
	return x.stateAt(seq)
}

// seqAsOf computes the seq an AS OF clause names.
func (x *execution) seqAsOf(a *parser.AsOf) (uint64, error) {
	if x.env.Store == nil {
		return 0, &schema.Error{Code: schema.CodeFeatureUnsupported, Message: "AS OF needs the database's store", Err: ErrNoStore}
	}
	c := &compiler{x: x, sc: newScope(nil, nil, nil), clause: "AS OF"}
	head := x.env.Store.Current().Seq()
	var seq uint64
	if a.Seq != nil {
		v, err := asOfValue(c, a.Seq, schema.BigInt, "AS OF SEQ")
		if err != nil {
			return 0, err
		}
		if v.Int() < 0 || uint64(v.Int()) > head {
			return 0, errAt(a.Seq, schema.CodeInvalidParameter, "AS OF SEQ %d is out of range: the log holds seqs 0 to %d", v.Int(), head)
		}
		seq = uint64(v.Int())
	} else {
		v, err := asOfValue(c, a.Timestamp, schema.Timestamp, "AS OF TIMESTAMP")
		if err != nil {
			return 0, err
		}
		seq = x.env.Store.SeqAtTime(v.Time())
	}
	return seq, nil
}

// stateAt is the state after event seq, rebuilt once per statement, with its EXPLAIN label.
func (x *execution) stateAt(seq uint64) (*storage.State, string, error) {
	if st, ok := x.states[seq]; ok {
		return st, fmt.Sprintf(" AS OF SEQ %d", seq), nil
	}
	st, err := x.env.Store.StateAt(seq)
	if err != nil {
		return nil, "", &schema.Error{Code: schema.CodeInvalidParameter, Message: err.Error(), Err: err}
	}
	if x.states == nil {
		x.states = map[uint64]*storage.State{}
	}
	x.states[seq] = st
	return st, fmt.Sprintf(" AS OF SEQ %d", seq), nil
}

// asOfValue computes the constant of an AS OF clause as type t.
func asOfValue(c *compiler, e parser.Expr, t schema.Type, what string) (schema.Value, error) {
	ce, err := c.compile(e)
	if err != nil {
		return schema.Null, err
	}
	if ce, err = coerce(ce, t, e); err != nil {
		return schema.Null, err
	}
	if ce.typ.Kind != t.Kind && !(isDateTime(t) && isDateTime(ce.typ)) {
		return schema.Null, errAt(e, schema.CodeDatatypeMismatch, "%s must be of type %s, not type %s", what, t, typeName(ce.typ))
	}
	// A timestamptz (now() - interval '1 minute') or a date names an instant too.
	v, err := castTo(ce, t).eval(nil)
	if err == nil && v.IsNull() {
		err = errAt(e, schema.CodeInvalidParameter, "%s must not be NULL", what)
	}
	return v, err
}

// stateFor is the state a table or view reference reads: its own AS OF, else the session's
// (SET SESSION AS OF), else the statement's.
func (x *execution) stateFor(n *parser.TableName) (*storage.State, string, error) {
	switch {
	case n.AsOf != nil:
		return x.stateAsOf(n.AsOf)
	case x.env.SessionAsOf:
		return x.stateAt(x.env.SessionSeq)
	}
	return x.read, "", nil
}
