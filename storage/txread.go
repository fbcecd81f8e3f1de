package storage

import (
	"strings"

	"github.com/eventsql/eventsql/schema"
)

// UniqueHolder returns the row of table tableID that holds row's key in the unique index
// named index, as the transaction sees it now: its own writes so far included, unlike a
// State it handed out earlier. ok is false when no row holds the key, when the key has a
// NULL (NULLs never collide), or when the table or index does not exist. INSERT … ON
// CONFLICT uses it to find the row a proposed row would collide with, including rows the
// same statement inserted a moment ago. It does not expose the private state, so it costs no
// clone.
func (tx *Tx) UniqueHolder(tableID uint64, index string, row schema.Row) (rowID uint64, holder schema.Row, ok bool) {
	t, found := tx.reading().TableByID(tableID)
	if !found {
		return 0, nil, false
	}
	for i := range t.def.Indexes {
		if !strings.EqualFold(t.def.Indexes[i].Name, index) || !t.def.Indexes[i].Unique {
			continue
		}
		k, hasNull := t.key(i, row)
		if hasNull {
			return 0, nil, false
		}
		t.idx[i].Lookup(k, func(id uint64) bool {
			rowID, ok = id, true
			return false
		})
		if ok {
			holder, ok = t.Get(rowID)
		}
		return rowID, holder, ok
	}
	return 0, nil, false
}

// CheckForeignKeys checks the foreign keys that the transaction's events from position from
// on (Events()[from:]) touch, against the transaction's state now: see
// State.CheckForeignKeys. The executor calls it at the end of each writing statement with the
// number of events the transaction had before the statement.
func (tx *Tx) CheckForeignKeys(from int) error {
	if from >= len(tx.events) {
		return nil
	}
	return tx.reading().CheckForeignKeys(tx.events[from:])
}
