package main

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"
)

// caseNames are the table's labels of single-case workloads (and of a workload that is
// skipped as a whole).
var caseNames = map[string]string{
	"W1":  "INSERT, autocommit, 1 client",
	"W2":  "INSERT, autocommit, 16 clients",
	"W3":  "bulk load t, 10,000-row txns (rows/s)",
	"W4":  "point SELECT by id",
	"W5":  "SELECT by indexed k (~100 rows)",
	"W6":  "k >= ? ORDER BY k LIMIT 100",
	"W7":  "GROUP BY k % 100 over t",
	"W8":  "JOIN c, c.f < 250, GROUP BY c.k",
	"W9":  "UPDATE by id, autocommit, 16 clients",
	"W10": "reopen, time to first answer",
	"W11": "AS OF point lookup",
}

const loadBatch = 10_000 // rows per transaction in W3

// W1 and W2: durable single-row INSERTs, each its own (autocommit) transaction, into w — t's
// twin — with ids from a shared counter.
func (b *bench) w1(ctx context.Context) error { return b.inserts(ctx, "W1", 1) }
func (b *bench) w2(ctx context.Context) error { return b.inserts(ctx, "W2", 16) }

func (b *bench) inserts(ctx context.Context, id string, clients int) error {
	stmt, err := b.db.PrepareContext(ctx, "INSERT INTO w VALUES (?, ?, ?, ?)")
	if err != nil {
		b.fail(id, "", err)
		return nil
	}
	defer stmt.Close()
	var before int64
	if err := b.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM w").Scan(&before); err != nil {
		b.fail(id, "", err)
		return nil
	}
	next := atomic.Int64{}
	next.Store(before + 1e9) // beyond any id an earlier run of W1 or W2 used
	m := b.timedCase(ctx, id, caseNames[id], clients, func(ctx context.Context, c *client) error {
		r := tRow(next.Add(1), b.data.customers)
		res, err := stmt.ExecContext(ctx, r.id, r.k, r.v, r.f)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return wrong("INSERT affected %d rows (%v), want 1", n, err)
		}
		return nil
	})
	if m == nil {
		return nil
	}
	// Every acknowledged insert, warm-up included, must be visible.
	var after int64
	if err := b.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM w").Scan(&after); err != nil {
		b.rep.amend(b.engine.name, id, err)
	} else if inserted := next.Load() - before - 1e9; after-before != inserted {
		b.rep.amend(b.engine.name, id, wrong("w has %d new rows after %d acknowledged INSERTs", after-before, inserted))
	}
	return nil
}

// W3: load c (untimed) and then t, in transactions of 10,000 single-row INSERTs of a prepared
// statement — the way an application loads data through database/sql. The index on k exists
// before the load, as it would in a live table. Afterwards COUNT(*) and SUM(f) must match the
// model, and for eventsql the Go heap is measured.
func (b *bench) w3(ctx context.Context) error {
	report := b.selected("W3")
	heapBefore := heapInUse()
	if err := b.load(ctx, "c", int64(b.data.customers), 0, cRow); err != nil {
		b.fail("W3", "", fmt.Errorf("loading c: %w", b.explain(ctx, err)))
		return nil
	}
	var hist histogram
	start := time.Now()
	lastProgress := start
	err := b.load(ctx, "t", int64(b.data.rows), 1, func(id int64) row { return tRow(id, b.data.customers) },
		func(done int64, txn time.Duration) {
			hist.record(txn)
			if time.Since(lastProgress) > 10*time.Second {
				lastProgress = time.Now()
				el := time.Since(start)
				b.progress("%s W3: %d of %d rows in %v (%.0f rows/s)", b.engine.name, done, b.data.rows,
					el.Round(time.Second), float64(done)/el.Seconds())
			}
		})
	elapsed := time.Since(start)
	if err != nil {
		b.fail("W3", "", fmt.Errorf("loading t: %w (%d rows committed in %v)", b.explain(ctx, err),
			int64(hist.n)*loadBatch, elapsed.Round(time.Millisecond)))
		return nil
	}
	if err := b.checkLoaded(ctx); err != nil {
		b.fail("W3", "", err)
		return nil
	}
	b.loaded = true
	if b.engine.name == "eventsql" {
		b.rep.Memory = &memory{Before: heapBefore, After: heapInUse()}
	}
	b.rep.Disk[b.engine.name] = dirSize(b.dir)
	if report {
		m := &measure{ops: int64(b.data.rows), elapsed: elapsed, hist: hist}
		b.record("W3", caseNames["W3"], 1, m, nil, fmt.Sprintf("%s rows in %.1fs", commas(int64(b.data.rows)), elapsed.Seconds()))
	}
	return nil
}

// load inserts the rows first..first+n-1 of a table in transactions of loadBatch rows, calling
// each (if given) after every commit.
func (b *bench) load(ctx context.Context, table string, n, first int64, gen func(int64) row,
	each ...func(done int64, txn time.Duration)) error {
	for lo := first; lo < first+n; lo += loadBatch {
		t0 := time.Now()
		hi := min(lo+loadBatch, first+n)
		if err := b.loadTx(ctx, table, lo, hi, gen); err != nil {
			return err
		}
		for _, f := range each {
			f(hi-first, time.Since(t0))
		}
	}
	return nil
}

func (b *bench) loadTx(ctx context.Context, table string, lo, hi int64, gen func(int64) row) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO "+table+" VALUES (?, ?, ?, ?)")
	if err != nil {
		return err
	}
	for id := lo; id < hi; id++ {
		r := gen(id)
		if _, err := stmt.ExecContext(ctx, r.id, r.k, r.v, r.f); err != nil {
			return fmt.Errorf("row %d: %w", id, err)
		}
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	return tx.Commit()
}

// checkLoaded compares t and c with the model: row counts and sums of f and k.
func (b *bench) checkLoaded(ctx context.Context) error {
	var wantSum float64
	var wantK int64
	for _, s := range b.data.modSum {
		wantSum += s
	}
	for k, n := range b.data.perK {
		wantK += int64(k) * int64(n)
	}
	var n, sumK int64
	var sum float64
	if err := b.db.QueryRowContext(ctx, "SELECT COUNT(*), SUM(k), SUM(f) FROM t").Scan(&n, &sumK, &sum); err != nil {
		return fmt.Errorf("checking the load: %w", err)
	}
	if n != int64(b.data.rows) || sumK != wantK || !sameFloat(sum, wantSum) {
		return wrong("after the load t has COUNT(*)=%d SUM(k)=%d SUM(f)=%g, want %d, %d, %g",
			n, sumK, sum, b.data.rows, wantK, wantSum)
	}
	if err := b.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM c").Scan(&n); err != nil {
		return fmt.Errorf("checking the load: %w", err)
	}
	if n != int64(b.data.customers) {
		return wrong("after the load c has %d rows, want %d", n, b.data.customers)
	}
	return nil
}

// W9: durable single-row UPDATEs by primary key from 16 clients. They change v only, and only
// in the lower half of t's ids, so the model of k and f stays true and W11's rows (upper half)
// and W10's probe (the last id) are untouched.
func (b *bench) w9(ctx context.Context) error {
	stmt, err := b.db.PrepareContext(ctx, "UPDATE t SET v = ? WHERE id = ?")
	if err != nil {
		b.fail("W9", "", err)
		return nil
	}
	defer stmt.Close()
	half := int64(max(1, b.data.rows/2))
	b.timedCase(ctx, "W9", caseNames["W9"], 16, func(ctx context.Context, c *client) error {
		id := 1 + c.rng.Int64N(half)
		res, err := stmt.ExecContext(ctx, fmt.Sprintf("upd-%02d-%017d", c.id, c.n), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return wrong("UPDATE of id %d affected %d rows (%v), want 1", id, n, err)
		}
		return nil
	})
	return nil
}

// execOne runs a statement that must change exactly one row.
func execOne(ctx context.Context, x interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, query string, args ...any) error {
	res, err := x.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return wrong("%s affected %d rows (%v), want 1", query, n, err)
	}
	return nil
}
