package storage

import (
	"errors"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// LogEvent is one committed event of the log as the eventsql.events system table shows it.
type LogEvent struct {
	Seq, Tx uint64
	Time    int64 // commit time, unix nanoseconds
	Hash    [32]byte
	// Type is the event's name in the feed's vocabulary: "row.inserted", "row.updated",
	// "row.deleted", "table.created", "table.dropped", "table.altered", "index.created",
	// "index.dropped", "view.created", "view.dropped".
	Type          string
	TableID       uint64 // 0 for an event of no table
	RowID         uint64 // 0 for a schema event
	Before, After schema.Row
}

var errStopScan = errors.New("stop")

// LogEvents calls fn for each committed event with from <= seq <= to (to == 0: up to the
// head), in order; with tableID != 0 only that table's events, read through the log's
// per-table index when it has one. It stops at fn's first error and returns it.
func (st *Store) LogEvents(from, to, tableID uint64, fn func(LogEvent) error) error {
	visit := func(r eventlog.Record) error {
		if r.Seq < from {
			return nil
		}
		if to != 0 && r.Seq > to {
			return errStopScan
		}
		e, err := eventlog.Decode(r.Type, r.Payload)
		if err != nil {
			return err
		}
		le := LogEvent{Seq: r.Seq, Tx: r.TxID, Time: r.Time, Hash: r.Hash}
		switch e := e.(type) {
		case eventlog.RowInserted:
			le.Type, le.TableID, le.RowID, le.After = "row.inserted", e.TableID, e.RowID, e.Row
		case eventlog.RowUpdated:
			le.Type, le.TableID, le.RowID, le.Before, le.After = "row.updated", e.TableID, e.RowID, e.Before, e.After
		case eventlog.RowDeleted:
			le.Type, le.TableID, le.RowID, le.Before = "row.deleted", e.TableID, e.RowID, e.Row
		case eventlog.TableCreated:
			le.Type, le.TableID = "table.created", e.Table.ID
		case eventlog.TableDropped:
			le.Type, le.TableID = "table.dropped", e.TableID
		case eventlog.TableAltered:
			le.Type, le.TableID = "table.altered", e.TableID
		case eventlog.IndexCreated:
			le.Type, le.TableID = "index.created", e.TableID
		case eventlog.IndexDropped:
			le.Type, le.TableID = "index.dropped", e.TableID
		case eventlog.ViewCreated:
			le.Type, le.TableID = "view.created", e.View.ID
		case eventlog.ViewDropped:
			le.Type, le.TableID = "view.dropped", e.ViewID
		default:
			le.Type = "other"
		}
		if tableID != 0 && le.TableID != tableID {
			return nil
		}
		return fn(le)
	}
	var err error
	if tableID != 0 {
		err = st.log.ScanKey(eventlog.TableKey(tableID), visit)
		if errors.Is(err, eventlog.ErrNoKeyIndex) {
			err = st.log.Scan(from, to, visit)
		}
	} else {
		err = st.log.Scan(from, to, visit)
	}
	if errors.Is(err, errStopScan) {
		return nil
	}
	return err
}
