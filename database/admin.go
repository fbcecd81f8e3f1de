package database

import (
	"os"
	"path/filepath"
	"time"

	"github.com/eventsql/eventsql/eventlog"
)

// This file is what an operator asks of an open database: a snapshot now, a check of the whole
// log, and the figures /metrics reports.

// Snapshot writes a snapshot of the latest committed state (if none exists at its seq) and
// returns its seq and how long it took. Safe alongside commits.
func (db *DB) Snapshot() (seq uint64, took time.Duration, err error) {
	start := time.Now()
	seq = db.store.Current().Seq()
	err = db.store.Snapshot()
	return seq, time.Since(start), err
}

// VerifyReport is the outcome of Verify.
type VerifyReport struct {
	Events   uint64 // committed events checked
	Bytes    int64  // their size on disk
	HeadSeq  uint64
	HeadHash string // hex
	Segments int
}

// Verify re-reads every committed event, recomputing each checksum and the hash chain, while
// writes go on. On damage it returns the report of what verified before it and the log's
// *eventlog.CorruptionError (test it with errors.As).
func (db *DB) Verify() (VerifyReport, error) {
	rep, err := db.log.Verify()
	return VerifyReport{Events: rep.Records, Bytes: rep.Bytes, HeadSeq: rep.HeadSeq,
		HeadHash: rep.HeadHash.String(), Segments: rep.Segments}, err
}

// LogBytes returns the size of the log's files on disk.
func (db *DB) LogBytes() int64 {
	var n int64
	entries, _ := os.ReadDir(filepath.Join(db.dir, "log"))
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !e.IsDir() {
			n += info.Size()
		}
	}
	return n
}

// Commits returns the number of committed transactions: the transaction id of the last event
// (ids are gapless from 1).
func (db *DB) Commits() uint64 {
	head, _ := db.log.Head()
	if head == 0 {
		return 0
	}
	var txid uint64
	_ = db.log.ScanBorrowed(head, head, func(r *eventlog.Record) error { txid = r.TxID; return nil })
	return txid
}

// CommitStats describes one group commit of the log: its transactions, records and bytes, the
// write and fdatasync times, and each transaction's commit latency.
type CommitStats = eventlog.CommitStats

// ObserveCommits makes fn receive the figures of every group commit from now on (nil stops
// it). fn runs on the log's writer goroutine: it must be quick and must not use the DB.
func (db *DB) ObserveCommits(fn func(CommitStats)) {
	if fn == nil {
		db.observer.Store(nil)
		return
	}
	db.observer.Store(&fn)
}
