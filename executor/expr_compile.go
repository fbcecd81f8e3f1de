package executor

import (
	"math"
	"strconv"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// evalFn computes an expression's value for one row of the scope it was compiled in.
type evalFn func(row schema.Row) (schema.Value, error)

// expr is a compiled scalar expression. Compilation resolves names to row positions, decides
// every operator's types (and the errors PostgreSQL gives at parse time), and leaves a tree of
// closures: evaluating a row is plain function calls, no type switches or lookups by name.
type expr struct {
	typ  schema.Type
	eval evalFn
	// konst is set when the expression reads no column of its own row — literals, parameters,
	// uncorrelated subqueries, enclosing-query columns — so it has one value per execution and
	// may serve as an index lookup key.
	konst bool
	// lit is the value of a literal or parameter, kept so that an unknown-typed one ('5', NULL,
	// $1 bound to text) can be converted to the type its context asks for at compile time.
	lit *schema.Value
	// name is the output column name PostgreSQL would give the expression.
	name string
	// isCol is set when the expression is a plain reference to column col of its own scope's
	// row, so the planner can see that ORDER BY col can be served by an index on it.
	isCol bool
	col   int
}

const anonymous = "?column?"

// constant returns an expr that always yields v.
func constant(v schema.Value, t schema.Type, name string) *expr {
	return &expr{typ: t, konst: true, lit: &v, name: name, eval: func(schema.Row) (schema.Value, error) { return v, nil }}
}

// compiler compiles expressions in one scope.
type compiler struct {
	x  *execution
	sc *scope
	// group is set while compiling over grouped rows (select list, HAVING and ORDER BY of an
	// aggregate query): it maps GROUP BY expressions and aggregate calls to slots of the row.
	group *grouping
	// clause names where the expression stands, for "aggregate functions are not allowed in
	// WHERE"; inAggregate is set inside an aggregate's arguments.
	clause      string
	inAggregate bool
}

// compile compiles e.
func (c *compiler) compile(e parser.Expr) (*expr, error) {
	if c.group != nil {
		if g, err := c.group.intercept(c, e); g != nil || err != nil {
			return g, err
		}
	}
	switch n := e.(type) {
	case *parser.ParenExpr:
		return c.compile(n.X)
	case *parser.Literal:
		return literal(n)
	case *parser.ColumnRef:
		return c.columnRef(n)
	case *parser.Param:
		return c.param(n)
	case *parser.UnaryExpr:
		return c.unary(n)
	case *parser.BinaryExpr:
		return c.binary(n)
	case *parser.IsNullExpr:
		return c.isNull(n)
	case *parser.InExpr:
		if n.Select != nil {
			return c.inSubquery(n)
		}
		return c.inList(n)
	case *parser.BetweenExpr:
		return c.between(n)
	case *parser.QuantifiedExpr:
		return c.quantified(n)
	case *parser.LikeExpr:
		return c.like(n)
	case *parser.FuncCall:
		return c.funcCall(n)
	case *parser.CastExpr:
		return c.cast(n)
	case *parser.CaseExpr:
		return c.caseExpr(n)
	case *parser.SubqueryExpr:
		return c.scalarSubquery(n)
	case *parser.ExistsExpr:
		return c.exists(n)
	case *parser.DefaultExpr:
		return nil, errAt(n, schema.CodeSyntax, "DEFAULT is not allowed in this context")
	}
	return nil, errUnsupported(e, "this expression")
}

// literal types a constant as PostgreSQL does: integers are int4 when they fit, else int8,
// else numeric; decimals (a point or an exponent) are numeric; strings are unknown.
func literal(n *parser.Literal) (*expr, error) {
	switch n.Kind {
	case parser.LitNull:
		return constant(schema.Null, unknownType, anonymous), nil
	case parser.LitBool:
		return constant(schema.Bool(n.Text == "true"), schema.Boolean, "bool"), nil
	case parser.LitString:
		return constant(schema.Str(n.Text), unknownType, anonymous), nil
	case parser.LitInt:
		if i, err := strconv.ParseInt(n.Text, 10, 64); err == nil {
			if i >= math.MinInt32 && i <= math.MaxInt32 {
				return constant(schema.Int(i), schema.Integer, anonymous), nil
			}
			return constant(schema.Int(i), schema.BigInt, anonymous), nil
		}
	}
	d, ok, overflow := schema.ParseDecimal(n.Text)
	switch {
	case overflow:
		return nil, positioned(errNumericOverflow(), n)
	case !ok:
		return nil, errAt(n, schema.CodeInvalidText, "invalid input syntax for type numeric: %q", n.Text)
	}
	return constant(schema.Num(d), schema.Numeric, anonymous), nil
}

func (c *compiler) columnRef(n *parser.ColumnRef) (*expr, error) {
	found, pos, err := c.sc.resolve(n)
	if err != nil {
		return nil, err
	}
	col := found.cols[pos]
	if found == c.sc {
		return &expr{typ: col.typ, name: col.name, isCol: true, col: pos, eval: func(row schema.Row) (schema.Value, error) {
			return row[pos], nil
		}}, nil
	}
	// A column of an enclosing query: read it from that scope's current-row cell, which the
	// enclosing expression fills before it runs this subquery.
	cell := found.rowCell()
	return &expr{typ: col.typ, name: col.name, konst: true, eval: func(schema.Row) (schema.Value, error) {
		return (*cell)[pos], nil
	}}, nil
}

// param binds $n. Its type comes from the argument: integers are bigint, floats double; text
// and NULL arguments are unknown, so that they convert to what the context expects, the way
// PostgreSQL infers a parameter's type from where it is used.
func (c *compiler) param(n *parser.Param) (*expr, error) {
	if n.Index < 1 || n.Index > len(c.x.args) {
		return nil, errAt(n, codeUndefinedParameter, "there is no parameter $%d", n.Index)
	}
	v := c.x.args[n.Index-1]
	t := unknownType
	switch v.Kind() {
	case schema.KindInt:
		t = schema.BigInt
	case schema.KindFloat:
		t = schema.Double
	case schema.KindBool:
		t = schema.Boolean
	case schema.KindTimestamp:
		t = schema.Timestamp
	case schema.KindNumeric:
		t = schema.Numeric
	}
	return constant(v, t, anonymous), nil
}

// coerce gives an unknown-typed expression the type t (text when t is itself unknown); typed
// expressions are returned as they are. A literal is converted now, so '12x' = int_col fails
// at compile time with PostgreSQL's message.
func coerce(e *expr, t schema.Type, at parser.Node) (*expr, error) {
	if !isUnknown(e.typ) {
		return e, nil
	}
	if isUnknown(t) || t.Kind == schema.KindText {
		t = schema.Text
	}
	if e.lit != nil {
		if e.lit.IsNull() {
			return constant(schema.Null, t, e.name), nil
		}
		v, err := parseText(e.lit.Text(), t)
		if err != nil {
			return nil, positioned(err, at)
		}
		return constant(v, t, e.name), nil
	}
	return castTo(&expr{typ: schema.Text, eval: e.eval, konst: e.konst, name: e.name}, t), nil
}

// castTo converts a typed expression to type t at run time (an implicit or assignment cast
// already known to be allowed). It is a no-op when t has the same kind.
func castTo(e *expr, t schema.Type) *expr {
	if e.typ.Kind == t.Kind && (t.Kind != schema.KindFloat || e.typ.Width >= t.Width) &&
		!(isDateTime(t) && t.Width != 0 && t.Width != e.typ.Width) && // TIMESTAMP(p) rounds
		(t.Kind != schema.KindNumeric || t.Length == 0 || e.typ == t) {
		return e
	}
	if e.typ == schema.Real && t.Kind == schema.KindNumeric {
		return realToNumeric(e, t)
	}
	ev := e.eval
	return &expr{typ: t, konst: e.konst, name: e.name, eval: func(row schema.Row) (schema.Value, error) {
		v, err := ev(row)
		if err != nil || v.IsNull() {
			return v, err
		}
		return convert(v, t, false)
	}}
}

// requireBool checks that e can stand where a condition is expected (WHERE, AND, CASE WHEN).
func requireBool(e *expr, what string, at parser.Node) (*expr, error) {
	e, err := coerce(e, schema.Boolean, at)
	if err != nil {
		return nil, err
	}
	if e.typ.Kind != schema.KindBool {
		return nil, errAt(at, schema.CodeDatatypeMismatch, "argument of %s must be type boolean, not type %s", what, typeName(e.typ))
	}
	return e, nil
}

// compileCond compiles a condition that must be boolean (WHERE, ON, HAVING).
func (c *compiler) compileCond(e parser.Expr, what string) (*expr, error) {
	ce, err := c.compile(e)
	if err != nil {
		return nil, err
	}
	return requireBool(ce, what, e)
}

// strict2 builds the evaluation of a binary operator that is NULL when either operand is.
func strict2(l, r *expr, f func(a, b schema.Value) (schema.Value, error)) evalFn {
	le, re := l.eval, r.eval
	return func(row schema.Row) (schema.Value, error) {
		a, err := le(row)
		if err != nil {
			return schema.Null, err
		}
		b, err := re(row)
		if err != nil || a.IsNull() || b.IsNull() {
			return schema.Null, err
		}
		return f(a, b)
	}
}
