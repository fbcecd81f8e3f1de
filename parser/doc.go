// Package parser turns SQL text into a syntax tree (ast.go) and back into text. It reads a
// PostgreSQL-compatible subset of SQL, with PostgreSQL's syntax, precedences and keywords.
//
// Parse splits the input into statements; ParseExpr reads a single expression (a stored
// DEFAULT); Format prints any node as SQL that parses back to an equal tree; Complete tells a
// REPL whether the input typed so far ends a statement.
//
// The package is built like go/scanner and go/parser: a hand-written scanner (scanner.go)
// produces tokens (token.go), and a recursive-descent parser (parser.go and parse_*.go)
// builds the tree, reading expressions by precedence climbing. Errors are *Error values with
// a line:col position and an "expected X, found Y" message, collected in an ErrorList.
//
// The parser checks syntax only: names, types and the meaning of operators are left to the
// executor. It imports nothing but the standard library, and all its functions are safe for
// concurrent use. README.md explains the design for a reader new to parsers.
package parser
