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
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/database"
)

// The crash test runs a workload in a child process (this test binary, re-executed): several
// goroutines commit autocommit inserts, two-table transactions, updates and deletes, and
// report each acknowledged commit on stdout. The parent kills the child with SIGKILL at a
// random moment, reopens the directory and checks that every acknowledged commit survived,
// that no transaction is partly visible, and that the chain verifies and the state rebuilt
// from the log alone equals the recovered one. Snapshots are taken often, so recovery also
// goes through snapshot loading. Many rounds run on the same directory.

const crashChildEnv = "EVENTSQL_CRASH_CHILD_DIR"

const crashSchema = `CREATE TABLE c (id BIGINT PRIMARY KEY, pair BIGINT, note TEXT);
	CREATE TABLE ledger (id BIGINT PRIMARY KEY, c_id BIGINT NOT NULL)`

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	os.Exit(m.Run())
}

// crashChild writes until killed. Each worker owns the ids congruent to it modulo workers and
// reports, one line per event: "ins N" (row N committed), "pair N" (rows N and N+1 and ledger
// row N committed in one transaction), "U N"/"upd N" (update of row N's note begun/committed),
// "D N"/"del N" (delete of row N begun/committed).
func crashChild(dir string) {
	db, err := database.Open(dir, &database.Options{SnapshotEvery: 40})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	res, err := db.Query(context.Background(), "SELECT coalesce(max(id), 0) FROM c")
	if err != nil {
		fmt.Println("max:", err)
		os.Exit(2)
	}
	const workers = 4
	start := res.Rows[0][0].Int() + 10
	var out sync.Mutex
	say := func(format string, args ...any) {
		out.Lock()
		fmt.Printf(format+"\n", args...)
		out.Unlock()
	}
	var wg sync.WaitGroup
	for w := int64(0); w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := crashWorker(db, start+w*2, workers*2, say); err != nil {
				say("error: %v", err)
				os.Exit(2)
			}
		}()
	}
	wg.Wait()
}

func crashWorker(db *database.DB, id, step int64, say func(string, ...any)) error {
	ctx := context.Background()
	sess := db.Session()
	var singles []int64 // this worker's committed single rows, candidates for update/delete
	for n := 0; ; n++ {
		switch {
		case n%4 == 1:
			if _, err := sess.Exec(ctx, `BEGIN; INSERT INTO c VALUES ($1, $1, NULL); INSERT INTO c VALUES ($1 + 1, $1, NULL);
				INSERT INTO ledger VALUES ($1, $1); COMMIT`, id); err != nil {
				return err
			}
			say("pair %d", id)
		case n%4 == 2 && len(singles) > 0:
			victim := singles[len(singles)-1]
			say("U %d", victim)
			if _, err := db.Exec(ctx, "UPDATE c SET note = 'updated' WHERE id = $1", victim); err != nil {
				return err
			}
			say("upd %d", victim)
		case n%4 == 3 && len(singles) > 1:
			victim := singles[0]
			singles = singles[1:]
			say("D %d", victim)
			if _, err := db.Exec(ctx, "DELETE FROM c WHERE id = $1", victim); err != nil {
				return err
			}
			say("del %d", victim)
		default:
			if _, err := db.Exec(ctx, "INSERT INTO c VALUES ($1, NULL, NULL)", id); err != nil {
				return err
			}
			say("ins %d", id)
			singles = append(singles, id)
		}
		id += step
	}
}

// crashFacts is what the parent learned from the children's reports.
type crashFacts struct {
	inserted, pairs, updated, deleted, deleting map[int64]bool
}

func (f *crashFacts) record(line string) error {
	word, num, ok := strings.Cut(line, " ")
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil {
		return fmt.Errorf("child said: %q", line)
	}
	switch word {
	case "ins":
		f.inserted[n] = true
	case "pair":
		f.pairs[n] = true
	case "upd":
		f.updated[n] = true
	case "D":
		f.deleting[n] = true
	case "del":
		f.deleted[n] = true
	case "U":
	default:
		return fmt.Errorf("child said: %q", line)
	}
	return nil
}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dir := t.TempDir()
	db, err := database.Open(dir, nil)
	require.NoError(t, err)
	_, err = db.Exec(context.Background(), crashSchema)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	f := &crashFacts{map[int64]bool{}, map[int64]bool{}, map[int64]bool{}, map[int64]bool{}, map[int64]bool{}}
	for round := 0; round < 8; round++ {
		runCrashChild(t, dir, time.Duration(100+rng.Intn(500))*time.Millisecond, f)
		checkCrashState(t, dir, f, round)
	}
	require.NotEmpty(t, f.inserted, "the children never acknowledged a commit")
	require.NotEmpty(t, f.pairs)
}

func runCrashChild(t *testing.T, dir string, after time.Duration, f *crashFacts) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan string, 4096)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// The kill comes at a random moment after the child's first report, not after its start:
	// on a loaded machine starting the test binary alone can take longer than the window.
	var deadline <-chan time.Time
	stuck := time.After(2 * time.Minute)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				t.Fatalf("the child exited by itself")
			}
			require.NoError(t, f.record(l))
			if deadline == nil {
				deadline = time.After(after)
			}
			continue
		case <-stuck:
			_ = cmd.Process.Kill()
			t.Fatalf("the child reported nothing for two minutes")
		case <-deadline:
			require.NoError(t, cmd.Process.Kill()) // SIGKILL
		}
		break
	}
	for l := range lines { // reports written before the kill still count
		require.NoError(t, f.record(l))
	}
	_ = cmd.Wait()
}

func checkCrashState(t *testing.T, dir string, f *crashFacts, round int) {
	t.Helper()
	db, err := database.Open(dir, &database.Options{NoSnapshots: true})
	require.NoError(t, err, "round %d: reopen after SIGKILL", round)
	defer db.Close()
	verifyRebuild(t, db)
	ctx := context.Background()
	res, err := db.Query(ctx, "SELECT id, pair, note FROM c")
	require.NoError(t, err)
	type row struct {
		pair int64
		note string
	}
	rows := map[int64]row{}
	pairCount := map[int64]int{}
	for _, r := range res.Rows {
		rows[r[0].Int()] = row{pair: r[1].Int(), note: r[2].Text()}
		if !r[1].IsNull() {
			pairCount[r[1].Int()]++
		}
	}
	ledger, err := db.Query(ctx, "SELECT id FROM ledger")
	require.NoError(t, err)
	inLedger := map[int64]bool{}
	for _, r := range ledger.Rows {
		inLedger[r[0].Int()] = true
	}
	for n := range f.inserted {
		_, present := rows[n]
		require.True(t, present || f.deleting[n], "round %d: acknowledged insert %d lost", round, n)
	}
	for n := range f.deleted {
		_, present := rows[n]
		require.False(t, present, "round %d: acknowledged delete of %d undone", round, n)
	}
	for n := range f.updated {
		if r, ok := rows[n]; ok {
			require.Equal(t, "updated", r.note, "round %d: acknowledged update of %d lost", round, n)
		}
	}
	for n := range f.pairs {
		require.Equal(t, 2, pairCount[n], "round %d: acknowledged transaction %d lost", round, n)
		require.True(t, inLedger[n], "round %d: acknowledged transaction %d lost its ledger row", round, n)
	}
	for first, count := range pairCount {
		require.Equal(t, 2, count, "round %d: transaction %d is partly visible", round, first)
		require.True(t, inLedger[first], "round %d: transaction %d is partly visible (no ledger row)", round, first)
	}
	require.Len(t, inLedger, len(pairCount), "round %d: ledger rows without their pair", round)
}
