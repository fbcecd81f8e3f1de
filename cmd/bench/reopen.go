package main

import (
	"context"
	"fmt"
	"time"
)

// W10: close the database and open it again with its million rows, and time from the start of
// the open to the first answer (a point SELECT of the last row). For eventsql that is loading
// the newest snapshot — written by Close — replaying the log after it and rebuilding the
// indexes; for SQLite it is opening the file, setting the pragmas and reading the pages the
// query needs. The close is timed too, separately (eventsql writes its final snapshot then;
// SQLite checkpoints the WAL). It repeats while the duration lasts, at most 5 times.
func (b *bench) w10(ctx context.Context) error {
	probe := tRow(int64(b.data.rows), b.data.customers) // untouched by W9 and W11
	var opens, closes histogram
	var firstClose time.Duration // the one that has work to do: a snapshot, a checkpoint
	start := time.Now()
	for i := 0; i < 5 && (i == 0 || time.Since(start) < b.cfg.duration); i++ {
		t0 := time.Now()
		err := b.db.Close()
		b.db = nil
		if i == 0 {
			firstClose = time.Since(t0)
		} else {
			closes.record(time.Since(t0))
		}
		if err != nil {
			b.fail("W10", "", fmt.Errorf("close: %w", err))
			return nil
		}
		t0 = time.Now()
		db, err := b.engine.open(ctx, b.dir)
		if err == nil {
			err = checkRow(db.QueryRowContext(ctx, "SELECT * FROM t WHERE id = ?", probe.id), probe)
		}
		took := time.Since(t0)
		if err != nil {
			if db != nil {
				db.Close()
			}
			b.fail("W10", "", b.explain(ctx, err))
			return nil
		}
		b.db = db
		opens.record(took)
	}
	m := &measure{ops: int64(opens.n), hist: opens} // no elapsed: ops/s means nothing here
	b.record("W10", caseNames["W10"], 1, m, nil,
		fmt.Sprintf("%d reopen%s; the first close took %s, later ones p50 %s", opens.n, plural(int(opens.n)), fmtDur(firstClose),
			fmtDur(closes.percentile(0.5))))
	return nil
}
