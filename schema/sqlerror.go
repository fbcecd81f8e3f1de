package schema

import "fmt"

// Error is an SQL error: a SQLSTATE code, a message, and where known the position in the
// statement text (1-based line and column; 0 when unknown). Every error that reaches a user
// from the SQL layers is, or wraps, an *Error; find it with errors.As.
type Error struct {
	Code    string
	Message string
	Line    int
	Col     int
	// Err is the underlying cause, if any, for errors.Is/As.
	Err error
}

// SQLSTATE codes used by eventsql (PostgreSQL's values).
const (
	CodeSyntax             = "42601"
	CodeUndefinedTable     = "42P01"
	CodeUndefinedColumn    = "42703"
	CodeUndefinedObject    = "42704"
	CodeUndefinedFunction  = "42883"
	CodeDuplicateTable     = "42P07"
	CodeDuplicateColumn    = "42701"
	CodeDuplicateObject    = "42710"
	CodeAmbiguousColumn    = "42702"
	CodeDatatypeMismatch   = "42804"
	CodeGrouping           = "42803"
	CodeInvalidText        = "22P02"
	CodeStringTooLong      = "22001"
	CodeOutOfRange         = "22003"
	CodeDivisionByZero     = "22012"
	CodeInvalidDatetime    = "22007"
	CodeNotNull            = "23502"
	CodeUnique             = "23505"
	CodeForeignKey         = "23503"
	CodeCheck              = "23514"
	CodeInvalidForeignKey  = "42830"
	CodeSerialization      = "40001"
	CodeInFailedTx         = "25P02"
	CodeActiveTx           = "25001"
	CodeNoActiveTx         = "25P01"
	CodeFeatureUnsupported = "0A000"
	CodeInvalidParameter   = "22023"
	CodeQueryCanceled      = "57014"
	CodeInternal           = "XX000"
	CodeDataCorrupted      = "XX001"
	CodeIOError            = "58030"
	CodeProtocolViolation  = "08P01"
	CodeCardinality        = "21000"
	CodeInvalidName        = "42602"
	CodeDependentObjects   = "2BP01"
)

// Errorf returns an *Error with the given SQLSTATE code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error returns the message. Producers of positioned errors write the position into the
// message themselves ("syntax error at 1:15: expected FROM, found \"FORM\"").
func (e *Error) Error() string { return e.Message }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }
