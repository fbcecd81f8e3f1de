package eventlog

import (
	"bytes"
	"math"
	"reflect"
	"testing"

	"github.com/eventsql/eventsql/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testTable = schema.Table{
	ID:   7,
	Name: "accounts",
	Columns: []schema.Column{
		{ID: 1, Name: "id", Type: schema.BigInt, NotNull: true, Serial: true},
		{ID: 2, Name: "owner", Type: schema.Varchar(40), Default: "'nobody'"},
		{ID: 4, Name: "balance", Type: schema.Double},
		{ID: 5, Name: "opened", Type: schema.Timestamp},
		{ID: 6, Name: "active", Type: schema.Boolean, NotNull: true, Default: "true"},
	},
	Indexes: []schema.Index{
		{Name: "accounts_pkey", Columns: []uint32{1}, Unique: true, Primary: true},
		{Name: "accounts_owner_key", Columns: []uint32{2}, Unique: true, Constraint: true},
		{Name: "by_owner_balance", Columns: []uint32{2, 4}, Method: schema.Hash},
	},
	NextColumnID: 7,
}

// constrainedTable has CHECK and FOREIGN KEY constraints, which TableCreated carries in a
// section of its own after the table.
var constrainedTable = schema.Table{
	ID: 8, Name: "orders",
	Columns:      []schema.Column{{ID: 1, Name: "id", Type: schema.Integer}, {ID: 2, Name: "account", Type: schema.BigInt}},
	NextColumnID: 3,
	Checks: []schema.Check{{Name: "orders_id_check", Expr: "id > 0", Columns: []uint32{1}},
		{Name: "orders_check", Expr: "true"}},
	ForeignKeys: []schema.ForeignKey{{Name: "orders_account_fkey", Columns: []uint32{2}, RefTable: 7,
		RefColumns: []uint32{1}, OnDelete: schema.Restrict}},
}

var testRow = schema.Row{schema.Int(-42), schema.Str("zoë\x00"), schema.Float(math.Inf(-1)),
	schema.TimestampMicros(-1), schema.Bool(true), schema.Null}

// sampleEvents has one or more events of every type.
var sampleEvents = []Event{
	TableCreated{Table: testTable},
	TableCreated{Table: schema.Table{ID: 1, Name: "empty"}},
	TableCreated{Table: constrainedTable},
	TableDropped{TableID: 7, Name: "accounts"},
	TableAltered{TableID: 7, Kind: ColumnAdded, Column: schema.Column{ID: 7, Name: "note", Type: schema.Text}, Fill: schema.Str("n/a")},
	TableAltered{TableID: 7, Kind: ColumnAdded, Column: schema.Column{ID: 8, Name: "span", Type: schema.Interval}, Fill: schema.IntervalOf(1, -2, 3)},
	TableAltered{TableID: 7, Kind: ColumnAdded, Column: schema.Column{ID: 9, Name: "at", Type: schema.TimestampTZ, Default: "now()"}, Fill: schema.TimestampTZMicros(5)},
	TableAltered{TableID: 7, Kind: ColumnAdded, Column: schema.Column{ID: 10, Name: "day", Type: schema.Date}, Fill: schema.DateDays(-3)},
	TableAltered{TableID: 7, Kind: ColumnDropped, Column: testTable.Columns[2]},
	TableAltered{TableID: 7, Kind: ColumnRenamed, Column: testTable.Columns[1], OldName: "owner", NewName: "holder"},
	TableAltered{TableID: 7, Kind: TableRenamed, OldName: "accounts", NewName: "ledger"},
	TableAltered{TableID: 8, Kind: ConstraintAdded, Check: &constrainedTable.Checks[0]},
	TableAltered{TableID: 8, Kind: ConstraintAdded, ForeignKey: &constrainedTable.ForeignKeys[0]},
	TableAltered{TableID: 8, Kind: ConstraintDropped, OldName: "orders_check"},
	IndexCreated{TableID: 7, Index: testTable.Indexes[2]},
	IndexDropped{TableID: 7, Name: "by_owner_balance"},
	RowInserted{TableID: 7, RowID: 1, Row: testRow},
	RowInserted{TableID: math.MaxUint64, RowID: 1 << 40, Row: schema.Row{}},
	RowUpdated{TableID: 7, RowID: 1, Before: testRow, After: schema.Row{schema.Int(1), schema.Float(math.NaN())}},
	RowDeleted{TableID: 7, RowID: 1, Row: testRow},
	ViewCreated{View: testView},
	ViewCreated{View: schema.View{ID: 9, Name: "empty", Query: "SELECT"}},
	ViewDropped{ViewID: 8, Name: "rich"},
}

var testView = schema.View{ID: 8, Name: "rich", Columns: []string{"owner", "Balance €"},
	Query: "SELECT owner, balance FROM accounts WHERE balance > 100"}

func TestEventRoundTrip(t *testing.T) {
	seen := map[Type]bool{}
	for _, e := range sampleEvents {
		t.Run(reflect.TypeOf(e).Name(), func(t *testing.T) {
			entry := Encode(e)
			assert.Equal(t, e.Type(), entry.Type)
			assert.Equal(t, byte(payloadVersion), entry.Payload[0])
			got, err := Decode(entry.Type, entry.Payload)
			require.NoError(t, err)
			assert.Equal(t, e, got)
			seen[e.Type()] = true
		})
	}
	for typ := TypeTableCreated; typ <= TypeViewDropped; typ++ {
		assert.True(t, seen[typ], "no sample of event type %d", typ)
	}
}

func TestDecodeErrors(t *testing.T) {
	ins := Encode(RowInserted{TableID: 7, RowID: 1, Row: testRow}).Payload
	created := Encode(TableCreated{Table: testTable}).Payload
	alter := Encode(TableAltered{TableID: 1, Kind: TableRenamed, NewName: "x"}).Payload
	view := Encode(ViewCreated{View: testView}).Payload
	tests := []struct {
		name    string
		typ     Type
		payload []byte
		want    error
		msg     string
	}{
		{"unknown type", 99, ins, ErrUnknownType, "99"},
		{"empty payload", TypeRowInserted, nil, ErrBadEvent, "payload version truncated"},
		{"payload version 2", TypeRowInserted, append([]byte{2}, ins[1:]...), ErrBadEvent, "unknown payload version 2"},
		{"trailing byte", TypeRowInserted, append(bytes.Clone(ins), 0), ErrBadEvent, "1 trailing bytes"},
		{"truncated row", TypeRowInserted, ins[:len(ins)-1], ErrBadEvent, "row"},
		{"wrong type for payload", TypeTableDropped, ins, ErrBadEvent, ""},
		{"truncated table", TypeTableCreated, created[:len(created)/2], ErrBadEvent, ""},
		{"empty constraints section", TypeTableCreated, append(bytes.Clone(created), 0, 0), ErrBadEvent, "empty constraints section"},
		{"unknown referential action", TypeTableCreated, patched(Encode(TableCreated{Table: constrainedTable}).Payload,
			len(Encode(TableCreated{Table: constrainedTable}).Payload)-1, 7), ErrBadEvent, "unknown referential action 7"},
		{"unknown alter kind", TypeTableAltered, patched(alter, 2, 9), ErrBadEvent, "unknown alter kind 9"},
		{"huge string length", TypeTableDropped, []byte{1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f}, ErrBadEvent, "table name length"},
		{"truncated view", TypeViewCreated, view[:len(view)-3], ErrBadEvent, "view query"},
		{"huge view column count", TypeViewCreated, []byte{1, 8, 0, 0xff, 0x7f}, ErrBadEvent, "view column count"},
		{"varint overflow", TypeTableDropped, append([]byte{1}, bytes.Repeat([]byte{0xff}, 11)...), ErrBadEvent, "overflowing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Decode(tt.typ, tt.payload)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, e)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

// patched returns a copy of b with b[i] = v.
func patched(b []byte, i int, v byte) []byte {
	c := bytes.Clone(b)
	c[i] = v
	return c
}

func TestTableCodec(t *testing.T) {
	buf := AppendTable([]byte("prefix"), &testTable)
	buf = append(buf, "suffix"...)
	got, n, err := DecodeTable(buf[len("prefix"):])
	require.NoError(t, err)
	assert.Equal(t, testTable, got)
	assert.Equal(t, "suffix", string(buf[len("prefix")+n:]), "n counts exactly the table's bytes")

	bad := []struct {
		name string
		mut  func(tb *schema.Table)
		msg  string
	}{
		{"column kind", func(tb *schema.Table) { tb.Columns[0].Type.Kind = 42 }, "unknown column kind 42"},
		{"index method", func(tb *schema.Table) { tb.Indexes[0].Method = 5 }, "unknown index method 5"},
		{"column length", func(tb *schema.Table) { tb.Columns[1].Type.Length = -1 }, "column length"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			tb := testTable.Clone()
			tt.mut(tb)
			_, _, err := DecodeTable(AppendTable(nil, tb))
			require.ErrorIs(t, err, ErrBadEvent)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestEncodeUnknownPanics(t *testing.T) {
	assert.Panics(t, func() { Encode(&RowInserted{}) })
}

// FuzzDecode decodes arbitrary payloads as every event type. Decode must never panic, and what
// it accepts must survive Encode and Decode unchanged (it has exactly one meaning).
func FuzzDecode(f *testing.F) {
	for _, e := range sampleEvents {
		f.Add(uint8(e.Type()), Encode(e).Payload)
	}
	f.Add(uint8(TypeRowInserted), []byte{1, 1, 1, 0xff})
	f.Fuzz(func(t *testing.T, typ uint8, payload []byte) {
		e, err := Decode(Type(typ), payload)
		if dst := newEventOf(Type(typ)); dst != nil {
			// DecodeInto reads exactly what Decode reads, and fails exactly as it fails.
			ierr := DecodeInto(Type(typ), payload, dst)
			if (err == nil) != (ierr == nil) || err != nil && err.Error() != ierr.Error() {
				t.Fatalf("Decode: %v, DecodeInto: %v", err, ierr)
			}
			if got := reflect.ValueOf(dst).Elem().Interface(); err == nil && !reflect.DeepEqual(e, got) {
				t.Fatalf("Decode: %#v, DecodeInto: %#v", e, got)
			}
		}
		if err != nil {
			return
		}
		again, err := Decode(Type(typ), Encode(e).Payload)
		if err != nil {
			t.Fatalf("re-encoded %#v does not decode: %v", e, err)
		}
		if !reflect.DeepEqual(e, again) {
			t.Fatalf("round trip changed the event:\n%#v\n%#v", e, again)
		}
	})
}
