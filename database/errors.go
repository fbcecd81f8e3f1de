package database

import "errors"

// ErrClosed is returned by every method of a DB, or of a Session of it, after DB.Close.
var ErrClosed = errors.New("database: closed")

// ErrLocked is returned by Open when another process (or another DB in this process) has the
// data directory open.
var ErrLocked = errors.New("database: data directory is in use by another process")

// ErrTxOpen is returned by DB.Exec and DB.Query when the SQL leaves a transaction open: use a
// Session for multi-call transactions.
var ErrTxOpen = errors.New("database: statement left a transaction open; use a Session")

// ErrNoRow is returned by Session.Row when no row of the table has the key.
var ErrNoRow = errors.New("database: no such row")
