package e2e

import (
	"bufio"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/cmd/web"
)

func TestEventsCatchUp(t *testing.T) {
	s := start(t, web.Options{})
	s.sql("CREATE TABLE a (id integer PRIMARY KEY, v text)")
	s.sql("CREATE TABLE b (id integer PRIMARY KEY)")
	s.sql("INSERT INTO a VALUES (1, 'x'), (2, 'y')")
	s.sql("INSERT INTO b VALUES (1)")
	s.sql("UPDATE a SET v = 'z' WHERE id = 1")
	s.sql("DELETE FROM a WHERE id = 2")

	w := s.watch("from=1")
	var evs []map[string]any
	for ev := w.next(t); ev != nil; ev = w.next(t) {
		evs = append(evs, ev)
	}
	require.Len(t, evs, 7, "without follow the stream ends at the head")
	prev := strings.Repeat("0", 64)
	for i, ev := range evs {
		assert.Equal(t, "1.0", ev["specversion"])
		assert.Equal(t, fmt.Sprint(i+1), ev["id"])
		assert.Equal(t, float64(i+1), ev["seq"])
		assert.Equal(t, prev, ev["prevhash"], "event %d chains to the one before", i+1)
		assert.Equal(t, evs[0]["source"], ev["source"])
		prev = ev["hash"].(string)
	}
	assert.Equal(t, "eventsql.table.created", evs[0]["type"])
	assert.Equal(t, "/tables/a", evs[0]["subject"])
	upd := evs[5]
	assert.Equal(t, "eventsql.row.updated", upd["type"])
	assert.Equal(t, "/tables/a/rows/1", upd["subject"])
	assert.Equal(t, map[string]any{"id": float64(1), "v": "x"}, upd["data"].(map[string]any)["before"])
	assert.Equal(t, map[string]any{"id": float64(1), "v": "z"}, upd["data"].(map[string]any)["after"])
	assert.Equal(t, "eventsql.row.deleted", evs[6]["type"])
	_, head := s.db.Head()
	assert.Equal(t, head, evs[6]["hash"])

	w = s.watch("from=3&table=a&limit=2")
	assert.Equal(t, float64(3), w.next(t)["seq"])
	assert.Equal(t, float64(4), w.next(t)["seq"])
	assert.Nil(t, w.next(t), "limit ends the stream")

	w = s.watch("table=b", "Last-Event-ID", "1")
	assert.Equal(t, float64(2), w.next(t)["seq"], "the table filter keeps b's events only")
	assert.Equal(t, float64(5), w.next(t)["seq"])
	assert.Nil(t, w.next(t))

	code, _, _ := s.do("GET", "/v1/events?from=99", nil)
	assert.Equal(t, 400, code)
	code, _, _ = s.do("GET", "/v1/events?follow=maybe", nil)
	assert.Equal(t, 400, code)

	// Server-Sent Events framing.
	code, hdr, data := s.do("GET", "/v1/events?from=7", nil, "Accept", "text/event-stream")
	require.Equal(t, 200, code)
	assert.Equal(t, "text/event-stream", hdr.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(string(data), "id: 7\nevent: eventsql.row.deleted\ndata: {"), string(data))
}

// Writers commit concurrently while a watcher follows; it disconnects mid-stream and
// reconnects from the seq after the last one it saw: every event arrives exactly once, in
// order, with an unbroken hash chain.
func TestEventsFollowReconnect(t *testing.T) {
	s := start(t, web.Options{Heartbeat: 50 * time.Millisecond})
	s.sql("CREATE TABLE t (w integer, i integer, PRIMARY KEY (w, i))")
	const writers, each = 4, 50
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				s.sql("INSERT INTO t VALUES ($1, $2)", g, i)
			}
		}()
	}
	const total = 1 + writers*each
	seen := map[uint64]int{}
	var order []uint64
	prevHash := strings.Repeat("0", 64)
	from := uint64(1)
	heartbeats := 0
	for conn := 0; len(order) < total; conn++ {
		w := s.watch(fmt.Sprintf("from=%d&follow=true", from))
		// Read a few events, then drop the connection (the last connection reads to the end).
		for n := 0; len(order) < total && (n < 37 || conn >= 5); {
			ev := w.next(t)
			require.NotNil(t, ev, "a following stream does not end by itself")
			if _, ok := ev["heartbeat"]; ok {
				heartbeats++
				continue
			}
			seq := seqOf(ev)
			require.Equal(t, prevHash, ev["prevhash"], "seq %d", seq)
			prevHash = ev["hash"].(string)
			seen[seq]++
			order = append(order, seq)
			from = seq + 1
			n++
		}
		w.close()
	}
	wg.Wait()
	for i, seq := range order {
		require.Equal(t, uint64(i+1), seq, "events in seq order, none missing")
		require.Equal(t, 1, seen[seq], "seq %d seen once", seq)
	}
	// Caught up and idle: heartbeats keep the connection alive.
	w := s.watch(fmt.Sprintf("from=%d&follow=true", total+1))
	hb := w.next(t)
	assert.Contains(t, hb, "heartbeat")
	s.sql("INSERT INTO t VALUES (99, 99)")
	for ev := w.next(t); ; ev = w.next(t) {
		if _, ok := ev["heartbeat"]; !ok {
			assert.Equal(t, float64(total+1), ev["seq"], "a live event is pushed as it commits")
			break
		}
	}
	w.close()
}

// A watcher that falls too far behind is cut off with an error line saying where to resume;
// the writer is never held up.
func TestSlowWatcher(t *testing.T) {
	s := start(t, web.Options{MaxLag: 10})
	s.sql("CREATE TABLE t (i integer)")
	w := s.watch("from=1&follow=true")
	require.Equal(t, float64(1), w.next(t)["seq"])
	rows := make([]string, 100)
	for i := range rows {
		rows[i] = fmt.Sprintf("(%d)", i)
	}
	start := time.Now()
	s.sql("INSERT INTO t VALUES " + strings.Join(rows, ", ")) // 100 events at once
	assert.Less(t, time.Since(start), 5*time.Second)
	var last map[string]any
	for ev := w.next(t); ev != nil; ev = w.next(t) {
		last = ev
	}
	require.Contains(t, last, "error")
	e := last["error"].(map[string]any)
	assert.Equal(t, "watcher_too_slow", e["code"])
	resume := uint64(e["resume_from"].(float64))
	w2 := s.watch(fmt.Sprintf("from=%d", resume))
	assert.Equal(t, float64(resume), w2.next(t)["seq"], "resuming where the error said continues the stream")
	w2.close()
}

func TestWatcherCap(t *testing.T) {
	s := start(t, web.Options{MaxWatchers: 2})
	w1 := s.watch("follow=true")
	w2 := s.watch("follow=true")
	code, hdr, data := s.do("GET", "/v1/events?follow=true", nil)
	assert.Equal(t, http.StatusServiceUnavailable, code, string(data))
	assert.Equal(t, "5", hdr.Get("Retry-After"))
	w1.close()
	require.Eventually(t, func() bool {
		code, _, _ := s.do("GET", "/v1/events", nil)
		return code == 200
	}, 5*time.Second, 10*time.Millisecond, "a closed stream frees its slot")
	w2.close()
}

// Shutdown ends following streams with a line that says where to resume, and Serve returns.
func TestShutdownEndsStreams(t *testing.T) {
	s := start(t, web.Options{})
	s.sql("CREATE TABLE t (i integer)")
	req, _ := http.NewRequest("GET", s.url+"/v1/events?from=2&follow=true", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	done := make(chan error, 1)
	time.AfterFunc(100*time.Millisecond, func() { done <- s.stop() })
	sc := bufio.NewScanner(resp.Body)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	require.NoError(t, <-done)
	require.Len(t, lines, 1)
	assert.JSONEq(t, `{"error":{"code":"shutting_down","message":"the server is shutting down; reconnect with from=resume_from","resume_from":2}}`, lines[0])
}
