package parser

import "strconv"

// binaryOps maps the binary operator tokens to their AST operators.
var binaryOps = map[Token]Op{
	OR: OpOr, AND: OpAnd,
	EQ: OpEq, NE: OpNe, LT: OpLt, LE: OpLe, GT: OpGt, GE: OpGe,
	CONCAT: OpConcat, PLUS: OpAdd, MINUS: OpSub, STAR: OpMul, SLASH: OpDiv, PERCENT: OpMod,
	CARET: OpPow,
}

// parseExpr parses a whole expression.
//
//	expr = binary_expr(OR) .
func (p *parser) parseExpr() Expr { return p.parseBinaryExpr(precOr) }

// parseExprList parses a comma-separated list of expressions.
//
//	expr_list = expr { "," expr } .
func (p *parser) parseExprList() []Expr {
	list := []Expr{p.parseExpr()}
	for p.got(COMMA) {
		list = append(list, p.parseExpr())
	}
	return list
}

// parseBinaryExpr parses by precedence climbing: an operand, then every operator of
// precedence >= minPrec, each taking as right operand what binds tighter than itself (so all
// are left-associative). IS NULL is a postfix operator at its own level; BETWEEN, IN and
// LIKE are handled here because they share the level of binary operators. As in
// PostgreSQL, comparisons, the LIKE level and IS DISTINCT FROM do not associate: after
// "a < b" another operator of the same level is an error, not "(a < b) < c".
//
//	binary_expr(min) = unary { AT TIME ZONE unary } { op(prec >= min) operand } .
//	operand          = binary_expr(prec+1)
//	                 | [ ANY | SOME | ALL ] "(" query ")"        (after a comparison)
//	                 | IS [NOT] NULL | ISNULL | NOTNULL
//	                 | IS [NOT] DISTINCT FROM binary_expr(IS+1)
//	                 | [NOT] BETWEEN [SYMMETRIC] binary_expr(||) AND binary_expr(||)
//	                 | [NOT] IN "(" ( query | expr { "," expr } ) ")"
//	                 | [NOT] ( LIKE | ILIKE ) binary_expr(||) [ ESCAPE binary_expr(||) ] .
func (p *parser) parseBinaryExpr(minPrec int) Expr {
	grown := 0
	defer func() { p.chain -= grown }()
	open := LowestPrec // the level of a non-associative operator that x ends with
	x := p.parseUnaryExpr()
	// x AT TIME ZONE z binds tighter than every binary operator and looser than unary minus;
	// it is PostgreSQL's call timezone(z, x), and that is what it becomes.
	for p.tok.tok == IDENT && p.tok.lit == "at" && p.peek(1) == TIME && p.peek(2) == ZONE {
		grown++
		p.grow()
		pos := p.tok.pos
		p.next()
		p.next()
		p.next()
		x = &FuncCall{At: pos, Name: "timezone", Args: []Expr{p.parseUnaryExpr(), x}}
	}
	for {
		t := p.tok.tok
		prec := t.Precedence()
		not := false
		if t == NOT {
			switch p.peek(1) {
			case BETWEEN, IN, LIKE, ILIKE:
				prec, not = precLike, true
			}
		}
		if prec == LowestPrec || prec < minPrec {
			return x
		}
		if prec == open {
			p.errorf(p.tok.pos, "%s does not associate with the operator before it: add parentheses", describe(p.tok))
		}
		grown++
		p.grow()
		pos := p.tok.pos
		p.next()
		if not {
			t = p.tok.tok
			p.next()
		}
		open = LowestPrec
		switch t {
		case IS:
			x, open = p.parseIsTail(pos, x)
		case ISNULL, NOTNULL:
			x = &IsNullExpr{At: pos, X: x, Not: t == NOTNULL}
		case BETWEEN:
			b := &BetweenExpr{At: pos, X: x, Not: not}
			if p.tok.tok == IDENT && p.tok.lit == "symmetric" && p.tok.raw != `"symmetric"` {
				p.next()
				b.Symmetric = true
			}
			b.Lo = p.parseBinaryExpr(precOther)
			p.expect(AND)
			b.Hi = p.parseBinaryExpr(precOther)
			x, open = b, precLike
		case IN:
			x = p.parseIn(&InExpr{At: pos, X: x, Not: not})
		case LIKE, ILIKE:
			l := &LikeExpr{At: pos, X: x, Not: not, CaseInsensitive: t == ILIKE}
			l.Pattern = p.parseBinaryExpr(precOther)
			if p.got(ESCAPE) {
				l.Escape = p.parseBinaryExpr(precOther)
			}
			x, open = l, precLike
		default:
			if prec == precCompare && (p.tok.tok == ANY || p.tok.tok == ALL || p.tok.tok == SOME) && p.peek(1) == LPAREN {
				x = p.parseQuantified(pos, x, binaryOps[t])
				break
			}
			y := p.parseBinaryExpr(prec + 1)
			x = &BinaryExpr{At: pos, Op: binaryOps[t], L: x, R: y}
			if prec == precCompare {
				open = precCompare
			}
		}
	}
}

// parseIsTail parses what follows IS: [NOT] NULL | TRUE | FALSE | UNKNOWN, or [NOT] DISTINCT
// FROM and its right operand. It returns the level x is left open at (IS for DISTINCT FROM,
// which does not associate).
//
//	is_tail = [ NOT ] ( NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM binary_expr(IS+1) ) .
func (p *parser) parseIsTail(pos Pos, x Expr) (Expr, int) {
	isNot := p.got(NOT)
	if p.got(DISTINCT) {
		p.expect(FROM)
		op := OpIsDistinct
		if isNot {
			op = OpIsNotDistinct
		}
		return &BinaryExpr{At: pos, Op: op, L: x, R: p.parseBinaryExpr(precIs + 1)}, precIs
	}
	test := IsNull
	switch {
	case p.got(TRUE):
		test = IsTrue
	case p.got(FALSE):
		test = IsFalse
	case p.isWord("unknown"):
		p.next()
		test = IsUnknown
	default:
		p.expect(NULL)
	}
	return &IsNullExpr{At: pos, X: x, Not: isNot, Test: test}, LowestPrec
}

// parseQuantified parses the subquery of a comparison with ANY, SOME or ALL.
//
//	quantified = ( ANY | SOME | ALL ) "(" query ")" .
func (p *parser) parseQuantified(pos Pos, x Expr, op Op) Expr {
	q := &QuantifiedExpr{At: pos, X: x, Op: op, All: p.tok.tok == ALL}
	p.next()
	p.expect(LPAREN)
	q.Select = p.parseQuery()
	p.expect(RPAREN)
	return q
}

// parseIn parses the parenthesized list or subquery of IN. "((" may open either a list whose
// first item is parenthesized or a parenthesized query, so both are tried.
//
//	in_tail = "(" ( query | expr_list ) ")" .
func (p *parser) parseIn(in *InExpr) *InExpr {
	p.expect(LPAREN)
	list := func() any {
		l := p.parseExprList()
		p.expect(RPAREN)
		return l
	}
	query := func() any {
		q := p.parseQuery()
		p.expect(RPAREN)
		return q
	}
	var v any
	switch p.tok.tok {
	case SELECT, WITH:
		v = query()
	case LPAREN:
		v = p.alt(altInList, list, query)
	default:
		v = list()
	}
	if q, ok := v.(Stmt); ok {
		in.Select = q
	} else {
		in.List = v.([]Expr)
	}
	return in
}

// parseUnaryExpr parses the prefix operators. NOT takes everything that binds tighter than
// itself (NOT a = b is NOT (a = b)); unary minus and plus only an operand and its casts.
//
//	unary = NOT binary_expr(IS) | ( "-" | "+" ) unary | postfix .
func (p *parser) parseUnaryExpr() Expr {
	p.enter()
	defer p.leave()
	pos := p.tok.pos
	switch p.tok.tok {
	case NOT:
		p.next()
		x := p.parseBinaryExpr(precIs)
		if e, ok := x.(*ExistsExpr); ok && !e.Not {
			// NOT EXISTS (...) is one node; "NOT (EXISTS ...)" keeps its ParenExpr.
			e.At, e.Not = pos, true
			return e
		}
		return &UnaryExpr{At: pos, Op: OpNot, X: x}
	case MINUS:
		p.next()
		return &UnaryExpr{At: pos, Op: OpNeg, X: p.parseUnaryExpr()}
	case PLUS:
		p.next()
		return &UnaryExpr{At: pos, Op: OpPlus, X: p.parseUnaryExpr()}
	}
	return p.parsePostfixExpr()
}

// parsePostfixExpr parses PostgreSQL's cast operator.
//
//	postfix = primary { "::" type } .
func (p *parser) parsePostfixExpr() Expr {
	x := p.parsePrimaryExpr()
	grown := 0
	defer func() { p.chain -= grown }()
	for p.tok.tok == DCOLON {
		grown++
		p.grow()
		pos := p.tok.pos
		p.next()
		x = &CastExpr{At: pos, X: x, Type: p.parseTypeName()}
	}
	return x
}

// parsePrimaryExpr parses an operand.
//
//	primary = literal | param | "(" expr ")" | "(" query ")" | case | cast | EXISTS "(" query ")"
//	        | type string | name "(" args ")" | name [ "." name ]
//	        | CURRENT_DATE | CURRENT_TIMESTAMP | LOCALTIMESTAMP .
func (p *parser) parsePrimaryExpr() Expr {
	tok := p.tok
	switch tok.tok {
	case INT, FLOAT, STRING, TRUE, FALSE, NULL:
		p.next()
		return literal(tok)
	case PARAM:
		p.next()
		n, err := strconv.Atoi(tok.lit)
		if err != nil || n < 1 || n > 1<<16 {
			p.errorf(tok.pos, "parameter %s out of range", tok.raw)
		}
		return &Param{At: tok.pos, Index: n}
	case QMARK:
		p.next()
		p.qmarks++
		return &Param{At: tok.pos, Index: p.qmarks}
	case LPAREN:
		return p.parseParenExpr()
	case CASE:
		return p.parseCase()
	case CAST:
		return p.parseCast()
	case CURRENT_DATE, CURRENT_TIMESTAMP, LOCALTIMESTAMP:
		// SQL's value functions: calls without parentheses. They print back the same way.
		p.next()
		return &FuncCall{At: tok.pos, Name: tok.lit}
	case EXISTS:
		if p.peek(1) == LPAREN {
			p.next()
			p.expect(LPAREN)
			e := &ExistsExpr{At: tok.pos, Select: p.parseQuery()}
			p.expect(RPAREN)
			return e
		}
	}
	if x := p.tryTypedLiteral(); x != nil {
		return x
	}
	class := tok.tok.Class()
	if tok.tok == IDENT || tok.tok == QIDENT || class != NotKeyword {
		if p.peek(1) == LPAREN && class != ColName && class != Reserved {
			return p.parseCall()
		}
		if class <= ColName {
			c := &ColumnRef{At: tok.pos, Column: tok.lit}
			p.next()
			if p.got(DOT) {
				c.Table = c.Column
				c.Column = p.parseName("column name", Reserved)
			}
			return c
		}
	}
	p.errorExpected("expression")
	return nil
}

// literal makes the Literal for a literal token.
func literal(tok item) *Literal {
	l := &Literal{At: tok.pos, Text: tok.lit}
	switch tok.tok {
	case INT:
		l.Kind = LitInt
	case FLOAT:
		l.Kind = LitFloat
	case STRING:
		l.Kind = LitString
	case TRUE, FALSE:
		l.Kind = LitBool
	case NULL:
		l.Kind, l.Text = LitNull, ""
	}
	return l
}

// tryTypedLiteral parses a typed literal such as TIMESTAMP '2024-01-01' (a cast of the
// string) if one starts here, and returns nil otherwise. Type keywords are also column
// names ("SELECT timestamp FROM t"), so this is a speculative parse.
//
//	typed_literal = type string .
func (p *parser) tryTypedLiteral() Expr {
	switch p.tok.tok {
	case IDENT:
		if p.peek(1) != STRING {
			return nil
		}
	case INTEGER, INT_KW, SMALLINT, BIGINT, REAL, FLOAT_KW, DOUBLE, BOOLEAN, VARCHAR,
		CHARACTER, CHAR, NUMERIC, DECIMAL, DEC, TIMESTAMP:
	default:
		return nil
	}
	v, _, ok := p.attempt(func() any {
		t := p.parseTypeName()
		if p.tok.tok != STRING {
			p.errorExpected("string")
		}
		x := &CastExpr{At: t.At, X: literal(p.tok), Type: t}
		p.next()
		return x
	})
	if !ok {
		return nil
	}
	return v.(Expr)
}

// parseParenExpr parses a parenthesized expression or a scalar subquery. After "((" either
// may follow: "((SELECT 1) + 1)" and "((SELECT 1) UNION (SELECT 2))", so both are tried.
//
//	paren = "(" expr ")" | "(" query ")" .
func (p *parser) parseParenExpr() Expr {
	pos := p.tok.pos
	paren := func() any {
		p.expect(LPAREN)
		x := &ParenExpr{At: pos, X: p.parseExpr()}
		p.expect(RPAREN)
		return x
	}
	subquery := func() any {
		p.expect(LPAREN)
		x := &SubqueryExpr{At: pos, Select: p.parseQuery()}
		p.expect(RPAREN)
		return x
	}
	switch p.peek(1) {
	case SELECT, WITH:
		return subquery().(Expr)
	case LPAREN:
		return p.alt(altParenExpr, paren, subquery).(Expr)
	}
	return paren().(Expr)
}

// parseCall parses a function call; the name is a word that may name a function. SQL's
// special forms of substring, trim and position become plain calls, as in PostgreSQL:
// substring(s FROM a FOR b) is substring(s, a, b), trim(LEADING c FROM s) is ltrim(s, c),
// position(a IN b) is position(b, a).
//
//	call = name "(" [ "*" | [ DISTINCT | ALL ] expr { "," expr } [ ORDER BY order_list ] ] ")"
//	     | EXTRACT "(" name FROM expr ")" .
func (p *parser) parseCall() *FuncCall {
	f := &FuncCall{At: p.tok.pos, Name: p.tok.lit}
	p.next()
	p.expect(LPAREN)
	if f.Name == "extract" && p.peek(1) == FROM && p.tok.tok != RPAREN {
		// extract = EXTRACT "(" name FROM expr ")", the call extract('name', expr).
		f.Args = []Expr{&Literal{At: p.tok.pos, Kind: LitString, Text: p.tok.lit}}
		p.next()
		p.expect(FROM)
		f.Args = append(f.Args, p.parseExpr())
		p.expect(RPAREN)
		return f
	}
	switch {
	case p.got(STAR):
		f.Star = true
	case p.tok.tok == RPAREN:
	case f.Name == "trim":
		p.parseTrim(f)
	case f.Name == "position":
		a := p.parseBinaryExpr(precOther)
		if p.got(IN) {
			f.Args = []Expr{p.parseBinaryExpr(precOther), a}
			break
		}
		f.Args = []Expr{a}
		for p.got(COMMA) {
			f.Args = append(f.Args, p.parseExpr())
		}
	default:
		if !p.got(ALL) {
			f.Distinct = p.got(DISTINCT)
		}
		f.Args = p.parseExprList()
		if f.Name == "substring" && len(f.Args) == 1 && !f.Distinct {
			p.parseSubstringTail(f)
		}
		if p.got(ORDER) {
			p.expect(BY)
			f.OrderBy = p.parseOrderBy()
		}
	}
	p.expect(RPAREN)
	return f
}

// parseSubstringTail parses the FROM and FOR clauses of substring(s FROM a FOR b), in either
// order; FOR alone starts at 1.
//
//	substring_tail = [ FROM expr ] [ FOR expr ] | FOR expr FROM expr .
func (p *parser) parseSubstringTail(f *FuncCall) {
	var from, count Expr
	for p.tok.tok == FROM && from == nil || p.tok.tok == FOR && count == nil {
		if p.got(FROM) {
			from = p.parseExpr()
		} else {
			p.next()
			count = p.parseExpr()
		}
	}
	switch {
	case from != nil && count != nil:
		f.Args = append(f.Args, from, count)
	case from != nil:
		f.Args = append(f.Args, from)
	case count != nil:
		f.Args = append(f.Args, &Literal{At: count.Pos(), Kind: LitInt, Text: "1"}, count)
	}
}

// parseTrim parses the arguments of trim, turning the call into one of btrim, ltrim or rtrim.
// trim(s, chars) without FROM is btrim(s, chars), as in PostgreSQL.
//
//	trim_args = [ LEADING | TRAILING | BOTH ] ( [ expr ] FROM expr_list | expr_list ) .
func (p *parser) parseTrim(f *FuncCall) {
	f.Name = "btrim"
	if p.tok.tok == IDENT && p.tok.raw != "" && p.tok.raw[0] != '"' {
		switch p.tok.lit {
		case "leading":
			f.Name = "ltrim"
			p.next()
		case "trailing":
			f.Name = "rtrim"
			p.next()
		case "both":
			p.next()
		}
	}
	if p.got(FROM) {
		f.Args = p.parseExprList()
		return
	}
	f.Args = p.parseExprList()
	if len(f.Args) == 1 && p.got(FROM) {
		f.Args = append(p.parseExprList(), f.Args[0])
	}
}

// parseCase parses a CASE expression, simple (with an operand) or searched.
//
//	case = CASE [ expr ] WHEN expr THEN expr { WHEN expr THEN expr } [ ELSE expr ] END .
func (p *parser) parseCase() *CaseExpr {
	c := &CaseExpr{At: p.expect(CASE)}
	if p.tok.tok != WHEN {
		c.Operand = p.parseExpr()
	}
	if p.tok.tok != WHEN {
		p.errorExpected(`"WHEN"`)
	}
	for p.got(WHEN) {
		var w When
		w.Cond = p.parseExpr()
		p.expect(THEN)
		w.Result = p.parseExpr()
		c.Whens = append(c.Whens, w)
	}
	if p.got(ELSE) {
		c.Else = p.parseExpr()
	}
	p.expect(END)
	return c
}

// parseCast parses the standard cast.
//
//	cast = CAST "(" expr AS type ")" .
func (p *parser) parseCast() *CastExpr {
	c := &CastExpr{At: p.expect(CAST)}
	p.expect(LPAREN)
	c.X = p.parseExpr()
	p.expect(AS)
	c.Type = p.parseTypeName()
	p.expect(RPAREN)
	return c
}
