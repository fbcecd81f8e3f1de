package storage

import "github.com/eventsql/eventsql/schema"

// versionOps names what made a version, by the event's type.
var versionOps = map[string]string{"row.inserted": "insert", "row.updated": "update", "row.deleted": "delete"}

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
// upTo, ordered by From. It reads the table's events (LogEvents, through the log's per-table
// index): the cost is that of the table's history, not of the database's.
func (st *Store) Versions(def *schema.Table, at *State, upTo uint64) ([]Version, error) {
	if upTo == 0 {
		return nil, nil
	}
	var out []Version
	last := map[uint64]int{} // row id → index in out of its latest version
	err := st.LogEvents(1, upTo, def.ID, func(e LogEvent) error {
		if e.RowID == 0 {
			return nil // a schema event
		}
		img, op := e.After, versionOps[e.Type]
		if img == nil {
			img = e.Before
		}
		then, ok := at.Catalog().ByIDAt(def.ID, e.Seq)
		if !ok {
			return nil
		}
		if i, ok := last[e.RowID]; ok {
			out[i].To, out[i].ToTime = e.Seq, e.Time
		}
		last[e.RowID] = len(out)
		out = append(out, Version{RowID: e.RowID, Row: reshape(img, then, def), Op: op,
			From: e.Seq, FromTime: e.Time, Tx: e.Tx})
		return nil
	})
	return out, err
}

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
