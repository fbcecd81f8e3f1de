package parser

// setOpPrec is the precedence of a set operation: INTERSECT binds tighter than UNION and
// EXCEPT, as in PostgreSQL; 0 means "not a set operation".
func setOpPrec(t Token) (SetOp, int) {
	switch t {
	case UNION:
		return Union, 1
	case EXCEPT:
		return Except, 1
	case INTERSECT:
		return Intersect, 2
	}
	return 0, 0
}

// parseQuery parses a SELECT, a set operation, or either in parentheses, with the ORDER BY,
// LIMIT and OFFSET that apply to the whole. Parentheses leave no node behind: their effect is
// the shape of the tree, and the printer puts them back where the shape needs them.
//
//	query = set_expr [ ORDER BY order_item { "," order_item } ] [ limit ] .
//	limit = LIMIT ( expr | ALL ) [ OFFSET expr ] | OFFSET expr [ LIMIT ( expr | ALL ) ] .
func (p *parser) parseQuery() Stmt {
	p.enter()
	defer p.leave()
	if p.tok.tok == WITH {
		return p.parseWith()
	}
	q := p.parseSetExpr(1)
	var orderBy *[]OrderItem
	var limit, offset *Expr
	switch s := q.(type) {
	case *SelectStmt:
		orderBy, limit, offset = &s.OrderBy, &s.Limit, &s.Offset
	case *SetOpStmt:
		orderBy, limit, offset = &s.OrderBy, &s.Limit, &s.Offset
	}
	if p.tok.tok == ORDER {
		if *orderBy != nil {
			p.errorf(p.tok.pos, "multiple ORDER BY clauses not allowed")
		}
		p.next()
		p.expect(BY)
		*orderBy = p.parseOrderBy()
	}
	for range 2 {
		switch pos := p.tok.pos; {
		case p.got(LIMIT):
			if *limit != nil {
				p.errorf(pos, "multiple LIMIT clauses not allowed")
			}
			if !p.got(ALL) {
				*limit = p.parseExpr()
			}
		case p.got(OFFSET):
			if *offset != nil {
				p.errorf(pos, "multiple OFFSET clauses not allowed")
			}
			*offset = p.parseExpr()
		}
	}
	return q
}

// parseSetExpr parses set operations by precedence climbing, left-associative.
//
//	set_expr    = set_primary { ( UNION | INTERSECT | EXCEPT ) [ ALL | DISTINCT ] set_primary } .
//	set_primary = select_core | "(" query ")" .
func (p *parser) parseSetExpr(minPrec int) Stmt {
	grown := 0
	defer func() { p.chain -= grown }()
	var left Stmt
	if p.tok.tok == LPAREN {
		p.next()
		left = p.parseQuery()
		p.expect(RPAREN)
	} else {
		left = p.parseSelectCore()
	}
	for {
		op, prec := setOpPrec(p.tok.tok)
		if prec == 0 || prec < minPrec {
			return left
		}
		pos := p.tok.pos
		p.next()
		all := p.got(ALL)
		if !all {
			p.got(DISTINCT)
		}
		grown++
		p.grow()
		right := p.parseSetExpr(prec + 1)
		left = &SetOpStmt{At: pos, Op: op, All: all, Left: left, Right: right}
	}
}

// parseSelectCore parses one SELECT without ORDER BY and LIMIT (parseQuery adds those).
//
//	select_core = SELECT [ DISTINCT | ALL ] select_item { "," select_item } [ FROM from_list ]
//	              [ WHERE expr ] [ GROUP BY expr { "," expr } ] [ HAVING expr ] .
func (p *parser) parseSelectCore() *SelectStmt {
	s := &SelectStmt{At: p.expect(SELECT)}
	if !p.got(ALL) {
		s.Distinct = p.got(DISTINCT)
	}
	for {
		s.Columns = append(s.Columns, p.parseSelectItem())
		if !p.got(COMMA) {
			break
		}
	}
	if p.got(FROM) {
		s.From = p.parseFromList()
	}
	if p.got(WHERE) {
		s.Where = p.parseExpr()
	}
	if p.tok.tok == GROUP {
		p.next()
		p.expect(BY)
		s.GroupBy = p.parseExprList()
	}
	if p.got(HAVING) {
		s.Having = p.parseExpr()
	}
	return s
}

// parseSelectItem parses one item of the select list. A bare alias must be an identifier or
// an unreserved keyword; after AS any word will do (PostgreSQL's ColLabel).
//
//	select_item = "*" | name "." "*" | expr [ [AS] alias ] .
func (p *parser) parseSelectItem() SelectItem {
	it := SelectItem{At: p.tok.pos}
	if p.got(STAR) {
		it.Star = true
		return it
	}
	if (p.tok.tok == IDENT || p.tok.tok == QIDENT || p.tok.tok.IsKeyword()) &&
		p.peek(1) == DOT && p.peek(2) == STAR {
		it.Table = p.parseColID("table name")
		p.next()
		p.next()
		it.Star = true
		return it
	}
	it.Expr = p.parseExpr()
	switch t := p.tok.tok; {
	case t == AS:
		p.next()
		it.Alias = p.parseName("alias", Reserved)
	case t == IDENT || t == QIDENT || t.Class() == Unreserved:
		p.aliasAt = p.i
		it.Alias = p.parseName("alias", Unreserved)
	}
	return it
}

// parseOrderBy parses the sort keys after ORDER BY.
//
//	order_item = expr [ ASC | DESC ] [ NULLS ( FIRST | LAST ) ] .
func (p *parser) parseOrderBy() []OrderItem {
	var items []OrderItem
	for {
		it := OrderItem{At: p.tok.pos, Expr: p.parseExpr()}
		if !p.got(ASC) {
			it.Desc = p.got(DESC)
		}
		if p.got(NULLS) {
			first := p.tok.tok == FIRST
			if !first && p.tok.tok != LAST {
				p.errorExpected(`"FIRST" or "LAST"`)
			}
			p.next()
			it.NullsFirst = &first
		}
		items = append(items, it)
		if !p.got(COMMA) {
			return items
		}
	}
}

// parseFromList parses the FROM items; a comma is a cross join, and binds looser than JOIN.
//
//	from_list = table_ref { "," table_ref } .
func (p *parser) parseFromList() TableExpr {
	left := p.parseTableRef()
	grown := 0
	defer func() { p.chain -= grown }()
	for p.tok.tok == COMMA {
		pos := p.tok.pos
		p.next()
		grown++
		p.grow()
		right := p.parseTableRef()
		left = &JoinExpr{At: pos, Kind: CrossJoin, Left: left, Right: right, Comma: true}
	}
	return left
}

// parseTableRef parses a FROM item and the joins that follow it, left-deep.
//
//	table_ref = table_primary { join } .
func (p *parser) parseTableRef() TableExpr {
	left := p.parseTablePrimary()
	grown := 0
	defer func() { p.chain -= grown }()
	for p.isJoin() {
		grown++
		p.grow()
		left = p.parseJoin(left)
	}
	return left
}

// isJoin reports whether a join starts at the current token.
func (p *parser) isJoin() bool {
	switch p.tok.tok {
	case JOIN, INNER, LEFT, RIGHT, FULL, CROSS:
		return true
	}
	return false
}

// parseJoin parses one join whose left side is left. As in PostgreSQL, a join that needs a
// condition takes further joins into its right side until the condition comes:
// "a JOIN b JOIN c ON x ON y" is a JOIN (b JOIN c ON x) ON y.
//
//	join = CROSS JOIN table_primary
//	     | [ INNER | ( LEFT | RIGHT | FULL ) [OUTER] ] JOIN table_ref_nested ( ON expr | USING "(" names ")" ) .
func (p *parser) parseJoin(left TableExpr) *JoinExpr {
	j := &JoinExpr{At: p.tok.pos, Left: left}
	switch {
	case p.got(CROSS):
		p.expect(JOIN)
		j.Kind = CrossJoin
		j.Right = p.parseTablePrimary()
		return j
	case p.got(INNER):
		j.Kind = InnerJoin
	case p.got(LEFT):
		j.Kind = LeftJoin
		p.got(OUTER)
	case p.got(RIGHT):
		j.Kind = RightJoin
		p.got(OUTER)
	case p.got(FULL):
		j.Kind = FullJoin
		p.got(OUTER)
	}
	p.expect(JOIN)
	j.Right = p.parseTablePrimary()
	for p.isJoin() {
		// Nesting, like the parentheses the printer writes for it, which parseTablePrimary
		// counts the same way: so printed text never nests deeper than what was parsed.
		p.enter()
		j.Right = p.parseJoin(j.Right)
		p.leave()
	}
	switch {
	case p.got(ON):
		j.On = p.parseExpr()
	case p.got(USING):
		j.Using = p.parseParenNames("column name")
	default:
		p.errorExpected(`"ON" or "USING"`)
	}
	return j
}

// parseTablePrimary parses a table, a subquery, or a parenthesized join. "((" may start
// either of the last two, which only a later token tells apart, so both are tried.
//
//	table_primary = name [ as_of ] [ [AS] alias ] [ as_of ]
//	              | "(" query ")" [ [AS] alias ]
//	              | "(" table_ref ")" .  (the table_ref must contain a join)
func (p *parser) parseTablePrimary() TableExpr {
	if p.tok.tok != LPAREN {
		return p.parseTableName()
	}
	p.enter()
	defer p.leave()
	switch p.peek(1) {
	case SELECT, WITH:
		return p.parseSubqueryTable()
	case LPAREN:
		return p.alt(altFromParen,
			func() any { return p.parseParenJoin() },
			func() any { return p.parseSubqueryTable() }).(TableExpr)
	}
	return p.parseParenJoin()
}

// parseParenJoin parses a parenthesized join.
//
//	paren_join = "(" table_ref ")" .  (the table_ref must contain a join)
func (p *parser) parseParenJoin() TableExpr {
	p.expect(LPAREN)
	t := p.parseTableRef()
	if j, ok := t.(*JoinExpr); !ok || j.Comma {
		p.errorExpected(`"JOIN"`)
	}
	p.expect(RPAREN)
	return t
}

// parseSubqueryTable parses a subquery in FROM; PostgreSQL 16 made its alias optional.
//
//	subquery_table = "(" query ")" [ [AS] alias ] .
func (p *parser) parseSubqueryTable() *SubqueryTable {
	s := &SubqueryTable{At: p.expect(LPAREN)}
	s.Select = p.parseQuery()
	p.expect(RPAREN)
	s.Alias = p.parseTableAlias(ILLEGAL)
	return s
}

// parseTableName parses a table reference with its optional alias and AS OF clause.
//
//	table_name = name [ as_of ] [ [AS] alias ] [ as_of ] .
func (p *parser) parseTableName() *TableName {
	t := &TableName{At: p.tok.pos}
	t.Name = p.parseColID("table name")
	if p.got(DOT) {
		t.Schema, t.Name = t.Name, p.parseName("table name", Reserved)
	}
	t.AsOf = p.parseAsOf()
	t.Alias = p.parseTableAlias(ILLEGAL)
	if t.AsOf == nil {
		t.AsOf = p.parseAsOf()
	}
	return t
}

// parseAsOf parses an optional time-travel clause. "AS OF" is only taken as such when SEQ
// or TIMESTAMP follows; otherwise AS introduces an alias (OF is an unreserved word).
//
//	as_of = AS OF ( SEQ expr | TIMESTAMP expr ) .
func (p *parser) parseAsOf() *AsOf {
	if p.tok.tok == FOR && p.peek(1) == IDENT && p.i+1 < len(p.items) && p.items[p.i+1].lit == "system_time" &&
		p.peek(2) != AS {
		return p.parseSystemTimeRange()
	}
	if p.tok.tok == FOR && p.peek(1) == IDENT && p.i+1 < len(p.items) && p.items[p.i+1].lit == "system_time" &&
		p.peek(2) == AS && p.peek(3) == OF {
		// SQL:2011: FOR SYSTEM_TIME AS OF [SEQ] expr.
		a := &AsOf{At: p.tok.pos, SystemTime: true}
		p.next()
		p.next()
		p.next()
		p.next()
		if p.got(SEQ) {
			a.Seq = p.parseExpr()
		} else {
			a.Timestamp = p.parseExpr()
		}
		return a
	}
	if p.tok.tok != AS || p.peek(1) != OF || p.peek(2) != SEQ && p.peek(2) != TIMESTAMP {
		return nil
	}
	a := &AsOf{At: p.tok.pos}
	p.next()
	p.next()
	if p.got(SEQ) {
		a.Seq = p.parseExpr()
	} else {
		p.next()
		a.Timestamp = p.parseExpr()
	}
	return a
}

// parseWith parses a query with common table expressions. RECURSIVE is recognized by its
// spelling (an unreserved word in PostgreSQL).
//
//	with = WITH [ RECURSIVE ] cte { "," cte } query .
//	cte  = name [ paren_names ] AS "(" query ")" .
func (p *parser) parseWith() *WithStmt {
	w := &WithStmt{At: p.expect(WITH)}
	if p.isWord("recursive") {
		p.next()
		w.Recursive = true
	}
	for {
		c := CTE{At: p.tok.pos, Name: p.parseColID("query name")}
		if p.tok.tok == LPAREN {
			c.Columns = p.parseParenNames("column name")
		}
		p.expect(AS)
		p.expect(LPAREN)
		c.Query = p.parseQuery()
		p.expect(RPAREN)
		w.CTEs = append(w.CTEs, c)
		if !p.got(COMMA) {
			break
		}
	}
	switch p.tok.tok {
	case SELECT, LPAREN, WITH:
		w.Query = p.parseQuery()
	default:
		p.errorExpected(`"SELECT"`)
	}
	return w
}

// parseSystemTimeRange parses SQL:2011's range forms after a table name.
//
//	system_time_range = FOR SYSTEM_TIME ( ALL | BETWEEN bound AND bound | FROM bound TO bound ) .
//	bound             = [ SEQ ] binary_expr(above AND) .
func (p *parser) parseSystemTimeRange() *AsOf {
	a := &AsOf{At: p.tok.pos, SystemTime: true}
	p.next() // FOR
	p.next() // SYSTEM_TIME
	bound := func() TimeBound {
		b := TimeBound{Seq: p.got(SEQ)}
		b.X = p.parseBinaryExpr(precOther)
		return b
	}
	switch {
	case p.got(ALL):
		a.Range = RangeAll
	case p.got(BETWEEN):
		a.Range = RangeBetween
		lo := bound()
		p.expect(AND)
		a.RangeBounds = []TimeBound{lo, bound()}
	case p.got(FROM):
		a.Range = RangeFromTo
		lo := bound()
		p.expect(TO)
		a.RangeBounds = []TimeBound{lo, bound()}
	default:
		p.errorExpected(`"AS OF", "ALL", "BETWEEN" or "FROM"`)
	}
	return a
}
