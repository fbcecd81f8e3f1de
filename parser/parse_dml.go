package parser

// parseInsert parses INSERT.
//
//	insert = INSERT INTO name [ "(" name { "," name } ")" ] ( values | query ) .
//	values = VALUES row { "," row } .
//	row    = "(" ( expr | DEFAULT ) { "," ( expr | DEFAULT ) } ")" .
func (p *parser) parseInsert() *InsertStmt {
	s := &InsertStmt{At: p.expect(INSERT)}
	p.expect(INTO)
	s.Table = p.parseColID("table name")
	// "(" opens the column list unless a parenthesized query follows: INSERT INTO t (SELECT 1).
	if p.tok.tok == LPAREN && p.peek(1) != SELECT && p.peek(1) != LPAREN {
		s.Columns = p.parseParenNames("column name")
	}
	switch p.tok.tok {
	case VALUES:
		p.next()
		for {
			pos := p.tok.pos
			row := p.parseValuesRow()
			if len(s.Rows) > 0 && len(row) != len(s.Rows[0]) {
				p.errorf(pos, "VALUES lists must all be the same length")
			}
			s.Rows = append(s.Rows, row)
			if !p.got(COMMA) {
				break
			}
		}
	case SELECT, LPAREN:
		s.Select = p.parseQuery()
	default:
		p.errorExpected(`"VALUES" or "SELECT"`)
	}
	return s
}

// parseValuesRow parses one parenthesized row of VALUES.
//
//	row = "(" ( expr | DEFAULT ) { "," ( expr | DEFAULT ) } ")" .
func (p *parser) parseValuesRow() []Expr {
	p.expect(LPAREN)
	var row []Expr
	for {
		row = append(row, p.parseExprOrDefault())
		if !p.got(COMMA) {
			break
		}
	}
	p.expect(RPAREN)
	return row
}

// parseExprOrDefault parses an expression or the keyword DEFAULT, which PostgreSQL allows
// only as a whole item of VALUES or SET, never inside an expression.
//
//	expr_or_default = expr | DEFAULT .
func (p *parser) parseExprOrDefault() Expr {
	if p.tok.tok == DEFAULT {
		x := &DefaultExpr{At: p.tok.pos}
		p.next()
		return x
	}
	return p.parseExpr()
}

// parseUpdate parses UPDATE. SET cannot be a bare alias (it would be ambiguous), as in
// PostgreSQL.
//
//	update     = UPDATE name [ [AS] alias ] SET assignment { "," assignment } [ WHERE expr ] .
//	assignment = name "=" ( expr | DEFAULT ) .
func (p *parser) parseUpdate() *UpdateStmt {
	s := &UpdateStmt{At: p.expect(UPDATE)}
	s.Table = p.parseColID("table name")
	s.Alias = p.parseTableAlias(SET)
	p.expect(SET)
	for {
		a := Assignment{At: p.tok.pos}
		a.Column = p.parseColID("column name")
		p.expect(EQ)
		a.Value = p.parseExprOrDefault()
		s.Set = append(s.Set, a)
		if !p.got(COMMA) {
			break
		}
	}
	if p.got(WHERE) {
		s.Where = p.parseExpr()
	}
	return s
}

// parseDelete parses DELETE.
//
//	delete = DELETE FROM name [ [AS] alias ] [ WHERE expr ] .
func (p *parser) parseDelete() *DeleteStmt {
	s := &DeleteStmt{At: p.expect(DELETE)}
	p.expect(FROM)
	s.Table = p.parseColID("table name")
	s.Alias = p.parseTableAlias(ILLEGAL)
	if p.got(WHERE) {
		s.Where = p.parseExpr()
	}
	return s
}

// parseTableAlias parses an optional [AS] alias; a bare alias may not be the token not
// (SET after UPDATE t).
//
//	alias = [ AS ] name .
func (p *parser) parseTableAlias(not Token) string {
	if p.got(AS) {
		return p.parseColID("alias")
	}
	if p.isColID() && p.tok.tok != not {
		p.aliasAt = p.i
		return p.parseColID("alias")
	}
	return ""
}

// parseTransaction parses the transaction control statements.
//
//	begin    = BEGIN [ TRANSACTION | WORK ] | START TRANSACTION .
//	commit   = ( COMMIT | END ) [ TRANSACTION | WORK ] .
//	rollback = ROLLBACK [ TRANSACTION | WORK ] .
func (p *parser) parseTransaction() Stmt {
	pos := p.tok.pos
	var s Stmt
	switch p.tok.tok {
	case START:
		p.next()
		p.expect(TRANSACTION)
		return &BeginStmt{At: pos}
	case BEGIN:
		s = &BeginStmt{At: pos}
	case COMMIT, END:
		s = &CommitStmt{At: pos}
	default:
		s = &RollbackStmt{At: pos}
	}
	p.next()
	if !p.got(TRANSACTION) {
		p.got(WORK)
	}
	return s
}

// parseExplain parses EXPLAIN.
//
//	explain = EXPLAIN [ ANALYZE ] ( query | insert | update | delete ) .
func (p *parser) parseExplain() *ExplainStmt {
	s := &ExplainStmt{At: p.expect(EXPLAIN)}
	s.Analyze = p.got(ANALYZE)
	switch p.tok.tok {
	case SELECT, LPAREN, INSERT, UPDATE, DELETE:
		s.Stmt = p.parseStmt()
	default:
		p.errorExpected(`"SELECT", "INSERT", "UPDATE" or "DELETE"`)
	}
	return s
}
