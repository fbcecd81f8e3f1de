package eventlog

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// This file decides what the end of the log is when it is opened, and repairs it.
//
// Torn tail or corruption? A crash in the middle of a commit can leave the last segment ending
// in a partial record, or — when the kernel wrote some of the batch's pages and not others — in
// a record whose checksum fails. Neither was acknowledged (a commit is acknowledged only after
// its whole group is synced), so recovery may cut them off. Damage anywhere else is corruption,
// and silently cutting the log there would lose committed transactions. The rule:
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
// Preallocated space. The active segment is filled with zeros ahead of its end (writer.go), so
// the records are normally followed by zeros. A "record" whose bytes are all zero up to the end
// of the file is that unwritten remainder, not a tear: it is kept as it is and reported as
// Report.Preallocated. Zeros after a torn record are mentioned in the message ("torn tail: ...;
// the file's last N bytes are zeros") and cut off with it. A torn record's first bytes being zero
// cannot pass for preallocated space: the rest of the file is then not all zeros.
//
// The price of rule 3 is a false alarm when a crash persisted a later page of the last write but
// not an earlier one: Open then refuses with a CorruptionError instead of guessing. And damage
// confined to the very last record of the log is indistinguishable from a torn write, so it is
// cut off (and logged) like one.

// tail describes the end of the last segment as recovery found it.
type tail struct {
	seg     segment
	keep    int64  // offset just past the last committed record: the log's true end
	end     int64  // where whole records stop; torn bytes and/or preallocated zeros follow
	size    int64  // the file's size
	torn    string // the framing failure at end, "" if the records stopped cleanly
	zeros   int64  // unwritten preallocated space: all bytes from end on are zero
	records int    // whole records of the unfinished batch (dropped with it)
	// zeroRun counts the zero bytes that end the file after a torn record: likely preallocated
	// space, but they could be part of the torn record, so they are only mentioned.
	zeroRun int64
}

// dirty reports whether something between keep and the zeros must be cut off.
func (t tail) dirty() bool { return t.keep < t.end || t.torn != "" }

// dropBytes is what Open truncates beyond the last commit, zeros excluded.
func (t tail) dropBytes() int64 { return t.size - t.zeros - t.keep }

// reason says what the dropped bytes were, for the log message.
func (t tail) reason() string {
	r := "unfinished transaction (no commit marker)"
	if t.torn != "" {
		r = "torn tail: " + t.torn
	}
	if t.zeros > 0 {
		r += fmt.Sprintf("; then %d bytes of unwritten preallocated space", t.zeros)
	}
	if t.zeroRun > 0 {
		r += fmt.Sprintf("; the file's last %d bytes are zeros (likely unwritten preallocated space)", t.zeroRun)
	}
	return r
}

// tornTail applies rule 3 (and tells preallocated zeros apart) for a framing failure at offset
// off of the last segment, whose size is size.
func (s *scanner) tornTail(f file, seg segment, off, size int64, cause error) error {
	last, err := lastNonZero(f, off, size)
	if err != nil {
		return fmt.Errorf("eventlog: read %s: %w", seg.path, err)
	}
	s.tail = tail{seg: seg, keep: s.keep, end: off, size: size, records: int(s.openRecords)}
	if last < off {
		s.tail.zeros = size - off // the records simply stop; the rest was never written
		return nil
	}
	// A valid frame ends with its SHA-256, never 32 zero bytes, so none ends after last+32.
	rest := make([]byte, min(size, last+1+hashSize)-off)
	if _, err := f.ReadAt(rest, off); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("eventlog: read %s: %w", seg.path, err)
	}
	if validFrameAfter(rest) {
		return &CorruptionError{File: seg.path, Offset: off, Seq: s.c.seq + 1,
			Reason: cause.Error() + ", and valid records follow it"}
	}
	s.tail.torn, s.tail.zeroRun = cause.Error(), size-last-1
	return nil
}

// lastNonZero returns the offset of the last non-zero byte of f in [from, size), or from-1.
func lastNonZero(f io.ReaderAt, from, size int64) (int64, error) {
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	last := from - 1
	for off := from; off < size; {
		n := int(min(int64(len(*bp)), size-off))
		b := (*bp)[:n]
		if got, err := f.ReadAt(b, off); got < n {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		for i := n - 1; i >= 0; i-- {
			if b[i] != 0 {
				last = off + int64(i)
				break
			}
		}
		off += int64(n)
	}
	return last, nil
}

// recover scans the directory, repairs the tail, rebuilds missing segment indexes, and opens the
// last segment for the writer.
func (l *Log) recover() error {
	fsys := l.opts.fs
	segs, err := listSegments(fsys, l.dir)
	if err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	l.removeTemps()
	if len(segs) == 0 {
		f, seg, err := createSegment(fsys, l.dir, 1, l.opts.Durability != DurabilityOff)
		if err != nil {
			return fmt.Errorf("eventlog: %w", err)
		}
		l.w = writer{f: f, seg: seg, info: segInfo{first: 1, firstTxID: 1}, lastMarkOff: -markBytes}
		l.segs = []segment{seg}
		l.keys = newKeyIndexIf(l.opts.Keys != nil)
		return nil
	}
	s, err := scanSegments(scanConfig{fs: fsys, segs: segs, useIndex: true, keys: l.opts.Keys,
		logger: l.opts.Logger, parallel: true})
	if err != nil {
		return err
	}
	if err := l.openTail(s); err != nil {
		return fmt.Errorf("eventlog: repair %s: %w", s.tail.seg.path, err)
	}
	for _, i := range s.rebuild {
		l.rebuildIndex(segs[i], s.info[i], s.marks, i)
	}
	l.segs, l.marks, l.head, l.tip, l.keys = segs, s.marks, s.c.committed, s.c.committed, s.index
	if l.keys == nil {
		l.keys = newKeyIndexIf(l.opts.Keys != nil)
	}
	return nil
}

// openTail opens the last segment for the writer, first cutting it back to its last commit if
// it ends in a torn record or an unfinished batch.
func (l *Log) openTail(s *scanner) error {
	t := s.tail
	f, err := l.opts.fs.OpenFile(t.seg.path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	alloc := t.size
	if t.dirty() {
		l.opts.Logger.Warn("eventlog: dropping uncommitted end of log", "file", t.seg.path,
			"offset", t.keep, "bytes", t.size-t.keep, "records", t.records, "reason", t.reason())
		if err := f.Truncate(t.keep); err != nil {
			f.Close()
			return err
		}
		if l.opts.Durability != DurabilityOff {
			if err := f.Sync(); err != nil {
				f.Close()
				return err
			}
		}
		alloc = t.keep
	}
	crc, err := fileCRC(f, t.keep)
	if err != nil {
		f.Close()
		return err
	}
	last := len(s.segs) - 1
	l.w = writer{f: f, seg: t.seg, info: s.info[last], size: t.keep, alloc: alloc, crc: crc,
		lastMarkOff: -markBytes}
	for _, m := range s.marks {
		if m.seg == last {
			l.w.lastMarkOff = m.off
		}
	}
	return nil
}

// rebuildIndex writes the .idx file of sealed segment i, which Open had to check in full.
// Failing to write it costs only speed at the next Open, so it is logged, not returned.
func (l *Log) rebuildIndex(seg segment, si segInfo, marks []mark, i int) {
	si.marks = nil
	for _, m := range marks {
		if m.seg == i {
			si.marks = append(si.marks, m)
		}
	}
	err := func() error {
		f, err := l.opts.fs.OpenFile(seg.path, os.O_RDONLY, 0)
		if err != nil {
			return err
		}
		defer f.Close()
		if si.crc, err = fileCRC(f, si.size); err != nil {
			return err
		}
		if err := writeIndex(l.opts.fs, seg, &si, l.opts.Durability != DurabilityOff); err != nil {
			return err
		}
		if l.opts.Durability != DurabilityOff {
			return l.opts.fs.SyncDir(l.dir)
		}
		return nil
	}()
	if err != nil {
		l.opts.Logger.Warn("eventlog: could not rebuild segment index", "file", seg.path, "err", err)
		return
	}
	l.opts.Logger.Info("eventlog: rebuilt segment index", "file", indexPath(seg))
}

// removeTemps deletes index files a crash left half written.
func (l *Log) removeTemps() {
	names, err := l.opts.fs.ReadDir(l.dir)
	if err != nil {
		return
	}
	for _, name := range names {
		if strings.HasSuffix(name, indexExt+".tmp") {
			l.opts.fs.Remove(filepath.Join(l.dir, name))
		}
	}
}
