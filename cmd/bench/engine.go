package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"

	_ "modernc.org/sqlite" // registers "sqlite": the peer, imported by this command only

	_ "github.com/eventsql/eventsql/driver" // registers "eventsql"
)

// engine is one database under test, reached through database/sql only, so both pay the same
// database/sql costs and the comparison is of the engines.
type engine struct {
	name string
	// open opens (creating if needed) the database kept in the directory dir.
	open func(ctx context.Context, dir string) (*sql.DB, error)
	// asOf reports whether the engine has AS OF (W11).
	asOf bool
}

var engines = []engine{
	{name: "eventsql", open: openEventSQL, asOf: true},
	{name: "sqlite", open: openSQLite},
}

// openEventSQL opens eventsql with its default, durable options: every commit is fdatasync'd
// before it returns, and snapshots are taken as they would be in production.
func openEventSQL(ctx context.Context, dir string) (*sql.DB, error) {
	db, err := sql.Open("eventsql", dir)
	if err != nil {
		return nil, err
	}
	pool(db)
	return db, nil
}

// openSQLite opens SQLite in WAL mode with synchronous=FULL — every commit is fsync'd, as
// eventsql's are — and a busy timeout, so that concurrent writers wait for the write lock
// instead of failing. _txlock=immediate takes the write lock at BEGIN, so a transaction never
// fails half-way when it upgrades from reading to writing. The pragmas are set on every
// connection the pool opens, and checked here.
func openSQLite(ctx context.Context, dir string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "bench.db")+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	pool(db)
	var mode string
	var sync int
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		db.Close()
		return nil, err
	}
	if mode != "wal" || sync != 2 {
		db.Close()
		return nil, fmt.Errorf("sqlite: journal_mode=%s synchronous=%d, want wal and 2 (FULL)", mode, sync)
	}
	return db, nil
}

// pool keeps every connection a workload opened: database/sql keeps only 2 idle ones by
// default, and with 16 clients it would otherwise close and reopen connections all the time.
func pool(db *sql.DB) {
	db.SetMaxIdleConns(64)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
}

// schemaSQL is the schema of every workload, in SQL both engines accept. w is t's twin, the
// target of the insert workloads, so that t keeps exactly the rows the model describes.
var schemaSQL = []string{
	"CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, v TEXT, f DOUBLE PRECISION)",
	"CREATE INDEX t_k ON t (k)",
	"CREATE TABLE c (id INTEGER PRIMARY KEY, k INTEGER, v TEXT, f DOUBLE PRECISION)",
	"CREATE TABLE w (id INTEGER PRIMARY KEY, k INTEGER, v TEXT, f DOUBLE PRECISION)",
	"CREATE INDEX w_k ON w (k)",
}

// version returns the engine's version for the report.
func version(ctx context.Context, e engine, db *sql.DB) string {
	if e.name != "sqlite" {
		return "this tree"
	}
	var v string
	if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
		return "?"
	}
	return "SQLite " + v + " (modernc.org/sqlite)"
}
