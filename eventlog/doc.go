// Package eventlog is eventsql's source of truth: an append-only log in which every change to
// the database is an immutable event. Tables, indexes and snapshots are derived from it and can
// always be rebuilt by replaying it.
//
// In: batches of entries (one batch per committed transaction), each an event type and an
// opaque payload. Out: records in sequence order, each with the envelope the log gave it —
// global sequence number, transaction id, commit time, commit flag and chain hash. The engine
// (log.go, read.go, recover.go, verify.go, segment.go, record.go) never looks inside a payload;
// events.go and codec.go are the vocabulary and its encoding, the only part that knows schema.
//
// # Directory
//
//	LOCK                        flock held by the process that has the log open
//	00000000000000000001.log    a sealed segment: records from seq 1
//	00000000000000812345.log    the active segment: records from seq 812345 to the head
//
// A segment is named by the seq of its first record, so sorted names are the log in order. Only
// the last segment is written; when it reaches Options.SegmentSize it is synced and sealed at a
// batch boundary and the next one is created (and the directory synced).
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
// were built from.
//
// # Invariants
//
//   - Seqs and txids are gapless from 1; the records of a txid are consecutive and only the last
//     carries the commit flag; a batch never spans two segments.
//   - Append returns only after the whole batch is written with one write and fdatasynced; only
//     then do readers see it. The head (Head) is always the last record of a committed batch.
//   - Recovery truncates only the last segment, and only after its last commit marker (see
//     recover.go for how a torn tail is told apart from corruption).
//   - Sealed segments are never modified.
//
// Open recovers and verifies; Append writes; Scan, HashAt and SeqAtTime read without blocking
// the writer; Verify and VerifyDir recheck everything. Errors that locate damage are
// *CorruptionError, matched by errors.Is(err, ErrCorrupt).
package eventlog
