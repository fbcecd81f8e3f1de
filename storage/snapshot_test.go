package storage

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer collects log output from any goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func logTo(buf *lockedBuffer) *slog.Logger { return slog.New(slog.NewTextHandler(buf, nil)) }

func snapshotFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "snapshots", "*"+snapshotExt))
	require.NoError(tb, err)
	return m
}

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, &Options{NoSnapshots: true})
	w := newWorkload(st, 1)
	w.run(t, 60)
	st.opts.NoSnapshots = false
	require.NoError(t, st.Snapshot())
	want := dump(st.Current())
	require.Len(t, snapshotFiles(t, dir), 1)

	data, err := os.ReadFile(snapshotFiles(t, dir)[0])
	require.NoError(t, err)
	s, hash, err := decodeSnapshot(data)
	require.NoError(t, err)
	assert.Equal(t, want, dump(s))
	logHash, err := st.Log().HashAt(s.Seq())
	require.NoError(t, err)
	assert.Equal(t, logHash, hash)
	checkConsistent(t, s)

	var logs lockedBuffer
	st = reopen(t, st, dir, &Options{Logger: logTo(&logs)})
	assert.Equal(t, want, dump(st.Current()))
	assert.Equal(t, st.Current().Seq(), st.lastSnap.Load(), "opened from the snapshot")
	assert.Empty(t, logs.String())
}

// TestSnapshotFallback damages snapshots in the ways Open must survive; each time the store
// must come up with the same state, from an older snapshot or the log, and say why.
func TestSnapshotFallback(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, dir, newest string)
		warn   string
		// the snapshot Open should settle on, as an index into the four files written
		fallback int
	}{
		{"flipped byte", func(t *testing.T, dir, newest string) {
			data, err := os.ReadFile(newest)
			require.NoError(t, err)
			data[len(data)/2] ^= 0x40
			require.NoError(t, os.WriteFile(newest, data, 0o644))
		}, "checksum mismatch", 2},
		{"truncated", func(t *testing.T, dir, newest string) {
			data, err := os.ReadFile(newest)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(newest, data[:len(data)-9], 0o644))
		}, "checksum mismatch", 2},
		{"other history", func(t *testing.T, dir, newest string) {
			// A snapshot with a valid checksum at the same seq, built from different events.
			other := t.TempDir()
			ost := openStore(t, other, &Options{NoSnapshots: true})
			seq := seqOf(t, newest)
			w := newWorkload(ost, 99)
			for ost.Current().Seq() < seq {
				w.run(t, 1)
			}
			s, err := ost.StateAt(seq)
			require.NoError(t, err)
			h, err := ost.Log().HashAt(seq)
			require.NoError(t, err)
			require.NoError(t, os.Remove(newest))
			require.NoError(t, writeSnapshotFile(filepath.Dir(newest), s, h))
		}, "does not match the log", 2},
		{"beyond the head", func(t *testing.T, dir, newest string) {
			data, err := os.ReadFile(newest)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "snapshots", snapshotName(1<<40)), data, 0o644))
		}, "beyond the log's head", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			st := openStore(t, dir, &Options{SnapshotEvery: 1 << 40})
			w := newWorkload(st, 5)
			for range 3 {
				w.run(t, 15)
				require.NoError(t, st.Snapshot())
			}
			w.run(t, 5)
			want := dump(st.Current())
			require.NoError(t, st.Close())
			files := snapshotFiles(t, dir)
			require.Len(t, files, 4, "three by hand and the final one of Close")
			tc.damage(t, dir, files[len(files)-1])

			var logs lockedBuffer
			st = reopen(t, st, dir, &Options{Logger: logTo(&logs), NoSnapshots: true})
			assert.Equal(t, want, dump(st.Current()))
			assert.Contains(t, logs.String(), tc.warn)
			assert.Equal(t, seqOf(t, files[tc.fallback]), st.lastSnap.Load(), "fell back to the next older snapshot")

			// With every snapshot damaged, Open replays the whole log.
			for _, f := range snapshotFiles(t, dir) {
				require.NoError(t, os.WriteFile(f, []byte("garbage"), 0o644))
			}
			st = reopen(t, st, dir, &Options{Logger: logTo(&logs), NoSnapshots: true})
			assert.Equal(t, want, dump(st.Current()))
			assert.Zero(t, st.lastSnap.Load())
		})
	}
}

func seqOf(tb testing.TB, path string) uint64 {
	tb.Helper()
	var seq uint64
	_, err := fmtSscan(filepath.Base(path), &seq)
	require.NoError(tb, err)
	return seq
}

func TestSnapshotPruneAndBackground(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, &Options{SnapshotEvery: 10, KeepSnapshots: 2})
	w := newWorkload(st, 3)
	w.run(t, 100)
	// Background snapshots run while commits go on; wait for the last to finish.
	require.Eventually(t, func() bool { return !st.snapping.Load() }, 5*time.Second, time.Millisecond)
	assert.LessOrEqual(t, len(snapshotFiles(t, dir)), 2)
	assert.NotEmpty(t, snapshotFiles(t, dir))
	require.NoError(t, st.Close())
	assert.Len(t, snapshotFiles(t, dir), 2)
	assert.Equal(t, st.Current().Seq(), seqOf(t, snapshotFiles(t, dir)[1]), "Close writes a final snapshot")
	tmps, _ := filepath.Glob(filepath.Join(dir, "snapshots", "tmp-*"))
	assert.Empty(t, tmps)
	assert.ErrorIs(t, st.Close(), ErrClosed)
}
