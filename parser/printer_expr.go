package parser

import (
	"fmt"
	"strconv"
	"strings"
)

// Where parentheses go.
//
// The parser reads an operand, then keeps taking operators of at least some minimum
// precedence (parseBinaryExpr). So printed text reads back as the same tree when every
// subexpression x, printed at a place where the parser will read it with minimum precedence
// m and where the next operator after it has precedence r, satisfies two conditions:
//
//   - left:  x's top operator has precedence >= m, or the loop would stop before it. Prefix
//     operators (NOT, unary minus) are exempt: the parser takes them anywhere an operand
//     starts ("a = NOT b" is valid).
//   - right: r is not taken into x's last operand. That operand was read with some minimum
//     precedence (x's own for a binary operator, IS for NOT, || for BETWEEN and LIKE), so r
//     must be below it. Postfix and closed forms (IS NULL, IN (...), calls) take nothing.
//
// exprPrec gives both numbers for a node; expr adds parentheses when either fails. Trees
// from the parser never fail them (the author's parentheses are ParenExpr nodes), so the
// round trip adds none.

const noLimit = precPrimary + 1

// exprPrec returns the precedence x's top operator needs from the left, and the highest
// precedence an operator after x may have without being taken into x.
func exprPrec(x Expr) (left, right int) {
	switch x := x.(type) {
	case *BinaryExpr:
		p := binaryPrec(x.Op)
		if p == precCompare || p == precIs {
			return p, p - 1 // comparisons and IS DISTINCT FROM do not associate
		}
		return p, p
	case *UnaryExpr:
		if x.Op == OpNot {
			return noLimit, precNot
		}
		return noLimit, noLimit
	case *ExistsExpr:
		if x.Not {
			return noLimit, precNot
		}
	case *IsNullExpr:
		return precIs, noLimit
	case *InExpr:
		return precLike, noLimit
	case *QuantifiedExpr:
		return precCompare, noLimit
	case *BetweenExpr, *LikeExpr:
		return precLike, precLike - 1 // they do not associate
	}
	return noLimit, noLimit
}

func binaryPrec(op Op) int {
	switch op {
	case OpOr:
		return precOr
	case OpAnd:
		return precAnd
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe:
		return precCompare
	case OpConcat:
		return precOther
	case OpAdd, OpSub:
		return precAdd
	case OpMul, OpDiv, OpMod:
		return precMul
	case OpPow:
		return precPow
	case OpIsDistinct, OpIsNotDistinct:
		return precIs
	}
	return precPrimary
}

// expr prints x where the parser reads with minimum precedence m and the next operator has
// precedence r (LowestPrec if none follows).
func (p *printer) expr(x Expr, m, r int) {
	left, right := exprPrec(x)
	if left < m || r > right {
		p.WriteString("(")
		p.expr1(x, precOr, LowestPrec)
		p.WriteString(")")
		return
	}
	p.expr1(x, m, r)
}

func (p *printer) exprList(list []Expr) {
	for i, x := range list {
		if i > 0 {
			p.WriteString(", ")
		}
		p.expr(x, precOr, LowestPrec)
	}
}

// expr1 prints x without parentheses of its own.
func (p *printer) expr1(x Expr, m, r int) {
	switch x := x.(type) {
	case *Literal:
		p.literal(x)
	case *ColumnRef:
		if x.Table != "" {
			p.name(x.Table)
			p.WriteString(".")
		}
		p.name(x.Column)
	case *Param:
		p.WriteString("$" + strconv.Itoa(x.Index))
	case *DefaultExpr:
		p.WriteString("DEFAULT")
	case *ParenExpr:
		p.WriteString("(")
		p.expr(x.X, precOr, LowestPrec)
		p.WriteString(")")
	case *UnaryExpr:
		switch x.Op {
		case OpNot:
			p.WriteString("NOT ")
			p.expr(x.X, precIs, r)
		default:
			p.WriteString(x.Op.String())
			// "- -x" must not become the comment "--x".
			if u, ok := x.X.(*UnaryExpr); ok && u.Op != OpNot ||
				isLit(x.X) && strings.HasPrefix(x.X.(*Literal).Text, "-") {
				p.WriteString(" ")
			}
			p.expr(x.X, precUnary, r)
		}
	case *BinaryExpr:
		prec := binaryPrec(x.Op)
		p.expr(x.L, m, prec)
		p.WriteString(" " + x.Op.String() + " ")
		p.expr(x.R, prec+1, r)
	case *IsNullExpr:
		p.expr(x.X, m, precIs)
		if x.Not {
			p.WriteString(" IS NOT " + x.Test.String())
		} else {
			p.WriteString(" IS " + x.Test.String())
		}
	case *InExpr:
		p.expr(x.X, m, precLike)
		p.not(x.Not)
		p.WriteString("IN (")
		if x.Select != nil {
			p.stmt(x.Select)
		} else {
			p.exprList(x.List)
		}
		p.WriteString(")")
	case *BetweenExpr:
		p.expr(x.X, m, precLike)
		p.not(x.Not)
		p.WriteString("BETWEEN ")
		if x.Symmetric {
			p.WriteString("SYMMETRIC ")
		}
		p.expr(x.Lo, precOther, precAnd)
		p.WriteString(" AND ")
		p.expr(x.Hi, precOther, r)
	case *QuantifiedExpr:
		p.expr(x.X, m, precCompare)
		p.WriteString(" " + x.Op.String())
		if x.All {
			p.WriteString(" ALL (")
		} else {
			p.WriteString(" ANY (")
		}
		p.stmt(x.Select)
		p.WriteString(")")
	case *LikeExpr:
		p.expr(x.X, m, precLike)
		p.not(x.Not)
		if x.CaseInsensitive {
			p.WriteString("ILIKE ")
		} else {
			p.WriteString("LIKE ")
		}
		if x.Escape == nil {
			p.expr(x.Pattern, precOther, r)
		} else {
			p.expr(x.Pattern, precOther, LowestPrec)
			p.WriteString(" ESCAPE ")
			p.expr(x.Escape, precOther, r)
		}
	default:
		p.closedExpr(x)
	}
}

func isLit(x Expr) bool { _, ok := x.(*Literal); return ok }

// isPrefix reports whether x prints starting with a prefix operator, which would take a
// following :: into its operand.
func isPrefix(x Expr) bool {
	switch x := x.(type) {
	case *UnaryExpr:
		return true
	case *ExistsExpr:
		return x.Not
	case *Literal:
		return strings.HasPrefix(x.Text, "-")
	}
	return false
}

func (p *printer) not(not bool) {
	if not {
		p.WriteString(" NOT ")
	} else {
		p.WriteString(" ")
	}
}

// closedExpr prints the expressions that delimit themselves: calls, CASE, casts, subqueries.
func (p *printer) closedExpr(x Expr) {
	switch x := x.(type) {
	case *FuncCall:
		if x.Args == nil && !x.Star && !x.Distinct && Lookup(x.Name) != IDENT &&
			valueFuncs[Lookup(x.Name)] {
			p.WriteString(upper(x.Name))
			return
		}
		p.WriteString(quoteName(x.Name, TypeFunc))
		p.WriteString("(")
		switch {
		case x.Star:
			p.WriteString("*")
		case x.Distinct:
			p.WriteString("DISTINCT ")
			fallthrough
		default:
			p.exprList(x.Args)
		}
		p.queryTail(x.OrderBy, nil, nil)
		p.WriteString(")")
	case *CastExpr:
		if l, ok := x.X.(*Literal); ok && l.Kind == LitString && len(x.Type.Args) == 0 &&
			(x.Type.Name == "TIMESTAMP" || x.Type.Name == "DATE") {
			p.WriteString(x.Type.Name + " ")
			p.literal(l)
			return
		}
		// x::type where x is an operand; it nests no deeper than the parser went.
		if left, _ := exprPrec(x.X); left == noLimit && !isPrefix(x.X) {
			p.expr(x.X, precPrimary, LowestPrec)
			p.WriteString("::")
			p.typeName(x.Type)
			return
		}
		p.WriteString("CAST(")
		p.expr(x.X, precOr, LowestPrec)
		p.WriteString(" AS ")
		p.typeName(x.Type)
		p.WriteString(")")
	case *CaseExpr:
		p.WriteString("CASE ")
		if x.Operand != nil {
			p.expr(x.Operand, precOr, LowestPrec)
			p.WriteString(" ")
		}
		for _, w := range x.Whens {
			p.WriteString("WHEN ")
			p.expr(w.Cond, precOr, LowestPrec)
			p.WriteString(" THEN ")
			p.expr(w.Result, precOr, LowestPrec)
			p.WriteString(" ")
		}
		if x.Else != nil {
			p.WriteString("ELSE ")
			p.expr(x.Else, precOr, LowestPrec)
			p.WriteString(" ")
		}
		p.WriteString("END")
	case *SubqueryExpr:
		p.WriteString("(")
		p.stmt(x.Select)
		p.WriteString(")")
	case *ExistsExpr:
		if x.Not {
			p.WriteString("NOT ")
		}
		p.WriteString("EXISTS (")
		p.stmt(x.Select)
		p.WriteString(")")
	default:
		panic("parser.Format: unknown expression " + strconv.Quote(typeName(x)))
	}
}

// valueFuncs are the keywords parsed as calls without parentheses.
var valueFuncs = map[Token]bool{CURRENT_DATE: true, CURRENT_TIMESTAMP: true, LOCALTIMESTAMP: true}

func (p *printer) literal(l *Literal) {
	switch l.Kind {
	case LitNull:
		p.WriteString("NULL")
	case LitBool:
		p.WriteString(upper(l.Text))
	case LitString:
		p.WriteString(quoteString(l.Text))
	default:
		p.WriteString(l.Text)
	}
}

// quoteString returns s as an SQL string literal.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// quoteName returns name as written in SQL: bare when it is a plain lower-case word that is
// not a keyword more reserved than max, in double quotes otherwise.
func quoteName(name string, max Class) string {
	if plainWord(name) {
		if t := Lookup(name); t == IDENT || t.Class() == Unreserved || t.Class() == max {
			return name
		}
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// plainWord reports whether s scans as one unquoted identifier folding to itself.
func plainWord(s string) bool {
	if s == "" || !('a' <= s[0] && s[0] <= 'z' || s[0] == '_') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '$') {
			return false
		}
	}
	return true
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }
