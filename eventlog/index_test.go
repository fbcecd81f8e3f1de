package eventlog

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"log/slog"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sealedLog builds a closed log of several small segments and returns its directory, segments
// and every record's (file, offset).
func sealedLog(t *testing.T) (string, []segment, map[uint64]recordPos) {
	t.Helper()
	dir := t.TempDir()
	l, err := Open(dir, &Options{NoSync: true, SegmentSize: 1 << 10})
	require.NoError(t, err)
	appendBatches(t, l, make1s(40)...)
	appendBatches(t, l, 3, 2, 4)
	require.NoError(t, l.Close())
	segs, err := listSegments(osFS{}, dir)
	require.NoError(t, err)
	require.Greater(t, len(segs), 3)
	pos := map[uint64]recordPos{}
	for _, s := range segs {
		data, err := os.ReadFile(s.path)
		require.NoError(t, err)
		for off := 0; off < len(data); {
			r, n, err := decodeRecord(data[off:])
			require.NoError(t, err)
			pos[r.Seq] = recordPos{s.path, int64(off)}
			off += n
		}
	}
	return dir, segs, pos
}

type recordPos struct {
	path string
	off  int64
}

func TestSegmentIndexFiles(t *testing.T) {
	dir, segs, pos := sealedLog(t)
	for i, s := range segs[:len(segs)-1] {
		si, err := readIndex(osFS{}, s)
		require.NoError(t, err)
		require.NotNil(t, si, "sealed segment %d has an index", i)
		data, err := os.ReadFile(s.path)
		require.NoError(t, err)
		assert.Equal(t, int64(len(data)), si.size)
		assert.Equal(t, crc32.Checksum(data, crcTable), si.crc)
		assert.Equal(t, s.first, si.first)
		assert.Equal(t, segs[i+1].first-1, si.last)
		assert.Equal(t, recordPos{s.path, 0}, pos[si.first])
		for _, m := range si.marks {
			assert.Equal(t, recordPos{s.path, m.off}, pos[m.seq])
		}
	}
	si, err := readIndex(osFS{}, segs[len(segs)-1])
	require.NoError(t, err)
	assert.Nil(t, si, "the active segment has none")

	rec := &logRecorder{}
	l := openLog(t, dir, &Options{NoSync: true, SegmentSize: 1 << 10, Logger: slog.New(rec)})
	assert.Empty(t, rec.msgs, "a clean reopen goes through the indexes silently")
	checkRecords(t, scanAll(t, l), len(pos))
}

// TestSegmentIndexRebuilt damages or removes a sealed segment's index: Open must fall back to
// reading the segment, log why, and write a good index again.
func TestSegmentIndexRebuilt(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
		reason string
	}{
		{"missing", func(t *testing.T, path string) { require.NoError(t, os.Remove(path)) }, "index file missing"},
		{"empty", func(t *testing.T, path string) { require.NoError(t, os.Truncate(path, 0)) }, "bad header"},
		{"flipped byte", func(t *testing.T, path string) { flipByte(t, path, 20) }, "checksum mismatch"},
		{"lies about the size, checksum fixed", func(t *testing.T, path string) {
			rewrite(t, path, func(b []byte) { b[56]++ })
		}, "its index says"},
		{"lies about the hash before it, checksum fixed", func(t *testing.T, path string) {
			rewrite(t, path, func(b []byte) { b[100]++ })
		}, "does not continue"},
		{"lies about its last seq, checksum fixed", func(t *testing.T, path string) {
			rewrite(t, path, func(b []byte) { b[16]++ })
		}, "does not end where the next segment starts"},
		{"lies about its last hash, checksum fixed", func(t *testing.T, path string) {
			rewrite(t, path, func(b []byte) { b[120]++ })
		}, "last record differs from the index"},
		{"lies about the first time, checksum fixed", func(t *testing.T, path string) {
			rewrite(t, path, func(b []byte) { b[40]++ })
		}, "first record differs"},
		{"a mark lies, checksum fixed", func(t *testing.T, path string) {
			rewrite(t, path, func(b []byte) { b[indexHeader+8]++ }) // its time
		}, "mark at offset 0 differs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, segs, pos := sealedLog(t)
			path := indexPath(segs[1])
			tt.damage(t, path)
			rec := &logRecorder{}
			l := openLog(t, dir, &Options{NoSync: true, SegmentSize: 1 << 10, Logger: slog.New(rec)})
			require.Len(t, rec.msgs, 2)
			assert.Contains(t, rec.msgs[0]["reason"], tt.reason)
			assert.Equal(t, segs[1].path, rec.msgs[0]["file"])
			assert.Contains(t, rec.msgs[1]["msg"], "rebuilt segment index")
			checkRecords(t, scanAll(t, l), len(pos))
			si, err := readIndex(osFS{}, segs[1])
			require.NoError(t, err, "rewritten")
			assert.Equal(t, segs[1].first, si.first)
		})
	}
}

func flipByte(t *testing.T, path string, off int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	b[off] ^= 0x10
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

// rewrite applies fn to the file; for an .idx file it then fixes the trailing checksum.
func rewrite(t *testing.T, path string, fn func(b []byte)) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	fn(b)
	if len(path) > 4 && path[len(path)-4:] == indexExt {
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], crcTable))
	}
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

// TestFlippedByteRefusedAtOpen flips one byte anywhere in the log — a sealed segment with a good
// index included — and demands that Open refuse with the CorruptionError naming the file, the
// record's offset and its seq, the same one VerifyDir gives.
func TestFlippedByteRefusedAtOpen(t *testing.T) {
	tests := []struct {
		name  string
		seq   uint64 // the damaged record
		at    func(recLen int) int
		torn  bool // damage to the log's last record is cut like a torn write
		cause string
	}{
		{"payload of the first record", 1, func(int) int { return headerSize }, false, "checksum mismatch"},
		{"hash of a record in a sealed segment", 20, func(n int) int { return n - 1 }, false, "checksum mismatch"},
		{"seq field of the first record of a sealed segment", 0, func(int) int { return offSeq }, false, "checksum mismatch"},
		{"length of a record in a sealed segment", 30, func(int) int { return offLength }, false, ""},
		{"payload in the active segment", 47, func(int) int { return headerSize + 1 }, false, "valid records follow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, segs, pos := sealedLog(t)
			seq := tt.seq
			if seq == 0 {
				seq = segs[2].first
			}
			p := pos[seq]
			data, err := os.ReadFile(p.path)
			require.NoError(t, err)
			n := int(binary.LittleEndian.Uint32(data[p.off:]))
			flipByte(t, p.path, p.off+int64(tt.at(n)))

			l, err := Open(dir, &Options{NoSync: true, Logger: slog.New(slog.DiscardHandler)})
			if l != nil {
				l.Close()
			}
			var ce *CorruptionError
			require.True(t, errors.As(err, &ce), "Open must refuse, got %v", err)
			assert.Equal(t, p.path, ce.File)
			assert.Equal(t, p.off, ce.Offset)
			assert.Equal(t, seq, ce.Seq)
			assert.Contains(t, ce.Reason, tt.cause)
			_, verr := VerifyDir(dir)
			require.Error(t, verr)
			assert.Equal(t, err.Error(), verr.Error(), "Open and VerifyDir agree")
		})
	}
}

// TestPreallocatedSpace checks the zeros written ahead of the active segment are told apart from
// damage: a clean reopen is silent, a torn record in them is cut and reported with them, and a
// sealed segment keeps none.
func TestPreallocatedSpace(t *testing.T) {
	dir := t.TempDir()
	opts := &Options{NoSync: true, Preallocate: 8 << 10, SegmentSize: 64 << 10}
	l, err := Open(dir, opts)
	require.NoError(t, err)
	appendBatches(t, l, 3, 1, 2)
	head, _ := l.Head()
	require.NoError(t, l.Close())
	path := segs0(t, dir)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	rep, err := VerifyDir(dir)
	require.NoError(t, err)
	assert.Positive(t, rep.Preallocated)
	assert.Zero(t, rep.TailBytes)
	assert.Equal(t, fi.Size(), rep.Bytes+rep.Preallocated)

	rec := &logRecorder{}
	opts.Logger = slog.New(rec)
	l, err = Open(dir, opts)
	require.NoError(t, err)
	assert.Empty(t, rec.msgs, "zeros after the records are not damage")
	got, _ := l.Head()
	assert.Equal(t, head, got)
	appendBatches(t, l, 2) // overwrites the zeros
	require.NoError(t, l.Close())

	// A torn write into the zeros: half a record.
	rep, err = VerifyDir(dir)
	require.NoError(t, err)
	torn := genesisRecord(make([]byte, 100), FlagCommit)[:60]
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteAt(torn, rep.Bytes)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	l, err = Open(dir, opts)
	require.NoError(t, err)
	require.Len(t, rec.msgs, 1)
	assert.Contains(t, rec.msgs[0]["reason"], "torn tail")
	assert.Contains(t, rec.msgs[0]["reason"], "zeros (likely unwritten preallocated space)")
	checkRecords(t, scanAll(t, l), int(head)+2)

	// Fill past the segment size: the sealed segment loses its zeros.
	for range 200 {
		appendBatches(t, l, 5)
	}
	require.NoError(t, l.Close())
	segs, err := listSegments(osFS{}, dir)
	require.NoError(t, err)
	require.Greater(t, len(segs), 1)
	si, err := readIndex(osFS{}, segs[0])
	require.NoError(t, err)
	fi, err = os.Stat(segs[0].path)
	require.NoError(t, err)
	assert.Equal(t, si.size, fi.Size())
	_, err = VerifyDir(dir)
	require.NoError(t, err)
}

func segs0(t *testing.T, dir string) string {
	t.Helper()
	segs, err := listSegments(osFS{}, dir)
	require.NoError(t, err)
	return segs[0].path
}

func FuzzDecodeIndex(f *testing.F) {
	si := &segInfo{first: 5, last: 9, firstTxID: 2, lastTxID: 4, firstTime: 10, lastTime: 20, size: 1000,
		marks: []mark{{seq: 5, time: 10, off: 0}, {seq: 8, time: 20, off: 600}}}
	f.Add(encodeIndex(si))
	f.Add([]byte(indexMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		si, err := decodeIndex(b)
		if err != nil {
			return
		}
		if got := encodeIndex(si); string(got) != string(b) {
			t.Fatalf("accepted an index that does not re-encode to itself")
		}
	})
}
