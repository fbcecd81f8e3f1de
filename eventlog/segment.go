package eventlog

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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
func listSegments(dir string) ([]segment, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var segs []segment
	for _, e := range ents {
		if first, ok := parseSegmentName(e.Name()); ok && e.Type().IsRegular() {
			segs = append(segs, segment{first: first, path: filepath.Join(dir, e.Name())})
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

// createSegment creates the empty segment that will start at seq first and makes its directory
// entry durable, so a crash cannot lose a file that records are later synced into.
func createSegment(dir string, first uint64) (*os.File, segment, error) {
	seg := segment{first: first, path: filepath.Join(dir, segmentName(first))}
	f, err := os.OpenFile(seg.path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, seg, err
	}
	if err := syncDir(dir); err != nil {
		f.Close()
		return nil, seg, err
	}
	return f, seg, nil
}

// syncDir fsyncs a directory, making the creation of files in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// frameReader reads a segment's records one after the other through a buffer.
type frameReader struct {
	r   *bufio.Reader
	off int64  // offset of the next record
	buf []byte // holds the last frame when it was too large for the read buffer
}

func newFrameReader(r io.Reader, off int64) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(r, 256<<10), off: off}
}

// next returns the next whole, checksummed frame; it is valid until the following call. At a
// clean end (no byte left at a record boundary) it returns io.EOF. A framing failure is
// errShortRecord, errBadLength or errChecksum (wrapped), after which the reader is unusable.
func (fr *frameReader) next() ([]byte, error) {
	head, err := fr.r.Peek(4)
	if err != nil {
		if err == io.EOF && len(head) == 0 {
			return nil, io.EOF
		}
		if err == io.EOF {
			return nil, fmt.Errorf("%w: %d bytes", errShortRecord, len(head))
		}
		return nil, err
	}
	n, err := frameLength(head)
	if err != nil {
		return nil, err
	}
	b, err := fr.read(n)
	if err != nil {
		return nil, err
	}
	if recordCRC(b) != binary.LittleEndian.Uint32(b[offCRC:]) {
		return nil, errChecksum
	}
	fr.off += int64(n)
	return b, nil
}

// read consumes the next n bytes. A record that fits in the read buffer is returned in place,
// without a copy; a larger one is copied out in chunks, growing the buffer as bytes arrive, so
// that a damaged length field near the end of a file does not cost an allocation of MaxPayload.
func (fr *frameReader) read(n int) ([]byte, error) {
	if n <= fr.r.Size() {
		b, err := fr.r.Peek(n)
		if err == io.EOF {
			return nil, fmt.Errorf("%w: length %d runs past the end (%d bytes present)", errShortRecord, n, len(b))
		}
		if err != nil {
			return nil, err
		}
		_, err = fr.r.Discard(n)
		return b, err
	}
	b := fr.buf[:0]
	for len(b) < n {
		chunk := min(n-len(b), 1<<20)
		b = slices.Grow(b, chunk)
		got, err := io.ReadFull(fr.r, b[len(b):len(b)+chunk])
		b = b[:len(b)+got]
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return nil, fmt.Errorf("%w: length %d runs past the end (%d bytes present)", errShortRecord, n, len(b))
		}
		if err != nil {
			return nil, err
		}
	}
	fr.buf = b
	return b, nil
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
