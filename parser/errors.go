package parser

import (
	"fmt"
	"sort"
)

// Error is a syntax error at a position of the input. Messages have the form
// "expected X, found Y" where possible.
type Error struct {
	Pos Pos
	Msg string
}

// Error implements the error interface: "syntax error at line:col: msg".
func (e *Error) Error() string {
	return fmt.Sprintf("syntax error at %d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
}

// ErrorList is a list of syntax errors, sorted by position once Parse returns it. The parser
// reports at most one error per statement, the first, lexical or not (it skips to the next
// ';' after one), and stops after maxErrors.
type ErrorList []*Error

const maxErrors = 10

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, msg string) {
	*l = append(*l, &Error{Pos: pos, Msg: msg})
}

// Sort sorts the list by position.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
}

// Error returns the first error's message, followed by how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Err returns nil for an empty list and the list itself otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap returns the errors of the list, so that errors.As(err, &e) with e a *Error finds
// the first one.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}
