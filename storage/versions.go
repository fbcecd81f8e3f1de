package storage

import (
	"errors"
	"fmt"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// Version is one version of a row, as a system-time range query returns it: the row as an
// event left it, and the events that began and ended that version.
type Version struct {
	RowID uint64
	// Row is in the shape of the table's definition the versions were asked with (by column
	// ID): NULL for a column the row's event did not have.
	Row schema.Row
	// Op is what made the version: "insert", "update", or "delete" — a delete's version is the
	// row's last image, marking when the row went away.
	Op string
	// From is the seq of the event that made it; To that of the next event of the row, 0 while
	// the version is the row's latest. FromTime and ToTime are their commit times (unix
	// nanoseconds; ToTime 0 when To is 0), Tx the transaction of From.
	From, To         uint64
	FromTime, ToTime int64
	Tx               uint64
}

// Versions returns every version of every row of the table def up to and including seq
// upTo, ordered by From. It reads the table's events through the log's per-table index (or,
// without one, the whole log): the cost is that of the table's history, not of the database's.
func (st *Store) Versions(def *schema.Table, at *State, upTo uint64) ([]Version, error) {
	var out []Version
	last := map[uint64]int{} // row id → index in out of its latest version
	visit := func(r eventlog.Record) error {
		if r.Seq > upTo {
			return errStopVersions
		}
		var rowID uint64
		var img schema.Row
		var op string
		switch r.Type {
		case eventlog.TypeRowInserted, eventlog.TypeRowUpdated, eventlog.TypeRowDeleted:
		default:
			return nil
		}
		e, err := eventlog.Decode(r.Type, r.Payload)
		if err != nil {
			return fmt.Errorf("storage: event %d: %w", r.Seq, err)
		}
		switch e := e.(type) {
		case eventlog.RowInserted:
			if e.TableID != def.ID {
				return nil
			}
			rowID, img, op = e.RowID, e.Row, "insert"
		case eventlog.RowUpdated:
			if e.TableID != def.ID {
				return nil
			}
			rowID, img, op = e.RowID, e.After, "update"
		case eventlog.RowDeleted:
			if e.TableID != def.ID {
				return nil
			}
			rowID, img, op = e.RowID, e.Row, "delete"
		}
		then, ok := at.Catalog().ByIDAt(def.ID, r.Seq)
		if !ok {
			return nil
		}
		if i, ok := last[rowID]; ok {
			out[i].To, out[i].ToTime = r.Seq, r.Time
		}
		last[rowID] = len(out)
		out = append(out, Version{RowID: rowID, Row: reshape(img, then, def), Op: op,
			From: r.Seq, FromTime: r.Time, Tx: r.TxID})
		return nil
	}
	err := st.log.ScanKey(eventlog.TableKey(def.ID), visit)
	if errors.Is(err, eventlog.ErrNoKeyIndex) {
		err = st.log.Scan(1, upTo, visit)
	}
	if err != nil && !errors.Is(err, errStopVersions) {
		return nil, err
	}
	return out, nil
}

var errStopVersions = errors.New("stop")

// reshape maps a row of definition from onto definition to, by column ID.
func reshape(row schema.Row, from, to *schema.Table) schema.Row {
	out := make(schema.Row, len(to.Columns))
	for i, c := range to.Columns {
		if j := from.ColumnByID(c.ID); j >= 0 && j < len(row) {
			out[i] = row[j]
		}
	}
	return out
}
