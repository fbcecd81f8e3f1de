package eventlog

import (
	"bufio"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crashEnv switches the test binary into the crash child: it appends to the log in the
// directory named by the variable until it is killed.
const crashEnv = "EVENTLOG_CRASH_CHILD_DIR"

// TestCrash kills a writing process at random moments with SIGKILL and checks that every batch
// it acknowledged survived, that the log reopens (repairing a torn tail if the kill landed mid
// write), and that the chain verifies. The child is this test binary, re-executed.
func TestCrash(t *testing.T) {
	if dir := os.Getenv(crashEnv); dir != "" {
		crashChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	dir := t.TempDir()
	var acked uint64
	for round := range 5 {
		acked = max(acked, crashRound(t, dir, time.Duration(10+rng.IntN(150))*time.Millisecond))

		rec := &logRecorder{}
		l, err := Open(dir, &Options{NoSync: true, Logger: slog.New(rec)})
		require.NoError(t, err, "round %d", round)
		for _, m := range rec.msgs {
			t.Logf("round %d: recovery: %v", round, m)
		}
		head, _ := l.Head()
		require.GreaterOrEqual(t, head, acked, "round %d: acknowledged seq lost", round)
		recs := scanAll(t, l)
		checkRecords(t, recs, int(head))
		_, err = l.Verify()
		require.NoError(t, err)
		require.NoError(t, l.Close())
		t.Logf("round %d: killed after ack %d, head %d", round, acked, head)
	}
}

// crashRound runs a child until its first acknowledgement, lets it run for d more, kills it,
// and returns the highest seq it acknowledged.
func crashRound(t *testing.T, dir string, d time.Duration) uint64 {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrash$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	acks := make(chan uint64, 1024)
	go func() {
		defer close(acks)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if seq, err := strconv.ParseUint(sc.Text(), 10, 64); err == nil {
				acks <- seq
			}
		}
	}()
	var last uint64
	select {
	case last = <-acks:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child acknowledged nothing")
	}
	time.Sleep(d)
	require.NoError(t, cmd.Process.Kill()) // SIGKILL: no deferred code, no flush
	for seq := range acks {
		last = seq
	}
	err = cmd.Wait()
	assert.Error(t, err, "the child was killed")
	return last
}

// crashChild appends batches of assorted sizes, some large enough that a kill can land inside
// the write, and prints each acknowledged LastSeq. It gives up after ten seconds.
func crashChild(t *testing.T, dir string) {
	l, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), 1))
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		seq, _ := l.Head()
		n := 1 + rng.IntN(8)
		if rng.IntN(4) == 0 {
			n = 2000 // about 170 KB: a multi-page write
		}
		entries := make([]Entry, n)
		for i := range entries {
			entries[i] = Entry{Type: TypeRowInserted, Payload: payloadFor(seq + 1 + uint64(i))}
		}
		res, err := l.Append(entries)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(os.Stdout, res.LastSeq) // os.Stdout is unbuffered: printed means acknowledged
	}
}
