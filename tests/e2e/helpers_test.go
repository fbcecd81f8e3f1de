package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/cmd/web"
	"github.com/eventsql/eventsql/database"
)

// server is a real HTTP server on a random loopback port over a fresh database.
type server struct {
	t    testing.TB
	url  string
	db   *database.DB
	stop func() error // shuts the server down and waits for Serve to return
	tok  string       // sent as the bearer token when set
}

// start opens a database in a temporary directory and serves it with opts until the test ends.
func start(t testing.TB, opts web.Options) *server {
	t.Helper()
	db, err := database.Open(t.TempDir(), &database.Options{NoSync: true})
	require.NoError(t, err)
	opts.Addr = "127.0.0.1:0"
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	ready := make(chan string, 1)
	opts.Ready = func(addr string) { ready <- addr }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- web.Serve(ctx, db, opts) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	}
	var once sync.Once
	var serveErr error
	s := &server{t: t, url: "http://" + addr, db: db}
	s.stop = func() error {
		once.Do(func() {
			cancel()
			serveErr = <-done
			require.NoError(t, db.Close())
		})
		return serveErr
	}
	t.Cleanup(func() { _ = s.stop() })
	return s
}

// do sends a request with a JSON (or raw string) body and returns the status, headers and body.
func (s *server) do(method, path string, body any, hdr ...string) (int, http.Header, []byte) {
	s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		require.NoError(s.t, err)
		rd = strings.NewReader(string(data))
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	require.NoError(s.t, err)
	if s.tok != "" {
		req.Header.Set("Authorization", "Bearer "+s.tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp.StatusCode, resp.Header, data
}

// json sends a request and decodes a JSON object answer, requiring the given status.
func (s *server) json(want int, method, path string, body any, hdr ...string) map[string]any {
	s.t.Helper()
	code, _, data := s.do(method, path, body, hdr...)
	require.Equal(s.t, want, code, "%s %s: %s", method, path, data)
	var out map[string]any
	require.NoError(s.t, json.Unmarshal(data, &out), string(data))
	return out
}

// sql runs statements through POST /v1/sql and requires success.
func (s *server) sql(text string, params ...any) map[string]any {
	s.t.Helper()
	if params == nil {
		params = []any{}
	}
	return s.json(200, "POST", "/v1/sql", map[string]any{"sql": text, "params": params})
}

func errCode(t testing.TB, body map[string]any) string {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	require.True(t, ok, "no error in %v", body)
	return e["code"].(string)
}

// watcher reads an /v1/events stream line by line.
type watcher struct {
	resp   *http.Response
	lines  chan map[string]any
	cancel context.CancelFunc
}

// watch opens /v1/events with the query; it requires 200.
func (s *server) watch(query string, hdr ...string) *watcher {
	s.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", s.url+"/v1/events?"+query, nil)
	require.NoError(s.t, err)
	if s.tok != "" {
		req.Header.Set("Authorization", "Bearer "+s.tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	require.Equal(s.t, 200, resp.StatusCode)
	w := &watcher{resp: resp, lines: make(chan map[string]any, 1024), cancel: cancel}
	go func() {
		defer close(w.lines)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				w.lines <- m
			}
		}
	}()
	return w
}

// next returns the next line, or nil when the stream ended; it fails after 10 s.
func (w *watcher) next(t testing.TB) map[string]any {
	t.Helper()
	select {
	case m := <-w.lines:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
		return nil
	}
}

func (w *watcher) close() {
	w.cancel()
	w.resp.Body.Close()
}

func seqOf(ev map[string]any) uint64 { return uint64(ev["seq"].(float64)) }
