package executor

import (
	"strings"

	"github.com/eventsql/eventsql/parser"
)

// Pushing conditions into a view. A condition on a view's columns (v.id = 5) is moved into
// the view's own WHERE, with each column reference replaced by the column the view selects
// (t.id = 5), so that the scan of t can use an index — what PostgreSQL gets by flattening a
// view into the query. It is only done when it cannot change the result: the view is one
// SELECT without aggregates, GROUP BY, HAVING, DISTINCT, LIMIT or OFFSET (its rows are those
// of its FROM and WHERE, projected), and the condition reads only view columns that are plain
// column references, through operators (no function calls, which might be volatile, and no
// subqueries). Any other condition filters the view's rows, as for a subquery in FROM.

// pushTargets returns, for a view query that conditions can be pushed into, the expression
// each output column stands for (nil where it is not a plain column reference); nil when
// nothing can be pushed.
func pushTargets(stmt parser.Stmt) []*parser.ColumnRef {
	s, ok := stmt.(*parser.SelectStmt)
	if !ok || s.Distinct || len(s.GroupBy) > 0 || s.Having != nil || s.Limit != nil || s.Offset != nil {
		return nil
	}
	for _, o := range s.OrderBy {
		if hasAggregate(o.Expr) {
			return nil
		}
	}
	refs := make([]*parser.ColumnRef, len(s.Columns))
	for i, it := range s.Columns {
		if it.Star || hasAggregate(it.Expr) {
			return nil
		}
		refs[i], _ = unparen(it.Expr).(*parser.ColumnRef)
	}
	return refs
}

// withConds returns a copy of the view's SELECT whose WHERE also requires conds.
func withConds(stmt parser.Stmt, conds []parser.Expr) parser.Stmt {
	s := *stmt.(*parser.SelectStmt)
	for _, c := range conds {
		if s.Where == nil {
			s.Where = c
		} else {
			s.Where = &parser.BinaryExpr{At: c.Pos(), Op: parser.OpAnd, L: s.Where, R: c}
		}
	}
	return &s
}

// pushDown rewrites a condition over the view's columns (named names, reached as alias.name
// or name) into one over the view's FROM clause, or reports that it cannot.
func pushDown(e parser.Expr, alias string, names []string, targets []*parser.ColumnRef) (parser.Expr, bool) {
	ok := true
	var rw func(e parser.Expr) parser.Expr
	list := func(es []parser.Expr) []parser.Expr {
		out := make([]parser.Expr, len(es))
		for i, x := range es {
			out[i] = rw(x)
		}
		return out
	}
	rw = func(e parser.Expr) parser.Expr {
		switch n := e.(type) {
		case nil:
			return nil
		case *parser.Literal, *parser.Param:
			return n
		case *parser.ColumnRef:
			if t := viewTarget(n, alias, names, targets); t != nil {
				return &parser.ColumnRef{At: n.At, Table: t.Table, Column: t.Column}
			}
		case *parser.ParenExpr:
			return &parser.ParenExpr{At: n.At, X: rw(n.X)}
		case *parser.UnaryExpr:
			return &parser.UnaryExpr{At: n.At, Op: n.Op, X: rw(n.X)}
		case *parser.BinaryExpr:
			return &parser.BinaryExpr{At: n.At, Op: n.Op, L: rw(n.L), R: rw(n.R)}
		case *parser.IsNullExpr:
			return &parser.IsNullExpr{At: n.At, X: rw(n.X), Not: n.Not}
		case *parser.InExpr:
			if n.Select == nil {
				return &parser.InExpr{At: n.At, X: rw(n.X), Not: n.Not, List: list(n.List)}
			}
		case *parser.BetweenExpr:
			return &parser.BetweenExpr{At: n.At, X: rw(n.X), Lo: rw(n.Lo), Hi: rw(n.Hi), Not: n.Not}
		case *parser.LikeExpr:
			return &parser.LikeExpr{At: n.At, X: rw(n.X), Pattern: rw(n.Pattern), Escape: rw(n.Escape),
				Not: n.Not, CaseInsensitive: n.CaseInsensitive}
		case *parser.CastExpr:
			return &parser.CastExpr{At: n.At, X: rw(n.X), Type: n.Type}
		case *parser.CaseExpr:
			c := &parser.CaseExpr{At: n.At, Operand: rw(n.Operand), Else: rw(n.Else)}
			for _, w := range n.Whens {
				c.Whens = append(c.Whens, parser.When{Cond: rw(w.Cond), Result: rw(w.Result)})
			}
			return c
		}
		ok = false // anything else: a function, a subquery, a column that is not pushable
		return e
	}
	out := rw(e)
	return out, ok
}

// viewTarget returns the column reference the view's column named by ref stands for, or nil
// when ref names no view column, more than one, or one that is computed.
func viewTarget(ref *parser.ColumnRef, alias string, names []string, targets []*parser.ColumnRef) *parser.ColumnRef {
	if ref.Table != "" && !strings.EqualFold(ref.Table, alias) {
		return nil
	}
	var found *parser.ColumnRef
	matches := 0
	for i, name := range names {
		if strings.EqualFold(name, ref.Column) {
			matches++
			found = targets[i]
		}
	}
	if matches != 1 {
		return nil
	}
	return found
}
