package conformance

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	updateKnown = flag.Bool("update-known", false, "rewrite known_failures.txt from this run's failures")
	timeout     = flag.Duration("slt-timeout", 20*time.Second, "time limit for one record")
	showMax     = flag.Int("slt-show", 10, "unlisted failures shown in full per file")
	slow        = flag.Duration("slt-slow", 0, "log the records that take longer than this")
)

// knownFile is the allow-list, beside this file.
const knownFile = "known_failures.txt"

// deadlineMargin is how long before go test's deadline the corpus run stops.
const deadlineMargin = 30 * time.Second

// defaultCorpus is the corpus relative to this package: ../shared/sqllogictest from the
// repository root.
const defaultCorpus = "../../../shared/sqllogictest"

// summary collects the files' results for the report TestMain prints.
var summary struct {
	sync.Mutex
	started bool
	results []*FileResult
	base    map[string]Baseline
}

// TestMain prints the summary after all tests, whether they passed or not, ending with the
// line "N passed, M failed" (records).
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	summary.Lock()
	if summary.started {
		if len(summary.results) > 0 {
			fmt.Print(Table(summary.results, summary.base))
		}
		t := Sum(summary.results)
		fmt.Printf("%d files, %d records, %d skipped\n", t.Files, t.Records, t.Skipped)
		fmt.Println(t.Passed, "passed,", t.Failed, "failed") // N passed, M failed
	}
	summary.Unlock()
	os.Exit(code)
}

// TestCorpus runs every .test file of the corpus, one parallel subtest per file, and fails on
// every failing record that known_failures.txt does not list.
func TestCorpus(t *testing.T) {
	summary.Lock()
	summary.started = true
	summary.Unlock()
	dir := corpusDir(t)
	files := corpusFiles(t, dir)
	known, err := LoadKnown(knownFile)
	require.NoError(t, err)
	base := loadBaseline(t, dir)
	summary.Lock()
	summary.base = base
	summary.Unlock()

	// Stop short of go test's -timeout, which would kill the binary before TestMain can
	// print the summary: records still to run then are failures "not run: stopped: ...".
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadlineCause(ctx, d.Add(-deadlineMargin),
			errors.New("the go test -timeout is near"))
		defer cancel()
	}

	t.Run("file", func(t *testing.T) {
		for _, rel := range files {
			t.Run(rel, func(t *testing.T) {
				t.Parallel()
				res, err := RunFile(ctx, filepath.Join(dir, filepath.FromSlash(rel)), rel, t.TempDir(), Options{Timeout: *timeout, Slow: *slow})
				require.NoError(t, err)
				summary.Lock()
				summary.results = append(summary.results, res)
				summary.Unlock()
				checkFile(t, res, known)
			})
		}
	})

	if *updateKnown {
		summary.Lock()
		for _, res := range summary.results {
			if res.Aborted != "" {
				summary.Unlock()
				t.Fatalf("not rewriting %s: %s was not run to its end", knownFile, res.Path)
			}
		}
		next := Known{}
		ran := map[string]bool{}
		for _, res := range summary.results {
			ran[res.Path] = true
			for _, f := range res.Failures {
				next.Add(res.Path, f.Line, f.Reason)
			}
		}
		summary.Unlock()
		// Files this run did not reach (-run filtered them out) keep their entries.
		for file, lines := range known {
			if !ran[file] {
				next[file] = lines
			}
		}
		require.NoError(t, SaveKnown(knownFile, next))
		t.Logf("wrote %s: %d records in %d files", knownFile, next.Len(), len(next))
	}
}

// checkFile logs a file's figures and fails the test for every failure not in known.
func checkFile(t *testing.T, res *FileResult, known Known) {
	t.Helper()
	var unlisted []Failure
	failed := map[int]bool{}
	for _, f := range res.Failures {
		failed[f.Line] = true
		if !known.Has(res.Path, f.Line) {
			unlisted = append(unlisted, f)
		}
	}
	nowPass := 0
	for line := range known[res.Path] {
		if !failed[line] {
			nowPass++
		}
	}
	t.Logf("%d records: %d passed, %d failed (%d not in %s), %d skipped; %.1fs",
		res.Records, res.Passed, res.Failed(), len(unlisted), knownFile, res.Skipped, res.Elapsed.Seconds())
	if nowPass > 0 {
		t.Logf("%d records listed in %s now pass: run with -update-known to drop them", nowPass, knownFile)
	}
	for _, s := range res.Slow {
		t.Logf("slow: %s:%d took %.2fs", res.Path, s.Line, s.Elapsed.Seconds())
	}
	if res.Aborted != "" {
		t.Errorf("file abandoned: %s", res.Aborted)
	}
	if *updateKnown || len(unlisted) == 0 {
		return
	}
	var b strings.Builder
	for i, f := range unlisted {
		if i == *showMax {
			fmt.Fprintf(&b, "... and %d more\n", len(unlisted)-i)
			break
		}
		fmt.Fprintf(&b, "%s:%d: %s\n  %s\n", res.Path, f.Line, f.Reason, strings.ReplaceAll(f.SQL, "\n", "\n  "))
		if f.Detail != "" {
			fmt.Fprintf(&b, "%s\n", f.Detail)
		}
	}
	t.Errorf("%d failing records are not in %s (fix them, or run with -update-known):\n%s",
		len(unlisted), knownFile, b.String())
}

// corpusDir returns the corpus directory: $EVENTSQL_SLT_DIR or the default beside the
// repository. A missing corpus skips the test, except under CI where it is a failure.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("EVENTSQL_SLT_DIR")
	if dir == "" {
		dir = defaultCorpus
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		msg := fmt.Sprintf("sqllogictest corpus not found at %s (set EVENTSQL_SLT_DIR)", dir)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	// WalkDir does not follow a symbolic link at the root.
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return dir
}

// corpusFiles lists the .test files below dir as slash-separated relative paths, biggest
// first: the parallel subtests start roughly in this order, and starting the long files first
// keeps both cores busy until the end.
func corpusFiles(t *testing.T, dir string) []string {
	t.Helper()
	type file struct {
		rel  string
		size int64
	}
	var files []file
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".test") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		files = append(files, file{filepath.ToSlash(rel), info.Size()})
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, files, "no .test files in %s", dir)
	slices.SortFunc(files, func(a, b file) int {
		if a.size != b.size {
			return int(b.size - a.size)
		}
		return strings.Compare(a.rel, b.rel)
	})
	rels := make([]string, len(files))
	for i, f := range files {
		rels[i] = f.rel
	}
	return rels
}

// loadBaseline reads PostgreSQL's per-file figures from the corpus README, if it has them.
func loadBaseline(t *testing.T, dir string) map[string]Baseline {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Logf("no PostgreSQL baseline: %v", err)
		return nil
	}
	defer f.Close()
	base, err := ReadBaseline(f)
	require.NoError(t, err)
	return base
}
