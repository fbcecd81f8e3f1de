package eventlog

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// The commit benchmarks: durable commits of one small event, through the log with 1, 16 and 64
// concurrent committers, next to two baselines measured the same way on the same file system:
// the raw loop (write 200 bytes, fdatasync, repeat: the best one committer can do) and an
// idealized group commit (one writer drains whatever N goroutines queued, one write and one
// fdatasync per group: the best a group commit can do). Each baseline runs on a growing file,
// as a naive log would, and on a pre-zeroed one, as this log does (see writer.go). Run with
//
//	go test -run '^$' -bench 'Commit|RawSync|IdealGroup' -benchtime 2s -count 5 ./eventlog

const benchEventSize = 200

// runCommitters runs b.N operations spread over n goroutines and reports commits/s.
func runCommitters(b *testing.B, n int, op func() error) {
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if err := op(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

// BenchmarkCommit: Append (Submit + Wait) of one 200-byte event, DurabilityAlways.
func BenchmarkCommit(b *testing.B) {
	for _, n := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("committers=%d", n), func(b *testing.B) {
			l := openLog(b, b.TempDir(), &Options{})
			entries := []Entry{{Type: TypeRowInserted, Payload: make([]byte, benchEventSize)}}
			runCommitters(b, n, func() error {
				_, err := l.Append(entries)
				return err
			})
			require.NoError(b, l.Close()) // the writer's counters are ours after Close
			b.ReportMetric(float64(l.w.batches)/float64(l.w.groups), "batches/write")
		})
	}
}

// benchFile opens a file for a baseline: growing (empty) or pre-zeroed (64 MiB written and
// synced).
func benchFile(b *testing.B, prezeroed bool) *os.File {
	f, err := os.OpenFile(filepath.Join(b.TempDir(), "raw"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	if prezeroed {
		for off := int64(0); off < 64<<20; off += int64(len(zeros)) {
			if _, err := f.WriteAt(zeros, off); err != nil {
				b.Fatal(err)
			}
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
	return f
}

// writeSync is one baseline commit: write buf at off (wrapping in the pre-zeroed file) and
// fdatasync.
func writeSync(f *os.File, buf []byte, off int64, prezeroed bool) error {
	if prezeroed {
		off %= 64<<20 - int64(len(buf))
	}
	if _, err := f.WriteAt(buf, off); err != nil {
		return err
	}
	return syscall.Fdatasync(int(f.Fd()))
}

// BenchmarkRawSync is the raw loop: one 200-byte write and one fdatasync per commit.
func BenchmarkRawSync(b *testing.B) {
	for _, prezeroed := range []bool{false, true} {
		b.Run(fmt.Sprintf("prezeroed=%v", prezeroed), func(b *testing.B) {
			f := benchFile(b, prezeroed)
			buf := make([]byte, benchEventSize)
			var off int64
			b.ReportAllocs()
			for b.Loop() {
				if err := writeSync(f, buf, off, prezeroed); err != nil {
					b.Fatal(err)
				}
				off += benchEventSize
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
	}
}

// idealGroup is the idealized group commit: committers append 200 bytes to a shared buffer and
// wait; one writer swaps the buffer out, writes it with one call, fdatasyncs, and wakes them.
type idealGroup struct {
	mu             sync.Mutex
	queued, done   sync.Cond
	buf, spare     []byte
	gen, doneGen   uint64 // the group being filled; the last group synced (groups count from 1)
	f              *os.File
	off            int64
	prezeroed, end bool
	yield          bool // yield once after each group, as the log's writer does
	err            error
	groups, recs   int
}

func (g *idealGroup) commit(rec []byte) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.buf = append(g.buf, rec...)
	gen := g.gen
	g.queued.Signal()
	for g.doneGen < gen && g.err == nil {
		g.done.Wait()
	}
	return g.err
}

func (g *idealGroup) run() {
	for {
		g.mu.Lock()
		for len(g.buf) == 0 && !g.end {
			g.queued.Wait()
		}
		if g.end {
			g.mu.Unlock()
			return
		}
		buf, gen := g.buf, g.gen
		g.buf, g.spare = g.spare[:0], nil
		g.gen++
		g.groups++
		g.recs += len(buf) / benchEventSize
		g.mu.Unlock()
		err := writeSync(g.f, buf, g.off, g.prezeroed)
		g.off += int64(len(buf))
		g.mu.Lock()
		g.spare, g.doneGen, g.err = buf, gen, err
		g.done.Broadcast()
		g.mu.Unlock()
		if g.yield {
			runtime.Gosched()
		}
	}
}

// BenchmarkIdealGroup is the idealized group commit with 16 and 64 committers; yield=true adds
// the log writer's one trick (runtime.Gosched after waking a group) to it.
func BenchmarkIdealGroup(b *testing.B) {
	for _, v := range []struct{ prezeroed, yield bool }{{false, false}, {true, false}, {true, true}} {
		for _, n := range []int{16, 64} {
			b.Run(fmt.Sprintf("prezeroed=%v/yield=%v/committers=%d", v.prezeroed, v.yield, n), func(b *testing.B) {
				g := &idealGroup{f: benchFile(b, v.prezeroed), prezeroed: v.prezeroed, yield: v.yield, gen: 1}
				g.queued.L, g.done.L = &g.mu, &g.mu
				go g.run()
				rec := make([]byte, benchEventSize)
				runCommitters(b, n, func() error { return g.commit(rec) })
				g.mu.Lock()
				g.end = true
				g.queued.Signal()
				b.ReportMetric(float64(g.recs)/float64(g.groups), "batches/write")
				g.mu.Unlock()
			})
		}
	}
}

// BenchmarkVerifyOneCore is BenchmarkVerify with the hash checks on one core.
func BenchmarkVerifyOneCore(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	BenchmarkVerify(b)
}

// BenchmarkOpen opens a log of 200,000 records with 100-byte payloads in 4 MiB segments:
// "index" checks the sealed segments by their .idx files (the default), "full" re-verifies every
// record, as Open would with no index files (and as VerifyDir always does).
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	l, err := Open(dir, &Options{NoSync: true, SegmentSize: 4 << 20})
	require.NoError(b, err)
	batch := make([]Entry, 10)
	for i := range batch {
		batch[i] = Entry{Type: TypeRowInserted, Payload: make([]byte, 100)}
	}
	for range 20_000 {
		_, err := l.Append(batch)
		require.NoError(b, err)
	}
	require.NoError(b, l.Close())
	rep, err := VerifyDir(dir)
	require.NoError(b, err)
	b.Run("index", func(b *testing.B) {
		b.SetBytes(rep.Bytes)
		for b.Loop() {
			l, err := Open(dir, &Options{NoSync: true, SegmentSize: 4 << 20})
			require.NoError(b, err)
			require.NoError(b, l.Close())
		}
	})
	b.Run("full", func(b *testing.B) {
		b.SetBytes(rep.Bytes)
		for b.Loop() {
			_, err := VerifyDir(dir)
			require.NoError(b, err)
		}
	})
}
