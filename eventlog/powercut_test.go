package eventlog

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The power cut test: several goroutines commit through Submit/Wait on a memFS; the power is cut
// at a random file system operation; the machine "reboots" with only what was synced (memfs.go
// says exactly what survives), and recovery must hold every acknowledged commit, with the
// payloads that were submitted, on a chain that verifies. The next round continues on the
// rebooted disk, so recovery also runs on logs that recovery already repaired.

// powerCutWorkload remembers what was submitted and acknowledged across rounds.
type powerCutWorkload struct {
	mu        sync.Mutex
	submitted map[uint64][]byte // seq → payload, for every seq submitted since the last reboot
	acked     uint64            // the highest acknowledged seq
	rounds    int
}

// powerCutConfig is one variant of the test.
type powerCutConfig struct {
	opts       Options
	tornWrites bool // unsynced writes may survive in part
	rounds     int
	maxOps     int // the cut falls at a random mutating operation up to this
	lossy      bool
}

// runPowerCuts runs cfg's rounds and returns the first violation found.
func runPowerCuts(t *testing.T, cfg powerCutConfig, seed uint64, prepare func(m *memFS)) error {
	rng := rand.New(rand.NewPCG(seed, 3))
	var m *memFS
	var wl *powerCutWorkload
	for round := range cfg.rounds {
		if round%10 == 0 { // a fresh disk now and then keeps the rounds short
			m, wl = newTestFS(seed+uint64(round)), &powerCutWorkload{submitted: map[uint64][]byte{}}
		}
		m.tornWrites = cfg.tornWrites
		img, err := wl.round(m, cfg.opts, 1+rng.IntN(cfg.maxOps), rng.Uint64(), prepare)
		if err != nil {
			return fmt.Errorf("round %d: %w", round, err)
		}
		if err := wl.check(img, cfg.opts, cfg.lossy); err != nil {
			return fmt.Errorf("round %d: after the power cut: %w", round, err)
		}
		m = img
	}
	t.Logf("%d rounds", cfg.rounds)
	return nil
}

// round opens the log on m, commits from several goroutines until the power is cut at mutating
// operation cutAt (counted from now), and returns the disk the cut left.
func (wl *powerCutWorkload) round(m *memFS, opts Options, cutAt int, seed uint64, prepare func(*memFS)) (*memFS, error) {
	m.mu.Lock()
	m.crashAt = m.ops + cutAt
	m.mu.Unlock()
	opts.fs, opts.Logger = m, slog.New(slog.DiscardHandler)
	l, err := Open("/db/log", &opts)
	if err != nil {
		if errors.Is(err, errPowerCut) {
			return m.crash(), nil // the cut fell inside recovery
		}
		return nil, fmt.Errorf("open: %w", err)
	}
	if prepare != nil {
		prepare(m)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() { wl.commit(l, g, seed) })
	}
	wg.Wait()
	l.Close()
	return m.crash(), nil
}

// commit is one committer: it submits batches until the log fails (the power cut) or it has
// done enough.
func (wl *powerCutWorkload) commit(l *Log, g int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, uint64(g)))
	for i := range 200 {
		entries := make([]Entry, 1+rng.IntN(3))
		for j := range entries {
			size := rng.IntN(60)
			if rng.IntN(10) == 0 {
				size = 3000
			}
			entries[j] = Entry{Type: TypeRowInserted, Payload: fmt.Appendf(nil, "g%d-i%d-j%d-%s", g, i, j, bytes.Repeat([]byte{'p'}, size))}
		}
		p, err := l.Submit(entries)
		if err != nil {
			return
		}
		res := p.Result()
		wl.mu.Lock()
		for j, e := range entries {
			wl.submitted[res.FirstSeq+uint64(j)] = e.Payload
		}
		wl.mu.Unlock()
		if _, err := p.Wait(); err != nil {
			return
		}
		wl.mu.Lock()
		wl.acked = max(wl.acked, res.LastSeq)
		wl.mu.Unlock()
	}
}

// check reboots on img and verifies what recovery found.
func (wl *powerCutWorkload) check(img *memFS, opts Options, lossy bool) error {
	rep, err := verifyDir(img, "/db/log")
	if errors.Is(err, fs.ErrNotExist) && wl.acked == 0 {
		// The cut fell before Open had made the new log directory durable; nothing was
		// acknowledged, so nothing may be missed. The next round starts the log afresh.
		clear(wl.submitted)
		return nil
	}
	if err != nil {
		return fmt.Errorf("verify before recovery: %w", err)
	}
	opts.fs, opts.Logger = img.snapshot(), slog.New(slog.DiscardHandler)
	l, err := Open("/db/log", &opts)
	if err != nil {
		return fmt.Errorf("recovery: %w", err)
	}
	defer l.Close()
	head, _ := l.Head()
	if head != rep.HeadSeq {
		return fmt.Errorf("recovered head %d, VerifyDir said %d", head, rep.HeadSeq)
	}
	if head < wl.acked && !lossy {
		return fmt.Errorf("acknowledged seq %d lost: recovered head is %d", wl.acked, head)
	}
	err = l.Scan(0, 0, func(r Record) error {
		if want, ok := wl.submitted[r.Seq]; ok && !bytes.Equal(want, r.Payload) {
			return fmt.Errorf("seq %d holds %q, submitted %q", r.Seq, r.Payload, want)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for seq := range wl.submitted {
		if seq > head {
			delete(wl.submitted, seq) // lost unacknowledged; the seq will be given again
		}
	}
	wl.acked = min(wl.acked, head)
	return nil
}

func TestPowerCut(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	small := Options{SegmentSize: 16 << 10, Preallocate: 4 << 10}
	tests := []struct {
		name string
		cfg  powerCutConfig
	}{
		{"unsynced writes lost", powerCutConfig{opts: small, rounds: 300, maxOps: 300}},
		{"unsynced writes torn", powerCutConfig{opts: small, tornWrites: true, rounds: 300, maxOps: 300}},
		{"default segments", powerCutConfig{opts: Options{}, tornWrites: true, rounds: 30, maxOps: 200}},
		{"interval durability", powerCutConfig{opts: Options{Durability: DurabilityInterval, SyncInterval: time.Millisecond,
			SegmentSize: 16 << 10, Preallocate: 4 << 10}, tornWrites: true, rounds: 150, maxOps: 300, lossy: true}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() || raceEnabled {
				tt.cfg.rounds /= 4
			}
			require.NoError(t, runPowerCuts(t, tt.cfg, seed+uint64(i), nil))
		})
	}
}

// TestPowerCutCatchesMissingSync proves the power cut test would catch a missing fsync: with
// file syncs, or directory syncs after Open, silently skipped, some round must lose an
// acknowledged commit.
func TestPowerCutCatchesMissingSync(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	cfg := powerCutConfig{opts: Options{SegmentSize: 4 << 10, Preallocate: 1 << 10}, rounds: 20, maxOps: 300}
	tests := []struct {
		name    string
		prepare func(m *memFS)
	}{
		{"fdatasync skipped", func(m *memFS) { m.mu.Lock(); m.skipFileSync = true; m.mu.Unlock() }},
		{"directory sync skipped", func(m *memFS) { m.mu.Lock(); m.skipDirSync = true; m.mu.Unlock() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := runPowerCuts(t, cfg, seed, tt.prepare)
			require.Error(t, err, "the test must notice the missing sync")
			t.Logf("caught: %v", err)
		})
	}
}
