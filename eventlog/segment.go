package eventlog

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// A segment is one file of the log, named after the sequence number of its first record, so a
// directory listing sorted by name is the log in order and a reader can tell which file holds a
// seq without opening any. Only the last segment is ever written; sealed ones never change.
type segment struct {
	first uint64 // seq of the segment's first record (the next seq, while it is empty)
	path  string
}

const segmentExt = ".log"

// segmentName returns the file name of the segment whose first record is first.
func segmentName(first uint64) string { return fmt.Sprintf("%020d%s", first, segmentExt) }

// parseSegmentName returns the first seq encoded in a segment file name.
func parseSegmentName(name string) (uint64, bool) {
	digits, ok := strings.CutSuffix(name, segmentExt)
	if !ok || len(digits) != 20 {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	return n, err == nil && n > 0
}

// listSegments returns dir's segments in log order. Files with other names are ignored.
func listSegments(fsys fileSystem, dir string) ([]segment, error) {
	names, err := fsys.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var segs []segment
	for _, name := range names {
		if first, ok := parseSegmentName(name); ok {
			segs = append(segs, segment{first: first, path: filepath.Join(dir, name)})
		}
	}
	slices.SortFunc(segs, func(a, b segment) int { return cmpUint(a.first, b.first) })
	return segs, nil
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// createSegment creates the empty segment that will start at seq first and, if sync, makes its
// directory entry durable, so a crash cannot lose a file that records are later synced into.
func createSegment(fsys fileSystem, dir string, first uint64, sync bool) (file, segment, error) {
	seg := segment{first: first, path: filepath.Join(dir, segmentName(first))}
	f, err := fsys.OpenFile(seg.path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, seg, err
	}
	if sync {
		if err := fsys.SyncDir(dir); err != nil {
			f.Close()
			return nil, seg, err
		}
	}
	return f, seg, nil
}

// frameReader reads a segment's records one after the other, through a buffer it fills with
// ReadAt, never reading at or past end (the file size, or for the active segment the end of the
// committed records, so a reader never looks at bytes the writer is still adding).
type frameReader struct {
	r      io.ReaderAt
	buf    *[]byte // pooled; (*buf)[lo:hi] holds file bytes [off, off+hi-lo)
	lo, hi int
	off    int64 // offset of the next frame
	end    int64
	ahead  int // bytes to read on the next fill; grows so short reads stay cheap
}

const readBufSize = 256 << 10

var readBufs = sync.Pool{New: func() any { b := make([]byte, readBufSize); return &b }}

func newFrameReader(r io.ReaderAt, off, end int64) *frameReader {
	return &frameReader{r: r, buf: readBufs.Get().(*[]byte), off: off, end: end, ahead: 16 << 10}
}

// release returns the reader's buffer to the pool; frames it returned become invalid.
func (fr *frameReader) release() {
	if fr.buf != nil && cap(*fr.buf) == readBufSize {
		readBufs.Put(fr.buf)
	}
	fr.buf = nil
}

// next returns the next whole, checksummed frame; it is valid until the following call. At the
// end (no byte left before end) it returns io.EOF. A framing failure is errShortRecord,
// errBadLength or errChecksum (wrapped), after which the reader is unusable.
func (fr *frameReader) next() ([]byte, error) { return fr.frame(true) }

// frame is next, checking the CRC only if check is set (callers that verify the bytes some
// other way, such as a whole-segment checksum, skip it).
func (fr *frameReader) frame(check bool) ([]byte, error) {
	left := fr.end - fr.off
	switch {
	case left == 0:
		return nil, io.EOF
	case left < 4:
		return nil, fmt.Errorf("%w: %d bytes", errShortRecord, left)
	}
	if err := fr.fill(4); err != nil {
		return nil, err
	}
	n, err := frameLength((*fr.buf)[fr.lo:fr.hi])
	if err != nil {
		return nil, err
	}
	if int64(n) > left {
		return nil, fmt.Errorf("%w: length %d runs past the end (%d bytes present)", errShortRecord, n, left)
	}
	if err := fr.fill(n); err != nil {
		return nil, err
	}
	b := (*fr.buf)[fr.lo : fr.lo+n]
	if check && recordCRC(b) != binary.LittleEndian.Uint32(b[offCRC:]) {
		return nil, errChecksum
	}
	fr.lo += n
	fr.off += int64(n)
	return b, nil
}

// fill makes sure the buffer holds the next n bytes (n <= end-off, checked by the caller, so
// a damaged length field cannot make it allocate more than the file holds).
func (fr *frameReader) fill(n int) error {
	if fr.hi-fr.lo >= n {
		return nil
	}
	buf := *fr.buf
	if n > len(buf) {
		grown := make([]byte, max(n, 2*len(buf)))
		fr.hi = copy(grown, buf[fr.lo:fr.hi])
		fr.lo, fr.buf = 0, &grown
		buf = grown
	} else if fr.lo > 0 {
		fr.hi = copy(buf, buf[fr.lo:fr.hi])
		fr.lo = 0
	}
	for fr.hi < n {
		at := fr.off + int64(fr.hi)
		want := int(min(int64(max(fr.ahead, n)-fr.hi), int64(len(buf)-fr.hi), fr.end-at))
		got, err := fr.r.ReadAt(buf[fr.hi:fr.hi+want], at)
		fr.hi += got
		if got < want {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF // the file is shorter than it was: truncated under us
			}
			return err
		}
	}
	fr.ahead = min(2*fr.ahead, len(buf))
	return nil
}

// validFrameAfter reports whether a complete frame with a valid checksum starts anywhere in
// b[1:]. Recovery asks this about the bytes after a bad record: a torn write leaves nothing
// valid behind the tear, so finding something means the damage is in the middle of the log.
func validFrameAfter(b []byte) bool {
	for i := 1; i+minRecordSize <= len(b); i++ {
		c := b[i:]
		if c[offVersion] != formatVersion { // cheap filter before the length and CRC
			continue
		}
		n, err := frameLength(c)
		if err != nil || n > len(c) {
			continue
		}
		if recordCRC(c[:n]) == binary.LittleEndian.Uint32(c[offCRC:]) {
			return true
		}
	}
	return false
}
