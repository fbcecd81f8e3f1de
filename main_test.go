package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestScriptAndCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "CREATE TABLE t (id INTEGER PRIMARY KEY);\nINSERT INTO t VALUES (1), (2);\n", "--data", dir)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "CREATE TABLE\nINSERT 0 2\n", out)

	code, out, _ = runCmd(t, "", "--data", dir, "-c", "SELECT count(*) FROM t")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "     2\n(1 row)")

	code, _, errOut = runCmd(t, "SELECT 1;\nSELECT * FROM nope;\nINSERT INTO t VALUES (3);\n", "--data", dir)
	assert.Equal(t, 1, code, "a script stops with status 1 at its first error")
	assert.Contains(t, errOut, `relation "nope" does not exist`)
	_, out, _ = runCmd(t, "", "--data", dir, "-c", "SELECT count(*) FROM t")
	assert.Contains(t, out, "     2\n", "the statement after the error did not run")

	code, out, _ = runCmd(t, "", "--data", dir, "-c", "INSERT INTO t VALUES (5)", "-c", "SELECT * FROM nope", "-c", "INSERT INTO t VALUES (6)")
	assert.Equal(t, 1, code, "several -c run in order and stop at the first error, as psql's do")
	assert.Equal(t, "INSERT 0 1\n", out)
	_, out, _ = runCmd(t, "", "--data", dir, "-c", "SELECT max(id) FROM t")
	assert.Contains(t, out, "  5\n")

	code, _, errOut = runCmd(t, "", "--data", dir, "--durability", "sometimes")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--durability")
}

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runCmd(t, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\nINSERT INTO t VALUES (1, 'aaaaaaaaaaaa'), (2, 'bbbbbbbbbbbb');\nINSERT INTO t VALUES (3, 'c');\n", "--data", dir)
	require.Equal(t, 0, code, errOut)

	code, out, errOut := runCmd(t, "", "verify", "--data", dir)
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `verify: ok: 4 events, \d+ bytes checked; head seq 4, hash [0-9a-f]{64}`, out)

	// Flip one byte inside the second record's payload: verify and open both name the place.
	segs, err := filepath.Glob(filepath.Join(dir, "log", "*.log"))
	require.NoError(t, err)
	require.NotEmpty(t, segs)
	data, err := os.ReadFile(segs[0])
	require.NoError(t, err)
	i := bytes.Index(data, []byte("aaaaaaaaaaaa"))
	require.Positive(t, i)
	data[i] ^= 0x01
	require.NoError(t, os.WriteFile(segs[0], data, 0o644))

	code, _, errOut = runCmd(t, "", "verify", "--data", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "verify: FAILED")
	assert.Contains(t, errOut, filepath.Base(segs[0]))
	assert.Regexp(t, `seq 2`, errOut)

	code, _, errOut = runCmd(t, "", "--data", dir, "-c", "SELECT 1")
	assert.Equal(t, 1, code, "a damaged log is refused, not served")
	assert.Contains(t, errOut, filepath.Base(segs[0]))
}
