package eventlog

import (
	"fmt"
	"hash/crc32"
	"runtime"
	"slices"
	"time"
)

// This file is the back half of group commit: the one goroutine that writes. Each turn it takes
// everything Submit queued, writes it with one write call and makes it durable with one
// fdatasync (per the durability setting), then moves the head and wakes the batches' Waits. A
// group is split only where the active segment must be sealed between two of its batches.
//
// Failure is sticky. After a failed write or fsync the kernel may have dropped the dirty pages
// ("fsyncgate"), so retrying could report success for data that is gone. The writer fails the
// group and every later batch, Submit refuses new ones, reads keep working on what was
// acknowledged, and reopening recovers from what actually reached the disk.

// writer is the writer goroutine's state. Nothing else touches it while the log is open.
type writer struct {
	f           file    // the active segment
	seg         segment //
	info        segInfo // the active segment's first record and the chain hash before it
	size        int64   // bytes of committed records in f
	alloc       int64   // bytes f holds: records, then preallocated zeros
	crc         uint32  // CRC-32C of f[:size], for the segment's .idx when it is sealed
	lastMarkOff int64   // offset of the active segment's newest mark
	spare       *queue  // the queue Submit fills next
	unsynced    bool    // f has writes no sync has covered
	lastSync    time.Time
	timer       *time.Timer // DurabilityInterval's deadline for the next sync

	groups, batches uint64 // writes made and batches they carried, for tests and benchmarks
}

// zeros is written ahead of the active segment's end to preallocate it.
var zeros = make([]byte, 1<<20)

// run is the writer goroutine.
func (l *Log) run() {
	defer close(l.done)
	w := &l.w
	for {
		l.mu.Lock()
		q := l.q
		l.q, w.spare = w.spare, nil
		closing, failed, mode, interval := l.closing, l.err, l.durability, l.interval
		l.mu.Unlock()
		took := len(q.batches) > 0
		if took {
			l.space.Broadcast()
			l.flush(q, mode, interval, failed)
		}
		q.reset()
		w.spare = q
		switch {
		case took:
			l.gather()
			continue
		case failed == nil && w.unsynced && (mode == DurabilityAlways || closing && mode != DurabilityOff):
			if err := l.sync(); closing { // switched to always, or closing under interval
				l.closeErr = err
			}
		}
		if closing {
			if err := w.f.Close(); l.closeErr == nil {
				l.closeErr = err
			}
			return
		}
		l.idle(mode, interval)
	}
}

// gather lets the committers just woken submit their next batches before the writer takes the
// next group: it yields while new batches keep arriving, at most a few times. Without it, a
// committer that resubmits at once (the next transaction of a busy client) arrives just after
// the writer took the queue and waits for the group after next; with it, groups are about twice
// as large under load (measured: about 48 batches per write with 64 committers instead of 32). With
// one committer it costs nothing: its next Submit arrives during the first yield.
func (l *Log) gather() {
	for range 4 {
		n := l.submits.Load()
		runtime.Gosched()
		if l.submits.Load() == n {
			return
		}
	}
}

// idle waits for a Submit, or under DurabilityInterval for the moment unsynced writes are due.
func (l *Log) idle(mode Durability, interval time.Duration) {
	w := &l.w
	l.mu.Lock()
	if len(l.q.batches) > 0 || l.closing {
		l.mu.Unlock()
		return
	}
	l.waiting = true // from now on the next Submit kicks
	l.mu.Unlock()
	if mode != DurabilityInterval || !w.unsynced {
		<-l.kick
		return
	}
	d := time.Until(w.lastSync.Add(interval))
	if d <= 0 {
		l.sync()
		return
	}
	w.timer.Reset(d)
	select {
	case <-l.kick:
		w.timer.Stop()
	case <-w.timer.C:
		l.sync()
	}
}

// flush writes the batches of q. failed is the sticky error as of taking q.
func (l *Log) flush(q *queue, mode Durability, interval time.Duration, failed error) {
	if failed != nil {
		l.fail(q, 0, failed)
		return
	}
	w := &l.w
	for i := 0; i < len(q.batches); {
		if w.size >= l.opts.SegmentSize {
			if err := l.rotate(mode); err != nil {
				l.fail(q, i, err)
				return
			}
		}
		// Batches up to the one that takes the segment past its size go together.
		j, size := i, w.size
		for j < len(q.batches) && (j == i || size < l.opts.SegmentSize) {
			size += int64(q.batches[j].end - q.batches[j].off)
			j++
		}
		if err := l.commit(q, i, j, mode, interval); err != nil {
			l.fail(q, i, err)
			return
		}
		i = j
	}
}

// commit writes batches i..j-1 of q with one write, syncs them as mode says, publishes them
// to readers and acknowledges them.
func (l *Log) commit(q *queue, i, j int, mode Durability, interval time.Duration) error {
	w := &l.w
	buf := q.buf[q.batches[i].off:q.batches[j-1].end]
	end := w.size + int64(len(buf))
	if err := l.preallocate(end, mode); err != nil {
		return err
	}
	started := time.Now()
	if _, err := w.f.WriteAt(buf, w.size); err != nil {
		return err
	}
	written := time.Now()
	w.unsynced = true
	w.groups++
	w.batches += uint64(j - i)
	if mode == DurabilityAlways {
		if err := w.f.Datasync(); err != nil {
			return err
		}
		w.unsynced, w.lastSync = false, time.Now()
	}
	synced := time.Now()
	w.crc = crc32.Update(w.crc, crcTable, buf)
	l.publish(q, i, j, buf)
	var stats CommitStats
	if l.opts.OnCommit != nil { // gathered before the acknowledgments, while the batches are certainly ours
		stats = CommitStats{Batches: j - i, Bytes: len(buf), Write: written.Sub(started), Waits: make([]time.Duration, 0, j-i)}
		if mode == DurabilityAlways {
			stats.Sync = synced.Sub(written)
		}
		for _, p := range q.batches[i:j] {
			stats.Records += int(p.res.LastSeq - p.res.FirstSeq + 1)
			stats.Waits = append(stats.Waits, synced.Sub(p.submitted))
		}
	}
	for _, p := range q.batches[i:j] {
		p.wg.Done()
	}
	if l.opts.OnCommit != nil {
		l.opts.OnCommit(stats)
	}
	if mode == DurabilityInterval && time.Since(w.lastSync) >= interval {
		l.sync()
	}
	return nil
}

// preallocate makes sure f holds zeros up to a little beyond end, so that the coming commits
// overwrite allocated blocks and their fdatasync need not commit a new file size. The zeros go
// to the page cache here and reach the disk with the next sync. It is also where a full disk
// shows first: before any record is written.
func (l *Log) preallocate(end int64, mode Durability) error {
	w := &l.w
	ahead := l.opts.Preallocate
	if ahead == 0 && mode != DurabilityOff {
		ahead = DefaultPreallocate
	}
	if end <= w.alloc || ahead <= 0 {
		return nil
	}
	// Not past the segment size: the batch that crosses it is the segment's last.
	target := min(end+ahead, max(end, l.opts.SegmentSize))
	for off := end; off < target; {
		n := min(int64(len(zeros)), target-off)
		if _, err := w.f.WriteAt(zeros[:n], off); err != nil {
			return err
		}
		off += n
	}
	w.alloc = max(target, end)
	return nil
}

// publish makes committed batches i..j-1 visible: it indexes their starts, moves the head and
// hands their bytes to subscribers.
func (l *Log) publish(q *queue, i, j int, buf []byte) {
	w := &l.w
	first, last := q.batches[i].res, q.batches[j-1].res
	if w.size == 0 {
		w.info.firstTime = first.Time
	}
	l.rmu.Lock()
	off := w.size
	for _, p := range q.batches[i:j] {
		if wantMark(w.lastMarkOff, off) {
			l.marks = append(l.marks, mark{seq: p.res.FirstSeq, time: p.res.Time, seg: len(l.segs) - 1, off: off})
			w.lastMarkOff = off
		}
		w.info.lastOff = off + int64(p.last-p.off)
		off += int64(p.end - p.off)
	}
	l.head = head{seq: last.LastSeq, hash: last.Hash, time: last.Time, txid: last.TxID}
	l.headOff = off
	if l.subs.Load() > 0 {
		l.tail.add(buf, first.FirstSeq, last.LastSeq)
		close(l.notify)
		l.notify = make(chan struct{})
	} else {
		l.tail = tailCache{}
	}
	l.rmu.Unlock()
	w.size = off
}

// sync fdatasyncs writes that no sync has covered yet (DurabilityInterval, or after a switch to
// DurabilityAlways). They were already acknowledged, so a failure cannot be reported to their
// committers: it makes the log read-only, and is logged (and returned, for Close).
func (l *Log) sync() error {
	w := &l.w
	if err := w.f.Datasync(); err != nil {
		l.setFailed(err)
		l.opts.Logger.Error("eventlog: sync of acknowledged commits failed; they may be lost in a crash", "err", err)
		return fmt.Errorf("%w: %w", ErrWriteFailed, err)
	}
	w.unsynced, w.lastSync = false, time.Now()
	return nil
}

// fail records a write failure and fails batches i.. of q with it.
func (l *Log) fail(q *queue, i int, err error) {
	l.setFailed(err)
	werr := fmt.Errorf("%w: %w", ErrWriteFailed, err)
	for _, p := range q.batches[i:] {
		p.err = werr
		p.wg.Done()
	}
}

func (l *Log) setFailed(err error) {
	l.mu.Lock()
	first := l.err == nil
	if first {
		l.err = err
	}
	l.mu.Unlock()
	l.space.Broadcast()
	if first {
		l.opts.Logger.Error("eventlog: write failed; log is read-only until reopened", "err", err)
	}
}

// rotate seals the active segment and starts the next one. The sealed segment loses its
// preallocated zeros and is synced whole before the next one exists, so a sealed segment is
// always complete: it ends on a commit marker (rotation happens between batches) and is never
// written again. Its .idx file records its summary and checksum for the next Open.
func (l *Log) rotate(mode Durability) error {
	w := &l.w
	syncs := mode != DurabilityOff
	if w.alloc > w.size {
		if err := w.f.Truncate(w.size); err != nil {
			return err
		}
		w.alloc = w.size
	}
	if syncs {
		if err := w.f.Sync(); err != nil {
			return err
		}
		w.unsynced, w.lastSync = false, time.Now()
	}
	h := l.head // only the writer changes the head
	si := w.info
	si.last, si.lastTxID, si.lastTime, si.hash = h.seq, h.txid, h.time, h.hash
	si.size, si.crc = w.size, w.crc
	si.marks = slices.Clone(l.marks[len(l.marks)-l.segMarks():])
	if err := writeIndex(l.opts.fs, w.seg, &si, syncs); err != nil {
		l.opts.Logger.Warn("eventlog: could not write segment index", "file", w.seg.path, "err", err)
	}
	f, seg, err := createSegment(l.opts.fs, l.dir, h.seq+1, syncs)
	if err != nil {
		return err
	}
	old := w.f
	*w = writer{f: f, seg: seg, info: segInfo{first: seg.first, prev: h.hash, firstTxID: h.txid + 1, firstTime: h.time},
		lastMarkOff: -markBytes, spare: w.spare, unsynced: w.unsynced, lastSync: w.lastSync, timer: w.timer,
		groups: w.groups, batches: w.batches}
	l.rmu.Lock()
	l.segs = append(l.segs, seg)
	l.headOff = 0
	l.rmu.Unlock()
	if err := old.Close(); err != nil {
		l.opts.Logger.Warn("eventlog: closing sealed segment", "file", old.Name(), "err", err)
	}
	return nil
}

// segMarks counts the marks of the active segment, the last ones.
func (l *Log) segMarks() int {
	n, seg := 0, len(l.segs)-1
	for i := len(l.marks) - 1; i >= 0 && l.marks[i].seg == seg; i-- {
		n++
	}
	return n
}
