// Package storage is the materialized side of eventsql: the rows, indexes and table
// definitions that result from applying the event log, in memory, plus snapshots of them on
// disk. The log (package eventlog) is the truth; everything here can be rebuilt from it.
//
// The central type is State, the whole database as of one log seq. State.Apply is the single
// deterministic transition (event → new state) used by recovery, by transactions and by the
// commit path. States are copy-on-write: deriving one never disturbs another, and a published
// State is immutable, so readers hold one as long as they like and never block the writer.
//
// A transaction (Tx) writes into a private clone of the state it began on, recording events.
// At COMMIT the database calls, under its commit lock:
//
//	next, err := store.Prepare(tx)   // conflict checks (40001), re-apply with real seqs (23505)
//	p, err := log.Submit(entries)    // queued for the log's group commit; seqs assigned
//	store.Stage(next, p.Result())    // the next commit builds on it
//
// and then, with the lock released so other commits can join the same fsync:
//
//	res, err := p.Wait()             // durable (or store.Abort() on failure)
//	store.Publish(next)              // visible; maybe snapshot in the background
//
// Snapshots live in <dir>/snapshots, one file per snapshot, named by its seq (20 digits,
// ".snap"). The format, little-endian, uvarint = encoding/binary varint:
//
//	field           size   meaning
//	magic           8      "ESQLSNAP"
//	version         4      3 (1: before views and constraints; 2: before constraints)
//	seq             8      the state is events 1..seq applied
//	time            8      commit time of seq (unix nanos)
//	hash            32     log chain hash after seq; must equal eventlog.Log.HashAt(seq)
//	max row id      8      largest row id used (counters resume after it)
//	max table id    8      largest table id used
//	catalog         …      #tables, then per table: id, #versions, per version: seq,
//	                       dropped byte, eventlog.AppendTable(definition), and from
//	                       version 3 eventlog.AppendConstraints(definition)
//	rows            …      #live tables, then per table: id, #rows, per row: row id,
//	                       version (seq of its last write), schema.AppendRow(row)
//	views           …      (version 2 on) #views, then per view: id, #versions, per version:
//	                       seq, dropped byte, eventlog.AppendView(definition)
//	crc             4      CRC-32C of everything before it
//
// Indexes are rebuilt from the rows on load. A snapshot with a bad checksum, or whose hash is
// not the log's (a different history), is skipped with a logged warning in favour of an older
// one or of a full replay.
package storage
