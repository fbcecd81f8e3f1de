package eventlog

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifyReport(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir, &Options{NoSync: true, SegmentSize: 4096})
	rep, err := l.Verify()
	require.NoError(t, err)
	assert.Equal(t, Report{Segments: 1}, rep, "empty log")

	appendBatches(t, l, 5, 1, 3, 40, 2, 2, 60, 1)
	head, h := l.Head()
	segs, err := listSegments(osFS{}, dir)
	require.NoError(t, err)
	var size int64
	for _, s := range segs {
		fi, err := os.Stat(s.path)
		require.NoError(t, err)
		size += fi.Size()
	}
	want := Report{Records: head, Bytes: size, HeadSeq: head, HeadHash: h, Segments: len(segs)}
	require.Greater(t, want.Segments, 1)
	rep, err = l.Verify()
	require.NoError(t, err)
	assert.Equal(t, want, rep)
	rep, err = VerifyDir(dir)
	require.NoError(t, err)
	assert.Equal(t, want, rep)
}

func TestVerifyFindsLaterDamage(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, &Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	appendBatches(t, l, 3, 3, 3)
	d := &damagedLog{path: filepath.Join(dir, segmentName(1))}
	var offs []int64
	var off int64
	require.NoError(t, l.Scan(0, 0, func(r Record) error {
		offs = append(offs, off)
		off += int64(minRecordSize + len(r.Payload))
		return nil
	}))
	d.offs = append(offs, off)
	d.patch(t, 4, false, func(rec []byte) { rec[headerSize] ^= 0xff }) // bit rot after Open

	rep, err := l.Verify()
	var ce *CorruptionError
	require.True(t, errors.As(err, &ce), "got %v", err)
	assert.Equal(t, CorruptionError{File: d.path, Offset: offs[4], Seq: 5, Reason: "checksum mismatch"}, *ce)
	assert.Equal(t, uint64(3), rep.Records, "the report covers what verified before the damage")
	assert.Equal(t, uint64(3), rep.HeadSeq)

	err = l.Scan(2, 0, func(Record) error { return nil })
	require.ErrorIs(t, err, ErrCorrupt, "Scan checks checksums too")
	_, err = l.HashAt(6)
	require.ErrorIs(t, err, ErrCorrupt)
}

func TestVerifyDirMissing(t *testing.T) {
	_, err := VerifyDir(filepath.Join(t.TempDir(), "nope"))
	require.ErrorIs(t, err, os.ErrNotExist)
	rep, err := VerifyDir(t.TempDir())
	require.NoError(t, err)
	assert.Equal(t, Report{}, rep)
}

// BenchmarkVerify recomputes every CRC and the hash chain of a 100-byte-event log (MB/s).
func BenchmarkVerify(b *testing.B) {
	l := openLog(b, b.TempDir(), &Options{NoSync: true})
	batch := make([]Entry, 10)
	for i := range batch {
		batch[i] = Entry{Type: TypeRowInserted, Payload: make([]byte, 100)}
	}
	for range 20_000 {
		if _, err := l.Append(batch); err != nil {
			b.Fatal(err)
		}
	}
	rep, err := l.Verify()
	require.NoError(b, err)
	b.SetBytes(rep.Bytes)
	for b.Loop() {
		if _, err := l.Verify(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rep.Records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
