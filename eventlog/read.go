package eventlog

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// view is what a reader sees of the log: the segments, the sparse index and the committed head
// at one moment. Readers never go past view.head, so bytes the writer is adding after it —
// even a half-written record — are never looked at.
type view struct {
	segs  []segment
	marks []mark
	head  head
}

func (l *Log) view() (view, error) {
	l.rmu.RLock()
	defer l.rmu.RUnlock()
	if l.closed {
		return view{}, ErrClosed
	}
	// Full slice expressions: the writer may append to the shared backing arrays, but only
	// beyond these lengths.
	return view{segs: l.segs[:len(l.segs):len(l.segs)], marks: l.marks[:len(l.marks):len(l.marks)], head: l.head}, nil
}

// Scan calls fn for each committed record with from <= seq <= to, in order. to == 0, or a to
// beyond the head, means the head at the time of the call; records appended during the scan
// are not visited. fn may keep the Record (its Payload is a fresh copy). An error from fn stops
// the scan and is returned as is; a damaged record gives a *CorruptionError. Scan does not
// block Append: it reads through its own file handles and starts at the nearest index mark at
// or before from instead of decoding the log from the beginning. Each record's checksum and
// seq are checked; the hash chain is left to Open and Verify.
func (l *Log) Scan(from, to uint64, fn func(Record) error) error {
	v, err := l.view()
	if err != nil {
		return err
	}
	// Payloads are copied into shared slabs: one allocation per 64 KiB instead of per record.
	// Each payload has its own region (capped, so appending to it cannot clobber a neighbour);
	// a slab stays alive while any payload in it does.
	var slab []byte
	return v.scan(from, to, func(r *Record) error {
		n := len(r.Payload)
		switch {
		case n == 0:
			r.Payload = nil
			return fn(*r)
		case n > len(slab):
			slab = make([]byte, max(n, 64<<10))
		}
		r.Payload = slab[:copy(slab, r.Payload):n]
		slab = slab[n:]
		return fn(*r)
	})
}

// scan is Scan over a view, without copying payloads: r.Payload is valid only during fn.
func (v *view) scan(from, to uint64, fn func(r *Record) error) error {
	from = max(from, 1)
	if to == 0 || to > v.head.seq {
		to = v.head.seq
	}
	if from > to {
		return nil
	}
	// The last mark at or before from; marks[0] is seq 1, so there is one.
	m := v.marks[sort.Search(len(v.marks), func(i int) bool { return v.marks[i].seq > from })-1]
	next := m.seq
	for seg, off := m.seg, m.off; seg < len(v.segs); seg, off = seg+1, 0 {
		done, err := v.scanSegment(v.segs[seg], off, &next, from, to, fn)
		if err != nil || done {
			return err
		}
	}
	last := v.segs[len(v.segs)-1]
	return &CorruptionError{File: last.path, Seq: next, Reason: fmt.Sprintf("log ends before its head, seq %d", to)}
}

// scanSegment reads seg from offset off, where the record with seq *next starts. It reports done
// once seq to was visited or fn failed.
func (v *view) scanSegment(seg segment, off int64, next *uint64, from, to uint64, fn func(*Record) error) (bool, error) {
	f, err := os.Open(seg.path)
	if err != nil {
		return false, fmt.Errorf("eventlog: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return false, fmt.Errorf("eventlog: %w", err)
	}
	fr := newFrameReader(f, off)
	var r Record // outside the loop: fn gets its address, so it lives on the heap; allocate once
	for {
		at := fr.off
		rec, err := fr.next()
		switch {
		case err == nil:
		case err == io.EOF:
			return false, nil
		case isFraming(err):
			return false, &CorruptionError{File: seg.path, Offset: at, Seq: *next, Reason: err.Error()}
		case err != nil:
			return false, fmt.Errorf("eventlog: read %s: %w", seg.path, err)
		}
		r, err = parseRecord(rec)
		if err == nil && r.Seq != *next {
			err = fmt.Errorf("sequence gap: expected seq %d, found %d", *next, r.Seq)
		}
		if err != nil {
			return false, &CorruptionError{File: seg.path, Offset: at, Seq: *next, Reason: err.Error()}
		}
		*next++
		if r.Seq >= from {
			if err := fn(&r); err != nil {
				return true, err
			}
		}
		if r.Seq == to {
			return true, nil
		}
	}
}

// HashAt returns the chain hash after the record with the given seq: the zero hash for seq 0,
// ErrOutOfRange beyond the head. Snapshots store it to prove which history they were built from.
func (l *Log) HashAt(seq uint64) (Hash, error) {
	v, err := l.view()
	switch {
	case err != nil:
		return Hash{}, err
	case seq == 0:
		return Hash{}, nil
	case seq > v.head.seq:
		return Hash{}, fmt.Errorf("%w: seq %d, head %d", ErrOutOfRange, seq, v.head.seq)
	case seq == v.head.seq:
		return v.head.hash, nil
	}
	var h Hash
	err = v.scan(seq, seq, func(r *Record) error { h = r.Hash; return nil })
	return h, err
}

var errStop = errors.New("stop")

// SeqAtTime returns the last seq committed at or before unixNanos (0 if none, or if the log is
// closed). It is always the end of a transaction. Commit times never decrease along the log, so
// it binary-searches the index marks by time and scans at most one mark interval.
//
// Should that scan fail (a file damaged since Open), the error is logged and the answer is the
// end of the batch before the mark — committed at or before unixNanos, but possibly earlier than
// the true answer.
func (l *Log) SeqAtTime(unixNanos int64) uint64 {
	v, err := l.view()
	if err != nil || v.head.seq == 0 {
		return 0
	}
	if unixNanos >= v.head.time {
		return v.head.seq
	}
	i := sort.Search(len(v.marks), func(i int) bool { return v.marks[i].time > unixNanos }) - 1
	if i < 0 {
		return 0 // the first transaction committed after unixNanos
	}
	lo, hi := v.marks[i].seq, v.head.seq
	if i+1 < len(v.marks) {
		hi = v.marks[i+1].seq - 1
	}
	found := lo - 1 // marks sit on batch starts, so lo-1 ends a batch, committed no later than lo
	err = v.scan(lo, hi, func(r *Record) error {
		if r.Time > unixNanos {
			return errStop
		}
		found = r.Seq
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		l.opts.Logger.Error("eventlog: SeqAtTime could not read the log", "err", err)
		return lo - 1
	}
	return found
}
