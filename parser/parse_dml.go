package parser

import ()

// parseInsert parses INSERT.
//
//	insert = INSERT INTO name [ AS alias ] [ "(" name { "," name } ")" ] ( values | query )
//	         [ on_conflict ] [ returning ] .
//	values = VALUES row { "," row } .
//	row    = "(" ( expr | DEFAULT ) { "," ( expr | DEFAULT ) } ")" .
func (p *parser) parseInsert() *InsertStmt {
	s := &InsertStmt{At: p.expect(INSERT)}
	p.expect(INTO)
	s.Table = p.parseColID("table name")
	if p.got(AS) {
		s.Alias = p.parseColID("alias")
	}
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
	case SELECT, LPAREN, WITH:
		s.Select = p.parseQuery()
	default:
		p.errorExpected(`"VALUES" or "SELECT"`)
	}
	if p.tok.tok == ON {
		s.OnConflict = p.parseOnConflict()
	}
	s.Returning = p.parseReturning()
	return s
}

// parseOnConflict parses INSERT's conflict clause. CONFLICT, NOTHING and CONSTRAINT's
// neighbours are not reserved words, so they are matched by spelling.
//
//	on_conflict = ON CONFLICT [ "(" name { "," name } ")" | ON CONSTRAINT name ]
//	              DO ( NOTHING | UPDATE SET assignment { "," assignment } [ WHERE expr ] ) .
func (p *parser) parseOnConflict() *OnConflict {
	oc := &OnConflict{At: p.expect(ON)}
	p.expectWord("conflict")
	switch {
	case p.tok.tok == LPAREN:
		oc.Columns = p.parseParenNames("column name")
	case p.got(ON):
		p.expect(CONSTRAINT)
		oc.Constraint = p.parseColID("constraint name")
	}
	p.expect(DO)
	if p.got(UPDATE) {
		if len(oc.Columns) == 0 && oc.Constraint == "" {
			p.errorf(oc.At, "ON CONFLICT DO UPDATE requires inference specification or constraint name")
		}
		oc.Update = true
		p.expect(SET)
		oc.Set = p.parseAssignments()
		if p.got(WHERE) {
			oc.Where = p.parseExpr()
		}
		return oc
	}
	p.expectWord("nothing")
	return oc
}

// gotWord consumes the current token if it is an identifier spelled w (lower case).
func (p *parser) gotWord(w string) bool {
	if p.tok.tok == IDENT && p.tok.lit == w {
		p.next()
		return true
	}
	return false
}

// parseReturning parses an optional RETURNING list.
//
//	returning = RETURNING select_item { "," select_item } .
func (p *parser) parseReturning() []SelectItem {
	if !p.got(RETURNING) {
		return nil
	}
	items := []SelectItem{p.parseSelectItem()}
	for p.got(COMMA) {
		items = append(items, p.parseSelectItem())
	}
	return items
}

// parseAssignments parses the SET list of UPDATE and of ON CONFLICT DO UPDATE.
//
//	assignments = assignment { "," assignment } .
//	assignment  = name "=" ( expr | DEFAULT ) .
func (p *parser) parseAssignments() []Assignment {
	var set []Assignment
	for {
		a := Assignment{At: p.tok.pos}
		a.Column = p.parseColID("column name")
		p.expect(EQ)
		a.Value = p.parseExprOrDefault()
		set = append(set, a)
		if !p.got(COMMA) {
			return set
		}
	}
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
//	update = UPDATE name [ [AS] alias ] SET assignments [ WHERE expr ] [ returning ] .
func (p *parser) parseUpdate() *UpdateStmt {
	s := &UpdateStmt{At: p.expect(UPDATE)}
	s.Table = p.parseColID("table name")
	s.Alias = p.parseTableAlias(SET)
	p.expect(SET)
	s.Set = p.parseAssignments()
	if p.got(WHERE) {
		s.Where = p.parseExpr()
	}
	s.Returning = p.parseReturning()
	return s
}

// parseDelete parses DELETE.
//
//	delete = DELETE FROM name [ [AS] alias ] [ WHERE expr ] [ returning ] .
func (p *parser) parseDelete() *DeleteStmt {
	s := &DeleteStmt{At: p.expect(DELETE)}
	p.expect(FROM)
	s.Table = p.parseColID("table name")
	s.Alias = p.parseTableAlias(ILLEGAL)
	if p.got(WHERE) {
		s.Where = p.parseExpr()
	}
	s.Returning = p.parseReturning()
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
	case SELECT, LPAREN, WITH, INSERT, UPDATE, DELETE:
		s.Stmt = p.parseStmt()
	default:
		p.errorExpected(`"SELECT", "INSERT", "UPDATE" or "DELETE"`)
	}
	return s
}
