package executor

import "github.com/eventsql/eventsql/parser"

// walkExpr calls fn for e and, while fn returns true, for each of its subexpressions, depth
// first. It does not enter subqueries: their expressions belong to another query level.
func walkExpr(e parser.Expr, fn func(parser.Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	var kids []parser.Expr
	switch n := e.(type) {
	case *parser.ParenExpr:
		kids = []parser.Expr{n.X}
	case *parser.UnaryExpr:
		kids = []parser.Expr{n.X}
	case *parser.BinaryExpr:
		kids = []parser.Expr{n.L, n.R}
	case *parser.IsNullExpr:
		kids = []parser.Expr{n.X}
	case *parser.InExpr:
		kids = append([]parser.Expr{n.X}, n.List...)
	case *parser.BetweenExpr:
		kids = []parser.Expr{n.X, n.Lo, n.Hi}
	case *parser.LikeExpr:
		kids = []parser.Expr{n.X, n.Pattern, n.Escape}
	case *parser.FuncCall:
		kids = n.Args
		for _, o := range n.OrderBy {
			kids = append(kids, o.Expr)
		}
	case *parser.QuantifiedExpr:
		kids = []parser.Expr{n.X}
	case *parser.CastExpr:
		kids = []parser.Expr{n.X}
	case *parser.CaseExpr:
		kids = []parser.Expr{n.Operand, n.Else}
		for _, w := range n.Whens {
			kids = append(kids, w.Cond, w.Result)
		}
	}
	for _, k := range kids {
		walkExpr(k, fn)
	}
}

// conjuncts splits a condition into the terms of its top-level ANDs. x BETWEEN lo AND hi
// counts as the two terms x >= lo and x <= hi, as PostgreSQL rewrites it: each can then be
// placed, folded and used by an index on its own.
func conjuncts(e parser.Expr) []parser.Expr {
	if e == nil {
		return nil
	}
	switch n := unparen(e).(type) {
	case *parser.BinaryExpr:
		if n.Op == parser.OpAnd {
			return append(conjuncts(n.L), conjuncts(n.R)...)
		}
	case *parser.BetweenExpr:
		if !n.Not && !n.Symmetric {
			return []parser.Expr{
				&parser.BinaryExpr{At: n.At, Op: parser.OpGe, L: n.X, R: n.Lo},
				&parser.BinaryExpr{At: n.At, Op: parser.OpLe, L: n.X, R: n.Hi},
			}
		}
	}
	return []parser.Expr{e}
}
