package eventlog

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// This file reads a log directory from the first record to the last, checking everything a
// record promises, and decides what the end of the log is. Open, Verify and VerifyDir all use it.
//
// Torn tail or corruption? A crash in the middle of Append can leave the last segment ending
// in a partial record, or — when the kernel wrote some of the batch's pages and not others — in
// a record whose checksum fails. Neither was acknowledged (Append returns only after the whole
// batch is synced), so recovery may cut them off. Damage anywhere else is corruption, and
// silently cutting the log there would lose committed transactions. The rule:
//
//  1. Only framing failures — an incomplete header, a length that is out of range or runs past
//     the end of the file, a checksum mismatch — can be a torn tail. A record whose checksum is
//     valid but whose version, sequence number, transaction id or chain hash is wrong was
//     written that way: always corruption.
//  2. The failure must be in the last segment (sealed segments were synced whole before the
//     next one was created).
//  3. Nothing valid may follow it: no complete frame with a valid checksum starts at any later
//     byte of the file. A tear leaves only garbage or nothing behind it; a bad record followed by
//     good ones is damage in the middle of the log.
//
// The failure is then necessarily in the last batch region (after the last commit marker), and
// the log is cut back to just after the last commit marker, dropping the torn record and any
// whole records of the unfinished batch before it. An unfinished batch without any torn record
// (records with no commit marker at the end of the file) is dropped the same way.
//
// The price of rule 3 is a false alarm when a crash persisted a later page of the last write but
// not an earlier one: Open then refuses with a CorruptionError instead of guessing. And damage
// confined to the very last record of the log is indistinguishable from a torn write, so it is
// cut off (and logged) like one.

// head is the committed end of the log: its last record's seq, hash, time and transaction.
type head struct {
	seq  uint64
	hash Hash
	time int64
	txid uint64
}

// mark is one entry of the sparse index: where a batch starts, and when it committed.
type mark struct {
	seq  uint64
	time int64
	seg  int // index into the segment list
	off  int64
}

// markInterval is the minimum number of records between two marks. A mark costs 32 bytes, so
// the index takes about 8 bytes per thousand records, and a seek decodes at most one interval
// (plus the rest of the batch it lands in) to reach any seq.
const markInterval = 4096

// wantMark reports whether the batch starting at seq, at offset off of its segment, gets a mark:
// the first batch of every segment does, and then one at least markInterval records after the
// last. Marks sit on batch starts so that mark.seq-1 is always a committed head.
func wantMark(lastMark, seq uint64, off int64) bool {
	return off == 0 || seq >= lastMark+markInterval
}

// chain checks that each record continues the log before it.
type chain struct {
	committed head   // the last committed record
	seq       uint64 // the last record read, possibly inside an unfinished batch
	hash      Hash
	open      bool   // records of a batch have been read but not its commit marker
	txid      uint64 // transaction id and time of the open batch
	time      int64
	hasher    *hasher
}

// check returns why r, whose frame is rec, cannot follow the records before it, or "".
func (c *chain) check(r *Record, rec []byte) string {
	switch {
	case r.Seq != c.seq+1:
		return fmt.Sprintf("sequence gap: expected seq %d, found %d", c.seq+1, r.Seq)
	case c.open && r.TxID != c.txid:
		return fmt.Sprintf("transaction %d starts before transaction %d committed", r.TxID, c.txid)
	case c.open && r.Time != c.time:
		return fmt.Sprintf("time changes inside transaction %d", r.TxID)
	case !c.open && r.TxID != c.committed.txid+1:
		return fmt.Sprintf("transaction id out of order: expected %d, found %d", c.committed.txid+1, r.TxID)
	case !c.open && r.Time < c.committed.time:
		return fmt.Sprintf("commit time %d before the previous commit's %d", r.Time, c.committed.time)
	}
	if c.hasher.chain(c.hash, rec[offVersion:len(rec)-hashSize]) != r.Hash {
		return "hash chain broken: stored hash differs from SHA-256(previous hash, record)"
	}
	return ""
}

func (c *chain) advance(r *Record) {
	if !c.open {
		c.open, c.txid, c.time = true, r.TxID, r.Time
	}
	c.seq, c.hash = r.Seq, r.Hash
	if r.Commit() {
		c.open = false
		c.committed = head{seq: r.Seq, hash: r.Hash, time: r.Time, txid: r.TxID}
	}
}

// tail describes the end of the last segment as recovery found it.
type tail struct {
	seg     segment
	keep    int64  // offset just past the last committed record: the log's true end
	size    int64  // the file's size; size-keep bytes are to be dropped
	torn    string // the framing failure at the end, "" if every record was whole
	records int    // whole records of the unfinished batch (dropped with it)
}

// scanner walks segments in order, verifying every record and building the sparse index.
type scanner struct {
	c        chain
	limit    uint64 // stop after this seq (Verify of an open log); 0 reads the files to the end
	segs     []segment
	marks    []mark
	lastMark uint64
	pending  *mark // the mark of the unfinished batch, kept if it commits

	records, openRecords uint64 // committed records, and records of the unfinished batch
	bytes, openBytes     int64
	keep                 int64 // offset in the current segment after its last commit marker
	tail                 tail
}

// scanSegments verifies segs from the start of the log. With limit == 0 it reads every byte and
// leaves in s.tail what recovery must drop; with limit > 0 every record up to seq limit must be
// intact and committed, and nothing after it is read.
func scanSegments(segs []segment, limit uint64) (*scanner, error) {
	s := &scanner{c: chain{hasher: newHasher()}, limit: limit, segs: segs}
	for i := range segs {
		done, err := s.segment(i)
		if err != nil || done {
			return s, err
		}
	}
	if limit > 0 && s.c.committed.seq < limit {
		var seg segment
		if len(segs) > 0 {
			seg = segs[len(segs)-1]
		}
		return s, &CorruptionError{File: seg.path, Offset: s.keep, Seq: s.c.seq + 1,
			Reason: fmt.Sprintf("log ends before its head, seq %d", limit)}
	}
	return s, nil
}

// segment scans segment i. It reports done when the limit was reached.
func (s *scanner) segment(i int) (done bool, err error) {
	seg := s.segs[i]
	last := i == len(s.segs)-1 && s.limit == 0
	f, err := os.Open(seg.path)
	if err != nil {
		return false, fmt.Errorf("eventlog: %w", err)
	}
	defer f.Close()
	corrupt := func(off int64, reason string) error {
		return &CorruptionError{File: seg.path, Offset: off, Seq: s.c.seq + 1, Reason: reason}
	}
	if seg.first != s.c.seq+1 {
		return false, corrupt(0, fmt.Sprintf("segment name says it starts at seq %d", seg.first))
	}
	s.keep = 0
	fr := newFrameReader(f, 0)
	for {
		off := fr.off
		rec, err := fr.next()
		if err == io.EOF {
			break
		}
		switch {
		case err == nil:
		case !isFraming(err):
			return false, fmt.Errorf("eventlog: read %s: %w", seg.path, err)
		case last:
			return true, s.tornTail(f, seg, off, err)
		default:
			return false, corrupt(off, err.Error())
		}
		r, err := parseRecord(rec)
		if err != nil {
			return false, corrupt(off, err.Error())
		}
		if reason := s.c.check(&r, rec); reason != "" {
			return false, corrupt(off, reason)
		}
		s.add(i, off, &r, len(rec))
		if s.limit != 0 && r.Seq == s.limit {
			return true, nil
		}
	}
	if s.c.open && !last {
		return false, corrupt(fr.off, fmt.Sprintf("sealed segment ends inside transaction %d", s.c.txid))
	}
	if last {
		s.tail = tail{seg: seg, keep: s.keep, size: fr.off, records: int(s.openRecords)}
	}
	return false, nil
}

// add accounts for a verified record at offset off of segment seg.
func (s *scanner) add(seg int, off int64, r *Record, n int) {
	if !s.c.open && wantMark(s.lastMark, r.Seq, off) {
		s.pending = &mark{seq: r.Seq, time: r.Time, seg: seg, off: off}
	}
	s.c.advance(r)
	s.openRecords++
	s.openBytes += int64(n)
	if !r.Commit() {
		return
	}
	if s.pending != nil {
		s.marks = append(s.marks, *s.pending)
		s.lastMark, s.pending = s.pending.seq, nil
	}
	s.records += s.openRecords
	s.bytes += s.openBytes
	s.openRecords, s.openBytes = 0, 0
	s.keep = off + int64(n)
}

// tornTail applies rule 3 to a framing failure at offset off of the last segment.
func (s *scanner) tornTail(f *os.File, seg segment, off int64, cause error) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	rest := make([]byte, fi.Size()-off)
	if _, err := f.ReadAt(rest, off); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("eventlog: read %s: %w", seg.path, err)
	}
	if validFrameAfter(rest) {
		return &CorruptionError{File: seg.path, Offset: off, Seq: s.c.seq + 1,
			Reason: cause.Error() + ", and valid records follow it"}
	}
	s.tail = tail{seg: seg, keep: s.keep, size: fi.Size(), torn: cause.Error(), records: int(s.openRecords)}
	return nil
}
