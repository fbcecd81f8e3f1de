package eventlog

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openLog opens a log in dir for a test and, when the test ends, closes it and verifies the
// whole directory offline — every test that writes a log also checks it stayed consistent.
func openLog(t testing.TB, dir string, opts *Options) *Log {
	t.Helper()
	if opts == nil {
		opts = &Options{NoSync: true}
	}
	l, err := Open(dir, opts)
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, l.Close())
		fsys := opts.fs
		if fsys == nil {
			fsys = osFS{}
		}
		rep, err := verifyDir(fsys, dir)
		require.NoError(t, err)
		assert.Zero(t, rep.TailBytes)
	})
	return l
}

// payloadFor is the test payload of the record with seq: recognizable and of varying size.
func payloadFor(seq uint64) []byte {
	return fmt.Appendf(nil, "event-%d-%s", seq, make([]byte, seq%7))
}

// appendBatches appends batches of the given sizes with payloadFor payloads.
func appendBatches(t testing.TB, l *Log, sizes ...int) []AppendResult {
	t.Helper()
	var out []AppendResult
	for _, n := range sizes {
		seq, _ := l.Head()
		entries := make([]Entry, n)
		for i := range entries {
			entries[i] = Entry{Type: TypeRowInserted, Payload: payloadFor(seq + 1 + uint64(i))}
		}
		res, err := l.Append(entries)
		require.NoError(t, err)
		out = append(out, res)
	}
	return out
}

// scanAll returns every committed record of l.
func scanAll(t testing.TB, l *Log) []Record {
	t.Helper()
	var recs []Record
	require.NoError(t, l.Scan(0, 0, func(r Record) error { recs = append(recs, r); return nil }))
	return recs
}

// checkRecords asserts recs are seqs 1..n with payloadFor payloads.
func checkRecords(t testing.TB, recs []Record, n int) {
	t.Helper()
	require.Len(t, recs, n)
	for i, r := range recs {
		require.Equal(t, uint64(i+1), r.Seq)
		require.Equal(t, payloadFor(r.Seq), r.Payload, "seq %d", r.Seq)
	}
}

// fakeClock returns a clock that advances one millisecond per reading.
func fakeClock(start time.Time) func() time.Time {
	var mu sync.Mutex
	now := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Millisecond)
		return now
	}
}

// logRecorder is a slog.Handler that keeps every record's attributes.
type logRecorder struct {
	mu   sync.Mutex
	msgs []map[string]any
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logRecorder) WithGroup(string) slog.Handler            { return h }
func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	m := map[string]any{"msg": r.Message}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.Any(); return true })
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, m)
	return nil
}

func TestAppendScanRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "log") // Open creates missing directories
	l := openLog(t, dir, &Options{NoSync: true, Now: fakeClock(time.Unix(1000, 0))})
	seq, h := l.Head()
	assert.Zero(t, seq)
	assert.Zero(t, h)

	res := appendBatches(t, l, 1, 3, 2)
	assert.Equal(t, AppendResult{FirstSeq: 1, LastSeq: 1, TxID: 1, Time: res[0].Time, Hash: res[0].Hash}, res[0])
	assert.Equal(t, uint64(2), res[1].FirstSeq)
	assert.Equal(t, uint64(4), res[1].LastSeq)
	assert.Equal(t, uint64(3), res[2].TxID)
	assert.Less(t, res[0].Time, res[1].Time)

	recs := scanAll(t, l)
	checkRecords(t, recs, 6)
	wantTx := []uint64{1, 2, 2, 2, 3, 3}
	wantCommit := []bool{true, false, false, true, false, true}
	for i, r := range recs {
		assert.Equal(t, wantTx[i], r.TxID, "seq %d", r.Seq)
		assert.Equal(t, wantCommit[i], r.Commit(), "seq %d", r.Seq)
		assert.Equal(t, TypeRowInserted, r.Type)
		assert.Equal(t, res[r.TxID-1].Time, r.Time)
	}
	seq, h = l.Head()
	assert.Equal(t, uint64(6), seq)
	assert.Equal(t, res[2].Hash, h)
	assert.Equal(t, h, recs[5].Hash)
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, &Options{NoSync: true})
	require.NoError(t, err)
	first := appendBatches(t, l, 2, 1)
	require.NoError(t, l.Close())
	require.NoError(t, l.Close(), "second Close")
	_, err = l.Append([]Entry{{Type: 1}})
	require.ErrorIs(t, err, ErrClosed)
	require.ErrorIs(t, l.Scan(0, 0, func(Record) error { return nil }), ErrClosed)

	l = openLog(t, dir, nil)
	seq, h := l.Head()
	assert.Equal(t, uint64(3), seq)
	assert.Equal(t, first[1].Hash, h)
	res := appendBatches(t, l, 2)
	assert.Equal(t, uint64(4), res[0].FirstSeq)
	assert.Equal(t, uint64(3), res[0].TxID, "transaction ids continue after reopen")
	assert.GreaterOrEqual(t, res[0].Time, first[1].Time)
	checkRecords(t, scanAll(t, l), 5)
}

func TestAppendRejects(t *testing.T) {
	l := openLog(t, t.TempDir(), nil)
	tests := []struct {
		name    string
		entries []Entry
		want    error
	}{
		{"nil", nil, ErrEmptyBatch},
		{"empty", []Entry{}, ErrEmptyBatch},
		{"too large", []Entry{{Type: 1}, {Type: 1, Payload: make([]byte, MaxPayload+1)}}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Append(tt.entries)
			require.ErrorIs(t, err, tt.want)
			seq, _ := l.Head()
			assert.Zero(t, seq, "nothing appended")
		})
	}
	res := appendBatches(t, l, 1)
	assert.Equal(t, uint64(1), res[0].TxID, "rejected batches consume no transaction id")
}

func TestTimeIsMonotonic(t *testing.T) {
	times := []int64{500, 300, 300, 900, 100}
	i := 0
	now := func() time.Time { i++; return time.Unix(0, times[i-1]) }
	l := openLog(t, t.TempDir(), &Options{NoSync: true, Now: now})
	var got []int64
	for _, r := range appendBatches(t, l, 1, 1, 1, 1, 1) {
		got = append(got, r.Time)
	}
	assert.Equal(t, []int64{500, 500, 500, 900, 900}, got)
}

func TestLocked(t *testing.T) {
	dir := t.TempDir()
	openLog(t, dir, nil)
	_, err := Open(dir, nil)
	require.ErrorIs(t, err, ErrLocked)
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir, &Options{NoSync: true, SegmentSize: 1000})
	sizes := make([]int, 60)
	for i := range sizes {
		sizes[i] = 1 + i%4
	}
	appendBatches(t, l, sizes...)
	seq, _ := l.Head()
	segs, err := listSegments(osFS{}, dir)
	require.NoError(t, err)
	require.Greater(t, len(segs), 5)
	for i, s := range segs[1:] {
		fi, err := os.Stat(segs[i].path)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, fi.Size(), int64(1000), "segment %s sealed early", filepath.Base(segs[i].path))
		assert.Greater(t, s.first, segs[i].first)
	}
	recs := scanAll(t, l)
	checkRecords(t, recs, int(seq))
	for _, from := range []uint64{1, 7, 50, seq} {
		var got []uint64
		require.NoError(t, l.Scan(from, from+3, func(r Record) error { got = append(got, r.Seq); return nil }))
		assert.Equal(t, from, got[0])
	}
	rep, err := l.Verify()
	require.NoError(t, err)
	assert.Equal(t, len(segs), rep.Segments)

	require.NoError(t, l.Close())
	l2 := openLog(t, dir, &Options{NoSync: true, SegmentSize: 1000})
	checkRecords(t, scanAll(t, l2), int(seq))
	appendBatches(t, l2, 3)
	checkRecords(t, scanAll(t, l2), int(seq)+3)
}

func TestConcurrentAppendAndScan(t *testing.T) {
	l := openLog(t, t.TempDir(), &Options{NoSync: true, SegmentSize: 64 << 10})
	const writers, batches = 4, 200
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range batches {
				entries := make([]Entry, 1+(w+i)%3)
				for j := range entries {
					entries[j] = Entry{Type: TypeRowInserted, Payload: []byte("concurrent")}
				}
				_, err := l.Append(entries)
				assert.NoError(t, err)
			}
		})
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	var scans atomic.Int64
	for range 2 {
		readers.Go(func() {
			for mine := 0; ; mine++ {
				select {
				case <-stop:
					if mine > 0 { // on a loaded machine a reader may start late: scan at least once
						return
					}
				default:
				}
				head, h := l.Head()
				if head == 0 {
					continue // Scan(0, 0) would mean "to the head", wherever it is by then
				}
				var last Record
				err := l.Scan(0, head, func(r Record) error { last = r; return nil })
				assert.NoError(t, err)
				assert.Equal(t, head, last.Seq)
				assert.Equal(t, h, last.Hash)
				assert.True(t, last.Commit(), "a scan ends on a commit")
				_, err = l.HashAt(head / 2)
				assert.NoError(t, err)
				scans.Add(1)
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	t.Logf("%d scans ran alongside the appends", scans.Load())
	assert.Positive(t, scans.Load())
	recs := scanAll(t, l)
	for i, r := range recs {
		require.Equal(t, uint64(i+1), r.Seq)
	}
	assert.Equal(t, uint64(writers*batches), recs[len(recs)-1].TxID)
	_, err := l.Verify()
	require.NoError(t, err)
}

func benchmarkAppend(b *testing.B, noSync bool) {
	l := openLog(b, b.TempDir(), &Options{NoSync: noSync})
	entries := []Entry{{Type: TypeRowInserted, Payload: make([]byte, 100)}}
	b.SetBytes(int64(minRecordSize + 100))
	for b.Loop() {
		if _, err := l.Append(entries); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendSync appends one 100-byte event per transaction, with fdatasync: the latency
// of one durable commit without group commit.
func BenchmarkAppendSync(b *testing.B) { benchmarkAppend(b, false) }

// BenchmarkAppendNoSync is the same without fdatasync: the cost of framing, hashing and write.
func BenchmarkAppendNoSync(b *testing.B) { benchmarkAppend(b, true) }

// BenchmarkAppendBatchNoSync appends transactions of 100 events of 100 bytes without
// fdatasync: allocs/op is per transaction, so it shows whether anything on the write path
// allocates per event (the one Pending per commit does not).
func BenchmarkAppendBatchNoSync(b *testing.B) {
	l := openLog(b, b.TempDir(), &Options{NoSync: true})
	entries := make([]Entry, 100)
	for i := range entries {
		entries[i] = Entry{Type: TypeRowInserted, Payload: make([]byte, 100)}
	}
	b.SetBytes(int64(len(entries) * (minRecordSize + 100)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Append(entries); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(entries))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
