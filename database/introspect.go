package database

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// EventInfo is one logged event, decoded and described for people: what \log and \history show.
type EventInfo struct {
	Seq   uint64
	Time  time.Time
	TxID  uint64
	Type  string // RowInserted, TableCreated, ...
	Table string // the table's name at the time of the event
	RowID uint64 // for row events
	Event eventlog.Event
	// Columns names the row images' columns, as they were at the time of the event.
	Columns []string
}

// Describe returns a one-line account of the event's content, e.g.
// "users row 1: (id=1, name='ann') → (id=1, name='bob')".
func (e EventInfo) Describe() string {
	switch ev := e.Event.(type) {
	case eventlog.TableCreated:
		cols := make([]string, len(ev.Table.Columns))
		for i, c := range ev.Table.Columns {
			cols[i] = c.Name + " " + c.Type.String()
		}
		return fmt.Sprintf("%s (%s)", ev.Table.Name, strings.Join(cols, ", "))
	case eventlog.TableDropped:
		return ev.Name
	case eventlog.TableAltered:
		switch ev.Kind {
		case eventlog.ColumnAdded:
			return fmt.Sprintf("%s: add column %s %s", e.Table, ev.Column.Name, ev.Column.Type)
		case eventlog.ColumnDropped:
			return fmt.Sprintf("%s: drop column %s", e.Table, ev.Column.Name)
		case eventlog.ColumnRenamed:
			return fmt.Sprintf("%s: rename column %s to %s", e.Table, ev.OldName, ev.NewName)
		case eventlog.ConstraintAdded:
			if ev.Check != nil {
				return fmt.Sprintf("%s: add constraint %s check (%s)", e.Table, ev.Check.Name, ev.Check.Expr)
			}
			if ev.ForeignKey != nil {
				return fmt.Sprintf("%s: add constraint %s foreign key", e.Table, ev.ForeignKey.Name)
			}
		case eventlog.ConstraintDropped:
			return fmt.Sprintf("%s: drop constraint %s", e.Table, ev.OldName)
		case eventlog.TableRenamed:
			return fmt.Sprintf("rename table %s to %s", ev.OldName, ev.NewName)
		}
	case eventlog.IndexCreated:
		return fmt.Sprintf("%s on %s using %s", ev.Index.Name, e.Table, ev.Index.Method)
	case eventlog.IndexDropped:
		return fmt.Sprintf("%s on %s", ev.Name, e.Table)
	case eventlog.RowInserted:
		return fmt.Sprintf("%s row %d: %s", e.Table, ev.RowID, formatRow(e.Columns, ev.Row))
	case eventlog.RowUpdated:
		return fmt.Sprintf("%s row %d: %s → %s", e.Table, ev.RowID, formatRow(e.Columns, ev.Before), formatRow(e.Columns, ev.After))
	case eventlog.RowDeleted:
		return fmt.Sprintf("%s row %d: %s", e.Table, ev.RowID, formatRow(e.Columns, ev.Row))
	case eventlog.ViewCreated:
		return fmt.Sprintf("%s (%s) AS %s", ev.View.Name, strings.Join(ev.View.Columns, ", "), ev.View.Query)
	case eventlog.ViewDropped:
		return ev.Name
	}
	return ""
}

func formatRow(cols []string, r schema.Row) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, v := range r {
		if i > 0 {
			b.WriteString(", ")
		}
		if i < len(cols) {
			b.WriteString(cols[i])
			b.WriteByte('=')
		}
		if k := v.Kind(); k == schema.KindText || k >= schema.KindTimestamp && k != schema.KindNumeric {
			b.WriteString("'" + strings.ReplaceAll(v.String(), "'", "''") + "'")
		} else {
			b.WriteString(v.String())
		}
	}
	b.WriteByte(')')
	return b.String()
}

var typeNames = map[eventlog.Type]string{
	eventlog.TypeTableCreated: "TableCreated",
	eventlog.TypeTableDropped: "TableDropped",
	eventlog.TypeTableAltered: "TableAltered",
	eventlog.TypeIndexCreated: "IndexCreated",
	eventlog.TypeIndexDropped: "IndexDropped",
	eventlog.TypeRowInserted:  "RowInserted",
	eventlog.TypeRowUpdated:   "RowUpdated",
	eventlog.TypeRowDeleted:   "RowDeleted",
	eventlog.TypeViewCreated:  "ViewCreated",
	eventlog.TypeViewDropped:  "ViewDropped",
}

// Events returns the committed events with from <= seq <= to (to == 0: up to the head).
func (db *DB) Events(from, to uint64) ([]EventInfo, error) {
	var out []EventInfo
	err := db.scanEvents(from, to, func(e EventInfo) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// LastEvents returns the last n committed events, oldest first.
func (db *DB) LastEvents(n int) ([]EventInfo, error) {
	head, _ := db.log.Head()
	if n <= 0 || head == 0 {
		return nil, nil
	}
	from := uint64(1)
	if head > uint64(n) {
		from = head - uint64(n) + 1
	}
	return db.Events(from, head)
}

// scanEvents decodes the events of a seq range, naming tables as they were at each event.
func (db *DB) scanEvents(from, to uint64, fn func(EventInfo) error) error {
	if from == 0 {
		from = 1
	}
	return db.log.Scan(from, to, db.describer(fn))
}

// scanTableEvents decodes every event of one table, through the log's per-table index.
func (db *DB) scanTableEvents(tableID uint64, fn func(EventInfo) error) error {
	return db.log.ScanKey(eventlog.TableKey(tableID), db.describer(fn))
}

// describer wraps fn into a record visitor that decodes each record into an EventInfo.
func (db *DB) describer(fn func(EventInfo) error) func(eventlog.Record) error {
	cat := db.store.Current().Catalog()
	return func(r eventlog.Record) error {
		ev, err := eventlog.Decode(r.Type, r.Payload)
		if err != nil {
			return fmt.Errorf("database: decode event %d: %w", r.Seq, err)
		}
		info := EventInfo{Seq: r.Seq, Time: time.Unix(0, r.Time).UTC(), TxID: r.TxID, Type: typeNames[r.Type], Event: ev}
		if id, rowID, ok := eventTable(ev); ok {
			info.RowID = rowID
			// The definition in force just before the event names the table and its columns;
			// for TableCreated there is none yet, and the event itself has the name.
			if def, ok := cat.ByIDAt(id, r.Seq-1); ok {
				info.Table = def.Name
				for _, c := range def.Columns {
					info.Columns = append(info.Columns, c.Name)
				}
			}
		}
		switch e := ev.(type) {
		case eventlog.TableCreated:
			info.Table = e.Table.Name
		case eventlog.ViewCreated:
			info.Table = e.View.Name
		case eventlog.ViewDropped:
			info.Table = e.Name
		}
		return fn(info)
	}
}

// eventTable returns the table an event concerns and, for row events, the row id.
func eventTable(ev eventlog.Event) (tableID, rowID uint64, ok bool) {
	switch e := ev.(type) {
	case eventlog.TableCreated:
		return e.Table.ID, 0, true
	case eventlog.TableDropped:
		return e.TableID, 0, true
	case eventlog.TableAltered:
		return e.TableID, 0, true
	case eventlog.IndexCreated:
		return e.TableID, 0, true
	case eventlog.IndexDropped:
		return e.TableID, 0, true
	case eventlog.RowInserted:
		return e.TableID, e.RowID, true
	case eventlog.RowUpdated:
		return e.TableID, e.RowID, true
	case eventlog.RowDeleted:
		return e.TableID, e.RowID, true
	}
	return 0, 0, false
}

// History returns every event of one row of a table, oldest first. The row is named by its
// primary key as text (the values of a composite key separated by commas), or by its row id
// for a table without a primary key. It follows the row across updates of its key: all events
// of every row that ever had that key are returned.
func (db *DB) History(table, key string) ([]EventInfo, error) {
	return db.RowHistory(table, splitKey(key))
}

// RowHistory is History with the key already split into its values' text forms (see RowKey),
// so that a value may itself contain a comma.
func (db *DB) RowHistory(table string, want []string) ([]EventInfo, error) {
	cat := db.store.Current().Catalog()
	def, ok := cat.Lookup(table)
	if !ok {
		return nil, schema.Errorf(schema.CodeUndefinedTable, "relation %q does not exist", table)
	}
	rows := map[uint64]bool{}
	// Only this table's events are read, through the log's per-table index. Pass 1 finds the
	// row ids whose images ever had the key; pass 2 collects those rows' events.
	err := db.scanTableEvents(def.ID, func(e EventInfo) error {
		id, rowID, _ := eventTable(e.Event)
		if rowID == 0 {
			return nil
		}
		ver, ok := cat.ByIDAt(id, e.Seq)
		if !ok {
			return nil
		}
		for _, img := range images(e.Event) {
			if rowKeyMatches(ver, rowID, img, want) {
				rows[rowID] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []EventInfo
	err = db.scanTableEvents(def.ID, func(e EventInfo) error {
		if _, rowID, _ := eventTable(e.Event); rows[rowID] {
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

func images(ev eventlog.Event) []schema.Row {
	switch e := ev.(type) {
	case eventlog.RowInserted:
		return []schema.Row{e.Row}
	case eventlog.RowUpdated:
		return []schema.Row{e.Before, e.After}
	case eventlog.RowDeleted:
		return []schema.Row{e.Row}
	}
	return nil
}

func splitKey(key string) []string {
	parts := strings.Split(key, ",")
	for i := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(parts[i]), "'")
	}
	return parts
}

// rowKeyMatches reports whether a row image has the given key: its primary key values' text,
// or its row id when the table has no primary key.
func rowKeyMatches(def *schema.Table, rowID uint64, row schema.Row, want []string) bool {
	pk := def.PrimaryKey()
	if pk == nil {
		return len(want) == 1 && want[0] == strconv.FormatUint(rowID, 10)
	}
	pos := def.KeyPositions(pk)
	if len(pos) != len(want) {
		return false
	}
	for i, p := range pos {
		if p < 0 || p >= len(row) || row[p].String() != want[i] {
			return false
		}
	}
	return true
}
