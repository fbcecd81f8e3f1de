// Package catalog keeps the definitions of tables — every version of every table, keyed by the
// table's ID, which never changes. A rename, an added column or a new index is a new version
// effective at the sequence number of the event that made it; a drop is a final "dropped"
// version. That history is what lets AS OF queries read a table as it was defined back then.
//
// A Catalog is a value of storage.State: cloned copy-on-write when a transaction or the commit
// path derives a new state, never mutated after it is published. Clone copies the small lookup
// maps and shares the immutable version slices and *schema.Table definitions.
//
// Names (of tables and of indexes) are case-insensitive. Index names are global, as in
// PostgreSQL: IndexTable finds the table that owns an index.
package catalog
