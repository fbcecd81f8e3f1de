package eventlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// view is what a reader sees of the log: the segments, the sparse index and the committed head
// at one moment. Readers never go past view.head (in the last segment, never past headOff), so
// bytes the writer is adding after it — even a half-written record — are never looked at.
type view struct {
	fs      fileSystem
	segs    []segment
	marks   []mark
	head    head
	headOff int64
}

func (l *Log) view() (view, error) {
	l.rmu.RLock()
	defer l.rmu.RUnlock()
	return l.viewLocked()
}

// viewLocked is view for a caller holding rmu.
func (l *Log) viewLocked() (view, error) {
	if l.closed {
		return view{}, ErrClosed
	}
	// Full slice expressions: the writer may append to the shared backing arrays, but only
	// beyond these lengths.
	return view{fs: l.opts.fs, segs: l.segs[:len(l.segs):len(l.segs)],
		marks: l.marks[:len(l.marks):len(l.marks)], head: l.head, headOff: l.headOff}, nil
}

// Scan calls fn for each committed record with from <= seq <= to, in order. to == 0, or a to
// beyond the head, means the head at the time of the call; records appended during the scan
// are not visited. fn may keep the Record (its Payload is a fresh copy). An error from fn stops
// the scan and is returned as is; a damaged record gives a *CorruptionError. Scan does not
// block the writer: it reads through its own file handles, starting with one seek to the index
// mark at or before from. Each record's checksum and seq are checked; the hash chain is left to
// Open and Verify.
func (l *Log) Scan(from, to uint64, fn func(Record) error) error {
	v, err := l.view()
	if err != nil {
		return err
	}
	var slab payloadSlab
	return v.scan(from, to, func(r *Record) error {
		r.Payload = slab.copy(r.Payload)
		return fn(*r)
	})
}

// payloadSlab copies payloads into shared 64 KiB slabs: one allocation per slab instead of one
// per record. Each payload has its own capped region, so appending to it cannot clobber a
// neighbour; a slab stays alive while any payload in it does.
type payloadSlab []byte

func (s *payloadSlab) copy(p []byte) []byte {
	n := len(p)
	switch {
	case n == 0:
		return nil
	case n > len(*s):
		*s = make([]byte, max(n, 64<<10))
	}
	out := (*s)[:copy(*s, p):n]
	*s = (*s)[n:]
	return out
}

// ScanBorrowed is Scan for callers that use each record at once and keep nothing of it, such
// as a replay that decodes each payload (Decode copies what it keeps): r and r.Payload are the
// reader's own buffers, valid only until fn returns, which spares copying every payload.
// Everything else is as for Scan.
func (l *Log) ScanBorrowed(from, to uint64, fn func(r *Record) error) error {
	v, err := l.view()
	if err != nil {
		return err
	}
	return v.scan(from, to, fn)
}

// ScanVerified is ScanBorrowed that also checks the hash chain, record by record, starting
// from prev: the chain hash after record from-1 (the zero hash for from <= 1; a snapshot's
// pinned hash when replaying the log after it). Each record's stored hash must equal
// SHA-256(hash before it ‖ its content), the first one's computed from prev, so a scan that
// succeeds proves the records continue the history prev stands for. A wrong prev or a damaged
// record stops the scan with a *CorruptionError naming the record, before fn sees it.
//
// It does not compute the per-record CRC-32C: see cursor.link for why nothing is lost.
func (l *Log) ScanVerified(from, to uint64, prev Hash, fn func(r *Record) error) error {
	v, err := l.view()
	if err != nil {
		return err
	}
	from = max(from, 1)
	if to == 0 || to > v.head.seq {
		to = v.head.seq
	}
	if from > to {
		return nil
	}
	c := cursor{v: &v, chain: newHasher(), from: from, prev: prev}
	defer c.close()
	return c.scan(from, to, fn)
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
	c := cursor{v: v}
	defer c.close()
	return c.scan(from, to, fn)
}

// cursor reads records of a view in seq order, seeking through the marks when that is shorter
// than reading on.
type cursor struct {
	v    *view
	seg  int // index of the segment f is, when fr != nil
	f    file
	fr   *frameReader
	next uint64 // seq of the record fr returns next
	r    Record // the record read returns; reused, so reading allocates nothing

	// With chain set (ScanVerified), records from seq from on are checked against the hash
	// chain, prev being the hash after the record before next.
	chain *hasher
	from  uint64
	prev  Hash
}

// scan calls fn for the records from..to (committed: to <= v.head.seq).
func (c *cursor) scan(from, to uint64, fn func(*Record) error) error {
	if err := c.seek(from); err != nil {
		return err
	}
	for c.next <= to {
		r, err := c.read()
		if err != nil {
			return err
		}
		if r.Seq >= from {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// seek positions the cursor at or before seq: where it is, if seq is ahead in the same stretch
// between two marks, else at the last mark at or before seq (marks[0] is seq 1, so there is one).
func (c *cursor) seek(seq uint64) error {
	marks := c.v.marks
	m := marks[sort.Search(len(marks), func(i int) bool { return marks[i].seq > seq })-1]
	if c.fr != nil && c.seg == m.seg && c.next >= m.seq && c.next <= seq {
		return nil
	}
	return c.open(m.seg, m.off, m.seq)
}

// open starts reading segment seg at offset off, where the record with seq starts.
func (c *cursor) open(seg int, off int64, seq uint64) error {
	c.close()
	s := c.v.segs[seg]
	f, err := c.v.fs.OpenFile(s.path, os.O_RDONLY, 0)
	if err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	end := c.v.headOff
	if seg < len(c.v.segs)-1 {
		if end, err = f.Size(); err != nil {
			f.Close()
			return fmt.Errorf("eventlog: %w", err)
		}
	}
	c.seg, c.f, c.fr, c.next = seg, f, newFrameReader(f, off, end), seq
	return nil
}

func (c *cursor) close() {
	if c.fr != nil {
		c.fr.release()
		c.f.Close()
		c.fr, c.f = nil, nil
	}
}

// read returns the record with seq c.next, moving on to the next segment at the end of one. The
// record and its payload are valid until the next call.
func (c *cursor) read() (*Record, error) {
	for {
		at := c.fr.off
		rec, err := c.fr.frame(c.chain == nil) // a chained scan checks the hash instead
		if err == nil {
			if c.r, err = parseRecord(rec); err == nil && c.r.Seq == c.next {
				if err = c.link(rec); err == nil {
					c.next++
					return &c.r, nil
				}
			} else if err == nil {
				err = fmt.Errorf("sequence gap: expected seq %d, found %d", c.next, c.r.Seq)
			}
			if c.chain != nil && recordCRC(rec) != binary.LittleEndian.Uint32(rec[offCRC:]) {
				err = errChecksum // what ScanBorrowed would have said: the bytes are damaged
			}
			return nil, &CorruptionError{File: c.v.segs[c.seg].path, Offset: at, Seq: c.next, Reason: err.Error()}
		}
		path := c.v.segs[c.seg].path
		switch {
		case err == io.EOF && c.seg+1 < len(c.v.segs):
			if next := c.v.segs[c.seg+1]; next.first != c.next {
				return nil, &CorruptionError{File: next.path, Seq: c.next,
					Reason: fmt.Sprintf("segment name says it starts at seq %d", next.first)}
			}
			if err := c.open(c.seg+1, 0, c.next); err != nil {
				return nil, err
			}
			continue
		case err == io.EOF:
			return nil, &CorruptionError{File: path, Offset: at, Seq: c.next,
				Reason: fmt.Sprintf("log ends before its head, seq %d", c.v.head.seq)}
		case isFraming(err):
			return nil, &CorruptionError{File: path, Offset: at, Seq: c.next, Reason: err.Error()}
		}
		return nil, fmt.Errorf("eventlog: read %s: %w", path, err)
	}
}

// link checks, in a chained scan, that the parsed record c.r, whose frame is rec, continues
// c.prev, and advances c.prev. Records before c.from are only passed over.
//
// Why the CRC can be skipped here: the CRC covers the length field, the content (version to
// payload) and the stored hash. The content and the stored hash are exactly what the chain
// check compares — any change to them makes SHA-256(prev ‖ content) differ from the stored
// hash, short of a SHA-256 collision. A changed length either fails the framing checks
// (range, past the end) precisely as before, or moves the frame boundary, which changes the
// content hashed and the hash read, so the record fails the chain check. Every byte a CRC
// would vouch for is vouched for by the hash. Only damage to the CRC field itself goes
// unseen, and it guards nothing the hash does not (Verify still reports it). On a failure,
// read recomputes the CRC so that a damaged record is reported as a checksum mismatch,
// exactly as ScanBorrowed reports it.
func (c *cursor) link(rec []byte) error {
	if c.chain == nil || c.r.Seq < c.from {
		return nil
	}
	if c.chain.chain(c.prev, rec[offVersion:len(rec)-hashSize]) != c.r.Hash {
		if c.r.Seq == c.from {
			return fmt.Errorf("hash chain broken: record does not continue the given hash of seq %d, %s",
				c.from-1, c.prev)
		}
		return errors.New(reasonHash)
	}
	c.prev = c.r.Hash
	return nil
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
