package integration

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/database"
)

// The crash test runs a writer in a child process (this test binary, re-executed), which
// reports each acknowledged commit on stdout; the parent kills it with SIGKILL at a random
// moment, reopens the directory and checks that every acknowledged commit survived, that no
// transaction is partly visible and that the chain verifies. Snapshots are taken often so
// that recovery also goes through snapshot loading.

const crashChildEnv = "EVENTSQL_CRASH_CHILD_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	os.Exit(m.Run())
}

// crashChild writes until killed: autocommit inserts of single rows and transactions that
// insert a pair of rows (id, id+1) in two statements. It prints "ack N" after row N (or the
// pair starting at N) is committed.
func crashChild(dir string) {
	db, err := database.Open(dir, &database.Options{SnapshotEvery: 25})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	ctx := context.Background()
	if _, err := db.Exec(ctx, "CREATE TABLE IF NOT EXISTS c (id BIGINT PRIMARY KEY, pair BIGINT)"); err != nil {
		fmt.Println("create:", err)
		os.Exit(2)
	}
	res, err := db.Query(ctx, "SELECT coalesce(max(id), 0) FROM c")
	if err != nil {
		fmt.Println("max:", err)
		os.Exit(2)
	}
	next := res.Rows[0][0].Int() + 1
	sess := db.Session()
	for {
		if next%3 == 0 {
			_, err = sess.Exec(ctx, "BEGIN; INSERT INTO c VALUES ($1, $1); INSERT INTO c VALUES ($1 + 1, $1); COMMIT", next)
			if err != nil {
				fmt.Println("tx:", err)
				os.Exit(2)
			}
			fmt.Printf("ack %d\n", next)
			next += 2
			continue
		}
		if _, err := db.Exec(ctx, "INSERT INTO c VALUES ($1, NULL)", next); err != nil {
			fmt.Println("insert:", err)
			os.Exit(2)
		}
		fmt.Printf("ack %d\n", next)
		next++
	}
}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dir := t.TempDir()
	// The table exists before the first child starts, so a child killed before its first
	// statement still leaves something to check.
	db, err := database.Open(dir, nil)
	require.NoError(t, err)
	_, err = db.Exec(context.Background(), "CREATE TABLE c (id BIGINT PRIMARY KEY, pair BIGINT)")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	acked := map[int64]bool{}
	for round := 0; round < 6; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		deadline := time.After(time.Duration(100+rng.Intn(400)) * time.Millisecond)
	collect:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break collect
				}
				n, err := strconv.ParseInt(strings.TrimPrefix(l, "ack "), 10, 64)
				require.NoError(t, err, "child said: %s", l)
				acked[n] = true
			case <-deadline:
				require.NoError(t, cmd.Process.Kill()) // SIGKILL
				break collect
			}
		}
		for l := range lines { // acknowledgements written before the kill still count
			if n, err := strconv.ParseInt(strings.TrimPrefix(l, "ack "), 10, 64); err == nil {
				acked[n] = true
			}
		}
		_ = cmd.Wait()
		checkCrashState(t, dir, acked, round)
	}
	require.NotEmpty(t, acked, "the child never acknowledged a commit")
}

func checkCrashState(t *testing.T, dir string, acked map[int64]bool, round int) {
	t.Helper()
	db, err := database.Open(dir, &database.Options{NoSnapshots: true})
	require.NoError(t, err, "round %d: reopen after SIGKILL", round)
	defer db.Close()
	verifyRebuild(t, db)
	res, err := db.Query(context.Background(), "SELECT id, pair FROM c")
	require.NoError(t, err)
	present := map[int64]bool{}
	pairs := map[int64]int{}
	for _, r := range res.Rows {
		present[r[0].Int()] = true
		if !r[1].IsNull() {
			pairs[r[1].Int()]++
		}
	}
	for n := range acked {
		require.True(t, present[n], "round %d: acknowledged commit %d lost", round, n)
	}
	for first, count := range pairs {
		require.Equal(t, 2, count, "round %d: transaction starting at %d is partly visible", round, first)
	}
}
