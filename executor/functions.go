package executor

import (
	"strings"
	"unicode/utf8"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// The scalar functions. Aggregates (count, sum, avg, min, max) are compiled by the grouping
// in aggregate.go; here they are only recognized, to reject them where they may not stand.

// isAggregate reports whether name is an aggregate function.
func isAggregate(name string) bool {
	switch name {
	case "count", "sum", "avg", "min", "max", "string_agg", "bool_and", "bool_or", "every":
		return true
	}
	return false
}

// scalarFunc compiles a call of a scalar function whose arguments are compiled: it picks the
// overload for the argument types (coercing unknown literals as PostgreSQL does) or returns
// errNoFunction.
type scalarFunc func(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error)

// scalarFuncs holds the scalar functions by name, filled by the init functions of the files that
// define them (functions_*.go), so each family of functions lives in its own file.
var scalarFuncs = map[string]scalarFunc{}

func registerScalar(name string, f scalarFunc) {
	if _, dup := scalarFuncs[name]; dup {
		panic("executor: function " + name + " registered twice")
	}
	scalarFuncs[name] = f
}

func (c *compiler) funcCall(n *parser.FuncCall) (*expr, error) {
	if isAggregate(n.Name) {
		if c.inAggregate {
			return nil, errAt(n, schema.CodeGrouping, "aggregate function calls cannot be nested")
		}
		return nil, errAt(n, schema.CodeGrouping, "aggregate functions are not allowed in %s", c.clause)
	}
	if n.Distinct || n.Star {
		return nil, errAt(n, codeWrongObjectType, "%s is not an aggregate function", n.Name)
	}
	if len(n.OrderBy) > 0 {
		return nil, errAt(n, codeWrongObjectType, "ORDER BY specified, but %s is not an aggregate function", n.Name)
	}
	args := make([]*expr, len(n.Args))
	for i, a := range n.Args {
		var err error
		if args[i], err = c.compile(a); err != nil {
			return nil, err
		}
	}
	if f, ok := scalarFuncs[n.Name]; ok {
		return f(c, n, args)
	}
	switch n.Name {
	case "coalesce":
		return c.coalesce(n, args)
	case "nullif":
		return c.nullif(n, args)
	case "current_seq":
		if len(args) == 0 {
			return constant(schema.Int(CurrentSeq(c.x.env)), schema.BigInt, n.Name), nil
		}
	case "current_hash":
		if len(args) == 0 {
			h, err := c.x.env.Store.HashAt(c.x.env.Tx.Base().Seq())
			if err != nil {
				return nil, errAt(n, schema.CodeInternal, "current_hash: %v", err)
			}
			return constant(schema.Str(h), schema.Text, n.Name), nil
		}
	case "lower", "upper", "length", "char_length", "character_length":
		if len(args) == 1 {
			return textFunc(n, args[0])
		}
	}
	return nil, errNoFunction(n, args)
}

// textFunc compiles the one-argument text functions.
func textFunc(n *parser.FuncCall, arg *expr) (*expr, error) {
	arg, err := coerce(arg, schema.Text, n)
	if err != nil {
		return nil, err
	}
	if arg.typ.Kind != schema.KindText {
		return nil, errNoFunction(n, []*expr{arg})
	}
	switch n.Name {
	case "lower":
		return unaryFunc(n.Name, schema.Text, arg, func(v schema.Value) (schema.Value, error) {
			return schema.Str(lower(v.Text())), nil
		}), nil
	case "upper":
		return unaryFunc(n.Name, schema.Text, arg, func(v schema.Value) (schema.Value, error) {
			return schema.Str(strings.ToUpper(v.Text())), nil
		}), nil
	}
	return unaryFunc(n.Name, schema.Integer, arg, func(v schema.Value) (schema.Value, error) {
		return schema.Int(int64(utf8.RuneCountInString(v.Text()))), nil
	}), nil
}

func lower(s string) string { return strings.ToLower(s) }

// unaryFunc builds a strict one-argument function: NULL in, NULL out.
func unaryFunc(name string, t schema.Type, arg *expr, f func(schema.Value) (schema.Value, error)) *expr {
	ev := arg.eval
	return &expr{typ: t, name: name, konst: arg.konst, eval: func(row schema.Row) (schema.Value, error) {
		v, err := ev(row)
		if err != nil || v.IsNull() {
			return v, err
		}
		return f(v)
	}}
}

// errNoFunction is PostgreSQL's "function lower(integer) does not exist".
func errNoFunction(n *parser.FuncCall, args []*expr) error {
	types := make([]string, len(args))
	for i, a := range args {
		types[i] = typeName(a.typ)
	}
	return errAt(n, schema.CodeUndefinedFunction, "function %s(%s) does not exist", n.Name, strings.Join(types, ", "))
}
