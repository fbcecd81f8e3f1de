package e2e

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/cmd/web"
)

func TestAuth(t *testing.T) {
	s := start(t, web.Options{Token: "w-secret", ReadToken: "r-secret"})
	code, hdr, _ := s.do("POST", "/v1/sql", `{"sql": "SELECT 1"}`)
	assert.Equal(t, 401, code)
	assert.Contains(t, hdr.Get("WWW-Authenticate"), "Bearer")
	code, _, _ = s.do("GET", "/v1/tables", nil, "Authorization", "Bearer wrong")
	assert.Equal(t, 401, code)
	code, _, _ = s.do("GET", "/healthz", nil)
	assert.Equal(t, 200, code, "health checks need no token")

	s.tok = "w-secret"
	s.sql("CREATE TABLE t (id integer PRIMARY KEY)")
	s.sql("INSERT INTO t VALUES (1)")

	s.tok = "r-secret"
	assert.Equal(t, []any{[]any{float64(1)}}, s.sql("SELECT count(*) FROM t")["rows"], "the read token may query")
	s.json(200, "GET", "/v1/tables/t/rows/1", nil)
	w := s.watch("from=1")
	assert.NotNil(t, w.next(t), "and watch events")
	w.close()
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/v1/sql", `{"sql": "INSERT INTO t VALUES (2)"}`},
		{"POST", "/v1/sql", `{"sql": "SELECT 1; DELETE FROM t"}`},
		{"POST", "/v1/tables/t/rows", `{"id": 3}`},
		{"DELETE", "/v1/tables/t/rows/1", ``},
		{"POST", "/v1/admin/snapshot", ``},
	} {
		code, _, data := s.do(c.method, c.path, c.body)
		assert.Equal(t, 403, code, "%s %s: %s", c.method, c.path, data)
	}
	s.tok = "w-secret"
	assert.Equal(t, []any{[]any{float64(1)}}, s.sql("SELECT count(*) FROM t")["rows"], "the read token wrote nothing")
}

func TestCheckBind(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:8080": true, "localhost:80": true, "[::1]:8080": true,
		"0.0.0.0:8080": false, ":8080": false, "192.168.1.2:80": false} {
		err := web.CheckBind(addr, "")
		assert.Equal(t, ok, err == nil, "%s: %v", addr, err)
		assert.NoError(t, web.CheckBind(addr, "tok"), "any address with a token")
	}
}

func TestBodyLimit(t *testing.T) {
	s := start(t, web.Options{MaxBody: 1024})
	s.sql("CREATE TABLE t (id integer PRIMARY KEY, v text)")
	big := `{"sql": "SELECT $1", "params": ["` + strings.Repeat("x", 2000) + `"]}`
	e := s.json(413, "POST", "/v1/sql", big)
	assert.Equal(t, "request_too_large", errCode(t, e))
	// Without a Content-Length (chunked), the limit holds while reading.
	req, _ := http.NewRequest("POST", s.url+"/v1/tables/t/rows", strings.NewReader(`{"id": 1, "v": "`+strings.Repeat("y", 2000)+`"}`))
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 413, resp.StatusCode)
	s.json(404, "GET", "/v1/tables/t/rows/1", nil)
}

// slowSQL takes minutes unless cancelled: a three-way cross join of 1010 rows.
const slowSQL = "SELECT count(*) FROM n a, n b, n c"

func slowTable(s *server) {
	s.sql("CREATE TABLE n (i integer)")
	s.sql("INSERT INTO n VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10)")
	s.sql("INSERT INTO n SELECT a.i FROM n a, n b, n c")
}

func TestStatementTimeout(t *testing.T) {
	s := start(t, web.Options{StatementTimeout: 100 * time.Millisecond})
	slowTable(s)
	start := time.Now()
	e := s.json(504, "POST", "/v1/sql", map[string]any{"sql": slowSQL})
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, "57014", errCode(t, e))
	assert.Equal(t, "canceling statement due to statement timeout", e["error"].(map[string]any)["message"])
}

// A client that disconnects cancels its query: the server stops working on it at once.
func TestClientDisconnectCancels(t *testing.T) {
	s := start(t, web.Options{})
	slowTable(s)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", s.url+"/v1/sql", strings.NewReader(`{"sql": "`+slowSQL+`"}`))
	_, err := http.DefaultClient.Do(req)
	require.Error(t, err)
	inFlight := regexp.MustCompile(`(?m)^eventsql_http_requests_in_flight (\d+)`)
	require.Eventually(t, func() bool {
		_, _, data := s.do("GET", "/metrics", nil)
		m := inFlight.FindStringSubmatch(string(data))
		return m != nil && m[1] == "1" // only this /metrics request
	}, 5*time.Second, 20*time.Millisecond, "the abandoned query stopped")
}

func TestMetricsAndAdmin(t *testing.T) {
	s := start(t, web.Options{})
	s.sql("CREATE TABLE t (id integer)")
	s.sql("INSERT INTO t VALUES (1), (2)")
	s.sql("SELECT * FROM t")
	snap := s.json(200, "POST", "/v1/admin/snapshot", nil)
	assert.Equal(t, float64(3), snap["seq"])
	v := s.json(200, "GET", "/v1/admin/verify", nil)
	seq, hash := s.db.Head()
	assert.Equal(t, true, v["ok"])
	assert.Equal(t, float64(seq), v["head_seq"])
	assert.Equal(t, hash, v["head_hash"])

	code, _, data := s.do("GET", "/metrics", nil)
	require.Equal(t, 200, code)
	text := string(data)
	for _, want := range []string{
		"eventsql_events_total 3", "eventsql_head_seq 3", "eventsql_commits_total 2",
		`eventsql_query_duration_seconds_count{kind="select",outcome="ok"} 1`,
		`eventsql_query_duration_seconds_count{kind="insert",outcome="ok"} 1`,
		`eventsql_http_request_duration_seconds_count{route="/v1/sql",status="200"} 3`,
		"eventsql_watchers 0", "eventsql_snapshot_duration_seconds_count 1", "eventsql_log_bytes ",
		"eventsql_commit_duration_seconds_count 2", "eventsql_group_commit_transactions_count ",
		"eventsql_log_write_duration_seconds_count ",
	} {
		assert.Contains(t, text, want)
	}
}

// The real binary: it refuses an open bind without a token, logs JSON with --log-format json,
// and on SIGTERM finishes, snapshots and exits 0.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "eventsql")
	build := exec.Command("go", "build", "-o", bin, "../..")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	data := t.TempDir()
	cmd := exec.Command(bin, "--web", "--addr", "0.0.0.0:0", "--data", data)
	out, err = cmd.CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "refusing to listen on a non-loopback address without --token")

	port := freePort(t)
	cmd = exec.Command(bin, "--web", "--addr", "127.0.0.1:"+port, "--data", data, "--log-format", "json", "--durability", "off")
	var logs strings.Builder
	cmd.Stderr = &logs
	require.NoError(t, cmd.Start())
	url := "http://127.0.0.1:" + port
	require.Eventually(t, func() bool {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	}, 10*time.Second, 20*time.Millisecond)
	resp, err := http.Post(url+"/v1/sql", "application/json", strings.NewReader(`{"sql": "CREATE TABLE t (i integer)"}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), logs.String())
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		assert.True(t, strings.HasPrefix(line, "{"), "a JSON log line: %s", line)
	}
	assert.Contains(t, logs.String(), `"msg":"request","method":"POST","path":"/v1/sql","status":200`)
	snaps, _ := os.ReadDir(filepath.Join(data, "snapshots"))
	assert.NotEmpty(t, snaps, "closing snapshots the database")

	// Offline backup and restore.
	file := filepath.Join(t.TempDir(), "b.tar")
	out, err = exec.Command(bin, "backup", "--data", data, "--out", file).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "backup: ok: head seq 1, hash ")
	restored := filepath.Join(t.TempDir(), "r")
	out, err = exec.Command(bin, "restore", "--from", file, "--data", restored).CombinedOutput()
	require.NoError(t, err, string(out))
	out2, err := exec.Command(bin, "verify", "--data", restored).CombinedOutput()
	require.NoError(t, err, string(out2))
	_, hash, _ := strings.Cut(strings.TrimSpace(string(out)), "hash ")
	assert.Contains(t, string(out2), "head seq 1, hash "+hash)
}

func freePort(t *testing.T) string {
	t.Helper()
	s := start(t, web.Options{}) // borrow a free port number from a server we then stop
	_, port, _ := strings.Cut(strings.TrimPrefix(s.url, "http://"), ":")
	require.NoError(t, s.stop())
	_, err := strconv.Atoi(port)
	require.NoError(t, err)
	return port
}
