package executor

import (
	"slices"
	"strconv"
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// planner builds the plan of one query level. A subquery gets its own planner whose outer
// scope is the scope of the expression that contains it.
type planner struct {
	x     *execution
	outer *scope
	corr  *correlation
	// keepUnknown leaves the select list's unknown-typed columns (NULL, '5') unknown instead of
	// making them text: a SELECT that is an operand of UNION/INTERSECT/EXCEPT, whose column
	// types are resolved across both operands (SELECT 1 UNION SELECT NULL is integer).
	keepUnknown bool
}

func (p *planner) newScope(cols []column) *scope { return newScope(cols, p.outer, p.corr) }

func (p *planner) compiler(sc *scope, clause string) *compiler {
	return &compiler{x: p.x, sc: sc, clause: clause}
}

// query is a planned query: the root operator and the columns of its rows.
type query struct {
	root operator
	cols []Column
}

// planQuery plans a SELECT or a set operation.
func (p *planner) planQuery(stmt parser.Stmt) (*query, error) {
	switch s := stmt.(type) {
	case *parser.SelectStmt:
		return p.planSelect(s)
	case *parser.SetOpStmt:
		return p.planSetOp(s)
	case *parser.WithStmt:
		return p.planWith(s)
	}
	return nil, errUnsupported(stmt, "this statement as a query")
}

// selectItem is one output column before compilation: an expression, or (from * or t.*)
// the input column at pos.
type selectItem struct {
	ast   parser.Expr
	alias string
	pos   int // >= 0 for a column expanded from *
}

// planSelect plans one SELECT:
//
//	FROM/WHERE (joins, scans) → [aggregate → HAVING] → project → [DISTINCT] → [ORDER BY] → [LIMIT]
func (p *planner) planSelect(s *parser.SelectStmt) (*query, error) {
	if hasAggregate(s.Where) {
		return nil, errAt(s.Where, schema.CodeGrouping, "aggregate functions are not allowed in WHERE")
	}
	op, sc, err := p.planFrom(s)
	if err != nil {
		return nil, err
	}
	items, err := expandStars(s.Columns, sc)
	if err != nil {
		return nil, err
	}
	c := p.compiler(sc, "SELECT")
	var g *grouping
	if len(s.GroupBy) > 0 || s.Having != nil || anyAggregate(items, s.OrderBy) {
		keys, err := groupKeys(s.GroupBy, items, sc)
		if err != nil {
			return nil, err
		}
		if g, err = p.newGrouping(sc, keys); err != nil {
			return nil, err
		}
		c = &compiler{x: p.x, sc: g.out, group: g, clause: "SELECT"}
	}
	exprs, cols, err := compileItems(c, items, g, p.keepUnknown)
	if err != nil {
		return nil, err
	}
	var having *expr
	if s.Having != nil {
		if having, err = c.compileCond(s.Having, "HAVING"); err != nil {
			return nil, err
		}
	}
	keys, exprs, err := p.orderKeys(c, s.OrderBy, items, exprs, cols, s.Distinct)
	if err != nil {
		return nil, err
	}
	if g != nil {
		if meta := p.metaAggregate(op, g); meta != nil {
			op = meta
		} else {
			op = &aggregateOp{x: p.x, in: op, g: g}
		}
		if having != nil {
			op = &filterOp{in: op, conds: []*expr{having}, text: []parser.Expr{s.Having}}
		}
	}
	if g == nil && !s.Distinct && p.orderedByIndex(op, keys, exprs, s.Limit != nil) {
		keys = nil // the scan reads the rows in the order asked for
	}
	op = &projectOp{in: op, exprs: exprs}
	if s.Distinct {
		op = &distinctOp{x: p.x, in: op, n: len(cols), text: columnNames(cols)}
	}
	if op, err = p.finish(op, keys, s.Limit, s.Offset); err != nil {
		return nil, err
	}
	if len(exprs) > len(cols) {
		op = &trimOp{in: op, n: len(cols)}
	}
	return &query{root: op, cols: cols}, nil
}

// planFrom plans the FROM and WHERE clauses; a query without FROM reads one empty row.
func (p *planner) planFrom(s *parser.SelectStmt) (operator, *scope, error) {
	if s.From == nil {
		sc := p.newScope(nil)
		op, err := p.filtered(resultOp{}, sc, conjuncts(s.Where))
		return op, sc, err
	}
	if err := checkDuplicateNames(s.From, map[string]bool{}); err != nil {
		return nil, nil, err
	}
	u, err := p.prepare(s.From)
	if err != nil {
		return nil, nil, err
	}
	gates, conds, err := p.pseudoconstant(u.sc, conjuncts(s.Where))
	if err != nil {
		return nil, nil, err
	}
	op, err := u.build(conds)
	if err != nil || len(gates) == 0 {
		return op, u.sc, err
	}
	f, err := p.compileConds(u.sc, gates)
	return &gateOp{in: op, conds: f, text: gates}, u.sc, err
}

// pseudoconstant separates the WHERE terms that read no column of the FROM clause (WHERE
// false, WHERE $1 > 0, WHERE x >= NULL): PostgreSQL evaluates them once, before reading
// any row, and so does gateOp.
func (p *planner) pseudoconstant(sc *scope, conds []parser.Expr) (gates, rest []parser.Expr, err error) {
	c := p.compiler(sc, "WHERE")
	for _, cond := range conds {
		sc.used = make([]bool, len(sc.cols))
		_, err := c.compileCond(cond, "WHERE")
		used := slices.Contains(sc.used, true)
		sc.used = nil
		if err != nil {
			return nil, nil, err
		}
		if used {
			rest = append(rest, cond)
		} else {
			gates = append(gates, cond)
		}
	}
	return gates, rest, nil
}

// finish adds ORDER BY and LIMIT/OFFSET.
func (p *planner) finish(op operator, keys []sortKey, limit, offset parser.Expr) (operator, error) {
	var sorter *sortOp
	if len(keys) > 0 {
		sorter = &sortOp{x: p.x, in: op, keys: keys}
		op = sorter
	}
	if limit == nil && offset == nil {
		return op, nil
	}
	l := &limitOp{in: op}
	var err error
	if l.limit, err = p.countExpr(limit, "LIMIT"); err != nil {
		return nil, err
	}
	if l.offset, err = p.countExpr(offset, "OFFSET"); err != nil {
		return nil, err
	}
	if sorter != nil {
		sorter.limit, sorter.offset = l.limit, l.offset // keep only the rows LIMIT can reach
	}
	return l, nil
}

// countExpr compiles a LIMIT or OFFSET: a row-independent bigint.
func (p *planner) countExpr(e parser.Expr, what string) (*expr, error) {
	if e == nil {
		return nil, nil
	}
	ce, err := p.compiler(p.newScope(nil), what).compile(e)
	if err != nil {
		return nil, err
	}
	if ce, err = coerce(ce, schema.BigInt, e); err != nil {
		return nil, err
	}
	if !isNumeric(ce.typ) {
		return nil, errAt(e, schema.CodeDatatypeMismatch, "argument of %s must be type bigint, not type %s", what, typeName(ce.typ))
	}
	return castTo(ce, schema.BigInt), nil
}

// expandStars replaces * and t.* by the columns they stand for.
func expandStars(cols []parser.SelectItem, sc *scope) ([]selectItem, error) {
	var items []selectItem
	for _, it := range cols {
		if !it.Star {
			items = append(items, selectItem{ast: it.Expr, alias: it.Alias, pos: -1})
			continue
		}
		found := false
		for pos, c := range sc.cols {
			if !c.system && (it.Table == "" && !c.hidden || it.Table != "" && strings.EqualFold(c.table, it.Table)) {
				ref := &parser.ColumnRef{At: it.At, Table: c.table, Column: c.name}
				items = append(items, selectItem{ast: ref, pos: pos})
				c.rel.noteColumn(c.name)
				found = true
			}
		}
		if it.Table != "" && !found {
			return nil, errAtPos(it.At, schema.CodeUndefinedTable, "missing FROM-clause entry for table %q", it.Table)
		}
		if it.Table == "" && len(sc.cols) == 0 {
			return nil, errAtPos(it.At, schema.CodeSyntax, "SELECT * with no tables specified is not valid")
		}
	}
	return items, nil
}

func anyAggregate(items []selectItem, order []parser.OrderItem) bool {
	for _, it := range items {
		if it.pos < 0 && hasAggregate(it.ast) {
			return true
		}
	}
	for _, o := range order {
		if hasAggregate(o.Expr) {
			return true
		}
	}
	return false
}

// groupKeys resolves GROUP BY items: an integer is an output column's position; a bare name
// that is no input column may name an output column (an input column wins, as in PostgreSQL).
func groupKeys(groupBy []parser.Expr, items []selectItem, sc *scope) ([]parser.Expr, error) {
	keys := make([]parser.Expr, len(groupBy))
	for i, k := range groupBy {
		keys[i] = k
		switch n := unparen(k).(type) {
		case *parser.Literal:
			if n.Kind != parser.LitInt {
				continue
			}
			pos, err := strconv.Atoi(n.Text)
			if err != nil || pos < 1 || pos > len(items) {
				return nil, errAt(n, codeInvalidColumnRef, "GROUP BY position %s is not in select list", n.Text)
			}
			keys[i] = items[pos-1].ast
		case *parser.ColumnRef:
			if p, err := sc.find(n); n.Table != "" || err != nil || p >= 0 {
				continue
			}
			for _, it := range items {
				if it.alias != "" && strings.EqualFold(it.alias, n.Column) {
					keys[i] = it.ast
					break
				}
			}
		}
	}
	return keys, nil
}

// compileItems compiles the select list and names its columns.
func compileItems(c *compiler, items []selectItem, g *grouping, keepUnknown bool) ([]*expr, []Column, error) {
	exprs := make([]*expr, len(items))
	cols := make([]Column, len(items))
	for i, it := range items {
		var e *expr
		var err error
		switch {
		case it.pos >= 0 && g != nil:
			e, err = g.columnAt(it.pos, it.ast)
		case it.pos >= 0:
			col, pos := c.sc.cols[it.pos], it.pos
			e = &expr{typ: col.typ, name: col.name, isCol: true, col: pos, eval: func(row schema.Row) (schema.Value, error) { return row[pos], nil }}
		default:
			e, err = c.compile(it.ast)
		}
		if err != nil {
			return nil, nil, err
		}
		if isUnknown(e.typ) && !keepUnknown {
			e, _ = coerce(e, schema.Text, it.ast)
		}
		name := e.name
		if it.alias != "" {
			name = it.alias
		} else if name == "" {
			name = anonymous
		}
		exprs[i], cols[i] = e, Column{Name: name, Type: e.typ}
	}
	return exprs, cols, nil
}

func columnNames(cols []Column) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}
