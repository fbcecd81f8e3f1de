package storage

import (
	"errors"
	"fmt"
	"strings"

	"github.com/eventsql/eventsql/schema"
)

// Sentinel errors. SQL-facing failures (unique violations, serialization failures, name
// clashes) are *schema.Error values with a SQLSTATE code whose Err field holds one of these, so
// callers can use either errors.As (for the code) or errors.Is (for the cause).
var (
	// ErrNoTable is returned (inside a CodeInternal *schema.Error) by State.Apply and the Tx
	// write methods when an event names a table ID that is not live: the log or the caller is
	// inconsistent, since the executor checks names first.
	ErrNoTable = errors.New("storage: no such table")

	// ErrNoRow is returned (inside a CodeInternal *schema.Error) by State.Apply and Tx.Update /
	// Tx.Delete when a row update or delete names a row that does not exist.
	ErrNoRow = errors.New("storage: no such row")

	// ErrBadEvent is returned (inside a CodeInternal *schema.Error) by State.Apply when an event
	// cannot be applied as written: a row of the wrong width, a reused row or table ID, an index
	// on an unknown column, an unknown event type or alteration.
	ErrBadEvent = errors.New("storage: malformed event")

	// ErrSeqOrder is returned by State.Apply when seq is not greater than the state's Seq:
	// events must be applied in log order, each exactly once.
	ErrSeqOrder = errors.New("storage: event applied out of order")

	// ErrSealed is returned by State.Apply on a State that has been published (or handed to
	// readers); published states are immutable. Clone it first.
	ErrSealed = errors.New("storage: state is published and immutable")

	// ErrUnique is the cause inside the CodeUnique (23505) *schema.Error returned when a write
	// or an index build would give two rows the same key in a unique index.
	ErrUnique = errors.New("storage: unique constraint violated")

	// ErrConflict is the cause inside the CodeSerialization (40001) *schema.Error returned by
	// Store.Prepare when a transaction wrote a row or table that a transaction committed since
	// its start also changed.
	ErrConflict = errors.New("storage: concurrent update")

	// ErrExists is the cause inside the *schema.Error returned by State.Apply when a created or
	// renamed table, index or column takes a name that is already in use (42P07 / 42701).
	ErrExists = errors.New("storage: name already in use")

	// ErrNoIndex is the cause inside the CodeUndefinedObject *schema.Error returned when an
	// IndexDropped event names an index the table does not have.
	ErrNoIndex = errors.New("storage: no such index")

	// ErrFutureSeq is returned by Store.StateAt for a seq beyond the log's head.
	ErrFutureSeq = errors.New("storage: sequence number is beyond the end of the log")

	// ErrSnapshotCorrupt is returned when a snapshot file fails its checksum or cannot be
	// decoded. Store.Open and Store.StateAt do not return it: they log it and fall back to an
	// older snapshot or to replaying the log.
	ErrSnapshotCorrupt = errors.New("storage: snapshot corrupt")

	// ErrSnapshotStale is returned when a snapshot's recorded chain hash differs from the log's
	// hash at its seq, or its seq is beyond the log's head: it describes a different history.
	// Open and StateAt log it and fall back, like ErrSnapshotCorrupt.
	ErrSnapshotStale = errors.New("storage: snapshot does not match the log")

	// ErrClosed is returned by Store methods called after Close.
	ErrClosed = errors.New("storage: store closed")
)

// uniqueError is PostgreSQL's error for a write that duplicates a unique key. schema.Error has
// no DETAIL field, so the detail follows the message on a second line, as psql prints it.
func uniqueError(def *schema.Table, ix *schema.Index, row schema.Row) *schema.Error {
	return &schema.Error{
		Code: schema.CodeUnique,
		Message: fmt.Sprintf("duplicate key value violates unique constraint %q\nDETAIL:  Key %s already exists.",
			ix.Name, keyDetail(def, ix, row)),
		Err: ErrUnique,
	}
}

// buildUniqueError is PostgreSQL's error for CREATE UNIQUE INDEX over rows that collide.
func buildUniqueError(def *schema.Table, ix *schema.Index, row schema.Row) *schema.Error {
	return &schema.Error{
		Code: schema.CodeUnique,
		Message: fmt.Sprintf("could not create unique index %q\nDETAIL:  Key %s is duplicated.",
			ix.Name, keyDetail(def, ix, row)),
		Err: ErrUnique,
	}
}

// keyDetail formats an index key as PostgreSQL's DETAIL does: "(a, b)=(1, x)".
func keyDetail(def *schema.Table, ix *schema.Index, row schema.Row) string {
	var names, vals []string
	for _, p := range def.KeyPositions(ix) {
		names = append(names, def.Columns[p].Name)
		vals = append(vals, row[p].String())
	}
	return "(" + strings.Join(names, ", ") + ")=(" + strings.Join(vals, ", ") + ")"
}

// conflictError is the serialization failure Store.Prepare returns.
func conflictError(format string, args ...any) *schema.Error {
	return &schema.Error{
		Code:    schema.CodeSerialization,
		Message: "could not serialize access due to concurrent update",
		Err:     fmt.Errorf("%w: "+format, append([]any{ErrConflict}, args...)...),
	}
}

// internalError wraps a sentinel for an event that cannot be applied (XX000).
func internalError(cause error, format string, args ...any) *schema.Error {
	msg := fmt.Sprintf(format, args...)
	return &schema.Error{Code: schema.CodeInternal, Message: msg, Err: fmt.Errorf("%w: %s", cause, msg)}
}

// existsError is a name clash: code is 42P07 for relations, 42701 for columns.
func existsError(code, format string, args ...any) *schema.Error {
	return &schema.Error{Code: code, Message: fmt.Sprintf(format, args...), Err: ErrExists}
}
