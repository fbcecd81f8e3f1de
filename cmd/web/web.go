package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/eventsql/eventsql/database"
)

// Options configure the server. The zero value of each field means its default.
type Options struct {
	Addr string // listen address; default 127.0.0.1:8080
	// Token, when set, is required as "Authorization: Bearer <token>" on every request but
	// GET /healthz. ReadToken allows only reads: GET requests, the event feed, and POST
	// /v1/sql with read-only statements. A non-loopback Addr without Token is refused.
	Token, ReadToken string
	MaxBody          int64         // request body limit in bytes; default 8 MiB (413 beyond)
	StatementTimeout time.Duration // default 30 s (504 with SQLSTATE 57014 beyond)
	MaxWatchers      int           // concurrent /v1/events streams; default 64 (503 beyond)
	Heartbeat        time.Duration // the longest a following stream stays silent; default 15 s
	// MaxLag is how many events a following watcher may fall behind the head before its
	// stream ends with an error line saying where to resume; default 100000.
	MaxLag          uint64
	ShutdownTimeout time.Duration // how long in-flight requests get at shutdown; default 10 s
	Logger          *slog.Logger  // request and lifecycle logs; nil discards
	// Ready, if set, is called with the bound address once the server accepts connections
	// (useful with Addr "127.0.0.1:0").
	Ready func(addr string)
}

func (o Options) withDefaults() Options {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:8080"
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 8 << 20
	}
	if o.StatementTimeout <= 0 {
		o.StatementTimeout = 30 * time.Second
	}
	if o.MaxWatchers <= 0 {
		o.MaxWatchers = 64
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 15 * time.Second
	}
	if o.MaxLag == 0 {
		o.MaxLag = 100000
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// ErrInsecureBind is returned by Serve for a non-loopback address without a token.
var ErrInsecureBind = errors.New("web: refusing to listen on a non-loopback address without --token")

// Server is the HTTP API over one database.
type Server struct {
	db      *database.DB
	opts    Options
	log     *slog.Logger
	metrics *metrics
	// watchers holds a slot per open /v1/events stream: the cap on concurrent watchers.
	watchers chan struct{}
	// stopping is closed when shutdown begins, so that streams end instead of holding it up.
	stopping chan struct{}
	stopOnce sync.Once
}

// New returns a server for db. It does not listen: use Serve, or mount Handler yourself.
func New(db *database.DB, opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{db: db, opts: opts, log: opts.Logger,
		watchers: make(chan struct{}, opts.MaxWatchers), stopping: make(chan struct{})}
	s.metrics = newMetrics(s)
	return s
}

// Serve listens on opts.Addr and serves db until ctx is done, then shuts down gracefully: it
// stops accepting, ends event streams with a closing line, lets in-flight requests finish (up
// to opts.ShutdownTimeout) and returns. The caller closes db afterwards, which snapshots.
func Serve(ctx context.Context, db *database.DB, opts Options) error {
	s := New(db, opts)
	if err := CheckBind(s.opts.Addr, s.opts.Token); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w", s.opts.Addr, err)
	}
	return s.serve(ctx, ln)
}

func (s *Server) serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	srv.RegisterOnShutdown(s.stop)
	seq, hash := s.db.Head()
	s.log.Info("serving HTTP", "addr", ln.Addr().String(), "data", s.db.Dir(), "head_seq", seq, "head_hash", hash,
		"auth", s.opts.Token != "", "read_token", s.opts.ReadToken != "")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if s.opts.Ready != nil {
		s.opts.Ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing in-flight requests", "timeout", s.opts.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	s.log.Info("HTTP server stopped")
	return err
}

// stop tells streams to end; it runs when shutdown begins.
func (s *Server) stop() { s.stopOnce.Do(func() { close(s.stopping) }) }

// CheckBind returns ErrInsecureBind for a non-loopback listen address when token is empty.
func CheckBind(addr, token string) error {
	if token != "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("web: bad listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w (%s)", ErrInsecureBind, addr)
}

// Handler returns the API's handler with its middleware: request ids, logs, metrics, auth and
// body limits.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, access accessLevel, h http.HandlerFunc) {
		mux.Handle(pattern, s.authorize(access, h))
	}
	handle("GET /healthz", public, s.healthz)
	handle("GET /metrics", read, s.metrics.handler.ServeHTTP)
	handle("POST /v1/sql", sqlAccess, s.handleSQL)
	handle("GET /v1/tables", read, s.listTables)
	handle("GET /v1/tables/{table}", read, s.getTable)
	handle("GET /v1/tables/{table}/rows", read, s.listRows)
	handle("POST /v1/tables/{table}/rows", write, s.insertRows)
	handle("GET /v1/tables/{table}/rows/{key}", read, s.getRow)
	handle("PUT /v1/tables/{table}/rows/{key}", write, s.putRow)
	handle("PATCH /v1/tables/{table}/rows/{key}", write, s.patchRow)
	handle("DELETE /v1/tables/{table}/rows/{key}", write, s.deleteRow)
	handle("GET /v1/tables/{table}/rows/{key}/history", read, s.rowHistory)
	handle("GET /v1/events", read, s.events)
	handle("POST /v1/admin/snapshot", write, s.snapshot)
	handle("GET /v1/admin/verify", read, s.verify)
	handle("GET /v1/admin/backup", write, s.backup)
	return s.observe(s.limitBody(jsonMisses(mux)))
}

// jsonMisses answers requests that match no endpoint (404) or none for their method (405, with
// Allow) in the API's JSON error shape instead of ServeMux's plain text.
func jsonMisses(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(&missWriter{ResponseWriter: w, r: r}, r)
	})
}

// missWriter replaces ServeMux's plain-text error with a JSON one of the same status.
type missWriter struct {
	http.ResponseWriter
	r     *http.Request
	wrote bool
}

func (m *missWriter) WriteHeader(code int) {
	if m.wrote {
		return
	}
	m.wrote = true
	reason := "not_found"
	if code == http.StatusMethodNotAllowed {
		reason = "method_not_allowed"
	}
	m.ResponseWriter.Header().Del("X-Content-Type-Options")
	writeError(m.ResponseWriter, code, reason, fmt.Sprintf("no endpoint %s %s", m.r.Method, m.r.URL.Path))
}

func (m *missWriter) Write(b []byte) (int, error) {
	if !m.wrote {
		m.WriteHeader(http.StatusNotFound)
	}
	return len(b), nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	seq, hash := s.db.Head()
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "seq": seq, "hash": hash})
}

// limitBody caps every request body at opts.MaxBody; reading past it fails with a
// *http.MaxBytesError, which handlers answer with 413.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.opts.MaxBody {
			writeError(w, http.StatusRequestEntityTooLarge, "request_too_large",
				fmt.Sprintf("request body of %d bytes is over the limit of %d", r.ContentLength, s.opts.MaxBody))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBody)
		next.ServeHTTP(w, r)
	})
}
