package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

// maxBody is the largest request body accepted; larger ones get 413.
const maxBody = 8 << 20

// Serve listens on addr and serves until ctx is done, then shuts down gracefully: it stops
// accepting, lets in-flight requests finish (up to 10 s) and returns.
func Serve(ctx context.Context, db *database.DB, addr string, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: Handler(db, logger), ReadHeaderTimeout: 10 * time.Second}
	logger.Info("serving HTTP", "addr", ln.Addr().String(), "data", db.Dir())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// Handler returns the HTTP API's handler.
func Handler(db *database.DB, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/sql", func(w http.ResponseWriter, r *http.Request) { handleSQL(db, w, r) })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		seq, _ := db.Log().Head()
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "seq": seq})
	})
	return logRequests(mux, logger)
}

type sqlRequest struct {
	SQL         string `json:"sql"`
	Params      []any  `json:"params"`
	Transaction bool   `json:"transaction"`
}

type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type sqlResponse struct {
	Columns      []column `json:"columns"`
	Rows         [][]any  `json:"rows"`
	RowsAffected int64    `json:"rows_affected"`
	Tag          string   `json:"tag"`
	Seq          uint64   `json:"seq"`
}

// handleSQL runs the statements of {"sql": …, "params": […]} and returns the last result.
// With "transaction": true they run inside BEGIN … COMMIT.
func handleSQL(db *database.DB, w http.ResponseWriter, r *http.Request) {
	var req sqlRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "request_too_large", fmt.Sprintf("request body over %d bytes", maxBody))
			return
		}
		writeError(w, http.StatusBadRequest, "bad_request", "invalid JSON body: "+err.Error())
		return
	}
	if req.SQL == "" {
		writeError(w, http.StatusBadRequest, "bad_request", `missing "sql"`)
		return
	}
	params, err := jsonParams(req.Params)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	sess := db.Session()
	defer sess.Close()
	ctx := r.Context()
	if req.Transaction {
		if _, err := sess.Exec(ctx, "BEGIN"); err != nil {
			writeDBError(w, err)
			return
		}
	}
	results, err := sess.Exec(ctx, req.SQL, params...)
	if err == nil && req.Transaction {
		var res []*database.Result
		res, err = sess.Exec(ctx, "COMMIT")
		if err == nil && len(res) == 1 && res[0].Tag == "ROLLBACK" {
			err = errors.New("transaction rolled back")
		}
	}
	if err != nil {
		writeDBError(w, err)
		return
	}
	seq, _ := db.Log().Head()
	out := sqlResponse{Rows: [][]any{}, Columns: []column{}, Seq: seq}
	if n := len(results); n > 0 {
		last := results[n-1]
		out.RowsAffected, out.Tag = last.RowsAffected, last.Tag
		for _, c := range last.Columns {
			out.Columns = append(out.Columns, column{Name: c.Name, Type: c.Type.String()})
		}
		for _, row := range last.Rows {
			out.Rows = append(out.Rows, jsonRow(row))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// jsonParams converts JSON parameters: numbers without a fraction become integers.
func jsonParams(in []any) ([]any, error) {
	out := make([]any, len(in))
	for i, p := range in {
		switch x := p.(type) {
		case json.Number:
			if n, err := x.Int64(); err == nil {
				out[i] = n
			} else if f, err := x.Float64(); err == nil {
				out[i] = f
			} else {
				return nil, fmt.Errorf("params[%d]: bad number %s", i, x)
			}
		case nil, string, bool:
			out[i] = x
		default:
			return nil, fmt.Errorf("params[%d]: unsupported JSON type %T (use null, number, string or boolean)", i, p)
		}
	}
	return out, nil
}

func jsonRow(row schema.Row) []any {
	out := make([]any, len(row))
	for i, v := range row {
		switch v.Kind() {
		case schema.KindNull:
			out[i] = nil
		case schema.KindInt:
			out[i] = v.Int()
		case schema.KindFloat:
			out[i] = v.Float()
		case schema.KindBool:
			out[i] = v.Bool()
		default:
			out[i] = v.String()
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

// writeDBError maps an SQL error to a status: client mistakes are 4xx, conflicts 409.
func writeDBError(w http.ResponseWriter, err error) {
	var se *schema.Error
	if !errors.As(err, &se) {
		writeError(w, http.StatusInternalServerError, "internal_error", err.Error())
		return
	}
	status := http.StatusBadRequest
	switch {
	case se.Code == schema.CodeSerialization || se.Code == schema.CodeUnique:
		status = http.StatusConflict
	case se.Code == schema.CodeUndefinedTable:
		status = http.StatusNotFound
	case se.Code[:2] == "XX" || se.Code[:2] == "58":
		status = http.StatusInternalServerError
	}
	body := map[string]any{"code": se.Code, "message": se.Message}
	if se.Line > 0 {
		body["position"] = fmt.Sprintf("%d:%d", se.Line, se.Col)
	}
	writeJSON(w, status, map[string]any{"error": body})
}

// logRequests logs one line per request with method, path, status and duration.
func logRequests(next http.Handler, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration", time.Since(start))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
