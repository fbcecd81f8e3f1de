package eventlog

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memLog opens a log on a fresh memFS for a test; cleanup closes it and verifies the directory.
func memLog(t testing.TB, opts Options) (*Log, *memFS) {
	t.Helper()
	if opts.fs == nil {
		opts.fs = newTestFS(1)
	}
	return openLog(t, "/db/log", &opts), opts.fs.(*memFS)
}

// newTestFS returns a memFS holding a durable, empty directory /db.
func newTestFS(seed uint64) *memFS {
	m := newMemFS(seed)
	if err := m.MkdirAll("/db", 0o755); err != nil {
		panic(err)
	}
	if err := m.SyncDir("/"); err != nil {
		panic(err)
	}
	return m
}

func TestSubmitAssignsAtOnce(t *testing.T) {
	l, _ := memLog(t, Options{})
	assert.Equal(t, uint64(1), l.NextSeq())
	p1, err := l.Submit([]Entry{{Type: TypeRowInserted, Payload: payloadFor(1)}, {Type: TypeRowInserted, Payload: payloadFor(2)}})
	require.NoError(t, err)
	p2, err := l.Submit([]Entry{{Type: TypeRowInserted, Payload: payloadFor(3)}})
	require.NoError(t, err)
	// Known before anything is durable.
	assert.Equal(t, AppendResult{FirstSeq: 1, LastSeq: 2, TxID: 1, Time: p1.Result().Time, Hash: p1.Result().Hash}, p1.Result())
	assert.Equal(t, uint64(3), p2.Result().FirstSeq)
	assert.Equal(t, uint64(2), p2.Result().TxID)
	assert.Equal(t, uint64(4), l.NextSeq())

	res, err := p2.Wait()
	require.NoError(t, err)
	assert.Equal(t, p2.Result(), res)
	res, err = p1.Wait() // already complete: batches finish in order
	require.NoError(t, err)
	assert.Equal(t, p1.Result(), res)
	head, h := l.Head()
	assert.Equal(t, uint64(3), head)
	assert.Equal(t, p2.Result().Hash, h)
	checkRecords(t, scanAll(t, l), 3)
}

// TestGroupCommit runs many committers at once and checks the log is exactly what one committer
// would have produced — gapless seqs, one txid per batch, each batch's records together — and
// that they shared syncs.
func TestGroupCommit(t *testing.T) {
	l, m := memLog(t, Options{})
	const committers, batches = 16, 40
	var mu sync.Mutex
	byTx := map[uint64][]byte{} // txid → the payload of its first record
	var wg sync.WaitGroup
	for c := range committers {
		wg.Go(func() {
			for i := range batches {
				payload := fmt.Appendf(nil, "c%d-b%d", c, i)
				entries := make([]Entry, 1+(c+i)%3)
				for j := range entries {
					entries[j] = Entry{Type: TypeRowInserted, Payload: payload}
				}
				res, err := l.Append(entries)
				if !assert.NoError(t, err) {
					return
				}
				assert.Equal(t, res.FirstSeq+uint64(len(entries))-1, res.LastSeq)
				mu.Lock()
				byTx[res.TxID] = payload
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	recs := scanAll(t, l)
	require.Len(t, byTx, committers*batches)
	var tx uint64
	for i, r := range recs {
		require.Equal(t, uint64(i+1), r.Seq)
		if i == 0 || recs[i-1].Commit() {
			tx++
		}
		require.Equal(t, tx, r.TxID, "seq %d", r.Seq)
		require.Equal(t, byTx[tx], r.Payload, "seq %d", r.Seq)
	}
	assert.Equal(t, uint64(committers*batches), tx)
	m.mu.Lock()
	syncs := m.counts["sync"]
	m.mu.Unlock()
	t.Logf("%d transactions, %d syncs", tx, syncs)
	assert.Less(t, syncs, int(tx), "committers shared syncs")
}

func TestDurabilityModes(t *testing.T) {
	one := []Entry{{Type: TypeRowInserted, Payload: []byte("x")}}
	syncs := func(m *memFS) int {
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.counts["sync"]
	}
	t.Run("always syncs before acknowledging", func(t *testing.T) {
		l, m := memLog(t, Options{Durability: DurabilityAlways})
		before := syncs(m)
		for range 5 {
			_, err := l.Append(one)
			require.NoError(t, err)
		}
		assert.Equal(t, before+5, syncs(m), "one sync per sequential commit")
		assert.Equal(t, "always", l.Durability())
	})
	t.Run("off never syncs", func(t *testing.T) {
		for _, o := range []Options{{Durability: DurabilityOff}, {NoSync: true}} {
			l, m := memLog(t, o)
			for range 5 {
				_, err := l.Append(one)
				require.NoError(t, err)
			}
			require.NoError(t, l.Close())
			assert.Zero(t, syncs(m))
			assert.Equal(t, "off", l.Durability())
		}
	})
	t.Run("interval acknowledges before the sync and syncs within the interval", func(t *testing.T) {
		l, m := memLog(t, Options{Durability: DurabilityInterval, SyncInterval: time.Hour})
		assert.Equal(t, "interval 1h0m0s", l.Durability())
		before := syncs(m)
		for range 5 {
			_, err := l.Append(one)
			require.NoError(t, err)
		}
		assert.Equal(t, before, syncs(m), "acknowledged without a sync")
		l.SetDurability(DurabilityInterval, 20*time.Millisecond)
		require.Eventually(t, func() bool { return syncs(m) > before }, 5*time.Second, time.Millisecond,
			"the unsynced commits are synced once the interval passes, with no further commit")
		assert.Equal(t, "interval 20ms", l.Durability())
	})
	t.Run("switching to always syncs what interval left", func(t *testing.T) {
		l, m := memLog(t, Options{Durability: DurabilityInterval, SyncInterval: time.Hour})
		_, err := l.Append(one)
		require.NoError(t, err)
		before := syncs(m)
		l.SetDurability(DurabilityAlways, 0)
		require.Eventually(t, func() bool { return syncs(m) > before }, 5*time.Second, time.Millisecond)
	})
	t.Run("close syncs under interval", func(t *testing.T) {
		m := newTestFS(1)
		l, err := Open("/db/log", &Options{fs: m, Durability: DurabilityInterval, SyncInterval: time.Hour})
		require.NoError(t, err)
		_, err = l.Append(one)
		require.NoError(t, err)
		require.NoError(t, l.Close())
		rep, err := verifyDir(m.crash(), "/db/log")
		require.NoError(t, err)
		assert.Equal(t, uint64(1), rep.HeadSeq, "the commit survives a power cut after Close")
	})
}

func TestParseDurability(t *testing.T) {
	tests := []struct {
		in       string
		want     Durability
		interval time.Duration
		err      bool
	}{
		{"always", DurabilityAlways, 0, false},
		{" Always ", DurabilityAlways, 0, false},
		{"off", DurabilityOff, 0, false},
		{"interval", DurabilityInterval, DefaultSyncInterval, false},
		{"interval 5ms", DurabilityInterval, 5 * time.Millisecond, false},
		{"interval=250us", DurabilityInterval, 250 * time.Microsecond, false},
		{"interval -1s", 0, 0, true},
		{"interval soon", 0, 0, true},
		{"sometimes", 0, 0, true},
		{"always 5ms", 0, 0, true},
		{"", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, iv, err := ParseDurability(tt.in)
			if tt.err {
				require.ErrorIs(t, err, ErrBadDurability)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, d)
			assert.Equal(t, tt.interval, iv)
			assert.Equal(t, tt.in != "" && d.String() != "", true)
		})
	}
}

func TestCloseDrainsSubmitted(t *testing.T) {
	m := newTestFS(1)
	l, err := Open("/db/log", &Options{fs: m})
	require.NoError(t, err)
	var ps []*Pending
	for i := range 50 {
		p, err := l.Submit([]Entry{{Type: TypeRowInserted, Payload: payloadFor(uint64(i + 1))}})
		require.NoError(t, err)
		ps = append(ps, p)
	}
	require.NoError(t, l.Close())
	for _, p := range ps {
		_, err := p.Wait()
		require.NoError(t, err, "batches submitted before Close complete")
	}
	_, err = l.Submit([]Entry{{Type: 1}})
	require.ErrorIs(t, err, ErrClosed)
	l = openLog(t, "/db/log", &Options{fs: m})
	checkRecords(t, scanAll(t, l), 50)
}

// TestSubmitBackpressure fills the queue beyond maxQueued while the writer is stuck and checks
// Submit waits instead of growing the queue without bound.
func TestSubmitBackpressure(t *testing.T) {
	l, m := memLog(t, Options{})
	m.mu.Lock() // the writer blocks in its first write
	p, err := l.Submit([]Entry{{Type: 1, Payload: make([]byte, 1000)}})
	require.NoError(t, err)
	big := []Entry{{Type: 1, Payload: make([]byte, maxQueued/4)}}
	done := make(chan int)
	go func() {
		n := 0
		for range 5 {
			if _, err := l.Submit(big); err != nil {
				break
			}
			n++
		}
		done <- n
	}()
	time.Sleep(50 * time.Millisecond)
	l.mu.Lock()
	queued := len(l.q.buf)
	l.mu.Unlock()
	m.mu.Unlock()
	assert.LessOrEqual(t, queued, maxQueued+maxQueued/4, "Submit waited for room")
	assert.Equal(t, 5, <-done)
	_, err = p.Wait()
	require.NoError(t, err)
}
