package eventlog

import "fmt"

// Report summarizes a verified log.
type Report struct {
	Records  uint64 // committed records verified
	Bytes    int64  // their size on disk, framing included
	HeadSeq  uint64 // seq of the last committed record
	HeadHash Hash   // chain hash after it
	Segments int    // segment files
	// TailBytes counts the bytes after the last committed record — a torn write or an unfinished
	// batch — that Open would truncate. Only VerifyDir reports it; an open log has none.
	TailBytes int64
	// Preallocated counts the zero bytes after the records of the last segment: space the
	// writer preallocated and has not used yet (not damage). Only VerifyDir reports it.
	Preallocated int64
}

// Verify re-reads every committed record of the open log, recomputing each checksum and the
// whole hash chain from the genesis hash (on all CPUs), and checks the chain ends at the head.
// Unlike Open it trusts no .idx file. On damage it returns the *CorruptionError of the first bad
// record, with a Report of what verified before it. It reads through its own file handles and
// runs alongside the writer, checking the records committed when it was called.
func (l *Log) Verify() (Report, error) {
	v, err := l.view()
	if err != nil {
		return Report{}, err
	}
	if v.head.seq == 0 {
		return Report{Segments: len(v.segs)}, nil
	}
	s, err := scanSegments(scanConfig{fs: v.fs, segs: v.segs, limit: v.head.seq, parallel: true})
	rep := s.report(len(v.segs))
	if err == nil && s.c.committed.hash != v.head.hash {
		err = &CorruptionError{File: v.segs[len(v.segs)-1].path, Seq: v.head.seq,
			Reason: fmt.Sprintf("chain ends at hash %s, the log's head is %s", s.c.committed.hash, v.head.hash)}
	}
	return rep, err
}

// VerifyDir verifies the log in dir as Open would, but trusting no .idx file — every checksum,
// the whole chain, the same torn-tail rule — without opening it for writing, taking its lock, or
// changing any file. A torn or unfinished tail is not an error: it is reported in TailBytes. Use
// it on a log no process is writing; one being appended to may show its in-flight batch as
// TailBytes.
func VerifyDir(dir string) (Report, error) { return verifyDir(osFS{}, dir) }

func verifyDir(fsys fileSystem, dir string) (Report, error) {
	segs, err := listSegments(fsys, dir)
	if err != nil {
		return Report{}, fmt.Errorf("eventlog: %w", err)
	}
	s, err := scanSegments(scanConfig{fs: fsys, segs: segs, parallel: true})
	rep := s.report(len(segs))
	rep.TailBytes, rep.Preallocated = s.tail.dropBytes(), s.tail.zeros
	return rep, err
}
