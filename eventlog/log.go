package eventlog

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// AppendResult describes a committed batch: its records have seqs FirstSeq..LastSeq, all with
// transaction id TxID and commit time Time; Hash is the chain hash after the last one.
type AppendResult struct {
	FirstSeq, LastSeq, TxID uint64
	Time                    int64
	Hash                    Hash
}

// Log is an open event log directory. Submit and Append may be called from many goroutines;
// one writer goroutine per Log writes and syncs what they submit, in order, several batches at a
// time (writer.go). Head, Scan, ScanKey, HashAt, SeqAtTime, Subscribe and Verify run
// concurrently with it and with each other: they read through their own file handles and see
// the records committed when they were called, and never make the writer wait.
type Log struct {
	dir  string
	opts Options
	lock io.Closer

	// Submission state, guarded by mu.
	mu         sync.Mutex
	space      sync.Cond // broadcast when the writer takes the queue, for Submits waiting for room
	q          *queue    // batches submitted and not yet taken by the writer
	tip        head      // the last submitted record; the next batch continues from it
	sha        *hasher
	closing    bool
	err        error // sticky write failure
	durability Durability
	interval   time.Duration
	kick       chan struct{} // wakes the writer; buffer 1
	waiting    bool          // the writer waits for a kick: Submit must send one
	submits    atomic.Uint64 // batches submitted so far (read without mu by the writer)
	done       chan struct{} // closed when the writer has exited
	closeErr   error         // the writer's last sync or close failure, read after done

	w writer // owned by the writer goroutine

	// Reader-visible state, guarded by rmu; changed only by the writer. segs and marks only
	// grow, so a reader may keep a prefix of them without the lock.
	rmu     sync.RWMutex
	segs    []segment
	marks   []mark
	head    head
	headOff int64 // end of the committed records in the last segment
	closed  bool
	tail    tailCache     // recent records, for subscribers (subscribe.go)
	notify  chan struct{} // closed and replaced when the head moves while anyone subscribes
	subs    atomic.Int32  // open subscriptions

	keys *keyIndex // nil without Options.Keys
}

// Open opens the log in dir, creating the directory and an empty log if needed, and recovers.
// It checks every segment: the active one record by record (checksums and the whole hash chain);
// a sealed one by the whole-file checksum its .idx file records, or record by record if that
// file is missing, damaged or does not match (and then rewrites it). Any damaged byte is caught.
// It truncates a torn tail or an unfinished last batch (logged through Options.Logger), builds
// the in-memory indexes, and starts the writer goroutine. It returns a *CorruptionError
// (errors.Is ErrCorrupt) when the log is damaged before its tail, and ErrLocked when another Log
// has the directory open. nil opts means defaults.
func Open(dir string, opts *Options) (*Log, error) {
	o := opts.withDefaults()
	if err := o.fs.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("eventlog: %w", err)
	}
	if o.Durability != DurabilityOff {
		// The directory's own entry must be durable too, or a crash could lose the whole log.
		if err := o.fs.SyncDir(parentDir(dir)); err != nil {
			return nil, fmt.Errorf("eventlog: %w", err)
		}
	}
	lock, err := o.fs.Lock(dir)
	if err != nil {
		return nil, err
	}
	l := &Log{dir: dir, opts: o, lock: lock, q: &queue{}, sha: newHasher(),
		durability: o.Durability, interval: o.SyncInterval,
		kick: make(chan struct{}, 1), done: make(chan struct{}), notify: make(chan struct{})}
	l.space.L = &l.mu
	if err := l.recover(); err != nil {
		lock.Close()
		return nil, err
	}
	l.headOff = l.w.size
	l.w.spare, l.w.lastSync, l.w.timer = &queue{}, time.Now(), time.NewTimer(time.Hour)
	l.w.timer.Stop()
	go l.run()
	return l, nil
}

// Head returns the seq and chain hash of the last committed record — the last one acknowledged
// by Pending.Wait; (0, zero hash) for an empty log. After Close it returns the final head.
func (l *Log) Head() (seq uint64, h Hash) {
	l.rmu.RLock()
	defer l.rmu.RUnlock()
	return l.head.seq, l.head.hash
}

// NextSeq returns the seq the next Submit's first record will get: one after the last seq
// submitted, committed or not. A caller that serializes its Submits (a database's commit lock)
// can use it to know, before submitting, the seqs its events will have.
func (l *Log) NextSeq() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.tip.seq + 1
}

// Durability returns the durability setting for display: "always", "interval 10ms" or "off".
func (l *Log) Durability() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return formatDurability(l.durability, l.interval)
}

// SetDurability changes the durability setting of the open log; interval is used only by
// DurabilityInterval (0 means DefaultSyncInterval). It applies from the next group the writer
// takes; switching to DurabilityAlways also syncs whatever earlier commits left unsynced.
func (l *Log) SetDurability(d Durability, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultSyncInterval
	}
	l.mu.Lock()
	l.durability, l.interval = d, interval
	l.mu.Unlock()
	l.wake()
}

// wake makes sure the writer looks at the queue soon. It never blocks.
func (l *Log) wake() {
	l.mu.Lock()
	l.waiting = false
	l.mu.Unlock()
	l.kickWriter()
}

// kickWriter wakes the writer if it waits. Submit kicks only when the writer waits (busy, it
// takes the queue by itself when done), sparing a channel operation per commit under load.
func (l *Log) kickWriter() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// Close stops accepting batches, waits for the writer to write and sync (per the durability
// setting; under DurabilityInterval the final sync always happens) everything already
// submitted — those Pendings complete normally — and releases the directory. Scans already
// running finish on their own file handles; later calls fail with ErrClosed. It returns the
// final sync's or close's error. Closing a closed log returns nil.
func (l *Log) Close() error {
	l.mu.Lock()
	already := l.closing
	l.closing = true
	l.mu.Unlock()
	if already {
		<-l.done
		return nil
	}
	l.space.Broadcast()
	l.wake()
	<-l.done
	l.rmu.Lock()
	l.closed = true
	close(l.notify)
	l.tail = tailCache{}
	l.rmu.Unlock()
	if err := l.lock.Close(); l.closeErr == nil && err != nil {
		l.closeErr = err
	}
	return l.closeErr
}
