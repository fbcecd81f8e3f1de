package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// observe gives each request an id (X-Request-ID, the client's if it sent one), then logs one
// line for it — method, path, status, duration, bytes, request id — and records its metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if id == "" || len(id) > 64 {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-ID", id)
		rec := &statusRecorder{ResponseWriter: w}
		s.metrics.inflight.Inc()
		next.ServeHTTP(rec, r)
		s.metrics.inflight.Dec()
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		if r.Context().Err() != nil && status < 400 && rec.bytes == 0 {
			status = statusClientClosed
		}
		d := time.Since(start)
		s.metrics.requests.WithLabelValues(route(r), strconv.Itoa(status)).Observe(d.Seconds())
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", status,
			"duration", d, "bytes", rec.bytes, "request_id", id, "remote", r.RemoteAddr)
	})
}

// statusRecorder notes the status and size of a response. It unwraps for
// http.ResponseController, so streams can still flush and set deadlines.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	if code == statusClientClosed {
		return // nobody is listening, and net/http would reject the code's class anyway
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
