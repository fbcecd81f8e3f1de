package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// GREATEST and LEAST: the largest or smallest of their arguments, which are resolved to one
// type as the branches of a CASE are. NULL arguments are ignored; the result is NULL only when
// all of them are.

func init() {
	registerScalar("greatest", extremeFunc)
	registerScalar("least", extremeFunc)
}

func extremeFunc(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	if len(args) == 0 {
		return nil, errAt(n, schema.CodeSyntax, "syntax error at or near \")\"")
	}
	what := "GREATEST"
	sign := 1
	if n.Name == "least" {
		what, sign = "LEAST", -1
	}
	t, err := unify(args, what, n)
	if err != nil {
		return nil, err
	}
	if !comparable(t, t) {
		return nil, errAt(n, schema.CodeUndefinedFunction, "could not identify a comparison function for type %s", typeName(t))
	}
	out := &expr{typ: t, name: n.Name, konst: true}
	for _, a := range args {
		out.konst = out.konst && a.konst
	}
	out.eval = func(row schema.Row) (schema.Value, error) {
		best := schema.Null
		for _, a := range args {
			v, err := a.eval(row)
			if err != nil {
				return v, err
			}
			if !v.IsNull() && (best.IsNull() || schema.Compare(v, best)*sign > 0) {
				best = v
			}
		}
		return best, nil
	}
	return out, nil
}
