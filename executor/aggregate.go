package executor

import (
	"slices"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Grouping: an aggregate query turns its input rows into one row per group, laid out as the
// GROUP BY values followed by one value per aggregate call. The select list, HAVING and
// ORDER BY are then compiled over that grouped row: a GROUP BY expression becomes a read of
// its slot, an aggregate call a read of its result, and a bare column that is neither is
// PostgreSQL's 42803 error.

// grouping maps expressions of an aggregate query to slots of the grouped row.
type grouping struct {
	in      *scope
	keys    []*expr
	keyText []string
	keyPos  []int // the input position of a key that is a plain column, else -1
	aggs    []*aggregate
	// deps are the input positions of columns that are not grouped but depend on a grouped
	// primary key, so they have one value per group (taken from its first row).
	deps []int
	out  *scope // the grouped row: keys, then aggregates, then deps
}

// aggregate is one aggregate call.
type aggregate struct {
	fn       string
	arg      *expr // nil for count(*)
	distinct bool
	typ      schema.Type
	text     string
	// extras are further inputs read from each row (aggregate_more.go): string_agg's
	// delimiter, then the ORDER BY keys, which start at orderAt and sort by order.
	extras  []*expr
	orderAt int
	order   []sortKey
}

// newGrouping compiles the GROUP BY expressions over the input scope.
func (p *planner) newGrouping(in *scope, keys []parser.Expr) (*grouping, error) {
	g := &grouping{in: in, out: p.newScope(nil)}
	c := p.compiler(in, "GROUP BY")
	for _, k := range keys {
		e, err := c.compile(k)
		if err != nil {
			return nil, err
		}
		e, _ = coerce(e, schema.Text, k)
		pos := -1
		col := column{typ: e.typ}
		if ref, ok := unparen(k).(*parser.ColumnRef); ok {
			if pos, err = in.find(ref); err != nil {
				return nil, err
			}
			if pos >= 0 {
				col = in.cols[pos]
			}
		}
		g.keys = append(g.keys, e)
		g.keyText = append(g.keyText, format(unparen(k)))
		g.keyPos = append(g.keyPos, pos)
		g.out.cols = append(g.out.cols, col)
	}
	return g, nil
}

// intercept compiles e when it is a GROUP BY expression or an aggregate call (or fails for an
// ungrouped column); it returns nil, nil to let the compiler handle e.
func (g *grouping) intercept(c *compiler, e parser.Expr) (*expr, error) {
	switch n := e.(type) {
	case *parser.ParenExpr, *parser.Literal, *parser.Param:
		return nil, nil
	case *parser.FuncCall:
		if isAggregate(n.Name) {
			return g.aggregate(c, n)
		}
	case *parser.ColumnRef:
		pos, err := g.in.find(n)
		if err != nil || pos < 0 {
			return nil, err // not a column of this query: maybe of an enclosing one
		}
		return g.columnAt(pos, n)
	}
	text := format(e)
	for i, k := range g.keyText {
		if k == text {
			return g.slot(i, g.keys[i].name), nil
		}
	}
	return nil, nil
}

// columnAt compiles a reference to input column pos, which must be grouped, or depend on a
// grouped primary key (PostgreSQL's functional dependency rule).
func (g *grouping) columnAt(pos int, at parser.Node) (*expr, error) {
	for i, kp := range g.keyPos {
		if kp == pos {
			return g.slot(i, g.in.cols[pos].name), nil
		}
	}
	col := g.in.cols[pos]
	if g.primaryKeyGrouped(col.rel) {
		i := slices.Index(g.deps, pos)
		if i < 0 {
			i = len(g.deps)
			g.deps = append(g.deps, pos)
		}
		// The slot's position is known only when every aggregate has been registered.
		return &expr{typ: col.typ, name: col.name, eval: func(row schema.Row) (schema.Value, error) {
			return row[len(g.keys)+len(g.aggs)+i], nil
		}}, nil
	}
	name := col.name
	if col.table != "" {
		name = col.table + "." + name
	}
	return nil, errAt(at, schema.CodeGrouping, "column %q must appear in the GROUP BY clause or be used in an aggregate function", name)
}

// primaryKeyGrouped reports whether every primary key column of table reference rel is a
// GROUP BY key.
func (g *grouping) primaryKeyGrouped(rel *baseTable) bool {
	if rel == nil || rel.def.PrimaryKey() == nil {
		return false
	}
	for _, id := range rel.def.PrimaryKey().Columns {
		name := rel.def.Columns[rel.def.ColumnByID(id)].Name
		grouped := false
		for _, kp := range g.keyPos {
			grouped = grouped || kp >= 0 && g.in.cols[kp].rel == rel && g.in.cols[kp].name == name
		}
		if !grouped {
			return false
		}
	}
	return true
}

func (g *grouping) slot(i int, name string) *expr {
	return &expr{typ: g.out.cols[i].typ, name: name, eval: func(row schema.Row) (schema.Value, error) {
		return row[i], nil
	}}
}

// aggregate registers an aggregate call (once per distinct call text) and compiles a read of
// its result.
func (g *grouping) aggregate(c *compiler, n *parser.FuncCall) (*expr, error) {
	if c.inAggregate {
		return nil, errAt(n, schema.CodeGrouping, "aggregate function calls cannot be nested")
	}
	text := format(n)
	for i, a := range g.aggs {
		if a.text == text {
			return g.slot(len(g.keys)+i, n.Name), nil
		}
	}
	a := &aggregate{fn: n.Name, distinct: n.Distinct, text: text}
	ac := &compiler{x: c.x, sc: g.in, clause: "aggregate function calls", inAggregate: true}
	switch {
	case n.Star && n.Name == "count" && len(n.Args) == 0:
		a.typ = schema.BigInt
	case n.Name == "string_agg" && len(n.Args) == 2 && !n.Star:
		if err := a.compileStringAgg(ac, n); err != nil {
			return nil, err
		}
	case len(n.Args) != 1 || n.Star:
		return nil, errAt(n, schema.CodeUndefinedFunction, "function %s with %d arguments does not exist", n.Name, len(n.Args))
	default:
		arg, err := ac.compile(n.Args[0])
		if err != nil {
			return nil, err
		}
		switch n.Name {
		case "bool_and", "bool_or", "every":
			err = a.compileBoolAgg(n, arg)
		case "string_agg":
			err = errNoFunction(n, []*expr{arg})
		default:
			if a.typ, err = aggregateType(n, arg.typ); err == nil {
				a.arg, _ = coerce(arg, schema.Text, n)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if err := a.compileOrder(ac, n); err != nil {
		return nil, err
	}
	g.aggs = append(g.aggs, a)
	g.out.cols = append(g.out.cols, column{typ: a.typ})
	return g.slot(len(g.out.cols)-1, n.Name), nil
}

// aggregateType is the result type of an aggregate over arg, as in PostgreSQL: count is
// bigint; sum of smallint or integer is bigint, of bigint or numeric numeric, of a float that
// float; avg of a float is double precision, of integers or numeric numeric; min and max keep
// their argument's type.
func aggregateType(n *parser.FuncCall, arg schema.Type) (schema.Type, error) {
	switch n.Name {
	case "count":
		return schema.BigInt, nil
	case "min", "max":
		if isUnknown(arg) {
			return schema.Text, nil
		}
		return arg, nil
	}
	switch {
	case isUnknown(arg):
		return arg, errAt(n, codeAmbiguousFunction, "function %s(unknown) is not unique", n.Name)
	case !isNumeric(arg):
		return arg, errAt(n, schema.CodeUndefinedFunction, "function %s(%s) does not exist", n.Name, typeName(arg))
	case n.Name == "avg" && arg.Kind == schema.KindFloat:
		return schema.Double, nil
	case n.Name == "avg", arg.Kind == schema.KindNumeric, arg == schema.BigInt:
		return schema.Numeric, nil // sum(bigint) is numeric, so that it cannot overflow
	case arg.Kind == schema.KindInt:
		return schema.BigInt, nil
	}
	return arg, nil
}

// aggregateOp groups its input by the keys and computes the aggregates of each group. Groups
// come out in the order their first row arrived. With no GROUP BY there is exactly one group,
// even over no rows (count(*) of an empty table is one row: 0).
type aggregateOp struct {
	x  *execution
	in operator
	g  *grouping
}

type group struct {
	keys   schema.Row
	states []aggState
	deps   schema.Row
}

func (a *aggregateOp) produce(emit func(schema.Row) error) error {
	index := map[string]*group{}
	var groups []*group
	err := a.in.produce(func(row schema.Row) error {
		if err := a.x.checkCancel(); err != nil {
			return err
		}
		keys := make(schema.Row, len(a.g.keys))
		for i, k := range a.g.keys {
			v, err := k.eval(row)
			if err != nil {
				return err
			}
			keys[i] = v
		}
		k := schema.Key(keys...)
		grp := index[k]
		if grp == nil {
			grp = a.newGroup(keys)
			for _, pos := range a.g.deps {
				grp.deps = append(grp.deps, row[pos])
			}
			index[k] = grp
			groups = append(groups, grp)
		}
		return a.accumulate(grp, row)
	})
	if err != nil {
		return err
	}
	if len(groups) == 0 && len(a.g.keys) == 0 {
		groups = append(groups, a.newGroup(nil))
	}
	for _, grp := range groups {
		out := make(schema.Row, 0, len(a.g.out.cols)+len(a.g.deps))
		out = append(out, grp.keys...)
		for _, s := range grp.states {
			if f, ok := s.(finisher); ok {
				if err := f.finish(); err != nil {
					return err
				}
			}
			out = append(out, s.result())
		}
		out = append(out, grp.deps...)
		if err := emit(out); err != nil {
			return err
		}
	}
	return nil
}

func (a *aggregateOp) newGroup(keys schema.Row) *group {
	grp := &group{keys: keys, states: make([]aggState, len(a.g.aggs))}
	for i, ag := range a.g.aggs {
		grp.states[i] = ag.newState()
	}
	return grp
}

func (a *aggregateOp) accumulate(grp *group, row schema.Row) error {
	for i, ag := range a.g.aggs {
		v := schema.Null
		if ag.arg != nil {
			var err error
			if v, err = ag.arg.eval(row); err != nil {
				return err
			}
			if v.IsNull() {
				continue // aggregates skip NULLs; count(*) has no argument and counts all
			}
		}
		if err := feed(grp.states[i], ag, v, row); err != nil {
			return err
		}
	}
	return nil
}

func (a *aggregateOp) explain() *planNode {
	n := &planNode{label: "Aggregate", children: []*planNode{a.in.explain()}}
	if len(a.g.keys) > 0 {
		n.label = "HashAggregate"
		n.details = []string{"Group Key: " + joinText(a.g.keyText)}
	}
	return n
}

// hasAggregate reports whether e calls an aggregate outside any subquery.
func hasAggregate(e parser.Expr) bool {
	found := false
	walkExpr(e, func(n parser.Expr) bool {
		if f, ok := n.(*parser.FuncCall); ok && isAggregate(f.Name) {
			found = true
		}
		return !found
	})
	return found
}
