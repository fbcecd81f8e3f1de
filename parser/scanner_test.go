package parser

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScan(t *testing.T) {
	type tok struct {
		tok Token
		lit string
	}
	tests := []struct {
		name string
		src  string
		want []tok
	}{
		{"words fold to lower case", "SELECT Foo, _x$1", []tok{{SELECT, "select"}, {IDENT, "foo"}, {COMMA, ","}, {IDENT, "_x$1"}}},
		{"quoted identifiers keep case", `"Foo ""bar"""`, []tok{{QIDENT, `Foo "bar"`}}},
		{"strings", `'it''s' ''`, []tok{{STRING, "it's"}, {STRING, ""}}},
		{"numbers", "1 1.5 .5 5. 1e3 1E+3 2.5e-3", []tok{{INT, "1"}, {FLOAT, "1.5"}, {FLOAT, ".5"}, {FLOAT, "5."}, {FLOAT, "1e3"}, {FLOAT, "1E+3"}, {FLOAT, "2.5e-3"}}},
		{"number then dots", "1..2", []tok{{INT, "1"}, {DOT, "."}, {FLOAT, ".2"}}},
		{"operators", "<= >= <> != < > = || :: + - * / % ( ) , ; . ?", []tok{{LE, "<="}, {GE, ">="}, {NE, "<>"}, {NE, "!="}, {LT, "<"}, {GT, ">"}, {EQ, "="}, {CONCAT, "||"}, {DCOLON, "::"}, {PLUS, "+"}, {MINUS, "-"}, {STAR, "*"}, {SLASH, "/"}, {PERCENT, "%"}, {LPAREN, "("}, {RPAREN, ")"}, {COMMA, ","}, {SEMI, ";"}, {DOT, "."}, {QMARK, "?"}}},
		{"parameters", "$1 $23", []tok{{PARAM, "1"}, {PARAM, "23"}}},
		{"comments", "a -- x\n/* /* nested */ */ b/**/c", []tok{{IDENT, "a"}, {IDENT, "b"}, {IDENT, "c"}}},
		{"minus minus is a comment", "1--2", []tok{{INT, "1"}}},
		{"non-ASCII names", "été", []tok{{IDENT, "été"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs ErrorList
			items, _ := scanAll(tt.src, errs.Add)
			assert.Empty(t, errs)
			var got []tok
			for _, it := range items[:len(items)-1] {
				got = append(got, tok{it.tok, it.lit})
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestScanPositions(t *testing.T) {
	items, _ := scanAll("SELECT\n  'a\nb' x\n\t/* c\n */ y", nil)
	var got []Pos
	for _, it := range items {
		got = append(got, it.pos)
	}
	assert.Equal(t, []Pos{{1, 1}, {2, 3}, {3, 4}, {5, 5}, {5, 6}}, got)
}

func TestComplete(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"", false},
		{"SELECT 1", false},
		{"SELECT 1;", true},
		{";", true},
		{"SELECT 1;  \n\t", true},
		{"SELECT 1; -- done", true},
		{"SELECT 1; /* done */", true},
		{"SELECT 1; SELECT 2", false},
		{"SELECT ';", false},
		{"SELECT ';'", false},
		{"SELECT ';';", true},
		{`SELECT ";`, false},
		{`SELECT ";";`, true},
		{"SELECT 1 -- ;", false},
		{"SELECT 1 /* ; */", false},
		{"SELECT 1 /* ;", false},
		{"SELECT 1 /* /* */ ;", false},
		{"SELECT 1 /* /* */ */ ;", true},
		{"SELECT @;", true}, // complete; Parse reports the error
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			assert.Equal(t, tt.want, Complete(tt.src))
		})
	}
}

func TestKeywordClasses(t *testing.T) {
	// Spot checks against PostgreSQL's Appendix C.
	assert.Equal(t, Reserved, SELECT.Class())
	assert.Equal(t, Reserved, ORDER.Class())
	assert.Equal(t, TypeFunc, JOIN.Class())
	assert.Equal(t, ColName, TIMESTAMP.Class())
	assert.Equal(t, Unreserved, KEY.Class())
	assert.Equal(t, NotKeyword, IDENT.Class())
	assert.Equal(t, IDENT, Lookup("value"))
	for tok := keywordBeg + 1; tok < keywordEnd; tok++ {
		assert.Equal(t, tok, Lookup(lower(tok.String())), "keyword %s", tok)
	}
}
