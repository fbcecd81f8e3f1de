package eventlog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Options configure a Log. The zero value (or a nil *Options) gives the defaults.
type Options struct {
	// NoSync skips fdatasync after each Append. Appends are then lost on an OS crash or power
	// failure (not on a process crash). For tests and benchmarks only.
	NoSync bool
	// Logger receives recovery messages (a torn tail dropped at Open). Default slog.Default().
	Logger *slog.Logger
	// Now is the clock commit times come from. Default time.Now.
	Now func() time.Time
	// SegmentSize is the size at which the active segment is sealed and a new one started, at
	// the next batch boundary (a batch never spans segments). Default 64 MiB.
	SegmentSize int64
}

// DefaultSegmentSize is the SegmentSize used when Options leave it zero.
const DefaultSegmentSize = 64 << 20

// AppendResult describes a committed batch: its records have seqs FirstSeq..LastSeq, all with
// transaction id TxID and commit time Time; Hash is the chain hash after the last one.
type AppendResult struct {
	FirstSeq, LastSeq, TxID uint64
	Time                    int64
	Hash                    Hash
}

// Log is an open event log directory. Append is serialized by a mutex; Head, Scan, HashAt,
// SeqAtTime and Verify may run concurrently with it and with each other: they read through
// their own file handles and see the records committed when they were called.
type Log struct {
	dir  string
	opts Options
	lock *os.File // holds the directory lock; nil where locking is unsupported

	// Writer state, guarded by mu.
	mu       sync.Mutex
	f        *os.File // the active (last) segment; nil once closed
	size     int64    // bytes of committed records in f
	err      error    // sticky write failure
	buf      []byte   // encoding buffer, reused between batches
	sha      *hasher
	lastMark uint64 // seq of the newest mark

	// Reader-visible state, guarded by rmu; changed only by the writer (holding mu too).
	// segs and marks only grow, so a reader may keep a prefix of them without the lock.
	rmu    sync.RWMutex
	segs   []segment
	marks  []mark
	head   head
	closed bool
}

// Open opens the log in dir, creating the directory and an empty log if needed, and recovers:
// it verifies every record's checksum and the whole hash chain, truncates a torn tail or an
// unfinished last batch (logged through Options.Logger), and builds the in-memory index. It
// returns a *CorruptionError (errors.Is ErrCorrupt) when the log is damaged before its tail, and
// ErrLocked when another Log has the directory open. nil opts means defaults.
func Open(dir string, opts *Options) (*Log, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SegmentSize <= 0 {
		o.SegmentSize = DefaultSegmentSize
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		// A new directory's own entry must be durable too, or a crash could lose the whole log.
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("eventlog: %w", err)
		}
		if err := syncDir(filepath.Dir(filepath.Clean(dir))); err != nil {
			return nil, fmt.Errorf("eventlog: %w", err)
		}
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	l := &Log{dir: dir, opts: o, lock: lock, sha: newHasher()}
	if err := l.recover(); err != nil {
		unlockDir(lock)
		return nil, err
	}
	return l, nil
}

// recover scans the directory, repairs the tail, and opens the last segment for appending.
func (l *Log) recover() error {
	segs, err := listSegments(l.dir)
	if err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	if len(segs) == 0 {
		f, seg, err := createSegment(l.dir, 1)
		if err != nil {
			return fmt.Errorf("eventlog: %w", err)
		}
		l.f, l.segs = f, []segment{seg}
		return nil
	}
	s, err := scanSegments(segs, 0)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(s.tail.seg.path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	if err := l.dropTail(f, s.tail); err != nil {
		f.Close()
		return fmt.Errorf("eventlog: truncate %s: %w", s.tail.seg.path, err)
	}
	l.f, l.size = f, s.tail.keep
	l.segs, l.marks, l.lastMark, l.head = segs, s.marks, s.lastMark, s.c.committed
	return nil
}

// dropTail cuts f back to the end of its last committed batch and positions it there.
func (l *Log) dropTail(f *os.File, t tail) error {
	if t.size > t.keep {
		reason := "unfinished transaction (no commit marker)"
		if t.torn != "" {
			reason = "torn tail: " + t.torn
		}
		l.opts.Logger.Warn("eventlog: dropping uncommitted end of log", "file", t.seg.path,
			"offset", t.keep, "bytes", t.size-t.keep, "records", t.records, "reason", reason)
		if err := f.Truncate(t.keep); err != nil {
			return err
		}
		if !l.opts.NoSync {
			if err := f.Sync(); err != nil {
				return err
			}
		}
	}
	_, err := f.Seek(t.keep, io.SeekStart)
	return err
}

// Append writes entries as one transaction: consecutive seqs after the head, transaction id
// one more than the last, commit time max(now, previous commit time) so that time never goes
// backwards, and FlagCommit on the last record. The whole batch goes to the file in one write
// and is fdatasynced (unless NoSync) before the head moves and Append returns, so a returned
// batch survives a crash and a failed one is invisible to readers.
//
// It fails with ErrEmptyBatch, ErrTooLarge (nothing written, log still writable), ErrClosed,
// or ErrWriteFailed: after a failed write or sync every later Append fails too. Safe for
// concurrent use; concurrent callers are serialized.
func (l *Log) Append(entries []Entry) (AppendResult, error) {
	if len(entries) == 0 {
		return AppendResult{}, ErrEmptyBatch
	}
	for i, e := range entries {
		if len(e.Payload) > MaxPayload {
			return AppendResult{}, fmt.Errorf("%w: entry %d has %d bytes, limit %d", ErrTooLarge, i, len(e.Payload), MaxPayload)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.f == nil:
		return AppendResult{}, ErrClosed
	case l.err != nil:
		return AppendResult{}, fmt.Errorf("%w: %w", ErrWriteFailed, l.err)
	}
	if l.size >= l.opts.SegmentSize {
		if err := l.rotate(); err != nil {
			return AppendResult{}, l.fail(err)
		}
	}
	res := l.encode(entries)
	if _, err := l.f.Write(l.buf); err != nil {
		return AppendResult{}, l.fail(err)
	}
	if !l.opts.NoSync {
		if err := datasync(l.f); err != nil {
			return AppendResult{}, l.fail(err)
		}
	}
	l.publish(res)
	return res, nil
}

// encode fills l.buf with the batch's records and returns what they will be once committed.
func (l *Log) encode(entries []Entry) AppendResult {
	h := l.head // only the writer changes head, so reading it under mu is enough
	res := AppendResult{FirstSeq: h.seq + 1, TxID: h.txid + 1, Time: max(l.opts.Now().UnixNano(), h.time)}
	if cap(l.buf) > 4<<20 {
		l.buf = nil // do not keep a huge batch's buffer alive
	}
	buf, prev := l.buf[:0], h.hash
	for i, e := range entries {
		r := Record{Seq: res.FirstSeq + uint64(i), Time: res.Time, TxID: res.TxID, Type: e.Type, Payload: e.Payload}
		if i == len(entries)-1 {
			r.Flags = FlagCommit
		}
		buf = appendRecord(buf, l.sha, prev, &r)
		prev = r.Hash
	}
	l.buf = buf
	res.LastSeq, res.Hash = res.FirstSeq+uint64(len(entries))-1, prev
	return res
}

// publish makes a synced batch visible: it moves the head and indexes the batch's start.
func (l *Log) publish(res AppendResult) {
	start := l.size
	l.size += int64(len(l.buf))
	l.rmu.Lock()
	defer l.rmu.Unlock()
	if wantMark(l.lastMark, res.FirstSeq, start) {
		l.marks = append(l.marks, mark{seq: res.FirstSeq, time: res.Time, seg: len(l.segs) - 1, off: start})
		l.lastMark = res.FirstSeq
	}
	l.head = head{seq: res.LastSeq, hash: res.Hash, time: res.Time, txid: res.TxID}
}

// fail records a write failure; the log refuses writes from now on.
func (l *Log) fail(err error) error {
	l.err = err
	return fmt.Errorf("%w: %w", ErrWriteFailed, err)
}

// rotate seals the active segment and starts the next one. Sealing needs no marker: a sealed
// segment is simply one that is not last, and it ends at a commit boundary because rotation
// happens only between batches.
func (l *Log) rotate() error {
	if !l.opts.NoSync {
		if err := l.f.Sync(); err != nil {
			return err
		}
	}
	f, seg, err := createSegment(l.dir, l.head.seq+1)
	if err != nil {
		return err
	}
	old := l.f
	l.f, l.size = f, 0
	l.rmu.Lock()
	l.segs = append(l.segs, seg)
	l.rmu.Unlock()
	return old.Close()
}

// Head returns the seq and chain hash of the last committed record; (0, zero hash) for an
// empty log. After Close it returns the final head.
func (l *Log) Head() (seq uint64, h Hash) {
	l.rmu.RLock()
	defer l.rmu.RUnlock()
	return l.head.seq, l.head.hash
}

// Close closes the log and releases the directory. Scans already running finish on their own
// file handles; later calls fail with ErrClosed. Closing a closed log returns nil.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	l.rmu.Lock()
	l.closed = true
	l.rmu.Unlock()
	unlockDir(l.lock)
	return err
}
