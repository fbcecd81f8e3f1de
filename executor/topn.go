package executor

import (
	"container/heap"
	"slices"

	"github.com/eventsql/eventsql/schema"
)

// topNMax bounds the heap of a top-N sort; beyond it the full sort is as good.
var topNMax int64 = 1 << 16 // a variable so tests can force either path

// topN emits the first n rows of the sorted input, keeping only n rows in memory: a max-heap of
// the best n so far, whose top is the worst of them and is replaced whenever a better row
// arrives. Ties are broken by arrival order, so the result is exactly the first n rows of the
// stable full sort.
func (s *sortOp) topN(n int, emit func(schema.Row) error) error {
	if n == 0 {
		return nil
	}
	h := &rowHeap{s: s}
	var seq int
	err := s.in.produce(func(row schema.Row) error {
		seq++
		r := seqRow{row, seq}
		switch {
		case len(h.rows) < n:
			heap.Push(h, r)
		case h.less(r, h.rows[0]):
			h.rows[0] = r
			heap.Fix(h, 0)
		}
		return s.x.checkCancel()
	})
	if err != nil {
		return err
	}
	slices.SortFunc(h.rows, func(a, b seqRow) int {
		if h.less(a, b) {
			return -1
		}
		return 1
	})
	for _, r := range h.rows {
		if err := emit(r.row); err != nil {
			return err
		}
	}
	return nil
}

type seqRow struct {
	row schema.Row
	seq int
}

// rowHeap is a max-heap in sort order: rows[0] is the row that sorts last.
type rowHeap struct {
	s    *sortOp
	rows []seqRow
}

// less reports whether a sorts before b (ties by arrival).
func (h *rowHeap) less(a, b seqRow) bool {
	if c := h.s.compare(a.row, b.row); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

func (h *rowHeap) Len() int           { return len(h.rows) }
func (h *rowHeap) Less(i, j int) bool { return h.less(h.rows[j], h.rows[i]) }
func (h *rowHeap) Swap(i, j int)      { h.rows[i], h.rows[j] = h.rows[j], h.rows[i] }
func (h *rowHeap) Push(x any)         { h.rows = append(h.rows, x.(seqRow)) }
func (h *rowHeap) Pop() any {
	r := h.rows[len(h.rows)-1]
	h.rows = h.rows[:len(h.rows)-1]
	return r
}
