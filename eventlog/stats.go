package eventlog

import "time"

// CommitStats describes one group commit — one write, at most one fdatasync — for metrics.
// Options.OnCommit receives it.
type CommitStats struct {
	Batches int           // transactions in the group (the group-commit batch size)
	Records int           // records written
	Bytes   int           // bytes written
	Write   time.Duration // the write call
	Sync    time.Duration // the fdatasync; 0 when the durability mode did not sync
	// Waits holds, per transaction, the time from its Submit to its acknowledgment: the
	// commit latency its committer saw in Wait.
	Waits []time.Duration
}
