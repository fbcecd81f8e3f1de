package storage

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStateAtMatchesHistory commits random transactions, remembering every committed state,
// then asks StateAt for many of them — under different snapshot settings, which must not
// change any answer.
func TestStateAtMatchesHistory(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"no snapshots", Options{NoSnapshots: true}},
		{"snapshot every 5 events", Options{SnapshotEvery: 5, KeepSnapshots: 1000}},
		{"snapshot every 40 events, keep 2", Options{SnapshotEvery: 40, KeepSnapshots: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			st := openStore(t, dir, &tc.opts)
			w := newWorkload(st, seed)
			w.run(t, 150)
			require.Eventually(t, func() bool { return !st.snapping.Load() }, 5*time.Second, time.Millisecond)

			seqs := make([]uint64, 0, len(w.states))
			for seq := range w.states {
				seqs = append(seqs, seq)
			}
			slices.Sort(seqs)
			r := rand.New(rand.NewPCG(seed, 2))
			check := func(st *Store) {
				t.Helper()
				// Forwards, backwards and at random, so both cache hits and replays from cached
				// states, snapshots and zero are exercised.
				order := append(slices.Clone(seqs), seqs...)
				slices.Reverse(order[len(seqs):])
				for range 40 {
					order = append(order, seqs[r.IntN(len(seqs))])
				}
				for _, seq := range order {
					s, err := st.StateAt(seq)
					require.NoError(t, err)
					require.Equal(t, w.states[seq], dump(s), "StateAt(%d)", seq)
				}
				checkConsistent(t, must(st.StateAt(seqs[len(seqs)/2])))
			}
			check(st)

			head := st.Current().Seq()
			_, err := st.StateAt(head + 1)
			assert.ErrorIs(t, err, ErrFutureSeq)
			assert.Same(t, st.Current(), must(st.StateAt(head)))

			// Rebuild from the log alone and from the snapshots: the same state, and the same
			// history.
			st = reopen(t, st, dir, &tc.opts)
			assert.Equal(t, w.states[head], dump(st.Current()), "reopened")
			check(st)
			require.NoError(t, os.RemoveAll(filepath.Join(dir, "snapshots")))
			st = reopen(t, st, dir, &Options{NoSnapshots: true})
			assert.Equal(t, w.states[head], dump(st.Current()), "rebuilt from the log")
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestStateAtZeroAndTime(t *testing.T) {
	st := openStore(t, t.TempDir(), nil)
	empty, err := st.StateAt(0)
	require.NoError(t, err)
	assert.Equal(t, uint64(0), empty.Seq())

	w := newWorkload(st, 11)
	w.run(t, 3)
	mid := st.Current()
	time.Sleep(2 * time.Millisecond)
	w.run(t, 3)

	seq := st.SeqAtTime(time.Unix(0, mid.Time()))
	assert.Equal(t, mid.Seq(), seq)
	s, err := st.StateAt(seq)
	require.NoError(t, err)
	assert.Equal(t, dump(mid), dump(s))
	assert.Equal(t, mid.Time(), s.Time())
	assert.Zero(t, st.SeqAtTime(time.Unix(0, 1)))

	zero, err := st.StateAt(0)
	require.NoError(t, err)
	assert.Empty(t, zero.Catalog().Tables())
}

// TestConcurrentReaders runs readers (StateAt, Current, Begin+read) beside a committer; run
// with -race.
func TestConcurrentReaders(t *testing.T) {
	st := openStore(t, t.TempDir(), &Options{SnapshotEvery: 7})
	w := newWorkload(st, 21)
	w.run(t, 5)
	done := make(chan struct{})
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			r := rand.New(rand.NewPCG(uint64(g), 0))
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				cur := st.Current()
				if _, err := st.StateAt(uint64(r.IntN(int(cur.Seq()) + 1))); err != nil {
					errs <- err
					return
				}
				tx := st.Begin()
				for _, def := range tx.State().Catalog().Tables() {
					tb, _ := tx.State().TableByID(def.ID)
					tb.Scan(func(uint64, schemaRow) bool { return true })
					// Writing on a private clone of the published state must not race with
					// anyone.
					if id, ok := pickRow(r, tb); ok {
						_ = tx.Delete(def.ID, id)
					}
				}
			}
		}()
	}
	w.run(t, 100)
	close(done)
	for range 4 {
		require.NoError(t, <-errs)
	}
}
