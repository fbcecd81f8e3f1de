package eventlog

import (
	"encoding/binary"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// damagedLog is a one-segment log of 7 records in batches {1} {2,3} {4} {5,6,7}, closed, with
// the offsets of its records (offs[7] is the file size) and their hashes.
type damagedLog struct {
	dir, path string
	offs      []int64
	hashes    []Hash // hashes[i] is the hash after seq i; hashes[0] is the genesis hash
}

func buildLog(t *testing.T) *damagedLog {
	t.Helper()
	dir := t.TempDir()
	l, err := Open(dir, &Options{NoSync: true})
	require.NoError(t, err)
	appendBatches(t, l, 1, 2, 1, 3)
	d := &damagedLog{dir: dir, path: filepath.Join(dir, segmentName(1)), hashes: []Hash{{}}}
	for _, r := range scanAll(t, l) {
		d.hashes = append(d.hashes, r.Hash)
	}
	require.NoError(t, l.Close())
	data, err := os.ReadFile(d.path)
	require.NoError(t, err)
	for off := 0; off < len(data); {
		d.offs = append(d.offs, int64(off))
		_, n, err := decodeRecord(data[off:])
		require.NoError(t, err)
		off += n
	}
	d.offs = append(d.offs, int64(len(data)))
	return d
}

// patch applies fn to the bytes of record i, then recomputes its CRC if fixCRC.
func (d *damagedLog) patch(t *testing.T, i int, fixCRC bool, fn func(rec []byte)) {
	t.Helper()
	data, err := os.ReadFile(d.path)
	require.NoError(t, err)
	rec := data[d.offs[i]:d.offs[i+1]]
	fn(rec)
	if fixCRC {
		binary.LittleEndian.PutUint32(rec[offCRC:], recordCRC(rec))
	}
	require.NoError(t, os.WriteFile(d.path, data, 0o644))
}

// rehash recomputes record i's stored chain hash from its (possibly changed) content.
func (d *damagedLog) rehash(i int) func(rec []byte) {
	return func(rec []byte) {
		h := newHasher().chain(d.hashes[i], rec[offVersion:len(rec)-hashSize])
		copy(rec[len(rec)-hashSize:], h[:])
	}
}

func (d *damagedLog) truncate(t *testing.T, size int64) {
	t.Helper()
	require.NoError(t, os.Truncate(d.path, size))
}

func (d *damagedLog) appendBytes(t *testing.T, b []byte) {
	t.Helper()
	f, err := os.OpenFile(d.path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	_, err = f.Write(b)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// uncommitted encodes n whole records continuing the log after seq 7, without a commit marker.
func (d *damagedLog) uncommitted(n int) []byte {
	var buf []byte
	prev := d.hashes[7]
	for i := range n {
		r := Record{Seq: 8 + uint64(i), TxID: 5, Time: 1 << 62, Type: TypeRowDeleted, Payload: []byte("lost")}
		buf = appendRecord(buf, newHasher(), prev, &r)
		prev = r.Hash
	}
	return buf
}

func TestCorruption(t *testing.T) {
	flipPayload := func(rec []byte) { rec[headerSize] ^= 0x40 }
	tests := []struct {
		name   string
		damage func(t *testing.T, d *damagedLog)
		rec    int // index of the first bad record (its seq is rec+1)
		reason string
	}{
		{"flipped payload byte", func(t *testing.T, d *damagedLog) { d.patch(t, 3, false, flipPayload) }, 3, "checksum mismatch"},
		{"flipped hash byte", func(t *testing.T, d *damagedLog) {
			d.patch(t, 1, false, func(rec []byte) { rec[len(rec)-1]++ })
		}, 1, "checksum mismatch"},
		{"length too large", func(t *testing.T, d *damagedLog) {
			d.patch(t, 2, false, func(rec []byte) { rec[offLength]++ })
		}, 2, "checksum mismatch"},
		{"length zero", func(t *testing.T, d *damagedLog) {
			d.patch(t, 2, false, func(rec []byte) { binary.LittleEndian.PutUint32(rec, 0) })
		}, 2, "record length out of range"},
		{"damage in the last batch with valid records after it", func(t *testing.T, d *damagedLog) {
			d.patch(t, 4, false, flipPayload)
		}, 4, "valid records follow"},
		{"payload rewritten and CRC fixed", func(t *testing.T, d *damagedLog) {
			d.patch(t, 4, true, flipPayload)
		}, 4, "hash chain broken"},
		{"payload, hash and CRC rewritten", func(t *testing.T, d *damagedLog) {
			d.patch(t, 4, true, func(rec []byte) { flipPayload(rec); d.rehash(4)(rec) })
		}, 5, "hash chain broken"},
		{"last record rewritten and CRC fixed", func(t *testing.T, d *damagedLog) {
			d.patch(t, 6, true, flipPayload)
		}, 6, "hash chain broken"},
		{"bad version", func(t *testing.T, d *damagedLog) {
			d.patch(t, 2, true, func(rec []byte) { rec[offVersion] = 2 })
		}, 2, "unsupported record version 2"},
		{"unknown flag", func(t *testing.T, d *damagedLog) {
			d.patch(t, 2, true, func(rec []byte) { rec[offFlags] |= 0x80 })
		}, 2, "unknown flags"},
		{"seq gap", func(t *testing.T, d *damagedLog) {
			d.patch(t, 3, true, func(rec []byte) { rec[offSeq]++ })
		}, 3, "sequence gap: expected seq 4, found 5"},
		{"txid out of order", func(t *testing.T, d *damagedLog) {
			d.patch(t, 3, true, func(rec []byte) { rec[offTxID] += 2; d.rehash(3)(rec) })
		}, 3, "transaction id out of order"},
		{"time changes inside a batch", func(t *testing.T, d *damagedLog) {
			d.patch(t, 5, true, func(rec []byte) { rec[offTime]++; d.rehash(5)(rec) })
		}, 5, "time changes inside transaction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := buildLog(t)
			tt.damage(t, d)
			l, err := Open(d.dir, nil)
			if l != nil {
				l.Close()
			}
			d.requireCorrupt(t, err, tt.rec, tt.reason)
			_, err = VerifyDir(d.dir)
			d.requireCorrupt(t, err, tt.rec, tt.reason)
			fi, err := os.Stat(d.path)
			require.NoError(t, err)
			assert.Equal(t, d.offs[7], fi.Size(), "a corrupt log is never truncated")
		})
	}
}

// requireCorrupt checks err is a CorruptionError naming record i of d.
func (d *damagedLog) requireCorrupt(t *testing.T, err error, i int, reason string) {
	t.Helper()
	require.ErrorIs(t, err, ErrCorrupt)
	var ce *CorruptionError
	require.True(t, errors.As(err, &ce))
	assert.Equal(t, d.path, ce.File)
	assert.Equal(t, d.offs[i], ce.Offset)
	assert.Equal(t, uint64(i+1), ce.Seq)
	assert.Contains(t, ce.Reason, reason)
	assert.Contains(t, err.Error(), filepath.Base(d.path))
}

func TestRecoverTail(t *testing.T) {
	tests := []struct {
		name    string
		damage  func(t *testing.T, d *damagedLog)
		head    uint64 // head after recovery
		records int    // whole uncommitted records dropped
		reason  string
	}{
		{"cut mid-record in the last batch", func(t *testing.T, d *damagedLog) { d.truncate(t, d.offs[6]+20) }, 4, 2, "runs past the end"},
		{"cut mid-header", func(t *testing.T, d *damagedLog) { d.truncate(t, d.offs[6]+3) }, 4, 2, "incomplete record"},
		{"cut at a record boundary inside the batch", func(t *testing.T, d *damagedLog) { d.truncate(t, d.offs[6]) }, 4, 2, "unfinished transaction"},
		{"cut inside the only record of a batch", func(t *testing.T, d *damagedLog) { d.truncate(t, d.offs[4]-1) }, 3, 0, "runs past the end"},
		{"last record's payload flipped", func(t *testing.T, d *damagedLog) {
			d.patch(t, 6, false, func(rec []byte) { rec[headerSize] ^= 1 })
		}, 4, 2, "checksum mismatch"},
		{"garbage after the last commit", func(t *testing.T, d *damagedLog) { d.appendBytes(t, []byte{1, 2}) }, 7, 0, "incomplete record"},
		{"torn record then zeros", func(t *testing.T, d *damagedLog) {
			b := d.uncommitted(1)
			d.appendBytes(t, append(b[:40], make([]byte, 4096)...))
		}, 7, 0, "checksum mismatch; the file's last 4096 bytes are zeros"},
		{"unfinished batch then zeros", func(t *testing.T, d *damagedLog) {
			d.appendBytes(t, append(d.uncommitted(2), make([]byte, 4096)...))
		}, 7, 2, "unfinished transaction (no commit marker); then 4096 bytes of unwritten preallocated space"},
		{"incomplete trailing batch", func(t *testing.T, d *damagedLog) { d.appendBytes(t, d.uncommitted(3)) }, 7, 3, "unfinished transaction"},
		{"incomplete trailing batch, torn", func(t *testing.T, d *damagedLog) {
			b := d.uncommitted(3)
			d.appendBytes(t, b[:len(b)-10])
		}, 7, 2, "runs past the end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := buildLog(t)
			tt.damage(t, d)
			fi, err := os.Stat(d.path)
			require.NoError(t, err)
			keep := d.offs[tt.head]
			rep, err := VerifyDir(d.dir)
			require.NoError(t, err)
			assert.Equal(t, tt.head, rep.HeadSeq)
			assert.Equal(t, fi.Size()-keep, rep.TailBytes+rep.Preallocated)

			rec := &logRecorder{}
			l := openLog(t, d.dir, &Options{NoSync: true, Logger: slog.New(rec)})
			require.Len(t, rec.msgs, 1)
			assert.Equal(t, fi.Size()-keep, rec.msgs[0]["bytes"], "bytes dropped")
			assert.Equal(t, keep, rec.msgs[0]["offset"])
			assert.Equal(t, int64(tt.records), rec.msgs[0]["records"])
			assert.Contains(t, rec.msgs[0]["reason"], tt.reason)
			after, err := os.Stat(d.path)
			require.NoError(t, err)
			assert.Equal(t, keep, after.Size(), "file truncated to the last commit")

			seq, h := l.Head()
			assert.Equal(t, tt.head, seq)
			assert.Equal(t, d.hashes[tt.head], h)
			res := appendBatches(t, l, 2)
			assert.Equal(t, tt.head+1, res[0].FirstSeq, "appends continue gaplessly")
			checkRecords(t, scanAll(t, l), int(tt.head)+2)
		})
	}
}

func TestRecoverCleanLogIsSilent(t *testing.T) {
	d := buildLog(t)
	rec := &logRecorder{}
	openLog(t, d.dir, &Options{NoSync: true, Logger: slog.New(rec)})
	assert.Empty(t, rec.msgs)
}

func TestSealedSegmentDamage(t *testing.T) {
	build := func(t *testing.T) (string, []segment) {
		dir := t.TempDir()
		l, err := Open(dir, &Options{NoSync: true, SegmentSize: 300})
		require.NoError(t, err)
		appendBatches(t, l, 1, 2, 1, 2, 1, 2, 1)
		require.NoError(t, l.Close())
		segs, err := listSegments(osFS{}, dir)
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(segs), 3)
		return dir, segs
	}
	tests := []struct {
		name   string
		damage func(t *testing.T, segs []segment)
		reason string
	}{
		{"torn end of a sealed segment", func(t *testing.T, segs []segment) {
			fi, err := os.Stat(segs[1].path)
			require.NoError(t, err)
			require.NoError(t, os.Truncate(segs[1].path, fi.Size()-5))
		}, "runs past the end"},
		{"sealed segment missing", func(t *testing.T, segs []segment) {
			require.NoError(t, os.Remove(segs[1].path))
		}, "segment name says it starts at seq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, segs := build(t)
			tt.damage(t, segs)
			_, err := Open(dir, nil)
			require.ErrorIs(t, err, ErrCorrupt)
			assert.Contains(t, err.Error(), tt.reason)
		})
	}
}

func TestEmptyLastSegment(t *testing.T) {
	// A crash between creating a segment and writing to it leaves it empty.
	dir := t.TempDir()
	l, err := Open(dir, &Options{NoSync: true, SegmentSize: 200})
	require.NoError(t, err)
	appendBatches(t, l, 3, 3)
	require.NoError(t, l.Close())
	f, _, err := createSegment(osFS{}, dir, 7, false)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	l = openLog(t, dir, &Options{NoSync: true, SegmentSize: 200})
	appendBatches(t, l, 1)
	checkRecords(t, scanAll(t, l), 7)
}
