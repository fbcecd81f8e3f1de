package eventlog

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/eventsql/eventsql/schema"
)

// Type is the type of an event, stored in every record's header.
type Type uint8

// The event types. Values are part of the on-disk format: never renumber, only add.
const (
	TypeTableCreated Type = 1
	TypeTableDropped Type = 2
	TypeTableAltered Type = 3
	TypeIndexCreated Type = 4
	TypeIndexDropped Type = 5
	TypeRowInserted  Type = 6
	TypeRowUpdated   Type = 7
	TypeRowDeleted   Type = 8
	TypeViewCreated  Type = 9
	TypeViewDropped  Type = 10
)

// Event is one fact of the vocabulary. Encode turns it into a record payload and Decode back.
type Event interface {
	Type() Type
}

// TableCreated: a table was created with this definition (ID and column IDs assigned).
type TableCreated struct {
	Table schema.Table
}

// TableDropped: the table with this ID (named Name at the time) was dropped with its rows and
// indexes.
type TableDropped struct {
	TableID uint64
	Name    string
}

// AlterKind says what a TableAltered event changed.
type AlterKind uint8

// The alterations.
const (
	ColumnAdded   AlterKind = 1
	ColumnDropped AlterKind = 2
	ColumnRenamed AlterKind = 3
	TableRenamed  AlterKind = 4
	// ConstraintAdded adds Check or ForeignKey (exactly one is set); ConstraintDropped drops
	// the CHECK or FOREIGN KEY constraint named OldName. (PRIMARY KEY and UNIQUE constraints
	// are indexes: IndexCreated and IndexDropped.)
	ConstraintAdded   AlterKind = 5
	ConstraintDropped AlterKind = 6
)

// TableAltered: a table's definition changed. Column is the column added, dropped, or renamed
// (with its new name); OldName/NewName are the column's or table's names before and after a
// rename; Fill is the value existing rows get for an added column (its DEFAULT evaluated once,
// or NULL). After a column is dropped, rows lose the value at its position.
type TableAltered struct {
	TableID uint64
	Kind    AlterKind
	Column  schema.Column
	OldName string
	NewName string
	Fill    schema.Value
	// Check or ForeignKey is the constraint a ConstraintAdded adds.
	Check      *schema.Check
	ForeignKey *schema.ForeignKey
}

// IndexCreated: an index was created on a table and built from its rows.
type IndexCreated struct {
	TableID uint64
	Index   schema.Index
}

// IndexDropped: the named index of a table was dropped.
type IndexDropped struct {
	TableID uint64
	Name    string
}

// RowInserted: a row was inserted. RowID is the row's identity for its whole life, assigned by
// the writer and never reused.
type RowInserted struct {
	TableID uint64
	RowID   uint64
	Row     schema.Row
}

// RowUpdated: a row changed from Before to After (full images, in the table's column order).
type RowUpdated struct {
	TableID uint64
	RowID   uint64
	Before  schema.Row
	After   schema.Row
}

// RowDeleted: a row was deleted; Row is its last image.
type RowDeleted struct {
	TableID uint64
	RowID   uint64
	Row     schema.Row
}

// ViewCreated: a view was created, or replaced by CREATE OR REPLACE VIEW (then View.ID is the
// replaced view's). View.Query is the query's canonical SQL text (parser.Format), so the log
// stays readable and the parser alone gives it meaning.
type ViewCreated struct {
	View schema.View
}

// ViewDropped: the view with this ID (named Name at the time) was dropped.
type ViewDropped struct {
	ViewID uint64
	Name   string
}

func (TableCreated) Type() Type { return TypeTableCreated }
func (TableDropped) Type() Type { return TypeTableDropped }
func (TableAltered) Type() Type { return TypeTableAltered }
func (IndexCreated) Type() Type { return TypeIndexCreated }
func (IndexDropped) Type() Type { return TypeIndexDropped }
func (RowInserted) Type() Type  { return TypeRowInserted }
func (RowUpdated) Type() Type   { return TypeRowUpdated }
func (RowDeleted) Type() Type   { return TypeRowDeleted }
func (ViewCreated) Type() Type  { return TypeViewCreated }
func (ViewDropped) Type() Type  { return TypeViewDropped }

// The payload encoding, version 1. Every payload starts with the payload version byte, so a
// later version can change an event's layout and Decode can still read old logs. Then, per type
// (uvarint = encoding/binary varint; string = uvarint length + bytes; value and row = the
// schema package's compact encoding; table, column, index = codec.go):
//
//	TableCreated  table [constraints]   (constraints only when the table has some)
//	TableDropped  uvarint TableID, string Name
//	TableAltered  uvarint TableID, byte Kind, column Column, string OldName, string NewName,
//	              value Fill [constraints]   (constraints, holding the one added, only for
//	              ConstraintAdded)
//	IndexCreated  uvarint TableID, index Index
//	IndexDropped  uvarint TableID, string Name
//	RowInserted   uvarint TableID, uvarint RowID, row Row
//	RowUpdated    uvarint TableID, uvarint RowID, row Before, row After
//	RowDeleted    uvarint TableID, uvarint RowID, row Row
//	ViewCreated   uvarint ID, string Name, uvarint n, n × string column name, string Query
//	ViewDropped   uvarint ViewID, string Name
//
// A payload must be consumed exactly: trailing bytes are an error, so every valid payload has
// one meaning.
const payloadVersion = 1

// Encode returns the log entry for e. e must be one of this file's event structs, passed by
// value; anything else is a programming error and panics.
func Encode(e Event) Entry {
	b := make([]byte, 1, 64)
	b[0] = payloadVersion
	switch e := e.(type) {
	case TableCreated:
		b = AppendTable(b, &e.Table)
		if len(e.Table.Checks)+len(e.Table.ForeignKeys) > 0 {
			b = AppendConstraints(b, &e.Table)
		}
	case TableDropped:
		b = appendString(binary.AppendUvarint(b, e.TableID), e.Name)
	case TableAltered:
		b = append(binary.AppendUvarint(b, e.TableID), byte(e.Kind))
		b = appendColumn(b, &e.Column)
		b = appendString(appendString(b, e.OldName), e.NewName)
		b = schema.AppendValue(b, e.Fill)
		if e.Kind == ConstraintAdded {
			var t schema.Table
			if e.Check != nil {
				t.Checks = []schema.Check{*e.Check}
			}
			if e.ForeignKey != nil {
				t.ForeignKeys = []schema.ForeignKey{*e.ForeignKey}
			}
			b = AppendConstraints(b, &t)
		}
	case IndexCreated:
		b = appendIndex(binary.AppendUvarint(b, e.TableID), &e.Index)
	case IndexDropped:
		b = appendString(binary.AppendUvarint(b, e.TableID), e.Name)
	case RowInserted:
		b = schema.AppendRow(appendIDs(b, e.TableID, e.RowID), e.Row)
	case RowUpdated:
		b = schema.AppendRow(appendIDs(b, e.TableID, e.RowID), e.Before)
		b = schema.AppendRow(b, e.After)
	case RowDeleted:
		b = schema.AppendRow(appendIDs(b, e.TableID, e.RowID), e.Row)
	case ViewCreated:
		b = appendView(b, &e.View)
	case ViewDropped:
		b = appendString(binary.AppendUvarint(b, e.ViewID), e.Name)
	default:
		panic(fmt.Sprintf("eventlog: Encode of unknown event %T", e))
	}
	return Entry{Type: e.Type(), Payload: b}
}

func appendIDs(b []byte, tableID, rowID uint64) []byte {
	return binary.AppendUvarint(binary.AppendUvarint(b, tableID), rowID)
}

// Decode decodes a payload of event type t. It fails with ErrUnknownType, or ErrBadEvent for a
// payload that is truncated, has an unknown payload version or field value, or trailing bytes.
// It never panics, whatever the bytes, and the event shares no memory with payload.
func Decode(t Type, payload []byte) (Event, error) {
	d := decoder{b: payload}
	if v := d.byte("payload version"); d.err == nil && v != payloadVersion {
		return nil, fmt.Errorf("%w: unknown payload version %d", ErrBadEvent, v)
	}
	var e Event
	switch t {
	case TypeTableCreated:
		t := d.table()
		if d.err == nil && len(d.b) > 0 {
			d.constraints(&t)
			if d.err == nil && len(t.Checks)+len(t.ForeignKeys) == 0 {
				d.fail("empty constraints section") // one encoding per event: absent when empty
			}
		}
		e = TableCreated{Table: t}
	case TypeTableDropped:
		e = TableDropped{TableID: d.uvarint("table id"), Name: d.string("table name")}
	case TypeTableAltered:
		e = d.tableAltered()
	case TypeIndexCreated:
		e = IndexCreated{TableID: d.uvarint("table id"), Index: d.index()}
	case TypeIndexDropped:
		e = IndexDropped{TableID: d.uvarint("table id"), Name: d.string("index name")}
	case TypeRowInserted:
		e = RowInserted{TableID: d.uvarint("table id"), RowID: d.uvarint("row id"), Row: d.row("row")}
	case TypeRowUpdated:
		e = RowUpdated{TableID: d.uvarint("table id"), RowID: d.uvarint("row id"),
			Before: d.row("before image"), After: d.row("after image")}
	case TypeRowDeleted:
		e = RowDeleted{TableID: d.uvarint("table id"), RowID: d.uvarint("row id"), Row: d.row("row")}
	case TypeViewCreated:
		e = ViewCreated{View: d.view()}
	case TypeViewDropped:
		e = ViewDropped{ViewID: d.uvarint("view id"), Name: d.string("view name")}
	default:
		return nil, fmt.Errorf("%w: %d", ErrUnknownType, t)
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail(fmt.Sprintf("%d trailing bytes", len(d.b)))
	}
	if d.err != nil {
		return nil, fmt.Errorf("type %d: %w", t, d.err)
	}
	return e, nil
}

func (d *decoder) tableAltered() TableAltered {
	e := TableAltered{TableID: d.uvarint("table id"), Kind: AlterKind(d.byte("alter kind"))}
	if d.err == nil && (e.Kind < ColumnAdded || e.Kind > ConstraintDropped) {
		d.fail(fmt.Sprintf("unknown alter kind %d", e.Kind))
	}
	e.Column = d.column()
	e.OldName = d.string("old name")
	e.NewName = d.string("new name")
	e.Fill = d.value("fill value")
	if e.Kind == ConstraintAdded {
		var t schema.Table
		d.constraints(&t)
		switch {
		case d.err != nil:
		case len(t.Checks) == 1 && len(t.ForeignKeys) == 0:
			e.Check = &t.Checks[0]
		case len(t.Checks) == 0 && len(t.ForeignKeys) == 1:
			e.ForeignKey = &t.ForeignKeys[0]
		default:
			d.fail("ConstraintAdded must add exactly one constraint")
		}
	}
	return e
}

// EventKeys is the Options.Keys function for eventsql's events: every table event belongs to
// "t/<tableID>" (TableKey), and a row event also to "r/<tableID>/<rowID>" (RowKey). A view's
// events belong to "t/<viewID>": views take their IDs from the tables' counter. It decodes
// only the ids at the front of the payload, and allocates the two keys as one string. A payload
// it cannot read belongs to no key.
func EventKeys(t Type, payload []byte) []string {
	if len(payload) == 0 || payload[0] != payloadVersion {
		return nil
	}
	tableID, n := binary.Uvarint(payload[1:]) // every event starts with its table's id
	if n <= 0 {
		return nil
	}
	var buf [48]byte
	k := strconv.AppendUint(append(buf[:0], "t/"...), tableID, 10)
	switch t {
	case TypeTableCreated, TypeTableDropped, TypeTableAltered, TypeIndexCreated, TypeIndexDropped,
		TypeViewCreated, TypeViewDropped:
		return []string{string(k)}
	case TypeRowInserted, TypeRowUpdated, TypeRowDeleted:
		rowID, m := binary.Uvarint(payload[1+n:])
		if m <= 0 {
			return nil
		}
		split := len(k)
		k = strconv.AppendUint(append(k, "r/"...), tableID, 10)
		k = strconv.AppendUint(append(k, '/'), rowID, 10)
		s := string(k)
		return []string{s[:split], s[split:]}
	}
	return nil
}

// TableKey is the EventKeys key of every event of a table: ScanKey(TableKey(id), fn) visits
// the table's history.
func TableKey(tableID uint64) string { return "t/" + strconv.FormatUint(tableID, 10) }

// RowKey is the EventKeys key of the events of one row: ScanKey(RowKey(t, r), fn) visits the
// row's history (insert, updates, delete).
func RowKey(tableID, rowID uint64) string {
	return "r/" + strconv.FormatUint(tableID, 10) + "/" + strconv.FormatUint(rowID, 10)
}
