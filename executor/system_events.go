package executor

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/eventsql/eventsql/catalog"
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// The log as SQL: eventsql.events is a read-only system table with one row per committed event,
// in seq order. Conditions on seq (=, <, <=, >, >=, BETWEEN) bound the part of the log read,
// and table_name = '…' reads through the log's per-table index; every condition is still
// applied to the rows, so these only save reading. It shows the log as of the statement's
// snapshot.

// eventsColumns are the columns of eventsql.events.
var eventsColumns = []column{
	{name: "seq", typ: schema.BigInt}, {name: "time", typ: schema.TimestampTZ},
	{name: "tx", typ: schema.BigInt}, {name: "type", typ: schema.Text},
	{name: "table_name", typ: schema.Text}, {name: "row_key", typ: schema.Text},
	{name: "before", typ: schema.Text}, {name: "after", typ: schema.Text},
	{name: "actor", typ: schema.Text}, {name: "hash", typ: schema.Text},
}

const (
	evSeq   = 0
	evTable = 4
)

// prepareSystemTable plans a reference to a table of the eventsql schema.
func (p *planner) prepareSystemTable(n *parser.TableName) (*unit, error) {
	var defs []column
	switch n.Name {
	case "events":
		defs = eventsColumns
	case "transactions":
		defs = transactionsColumns
	default:
		return nil, errAt(n, schema.CodeUndefinedTable, "relation \"eventsql.%s\" does not exist", n.Name)
	}
	if n.AsOf != nil {
		return nil, errAt(n, schema.CodeFeatureUnsupported, "eventsql.%s is the log itself: filter it by seq or time instead of AS OF", n.Name)
	}
	if p.x.env.Store == nil {
		return nil, &schema.Error{Code: schema.CodeFeatureUnsupported, Message: "eventsql." + n.Name + " needs the database's store", Err: ErrNoStore}
	}
	qual := n.Name
	if n.Alias != "" {
		qual = n.Alias
	}
	cols := make([]column, len(defs))
	for i, c := range defs {
		c.table = qual
		cols[i] = c
	}
	sc := p.newScope(cols)
	if n.Name == "transactions" {
		op := &transactionsOp{x: p.x}
		return &unit{sc: sc, build: func(conds []parser.Expr) (operator, error) {
			return p.filtered(op, sc, conds)
		}}, nil
	}
	return &unit{sc: sc, build: func(conds []parser.Expr) (operator, error) {
		op := &eventsOp{x: p.x}
		for _, b := range p.compiler(sc, "WHERE").localBindings(conds) {
			if len(b.vals) == 1 && (b.pos == evSeq || b.pos == evTable && b.op == parser.OpEq) {
				op.binds = append(op.binds, b)
			}
		}
		return p.filtered(op, sc, conds)
	}}, nil
}

// eventsOp reads the log for eventsql.events.
type eventsOp struct {
	x     *execution
	binds []binding // on seq, and table_name = …
}

func (e *eventsOp) produce(emit func(schema.Row) error) error {
	cat := e.x.read.Catalog()
	lo, hi := uint64(1), e.x.read.Seq()
	var tableID uint64
	for _, b := range e.binds {
		v, err := b.vals[0].eval(nil)
		if err != nil {
			return err
		}
		if v.IsNull() {
			return nil // seq > NULL, table_name = NULL: no row
		}
		if b.pos == evTable {
			id, ok := tableIDNamed(cat, v.Text())
			if !ok {
				return nil
			}
			tableID = id
			continue
		}
		n := v.Float()
		switch b.op {
		case parser.OpEq:
			lo, hi = max(lo, seqCeil(n)), min(hi, seqFloor(n))
		case parser.OpGt:
			lo = max(lo, seqFloor(n)+1)
		case parser.OpGe:
			lo = max(lo, seqCeil(n))
		case parser.OpLt:
			hi = min(hi, seqCeil(n)-1)
		case parser.OpLe:
			hi = min(hi, seqFloor(n))
		}
	}
	if hi == 0 || lo > hi {
		return nil
	}
	err := e.x.env.Store.LogEvents(lo, hi, tableID, func(le storage.LogEvent) error {
		if err := e.x.checkCancel(); err != nil {
			return err
		}
		return emit(eventRow(cat, le))
	})
	if err != nil {
		if _, ok := err.(*schema.Error); !ok {
			return &schema.Error{Code: schema.CodeIOError, Message: "reading the log: " + err.Error(), Err: err}
		}
	}
	return err
}

// seqFloor and seqCeil round a seq bound to whole seqs, clamped at 0.
func seqFloor(f float64) uint64 { return uint64(max(math.Floor(f), 0)) }
func seqCeil(f float64) uint64  { return uint64(max(math.Ceil(f), 0)) }

// tableIDNamed finds the table (or view) that has or had name.
func tableIDNamed(cat *catalog.Catalog, name string) (uint64, bool) {
	if t, ok := cat.Lookup(name); ok {
		return t.ID, true
	}
	for _, id := range cat.IDs() {
		for _, v := range cat.Versions(id) {
			if v.Table != nil && strings.EqualFold(v.Table.Name, name) {
				return id, true
			}
		}
	}
	return 0, false
}

// eventRow is an event as a row of eventsql.events.
func eventRow(cat *catalog.Catalog, le storage.LogEvent) schema.Row {
	row := schema.Row{schema.Int(int64(le.Seq)), schema.TimestampTZMicros(le.Time / int64(time.Microsecond)),
		schema.Int(int64(le.Tx)), schema.Str(le.Type), schema.Null, schema.Null, schema.Null, schema.Null,
		schema.Null, schema.Str(hex.EncodeToString(le.Hash[:]))}
	def := tableAt(cat, le.TableID, le.Seq)
	if def != nil {
		row[evTable] = schema.Str(def.Name)
	} else if name := viewNameAt(cat, le.TableID, le.Seq); name != "" {
		row[evTable] = schema.Str(name)
	}
	if def == nil || le.RowID == 0 {
		return row
	}
	img := le.After
	if img == nil {
		img = le.Before
	}
	row[5] = schema.Str(rowKey(def, le.RowID, img))
	if le.Before != nil {
		row[6] = schema.Str(rowJSON(def, le.Before))
	}
	if le.After != nil {
		row[7] = schema.Str(rowJSON(def, le.After))
	}
	return row
}

// tableAt is table id's definition in effect at seq (for a drop, the one it dropped).
func tableAt(cat *catalog.Catalog, id, seq uint64) *schema.Table {
	if id == 0 {
		return nil
	}
	if t, ok := cat.ByIDAt(id, seq); ok {
		return t
	}
	if t, ok := cat.ByIDAt(id, seq-1); ok {
		return t
	}
	return nil
}

// viewNameAt is the name view id had at seq, or "".
func viewNameAt(cat *catalog.Catalog, id, seq uint64) string {
	name := ""
	for _, v := range cat.ViewVersions(id) {
		if v.Seq <= seq && v.View != nil {
			name = v.View.Name
		}
	}
	return name
}

// rowKey is a row's primary key as text (several columns joined by commas), or its row id
// when the table has none.
func rowKey(def *schema.Table, rowID uint64, row schema.Row) string {
	pk := def.PrimaryKey()
	if pk == nil {
		return strconv.FormatUint(rowID, 10)
	}
	parts := make([]string, 0, len(pk.Columns))
	for _, pos := range def.KeyPositions(pk) {
		if pos < len(row) {
			parts = append(parts, row[pos].Format(def.Columns[pos].Type))
		}
	}
	return strings.Join(parts, ",")
}

// rowJSON is a row image as a JSON object by column name, in column order: numbers as JSON
// numbers (NaN and infinities as strings), booleans, NULL as null, everything else as the
// string PostgreSQL would print.
func rowJSON(def *schema.Table, row schema.Row) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, c := range def.Columns {
		if i >= len(row) {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(c.Name)
		b.Write(name)
		b.WriteByte(':')
		b.WriteString(jsonValue(row[i], c.Type))
	}
	b.WriteByte('}')
	return b.String()
}

// jsonValue is one value of rowJSON.
func jsonValue(v schema.Value, t schema.Type) string {
	switch v.Kind() {
	case schema.KindNull:
		return "null"
	case schema.KindInt:
		return strconv.FormatInt(v.Int(), 10)
	case schema.KindBool:
		return strconv.FormatBool(v.Bool())
	case schema.KindFloat:
		if f := v.Float(); !math.IsNaN(f) && !math.IsInf(f, 0) {
			return v.Format(t)
		}
	case schema.KindNumeric:
		if s := v.Format(t); s != "NaN" {
			return s
		}
	}
	q, _ := json.Marshal(v.Format(t))
	return string(q)
}

func (e *eventsOp) explain() *planNode {
	n := &planNode{label: "Log Scan on eventsql.events"}
	for _, b := range e.binds {
		n.details = append(n.details, "Log range: "+format(unparen(b.cond)))
	}
	return n
}

// transactionsColumns are the columns of eventsql.transactions: one row per committed
// transaction, with its commit time and the seqs of its events.
var transactionsColumns = []column{
	{name: "tx", typ: schema.BigInt}, {name: "time", typ: schema.TimestampTZ},
	{name: "first_seq", typ: schema.BigInt}, {name: "last_seq", typ: schema.BigInt},
	{name: "event_count", typ: schema.BigInt}, {name: "actor", typ: schema.Text},
	{name: "metadata", typ: schema.Text},
}

// transactionsOp reads the log for eventsql.transactions: the events of a transaction are
// consecutive in the log, so each run of one tx id is one row.
type transactionsOp struct{ x *execution }

func (t *transactionsOp) produce(emit func(schema.Row) error) error {
	head := t.x.read.Seq()
	if head == 0 {
		return nil
	}
	var cur schema.Row
	err := t.x.env.Store.LogEvents(1, head, 0, func(le storage.LogEvent) error {
		if cur != nil && uint64(cur[0].Int()) != le.Tx {
			if err := emit(cur); err != nil {
				return err
			}
			cur = nil
		}
		if cur == nil {
			cur = schema.Row{schema.Int(int64(le.Tx)), schema.TimestampTZMicros(le.Time / int64(time.Microsecond)),
				schema.Int(int64(le.Seq)), schema.Int(int64(le.Seq)), schema.Int(0), schema.Null, schema.Null}
		}
		cur[3], cur[4] = schema.Int(int64(le.Seq)), schema.Int(cur[4].Int()+1)
		return t.x.checkCancel()
	})
	if err == nil && cur != nil {
		err = emit(cur)
	}
	return err
}

func (t *transactionsOp) explain() *planNode {
	return &planNode{label: "Log Scan on eventsql.transactions"}
}
