package storage

import (
	"fmt"
	"sync"
)

// StateAt returns the database as it was after the event at seq, for AS OF queries: the
// current state if seq is its seq; otherwise the nearest starting point at or below seq — a
// recently computed state, the current state, a snapshot, or the empty state at seq 0 — plus a
// replay of the log up to seq. Results are sealed (immutable) and the last few are cached.
// It fails with ErrFutureSeq if seq is beyond the log's head. A seq inside a multi-event
// transaction gives the state part-way through it; use SeqAtTime for commit boundaries.
// Safe from any goroutine; it never blocks commits.
func (st *Store) StateAt(seq uint64) (*State, error) {
	cur := st.Current()
	if seq == cur.Seq() {
		return cur, nil
	}
	if head, _ := st.log.Head(); seq > head {
		return nil, fmt.Errorf("%w: seq %d, head %d", ErrFutureSeq, seq, head)
	}
	if s, ok := st.history.get(seq); ok {
		return s, nil
	}
	var from *State // a sealed state to clone and replay forward from
	if best, ok := st.history.below(seq); ok {
		from = best
	}
	if cur.Seq() < seq && (from == nil || from.Seq() < cur.Seq()) {
		from = cur
	}
	s := st.fromSnapshot(seq, from)
	if s == nil {
		if from != nil {
			s = from.Clone()
		} else {
			s = NewState()
		}
	}
	if err := st.replay(s, seq); err != nil {
		return nil, err
	}
	s.seal()
	st.history.put(s)
	return s, nil
}

// fromSnapshot loads the newest good snapshot at or below seq that is newer than from, or
// returns nil. Bad snapshots are logged and skipped.
func (st *Store) fromSnapshot(seq uint64, from *State) *State {
	for _, snap := range st.snapshotSeqs() {
		if snap > seq {
			continue
		}
		if from != nil && snap <= from.Seq() {
			return nil
		}
		s, err := st.loadSnapshot(snap)
		if err != nil {
			st.logger.Warn("storage: skipping snapshot", "seq", snap, "err", err)
			continue
		}
		return s
	}
	return nil
}

// history is a small most-recently-used cache of states computed by StateAt.
type history struct {
	mu     sync.Mutex
	max    int
	states []*State // most recently used first
}

func (h *history) init(n int) { h.max = n }

func (h *history) get(seq uint64) (*State, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, s := range h.states {
		if s.Seq() == seq {
			copy(h.states[1:i+1], h.states[:i])
			h.states[0] = s
			return s, true
		}
	}
	return nil, false
}

// below returns the cached state with the greatest seq below seq.
func (h *history) below(seq uint64) (*State, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var best *State
	for _, s := range h.states {
		if s.Seq() < seq && (best == nil || s.Seq() > best.Seq()) {
			best = s
		}
	}
	return best, best != nil
}

func (h *history) put(s *State) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.states = append([]*State{s}, h.states...)
	if len(h.states) > h.max {
		h.states = h.states[:h.max]
	}
}
