package eventlog

import (
	"fmt"
	"sync"
	"time"
)

// This file is the front half of group commit: Submit gives a batch its place in the log at
// once, and the writer (writer.go) makes it durable together with whatever else was submitted
// meanwhile.
//
//	committer 1: Submit ─► seqs 7..9 assigned, encoded into the queue ─┐        Wait ─► ack
//	committer 2: Submit ─► seqs 10..10 ────────────────────────────────┤        Wait ─► ack
//	committer 3: Submit ─► seqs 11..14 ────────────────────────────────┤        Wait ─► ack
//	                                                                    ▼         ▲
//	writer:  take the whole queue ─► ONE write ─► ONE fdatasync ─► move head ─► wake each
//
// Encoding (framing, CRC, chain hash) happens in Submit, under the submission lock, in call
// order: the chain makes each record depend on the one before, and doing it there spreads the
// CPU work over the committers while the writer waits on the disk.

// queue holds submitted batches, encoded back to back in buf. There are two: Submit fills one
// while the writer writes the other, and they swap; neither is reallocated in the steady state.
type queue struct {
	buf     []byte
	batches []*Pending
}

// maxQueued bounds the bytes waiting for the writer; Submit blocks while the queue is fuller,
// so committers faster than the disk are slowed down instead of filling memory.
const maxQueued = 16 << 20

// maxKeptBuffer is the largest queue buffer kept for reuse after a huge batch.
const maxKeptBuffer = 4 << 20

func (q *queue) reset() {
	clear(q.batches)
	q.batches = q.batches[:0]
	q.buf = q.buf[:0]
	if cap(q.buf) > maxKeptBuffer {
		q.buf = nil
	}
}

// Pending is a submitted batch on its way to the disk.
type Pending struct {
	res      AppendResult
	off, end int // the batch's bytes in its queue's buffer
	last     int // where its last record starts in the buffer
	err      error
	wg       sync.WaitGroup
	// submitted is when Submit took the batch, kept only for Options.OnCommit.
	submitted time.Time
}

// Result returns what the batch will be once committed — seqs, transaction id, commit time and
// chain hash — known from the moment Submit returned, before it is durable.
func (p *Pending) Result() AppendResult { return p.res }

// Wait blocks until the batch is committed per the log's durability setting (under
// DurabilityAlways: written and fdatasynced) and returns its result, or until it failed:
// ErrWriteFailed wrapping the cause (the batch is then in doubt, see ErrWriteFailed). Batches
// complete in seq order: when Wait returns nil for a batch, every batch submitted before it is
// committed; when it fails, every batch submitted after it fails too. Wait may be called any
// number of times, from any goroutine.
func (p *Pending) Wait() (AppendResult, error) {
	p.wg.Wait()
	if p.err != nil {
		return AppendResult{}, p.err
	}
	return p.res, nil
}

// Submit queues entries as one transaction and returns at once. The batch gets consecutive seqs
// after the last submitted one, the next transaction id, commit time max(now, previous commit
// time) so that time never goes backwards, and FlagCommit on its last record — in call order:
// a caller that holds its own lock across Submit knows FirstSeq as soon as Submit returns
// (Pending.Result). Wait for the Pending before treating the batch as committed; readers (Head,
// Scan, subscriptions) see it only then. entries are encoded before Submit returns and may be
// reused.
//
// It fails with ErrEmptyBatch or ErrTooLarge (nothing queued, the log stays writable),
// ErrClosed, or ErrWriteFailed once a write has failed. It blocks only while more than 16 MiB
// of submitted batches wait for the disk. Safe for concurrent use.
func (l *Log) Submit(entries []Entry) (*Pending, error) {
	if err := checkEntries(entries); err != nil {
		return nil, err
	}
	var keys []seqKeys
	if l.keys != nil { // computed outside the lock: Keys may allocate
		keys = make([]seqKeys, len(entries))
		for i, e := range entries {
			keys[i].keys = l.opts.Keys(e.Type, e.Payload)
		}
	}
	p := &Pending{}
	if l.opts.OnCommit != nil {
		p.submitted = time.Now()
	}
	p.wg.Add(1)
	l.mu.Lock()
	for !l.closing && l.err == nil && len(l.q.buf) >= maxQueued {
		l.space.Wait()
	}
	switch {
	case l.closing:
		l.mu.Unlock()
		return nil, ErrClosed
	case l.err != nil:
		err := fmt.Errorf("%w: %w", ErrWriteFailed, l.err)
		l.mu.Unlock()
		return nil, err
	}
	l.encode(p, entries)
	l.q.batches = append(l.q.batches, p)
	l.submits.Add(1)
	if keys != nil {
		for i := range keys {
			keys[i].seq = p.res.FirstSeq + uint64(i)
		}
		l.keys.add(keys) // under mu, so each key's seqs are added in order
	}
	waiting := l.waiting
	l.waiting = false
	l.mu.Unlock()
	if waiting {
		l.kickWriter()
	}
	return p, nil
}

// Append writes entries as one transaction and returns once it is committed: Submit, then
// Wait. See both for the contract and the errors.
func (l *Log) Append(entries []Entry) (AppendResult, error) {
	p, err := l.Submit(entries)
	if err != nil {
		return AppendResult{}, err
	}
	return p.Wait()
}

func checkEntries(entries []Entry) error {
	if len(entries) == 0 {
		return ErrEmptyBatch
	}
	for i, e := range entries {
		if len(e.Payload) > MaxPayload {
			return fmt.Errorf("%w: entry %d has %d bytes, limit %d", ErrTooLarge, i, len(e.Payload), MaxPayload)
		}
	}
	return nil
}

// encode appends the batch's records to the queue and gives p its result. The caller holds mu.
func (l *Log) encode(p *Pending, entries []Entry) {
	t := l.tip
	res := AppendResult{FirstSeq: t.seq + 1, TxID: t.txid + 1, Time: max(l.opts.Now().UnixNano(), t.time)}
	buf, prev := l.q.buf, t.hash
	p.off = len(buf)
	for i, e := range entries {
		r := Record{Seq: res.FirstSeq + uint64(i), Time: res.Time, TxID: res.TxID, Type: e.Type, Payload: e.Payload}
		if i == len(entries)-1 {
			r.Flags = FlagCommit
			p.last = len(buf)
		}
		buf = appendRecord(buf, l.sha, prev, &r)
		prev = r.Hash
	}
	l.q.buf, p.end = buf, len(buf)
	res.LastSeq, res.Hash = res.FirstSeq+uint64(len(entries))-1, prev
	p.res = res
	l.tip = head{seq: res.LastSeq, hash: res.Hash, time: res.Time, txid: res.TxID}
}
