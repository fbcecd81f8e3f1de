package eventlog

import (
	"context"
	"encoding/binary"
	"sync"
)

// This file is subscriptions: a reader that follows the log as it grows. A subscriber pulls; the
// writer never waits for one and never does work per subscriber. While anyone subscribes, the
// writer copies each committed group's bytes (one memcpy, not per event) into the tail cache, a
// few recent chunks of whole records, and wakes the waiting subscribers by closing a channel.
// Each subscriber reads from the tail cache when its next seq is still there, and from the
// segment files when it is not: when it starts behind, or when it fell so far behind that the
// cache moved on. Either way it asks for records by seq, so the switch between the two has no
// gap and no duplicate.
//
//	writer ── group ──► tail cache: [chunk][chunk][chunk]   (4 MiB, oldest dropped)
//	                                        ▲ next seq here? copy from memory
//	subscriber ── Next ── fill(buffer) ─────┤
//	                                        ▼ else: Scan the segments from next seq

const (
	tailChunkSize = 512 << 10
	tailMaxBytes  = 4 << 20
)

// tailCache holds the most recently committed records, guarded by the log's rmu. A chunk's data
// is only appended to, beyond the length any reader took, so readers copy from it unlocked.
type tailCache struct {
	chunks []*tailChunk // oldest first, consecutive seqs
	bytes  int
}

type tailChunk struct {
	first, last uint64 // seqs of the first and last record in data
	data        []byte // whole records
}

// add appends a committed group of records first..last, frames in buf.
func (t *tailCache) add(buf []byte, first, last uint64) {
	if n := len(t.chunks); n > 0 {
		c := t.chunks[n-1]
		if c.last+1 != first { // a gap: the cache was dropped while nobody subscribed
			*t = tailCache{}
		} else if len(c.data)+len(buf) <= cap(c.data) {
			c.data = append(c.data, buf...)
			c.last = last
			return
		}
	}
	c := &tailChunk{first: first, last: last, data: make([]byte, len(buf), max(len(buf), tailChunkSize))}
	copy(c.data, buf)
	t.chunks = append(t.chunks, c)
	t.bytes += cap(c.data)
	for t.bytes > tailMaxBytes && len(t.chunks) > 1 {
		t.bytes -= cap(t.chunks[0].data)
		t.chunks[0] = nil
		t.chunks = t.chunks[1:]
	}
}

// find returns the chunk holding seq, with its data and last seq as of now.
func (t *tailCache) find(seq uint64) (c *tailChunk, data []byte, last uint64) {
	for _, c := range t.chunks {
		if c.first <= seq && seq <= c.last {
			return c, c.data[:len(c.data):len(c.data)], c.last
		}
	}
	return nil, nil, 0
}

// Subscription delivers the log's committed records in seq order from a starting seq on, as
// they commit. Next is for one goroutine; Close may be called from any.
type Subscription struct {
	l      *Log
	next   uint64   // seq of the next record to fetch
	buf    []Record // fetched and not yet delivered: the subscriber's bounded buffer
	pos    int
	closed chan struct{}
	once   sync.Once

	// Where the last copy from the tail cache stopped, to continue without re-walking the chunk.
	chunk    *tailChunk
	chunkOff int
	chunkSeq uint64

	fromMemory, fromDisk uint64 // records delivered each way, for tests
}

// Subscribe returns a subscription to every committed record with seq >= fromSeq (0 means 1):
// first those already in the log, read from the segments, then each new one as soon as its
// commit is acknowledged (under DurabilityAlways: durable). buffer bounds how many records
// the subscription holds at a time (0 means 256): a subscriber that falls behind the in-memory
// tail by more than the cache holds reads the segments again until it catches up, so a slow
// subscriber costs the writer nothing. Close it when done.
func (l *Log) Subscribe(fromSeq uint64, buffer int) *Subscription {
	if buffer <= 0 {
		buffer = 256
	}
	l.subs.Add(1) // before the first look at the head: see publish
	return &Subscription{l: l, next: max(fromSeq, 1), buf: make([]Record, 0, buffer), closed: make(chan struct{})}
}

// Next returns the next record, waiting for it to commit if needed. The Record is the caller's
// to keep. It fails with ctx's error when ctx ends first, with ErrClosed once the subscription
// is closed or the log is (records already buffered are delivered first), and with a
// *CorruptionError if the segments it reads are damaged.
func (s *Subscription) Next(ctx context.Context) (Record, error) {
	for {
		if s.pos < len(s.buf) {
			r := s.buf[s.pos]
			s.buf[s.pos] = Record{} // the buffer does not keep delivered payloads alive
			s.pos++
			return r, nil
		}
		select {
		case <-s.closed:
			return Record{}, ErrClosed
		default:
		}
		v, notify, err := s.l.subView()
		if err != nil {
			return Record{}, err
		}
		if s.next <= v.head.seq {
			if err := s.fill(&v); err != nil {
				return Record{}, err
			}
			continue
		}
		select {
		case <-notify:
		case <-ctx.Done():
			return Record{}, ctx.Err()
		case <-s.closed:
			return Record{}, ErrClosed
		}
	}
}

// Close ends the subscription: a Next waiting in another goroutine returns ErrClosed.
func (s *Subscription) Close() {
	s.once.Do(func() {
		close(s.closed)
		s.l.subs.Add(-1)
	})
}

// subView is view plus the channel that is closed when the head next moves.
func (l *Log) subView() (view, <-chan struct{}, error) {
	l.rmu.RLock()
	defer l.rmu.RUnlock()
	v, err := l.viewLocked()
	return v, l.notify, err
}

// fill fetches the records after s.next, up to the buffer's capacity and v's head.
func (s *Subscription) fill(v *view) error {
	s.buf, s.pos = s.buf[:0], 0
	to := min(v.head.seq, s.next+uint64(cap(s.buf))-1)
	if s.fillFromTail(to) {
		return nil
	}
	var slab payloadSlab
	err := v.scan(s.next, to, func(r *Record) error {
		rec := *r
		rec.Payload = slab.copy(r.Payload)
		s.buf = append(s.buf, rec)
		return nil
	})
	s.fromDisk += uint64(len(s.buf))
	s.next += uint64(len(s.buf))
	return err
}

// fillFromTail copies records s.next..to from the tail cache, if it still holds s.next.
func (s *Subscription) fillFromTail(to uint64) bool {
	s.l.rmu.RLock()
	c, data, last := s.l.tail.find(s.next)
	s.l.rmu.RUnlock()
	if c == nil {
		return false
	}
	off, seq := 0, c.first
	if s.chunk == c && s.chunkSeq <= s.next {
		off, seq = s.chunkOff, s.chunkSeq
	}
	for ; seq < s.next; seq++ { // the cache holds whole records written by this process
		off += int(binary.LittleEndian.Uint32(data[off:]))
	}
	var slab payloadSlab
	for ; seq <= min(to, last); seq++ {
		n := int(binary.LittleEndian.Uint32(data[off:]))
		r, err := parseRecord(data[off : off+n])
		if err != nil {
			break // cannot happen; the segments will say what is wrong
		}
		r.Payload = slab.copy(r.Payload)
		s.buf = append(s.buf, r)
		off += n
	}
	s.chunk, s.chunkOff, s.chunkSeq = c, off, seq
	s.fromMemory += uint64(len(s.buf))
	s.next += uint64(len(s.buf))
	return len(s.buf) > 0
}
