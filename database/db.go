package database

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/executor"
	"github.com/eventsql/eventsql/storage"
)

// Options configure a DB. A nil *Options means the defaults.
type Options struct {
	// Durability says when COMMIT returns: eventlog.DurabilityAlways (the default: after
	// fdatasync), DurabilityInterval (after the write; fsync at most every SyncInterval, so a
	// crash may lose the last interval of acknowledged commits) or DurabilityOff (never
	// fsync: tests only). See eventlog.ParseDurability for the text forms the flags accept.
	Durability   eventlog.Durability
	SyncInterval time.Duration
	// NoSync is DurabilityOff, kept as a short form for tests.
	NoSync bool
	// SnapshotEvery is how many events pass between automatic snapshots (0: the storage
	// default, every 10000 events or every as many events as there are rows, whichever is
	// more; see storage.Options). NoSnapshots turns automatic and on-close snapshots off.
	SnapshotEvery uint64
	NoSnapshots   bool
	// KeepSnapshots is how many snapshots are kept on disk (0: the storage default).
	KeepSnapshots int
	// Logger receives recovery and snapshot messages; nil discards them.
	Logger *slog.Logger
	// NoIndexScans makes queries read tables sequentially even where an index would serve.
	// Indexes are still maintained and still enforce uniqueness. For tests that check index
	// use never changes a result.
	NoIndexScans bool
}

// Result is the outcome of one statement: columns and rows for a query, a row count for a
// write, and the command tag psql would print.
type Result = executor.Result

// DB is an open eventsql data directory.
//
// Layout of the directory:
//
//	LOCK         held with flock while open, so two processes never write one log
//	log/         the event log: the only truth (package eventlog)
//	snapshots/   derived materialized states (package storage)
type DB struct {
	dir    string
	log    *eventlog.Log
	store  *storage.Store
	lock   *os.File
	logger *slog.Logger
	opts   Options

	// commitMu serializes the first half of the commit path: conflict check, submitting the
	// events to the log, staging the next state. Readers never take it; committers release it
	// before waiting for the disk (see stage and finish).
	commitMu sync.Mutex
	// inflight counts commits submitted but not yet published, so Close can wait for them.
	inflight sync.WaitGroup

	mu     sync.Mutex
	closed bool

	// observer is the function ObserveCommits set, called by the log's writer.
	observer *atomic.Pointer[func(CommitStats)]
}

// Open opens the data directory dir, creating it if needed, and recovers its state: the log's
// torn tail (if any) is cut, the newest valid snapshot is loaded and the rest of the log is
// replayed. It fails with ErrLocked when the directory is already open.
func Open(dir string, opts *Options) (*DB, error) {
	if opts == nil {
		opts = &Options{}
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("database: create data directory: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	observer := new(atomic.Pointer[func(CommitStats)])
	lg, err := eventlog.Open(filepath.Join(dir, "log"), &eventlog.Options{
		OnCommit: func(s CommitStats) {
			if fn := observer.Load(); fn != nil {
				(*fn)(s)
			}
		},
		Durability:   opts.Durability,
		SyncInterval: opts.SyncInterval,
		NoSync:       opts.NoSync,
		Logger:       logger,
		Keys:         eventlog.EventKeys, // per-table and per-row indexes for \history
		// Commit times have microsecond precision, like SQL timestamps, so a time printed by
		// \log names exactly that commit when given back to AS OF TIMESTAMP.
		Now: func() time.Time { return time.Now().Truncate(time.Microsecond) },
	})
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("database: open log in %s: %w", dir, err)
	}
	st, err := storage.Open(dir, lg, &storage.Options{
		SnapshotEvery: opts.SnapshotEvery,
		KeepSnapshots: opts.KeepSnapshots,
		NoSnapshots:   opts.NoSnapshots,
		Logger:        logger,
	})
	if err != nil {
		lg.Close()
		lock.Close()
		return nil, fmt.Errorf("database: recover state in %s: %w", dir, err)
	}
	return &DB{dir: dir, log: lg, store: st, lock: lock, logger: logger, opts: *opts, observer: observer}, nil
}

// lockDir takes an exclusive, non-blocking flock on dir/LOCK.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("database: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %s", ErrLocked, dir)
	}
	return f, nil
}

// Durability describes when COMMIT returns: "always", "interval 10ms" or "off".
func (db *DB) Durability() string { return db.log.Durability() }

// SetDurability changes when COMMIT returns, from the next commit on; text is "always",
// "interval", "interval 5ms" (or "interval=5ms") or "off". Switching to "always" also syncs
// what earlier commits left unsynced.
func (db *DB) SetDurability(text string) error {
	mode, interval, err := eventlog.ParseDurability(text)
	if err != nil {
		return err
	}
	db.log.SetDurability(mode, interval)
	return nil
}

// Dir returns the data directory.
func (db *DB) Dir() string { return db.dir }

// Log returns the event log. Callers may read it (Scan, Head, Verify); appending is the DB's.
func (db *DB) Log() *eventlog.Log { return db.log }

// Store returns the materialized state.
func (db *DB) Store() *storage.Store { return db.store }

// Close takes a final snapshot (unless snapshots are off), closes the log and releases the
// directory. Sessions of the DB fail with ErrClosed afterwards.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil
	}
	db.closed = true
	db.mu.Unlock()

	// No commit can start now (they check closed under commitMu); let the submitted ones
	// become durable and visible before the final snapshot and before the log goes away.
	db.commitMu.Lock()
	defer db.commitMu.Unlock()
	db.inflight.Wait()
	err := db.store.Close()
	if lerr := db.log.Close(); err == nil {
		err = lerr
	}
	if cerr := db.lock.Close(); err == nil {
		err = cerr
	}
	return err
}

func (db *DB) isClosed() bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.closed
}

// Exec runs the SQL text (one or more statements) in a fresh session and returns the result
// of the last statement. A transaction left open by the text is rolled back and reported as
// ErrTxOpen.
func (db *DB) Exec(ctx context.Context, sql string, args ...any) (*Result, error) {
	s := db.Session()
	defer s.Close()
	res, err := s.Exec(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	if s.InTx() {
		return nil, ErrTxOpen
	}
	if len(res) == 0 {
		return &Result{}, nil
	}
	return res[len(res)-1], nil
}

// Query is Exec for statements that return rows; it exists for symmetry with database/sql.
func (db *DB) Query(ctx context.Context, sql string, args ...any) (*Result, error) {
	return db.Exec(ctx, sql, args...)
}
