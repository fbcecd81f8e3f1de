// Package database is the orchestrator of eventsql: it opens (and recovers) a data directory,
// runs SQL in sessions with transactions, and owns the write path — the executor's events are
// appended durably to the log before they are applied to the state that readers see.
//
// A DB is safe for concurrent use. A Session is one connection's state (its open transaction)
// and is used by one goroutine at a time.
package database
