package executor

import (
	"errors"
	"fmt"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// ErrNoStore is returned (wrapped in a *schema.Error) when a statement needs the durable store
// — AS OF reads an older state — but Env.Store is nil.
var ErrNoStore = errors.New("executor: no store to read past states from")

// errStop is returned by an emit callback to make the producers below it stop early: a LIMIT
// that has its rows, an EXISTS that saw one. The operator that returned it swallows it; it
// never escapes Execute.
var errStop = errors.New("executor: stop producing")

// SQLSTATE codes the schema package does not name.
const (
	codeUndefinedParameter = "42P02"
	codeCannotCoerce       = "42846"
	codeAmbiguousFunction  = "42725"
	codeInvalidColumnRef   = "42P10"
	codeDatetimeOverflow   = "22008"
	codeNegativeLimit      = "2201W"
	codeNegativeOffset     = "2201X"
	codeInvalidEscape      = "22025"
	codeWrongObjectType    = "42809"
)

// errAt returns a *schema.Error positioned at node n (n may be nil).
func errAt(n parser.Node, code, format string, args ...any) *schema.Error {
	e := schema.Errorf(code, format, args...)
	if n != nil {
		p := n.Pos()
		e.Line, e.Col = p.Line, p.Col
	}
	return e
}

// errAtPos returns a *schema.Error positioned at p.
func errAtPos(p parser.Pos, code, format string, args ...any) *schema.Error {
	e := schema.Errorf(code, format, args...)
	e.Line, e.Col = p.Line, p.Col
	return e
}

// positioned gives err the position of n when err is a *schema.Error that has none yet.
func positioned(err error, n parser.Node) error {
	var se *schema.Error
	if n != nil && errors.As(err, &se) && se.Line == 0 {
		p := n.Pos()
		se.Line, se.Col = p.Line, p.Col
	}
	return err
}

func errUndefinedTable(n parser.Node, name string) error {
	return errAt(n, schema.CodeUndefinedTable, "relation %q does not exist", name)
}

func errOutOfRange(t schema.Type) error {
	return schema.Errorf(schema.CodeOutOfRange, "%s out of range", t.String())
}

func errDivisionByZero() error {
	return schema.Errorf(schema.CodeDivisionByZero, "division by zero")
}

func errFloatOverflow() error {
	return schema.Errorf(schema.CodeOutOfRange, "value out of range: overflow")
}

func errFloatUnderflow() error {
	return schema.Errorf(schema.CodeOutOfRange, "value out of range: underflow")
}

func errCanceled() error {
	return schema.Errorf(schema.CodeQueryCanceled, "canceling statement due to user request")
}

func errUnsupported(n parser.Node, what string) error {
	return errAt(n, schema.CodeFeatureUnsupported, "%s is not supported", what)
}

// errOperator is PostgreSQL's "operator does not exist: integer = text".
func errOperator(n parser.Node, op string, l, r schema.Type) error {
	return errAt(n, schema.CodeUndefinedFunction, "operator does not exist: %s %s %s", typeName(l), op, typeName(r))
}

func errInternal(format string, args ...any) error {
	return schema.Errorf(schema.CodeInternal, "executor: internal error: %s", fmt.Sprintf(format, args...))
}
