// Package schema defines the vocabulary every other package shares: SQL types, typed values,
// rows, and the definitions of tables, columns and indexes. It imports nothing of ours.
//
// Values are small tagged structs (no interfaces, no per-value allocation for numbers), with
// two byte encodings: a compact one for events and snapshots (encoding.go) and an
// order-preserving one for index keys (key.go), where comparing the bytes compares the values.
package schema
