package storage

import (
	"strings"
	"sync"

	"github.com/google/btree"

	"github.com/eventsql/eventsql/index"
	"github.com/eventsql/eventsql/schema"
)

// degree is the degree of the row B-trees (see index.degree for the trade-off).
const degree = 32

// rowItem is one stored row: its identity, the seq of the event that last wrote it, and its
// values. The Row slice is never modified after it is stored: an update stores a new slice, so
// a row handed to a reader stays valid forever.
type rowItem struct {
	id      uint64
	version uint64
	row     schema.Row
}

func lessRow(a, b rowItem) bool { return a.id < b.id }

// Table is the rows of one table at one State, ordered by row id, with the table's indexes.
// idx is parallel to def.Indexes: idx[i] indexes the key of def.Indexes[i].
//
// A Table reached from a published State is immutable and safe for concurrent readers. A Table
// reached from a State that is still being written (one that a Tx has not yet exposed) changes
// with each Apply; storage.Tx hides that by exposing only snapshots (see Tx.State).
type Table struct {
	def  *schema.Table
	rows *btree.BTreeG[rowItem]
	idx  []index.Index
	// serial holds, for each SERIAL column (by column ID), the largest value the column has
	// ever held — deleted rows included, so a value is never handed out twice. It is derived
	// from the events (put raises it) and stored in snapshots.
	serial map[uint32]int64
	// serialPos caches the positions of def's SERIAL columns (serialOf is the def they were
	// read from), so that writing a row costs one comparison when the table has none.
	serialOf  *schema.Table
	serialPos []int
	// mu serializes clone, which writes the B-trees' copy-on-write contexts: two transactions
	// may clone the same published table at once.
	mu sync.Mutex
}

// newTable returns an empty table with an empty index per index of def.
func newTable(def *schema.Table) *Table {
	t := &Table{def: def, rows: btree.NewG(degree, lessRow)}
	for i := range def.Indexes {
		t.idx = append(t.idx, newIndex(&def.Indexes[i]))
	}
	return t
}

func newIndex(ix *schema.Index) index.Index {
	if ix.Method == schema.Hash {
		return index.NewHash()
	}
	return index.NewBTree()
}

// clone returns a copy-on-write copy: O(#indexes), sharing every B-tree node until written.
func (t *Table) clone() *Table {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := &Table{def: t.def, rows: t.rows.Clone(), idx: make([]index.Index, len(t.idx))}
	if t.serial != nil {
		c.serial = make(map[uint32]int64, len(t.serial))
		for k, v := range t.serial {
			c.serial[k] = v
		}
	}
	for i, ix := range t.idx {
		c.idx[i] = ix.Clone()
	}
	return c
}

// Def returns the table's definition at this State. It is shared: treat it as read-only.
func (t *Table) Def() *schema.Table { return t.def }

// Len returns the number of rows.
func (t *Table) Len() int { return t.rows.Len() }

// Get returns the row with the given id. The row is shared: treat it as read-only.
func (t *Table) Get(rowID uint64) (schema.Row, bool) {
	it, ok := t.rows.Get(rowItem{id: rowID})
	return it.row, ok
}

// Version returns the seq of the event that last inserted or updated the row, 0 if there is no
// such row. Store.Prepare compares versions to detect concurrent updates.
func (t *Table) Version(rowID uint64) uint64 {
	it, _ := t.rows.Get(rowItem{id: rowID})
	return it.version
}

// Scan calls fn for every row in ascending row id order until fn returns false. Rows are
// shared: treat them as read-only.
func (t *Table) Scan(fn func(rowID uint64, row schema.Row) bool) {
	t.rows.Ascend(func(it rowItem) bool { return fn(it.id, it.row) })
}

// Index returns the index named name (case-insensitively) with its definition. The index of a
// btree-method definition also implements index.Ordered.
func (t *Table) Index(name string) (index.Index, *schema.Index, bool) {
	for i := range t.def.Indexes {
		if strings.EqualFold(t.def.Indexes[i].Name, name) {
			return t.idx[i], &t.def.Indexes[i], true
		}
	}
	return nil, nil, false
}

// Indexes returns the definitions of the table's indexes, in definition order. They point into
// the shared definition: treat them as read-only.
func (t *Table) Indexes() []*schema.Index {
	out := make([]*schema.Index, len(t.def.Indexes))
	for i := range t.def.Indexes {
		out[i] = &t.def.Indexes[i]
	}
	return out
}

// key returns the index key of row for the index at position i of the definition, and whether
// it contains a NULL (NULLs never collide in a unique index, as in PostgreSQL).
func (t *Table) key(i int, row schema.Row) (key string, hasNull bool) {
	ix := &t.def.Indexes[i]
	var buf []byte
	for _, p := range t.def.KeyPositions(ix) {
		v := row[p]
		hasNull = hasNull || v.IsNull()
		buf = schema.AppendKey(buf, v)
	}
	return string(buf), hasNull
}

// checkUnique returns a 23505 error if writing row (as row id self) would duplicate a key of a
// unique index held by another row.
func (t *Table) checkUnique(self uint64, row schema.Row) error {
	for i := range t.def.Indexes {
		ix := &t.def.Indexes[i]
		if !ix.Unique {
			continue
		}
		k, hasNull := t.key(i, row)
		if hasNull {
			continue
		}
		clash := false
		t.idx[i].Lookup(k, func(id uint64) bool {
			clash = id != self
			return !clash
		})
		if clash {
			return uniqueError(t.def, ix, row)
		}
	}
	return nil
}

// put stores row as row id (inserting or replacing) at version seq and updates every index.
// The caller has checked uniqueness.
func (t *Table) put(id, seq uint64, row schema.Row) {
	t.raiseSerials(row)
	old, had := t.rows.ReplaceOrInsert(rowItem{id: id, version: seq, row: row})
	for i := range t.def.Indexes {
		nk, _ := t.key(i, row)
		if had {
			ok, _ := t.key(i, old.row)
			if ok == nk {
				continue
			}
			t.idx[i].Delete(ok, id)
		}
		t.idx[i].Insert(nk, id)
	}
}

// remove deletes row id and its index entries.
func (t *Table) remove(id uint64) {
	old, had := t.rows.Delete(rowItem{id: id})
	if !had {
		return
	}
	for i := range t.def.Indexes {
		k, _ := t.key(i, old.row)
		t.idx[i].Delete(k, id)
	}
}

// buildIndex builds the index at position i of def from t's rows, returning a 23505 error if
// the index is unique and two rows share a key with no NULL.
func buildIndex(def *schema.Table, i int, t *Table) (index.Index, error) {
	ix := &def.Indexes[i]
	built := newIndex(ix)
	probe := &Table{def: def}
	var err error
	t.rows.Ascend(func(it rowItem) bool {
		k, hasNull := probe.key(i, it.row)
		if ix.Unique && !hasNull {
			dup := false
			built.Lookup(k, func(uint64) bool { dup = true; return false })
			if dup {
				err = buildUniqueError(def, ix, it.row)
				return false
			}
		}
		built.Insert(k, it.id)
		return true
	})
	return built, err
}

// raiseSerials raises the counters of the SERIAL columns to the row's values.
func (t *Table) raiseSerials(row schema.Row) {
	if t.serialOf != t.def {
		t.serialOf, t.serialPos = t.def, nil
		for i, col := range t.def.Columns {
			if col.Serial {
				t.serialPos = append(t.serialPos, i)
			}
		}
	}
	for _, i := range t.serialPos {
		if i >= len(row) || row[i].Kind() != schema.KindInt {
			continue
		}
		if t.serial == nil {
			t.serial = map[uint32]int64{}
		}
		id := t.def.Columns[i].ID
		t.serial[id] = max(t.serial[id], row[i].Int())
	}
}

// SerialMax returns the largest value the SERIAL column col has held (0 if none).
func (t *Table) SerialMax(col uint32) int64 { return t.serial[col] }
