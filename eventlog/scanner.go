package eventlog

import (
	"fmt"
	"io"
	"log/slog"
	"os"
)

// This file reads a log directory from the first record to the last, checking everything a
// record promises, and finds where the log ends. Open, Verify and VerifyDir all use it; the
// rule for a damaged end of the log is in recover.go.
//
// Two ways to check a sealed segment:
//
//   - full: every frame's checksum, every envelope field, the whole hash chain. Verify and
//     VerifyDir always do this, and so does Open for the active segment.
//   - by its index (Open only): a sealed segment's .idx file records the segment's size, the
//     CRC-32C of the whole file and its first and last records. If the file's size and checksum
//     match and the summary continues the segment before, the segment is exactly what was
//     sealed, and its marks are taken from the index. One CRC pass at memory speed replaces a
//     SHA-256 per record. Any mismatch falls back to the full check, which names the bad record.

// scanConfig says what to scan and how.
type scanConfig struct {
	fs       fileSystem
	segs     []segment
	limit    uint64 // stop after this seq (Verify of an open log); 0 reads the files to the end
	useIndex bool   // check sealed segments by their .idx files when they match (Open)
	keys     func(Type, []byte) []string
	logger   *slog.Logger
	parallel bool // check hashes on several cores
}

// scanner walks segments in order, verifying records and building the sparse index.
type scanner struct {
	scanConfig
	c           chain
	hashes      *hashChecker // nil: hashes are checked inline
	marks       []mark
	lastMarkOff int64
	pending     *mark // the mark of the unfinished batch, kept if it commits
	index       *keyIndex
	batchKeys   []seqKeys // keys of the unfinished batch, indexed if it commits

	records, openRecords uint64 // committed records, and records of the unfinished batch
	bytes, openBytes     int64
	keep                 int64 // offset in the current segment after its last commit marker
	tail                 tail
	info                 []segInfo // per segment scanned
	rebuild              []int     // sealed segments whose .idx is missing or does not match
}

// scanSegments verifies cfg.segs from the start of the log. With limit == 0 it reads every byte
// and leaves in s.tail what recovery must drop; with limit > 0 every record up to seq limit must
// be intact and committed, and nothing after it is read.
func scanSegments(cfg scanConfig) (*scanner, error) {
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	s := &scanner{scanConfig: cfg, c: chain{hasher: newHasher()}, info: make([]segInfo, len(cfg.segs))}
	if cfg.keys != nil {
		s.index = newKeyIndex()
	}
	if cfg.parallel {
		s.hashes = newHashChecker()
	}
	err := s.run()
	if s.hashes != nil && (s.hashes.wait() || err != nil) {
		// A checksum or hash is wrong somewhere, or the pass stopped on a record whose checksum
		// nobody checked yet. Redo the scan inline: it stops at exactly the first bad record,
		// with the right reason, and its report covers exactly what came before.
		cfg.parallel = false
		return scanSegments(cfg)
	}
	return s, err
}

func (s *scanner) run() error {
	for i := range s.segs {
		done, err := s.segment(i)
		if err != nil || done {
			return err
		}
	}
	if s.limit > 0 && s.c.committed.seq < s.limit {
		var seg segment
		if len(s.segs) > 0 {
			seg = s.segs[len(s.segs)-1]
		}
		return &CorruptionError{File: seg.path, Offset: s.keep, Seq: s.c.seq + 1,
			Reason: fmt.Sprintf("log ends before its head, seq %d", s.limit)}
	}
	return nil
}

// segment scans segment i. It reports done when the limit was reached.
func (s *scanner) segment(i int) (done bool, err error) {
	seg := s.segs[i]
	last := i == len(s.segs)-1 && s.limit == 0
	if seg.first != s.c.seq+1 {
		return false, &CorruptionError{File: seg.path, Seq: s.c.seq + 1,
			Reason: fmt.Sprintf("segment name says it starts at seq %d", seg.first)}
	}
	if s.useIndex && !last {
		ok, err := s.byIndex(i)
		if err != nil || ok {
			return false, err
		}
		s.rebuild = append(s.rebuild, i)
	}
	f, err := s.fs.OpenFile(seg.path, os.O_RDONLY, 0)
	if err != nil {
		return false, fmt.Errorf("eventlog: %w", err)
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		return false, fmt.Errorf("eventlog: %w", err)
	}
	s.keep, s.lastMarkOff = 0, 0
	s.info[i] = segInfo{first: seg.first, prev: s.c.hash, firstTxID: s.c.committed.txid + 1,
		firstTime: s.c.committed.time, last: s.c.seq, lastTxID: s.c.committed.txid,
		lastTime: s.c.committed.time, hash: s.c.hash}
	fr := newFrameReader(f, 0, size)
	defer fr.release()
	for {
		off := fr.off
		rec, err := fr.frame(s.hashes == nil) // in parallel, the workers check the CRC
		if err == io.EOF {
			break
		}
		if err != nil {
			return s.badFrame(f, seg, off, size, last, err)
		}
		if done, err := s.record(i, seg, off, rec); err != nil || done {
			return done, err
		}
	}
	if s.c.open && !last {
		return false, &CorruptionError{File: seg.path, Offset: fr.off, Seq: s.c.seq + 1,
			Reason: fmt.Sprintf("sealed segment ends inside transaction %d", s.c.txid)}
	}
	s.info[i].size = fr.off
	if last {
		s.tail = tail{seg: seg, keep: s.keep, end: fr.off, size: size, records: int(s.openRecords)}
	}
	return false, nil
}

// badFrame handles a framing failure at offset off: in the last segment it may be a torn tail,
// anywhere else it is corruption.
func (s *scanner) badFrame(f file, seg segment, off, size int64, last bool, err error) (bool, error) {
	switch {
	case !isFraming(err):
		return false, fmt.Errorf("eventlog: read %s: %w", seg.path, err)
	case last:
		return true, s.tornTail(f, seg, off, size, err)
	}
	return false, &CorruptionError{File: seg.path, Offset: off, Seq: s.c.seq + 1, Reason: err.Error()}
}

// record checks the checksummed frame rec at offset off of segment i and accounts for it.
func (s *scanner) record(i int, seg segment, off int64, rec []byte) (done bool, err error) {
	r, err := parseRecord(rec)
	if err != nil {
		return false, &CorruptionError{File: seg.path, Offset: off, Seq: s.c.seq + 1, Reason: err.Error()}
	}
	reason := ""
	if s.hashes != nil {
		if reason = s.c.checkFields(&r); reason == "" {
			s.hashes.add(seg.path, off, r.Seq, s.c.hash, rec)
		}
	} else {
		reason = s.c.check(&r, rec)
	}
	if reason != "" {
		return false, &CorruptionError{File: seg.path, Offset: off, Seq: s.c.seq + 1, Reason: reason}
	}
	s.add(i, off, &r, len(rec))
	return s.limit != 0 && r.Seq == s.limit, nil
}

// add accounts for a verified record at offset off of segment seg.
func (s *scanner) add(seg int, off int64, r *Record, n int) {
	if !s.c.open && wantMark(s.lastMarkOff, off) {
		s.pending = &mark{seq: r.Seq, time: r.Time, seg: seg, off: off}
	}
	if r.Seq == s.info[seg].first {
		s.info[seg].firstTime = r.Time
	}
	s.c.advance(r)
	s.openRecords++
	s.openBytes += int64(n)
	if s.index != nil {
		s.batchKeys = append(s.batchKeys, seqKeys{seq: r.Seq, keys: s.keys(r.Type, r.Payload)})
	}
	if !r.Commit() {
		return
	}
	if s.pending != nil {
		s.marks = append(s.marks, *s.pending)
		s.lastMarkOff, s.pending = s.pending.off, nil
	}
	if s.index != nil {
		s.index.add(s.batchKeys)
		clear(s.batchKeys)
		s.batchKeys = s.batchKeys[:0]
	}
	s.records += s.openRecords
	s.bytes += s.openBytes
	s.openRecords, s.openBytes = 0, 0
	s.keep = off + int64(n)
	in := &s.info[seg]
	in.last, in.lastTxID, in.lastTime, in.hash, in.lastOff = r.Seq, r.TxID, r.Time, r.Hash, off
}

// byIndex checks sealed segment i against its .idx file. It reports false, after logging why,
// when the index is missing, damaged or does not match, and the segment must be read in full.
func (s *scanner) byIndex(i int) (bool, error) {
	seg := s.segs[i]
	fallback := func(why string) (bool, error) {
		s.logger.Warn("eventlog: checking sealed segment record by record", "file", seg.path, "reason", why)
		return false, nil
	}
	si, err := readIndex(s.fs, seg)
	switch {
	case si == nil && err == nil:
		return fallback("index file missing")
	case err != nil:
		return fallback(err.Error())
	case si.first != seg.first || s.c.open || si.prev != s.c.hash ||
		si.firstTxID != s.c.committed.txid+1 || si.firstTime < s.c.committed.time:
		return fallback("index does not continue the segment before")
	case si.last+1 != s.segs[i+1].first:
		return fallback("index does not end where the next segment starts")
	}
	f, err := s.fs.OpenFile(seg.path, os.O_RDONLY, 0)
	if err != nil {
		return false, fmt.Errorf("eventlog: %w", err)
	}
	defer f.Close()
	if size, err := f.Size(); err != nil || size != si.size {
		return fallback(fmt.Sprintf("segment is %d bytes, its index says %d", size, si.size))
	}
	if crc, err := fileCRC(f, si.size); err != nil || crc != si.crc {
		return fallback("segment checksum differs from its index")
	}
	if why := si.describes(f); why != "" {
		return fallback("index does not describe the segment: " + why)
	}
	if s.index != nil {
		if err := s.indexKeys(f, si); err != nil {
			return fallback(err.Error())
		}
	}
	for _, m := range si.marks {
		m.seg = i
		s.marks = append(s.marks, m)
	}
	s.c.seq, s.c.hash = si.last, si.hash
	s.c.committed = head{seq: si.last, hash: si.hash, time: si.lastTime, txid: si.lastTxID}
	s.records += si.last - si.first + 1
	s.bytes += si.size
	s.info[i] = *si
	return true, nil
}

// indexKeys feeds the keys of a segment already checked by its checksum to the key index.
func (s *scanner) indexKeys(f file, si *segInfo) error {
	fr := newFrameReader(f, 0, si.size)
	defer fr.release()
	var batch []seqKeys
	for {
		rec, err := fr.frame(false)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		r, err := parseRecord(rec)
		if err != nil {
			return err
		}
		batch = append(batch, seqKeys{seq: r.Seq, keys: s.keys(r.Type, r.Payload)})
		if len(batch) == 1024 {
			s.index.add(batch)
			batch = batch[:0]
		}
	}
	s.index.add(batch)
	return nil
}

func (s *scanner) report(segments int) Report {
	return Report{Records: s.records, Bytes: s.bytes, HeadSeq: s.c.committed.seq,
		HeadHash: s.c.committed.hash, Segments: segments}
}
