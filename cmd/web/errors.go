package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

// statusClientClosed is what the request log records for a client that went away before its
// answer (nginx's convention); the client never sees it.
const statusClientClosed = 499

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // links keep their "&"; the API serves JSON, never HTML
	_ = enc.Encode(body)
}

// writeError writes {"error": {"code": …, "message": …}}; code is an SQLSTATE or, for errors
// that are not SQL's, a short reason such as "bad_request".
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

// writeDBError maps an error from the database to a status: client mistakes are 4xx, conflicts
// 409, a statement timeout 504, a client gone 499 (logged only), the rest 5xx.
func writeDBError(w http.ResponseWriter, r *http.Request, err error) {
	var se *schema.Error
	switch {
	case errors.Is(err, database.ErrNoRow):
		writeError(w, http.StatusNotFound, "not_found", "no row with this key")
		return
	case errors.Is(err, database.ErrClosed):
		writeError(w, http.StatusServiceUnavailable, "shutting_down", "the database is closing")
		return
	case !errors.As(err, &se):
		writeError(w, http.StatusInternalServerError, "internal_error", err.Error())
		return
	}
	status := http.StatusBadRequest
	msg := se.Message
	switch {
	case se.Code == schema.CodeQueryCanceled && errors.Is(r.Context().Err(), context.Canceled):
		status = statusClientClosed
	case se.Code == schema.CodeQueryCanceled:
		status, msg = http.StatusGatewayTimeout, "canceling statement due to statement timeout"
	case se.Code == schema.CodeSerialization || se.Code == schema.CodeUnique:
		status = http.StatusConflict
	case se.Code == schema.CodeUndefinedTable:
		status = http.StatusNotFound
	case len(se.Code) == 5 && (se.Code[:2] == "XX" || se.Code[:2] == "58"):
		status = http.StatusInternalServerError
	}
	body := map[string]any{"code": se.Code, "message": msg}
	if se.Line > 0 {
		body["position"] = fmt.Sprintf("%d:%d", se.Line, se.Col)
	}
	writeJSON(w, status, map[string]any{"error": body})
}

// decodeBody decodes one JSON value from the body into v, keeping numbers as json.Number.
// It writes the 400 or 413 answer itself and returns false on failure.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data after the JSON value")
	}
	if err != nil {
		badBody(w, err)
		return false
	}
	return true
}

// badBody answers a body that could not be read or parsed.
func badBody(w http.ResponseWriter, err error) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "request_too_large",
			fmt.Sprintf("request body over the limit of %d bytes", tooBig.Limit))
	case errors.Is(err, io.EOF):
		writeError(w, http.StatusBadRequest, "bad_request", "empty request body")
	default:
		writeError(w, http.StatusBadRequest, "bad_request", "invalid JSON body: "+err.Error())
	}
}

var (
	errBadAsOf       = errors.New("as_of must be a seq (1, 2, …) or a timestamp such as 2026-01-02T15:04:05Z")
	errBeforeHistory = errors.New("as_of is before the first commit")
)
