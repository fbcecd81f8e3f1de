package eventlog

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/eventsql/eventsql/schema"
)

// The encoding of table definitions, shared by TableCreated events and by snapshots, and the
// decoding primitives under Decode. It carries no version of its own: the container (an event
// payload, a snapshot file) is versioned, and a new layout would be read by a new function.
//
//	table   uvarint ID, string Name, uvarint n, n × column, uvarint m, m × index,
//	        uvarint NextColumnID
//	column  uvarint ID, string Name, type, byte flags (1 = NOT NULL, 2 = SERIAL), string Default
//	type    byte Kind, byte Width, uvarint Length, and for KindNumeric uvarint Scale
//	index   string Name, uvarint n, n × uvarint column ID, byte Method,
//	        byte flags (1 = unique, 2 = primary, 4 = constraint)
//	view    uvarint ID, string Name, uvarint n, n × string column name, string Query
//
// A table's CHECK and FOREIGN KEY constraints, added later, are a separate section that
// follows the table where the container allows it (AppendConstraints): at the end of a
// TableCreated payload when there are any, always in snapshot format 2. So logs and snapshots
// written before constraints existed read as they always did.
//
//	constraints  uvarint n, n × check, uvarint m, m × foreign key
//	check        string Name, string Expr, uvarint k, k × uvarint column ID
//	foreign key  string Name, uvarint k, k × uvarint column ID, uvarint RefTable,
//	             uvarint k, k × uvarint column ID, byte OnDelete, byte OnUpdate
//	             (0 NO ACTION, 1 RESTRICT, 2 CASCADE, 3 SET NULL)
const (
	columnNotNull = 1
	columnSerial  = 2

	indexUnique     = 1
	indexPrimary    = 2
	indexConstraint = 4
)

// AppendTable appends the encoding of t to buf and returns the extended buffer.
func AppendTable(buf []byte, t *schema.Table) []byte {
	buf = appendString(binary.AppendUvarint(buf, t.ID), t.Name)
	buf = binary.AppendUvarint(buf, uint64(len(t.Columns)))
	for i := range t.Columns {
		buf = appendColumn(buf, &t.Columns[i])
	}
	buf = binary.AppendUvarint(buf, uint64(len(t.Indexes)))
	for i := range t.Indexes {
		buf = appendIndex(buf, &t.Indexes[i])
	}
	return binary.AppendUvarint(buf, uint64(t.NextColumnID))
}

// DecodeTable decodes a table definition from the front of buf, returning it with the number
// of bytes read. It fails with ErrBadEvent on malformed input and never panics.
func DecodeTable(buf []byte) (schema.Table, int, error) {
	d := decoder{b: buf}
	t := d.table()
	if d.err != nil {
		return schema.Table{}, 0, d.err
	}
	return t, len(buf) - len(d.b), nil
}

// AppendView appends the encoding of v to buf and returns the extended buffer.
func AppendView(buf []byte, v *schema.View) []byte { return appendView(buf, v) }

// DecodeView decodes a view definition from the front of buf, returning it with the number
// of bytes read. It fails with ErrBadEvent on malformed input and never panics.
func DecodeView(buf []byte) (schema.View, int, error) {
	d := decoder{b: buf}
	v := d.view()
	if d.err != nil {
		return schema.View{}, 0, d.err
	}
	return v, len(buf) - len(d.b), nil
}

func appendView(buf []byte, v *schema.View) []byte {
	buf = appendString(binary.AppendUvarint(buf, v.ID), v.Name)
	buf = binary.AppendUvarint(buf, uint64(len(v.Columns)))
	for _, c := range v.Columns {
		buf = appendString(buf, c)
	}
	return appendString(buf, v.Query)
}

func appendString(buf []byte, s string) []byte {
	return append(binary.AppendUvarint(buf, uint64(len(s))), s...)
}

func appendColumn(buf []byte, c *schema.Column) []byte {
	buf = appendString(binary.AppendUvarint(buf, uint64(c.ID)), c.Name)
	buf = append(buf, byte(c.Type.Kind), c.Type.Width)
	buf = binary.AppendUvarint(buf, uint64(c.Type.Length))
	if c.Type.Kind == schema.KindNumeric {
		buf = binary.AppendUvarint(buf, uint64(c.Type.Scale))
	}
	var flags byte
	if c.NotNull {
		flags |= columnNotNull
	}
	if c.Serial {
		flags |= columnSerial
	}
	return appendString(append(buf, flags), c.Default)
}

func appendIndex(buf []byte, ix *schema.Index) []byte {
	buf = appendString(buf, ix.Name)
	buf = binary.AppendUvarint(buf, uint64(len(ix.Columns)))
	for _, id := range ix.Columns {
		buf = binary.AppendUvarint(buf, uint64(id))
	}
	var flags byte
	for _, f := range []struct {
		set bool
		bit byte
	}{{ix.Unique, indexUnique}, {ix.Primary, indexPrimary}, {ix.Constraint, indexConstraint}} {
		if f.set {
			flags |= f.bit
		}
	}
	return append(buf, byte(ix.Method), flags)
}

// decoder reads fields from the front of b. The first failure sticks in err and turns every
// later read into a no-op returning a zero value, so decoding code reads straight through and
// checks once at the end.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrBadEvent, what)
	}
}

func (d *decoder) byte(what string) byte {
	if d.err != nil || len(d.b) == 0 {
		d.fail(what + " truncated")
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(what + " truncated or overflowing")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bounded reads a uvarint that must not exceed limit.
func (d *decoder) bounded(what string, limit uint64) uint64 {
	v := d.uvarint(what)
	if v > limit {
		d.fail(fmt.Sprintf("%s %d out of range", what, v))
		return 0
	}
	return v
}

// count reads a list length; each element takes at least one byte, which bounds allocation
// by the input size.
func (d *decoder) count(what string) int {
	v := d.uvarint(what)
	if v > uint64(len(d.b)) { // compared after the uvarint itself was consumed
		d.fail(fmt.Sprintf("%s %d out of range", what, v))
		return 0
	}
	return int(v)
}

func (d *decoder) string(what string) string {
	n := d.count(what + " length")
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// flags reads a flags byte, rejecting bits outside known.
func (d *decoder) flags(what string, known byte) byte {
	f := d.byte(what)
	if f&^known != 0 {
		d.fail(fmt.Sprintf("unknown %s %#x", what, f))
	}
	return f
}

func (d *decoder) value(what string) schema.Value {
	if d.err != nil {
		return schema.Null
	}
	v, n, err := schema.DecodeValue(d.b)
	if err != nil {
		d.fail(fmt.Sprintf("%s: %v", what, err))
		return schema.Null
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) row(what string) schema.Row {
	if d.err != nil {
		return nil
	}
	r, n, err := schema.DecodeRow(d.b)
	if err != nil {
		d.fail(fmt.Sprintf("%s: %v", what, err))
		return nil
	}
	d.b = d.b[n:]
	return r
}

func (d *decoder) table() schema.Table {
	t := schema.Table{ID: d.uvarint("table id"), Name: d.string("table name")}
	if n := d.count("column count"); n > 0 {
		t.Columns = make([]schema.Column, n)
		for i := range t.Columns {
			t.Columns[i] = d.column()
		}
	}
	if n := d.count("index count"); n > 0 {
		t.Indexes = make([]schema.Index, n)
		for i := range t.Indexes {
			t.Indexes[i] = d.index()
		}
	}
	t.NextColumnID = uint32(d.bounded("next column id", math.MaxUint32))
	return t
}

func (d *decoder) view() schema.View {
	v := schema.View{ID: d.uvarint("view id"), Name: d.string("view name")}
	if n := d.count("view column count"); n > 0 {
		v.Columns = make([]string, n)
		for i := range v.Columns {
			v.Columns[i] = d.string("view column name")
		}
	}
	v.Query = d.string("view query")
	return v
}

func (d *decoder) column() schema.Column {
	c := schema.Column{ID: uint32(d.bounded("column id", math.MaxUint32)), Name: d.string("column name")}
	c.Type.Kind = schema.Kind(d.byte("column kind"))
	// KindNull is let through: TableAltered carries a zero Column when renaming a table.
	if d.err == nil && c.Type.Kind > schema.KindInterval {
		d.fail(fmt.Sprintf("unknown column kind %d", c.Type.Kind))
	}
	c.Type.Width = d.byte("column width")
	c.Type.Length = int(d.bounded("column length", math.MaxInt32))
	if c.Type.Kind == schema.KindNumeric {
		c.Type.Scale = int(d.bounded("numeric scale", math.MaxInt32))
	}
	flags := d.flags("column flags", columnNotNull|columnSerial)
	c.NotNull, c.Serial = flags&columnNotNull != 0, flags&columnSerial != 0
	c.Default = d.string("column default")
	return c
}

func (d *decoder) index() schema.Index {
	ix := schema.Index{Name: d.string("index name")}
	if n := d.count("index column count"); n > 0 {
		ix.Columns = make([]uint32, n)
		for i := range ix.Columns {
			ix.Columns[i] = uint32(d.bounded("index column id", math.MaxUint32))
		}
	}
	ix.Method = schema.IndexMethod(d.byte("index method"))
	if d.err == nil && ix.Method > schema.Hash {
		d.fail(fmt.Sprintf("unknown index method %d", ix.Method))
	}
	f := d.flags("index flags", indexUnique|indexPrimary|indexConstraint)
	ix.Unique, ix.Primary, ix.Constraint = f&indexUnique != 0, f&indexPrimary != 0, f&indexConstraint != 0
	return ix
}

// AppendConstraints appends the encoding of t's CHECK and FOREIGN KEY constraints.
func AppendConstraints(buf []byte, t *schema.Table) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(t.Checks)))
	for _, c := range t.Checks {
		buf = appendString(appendString(buf, c.Name), c.Expr)
		buf = appendColumnIDs(buf, c.Columns)
	}
	buf = binary.AppendUvarint(buf, uint64(len(t.ForeignKeys)))
	for _, fk := range t.ForeignKeys {
		buf = appendColumnIDs(appendString(buf, fk.Name), fk.Columns)
		buf = appendColumnIDs(binary.AppendUvarint(buf, fk.RefTable), fk.RefColumns)
		buf = append(buf, byte(fk.OnDelete), byte(fk.OnUpdate))
	}
	return buf
}

// DecodeConstraints decodes the constraints section from the front of buf into t, returning
// the number of bytes read. It fails with ErrBadEvent on malformed input and never panics.
func DecodeConstraints(buf []byte, t *schema.Table) (int, error) {
	d := decoder{b: buf}
	d.constraints(t)
	if d.err != nil {
		return 0, d.err
	}
	return len(buf) - len(d.b), nil
}

func appendColumnIDs(buf []byte, ids []uint32) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(ids)))
	for _, id := range ids {
		buf = binary.AppendUvarint(buf, uint64(id))
	}
	return buf
}

func (d *decoder) columnIDs(what string) []uint32 {
	n := d.count(what + " count")
	if n == 0 {
		return nil
	}
	ids := make([]uint32, n)
	for i := range ids {
		ids[i] = uint32(d.bounded(what, math.MaxUint32))
	}
	return ids
}

func (d *decoder) constraints(t *schema.Table) {
	t.Checks, t.ForeignKeys = nil, nil
	for n := d.count("check count"); n > 0 && d.err == nil; n-- {
		c := schema.Check{Name: d.string("check name"), Expr: d.string("check expression")}
		c.Columns = d.columnIDs("check column id")
		t.Checks = append(t.Checks, c)
	}
	for n := d.count("foreign key count"); n > 0 && d.err == nil; n-- {
		fk := schema.ForeignKey{Name: d.string("foreign key name"), Columns: d.columnIDs("foreign key column id")}
		fk.RefTable = d.uvarint("referenced table id")
		fk.RefColumns = d.columnIDs("referenced column id")
		fk.OnDelete = d.action()
		fk.OnUpdate = d.action()
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
}

func (d *decoder) action() schema.RefAction {
	a := schema.RefAction(d.byte("referential action"))
	if d.err == nil && a > schema.SetNull {
		d.fail(fmt.Sprintf("unknown referential action %d", a))
	}
	return a
}
