package index

import (
	"hash/maphash"
	"sync"

	"github.com/google/btree"
)

// seed is the hash seed, fixed per process. Hash indexes live in memory only and are rebuilt on
// load, so the seed need not survive a restart.
var seed = maphash.MakeSeed()

// hashEntry is one entry of a Hash index, ordered by (hash, key, rowID).
type hashEntry struct {
	hash  uint64
	key   string
	rowID uint64
}

func lessHashEntry(a, b hashEntry) bool {
	if a.hash != b.hash {
		return a.hash < b.hash
	}
	if a.key != b.key {
		return a.key < b.key
	}
	return a.rowID < b.rowID
}

// Hash is an equality-only index. It is NOT a hash table: it is a copy-on-write B-tree ordered
// by (hash64(key), key, rowID). See the README for why: every transaction and every reader
// snapshot takes a copy of every index, so Clone must be O(1), which a Go map cannot offer.
// Ordering by the hash first keeps most comparisons to one uint64 compare, and it is honest
// about what a hash index promises — equality lookups, no order.
type Hash struct {
	mu sync.Mutex // serializes Clone; see BTree.mu
	t  *btree.BTreeG[hashEntry]
}

// NewHash returns an empty equality-only index.
func NewHash() *Hash {
	return &Hash{t: btree.NewG(degree, lessHashEntry)}
}

func hashKey(key string) uint64 { return maphash.String(seed, key) }

// Insert adds (key, rowID).
func (h *Hash) Insert(key string, rowID uint64) {
	h.t.ReplaceOrInsert(hashEntry{hashKey(key), key, rowID})
}

// Delete removes (key, rowID).
func (h *Hash) Delete(key string, rowID uint64) {
	h.t.Delete(hashEntry{hashKey(key), key, rowID})
}

// Lookup calls fn for each row id under key, ascending, until fn returns false.
func (h *Hash) Lookup(key string, fn func(rowID uint64) bool) {
	hk := hashKey(key)
	h.t.AscendGreaterOrEqual(hashEntry{hash: hk, key: key}, func(e hashEntry) bool {
		return e.hash == hk && e.key == key && fn(e.rowID)
	})
}

// Len returns the number of entries.
func (h *Hash) Len() int { return h.t.Len() }

// Clone returns an O(1) copy-on-write copy (a *Hash).
func (h *Hash) Clone() Index {
	h.mu.Lock()
	defer h.mu.Unlock()
	return &Hash{t: h.t.Clone()}
}
