package executor

import (
	"slices"
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// The aggregates beyond count/sum/avg/min/max: string_agg, bool_and, bool_or and every, and
// ORDER BY inside an aggregate call (string_agg(x, ',' ORDER BY y)), which sorts a group's
// input before the aggregate sees it.

// extraInput is the state of an aggregate that reads more than its argument from each row:
// string_agg's delimiter, and the sort keys of ORDER BY.
type extraInput interface {
	addWith(v schema.Value, extra []schema.Value) error
}

// finisher is a state that does its work when the group is complete (an ordered aggregate
// sorts and then feeds its inner state, which may fail).
type finisher interface {
	finish() error
}

// compileStringAgg compiles the arguments of string_agg(value text, delimiter text).
func (a *aggregate) compileStringAgg(ac *compiler, n *parser.FuncCall) error {
	var es, orig [2]*expr
	for i, e := range n.Args {
		var err error
		if orig[i], err = ac.compile(e); err != nil {
			return err
		}
		if es[i], err = coerce(orig[i], schema.Text, e); err != nil {
			return err
		}
	}
	if es[0].typ.Kind != schema.KindText || es[1].typ.Kind != schema.KindText {
		return errNoFunction(n, orig[:])
	}
	a.typ, a.arg, a.extras = schema.Text, es[0], []*expr{es[1]}
	return nil
}

// compileBoolAgg checks the argument of bool_and, bool_or and every.
func (a *aggregate) compileBoolAgg(n *parser.FuncCall, arg *expr) error {
	arg, err := coerce(arg, schema.Boolean, n.Args[0])
	if err != nil {
		return err
	}
	if arg.typ.Kind != schema.KindBool {
		return errNoFunction(n, []*expr{arg})
	}
	a.typ, a.arg = schema.Boolean, arg
	return nil
}

// compileOrder compiles the ORDER BY of an aggregate call: its keys are extra inputs after
// any others.
func (a *aggregate) compileOrder(ac *compiler, n *parser.FuncCall) error {
	if len(n.OrderBy) == 0 {
		return nil
	}
	if a.arg == nil {
		return errAt(n, schema.CodeSyntax, "ORDER BY is not allowed in count(*)")
	}
	a.orderAt = len(a.extras)
	for _, o := range n.OrderBy {
		e, err := ac.compile(o.Expr)
		if err != nil {
			return err
		}
		e, _ = coerce(e, schema.Text, o.Expr)
		if a.distinct && !slices.ContainsFunc(n.Args, func(x parser.Expr) bool { return format(x) == format(o.Expr) }) {
			return errAt(o.Expr, codeInvalidColumnRef, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list")
		}
		k := sortKey{pos: 1 + len(a.extras), desc: o.Desc, nullsFirst: o.Desc}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		a.order = append(a.order, k)
		a.extras = append(a.extras, e)
	}
	return nil
}

// feed gives one non-NULL input to an aggregate's state, with the extra inputs it reads.
func feed(s aggState, ag *aggregate, v schema.Value, row schema.Row) error {
	if len(ag.extras) == 0 {
		return s.add(v)
	}
	extra := make([]schema.Value, len(ag.extras))
	for i, e := range ag.extras {
		var err error
		if extra[i], err = e.eval(row); err != nil {
			return err
		}
	}
	return s.(extraInput).addWith(v, extra)
}

// newExtraState makes the state of the aggregates of this file, or returns nil.
func (a *aggregate) newExtraState() aggState {
	var s aggState
	switch a.fn {
	case "string_agg":
		s = &stringAggState{}
	case "bool_and", "every":
		s = &boolAggState{and: true}
	case "bool_or":
		s = &boolAggState{}
	default:
		return nil
	}
	return s
}

// wrap adds DISTINCT and ORDER BY around a state.
func (a *aggregate) wrap(s aggState) aggState {
	if a.distinct {
		s = &distinctState{seen: map[string]bool{}, inner: s}
	}
	if len(a.order) > 0 {
		s = &orderedState{inner: s, keysAt: a.orderAt, sorter: &sortOp{keys: a.order}}
	}
	return s
}

// stringAggState joins the values, each after the first preceded by its row's delimiter (a
// NULL delimiter counts as empty).
type stringAggState struct {
	b   strings.Builder
	any bool
}

func (s *stringAggState) add(v schema.Value) error { return s.addWith(v, []schema.Value{schema.Null}) }

func (s *stringAggState) addWith(v schema.Value, extra []schema.Value) error {
	if s.any && !extra[0].IsNull() {
		s.b.WriteString(extra[0].Text())
	}
	s.b.WriteString(v.Text())
	s.any = true
	if s.b.Len() > maxStringBytes {
		return errTooLong()
	}
	return nil
}

func (s *stringAggState) result() schema.Value {
	if !s.any {
		return schema.Null
	}
	return schema.Str(s.b.String())
}

// boolAggState is bool_and (and: true; also every) or bool_or.
type boolAggState struct {
	and, any, v bool
}

func (s *boolAggState) add(v schema.Value) error {
	if !s.any {
		s.v, s.any = v.Bool(), true
	} else if s.and {
		s.v = s.v && v.Bool()
	} else {
		s.v = s.v || v.Bool()
	}
	return nil
}

func (s *boolAggState) result() schema.Value {
	if !s.any {
		return schema.Null
	}
	return schema.Bool(s.v)
}

// orderedState keeps a group's inputs as rows [value, extra...] and, when the group is
// complete, sorts them by the ORDER BY keys (stably) and feeds them to its inner state.
type orderedState struct {
	inner  aggState
	keysAt int // where the sort keys start among the extra inputs
	sorter *sortOp
	rows   []schema.Row
}

func (s *orderedState) add(v schema.Value) error { return s.addWith(v, nil) }

func (s *orderedState) addWith(v schema.Value, extra []schema.Value) error {
	s.rows = append(s.rows, append(schema.Row{v}, extra...))
	return nil
}

func (s *orderedState) finish() error {
	slices.SortStableFunc(s.rows, s.sorter.compare)
	for _, r := range s.rows {
		var err error
		if in, ok := s.inner.(extraInput); ok && s.keysAt > 0 {
			err = in.addWith(r[0], r[1:1+s.keysAt])
		} else {
			err = s.inner.add(r[0])
		}
		if err != nil {
			return err
		}
	}
	s.rows = nil
	return nil
}

func (s *orderedState) result() schema.Value { return s.inner.result() }

// addWith lets DISTINCT pass extra inputs through to its inner state.
func (s *distinctState) addWith(v schema.Value, extra []schema.Value) error {
	k := schema.Key(v)
	if s.seen[k] {
		return nil
	}
	s.seen[k] = true
	if in, ok := s.inner.(extraInput); ok {
		return in.addWith(v, extra)
	}
	return s.inner.add(v)
}
