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
	if p.tok.tok != SELECT && p.tok.tok != LPAREN {
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
			if p.tok.tok == PRIMARY || p.tok.tok == UNIQUE {
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

// parseTableConstraint parses a table-level key.
//
//	table_constraint = ( PRIMARY KEY | UNIQUE ) "(" name { "," name } ")" .
func (p *parser) parseTableConstraint() TableConstraint {
	c := TableConstraint{At: p.tok.pos}
	if p.got(PRIMARY) {
		p.expect(KEY)
		c.PrimaryKey = true
	} else {
		p.expect(UNIQUE)
	}
	c.Columns = p.parseParenNames("column name")
	return c
}

// parseColumnDef parses a column and its constraints. A NULL constraint only says what is
// the default anyway, so the AST does not record it.
//
//	column_def = name type { PRIMARY KEY | NOT NULL | NULL | UNIQUE | DEFAULT expr } .
func (p *parser) parseColumnDef() ColumnDef {
	c := ColumnDef{At: p.tok.pos}
	c.Name = p.parseColID("column name")
	c.Type = p.parseTypeName()
	sawNull := false
	for {
		pos := p.tok.pos
		switch {
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
//	              | DROP [COLUMN] [IF EXISTS] name drop_behavior
//	              | RENAME [COLUMN] name TO name
//	              | RENAME TO name ) .
func (p *parser) parseAlterTable() *AlterTableStmt {
	s := &AlterTableStmt{At: p.expect(ALTER)}
	p.expect(TABLE)
	s.Table = p.parseColID("table name")
	switch {
	case p.got(ADD):
		p.got(COLUMN)
		a := &AddColumn{IfNotExists: p.parseIfNotExists()}
		a.Column = p.parseColumnDef()
		s.AddColumn = a
	case p.got(DROP):
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
