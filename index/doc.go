// Package index holds the secondary structures that answer "which rows have this key?"
// without scanning a table. A key is the schema.Key encoding of the indexed columns' values —
// an order-preserving byte string, so comparing keys bytewise compares the values — and an
// index maps it to the ids of the rows holding it.
//
// Two kinds exist, both behind the Index interface:
//
//	BTree  ordered by (key, rowID); equality lookups and range scans (Ordered)
//	Hash   equality only; ordered internally by (hash64(key), key, rowID)
//
// Both are copy-on-write B-trees (github.com/google/btree), so Clone is O(1): storage takes a
// private copy of every index for every transaction and keeps published ones immutable for
// readers. Uniqueness is not enforced here; storage.Table checks it before it writes.
package index
