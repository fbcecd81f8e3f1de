package eventlog

import (
	"encoding/binary"
	"sync"
)

// This file is the optional secondary index behind ScanKey: for each key (a table, a row — what
// Options.Keys says an event belongs to), the seqs of its records. It lives in memory only and is
// rebuilt at Open, like the marks.
//
// Memory. A key's seqs are stored as uvarint deltas in one byte slice: 1 byte per record for
// keys touched at least every 128 records, 2–3 bytes for rarer ones (a row updated now and
// then), against 8 for a []uint64. Each distinct key also costs its map entry, the key string and
// the list header: about 100 bytes. With EventKeys, that is about 2–4 bytes per row event plus
// ~100 bytes per row ever written (its "r/" key): a million-row table with ten million changes
// takes roughly 130 MB.

// keyIndex maps keys to their seq lists. Lists only grow, and only at their end, in seq order
// (add is called under the log's submission lock, or by the single-threaded recovery scan).
type keyIndex struct {
	mu sync.RWMutex
	m  map[string]*seqList
}

type seqList struct {
	last uint64 // the newest seq in buf
	buf  []byte // uvarint deltas: the first seq, then each seq minus the one before
}

// seqKeys is one record's keys.
type seqKeys struct {
	seq  uint64
	keys []string
}

func newKeyIndex() *keyIndex { return &keyIndex{m: map[string]*seqList{}} }

func newKeyIndexIf(on bool) *keyIndex {
	if !on {
		return nil
	}
	return newKeyIndex()
}

// add indexes records, which come in seq order after every seq already indexed.
func (x *keyIndex) add(recs []seqKeys) {
	if len(recs) == 0 {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, r := range recs {
		for _, k := range r.keys {
			l := x.m[k]
			if l == nil {
				l = &seqList{}
				x.m[k] = l
			} else if l.last == r.seq {
				continue // the same key twice for one record
			}
			l.buf = binary.AppendUvarint(l.buf, r.seq-l.last)
			l.last = r.seq
		}
	}
}

// get returns key's seq list as it is now. The writer only appends beyond its length, so the
// caller may decode it without the lock.
func (x *keyIndex) get(key string) []byte {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if l := x.m[key]; l != nil {
		return l.buf[:len(l.buf):len(l.buf)]
	}
	return nil
}

// ScanKey calls fn, in seq order, for each committed record that Options.Keys put under key at
// the time of the call. Like Scan, fn may keep the Record, an error from fn is returned as is,
// and damage gives a *CorruptionError; it does not block the writer. Consecutive records of the
// key are read on from where the last one was when they are close, else through one seek from
// the nearest index mark. It fails with ErrNoKeyIndex if the log was opened without
// Options.Keys, and ErrClosed after Close.
func (l *Log) ScanKey(key string, fn func(Record) error) error {
	if l.keys == nil {
		return ErrNoKeyIndex
	}
	v, err := l.view()
	if err != nil {
		return err
	}
	seqs := l.keys.get(key) // after the view: it holds every seq up to v.head
	c := cursor{v: &v}
	defer c.close()
	var slab payloadSlab
	visit := func(r *Record) error {
		r.Payload = slab.copy(r.Payload)
		return fn(*r)
	}
	var seq uint64
	for len(seqs) > 0 {
		d, n := binary.Uvarint(seqs)
		seqs, seq = seqs[n:], seq+d
		if seq > v.head.seq {
			break // submitted after the view was taken, or never committed
		}
		if err := c.scan(seq, seq, visit); err != nil {
			return err
		}
	}
	return nil
}
