package parser

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// item is one scanned token.
type item struct {
	tok Token
	// lit is the token's value: the folded name of an IDENT or keyword, the unescaped name of
	// a QIDENT, the unescaped contents of a STRING, the text of a number, the digits of a
	// PARAM.
	lit string
	raw string // the source text, for error messages
	pos Pos
}

// scanner splits SQL text into tokens, like go/scanner: whitespace and comments are skipped,
// errors are reported through err and scanning goes on (the bad token becomes ILLEGAL).
type scanner struct {
	src     string
	off     int // reading offset
	line    int // current line, 1-based
	lineOff int // offset of the current line's first byte
	err     func(pos Pos, msg string)

	// unterminated is set when the input ends inside a string, quoted identifier or comment.
	unterminated bool
}

func newScanner(src string, err func(Pos, string)) *scanner {
	if err == nil {
		err = func(Pos, string) {}
	}
	return &scanner{src: src, line: 1, err: err}
}

func (s *scanner) pos(off int) Pos {
	// off is always on the current line or after the last newline seen; columns are bytes.
	return Pos{Line: s.line, Col: off - s.lineOff + 1}
}

// newline records that src[off] is a line break.
func (s *scanner) newline(off int) {
	s.line++
	s.lineOff = off + 1
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c >= 0x80
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isIdentChar(c byte) bool { return isLetter(c) || isDigit(c) || c == '$' }

// skipSpace skips whitespace and comments: -- to end of line, and /* */ which nest, as in
// PostgreSQL. It returns a non-nil item for an unterminated comment.
func (s *scanner) skipSpace() *item {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == '\n':
			s.newline(s.off)
			s.off++
		case isSpace(c):
			s.off++
		case c == '-' && s.peek(1) == '-':
			for s.off < len(s.src) && s.src[s.off] != '\n' {
				s.off++
			}
		case c == '/' && s.peek(1) == '*':
			start, pos := s.off, s.pos(s.off)
			depth := 0
			for s.off < len(s.src) {
				switch {
				case s.src[s.off] == '/' && s.peek(1) == '*':
					depth++
					s.off += 2
				case s.src[s.off] == '*' && s.peek(1) == '/':
					depth--
					s.off += 2
				default:
					if s.src[s.off] == '\n' {
						s.newline(s.off)
					}
					s.off++
				}
				if depth == 0 {
					break
				}
			}
			if depth > 0 {
				s.unterminated = true
				s.err(pos, "comment not terminated")
				return &item{tok: ILLEGAL, raw: s.src[start:], pos: pos}
			}
		default:
			return nil
		}
	}
	return nil
}

func (s *scanner) peek(n int) byte {
	if s.off+n < len(s.src) {
		return s.src[s.off+n]
	}
	return 0
}

// next scans the next token; at the end of input it returns EOF, again and again.
func (s *scanner) next() item {
	if it := s.skipSpace(); it != nil {
		return *it
	}
	start := s.off
	pos := s.pos(start)
	if s.off >= len(s.src) {
		return item{tok: EOF, pos: pos}
	}
	c := s.src[s.off]
	switch {
	case (c == 'e' || c == 'E') && s.peek(1) == '\'':
		return s.escapeString(start, pos)
	case isLetter(c):
		for s.off < len(s.src) && isIdentChar(s.src[s.off]) {
			s.off++
		}
		raw := s.src[start:s.off]
		word := lower(raw)
		return item{tok: Lookup(word), lit: word, raw: raw, pos: pos}
	case isDigit(c) || c == '.' && isDigit(s.peek(1)):
		return s.number(start, pos)
	case c == '\'':
		return s.quoted(start, pos, '\'', STRING)
	case c == '"':
		return s.quoted(start, pos, '"', QIDENT)
	case c == '$' && isDigit(s.peek(1)):
		s.off++
		for s.off < len(s.src) && isDigit(s.src[s.off]) {
			s.off++
		}
		if s.off < len(s.src) && isIdentChar(s.src[s.off]) {
			return s.junk(start, pos, "trailing junk after parameter")
		}
		return item{tok: PARAM, lit: s.src[start+1 : s.off], raw: s.src[start:s.off], pos: pos}
	}
	s.off++
	tok := ILLEGAL
	switch c {
	case '(':
		tok = LPAREN
	case ')':
		tok = RPAREN
	case ',':
		tok = COMMA
	case ';':
		tok = SEMI
	case '.':
		tok = DOT
	case '+':
		tok = PLUS
	case '-':
		tok = MINUS
	case '*':
		tok = STAR
	case '/':
		tok = SLASH
	case '%':
		tok = PERCENT
	case '^':
		tok = CARET
	case '?':
		tok = QMARK
	case '=':
		tok = EQ
	case '|':
		if s.peek(0) == '|' {
			s.off++
			tok = CONCAT
		}
	case '!':
		if s.peek(0) == '=' {
			s.off++
			tok = NE
		}
	case ':':
		if s.peek(0) == ':' {
			s.off++
			tok = DCOLON
		}
	case '<':
		tok = LT
		switch s.peek(0) {
		case '=':
			s.off++
			tok = LE
		case '>':
			s.off++
			tok = NE
		}
	case '>':
		tok = GT
		if s.peek(0) == '=' {
			s.off++
			tok = GE
		}
	}
	raw := s.src[start:s.off]
	if tok == ILLEGAL {
		if c >= 0x80 {
			s.err(pos, fmt.Sprintf("unexpected byte %#x", c))
		} else {
			s.err(pos, fmt.Sprintf("unexpected character %q", raw))
		}
	}
	return item{tok: tok, lit: raw, raw: raw, pos: pos}
}

// number scans digits [. digits] [e [+-] digits], or . digits [e ...].
func (s *scanner) number(start int, pos Pos) item {
	tok := INT
	digits := func() {
		for s.off < len(s.src) && isDigit(s.src[s.off]) {
			s.off++
		}
	}
	digits()
	// "1..2" is 1 followed by "..": only take the dot when another dot does not follow.
	if s.peek(0) == '.' && s.peek(1) != '.' {
		tok = FLOAT
		s.off++
		digits()
	}
	if c := s.peek(0); c == 'e' || c == 'E' {
		n := 1
		if c := s.peek(1); c == '+' || c == '-' {
			n = 2
		}
		if isDigit(s.peek(n)) {
			tok = FLOAT
			s.off += n
			digits()
		}
	}
	if s.off < len(s.src) && isIdentChar(s.src[s.off]) {
		return s.junk(start, pos, "trailing junk after numeric literal")
	}
	text := s.src[start:s.off]
	return item{tok: tok, lit: text, raw: text, pos: pos}
}

// junk reports a number or parameter glued to a name (PostgreSQL 15 rejects "123abc" the
// same way) and skips the whole run.
func (s *scanner) junk(start int, pos Pos, msg string) item {
	for s.off < len(s.src) && (isIdentChar(s.src[s.off]) || s.src[s.off] == '.') {
		s.off++
	}
	s.err(pos, msg)
	return item{tok: ILLEGAL, raw: s.src[start:s.off], pos: pos}
}

// quoted scans a 'string' or "identifier" whose quote character is doubled to escape it.
func (s *scanner) quoted(start int, pos Pos, q byte, tok Token) item {
	var b strings.Builder
	s.off++ // opening quote
	for {
		i := strings.IndexByte(s.src[s.off:], q)
		if i < 0 {
			s.consumeLines(len(s.src))
			s.unterminated = true
			what := "string literal"
			if tok == QIDENT {
				what = "quoted identifier"
			}
			s.err(pos, what+" not terminated")
			return item{tok: ILLEGAL, raw: s.src[start:], pos: pos}
		}
		b.WriteString(s.src[s.off : s.off+i])
		s.consumeLines(s.off + i + 1)
		if s.peek(0) != q {
			break
		}
		b.WriteByte(q)
		s.off++
	}
	raw := s.src[start:s.off]
	if tok == QIDENT && b.Len() == 0 {
		s.err(pos, "zero-length quoted identifier")
		return item{tok: ILLEGAL, raw: raw, pos: pos}
	}
	return item{tok: tok, lit: b.String(), raw: raw, pos: pos}
}

// consumeLines advances to end, counting the line breaks passed.
func (s *scanner) consumeLines(end int) {
	for ; s.off < end; s.off++ {
		if s.src[s.off] == '\n' {
			s.newline(s.off)
		}
	}
}

// scanAll scans src to the end. The result always ends with an EOF item.
func scanAll(src string, err func(Pos, string)) ([]item, *scanner) {
	s := newScanner(src, err)
	var items []item
	for {
		it := s.next()
		items = append(items, it)
		if it.tok == EOF {
			return items, s
		}
	}
}

// Complete reports whether src is complete input for a REPL: it ends with a ';' that is
// outside strings, quoted identifiers and comments, ignoring trailing whitespace and
// comments. Input that ends inside a string, quoted identifier or comment is never
// complete. Complete does not check the syntax; Parse does.
func Complete(src string) bool {
	items, s := scanAll(src, nil)
	if s.unterminated || len(items) < 2 {
		return false
	}
	return items[len(items)-2].tok == SEMI
}

// escapeString scans PostgreSQL's escape string E'...': backslash sequences \b \f \n \r \t,
// \ooo (octal), \xhh (hex), \uXXXX and \UXXXXXXXX (code points); a backslash before any
// other character stands for that character, and a doubled quote is a quote as in a plain string.
func (s *scanner) escapeString(start int, pos Pos) item {
	var b strings.Builder
	s.off += 2 // E and the opening quote
	for {
		if s.off >= len(s.src) {
			s.unterminated = true
			s.err(pos, "string literal not terminated")
			return item{tok: ILLEGAL, raw: s.src[start:], pos: pos}
		}
		c := s.src[s.off]
		switch {
		case c == '\'' && s.peek(1) == '\'':
			b.WriteByte('\'')
			s.off += 2
		case c == '\'':
			s.off++
			raw := s.src[start:s.off]
			if !utf8.ValidString(b.String()) || strings.IndexByte(b.String(), 0) >= 0 {
				s.err(pos, `invalid byte sequence for encoding "UTF8"`)
				return item{tok: ILLEGAL, raw: raw, pos: pos}
			}
			return item{tok: STRING, lit: b.String(), raw: raw, pos: pos}
		case c == '\\' && s.off+1 < len(s.src):
			s.off++
			s.escape(&b)
		default:
			if c == '\n' {
				s.newline(s.off)
			}
			b.WriteByte(c)
			s.off++
		}
	}
}

// escape decodes the backslash sequence at s.off (just after the backslash) into b.
func (s *scanner) escape(b *strings.Builder) {
	c := s.src[s.off]
	s.off++
	digits := func(max int, ok func(byte) bool, base int) (int, bool) {
		n, i := 0, 0
		for ; i < max && s.off < len(s.src) && ok(s.src[s.off]); i++ {
			d, _ := strconv.ParseInt(s.src[s.off:s.off+1], base, 8)
			n = n*base + int(d)
			s.off++
		}
		return n, i > 0
	}
	isOct := func(c byte) bool { return '0' <= c && c <= '7' }
	isHex := func(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		s.off--
		n, _ := digits(3, isOct, 8)
		b.WriteByte(byte(n))
	case 'x':
		if n, ok := digits(2, isHex, 16); ok {
			b.WriteByte(byte(n))
		} else {
			b.WriteByte('x')
		}
	case 'u', 'U':
		width := 4
		if c == 'U' {
			width = 8
		}
		at := s.pos(s.off - 2)
		n, _ := digits(width, isHex, 16)
		if !utf8.ValidRune(rune(n)) || n == 0 {
			s.err(at, "invalid Unicode escape value")
			return
		}
		b.WriteRune(rune(n))
	default:
		if c == '\n' {
			s.newline(s.off - 1)
		}
		b.WriteByte(c)
	}
}
