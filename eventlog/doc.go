// Package eventlog is eventsql's source of truth: an append-only log in which every change to
// the database is an immutable event. Tables, indexes and snapshots are derived from it and can
// always be rebuilt by replaying it.
//
// In: batches of entries (one batch per committed transaction), each an event type and an
// opaque payload. Out: records in sequence order, each with the envelope the log gave it —
// global sequence number, transaction id, commit time, commit flag and chain hash. The engine
// never looks inside a payload; events.go and codec.go are the vocabulary and its encoding, the
// only part that knows schema.
//
// # Writing: group commit
//
// Submit gives a batch its seqs, transaction id and commit time at once, in call order, and
// queues it; Pending.Wait returns once it is committed. One writer goroutine takes everything
// queued, writes it with one write call and makes it durable with one fdatasync, then moves the
// head and wakes the waiters (writer.go). Append is Submit then Wait. Options.Durability says
// what "committed" means: DurabilityAlways (after fdatasync, the default), DurabilityInterval
// (after the write; fdatasync at most every SyncInterval, so a power failure can lose the last
// interval of acknowledged commits) or DurabilityOff (tests). A failed write or fsync is sticky:
// the log refuses writes (ErrWriteFailed) until reopened, and reads keep working.
//
// # Directory
//
//	LOCK                        flock held by the process that has the log open
//	00000000000000000001.log    a sealed segment: records from seq 1
//	00000000000000000001.idx    its index: summary, whole-file checksum, marks (derived data)
//	00000000000000812345.log    the active segment: records from seq 812345 to the head,
//	                            then zeros written ahead of the end (preallocated space)
//
// A segment is named by the seq of its first record, so sorted names are the log in order. Only
// the last segment is written; when it reaches Options.SegmentSize it is sealed at a batch
// boundary — its preallocated zeros cut off, synced, its .idx written — and the next one is
// created (and the directory synced).
//
// # Record format (version 1, integers little-endian)
//
//	offset  size  field
//	0       4     length   bytes in the whole record, this field included: 67 + payload size
//	4       4     crc      CRC-32C (Castagnoli) of bytes [0,4) and [8,length): everything but itself
//	8       1     version  record format version, 1
//	9       1     type     event type (Type)
//	10      1     flags    bit 0 = commit: the last record of its transaction; other bits 0
//	11      8     seq      global sequence number, gapless from 1
//	19      8     time     commit time, unix nanoseconds (int64); equal within a batch, never decreasing
//	27      8     txid     transaction id, gapless from 1, shared by the records of one batch
//	35      n     payload  opaque bytes, at most MaxPayload (events.go defines their encoding)
//	35+n    32    hash     SHA-256(previous record's hash ‖ bytes [8, 35+n)); the hash before seq 1
//	                       is 32 zero bytes
//
// The CRC catches torn writes and bit rot in one record. The hash chain makes each record vouch
// for the whole history before it: Verify names the first record whose hash does not follow from
// its predecessor, and every seq has a hash that snapshots store to prove which history they
// were built from. A length field of zero is never a record: it is where the records of the
// active segment end and its preallocated space begins.
//
// The .idx file of a sealed segment is described in index.go: first and last seq, txid and
// commit time, the chain hash before and after, the segment's size and whole-file CRC-32C, the
// marks, and a CRC-32C of its own.
//
// # Invariants
//
//   - Seqs and txids are gapless from 1; the records of a txid are consecutive and only the last
//     carries the commit flag; a batch never spans two segments.
//   - Batches are committed in the order Submit gave them seqs; when Wait succeeds for one,
//     every earlier one is committed, and when it fails, every later one fails. Readers (Head,
//     Scan, subscriptions) see a batch only once it is committed, and never part of one.
//   - Recovery truncates only the last segment, and only after its last commit marker (see
//     recover.go for how a torn tail is told apart from corruption and from preallocated zeros).
//   - Sealed segments are never modified. A changed byte anywhere in the log makes Open refuse
//     with a *CorruptionError naming the file, the record's offset and its seq — except in the
//     log's last batch, where damage cannot be told from a torn write and is cut off (logged).
//
// Open recovers and verifies; Submit, Wait and Append write; Scan, ScanBorrowed, ScanVerified
// (which also checks the hash chain), ScanKey, HashAt, SeqAtTime and Subscribe read without
// blocking the writer; Verify and VerifyDir recheck
// everything. Errors that locate damage are *CorruptionError, matched by errors.Is(err,
// ErrCorrupt).
package eventlog
