package index

// Index maps keys to row ids. A key is a schema.Key encoding of the indexed columns' values; the
// same key may map to many row ids (uniqueness is enforced by the caller, storage.Table), and
// the pair (key, rowID) is stored at most once.
//
// An Index is not safe for concurrent mutation. Once published it is only read, and reads and
// Clone are safe from any number of goroutines.
type Index interface {
	// Insert adds the entry (key, rowID); inserting an entry that is present does nothing.
	Insert(key string, rowID uint64)
	// Delete removes the entry (key, rowID); deleting an absent entry does nothing.
	Delete(key string, rowID uint64)
	// Lookup calls fn for every row id stored under key, in ascending row id order, until fn
	// returns false.
	Lookup(key string, fn func(rowID uint64) bool)
	// Len returns the number of entries.
	Len() int
	// Clone returns an independent copy in O(1): both share structure copy-on-write, so a
	// write to either copies only the nodes it touches. The result has the same concrete type.
	Clone() Index
}

// Ordered is an Index that also visits keys in order, for range scans and ORDER BY.
type Ordered interface {
	Index
	// Ascend calls fn for every entry with from <= key < to, in ascending (key, rowID) order,
	// until fn returns false. An empty from or to leaves that end unbounded.
	Ascend(from, to string, fn func(key string, rowID uint64) bool)
	// Descend visits the same entries as Ascend(from, to, ...) in descending (key, rowID)
	// order.
	Descend(from, to string, fn func(key string, rowID uint64) bool)
}

var (
	_ Ordered = (*BTree)(nil)
	_ Index   = (*Hash)(nil)
)
