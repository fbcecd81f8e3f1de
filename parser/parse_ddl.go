package parser

import "strconv"

// parseCreate dispatches CREATE TABLE, CREATE [UNIQUE] INDEX and CREATE [OR REPLACE] VIEW.
//
//	create = CREATE ( create_table | create_index | create_view ) .
func (p *parser) parseCreate() Stmt {
	pos := p.expect(CREATE)
	switch {
	case p.tok.tok == TABLE:
		return p.parseCreateTable(pos)
	case p.tok.tok == UNIQUE || p.tok.tok == INDEX:
		return p.parseCreateIndex(pos)
	case p.tok.tok == OR || p.isWord("view"):
		return p.parseCreateView(pos)
	}
	p.errorExpected(`"TABLE", "INDEX" or "VIEW"`)
	return nil
}

// isWord reports whether the current token is the unquoted identifier word. VIEW, REPLACE,
// CASCADE and RESTRICT are unreserved keywords in PostgreSQL — names everywhere else — so
// they are recognized by their spelling where the grammar expects them, not as tokens.
func (p *parser) isWord(word string) bool { return p.tok.tok == IDENT && p.tok.lit == word }

// expectWord consumes the unquoted identifier word, or reports what was found instead.
func (p *parser) expectWord(word string) {
	if !p.isWord(word) {
		p.errorExpected(`"` + upper(word) + `"`)
	}
	p.next()
}

// parseCreateView parses the rest of CREATE VIEW; pos is that of CREATE.
//
//	create_view = CREATE [ OR REPLACE ] VIEW name [ paren_names ] AS query .
func (p *parser) parseCreateView(pos Pos) *CreateViewStmt {
	s := &CreateViewStmt{At: pos}
	if p.got(OR) {
		p.expectWord("replace")
		s.Replace = true
	}
	p.expectWord("view")
	s.Name = p.parseColID("view name")
	if p.tok.tok == LPAREN {
		s.Columns = p.parseParenNames("column name")
	}
	p.expect(AS)
	if p.tok.tok != SELECT && p.tok.tok != LPAREN && p.tok.tok != WITH {
		p.errorExpected(`"SELECT"`)
	}
	s.Query = p.parseQuery()
	return s
}

// parseDropBehavior parses an optional CASCADE or RESTRICT (the default) and reports CASCADE.
//
//	drop_behavior = [ CASCADE | RESTRICT ] .
func (p *parser) parseDropBehavior() bool {
	switch {
	case p.isWord("cascade"):
		p.next()
		return true
	case p.isWord("restrict"):
		p.next()
	}
	return false
}

// parseIfNotExists parses an optional IF NOT EXISTS.
//
//	if_not_exists = [ IF NOT EXISTS ] .
func (p *parser) parseIfNotExists() bool {
	// IF is unreserved: "CREATE TABLE if (...)" names a table "if".
	if p.tok.tok != IF || p.peek(1) != NOT {
		return false
	}
	p.next()
	p.next()
	p.expect(EXISTS)
	return true
}

// parseIfExists parses an optional IF EXISTS.
//
//	if_exists = [ IF EXISTS ] .
func (p *parser) parseIfExists() bool {
	if p.tok.tok != IF || p.peek(1) != EXISTS {
		return false
	}
	p.next()
	p.next()
	return true
}

// parseCreateTable parses the rest of CREATE TABLE; pos is that of CREATE.
//
//	create_table = CREATE TABLE [IF NOT EXISTS] name "(" [ element { "," element } ] ")" .
//	element      = column_def | table_constraint .
func (p *parser) parseCreateTable(pos Pos) *CreateTableStmt {
	p.expect(TABLE)
	s := &CreateTableStmt{At: pos}
	s.IfNotExists = p.parseIfNotExists()
	s.Name = p.parseColID("table name")
	p.expect(LPAREN)
	if p.tok.tok != RPAREN {
		for {
			if t := p.tok.tok; t == PRIMARY || t == UNIQUE || t == CHECK || t == FOREIGN || t == CONSTRAINT {
				s.Constraints = append(s.Constraints, p.parseTableConstraint())
			} else {
				s.Columns = append(s.Columns, p.parseColumnDef())
			}
			if !p.got(COMMA) {
				break
			}
		}
	}
	p.expect(RPAREN)
	return s
}

// parseTableConstraint parses a table-level constraint.
//
//	table_constraint = [ CONSTRAINT name ]
//	                   ( ( PRIMARY KEY | UNIQUE ) "(" name { "," name } ")"
//	                   | CHECK "(" expr ")"
//	                   | FOREIGN KEY "(" name { "," name } ")" references ) .
func (p *parser) parseTableConstraint() TableConstraint {
	c := TableConstraint{At: p.tok.pos}
	if p.got(CONSTRAINT) {
		c.Name = p.parseColID("constraint name")
	}
	switch {
	case p.got(PRIMARY):
		p.expect(KEY)
		c.PrimaryKey = true
		c.Columns = p.parseParenNames("column name")
	case p.got(UNIQUE):
		c.Columns = p.parseParenNames("column name")
	case p.tok.tok == CHECK:
		c.Check = p.parseCheck()
	case p.got(FOREIGN):
		p.expect(KEY)
		c.Columns = p.parseParenNames("column name")
		c.References = p.parseReferences()
	default:
		p.errorExpected(`"PRIMARY", "UNIQUE", "CHECK" or "FOREIGN"`)
	}
	return c
}

// parseCheck parses CHECK and its parenthesized condition.
//
//	check = CHECK "(" expr ")" .
func (p *parser) parseCheck() Expr {
	p.expect(CHECK)
	p.expect(LPAREN)
	e := p.parseExpr()
	p.expect(RPAREN)
	return e
}

// parseReferences parses the referenced side of a foreign key and its actions.
//
//	references = REFERENCES name [ "(" name { "," name } ")" ]
//	             { ON ( DELETE | UPDATE ) action } .
//	action     = NO ACTION | RESTRICT | CASCADE | SET NULL | SET DEFAULT .
func (p *parser) parseReferences() *References {
	p.expect(REFERENCES)
	r := &References{Table: p.parseColID("table name")}
	if p.tok.tok == LPAREN {
		r.Columns = p.parseParenNames("column name")
	}
	for p.tok.tok == ON {
		pos := p.tok.pos
		p.next()
		target, what := &r.OnUpdate, "UPDATE"
		if p.got(DELETE) {
			target, what = &r.OnDelete, "DELETE"
		} else {
			p.expect(UPDATE)
		}
		if *target != "" {
			p.errorf(pos, "conflicting ON %s actions", what)
		}
		*target = p.parseAction()
	}
	return r
}

// parseAction parses a referential action.
func (p *parser) parseAction() string {
	switch {
	case p.gotWord("no"):
		p.expectWord("action")
		return "NO ACTION"
	case p.gotWord("restrict"):
		return "RESTRICT"
	case p.gotWord("cascade"):
		return "CASCADE"
	case p.got(SET):
		if p.got(NULL) {
			return "SET NULL"
		}
		p.expect(DEFAULT)
		return "SET DEFAULT"
	}
	p.errorExpected(`"NO ACTION", "RESTRICT", "CASCADE", "SET NULL" or "SET DEFAULT"`)
	return ""
}

// parseColumnDef parses a column and its constraints. A NULL constraint only says what is
// the default anyway, so the AST does not record it.
//
//	column_def = name type { [ CONSTRAINT name ] ( PRIMARY KEY | NOT NULL | NULL | UNIQUE
//	             | CHECK "(" expr ")" | references ) | DEFAULT expr } .
func (p *parser) parseColumnDef() ColumnDef {
	c := ColumnDef{At: p.tok.pos}
	c.Name = p.parseColID("column name")
	c.Type = p.parseTypeName()
	sawNull := false
	for {
		pos := p.tok.pos
		if p.got(CONSTRAINT) {
			// A named NOT NULL or NULL keeps no name, as in PostgreSQL 15's catalogs.
			tc := TableConstraint{At: pos, Name: p.parseColID("constraint name")}
			switch {
			case p.got(PRIMARY):
				p.expect(KEY)
				tc.PrimaryKey = true
			case p.got(UNIQUE):
			case p.tok.tok == CHECK:
				tc.Check = p.parseCheck()
			case p.tok.tok == REFERENCES:
				tc.References = p.parseReferences()
			case p.tok.tok == NOT || p.tok.tok == NULL:
				continue
			default:
				p.errorExpected(`"PRIMARY", "UNIQUE", "CHECK", "REFERENCES" or "NOT"`)
			}
			c.Constraints = append(c.Constraints, tc)
			continue
		}
		switch {
		case p.tok.tok == CHECK:
			c.Constraints = append(c.Constraints, TableConstraint{At: pos, Check: p.parseCheck()})
		case p.tok.tok == REFERENCES:
			c.Constraints = append(c.Constraints, TableConstraint{At: pos, References: p.parseReferences()})
		case p.got(PRIMARY):
			p.expect(KEY)
			c.PrimaryKey = true
		case p.got(NOT):
			p.expect(NULL)
			if sawNull {
				p.errorf(pos, "conflicting NULL/NOT NULL declarations for column %q", c.Name)
			}
			c.NotNull = true
		case p.got(NULL):
			if c.NotNull {
				p.errorf(pos, "conflicting NULL/NOT NULL declarations for column %q", c.Name)
			}
			sawNull = true
		case p.got(UNIQUE):
			c.Unique = true
		case p.got(DEFAULT):
			if c.Default != nil {
				p.errorf(pos, "multiple default values specified for column %q", c.Name)
			}
			// PostgreSQL's b_expr: no AND/OR/NOT/IS/IN/LIKE/BETWEEN at the top, so that
			// "DEFAULT 0 NOT NULL" ends the expression before NOT.
			c.Default = p.parseBinaryExpr(precCompare)
		default:
			return c
		}
	}
}

// parseTypeName parses a type and folds its synonyms (see TypeName).
//
//	type = ( INTEGER | INT | SMALLINT | BIGINT | REAL | FLOAT | DOUBLE PRECISION | BOOLEAN
//	       | VARCHAR | CHARACTER [VARYING] | CHAR [VARYING] | NUMERIC | DECIMAL | DEC
//	       | TIMESTAMP | ident | unreserved_keyword )
//	       [ "(" int { "," int } ")" ] [ ( WITH | WITHOUT ) TIME ZONE ] .
func (p *parser) parseTypeName() TypeName {
	t := TypeName{At: p.tok.pos}
	switch p.tok.tok {
	case INTEGER, INT_KW:
		t.Name = "INTEGER"
	case SMALLINT, BIGINT, REAL, BOOLEAN, VARCHAR, TIMESTAMP:
		t.Name = p.tok.tok.String()
	case FLOAT_KW:
		t.Name = "FLOAT"
	case NUMERIC, DECIMAL, DEC:
		t.Name = "NUMERIC"
	case DOUBLE:
		p.next()
		if p.tok.tok != PRECISION {
			p.errorExpected(`"PRECISION"`)
		}
		t.Name = "DOUBLE PRECISION"
	case CHARACTER, CHAR:
		t.Name = "CHAR"
		if p.peek(1) == VARYING {
			p.next()
			t.Name = "VARCHAR"
		}
	case IDENT:
		t.Name = typeSynonyms[p.tok.lit]
		if t.Name == "" {
			t.Name = upper(p.tok.lit)
		}
	default:
		if p.tok.tok.Class() != Unreserved {
			p.errorExpected("type name")
		}
		t.Name = upper(p.tok.lit)
	}
	p.next()
	if p.got(LPAREN) {
		for {
			pos := p.tok.pos
			lit := p.tok.lit
			p.expect(INT)
			n, err := strconv.Atoi(lit)
			if err != nil || n > 1<<31-1 {
				p.errorf(pos, "type modifier %s out of range", lit)
			}
			t.Args = append(t.Args, n)
			if !p.got(COMMA) {
				break
			}
		}
		p.expect(RPAREN)
	}
	if t.Name == "TIMESTAMP" {
		if p.got(WITHOUT) {
			p.expect(TIME)
			p.expect(ZONE)
		} else if p.tok.tok == WITH && p.peek(1) == TIME {
			p.next()
			p.next()
			p.expect(ZONE)
			t.Name = "TIMESTAMPTZ"
		}
	}
	return t
}

// typeSynonyms maps type names that are not keywords to their canonical names.
var typeSynonyms = map[string]string{
	"int2": "SMALLINT", "int4": "INTEGER", "int8": "BIGINT",
	"float4": "REAL", "float8": "DOUBLE PRECISION",
	"bool": "BOOLEAN", "text": "TEXT", "date": "DATE", "timestamptz": "TIMESTAMPTZ",
}

// parseCreateIndex parses the rest of CREATE INDEX; pos is that of CREATE.
//
//	create_index = CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table [USING method]
//	               "(" name [ASC | DESC] { "," name [ASC | DESC] } ")" [USING method] .
func (p *parser) parseCreateIndex(pos Pos) *CreateIndexStmt {
	s := &CreateIndexStmt{At: pos}
	s.Unique = p.got(UNIQUE)
	p.expect(INDEX)
	s.IfNotExists = p.parseIfNotExists()
	s.Name = p.parseColID("index name")
	p.expect(ON)
	s.Table = p.parseColID("table name")
	if p.tok.tok == USING {
		s.Using = p.parseIndexMethod()
	}
	p.expect(LPAREN)
	for {
		c := IndexColumn{Name: p.parseColID("column name")}
		if !p.got(ASC) {
			c.Desc = p.got(DESC)
		}
		s.Columns = append(s.Columns, c)
		if !p.got(COMMA) {
			break
		}
	}
	p.expect(RPAREN)
	if p.tok.tok == USING {
		if s.Using != "" {
			p.errorf(p.tok.pos, "USING given twice")
		}
		s.Using = p.parseIndexMethod()
	}
	return s
}

// parseIndexMethod parses USING method, where method is BTREE or HASH (any case).
//
//	index_method = USING ( btree | hash ) .
func (p *parser) parseIndexMethod() string {
	p.expect(USING)
	if p.tok.tok == IDENT && (p.tok.lit == "btree" || p.tok.lit == "hash") {
		m := p.tok.lit
		p.next()
		return m
	}
	p.errorExpected(`"BTREE" or "HASH"`)
	return ""
}

// parseDrop parses DROP TABLE, DROP VIEW and DROP INDEX.
//
//	drop = DROP ( TABLE | VIEW ) [IF EXISTS] name { "," name } drop_behavior
//	     | DROP INDEX [IF EXISTS] name { "," name } .
func (p *parser) parseDrop() Stmt {
	pos := p.expect(DROP)
	switch {
	case p.got(TABLE):
		s := &DropTableStmt{At: pos}
		s.IfExists = p.parseIfExists()
		s.Names = p.parseNameList("table name")
		s.Cascade = p.parseDropBehavior()
		return s
	case p.isWord("view"):
		p.next()
		s := &DropViewStmt{At: pos}
		s.IfExists = p.parseIfExists()
		s.Names = p.parseNameList("view name")
		s.Cascade = p.parseDropBehavior()
		return s
	case p.got(INDEX):
		s := &DropIndexStmt{At: pos}
		s.IfExists = p.parseIfExists()
		s.Names = p.parseNameList("index name")
		return s
	}
	p.errorExpected(`"TABLE", "VIEW" or "INDEX"`)
	return nil
}

// parseAlterTable parses ALTER TABLE with one action.
//
//	alter_table = ALTER TABLE name
//	              ( ADD [COLUMN] [IF NOT EXISTS] column_def
//	              | ADD table_constraint
//	              | DROP CONSTRAINT [IF EXISTS] name
//	              | DROP [COLUMN] [IF EXISTS] name drop_behavior
//	              | RENAME [COLUMN] name TO name
//	              | RENAME TO name ) .
func (p *parser) parseAlterTable() *AlterTableStmt {
	s := &AlterTableStmt{At: p.expect(ALTER)}
	p.expect(TABLE)
	s.Table = p.parseColID("table name")
	switch {
	case p.got(ADD):
		if t := p.tok.tok; t == CONSTRAINT || t == CHECK || t == FOREIGN || t == UNIQUE || t == PRIMARY {
			c := p.parseTableConstraint()
			s.AddConstraint = &c
			break
		}
		p.got(COLUMN)
		a := &AddColumn{IfNotExists: p.parseIfNotExists()}
		a.Column = p.parseColumnDef()
		s.AddColumn = a
	case p.got(DROP):
		if p.got(CONSTRAINT) {
			d := &DropConstraint{IfExists: p.parseIfExists()}
			d.Name = p.parseColID("constraint name")
			s.DropConstraint = d
			break
		}
		p.got(COLUMN)
		d := &DropColumn{IfExists: p.parseIfExists()}
		d.Name = p.parseColID("column name")
		d.Cascade = p.parseDropBehavior()
		s.Drop = d
	case p.got(RENAME):
		if p.got(TO) {
			s.RenameTo = p.parseColID("table name")
			break
		}
		p.got(COLUMN)
		r := &RenameColumn{Old: p.parseColID("column name")}
		p.expect(TO)
		r.New = p.parseColID("column name")
		s.RenameCol = r
	default:
		p.errorExpected(`"ADD", "DROP" or "RENAME"`)
	}
	return s
}
