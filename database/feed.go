package database

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// This file is the event feed: the log's records decoded into events that name their table and
// row, delivered from any seq on and then live, for the HTTP API's /v1/events. It rides on an
// eventlog.Subscription, so a watcher pulls at its own pace and the writer never waits for it.

// FeedEvent is one committed event as a watcher sees it.
type FeedEvent struct {
	Seq  uint64
	Time time.Time
	TxID uint64
	// Type is the event's kind in dotted form: row.inserted, row.updated, row.deleted,
	// table.created, table.dropped, table.altered, index.created, index.dropped.
	Type  string
	Table string // the table's name at the time of the event
	// Key is a row event's row key (see RowKey): primary key values, or the row id.
	Key []string
	// Columns names the columns of Before and After, as the table was at the event.
	Columns       []string
	Before, After schema.Row // row images: nil where the event has none
	Description   string     // EventInfo.Describe: a one-line account
	// Hash is the log's chain hash after the event, PrevHash the one before it (hex).
	Hash, PrevHash string
}

// Feed delivers FeedEvents in seq order. Next is for one goroutine; Close may be called from any.
type Feed struct {
	db   *DB
	sub  *eventlog.Subscription
	prev eventlog.Hash
}

// Feed returns a feed of every committed event with seq >= from (0 means 1): those already in
// the log first, then each new one as it commits. buffer bounds the records it holds at a time
// (0: a default); a watcher that falls behind re-reads the log instead of holding the writer
// back. It fails with ErrClosed after Close and with an error when from is beyond head+1.
func (db *DB) Feed(from uint64, buffer int) (*Feed, error) {
	if db.isClosed() {
		return nil, ErrClosed
	}
	from = max(from, 1)
	prev, err := db.log.HashAt(from - 1)
	if err != nil {
		return nil, fmt.Errorf("database: feed from %d: %w", from, err)
	}
	return &Feed{db: db, sub: db.log.Subscribe(from, buffer), prev: prev}, nil
}

// Next returns the next event, waiting for it to commit if needed. It fails with ctx's error
// when ctx ends first, with ErrClosed when the feed or the database is closed, and with the
// log's error if the log cannot be read.
func (f *Feed) Next(ctx context.Context) (FeedEvent, error) {
	r, err := f.sub.Next(ctx)
	if errors.Is(err, eventlog.ErrClosed) {
		return FeedEvent{}, ErrClosed
	}
	if err != nil {
		return FeedEvent{}, err
	}
	// The record is acknowledged a moment before its committer publishes the state that
	// names its table; wait for that, so a watcher that reads the row it was told about finds
	// it. The bound only matters if the commit failed after its write, which the log reports.
	for deadline := time.Now().Add(2 * time.Second); f.db.store.Current().Seq() < r.Seq && time.Now().Before(deadline); {
		time.Sleep(50 * time.Microsecond)
	}
	var info EventInfo
	if err := f.db.describer(func(e EventInfo) error { info = e; return nil })(r); err != nil {
		return FeedEvent{}, err
	}
	ev := FeedEvent{Seq: r.Seq, Time: info.Time, TxID: r.TxID, Type: feedTypes[r.Type], Table: info.Table,
		Columns: info.Columns, Hash: r.Hash.String(), PrevHash: f.prev.String()}
	f.prev = r.Hash
	ev.Before, ev.After = info.Images()
	if info.RowID == 0 {
		ev.Description = info.Describe()
	} else {
		img := ev.After
		if img == nil {
			img = ev.Before
		}
		id, _, _ := eventTable(info.Event)
		if def, ok := f.db.store.Current().Catalog().ByIDAt(id, r.Seq-1); ok {
			ev.Key = RowKey(def, info.RowID, img)
		}
	}
	return ev, nil
}

// Close ends the feed: a Next waiting in another goroutine returns ErrClosed.
func (f *Feed) Close() { f.sub.Close() }

var feedTypes = map[eventlog.Type]string{
	eventlog.TypeTableCreated: "table.created",
	eventlog.TypeTableDropped: "table.dropped",
	eventlog.TypeTableAltered: "table.altered",
	eventlog.TypeIndexCreated: "index.created",
	eventlog.TypeIndexDropped: "index.dropped",
	eventlog.TypeRowInserted:  "row.inserted",
	eventlog.TypeRowUpdated:   "row.updated",
	eventlog.TypeRowDeleted:   "row.deleted",
}

// Head returns the seq and chain hash (hex) of the last committed event.
func (db *DB) Head() (seq uint64, hash string) {
	s, h := db.log.Head()
	return s, h.String()
}

// ID names the database: the chain hash after its first event, in hex, which no other history
// shares and which a backup keeps. It is "" until the first event is committed.
func (db *DB) ID() string {
	if head, _ := db.log.Head(); head == 0 {
		return ""
	}
	h, err := db.log.HashAt(1)
	if err != nil {
		return ""
	}
	return h.String()
}

// SeqAtTime returns the seq of the last event committed at or before t (0 if none).
func (db *DB) SeqAtTime(t time.Time) uint64 { return db.store.SeqAtTime(t) }

// Kind returns the event's kind in the dotted form of FeedEvent.Type.
func (e EventInfo) Kind() string {
	if e.Event == nil {
		return ""
	}
	return feedTypes[e.Event.Type()]
}

// Images returns a row event's row images: before (nil for an insert) and after (nil for a
// delete); both nil for other events.
func (e EventInfo) Images() (before, after schema.Row) {
	switch ev := e.Event.(type) {
	case eventlog.RowInserted:
		return nil, ev.Row
	case eventlog.RowUpdated:
		return ev.Before, ev.After
	case eventlog.RowDeleted:
		return ev.Row, nil
	}
	return nil, nil
}
