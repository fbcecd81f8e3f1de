package eventlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strings"
)

// This file is the sparse index: in memory, marks that say where a batch starts (so a read from
// any seq needs one seek and at most markBytes of reading), and on disk, one .idx file per
// sealed segment that keeps the segment's marks and summary so Open can skip re-deriving them.
// An .idx file is derived data with its own checksum: missing or damaged, it is rebuilt by
// scanning its segment.

// mark is one entry of the sparse index: where a batch starts, and when it committed.
type mark struct {
	seq  uint64
	time int64
	seg  int // index into the segment list
	off  int64
}

// markBytes is the minimum distance between two marks of a segment. A mark costs 32 bytes in
// memory, 24 in an .idx file: about 0.05% of the log's size, and a seek reads at most markBytes
// plus the rest of the batch it lands in to reach any seq.
const markBytes = 64 << 10

// wantMark reports whether the batch starting at offset off of its segment gets a mark: the
// first batch of every segment does, and then one at least markBytes after the last. Marks sit
// on batch starts so that mark.seq-1 is always a committed head.
func wantMark(lastMarkOff, off int64) bool { return off == 0 || off-lastMarkOff >= markBytes }

// segInfo summarizes a sealed segment: its first and last records, its size and checksum. It is
// what an .idx file stores besides the marks, and what lets Open check that consecutive sealed
// segments continue each other without reading them record by record.
type segInfo struct {
	first, last         uint64 // seqs
	firstTxID, lastTxID uint64
	firstTime, lastTime int64
	size                int64  // bytes of the segment file
	lastOff             int64  // offset of the last record
	crc                 uint32 // CRC-32C of the whole segment file
	prev, hash          Hash   // chain hash before the first record and after the last
	marks               []mark // the segment's marks (seg left zero)
}

// The .idx file (integers little-endian):
//
//	offset    size  field
//	0         8     magic "esqlidx1"
//	8         8     first seq            16  8  last seq
//	24        8     first txid           32  8  last txid
//	40        8     first commit time    48  8  last commit time
//	56        8     segment size in bytes
//	64        8     offset of the last record
//	72        4     CRC-32C of the whole segment file
//	76        4     m, the number of marks
//	80        32    chain hash before the first record
//	112       32    chain hash after the last record
//	144       24×m  marks: seq, commit time, offset in the segment
//	144+24m   4     CRC-32C of all the bytes before it
const (
	indexMagic   = "esqlidx1"
	indexExt     = ".idx"
	indexHeader  = 144
	indexMarkLen = 24
)

func indexPath(seg segment) string { return strings.TrimSuffix(seg.path, segmentExt) + indexExt }

func encodeIndex(si *segInfo) []byte {
	b := make([]byte, 0, indexHeader+indexMarkLen*len(si.marks)+4)
	b = append(b, indexMagic...)
	for _, v := range []uint64{si.first, si.last, si.firstTxID, si.lastTxID,
		uint64(si.firstTime), uint64(si.lastTime), uint64(si.size), uint64(si.lastOff)} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	b = binary.LittleEndian.AppendUint32(b, si.crc)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(si.marks)))
	b = append(append(b, si.prev[:]...), si.hash[:]...)
	for _, m := range si.marks {
		b = binary.LittleEndian.AppendUint64(b, m.seq)
		b = binary.LittleEndian.AppendUint64(b, uint64(m.time))
		b = binary.LittleEndian.AppendUint64(b, uint64(m.off))
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}

var errBadIndex = errors.New("damaged index file")

// decodeIndex parses an .idx file, checking its checksum and that it describes a plausible
// segment (marks in order, inside the segment). It never panics.
func decodeIndex(b []byte) (*segInfo, error) {
	if len(b) < indexHeader+4 || string(b[:8]) != indexMagic {
		return nil, fmt.Errorf("%w: bad header", errBadIndex)
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(b[len(body):]) {
		return nil, fmt.Errorf("%w: checksum mismatch", errBadIndex)
	}
	u := func(off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }
	si := &segInfo{first: u(8), last: u(16), firstTxID: u(24), lastTxID: u(32),
		firstTime: int64(u(40)), lastTime: int64(u(48)), size: int64(u(56)), lastOff: int64(u(64)),
		crc: binary.LittleEndian.Uint32(b[72:])}
	n := int(binary.LittleEndian.Uint32(b[76:]))
	copy(si.prev[:], b[80:112])
	copy(si.hash[:], b[112:144])
	if len(body) != indexHeader+indexMarkLen*n || n == 0 {
		return nil, fmt.Errorf("%w: %d marks in %d bytes", errBadIndex, n, len(b))
	}
	si.marks = make([]mark, n)
	for i := range si.marks {
		off := indexHeader + indexMarkLen*i
		m := mark{seq: u(off), time: int64(u(off + 8)), off: int64(u(off + 16))}
		if m.seq < si.first || m.seq > si.last || m.off < 0 || m.off >= si.size ||
			(i == 0 && (m.off != 0 || m.seq != si.first)) || (i > 0 && m.seq <= si.marks[i-1].seq) {
			return nil, fmt.Errorf("%w: mark %d out of place", errBadIndex, i)
		}
		si.marks[i] = m
	}
	if si.first > si.last || si.firstTxID > si.lastTxID || si.firstTime > si.lastTime ||
		si.lastOff < 0 || si.lastOff+minRecordSize > si.size {
		return nil, fmt.Errorf("%w: inconsistent summary", errBadIndex)
	}
	return si, nil
}

// describes checks that si describes f, whose bytes match si's checksum: the first and last
// records and every mark are where si says and carry the seqs, txids, times and hashes it
// records. It returns why not, or "". The checksum proves the segment unchanged since the index
// was written; this proves the index itself tells the truth about it, which its own checksum
// cannot (only a bug or a deliberate edit could make it lie, but a lying index must not turn
// into a false alarm about the segment). It costs a few small reads and one SHA-256.
func (si *segInfo) describes(f file) string {
	first, err := readRecordAt(f, 0, si.size)
	switch {
	case err != nil:
		return "first record: " + err.Error()
	case first.Seq != si.first || first.TxID != si.firstTxID || first.Time != si.firstTime:
		return "first record differs from the index"
	case newHasher().chain(si.prev, first.content) != first.Hash:
		return "hash before the first record differs from the index"
	}
	last, err := readRecordAt(f, si.lastOff, si.size)
	switch {
	case err != nil:
		return "last record: " + err.Error()
	case si.lastOff+int64(last.size) != si.size:
		return "last record does not end the segment"
	case last.Seq != si.last || last.TxID != si.lastTxID || last.Time != si.lastTime ||
		!last.Commit() || last.Hash != si.hash:
		return "last record differs from the index"
	}
	var h [headerSize]byte
	for _, m := range si.marks {
		if _, err := f.ReadAt(h[:], m.off); err != nil {
			return "mark: " + err.Error()
		}
		if binary.LittleEndian.Uint64(h[offSeq:]) != m.seq || int64(binary.LittleEndian.Uint64(h[offTime:])) != m.time {
			return fmt.Sprintf("mark at offset %d differs from the record there", m.off)
		}
	}
	return ""
}

// located is a record read on its own, with its content (for the chain hash) and framed size.
type located struct {
	Record
	content []byte
	size    int
}

// readRecordAt reads and parses the record at offset off of a file of the given size.
func readRecordAt(f io.ReaderAt, off, size int64) (located, error) {
	fr := newFrameReader(f, off, size)
	defer fr.release()
	rec, err := fr.next()
	if err != nil {
		return located{}, err
	}
	r, err := parseRecord(rec)
	r.Payload = nil // it aliases the reader's buffer
	return located{Record: r, content: slices.Clone(rec[offVersion : len(rec)-hashSize]), size: len(rec)}, err
}

// readIndex loads seg's .idx file. A missing file gives (nil, nil).
func readIndex(fsys fileSystem, seg segment) (*segInfo, error) {
	f, err := fsys.OpenFile(indexPath(seg), os.O_RDONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		return nil, err
	}
	if size > indexHeader+4+indexMarkLen*(1<<24) {
		return nil, fmt.Errorf("%w: %d bytes", errBadIndex, size)
	}
	b := make([]byte, size)
	if _, err := f.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return decodeIndex(b)
}

// writeIndex writes seg's .idx file through a temporary file and a rename, so a reader sees the
// old file or the new one, and syncs it first if sync is set (the rename becomes durable with the
// next sync of the directory). An index is derived data: one a crash lost or damaged fails its
// checksum and is rebuilt, so syncing it only spares the next Open that work.
func writeIndex(fsys fileSystem, seg segment, si *segInfo, sync bool) error {
	path := indexPath(seg)
	tmp := path + ".tmp"
	f, err := fsys.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteAt(encodeIndex(si), 0)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = fsys.Rename(tmp, path)
	}
	if err != nil {
		fsys.Remove(tmp)
	}
	return err
}

// fileCRC returns the CRC-32C of the first size bytes of f, read in large chunks.
func fileCRC(f io.ReaderAt, size int64) (uint32, error) {
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	buf := *bp
	var crc uint32
	for off := int64(0); off < size; {
		n := int(min(int64(len(buf)), size-off))
		got, err := f.ReadAt(buf[:n], off)
		crc = crc32.Update(crc, crcTable, buf[:got])
		off += int64(got)
		if got < n {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return crc, err
		}
	}
	return crc, nil
}
