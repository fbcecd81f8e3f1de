package parser

import "strings"

// parseSet parses SET of a session parameter; pos is that of SET.
//
//	set   = SET [ SESSION | LOCAL ] ( TIME ZONE value | name ( TO | "=" ) value ) .
//	value = string | number | name | DEFAULT .
func (p *parser) parseSet(pos Pos) *SetStmt {
	s := &SetStmt{At: pos}
	if p.tok.tok == IDENT && (p.tok.lit == "session" || p.tok.lit == "local") && p.peek(1) != TO && p.peek(1) != EQ {
		s.Local = p.tok.lit == "local"
		p.next()
	}
	if p.tok.tok == AS && p.peek(1) == OF {
		s.Name = "as of"
		if s.AsOf = p.parseAsOf(); s.AsOf == nil {
			p.next()
			p.next()
			p.errorExpected(`"SEQ" or "TIMESTAMP"`)
		}
		return s
	}
	if p.tok.tok == TIME && p.peek(1) == ZONE {
		p.next()
		p.next()
		s.Name = "timezone"
	} else {
		s.Name = strings.ToLower(p.parseName("configuration parameter", Reserved))
		if !p.got(TO) {
			p.expect(EQ)
		}
	}
	switch tok := p.tok; {
	case tok.tok == DEFAULT:
		s.Default = true
	case tok.tok == STRING || tok.tok == INT || tok.tok == FLOAT:
		s.Value = tok.lit
	case tok.tok == IDENT || tok.tok.Class() != NotKeyword:
		s.Value = tok.lit
		if s.Name == "timezone" && tok.lit == "local" {
			s.Default = true // SET TIME ZONE LOCAL is the default zone
			s.Value = ""
		}
	default:
		p.errorExpected("parameter value")
	}
	p.next()
	return s
}

// parseReset parses RESET; the current token is RESET (an identifier). It is SET … TO DEFAULT.
//
//	reset = RESET [ SESSION ] ( AS OF | TIME ZONE | name ) .
func (p *parser) parseReset() *SetStmt {
	s := &SetStmt{At: p.tok.pos, Default: true}
	p.next()
	if p.isWord("session") && p.peek(1) == AS {
		p.next()
	}
	switch {
	case p.tok.tok == AS && p.peek(1) == OF:
		p.next()
		p.next()
		s.Name = "as of"
	case p.tok.tok == TIME && p.peek(1) == ZONE:
		p.next()
		p.next()
		s.Name = "timezone"
	default:
		s.Name = strings.ToLower(p.parseName("configuration parameter", Reserved))
	}
	return s
}

// parseShow parses SHOW name; the current token is SHOW (an identifier).
//
//	show = SHOW ( name | TIME ZONE ) .
func (p *parser) parseShow() *ShowStmt {
	s := &ShowStmt{At: p.tok.pos}
	p.next()
	if p.tok.tok == TIME && p.peek(1) == ZONE {
		p.next()
		p.next()
		s.Name = "timezone"
		return s
	}
	s.Name = strings.ToLower(p.parseName("configuration parameter", Reserved))
	return s
}

// SetStmt is SET name TO value (SET TIME ZONE value sets "timezone"). Name is lower case;
// Value is the value's text, or Default is set for DEFAULT (and TIME ZONE LOCAL). Local is
// SET LOCAL, which lasts until the end of the transaction.
type SetStmt struct {
	At      Pos
	Name    string
	Value   string
	Default bool
	Local   bool
	// AsOf is set for SET SESSION AS OF …, whose Name is "as of"; RESET SESSION AS OF is
	// Name "as of" with Default set.
	AsOf *AsOf
}

// ShowStmt is SHOW name: the current value of a session parameter.
type ShowStmt struct {
	At   Pos
	Name string
}

func (n *SetStmt) Pos() Pos  { return n.At }
func (n *ShowStmt) Pos() Pos { return n.At }
func (*SetStmt) stmtNode()   {}
func (*ShowStmt) stmtNode()  {}
