package index

import (
	"sync"

	"github.com/google/btree"
)

// degree is the B-tree degree: nodes hold degree-1 to 2*degree-1 entries. 32 keeps nodes a few
// cache lines wide and trees shallow; copy-on-write copies one node per level on a write.
const degree = 32

// entry is one (key, rowID) pair, ordered by key then row id so that equal keys are adjacent.
type entry struct {
	key   string
	rowID uint64
}

func lessEntry(a, b entry) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	return a.rowID < b.rowID
}

// BTree is an ordered index: a copy-on-write B-tree (github.com/google/btree) of (key, rowID)
// entries. It answers equality lookups and range scans in key order.
type BTree struct {
	// mu serializes Clone, which writes the tree's copy-on-write context: two transactions may
	// clone the same published index at once. Reads never touch that context.
	mu sync.Mutex
	t  *btree.BTreeG[entry]
}

// NewBTree returns an empty ordered index.
func NewBTree() *BTree {
	return &BTree{t: btree.NewG(degree, lessEntry)}
}

// Insert adds (key, rowID).
func (b *BTree) Insert(key string, rowID uint64) { b.t.ReplaceOrInsert(entry{key, rowID}) }

// Delete removes (key, rowID).
func (b *BTree) Delete(key string, rowID uint64) { b.t.Delete(entry{key, rowID}) }

// Lookup calls fn for each row id under key, ascending, until fn returns false.
func (b *BTree) Lookup(key string, fn func(rowID uint64) bool) {
	b.t.AscendGreaterOrEqual(entry{key: key}, func(e entry) bool {
		return e.key == key && fn(e.rowID)
	})
}

// Len returns the number of entries.
func (b *BTree) Len() int { return b.t.Len() }

// Clone returns an O(1) copy-on-write copy (a *BTree).
func (b *BTree) Clone() Index {
	b.mu.Lock()
	defer b.mu.Unlock()
	return &BTree{t: b.t.Clone()}
}

// Ascend calls fn for entries with from <= key < to ("" = unbounded), ascending.
func (b *BTree) Ascend(from, to string, fn func(key string, rowID uint64) bool) {
	visit := func(e entry) bool {
		if to != "" && e.key >= to {
			return false
		}
		return fn(e.key, e.rowID)
	}
	if from == "" {
		b.t.Ascend(visit)
		return
	}
	b.t.AscendGreaterOrEqual(entry{key: from}, visit)
}

// Descend calls fn for entries with from <= key < to ("" = unbounded), descending.
func (b *BTree) Descend(from, to string, fn func(key string, rowID uint64) bool) {
	visit := func(e entry) bool {
		if from != "" && e.key < from {
			return false
		}
		return fn(e.key, e.rowID)
	}
	if to == "" {
		b.t.Descend(visit)
		return
	}
	// The greatest entry below to: every entry with key < to is less than (to, 0), and no
	// entry with key == to may be visited, so DescendLessThan (strictly) is what we need.
	b.t.DescendLessOrEqual(entry{key: to}, func(e entry) bool {
		if e.key >= to {
			return true // (to, 0) itself, if present
		}
		return visit(e)
	})
}
