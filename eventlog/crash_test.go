package eventlog

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crashEnv switches the test binary into the crash child: it commits to the log in the
// directory named by the variable until it is killed.
const crashEnv = "EVENTLOG_CRASH_CHILD_DIR"

// crashSegmentSize keeps segments small in the crash test, so kills also land around rotations.
const crashSegmentSize = 256 << 10

// crashAck is one acknowledged batch as the child reports it.
type crashAck struct {
	first, last uint64
	crc         uint32 // of the batch's payloads, concatenated
}

// TestCrash kills a committing process at random moments with SIGKILL, many times over the same
// directory, and checks after each kill that every batch it acknowledged survived whole with its
// payloads, that the log reopens (repairing a torn tail if the kill landed mid write), and that
// the chain verifies. The child is this test binary, re-executed, with several goroutines
// committing through Submit/Wait with real fdatasync. It runs for about 15 s, 10 s under the race
// detector (EVENTLOG_CRASH_SECONDS to change).
func TestCrash(t *testing.T) {
	if dir := os.Getenv(crashEnv); dir != "" {
		crashChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	budget := 15 * time.Second
	if raceEnabled {
		budget = 10 * time.Second
	}
	if s, err := strconv.Atoi(os.Getenv("EVENTLOG_CRASH_SECONDS")); err == nil {
		budget = time.Duration(s) * time.Second
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	dir := t.TempDir()
	acks := map[uint64]crashAck{} // by first seq; later rounds may reuse seqs of lost unacked batches
	var rounds, repaired int
	for start := time.Now(); time.Since(start) < budget || rounds < 3; rounds++ {
		for _, a := range crashRound(t, dir, time.Duration(rng.IntN(200))*time.Millisecond) {
			acks[a.first] = a
		}
		rec := &logRecorder{}
		l, err := Open(dir, &Options{NoSync: true, SegmentSize: crashSegmentSize, Logger: slog.New(rec)})
		require.NoError(t, err, "round %d", rounds)
		if len(rec.msgs) > 0 {
			repaired++
			t.Logf("round %d: recovery: %v", rounds, rec.msgs)
		}
		checkCrashAcks(t, l, acks)
		_, err = l.Verify()
		require.NoError(t, err)
		require.NoError(t, l.Close())
	}
	head := uint64(0)
	for _, a := range acks {
		head = max(head, a.last)
	}
	t.Logf("%d rounds, %d with a repaired tail, %d batches acknowledged, last seq %d", rounds, repaired, len(acks), head)
}

// checkCrashAcks checks every acknowledged batch is in l, whole, as one transaction.
func checkCrashAcks(t *testing.T, l *Log, acks map[uint64]crashAck) {
	t.Helper()
	head, _ := l.Head()
	for _, a := range acks {
		require.LessOrEqual(t, a.last, head, "acknowledged batch %d..%d lost", a.first, a.last)
		var crc uint32
		var tx uint64
		require.NoError(t, l.Scan(a.first, a.last, func(r Record) error {
			if r.Seq == a.first {
				tx = r.TxID
			}
			require.Equal(t, tx, r.TxID, "seq %d", r.Seq)
			require.Equal(t, r.Seq == a.last, r.Commit(), "seq %d", r.Seq)
			crc = crc32.Update(crc, crcTable, r.Payload)
			return nil
		}))
		require.Equal(t, a.crc, crc, "payloads of batch %d..%d", a.first, a.last)
	}
}

// crashRound runs a child until its first acknowledgement, lets it run for d more, kills it,
// and returns the batches it acknowledged.
func crashRound(t *testing.T, dir string, d time.Duration) []crashAck {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrash$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan crashAck, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var a crashAck
			if _, err := fmt.Sscanf(sc.Text(), "ack %d %d %d", &a.first, &a.last, &a.crc); err == nil {
				lines <- a
			}
		}
	}()
	var acks []crashAck
	select {
	case a, ok := <-lines:
		if ok {
			acks = append(acks, a)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child acknowledged nothing")
	}
	time.Sleep(d)
	require.NoError(t, cmd.Process.Kill()) // SIGKILL: no deferred code, no flush
	for a := range lines {
		acks = append(acks, a)
	}
	assert.Error(t, cmd.Wait(), "the child was killed")
	return acks
}

// crashChild commits batches of assorted sizes from four goroutines, some batches large enough
// that a kill can land inside the write, and prints each acknowledged batch. It gives up after
// ten seconds.
func crashChild(t *testing.T, dir string) {
	l, err := Open(dir, &Options{SegmentSize: crashSegmentSize, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	var out sync.Mutex
	var wg sync.WaitGroup
	deadline := time.Now().Add(10 * time.Second)
	for g := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(g)))
			for i := 0; time.Now().Before(deadline); i++ {
				n := 1 + rng.IntN(8)
				if rng.IntN(8) == 0 {
					n = 1000 // about 90 KB: a multi-page write
				}
				entries := make([]Entry, n)
				var crc uint32
				for j := range entries {
					entries[j] = Entry{Type: TypeRowInserted, Payload: fmt.Appendf(nil, "g%d-i%d-j%d-%x", g, i, j, rng.Uint64())}
					crc = crc32.Update(crc, crcTable, entries[j].Payload)
				}
				res, err := l.Append(entries) // Submit + Wait
				if err != nil {
					t.Error(err)
					return
				}
				out.Lock() // one write per line: printed means acknowledged
				fmt.Fprintf(os.Stdout, "ack %d %d %d\n", res.FirstSeq, res.LastSeq, crc)
				out.Unlock()
			}
		})
	}
	wg.Wait()
}
