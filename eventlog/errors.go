package eventlog

import (
	"errors"
	"fmt"
)

// ErrCorrupt is matched (errors.Is) by every *CorruptionError: the log holds bytes that are not
// a valid continuation of the records before them — a checksum mismatch with valid data after
// it, a broken hash chain, an unknown format version, a gap in the sequence numbers. Open, Scan,
// ScanBorrowed, ScanVerified, ScanKey, HashAt, Subscription.Next, Verify and VerifyDir return it. A torn tail left by a crash is not corruption; Open
// repairs it (see recover.go for the rule that tells the two apart).
var ErrCorrupt = errors.New("eventlog: corrupt log")

// ErrClosed is returned by Submit, Append, Scan, ScanKey, HashAt and Verify called after Close,
// and by Subscription.Next once the log or the subscription is closed (after the records
// committed before the log closed have been delivered).
var ErrClosed = errors.New("eventlog: log closed")

// ErrEmptyBatch is returned by Submit and Append when it is given no entries: a transaction that changed
// nothing has no events and must not consume a transaction id.
var ErrEmptyBatch = errors.New("eventlog: empty batch")

// ErrTooLarge is returned by Submit and Append when an entry's payload exceeds MaxPayload. Nothing is
// written and the log stays writable.
var ErrTooLarge = errors.New("eventlog: payload too large")

// ErrWriteFailed is returned by Pending.Wait (and Append) when writing, syncing or starting a
// segment failed, wrapping the cause (errors.Is(err, syscall.ENOSPC) works), and by every
// Submit, Wait and Append after that: once a write or fsync has failed the state of the file is
// unknown (a failed fsync may have dropped dirty pages), so the log refuses further writes until
// it is reopened, which recovers from what actually reached the disk. Reads keep working and
// every acknowledged commit stays readable. A batch that failed this way is in doubt: it was
// not acknowledged, but part or all of it may have reached the disk and be found by the next
// Open, exactly as after a crash.
var ErrWriteFailed = errors.New("eventlog: write failed; log is read-only until reopened")

// ErrOutOfRange is returned by HashAt for a sequence number beyond the committed head.
var ErrOutOfRange = errors.New("eventlog: sequence number beyond head")

// ErrBadDurability is returned by ParseDurability for a setting it does not recognize.
var ErrBadDurability = errors.New("eventlog: bad durability setting")

// ErrNoKeyIndex is returned by ScanKey when the log was opened without Options.Keys.
var ErrNoKeyIndex = errors.New("eventlog: no key index (Options.Keys not set)")

// ErrLocked is returned by Open when another Log (in this or another process) has the
// directory open: two writers would interleave records and break the chain.
var ErrLocked = errors.New("eventlog: log directory is locked by another writer")

// ErrBadEvent is returned by Decode and DecodeTable for a payload that is not a valid encoding:
// truncated, unknown payload version, out-of-range field, or trailing bytes.
var ErrBadEvent = errors.New("eventlog: malformed event payload")

// ErrUnknownType is returned by Decode for an event type it does not know.
var ErrUnknownType = errors.New("eventlog: unknown event type")

// CorruptionError says where the log is damaged: the segment file, the byte offset of the first
// bad record in it, and the sequence number that record should carry (the one after the last
// good record, because a damaged record's own fields cannot be trusted). It matches ErrCorrupt.
type CorruptionError struct {
	File   string
	Offset int64
	Seq    uint64
	Reason string
}

func (e *CorruptionError) Error() string {
	return fmt.Sprintf("eventlog: corrupt log: %s offset %d (seq %d): %s", e.File, e.Offset, e.Seq, e.Reason)
}

// Unwrap makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptionError) Unwrap() error { return ErrCorrupt }
