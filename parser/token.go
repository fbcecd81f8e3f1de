package parser

import "strconv"

// Token is the kind of a lexical token: a literal, an operator or punctuation mark, or a
// keyword. Like go/token, keywords are token kinds of their own, and a token knows its binary
// operator precedence.
type Token int

// The token kinds.
const (
	ILLEGAL Token = iota // a lexical error, already reported by the scanner
	EOF

	literalBeg
	IDENT  // key, "Mixed Case" (QIDENT below); unquoted names are folded to lower case
	QIDENT // "quoted identifier"
	INT    // 42
	FLOAT  // 1.5, .5, 1e10
	STRING // 'text'
	PARAM  // $1
	QMARK  // ?
	literalEnd

	operatorBeg
	LPAREN  // (
	RPAREN  // )
	COMMA   // ,
	SEMI    // ;
	DOT     // .
	PLUS    // +
	MINUS   // -
	STAR    // *
	SLASH   // /
	PERCENT // %
	CARET   // ^
	CONCAT  // ||
	EQ      // =
	NE      // <> or !=
	LT      // <
	LE      // <=
	GT      // >
	GE      // >=
	DCOLON  // ::
	operatorEnd

	keywordBeg
	ADD
	ALL
	ALTER
	ANALYZE
	AND
	ANY
	ARRAY
	AS
	ASC
	BEGIN
	BETWEEN
	BIGINT
	BOOLEAN
	BY
	CASE
	CAST
	CHAR
	CHARACTER
	CHECK
	COLLATE
	COLUMN
	COMMIT
	CONSTRAINT
	CREATE
	CROSS
	CURRENT_DATE
	CURRENT_TIME
	CURRENT_TIMESTAMP
	DEC
	DECIMAL
	DEFAULT
	DELETE
	DESC
	DISTINCT
	DO
	DOUBLE
	DROP
	ELSE
	END
	ESCAPE
	EXCEPT
	EXISTS
	EXPLAIN
	FALSE
	FETCH
	FIRST
	FLOAT_KW
	FOR
	FOREIGN
	FROM
	FULL
	GRANT
	GROUP
	HAVING
	IF
	ILIKE
	IN
	INDEX
	INNER
	INSERT
	INT_KW
	INTEGER
	INTERSECT
	INTO
	IS
	ISNULL
	JOIN
	KEY
	LAST
	LATERAL
	LEFT
	LIKE
	LIMIT
	LOCALTIME
	LOCALTIMESTAMP
	NATURAL
	NOT
	NOTNULL
	NULL
	NULLS
	NUMERIC
	OF
	OFFSET
	ON
	ONLY
	OR
	ORDER
	OUTER
	PRECISION
	PRIMARY
	REAL
	REFERENCES
	RENAME
	RETURNING
	RIGHT
	ROLLBACK
	SELECT
	SEQ
	SET
	SMALLINT
	SOME
	START
	TABLE
	THEN
	TIME
	TIMESTAMP
	TO
	TRANSACTION
	TRUE
	UNION
	UNIQUE
	UPDATE
	USING
	VALUES
	VARCHAR
	VARYING
	WHEN
	WHERE
	WINDOW
	WITH
	WITHOUT
	WORK
	ZONE
	keywordEnd
)

var tokens = [...]string{
	ILLEGAL: "ILLEGAL",
	EOF:     "end of input",

	IDENT:  "identifier",
	QIDENT: "quoted identifier",
	INT:    "integer",
	FLOAT:  "number",
	STRING: "string",
	PARAM:  "parameter",
	QMARK:  "?",

	LPAREN:  "(",
	RPAREN:  ")",
	COMMA:   ",",
	SEMI:    ";",
	DOT:     ".",
	PLUS:    "+",
	MINUS:   "-",
	STAR:    "*",
	SLASH:   "/",
	PERCENT: "%",
	CARET:   "^",
	CONCAT:  "||",
	EQ:      "=",
	NE:      "<>",
	LT:      "<",
	LE:      "<=",
	GT:      ">",
	GE:      ">=",
	DCOLON:  "::",

	ADD: "ADD", ALL: "ALL", ALTER: "ALTER", ANALYZE: "ANALYZE",
	AND: "AND", ANY: "ANY", ARRAY: "ARRAY", AS: "AS",
	ASC: "ASC", BEGIN: "BEGIN", BETWEEN: "BETWEEN", BIGINT: "BIGINT",
	BOOLEAN: "BOOLEAN", BY: "BY", CASE: "CASE", CAST: "CAST",
	CHAR: "CHAR", CHARACTER: "CHARACTER", CHECK: "CHECK", COLLATE: "COLLATE",
	COLUMN: "COLUMN", COMMIT: "COMMIT", CONSTRAINT: "CONSTRAINT", CREATE: "CREATE",
	CROSS: "CROSS", CURRENT_DATE: "CURRENT_DATE", CURRENT_TIME: "CURRENT_TIME", CURRENT_TIMESTAMP: "CURRENT_TIMESTAMP",
	DEC: "DEC", DECIMAL: "DECIMAL", DEFAULT: "DEFAULT", DELETE: "DELETE",
	DESC: "DESC", DISTINCT: "DISTINCT", DO: "DO", DOUBLE: "DOUBLE",
	DROP: "DROP", ELSE: "ELSE", END: "END", ESCAPE: "ESCAPE",
	EXCEPT: "EXCEPT", EXISTS: "EXISTS", EXPLAIN: "EXPLAIN", FALSE: "FALSE",
	FETCH: "FETCH", FIRST: "FIRST", FLOAT_KW: "FLOAT", FOR: "FOR",
	FOREIGN: "FOREIGN", FROM: "FROM", FULL: "FULL", GRANT: "GRANT",
	GROUP: "GROUP", HAVING: "HAVING", IF: "IF", ILIKE: "ILIKE",
	IN: "IN", INDEX: "INDEX", INNER: "INNER", INSERT: "INSERT",
	INT_KW: "INT", INTEGER: "INTEGER", INTERSECT: "INTERSECT", INTO: "INTO",
	IS: "IS", ISNULL: "ISNULL", JOIN: "JOIN", KEY: "KEY",
	LAST: "LAST", LATERAL: "LATERAL", LEFT: "LEFT", LIKE: "LIKE",
	LIMIT: "LIMIT", LOCALTIME: "LOCALTIME", LOCALTIMESTAMP: "LOCALTIMESTAMP", NATURAL: "NATURAL",
	NOT: "NOT", NOTNULL: "NOTNULL", NULL: "NULL", NULLS: "NULLS",
	NUMERIC: "NUMERIC", OF: "OF", OFFSET: "OFFSET", ON: "ON",
	ONLY: "ONLY", OR: "OR", ORDER: "ORDER", OUTER: "OUTER",
	PRECISION: "PRECISION", PRIMARY: "PRIMARY", REAL: "REAL", REFERENCES: "REFERENCES",
	RENAME: "RENAME", RETURNING: "RETURNING", RIGHT: "RIGHT", ROLLBACK: "ROLLBACK",
	SELECT: "SELECT", SEQ: "SEQ", SET: "SET", SMALLINT: "SMALLINT",
	SOME: "SOME", START: "START", TABLE: "TABLE", THEN: "THEN",
	TIME: "TIME", TIMESTAMP: "TIMESTAMP", TO: "TO", TRANSACTION: "TRANSACTION",
	TRUE: "TRUE", UNION: "UNION", UNIQUE: "UNIQUE", UPDATE: "UPDATE",
	USING: "USING", VALUES: "VALUES", VARCHAR: "VARCHAR", VARYING: "VARYING",
	WHEN: "WHEN", WHERE: "WHERE", WINDOW: "WINDOW", WITH: "WITH",
	WITHOUT: "WITHOUT", WORK: "WORK", ZONE: "ZONE",
}

// String returns the token's spelling for operators and keywords ("(", "SELECT") and a
// description for the others ("identifier", "end of input").
func (t Token) String() string {
	if 0 <= t && int(t) < len(tokens) && tokens[t] != "" {
		return tokens[t]
	}
	return "token(" + strconv.Itoa(int(t)) + ")"
}

// IsKeyword reports whether t is a keyword.
func (t Token) IsKeyword() bool { return keywordBeg < t && t < keywordEnd }

// Class is how reserved a keyword is. The classes are PostgreSQL's (see its Appendix C,
// "SQL Key Words"): they decide where a keyword may still be used as a name.
type Class int

// The keyword classes, from least to most reserved.
const (
	NotKeyword Class = iota // an identifier or a non-word token
	Unreserved              // a name anywhere: key, seq, index, begin, ...
	ColName                 // a column, table or alias name, but not a function name: integer, timestamp, exists
	TypeFunc                // a function name, but not a column or table name: left, join, like
	Reserved                // never a bare name: select, from, and, ...
)

var classes = map[Token]Class{
	// Unreserved in PostgreSQL.
	ADD: Unreserved, ALTER: Unreserved, BEGIN: Unreserved, BY: Unreserved, COMMIT: Unreserved,
	DELETE: Unreserved, DOUBLE: Unreserved, DROP: Unreserved, ESCAPE: Unreserved,
	EXPLAIN: Unreserved, FIRST: Unreserved, IF: Unreserved, INDEX: Unreserved,
	INSERT: Unreserved, KEY: Unreserved, LAST: Unreserved, NULLS: Unreserved, OF: Unreserved,
	RENAME: Unreserved, ROLLBACK: Unreserved, SET: Unreserved, START: Unreserved,
	TRANSACTION: Unreserved, UPDATE: Unreserved, VARYING: Unreserved, WITHOUT: Unreserved,
	WORK: Unreserved, ZONE: Unreserved,
	SEQ: Unreserved, // ours: AS OF SEQ

	// Column-name keywords: they have syntax of their own after them (a type's modifiers, a
	// typed literal, EXISTS (...)), so they cannot start a function call.
	BETWEEN: ColName, BIGINT: ColName, BOOLEAN: ColName, CHAR: ColName, CHARACTER: ColName,
	DEC: ColName, DECIMAL: ColName, EXISTS: ColName, FLOAT_KW: ColName, INT_KW: ColName,
	INTEGER: ColName, NUMERIC: ColName, PRECISION: ColName, REAL: ColName, SMALLINT: ColName,
	TIME: ColName, TIMESTAMP: ColName, VALUES: ColName, VARCHAR: ColName,

	CROSS: TypeFunc, FULL: TypeFunc, ILIKE: TypeFunc, INNER: TypeFunc, IS: TypeFunc,
	ISNULL: TypeFunc, JOIN: TypeFunc, LEFT: TypeFunc, LIKE: TypeFunc, NATURAL: TypeFunc,
	NOTNULL: TypeFunc, OUTER: TypeFunc, RIGHT: TypeFunc,
}

// Class returns the keyword class of t: NotKeyword for non-keywords, Reserved for every
// keyword not listed as less reserved.
func (t Token) Class() Class {
	if !t.IsKeyword() {
		return NotKeyword
	}
	if c, ok := classes[t]; ok {
		return c
	}
	return Reserved
}

var keywords map[string]Token

func init() {
	keywords = make(map[string]Token, keywordEnd-keywordBeg)
	for t := keywordBeg + 1; t < keywordEnd; t++ {
		keywords[lower(tokens[t])] = t
	}
}

// Lookup maps a lower-case word to its keyword token, or IDENT.
func Lookup(word string) Token {
	if t, ok := keywords[word]; ok {
		return t
	}
	return IDENT
}

// Operator precedences, lowest to highest, as in PostgreSQL's grammar (gram.y). Precedence
// climbing (parseBinaryExpr) continues a binary expression only with operators of at least
// the precedence it was asked for.
const (
	LowestPrec  = 0
	precOr      = 1  // OR
	precAnd     = 2  // AND
	precNot     = 3  // NOT (prefix)
	precIs      = 4  // IS [NOT] NULL, ISNULL, NOTNULL (postfix)
	precCompare = 5  // < > = <= >= <> !=
	precLike    = 6  // [NOT] BETWEEN, IN, LIKE, ILIKE
	precOther   = 7  // || (PostgreSQL's "any other operator")
	precAdd     = 8  // + -
	precMul     = 9  // * / %
	precPow     = 10 // ^
	precUnary   = 11 // unary - and + bind tighter than ^: -2 ^ 2 is 4
	precPrimary = 12 // literals, names, calls, parenthesized things: bind tightest
)

// Precedence returns the binary-operator precedence of t (including the postfix IS and the
// keyword operators BETWEEN, IN, LIKE), or LowestPrec if t is not a binary operator.
// NOT BETWEEN and friends are recognized by the parser, which looks one token further.
func (t Token) Precedence() int {
	switch t {
	case OR:
		return precOr
	case AND:
		return precAnd
	case IS, ISNULL, NOTNULL:
		return precIs
	case EQ, NE, LT, LE, GT, GE:
		return precCompare
	case BETWEEN, IN, LIKE, ILIKE:
		return precLike
	case CONCAT:
		return precOther
	case PLUS, MINUS:
		return precAdd
	case STAR, SLASH, PERCENT:
		return precMul
	case CARET:
		return precPow
	}
	return LowestPrec
}

// lower folds ASCII letters to lower case, as PostgreSQL does for unquoted identifiers
// (bytes outside ASCII are left alone).
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// upper folds ASCII letters to upper case.
func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}
