package conformance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunFile(t *testing.T) {
	res, err := RunFile(context.Background(), "testdata/runner.test", "runner.test", t.TempDir(), Options{Timeout: time.Minute})
	require.NoError(t, err)
	assert.Equal(t, "runner.test", res.Path)
	assert.Equal(t, 12, res.Records, "statements and queries run")
	assert.Equal(t, 2, res.Skipped)
	assert.Equal(t, 7, res.Passed)
	assert.Empty(t, res.Aborted)

	var lines []int
	for _, f := range res.Failures {
		lines = append(lines, f.Line)
	}
	require.Equal(t, []int{15, 19, 34, 50, 84}, lines)
	assert.Equal(t, "statement succeeded, want an error", res.Failures[0].Reason)
	assert.Regexp(t, `^42601 `, res.Failures[1].Reason, "a syntax error carries its SQLSTATE")
	assert.Equal(t, "wrong result", res.Failures[2].Reason)
	assert.Equal(t, "wrong result: 1 columns, want 2", res.Failures[3].Reason)
	assert.Equal(t, "22012 division by zero", res.Failures[4].Reason)
	assert.Contains(t, res.Failures[2].Detail, "want:\n  1\n  2\n  4\ngot:\n  1\n  2\n  3")
}

func TestRunFileStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(context.DeadlineExceeded)
	res, err := RunFile(ctx, "testdata/runner.test", "runner.test", t.TempDir(), Options{})
	require.NoError(t, err)
	assert.Equal(t, 12, res.Records)
	assert.Zero(t, res.Passed)
	assert.Equal(t, "stopped: context deadline exceeded", res.Aborted)
	require.Len(t, res.Failures, 12)
	assert.Equal(t, "not run: stopped: context deadline exceeded", res.Failures[0].Reason)
}

func TestRunFileTimeout(t *testing.T) {
	var values []string
	for i := range 200 {
		values = append(values, fmt.Sprintf("(%d)", i))
	}
	script := "statement ok\nCREATE TABLE t(a INTEGER)\n\n" +
		"statement ok\nINSERT INTO t VALUES " + strings.Join(values, ", ") + "\n\n" +
		"query I\nSELECT count(*) FROM t AS x, t AS y, t AS z, t AS w\n----\n1600000000\n\n" +
		"query I\nSELECT count(*) FROM t\n----\n200\n"
	path := filepath.Join(t.TempDir(), "slow.test")
	require.NoError(t, os.WriteFile(path, []byte(script), 0o644))

	res, err := RunFile(context.Background(), path, "slow.test", t.TempDir(), Options{Timeout: 50 * time.Millisecond})
	require.NoError(t, err)
	require.Len(t, res.Failures, 1)
	assert.Equal(t, Failure{Line: 7, SQL: "SELECT count(*) FROM t AS x, t AS y, t AS z, t AS w", Reason: "timeout after 50ms"}, res.Failures[0])
	assert.Equal(t, 3, res.Passed, "the script goes on after a timeout")
}
