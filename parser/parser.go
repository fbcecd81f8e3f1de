package parser

import (
	"fmt"
	"strconv"
)

// maxDepth bounds the nesting of expressions, queries and FROM items, so that hostile input
// gets an error instead of exhausting the stack.
const maxDepth = 1000

// maxChain bounds the operators of left-deep chains along one path of the tree (see grow).
const maxChain = 100000

// parser is a recursive-descent parser over the whole token slice. Scanning everything first
// costs little for SQL-sized input and makes lookahead and the few speculative parses
// (see alt) trivial: they just reset an index.
type parser struct {
	items []item
	i     int  // index of the current token
	tok   item // items[i]

	errors ErrorList
	depth  int // current nesting, see enter
	chain  int // operators added to left-deep chains on the current path, see grow
	qmarks int // ? placeholders seen in the current statement
	memo   map[memoKey]memoResult

	lexErrors map[Pos]string // the scanner's message for each ILLEGAL token

	// aliasAt is the index of the last alias written without AS, or -1. An error right after
	// one that looks like a misspelled keyword is reported at the alias instead: in
	// "SELECT a FORM t", FORM is the real mistake, not t.
	aliasAt int
}

// bailout is the panic value that unwinds a statement after its first error.
type bailout struct{}

func newParser(src string) *parser {
	p := &parser{aliasAt: -1, memo: make(map[memoKey]memoResult), lexErrors: make(map[Pos]string)}
	// Lexical errors are reported when the parser reaches the ILLEGAL token, like any other
	// error: so a statement gets one error, the first, whatever its kind.
	p.items, _ = scanAll(src, func(pos Pos, msg string) { p.lexErrors[pos] = msg })
	p.tok = p.items[0]
	return p
}

// Parse parses src, a sequence of statements separated by ';' (empty statements are
// skipped). On failure it returns a nil slice and an ErrorList (at most one error per
// statement, sorted by position); errors.As(err, &e) with e a *Error yields the first.
// ? placeholders are numbered from 1 in each statement.
func Parse(src string) ([]Stmt, error) {
	p := newParser(src)
	var stmts []Stmt
	for p.tok.tok != EOF && len(p.errors) < maxErrors {
		if p.got(SEMI) {
			continue
		}
		if s := p.parseStmtOrSkip(); s != nil {
			stmts = append(stmts, s)
		}
	}
	if len(p.errors) > 0 {
		p.errors.Sort()
		return nil, p.errors
	}
	return stmts, nil
}

// ParseExpr parses src as a single expression, such as a stored DEFAULT. Errors are as for
// Parse.
func ParseExpr(src string) (x Expr, err error) {
	p := newParser(src)
	func() {
		defer p.recover()
		x = p.parseExpr()
		if p.tok.tok != EOF {
			p.errorExpected("end of expression")
		}
	}()
	if len(p.errors) > 0 {
		p.errors.Sort()
		return nil, p.errors
	}
	return x, nil
}

// recover stops a bailout; any other panic goes on.
func (p *parser) recover() {
	if r := recover(); r != nil {
		if _, ok := r.(bailout); !ok {
			panic(r)
		}
	}
}

// parseStmtOrSkip parses one statement and its terminator. After an error it skips to the
// next ';' (go/parser resynchronizes the same way, at statement keywords) and returns nil.
//
//	terminated_stmt = stmt ( ";" | EOF ) .
func (p *parser) parseStmtOrSkip() (s Stmt) {
	p.qmarks = 0
	p.depth = 0
	p.chain = 0
	p.aliasAt = -1
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			for p.tok.tok != SEMI && p.tok.tok != EOF {
				p.next()
			}
			s = nil
		}
	}()
	s = p.parseStmt()
	if p.tok.tok != SEMI && p.tok.tok != EOF {
		p.errorExpected("end of statement")
	}
	return s
}

// parseStmt dispatches on the first keyword.
//
//	stmt = query | insert | update | delete | create_table | create_index | drop | alter_table
//	     | begin | commit | rollback | explain | set | show .
func (p *parser) parseStmt() Stmt {
	switch p.tok.tok {
	case SELECT, LPAREN, WITH:
		return p.parseQuery()
	case INSERT:
		return p.parseInsert()
	case UPDATE:
		return p.parseUpdate()
	case DELETE:
		return p.parseDelete()
	case CREATE:
		return p.parseCreate()
	case DROP:
		return p.parseDrop()
	case ALTER:
		return p.parseAlterTable()
	case BEGIN, START, COMMIT, END, ROLLBACK:
		return p.parseTransaction()
	case EXPLAIN:
		return p.parseExplain()
	case SET:
		pos := p.tok.pos
		p.next()
		return p.parseSet(pos)
	case IDENT:
		if p.tok.lit == "show" {
			return p.parseShow()
		}
		if p.tok.lit == "reset" {
			return p.parseReset()
		}
	}
	p.errorExpected("statement")
	return nil
}

// ---- Token helpers ---------------------------------------------------------------------------

func (p *parser) next() {
	if p.i < len(p.items)-1 {
		p.i++
	}
	p.tok = p.items[p.i]
}

// peek returns the token n positions ahead of the current one (EOF past the end).
func (p *parser) peek(n int) Token {
	if p.i+n < len(p.items) {
		return p.items[p.i+n].tok
	}
	return EOF
}

// reset moves back to the token at index i (speculative parsing).
func (p *parser) reset(i int) {
	p.i = i
	p.tok = p.items[i]
}

// got consumes the current token if it is t.
func (p *parser) got(t Token) bool {
	if p.tok.tok == t {
		p.next()
		return true
	}
	return false
}

// expect consumes a t or fails with "expected t, found ...".
func (p *parser) expect(t Token) Pos {
	pos := p.tok.pos
	if !p.got(t) {
		if t.IsKeyword() || operatorBeg < t && t < operatorEnd {
			p.errorExpected(strconv.Quote(t.String()))
		}
		p.errorExpected(t.String()) // integer, string, ...
	}
	return pos
}

// errorf records an error at pos and unwinds the statement.
func (p *parser) errorf(pos Pos, format string, args ...any) {
	p.errors.Add(pos, fmt.Sprintf(format, args...))
	panic(bailout{})
}

// errorExpected reports "expected what, found <current token>", or the scanner's message if
// the current token is ILLEGAL.
func (p *parser) errorExpected(what string) {
	if p.tok.tok == ILLEGAL {
		p.errorf(p.tok.pos, "%s", p.lexErrors[p.tok.pos])
	}
	found := p.tok
	if p.aliasAt >= 0 && p.i == p.aliasAt+1 && misspelledKeyword(p.items[p.aliasAt].lit) {
		found = p.items[p.aliasAt]
	}
	p.errorf(found.pos, "expected %s, found %s", what, describe(found))
}

// misspelledKeyword reports whether word is one edit (a letter added, dropped, changed, or
// two swapped) away from a reserved keyword: FORM, WHRE, ODER, LIMT.
func misspelledKeyword(word string) bool {
	if len(word) < 3 {
		return false // too many short names are one edit from AS, ON, OR, TO
	}
	w := upper(word)
	for t := keywordBeg + 1; t < keywordEnd; t++ {
		if t.Class() >= TypeFunc && len(t.String()) >= 3 && editDistance(w, t.String()) <= 1 {
			return true
		}
	}
	return false
}

// editDistance is the optimal string alignment distance of a and b: insertions, deletions,
// substitutions and transpositions of adjacent bytes.
func editDistance(a, b string) int {
	if d := len(a) - len(b); d > 2 || d < -2 {
		return 3 // enough for misspelledKeyword
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// describe names a token for an error message: its source text, quoted.
func describe(it item) string {
	if it.tok == EOF {
		return "end of input"
	}
	raw := it.raw
	if len(raw) > 40 {
		raw = raw[:37] + "..."
	}
	return strconv.Quote(raw)
}

// enter counts one level of nesting; the caller defers p.leave().
func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.errorf(p.tok.pos, "nesting too deep (more than %d levels)", maxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// grow counts one more operator in a left-deep chain ("a + b + c", "t1, t2, t3"). A chain
// is built by a loop, not by recursion, but it makes the tree taller all the same, and the
// printer and the executor walk trees recursively: bounding depth plus chain bounds the
// height of every tree the parser returns. The caller subtracts its count when done.
func (p *parser) grow() {
	p.chain++
	if p.chain > maxChain {
		p.errorf(p.tok.pos, "expression too long (more than %d operators in a row)", maxChain)
	}
}

// alt parses with first and, if that fails, from the same token with second, and returns
// what the successful one returned. When both fail it reports the error that got further.
// The parser needs this in the few places where PostgreSQL's LALR grammar decides later
// than one token ahead: "((" may open a parenthesized query, or a parenthesized expression
// or join. The outcome is memoized by (site, token index), like a packrat parser: nested
// alternatives are otherwise re-parsed by every enclosing attempt, which is exponential.
func (p *parser) alt(site int, first, second func() any) any {
	key := memoKey{site, p.i}
	if m, ok := p.memo[key]; ok {
		if m.failed {
			p.errors = append(p.errors, m.err)
			panic(bailout{})
		}
		p.reset(m.end)
		p.qmarks = m.qmarks
		return m.val
	}
	v, e1, ok := p.attempt(first)
	if !ok {
		var e2 *Error
		v, e2, ok = p.attempt(second)
		if !ok {
			if e2 == nil || e1 != nil && after(e1.Pos, e2.Pos) {
				e2 = e1
			}
			p.memo[key] = memoResult{failed: true, err: e2}
			p.errors = append(p.errors, e2)
			panic(bailout{})
		}
	}
	p.memo[key] = memoResult{val: v, end: p.i, qmarks: p.qmarks}
	return v
}

// The sites of alt.
const (
	altParenExpr = iota // ( expr ) or ( query )
	altInList           // IN ( list ) or IN ( query )
	altFromParen        // ( join ) or ( query ) in FROM
)

type memoKey struct{ site, index int }

type memoResult struct {
	val    any
	end    int // token index after the parsed text
	qmarks int // p.qmarks after it
	failed bool
	err    *Error // the error of a failure
}

// attempt runs f speculatively. On failure it undoes f's effects on the parser and returns
// the error f reported.
func (p *parser) attempt(f func() any) (v any, err *Error, ok bool) {
	start, errs, q, depth, chain, alias := p.i, len(p.errors), p.qmarks, p.depth, p.chain, p.aliasAt
	defer func() {
		if r := recover(); r != nil {
			if _, isBail := r.(bailout); !isBail {
				panic(r)
			}
			if len(p.errors) > errs {
				err = p.errors[len(p.errors)-1]
			}
			p.errors = p.errors[:errs]
			p.reset(start)
			p.qmarks, p.depth, p.chain, p.aliasAt = q, depth, chain, alias
			v, ok = nil, false
		}
	}()
	return f(), nil, true
}

func after(a, b Pos) bool { return a.Line > b.Line || a.Line == b.Line && a.Col > b.Col }

// ---- Names -----------------------------------------------------------------------------------

// parseName parses a name: an identifier, a quoted identifier, or a keyword no more reserved
// than max. what names the thing for the error message.
//
//	name = ident | quoted_ident | keyword(class <= max) .
func (p *parser) parseName(what string, max Class) string {
	switch t := p.tok.tok; {
	case t == IDENT || t == QIDENT || t.IsKeyword() && t.Class() <= max:
		s := p.tok.lit
		p.next()
		return s
	}
	p.errorExpected(what)
	return ""
}

// parseColID parses a table, column, index or alias name (PostgreSQL's ColId).
//
//	col_id = ident | quoted_ident | keyword(class <= ColName) .
func (p *parser) parseColID(what string) string { return p.parseName(what, ColName) }

// isColID reports whether the current token can be a ColId.
func (p *parser) isColID() bool {
	t := p.tok.tok
	return t == IDENT || t == QIDENT || t.IsKeyword() && t.Class() <= ColName
}

// parseNameList parses a comma-separated list of names.
//
//	name_list = col_id { "," col_id } .
func (p *parser) parseNameList(what string) []string {
	names := []string{p.parseColID(what)}
	for p.got(COMMA) {
		names = append(names, p.parseColID(what))
	}
	return names
}

// parseParenNames parses a parenthesized list of names.
//
//	paren_names = "(" name_list ")" .
func (p *parser) parseParenNames(what string) []string {
	p.expect(LPAREN)
	names := p.parseNameList(what)
	p.expect(RPAREN)
	return names
}
