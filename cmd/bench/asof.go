package main

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// W11: point lookups in the past. First a history is made: updates of v on a set of hot rows
// (ids just above t's middle, which W9 never touches), in 100 transactions, noting current_seq() after each commit. Then, timed, a lookup of a random hot row AS OF the
// seq after a random one of those commits (or the seq just before the first) — whose answer
// the history predicts exactly — and the same lookup on the present. SQLite has no AS OF, so
// only eventsql's ratio of past to present is reported; the target is within 3×.
const (
	w11Past     = "AS OF point lookup, random past seq"
	w11Present  = "the same lookup, present"
	histCommits = 100
)

// history is what W11 wrote and when, enough to predict any hot row at any noted seq.
type history struct {
	first    int64     // id of the first hot row
	seqs     []int64   // seqs[j]: current_seq() after commit j; seqs[0]: before the first
	versions [][]entry // per hot row, its updates in commit order
	updates  int
	took     time.Duration
}

type entry struct {
	commit int
	v      string
}

// v returns the value of v of hot row i after commit j (the loaded one if none changed it).
func (h *history) v(i, j int, customers int) string {
	vs := h.versions[i]
	n := sort.Search(len(vs), func(x int) bool { return vs[x].commit > j })
	if n == 0 {
		return tRow(h.first+int64(i), customers).v
	}
	return vs[n-1].v
}

func (b *bench) w11(ctx context.Context) error {
	if !b.engine.asOf {
		for _, name := range []string{w11Past, w11Present} {
			b.rep.add(result{Workload: "W11", Case: name, Engine: b.engine.name, NA: true})
		}
		return nil
	}
	h, err := b.makeHistory(ctx)
	if err != nil {
		b.fail("W11", w11Past, fmt.Errorf("making the history: %w", b.explain(ctx, err)))
		return nil
	}
	hot := len(h.versions)
	asOf, err := b.db.PrepareContext(ctx, "SELECT * FROM t AS OF SEQ $1 WHERE id = $2")
	if err != nil {
		b.fail("W11", w11Past, err)
		return nil
	}
	defer asOf.Close()
	now, err := b.db.PrepareContext(ctx, "SELECT * FROM t WHERE id = $1")
	if err != nil {
		b.fail("W11", w11Present, err)
		return nil
	}
	defer now.Close()
	lookup := func(stmt *sql.Stmt, past bool) op {
		return func(ctx context.Context, c *client) error {
			i := c.rng.IntN(hot)
			want := tRow(h.first+int64(i), b.data.customers)
			if !past {
				want.v = h.v(i, len(h.seqs)-1, b.data.customers)
				return checkRow(stmt.QueryRowContext(ctx, want.id), want)
			}
			j := c.rng.IntN(len(h.seqs))
			want.v = h.v(i, j, b.data.customers)
			if err := checkRow(stmt.QueryRowContext(ctx, h.seqs[j], want.id), want); err != nil {
				return fmt.Errorf("AS OF SEQ %d: %w", h.seqs[j], err)
			}
			return nil
		}
	}
	past := b.timedCase(ctx, "W11", w11Past, 1, lookup(asOf, true))
	present := b.timedCase(ctx, "W11", w11Present, 1, lookup(now, false))
	note := fmt.Sprintf("history: %s updates of %s rows in %d txns, made in %s",
		commas(int64(h.updates)), commas(int64(hot)), len(h.seqs)-1, fmtDur(h.took))
	if past != nil && present != nil {
		ratio := float64(past.hist.percentile(0.5)) / float64(present.hist.percentile(0.5))
		note = fmt.Sprintf("AS OF p50 / present p50 = %s (target <= 3x); %s", fmtRatio(ratio), note)
	}
	b.rep.annotate(b.engine.name, "W11", w11Past, note)
	return nil
}

// makeHistory runs the updates of W11, untimed: max(100, 100,000 × scale) updates spread
// over min(1,000, rows/4) hot rows, in 100 transactions.
func (b *bench) makeHistory(ctx context.Context) (*history, error) {
	hot := max(1, min(1000, b.data.rows/4))
	updates := max(100, int(math.Round(100_000*b.cfg.scale)))
	h := &history{first: int64(b.data.rows/2 + 1), versions: make([][]entry, hot), updates: updates}
	seq, err := currentSeq(ctx, b.db)
	if err != nil {
		return nil, err
	}
	h.seqs = append(h.seqs, seq)
	rng := rand.New(rand.NewPCG(seedOf("W11 history"), 0))
	start := time.Now()
	for done := 0; done < updates; {
		commit := len(h.seqs)
		n := min(updates/histCommits, updates-done)
		tx, err := b.db.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		for u := range n {
			i := rng.IntN(hot)
			v := fmt.Sprintf("hist-%06d-%013d", commit, u)
			if err := execOne(ctx, tx, "UPDATE t SET v = $1 WHERE id = $2", v, h.first+int64(i)); err != nil {
				tx.Rollback()
				return nil, err
			}
			h.versions[i] = append(h.versions[i], entry{commit: commit, v: v})
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
		if seq, err = currentSeq(ctx, b.db); err != nil {
			return nil, err
		}
		h.seqs = append(h.seqs, seq)
		done += n
	}
	h.took = time.Since(start)
	return h, nil
}

func currentSeq(ctx context.Context, db *sql.DB) (int64, error) {
	var seq int64
	err := db.QueryRowContext(ctx, "SELECT current_seq()").Scan(&seq)
	return seq, err
}
