package storage

import (
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eventsql/eventsql/eventlog"
)

// Options configures a Store. A nil *Options means all defaults.
type Options struct {
	// SnapshotEvery is how many events may be published after the last snapshot before
	// Publish starts writing another one in the background. 0 means the default: 10000, or
	// as many events as the state has rows when that is more (see snapshotDue).
	SnapshotEvery uint64
	// KeepSnapshots is how many snapshot files to keep, newest first; 0 means 4.
	KeepSnapshots int
	// Logger receives warnings (a snapshot that was damaged or did not match the log and was
	// skipped, a background snapshot that failed); nil discards them.
	Logger *slog.Logger
	// NoSnapshots disables writing snapshots (Publish, Snapshot and Close write none); existing
	// ones are still used to open and to answer StateAt.
	NoSnapshots bool
}

const (
	defaultSnapshotEvery = 10000
	defaultKeepSnapshots = 4
)

// Store is the materialized side of the database: the latest committed State, derived from the
// event log, plus snapshots of it on disk so that opening and AS OF queries need not replay
// the whole log.
//
// Current, Begin, StateAt and SeqAtTime are safe from any goroutine, and readers never block
// the writer. Prepare and Publish must be called by one committer at a time (the database's
// commit mutex), in the order Prepare → log.Append → Publish.
type Store struct {
	dir    string // the snapshots directory
	log    *eventlog.Log
	opts   Options
	logger *slog.Logger

	cur atomic.Pointer[State]
	// adaptive is set when SnapshotEvery was left at its default: see snapshotDue.
	adaptive bool
	// staged is the newest state prepared for a commit whose events are submitted to the log
	// but perhaps not yet durable. The committer (holding the database's commit lock) stages
	// states; Abort may clear it from any goroutine. pubMu orders the Publish calls made by
	// the goroutines waiting for their commits to become durable.
	staged atomic.Pointer[State]
	pubMu  sync.Mutex

	// rowIDs and tableIDs are the last ids handed out: store-wide, so concurrent transactions
	// never pick the same one, and resumed after the largest the log has seen.
	rowIDs, tableIDs atomic.Uint64

	snapMu   sync.Mutex    // serializes writing and pruning snapshot files
	snapping atomic.Bool   // a background snapshot is running
	lastSnap atomic.Uint64 // seq of the newest snapshot written or loaded
	wg       sync.WaitGroup
	closed   atomic.Bool

	history history // recent StateAt results
}

// Open opens the store kept in dir (its snapshots live in dir/snapshots, created if missing)
// over log, which the caller opened and will close after the Store. It loads the newest
// snapshot whose checksum is good and whose recorded chain hash equals the log's at its seq,
// then replays the rest of the log. A damaged or stale snapshot is logged as a warning and
// skipped in favour of an older one, or of a full replay from seq 1. Open fails only if the
// log itself cannot be read or replayed.
func Open(dir string, log *eventlog.Log, opts *Options) (*Store, error) {
	st := &Store{dir: filepath.Join(dir, "snapshots"), log: log}
	if opts != nil {
		st.opts = *opts
	}
	if st.opts.SnapshotEvery == 0 {
		st.opts.SnapshotEvery = defaultSnapshotEvery
		st.adaptive = true
	}
	if st.opts.KeepSnapshots <= 0 {
		st.opts.KeepSnapshots = defaultKeepSnapshots
	}
	st.logger = st.opts.Logger
	if st.logger == nil {
		st.logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(st.dir, 0o755); err != nil {
		return nil, fmt.Errorf("storage: creating snapshot directory: %w", err)
	}
	removeTemps(st.dir)
	head, _ := log.Head()
	s, snapSeq, err := st.recover(head)
	if err != nil {
		return nil, err
	}
	s.seal()
	st.cur.Store(s)
	st.rowIDs.Store(s.maxRowID)
	st.tableIDs.Store(s.maxTableID)
	st.lastSnap.Store(snapSeq)
	st.history.init(8)
	return st, nil
}

// recover builds the state at head from the newest usable snapshot plus the log, returning it
// with the seq of the snapshot used (0 for a full replay).
func (st *Store) recover(head uint64) (*State, uint64, error) {
	for _, seq := range st.snapshotSeqs() {
		if seq > head {
			st.logger.Warn("storage: skipping snapshot beyond the log's head",
				"seq", seq, "head", head)
			continue
		}
		s, hash, err := st.loadSnapshotHash(seq)
		if err == nil {
			err = st.replayVerified(s, head, hash)
		}
		if err != nil {
			st.logger.Warn("storage: skipping snapshot", "seq", seq, "err", err)
			continue
		}
		return s, seq, nil
	}
	s := NewState()
	if err := st.replayVerified(s, head, eventlog.Hash{}); err != nil {
		return nil, 0, err
	}
	return s, 0, nil
}

// replay applies the committed events s.Seq()+1 .. to from the log to s.
func (st *Store) replay(s *State, to uint64) error {
	if s.Seq() >= to {
		return nil
	}
	// ScanBorrowed lends each payload instead of copying it: Decode copies what it keeps.
	return st.log.ScanBorrowed(s.Seq()+1, to, applyRecord(s))
}

// replayVerified is replay that also checks the log's hash chain, starting from prev, the
// chain hash after s.Seq() (a snapshot's pinned hash, or the zero hash for a replay from the
// first event): the events applied then provably continue the history s was built from.
// Open recovers this way. The log's Open has already checked the chain of its active segment
// (and the sealed ones by their checksummed index files), so for the tail of the log this is
// a second check; it costs a SHA-256 per event (~0.2 µs, a few percent of applying the event)
// and keeps recovery's proof independent of how the log chose to check itself at Open.
// StateAt's replays, which read the same verified log again, stay with replay.
func (st *Store) replayVerified(s *State, to uint64, prev eventlog.Hash) error {
	if s.Seq() >= to {
		return nil
	}
	return st.log.ScanVerified(s.Seq()+1, to, prev, applyRecord(s))
}

// applyRecord returns the scan callback that decodes each record and applies it to s.
func applyRecord(s *State) func(r *eventlog.Record) error {
	return func(r *eventlog.Record) error {
		e, err := eventlog.Decode(r.Type, r.Payload)
		if err != nil {
			return fmt.Errorf("storage: decoding event %d: %w", r.Seq, err)
		}
		if err := s.Apply(r.Seq, e); err != nil {
			return fmt.Errorf("storage: replaying event %d: %w", r.Seq, err)
		}
		s.time = r.Time
		return nil
	}
}

// Current returns the latest published state. It is immutable; hold it as long as needed.
func (st *Store) Current() *State { return st.cur.Load() }

// Latest returns the newest state a commit has been prepared to: the staged state of a commit
// whose events are submitted to the log but not yet durable, or else Current. A new commit
// builds on it. Only the committer, holding the commit lock, may call it.
func (st *Store) Latest() *State {
	cur := st.Current()
	if s := st.staged.Load(); s != nil && s.seq > cur.seq {
		return s
	}
	return cur
}

// HashAt returns the log's chain hash after event seq, in hex (64 zeros at seq 0): what
// current_hash() shows, so an auditor can pin a point of history and later prove that nothing
// before it changed.
func (st *Store) HashAt(seq uint64) (string, error) {
	h, err := st.log.HashAt(seq)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h[:]), nil
}

// Log returns the event log the store was opened over.
func (st *Store) Log() *eventlog.Log { return st.log }

// SeqAtTime returns the seq of the last event committed at or before t (0 if none), for
// AS OF TIMESTAMP; see eventlog.Log.SeqAtTime.
func (st *Store) SeqAtTime(t time.Time) uint64 { return st.log.SeqAtTime(t.UnixNano()) }

// Close waits for a background snapshot to finish and, unless snapshots are disabled, writes a
// final snapshot of the current state if it is newer than the last one. It does not close the
// log. Calling Close twice returns ErrClosed.
func (st *Store) Close() error {
	if !st.closed.CompareAndSwap(false, true) {
		return ErrClosed
	}
	st.wg.Wait()
	if st.opts.NoSnapshots {
		return nil
	}
	return st.writeSnapshot(st.Current())
}
