package database

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/eventsql/eventsql/executor"
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// This file is rows as resources: a row named by its primary key (the HTTP API's
// /v1/tables/{table}/rows/{key}), read straight from one published state so that the row, its
// version and the seq it was read at always agree.

// RowImage is one row of a table as of one state.
type RowImage struct {
	Key     []string   // the key's values as text: the primary key columns, or the row id
	Row     schema.Row // in the table's column order
	RowID   uint64
	Version uint64 // seq of the event that last inserted or updated the row: its ETag
}

// TableInfo describes one table as of one state.
type TableInfo struct {
	Def  *schema.Table // shared: treat as read-only
	Rows int
	Seq  uint64 // the state's seq
}

// Tables returns every table of the latest committed state, in catalog order.
func (db *DB) Tables() []TableInfo {
	st := db.store.Current()
	var out []TableInfo
	for _, def := range st.Catalog().Tables() {
		if t, ok := st.TableByID(def.ID); ok {
			out = append(out, TableInfo{Def: t.Def(), Rows: t.Len(), Seq: st.Seq()})
		}
	}
	return out
}

// Table describes one table of the latest committed state. It fails with SQLSTATE 42P01 when
// there is no such table.
func (db *DB) Table(name string) (TableInfo, error) {
	st := db.store.Current()
	t, err := lookupTable(st, name)
	if err != nil {
		return TableInfo{}, err
	}
	return TableInfo{Def: t.Def(), Rows: t.Len(), Seq: st.Seq()}, nil
}

func lookupTable(st *storage.State, name string) (*storage.Table, error) {
	t, ok := st.Table(name)
	if !ok {
		return nil, schema.Errorf(schema.CodeUndefinedTable, "relation %q does not exist", name)
	}
	return t, nil
}

// Row returns the row of table whose key is key: the text forms of its primary key values, in
// key order (or, for a table without a primary key, its row id). Inside a transaction it reads
// the transaction's state (its snapshot plus its own writes), otherwise the latest committed
// state. It fails with ErrNoRow when no row has the key, SQLSTATE 42P01 for an unknown table,
// and 22P02 or 42601 for a key that does not fit the key's columns.
func (s *Session) Row(ctx context.Context, table string, key []string) (*RowImage, error) {
	st := s.db.store.Current()
	if s.tx != nil {
		st = s.tx.State()
	}
	t, err := lookupTable(st, table)
	if err != nil {
		return nil, err
	}
	rowID, err := s.db.findRow(ctx, t, key)
	if err != nil {
		return nil, err
	}
	row, ok := t.Get(rowID)
	if !ok {
		return nil, ErrNoRow
	}
	return &RowImage{Key: RowKey(t.Def(), rowID, row), Row: row, RowID: rowID, Version: t.Version(rowID)}, nil
}

// RowPage is one page of a table's rows in key order.
type RowPage struct {
	Def  *schema.Table
	Rows []RowImage
	Seq  uint64 // the state the page was read from
	More bool   // rows follow the last one
}

// Rows returns up to limit rows of table in primary key order (row id order without a primary
// key), starting after the row whose key is after (nil: from the first), as of seq (0: the
// latest committed state; see AS OF SEQ for older ones).
func (db *DB) Rows(ctx context.Context, table string, after []string, limit int, seq uint64) (*RowPage, error) {
	st := db.store.Current()
	if seq != 0 {
		var err error
		if st, err = db.store.StateAt(seq); err != nil {
			return nil, schema.Errorf(schema.CodeInvalidParameter, "as_of: %v", err)
		}
	}
	t, err := lookupTable(st, table)
	if err != nil {
		return nil, err
	}
	def := t.Def()
	page := &RowPage{Def: def, Seq: st.Seq()}
	add := func(id uint64) bool {
		if len(page.Rows) == limit {
			page.More = true
			return false
		}
		row, _ := t.Get(id)
		page.Rows = append(page.Rows, RowImage{Key: RowKey(def, id, row), Row: row, RowID: id, Version: t.Version(id)})
		return ctx.Err() == nil
	}
	pk := def.PrimaryKey()
	if pk == nil {
		var from uint64
		if after != nil {
			if from, err = rowIDKey(after); err != nil {
				return nil, err
			}
		}
		t.Scan(func(id uint64, _ schema.Row) bool { return id <= from || add(id) })
		return page, ctx.Err()
	}
	ix, _, _ := t.Index(pk.Name)
	ord, ok := ix.(interface {
		Ascend(from, to string, fn func(key string, rowID uint64) bool)
	})
	if !ok {
		return nil, schema.Errorf(schema.CodeFeatureUnsupported, "primary key index %q is not ordered", pk.Name)
	}
	from := ""
	if after != nil {
		vals, err := db.keyValues(ctx, def, pk, after)
		if err != nil {
			return nil, err
		}
		from = schema.Key(vals...) + "\x00" // just past the key itself
	}
	ord.Ascend(from, "", func(_ string, id uint64) bool { return add(id) })
	return page, ctx.Err()
}

// findRow returns the id of the row of t with the given key, or ErrNoRow.
func (db *DB) findRow(ctx context.Context, t *storage.Table, key []string) (uint64, error) {
	def := t.Def()
	pk := def.PrimaryKey()
	if pk == nil {
		return rowIDKey(key)
	}
	vals, err := db.keyValues(ctx, def, pk, key)
	if err != nil {
		return 0, err
	}
	ix, _, _ := t.Index(pk.Name)
	var found uint64
	ix.Lookup(schema.Key(vals...), func(id uint64) bool { found = id; return false })
	if found == 0 {
		return 0, ErrNoRow
	}
	return found, nil
}

// keyValues converts a key's text forms to values of the key columns' types with SQL casts, so
// a key in a URL reads exactly as a literal of that type would in SQL.
func (db *DB) keyValues(ctx context.Context, def *schema.Table, pk *schema.Index, key []string) ([]schema.Value, error) {
	pos := def.KeyPositions(pk)
	if len(key) != len(pos) {
		return nil, schema.Errorf(schema.CodeInvalidText, "key of table %q has %d column(s), got %d value(s)", def.Name, len(pos), len(key))
	}
	casts := make([]string, len(pos))
	args := make([]schema.Value, len(pos))
	for i, p := range pos {
		typ := def.Columns[p].Type
		name := typ.String()
		if typ.Kind == schema.KindText {
			name = "text" // a lookup never truncates the way an assignment to varchar(n) would
		}
		casts[i] = fmt.Sprintf("CAST($%d AS %s)", i+1, name)
		args[i] = schema.Str(key[i])
	}
	stmts, err := parser.Parse("SELECT " + strings.Join(casts, ", "))
	if err != nil {
		return nil, syntaxError(err)
	}
	res, err := executor.Execute(ctx, db.env(db.store.Begin()), stmts[0], args)
	if err != nil {
		return nil, err
	}
	return res.Rows[0], nil
}

func rowIDKey(key []string) (uint64, error) {
	if len(key) != 1 {
		return 0, schema.Errorf(schema.CodeInvalidText, "a table without a primary key is keyed by its row id, got %d values", len(key))
	}
	id, err := strconv.ParseUint(key[0], 10, 64)
	if err != nil || id == 0 {
		return 0, schema.Errorf(schema.CodeInvalidText, "invalid row id %q", key[0])
	}
	return id, nil
}

// RowKey returns the text forms of a row's key: its primary key values in key order, or its row
// id when def has no primary key. These are the values Row and History accept.
func RowKey(def *schema.Table, rowID uint64, row schema.Row) []string {
	pk := def.PrimaryKey()
	if pk == nil {
		return []string{strconv.FormatUint(rowID, 10)}
	}
	pos := def.KeyPositions(pk)
	out := make([]string, len(pos))
	for i, p := range pos {
		if p >= 0 && p < len(row) {
			out[i] = row[p].String()
		}
	}
	return out
}
