package web

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

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

const ndjson = "application/x-ndjson"

// handleSQL runs the statements of {"sql": …, "params": […]} and returns the last one's
// result; with "transaction": true they run inside BEGIN … COMMIT. With Accept:
// application/x-ndjson the result is written a line at a time: the columns, one JSON array per
// row, and a closing line with the tag, row count and seq.
func (s *Server) handleSQL(w http.ResponseWriter, r *http.Request) {
	var req sqlRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.SQL) == "" {
		writeError(w, http.StatusBadRequest, "bad_request", `missing "sql"`)
		return
	}
	params, err := jsonParams(req.Params)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	kinds, readOnly, err := database.Classify(req.SQL)
	if err != nil {
		writeDBError(w, r, err)
		return
	}
	if !readOnly && readOnlyCaller(r) {
		writeError(w, http.StatusForbidden, "forbidden", "the read-only token may only run queries")
		return
	}
	start := time.Now()
	last, err := s.runSQL(r, req.SQL, params, req.Transaction)
	s.metrics.observeQuery(kinds, time.Since(start), err)
	if err != nil {
		writeDBError(w, r, err)
		return
	}
	seq, _ := s.db.Head()
	if strings.Contains(r.Header.Get("Accept"), ndjson) {
		writeResultNDJSON(w, last, seq)
		return
	}
	out := sqlResponse{Rows: [][]any{}, Columns: columns(last), Seq: seq}
	if last != nil {
		out.RowsAffected, out.Tag = last.RowsAffected, last.Tag
		for _, row := range last.Rows {
			out.Rows = append(out.Rows, jsonRow(row))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// runSQL runs the text in a fresh session under the statement timeout, inside BEGIN … COMMIT
// when tx is set, and returns the last statement's result (nil for none). A client that goes
// away cancels the statement through the request's context.
func (s *Server) runSQL(r *http.Request, sql string, params []any, tx bool) (*database.Result, error) {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.StatementTimeout)
	defer cancel()
	sess := s.db.Session()
	defer sess.Close()
	if tx {
		if _, err := sess.Exec(ctx, "BEGIN"); err != nil {
			return nil, err
		}
	}
	results, err := sess.Exec(ctx, sql, params...)
	if err == nil && !tx && sess.InTx() {
		// Over HTTP no later request could finish it; Close rolls it back.
		return nil, schema.Errorf(schema.CodeActiveTx, "the SQL left a transaction open; it was rolled back (end it with COMMIT, or send \"transaction\": true)")
	}
	if err == nil && tx {
		var res []*database.Result
		res, err = sess.Exec(ctx, "COMMIT")
		if err == nil && len(res) == 1 && res[0].Tag == "ROLLBACK" {
			err = schema.Errorf(schema.CodeInFailedTx, "the transaction was rolled back")
		}
	}
	if err != nil {
		return nil, err
	}
	if len(results) == 0 {
		return nil, nil
	}
	return results[len(results)-1], nil
}

func columns(res *database.Result) []column {
	out := []column{}
	if res != nil {
		for _, c := range res.Columns {
			out = append(out, column{Name: c.Name, Type: c.Type.String()})
		}
	}
	return out
}

// writeResultNDJSON streams a result: {"columns": […]}, then one array per row, then
// {"tag": …, "rows_affected": …, "seq": …}, flushing every 256 rows.
func writeResultNDJSON(w http.ResponseWriter, res *database.Result, seq uint64) {
	w.Header().Set("Content-Type", ndjson)
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	enc := json.NewEncoder(bw)
	_ = enc.Encode(map[string]any{"columns": columns(res)})
	var tag string
	var n int64
	if res != nil {
		tag, n = res.Tag, res.RowsAffected
		for i, row := range res.Rows {
			if err := enc.Encode(jsonRow(row)); err != nil {
				return // the client went away
			}
			if i%256 == 255 {
				_ = bw.Flush()
				http.NewResponseController(w).Flush()
			}
		}
	}
	_ = enc.Encode(map[string]any{"tag": tag, "rows_affected": n, "seq": seq})
	_ = bw.Flush()
}

// jsonParams converts JSON parameters: numbers without a fraction become integers.
func jsonParams(in []any) ([]any, error) {
	out := make([]any, len(in))
	for i, p := range in {
		v, err := jsonScalar(p)
		if err != nil {
			return nil, fmt.Errorf("params[%d]: %v", i, err)
		}
		out[i] = v
	}
	return out, nil
}

// jsonScalar converts one decoded JSON value to a Go value for database.Values.
func jsonScalar(p any) (any, error) {
	switch x := p.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		if f, err := x.Float64(); err == nil {
			return f, nil
		}
		return nil, fmt.Errorf("bad number %s", x)
	case nil, string, bool:
		return x, nil
	}
	return nil, errors.New("unsupported JSON type (use null, a number, a string or a boolean)")
}

// jsonValue is the JSON form of an SQL value: integers, floats and booleans as JSON scalars,
// NULL as null, everything else as its PostgreSQL text form.
func jsonValue(v schema.Value) any {
	switch v.Kind() {
	case schema.KindNull:
		return nil
	case schema.KindInt:
		return v.Int()
	case schema.KindFloat:
		if f := v.Float(); !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f
		}
	case schema.KindBool:
		return v.Bool()
	}
	return v.String()
}

func jsonRow(row schema.Row) []any {
	out := make([]any, len(row))
	for i, v := range row {
		out[i] = jsonValue(v)
	}
	return out
}
