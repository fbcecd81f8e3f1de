package web

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/eventsql/eventsql/database"
)

// This file is the event feed, GET /v1/events: the log's events as CloudEvents 1.0, one JSON
// object per line (application/x-ndjson), or as Server-Sent Events for browsers.
//
//	from=<seq>    the first event (default 1; Last-Event-ID: n means from=n+1)
//	table=<name>  only that table's events
//	limit=<n>     at most n events
//	follow=true   after catching up, stay and push each event as it commits
//
// A watcher pulls from its own database.Feed, so the writer never waits for it. A follower that
// falls more than MaxLag events behind the head, or stops reading for writeTimeout, is cut off
// with an error line carrying resume_from: reconnecting with from=resume_from loses nothing and
// repeats nothing, because every event's id is its seq.

const writeTimeout = 30 * time.Second

// cloudEvent is one event in CloudEvents 1.0 JSON format, with eventsql's extension
// attributes seq, txid, hash and prevhash.
type cloudEvent struct {
	SpecVersion     string    `json:"specversion"`
	ID              string    `json:"id"`
	Source          string    `json:"source"`
	Type            string    `json:"type"`
	Subject         string    `json:"subject,omitempty"`
	Time            time.Time `json:"time"`
	DataContentType string    `json:"datacontenttype"`
	Data            eventData `json:"data"`
	Seq             uint64    `json:"seq"`
	TxID            uint64    `json:"txid"`
	Hash            string    `json:"hash"`
	PrevHash        string    `json:"prevhash"`
}

type eventData struct {
	Table       string   `json:"table"`
	Key         []string `json:"key,omitempty"`
	Before      any      `json:"before,omitempty"`
	After       any      `json:"after,omitempty"`
	Description string   `json:"description,omitempty"`
}

func toCloudEvent(source string, ev database.FeedEvent) cloudEvent {
	ce := cloudEvent{SpecVersion: "1.0", ID: strconv.FormatUint(ev.Seq, 10), Source: source,
		Type: "eventsql." + ev.Type, Time: ev.Time, DataContentType: "application/json",
		Seq: ev.Seq, TxID: ev.TxID, Hash: ev.Hash, PrevHash: ev.PrevHash,
		Data: eventData{Table: ev.Table, Key: ev.Key, Description: ev.Description,
			Before: imageObject(ev.Columns, ev.Before), After: imageObject(ev.Columns, ev.After)}}
	if ev.Table != "" {
		ce.Subject = "/tables/" + url.PathEscape(ev.Table)
		if ev.Key != nil {
			ce.Subject += "/rows/" + joinKey(ev.Key, url.PathEscape)
		}
	}
	return ce
}

// feedRequest is a parsed /v1/events request.
type feedRequest struct {
	from   uint64
	table  string
	limit  uint64 // 0: no limit
	follow bool
	sse    bool
}

func parseFeedRequest(r *http.Request) (feedRequest, error) {
	q := r.URL.Query()
	f := feedRequest{from: 1, table: q.Get("table"), sse: strings.Contains(r.Header.Get("Accept"), "text/event-stream")}
	var err error
	if v := q.Get("from"); v != "" {
		if f.from, err = strconv.ParseUint(v, 10, 64); err != nil {
			return f, errors.New("from must be a seq: 1, 2, …")
		}
	} else if v := r.Header.Get("Last-Event-ID"); v != "" {
		last, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return f, errors.New("Last-Event-ID must be the id (seq) of an event")
		}
		f.from = last + 1
	}
	if v := q.Get("limit"); v != "" {
		if f.limit, err = strconv.ParseUint(v, 10, 64); err != nil || f.limit == 0 {
			return f, errors.New("limit must be a positive integer")
		}
	}
	if v := q.Get("follow"); v != "" {
		if f.follow, err = strconv.ParseBool(v); err != nil {
			return f, errors.New("follow must be true or false")
		}
	}
	return f, nil
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	req, err := parseFeedRequest(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	select {
	case s.watchers <- struct{}{}:
		defer func() { <-s.watchers }()
	default:
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, "too_many_watchers",
			fmt.Sprintf("%d event streams are open, the most this server allows; retry later", cap(s.watchers)))
		return
	}
	head, _ := s.db.Head()
	if req.from > head+1 {
		writeError(w, http.StatusBadRequest, "bad_request", fmt.Sprintf("from=%d is beyond the next event (%d)", req.from, head+1))
		return
	}
	feed, err := s.db.Feed(req.from, 256)
	if err != nil {
		writeDBError(w, r, err)
		return
	}
	defer feed.Close()
	s.metrics.watchers.Inc()
	defer s.metrics.watchers.Dec()

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go func() {
		select {
		case <-s.stopping:
			cancel()
		case <-ctx.Done():
		}
	}()

	st := &stream{w: w, rc: http.NewResponseController(w), sse: req.sse}
	// The write deadlines below are the connection's: clear them for its next request.
	defer func() { _ = st.rc.SetWriteDeadline(time.Time{}) }()
	st.bw = bufio.NewWriterSize(w, 32<<10)
	if req.sse {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
	} else {
		w.Header().Set("Content-Type", ndjson)
	}
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if !st.flush() { // the headers now, so the client knows it is connected before any event
		return
	}
	s.pump(ctx, r.Context(), feed, req, head, st)
}

// pump copies the feed to the stream until the request's end: the head as of the request
// without follow, the limit, a slow or gone client, or shutdown.
func (s *Server) pump(ctx, reqCtx context.Context, feed *database.Feed, req feedRequest, end uint64, st *stream) {
	next, sent := req.from, uint64(0)
	source := ""
	if !req.follow && next > end {
		st.flush()
		return
	}
	for {
		wait, cancel := context.WithTimeout(ctx, s.opts.Heartbeat)
		ev, err := feed.Next(wait)
		cancel()
		switch {
		case err == nil:
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
			head, _ := s.db.Head()
			if !st.heartbeat(head) {
				return
			}
			continue
		case reqCtx.Err() != nil:
			return // the client went away
		case ctx.Err() != nil || errors.Is(err, database.ErrClosed):
			st.fail("shutting_down", "the server is shutting down; reconnect with from=resume_from", next)
			return
		default:
			st.fail("internal_error", err.Error(), next)
			return
		}
		next = ev.Seq + 1
		if req.table == "" || strings.EqualFold(req.table, ev.Table) {
			if source == "" {
				source = "/eventsql/" + s.db.ID()
			}
			if !st.event(toCloudEvent(source, ev)) {
				return
			}
			sent++
		}
		head, _ := s.db.Head()
		switch {
		case req.limit != 0 && sent == req.limit, !req.follow && ev.Seq >= end:
			st.flush()
			return
		case req.follow && head-ev.Seq > s.opts.MaxLag:
			st.fail("watcher_too_slow", fmt.Sprintf("this watcher fell more than %d events behind; reconnect with from=resume_from", s.opts.MaxLag), next)
			return
		case ev.Seq >= head || sent%256 == 0:
			if !st.flush() {
				return
			}
		}
	}
}

// stream frames lines for one watcher, as ndjson or Server-Sent Events.
type stream struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	bw  *bufio.Writer
	sse bool
	err error
}

func (st *stream) write(event, id string, v any) bool {
	if st.err != nil {
		return false
	}
	b, err := json.Marshal(v)
	if err != nil {
		st.err = err
		return false
	}
	_ = st.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if st.sse {
		if id != "" {
			fmt.Fprintf(st.bw, "id: %s\n", id)
		}
		fmt.Fprintf(st.bw, "event: %s\ndata: %s\n\n", event, b)
	} else {
		st.bw.Write(b)
		st.bw.WriteByte('\n')
	}
	return true
}

func (st *stream) event(ce cloudEvent) bool { return st.write(ce.Type, ce.ID, ce) }

func (st *stream) heartbeat(head uint64) bool {
	if st.sse {
		_ = st.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		fmt.Fprintf(st.bw, ": heartbeat head=%d\n\n", head)
	} else {
		st.write("", "", map[string]any{"heartbeat": map[string]any{"time": time.Now().UTC(), "head": head}})
	}
	return st.flush()
}

// fail ends the stream with an error line saying where to resume.
func (st *stream) fail(code, msg string, resume uint64) {
	st.write("error", "", map[string]any{"error": map[string]any{"code": code, "message": msg, "resume_from": resume}})
	st.flush()
}

func (st *stream) flush() bool {
	if st.err == nil {
		_ = st.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if st.err = st.bw.Flush(); st.err == nil {
			st.err = st.rc.Flush()
		}
	}
	return st.err == nil
}
