// Package web serves eventsql over HTTP with JSON bodies: POST /v1/sql runs statements and
// GET /healthz answers liveness checks. It turns database errors into JSON error bodies with
// their SQLSTATE and a fitting HTTP status.
package web
