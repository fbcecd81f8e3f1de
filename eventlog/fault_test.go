package eventlog

import (
	"errors"
	"log/slog"
	"slices"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteFailures injects a failure into each kind of write the log makes and checks the
// failure is never papered over: the commit fails with ErrWriteFailed wrapping the cause, every
// later one fails too, reads keep serving what was acknowledged, and reopening — with or without
// a power cut in between — finds every acknowledged commit.
func TestWriteFailures(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		before   int // batches committed before the fault
		inject   func(m *memFS)
		cause    error
		reopened string // a message Open must log on the way back, if any
	}{
		{"write fails with ENOSPC", Options{}, 3,
			func(m *memFS) { m.inject("write", 1, syscall.ENOSPC, false) }, syscall.ENOSPC, ""},
		{"short write", Options{}, 3,
			func(m *memFS) { m.inject("write", 1, syscall.ENOSPC, true) }, syscall.ENOSPC,
			"dropping uncommitted end of log"},
		{"fdatasync fails", Options{}, 3,
			func(m *memFS) { m.inject("sync", 1, syscall.EIO, false) }, syscall.EIO, ""},
		{"fdatasync fails at the first commit", Options{}, 0,
			func(m *memFS) { m.inject("sync", 1, syscall.EIO, false) }, syscall.EIO, ""},
		{"disk full while preallocating", Options{}, 0,
			func(m *memFS) { m.inject("write", 1, syscall.ENOSPC, false) }, syscall.ENOSPC, ""},
		{"sealing sync fails", Options{SegmentSize: 150}, 2,
			func(m *memFS) { m.inject("sync", 1, syscall.EIO, false) }, syscall.EIO, ""},
		{"next segment cannot be made durable", Options{SegmentSize: 150}, 2,
			func(m *memFS) { m.inject("syncdir", 1, syscall.EIO, false) }, syscall.EIO, ""},
		{"interval: write fails", Options{Durability: DurabilityInterval}, 3,
			func(m *memFS) { m.inject("write", 1, syscall.ENOSPC, false) }, syscall.ENOSPC, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestFS(1)
			opts := tt.opts
			opts.fs, opts.Logger = m, slog.New(slog.DiscardHandler)
			l, err := Open("/db/log", &opts)
			require.NoError(t, err)
			sizes := make([]int, tt.before)
			for i := range sizes {
				sizes[i] = 1 + i%2
			}
			appendBatches(t, l, sizes...)
			acked, ackedHash := l.Head()
			tt.inject(m)

			_, err = l.Append([]Entry{{Type: TypeRowInserted, Payload: payloadFor(acked + 1)}})
			require.ErrorIs(t, err, ErrWriteFailed)
			require.ErrorIs(t, err, tt.cause, "the cause is wrapped")
			_, err = l.Submit([]Entry{{Type: TypeRowInserted, Payload: []byte("later")}})
			require.ErrorIs(t, err, ErrWriteFailed, "the failure sticks")
			require.ErrorIs(t, err, tt.cause)

			head, h := l.Head()
			assert.Equal(t, acked, head, "the failed commit is not visible")
			assert.Equal(t, ackedHash, h)
			checkRecords(t, scanAll(t, l), int(acked)) // reads keep working
			_, err = l.Verify()
			require.NoError(t, err)
			require.NoError(t, l.Close())
			checkReopen(t, m, acked, opts.Durability == DurabilityAlways, tt.reopened)
		})
	}
}

// checkReopen reopens the log of m after a write failure, once from what a power cut would
// leave and once as it is, and checks every acknowledged commit is there (after a power cut
// only if durable says commits were synced) and the log is writable again.
func checkReopen(t *testing.T, m *memFS, acked uint64, durable bool, message string) {
	t.Helper()
	for _, fsys := range []*memFS{m.snapshot(), m} {
		rec := &logRecorder{}
		l, err := Open("/db/log", &Options{fs: fsys, Logger: slog.New(rec)})
		require.NoError(t, err)
		head, _ := l.Head()
		if fsys == m || durable {
			require.GreaterOrEqual(t, head, acked, "nothing acknowledged is lost")
		}
		checkRecords(t, scanAll(t, l), int(head))
		appendBatches(t, l, 2)
		require.NoError(t, l.Close())
		if message != "" && fsys == m {
			require.NotEmpty(t, rec.msgs)
			assert.Contains(t, rec.msgs[0]["msg"], message)
		}
	}
}

// TestWriteFailureUnderLoad fails an fdatasync while many committers wait and checks the
// outcome is a clean cut: every acknowledged batch precedes every failed one, and nothing
// submitted after the failure succeeds.
func TestWriteFailureUnderLoad(t *testing.T) {
	m := newTestFS(1)
	l, err := Open("/db/log", &Options{fs: m, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	defer l.Close()
	m.inject("sync", 6, syscall.EIO, false)
	var mu sync.Mutex
	var ok, failed []uint64 // first seqs
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				p, err := l.Submit([]Entry{{Type: TypeRowInserted, Payload: []byte("load")}})
				if err != nil {
					assert.ErrorIs(t, err, ErrWriteFailed)
					return
				}
				_, err = p.Wait()
				mu.Lock()
				if err != nil {
					failed = append(failed, p.Result().FirstSeq)
				} else {
					ok = append(ok, p.Result().FirstSeq)
				}
				mu.Unlock()
				if err != nil {
					assert.True(t, errors.Is(err, syscall.EIO))
					return
				}
			}
		})
	}
	wg.Wait()
	require.NotEmpty(t, ok)
	require.NotEmpty(t, failed)
	assert.Less(t, slices.Max(ok), slices.Min(failed), "acknowledged batches form a prefix")
	head, _ := l.Head()
	assert.Equal(t, slices.Max(ok), head)
	assert.Len(t, ok, int(head), "every seq up to the head was acknowledged")
}
