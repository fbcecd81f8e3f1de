package main

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// The read workloads run on t exactly as W3 loaded it, each answer checked against the model.
// Checks use only cheap arithmetic on values already scanned, so they add a negligible part to
// the timed operation.

// W4: point SELECT by primary key, with 1 and then 2 clients (the machine has 2 cores).
func (b *bench) w4(ctx context.Context) error {
	stmt, err := b.db.PrepareContext(ctx, "SELECT * FROM t WHERE id = ?")
	if err != nil {
		b.fail("W4", "", err)
		return nil
	}
	defer stmt.Close()
	for _, clients := range []int{1, 2} {
		name := fmt.Sprintf("%s, %d client%s", caseNames["W4"], clients, plural(clients))
		b.timedCase(ctx, "W4", name, clients, func(ctx context.Context, c *client) error {
			id := 1 + c.rng.Int64N(int64(b.data.rows))
			return checkRow(stmt.QueryRowContext(ctx, id), tRow(id, b.data.customers))
		})
	}
	return nil
}

// checkRow scans one row of t and compares it with want.
func checkRow(r *sql.Row, want row) error {
	var got row
	if err := r.Scan(&got.id, &got.k, &got.v, &got.f); err != nil {
		return err
	}
	if got != want {
		return wrong("row %d is %+v, want %+v", want.id, got, want)
	}
	return nil
}

// W5: SELECT by the indexed k; with 10,000 customers a k matches about 100 rows.
func (b *bench) w5(ctx context.Context) error {
	stmt, err := b.db.PrepareContext(ctx, "SELECT * FROM t WHERE k = ?")
	if err != nil {
		b.fail("W5", "", err)
		return nil
	}
	defer stmt.Close()
	b.timedCase(ctx, "W5", caseNames["W5"], 1, func(ctx context.Context, c *client) error {
		k := c.rng.Int64N(int64(b.data.customers))
		ks, err := b.scanT(ctx, stmt, k)
		if err != nil {
			return err
		}
		if len(ks) != int(b.data.perK[k]) {
			return wrong("k = %d returned %d rows, want %d", k, len(ks), b.data.perK[k])
		}
		for _, got := range ks {
			if got != k {
				return wrong("k = %d returned a row with k %d", k, got)
			}
		}
		return nil
	})
	return nil
}

// W6: the first 100 rows in k order from a random k: an ordered range scan with a LIMIT, which
// an engine should answer from the index on k without sorting the rest of the range.
func (b *bench) w6(ctx context.Context) error {
	stmt, err := b.db.PrepareContext(ctx, "SELECT * FROM t WHERE k >= ? ORDER BY k LIMIT 100")
	if err != nil {
		b.fail("W6", "", err)
		return nil
	}
	defer stmt.Close()
	b.timedCase(ctx, "W6", caseNames["W6"], 1, func(ctx context.Context, c *client) error {
		from := c.rng.Int64N(int64(b.data.customers))
		ks, err := b.scanT(ctx, stmt, from)
		if err != nil {
			return err
		}
		if want := b.data.firstKs(from, 100); !slices.Equal(ks, want) {
			return wrong("k >= %d returned k values %v, want %v", from, ks, want)
		}
		return nil
	})
	return nil
}

// scanT runs a query returning rows of t, checks each row's k and f against the model for its
// id (v is not checked: W9 changes it) and returns the k column in the order received.
func (b *bench) scanT(ctx context.Context, stmt *sql.Stmt, args ...any) ([]int64, error) {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ks := make([]int64, 0, 128)
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.k, &r.v, &r.f); err != nil {
			return nil, err
		}
		if k, f := tKF(r.id, b.data.customers); k != r.k || f != r.f {
			return nil, wrong("row %d has k=%d f=%v, want k=%d f=%v", r.id, r.k, r.f, k, f)
		}
		ks = append(ks, r.k)
	}
	return ks, rows.Err()
}

// W7: a full-table aggregate: 100 groups (fewer at small scales) of COUNT and SUM.
func (b *bench) w7(ctx context.Context) error {
	b.aggregate(ctx, "W7", "SELECT k % 100, COUNT(*), SUM(f) FROM t GROUP BY 1", b.data.modCount, b.data.modSum)
	return nil
}

// W8: a join of the whole of t with a quarter of c, then grouped by c's region.
func (b *bench) w8(ctx context.Context) error {
	b.aggregate(ctx, "W8", "SELECT c.k, COUNT(*), SUM(t.f) FROM t JOIN c ON t.k = c.id WHERE c.f < 250 GROUP BY c.k",
		b.data.joinCount, b.data.joinSum)
	return nil
}

// aggregate times a query returning (group, count, sum) rows and checks every group against
// the model: the same groups, exact counts, sums within a relative 1e-9. Both engines are held
// to the same model, so their answers also agree with each other.
func (b *bench) aggregate(ctx context.Context, id, query string, count map[int64]int64, sum map[int64]float64) {
	stmt, err := b.db.PrepareContext(ctx, query)
	if err != nil {
		b.fail(id, "", err)
		return
	}
	defer stmt.Close()
	b.timedCase(ctx, id, caseNames[id], 1, func(ctx context.Context, c *client) error {
		rows, err := stmt.QueryContext(ctx)
		if err != nil {
			return err
		}
		defer rows.Close()
		seen := make(map[int64]bool, len(count))
		for rows.Next() {
			var g, n int64
			var s float64
			if err := rows.Scan(&g, &n, &s); err != nil {
				return err
			}
			if wn, ok := count[g]; !ok || seen[g] || n != wn || !sameFloat(s, sum[g]) {
				return wrong("group %d: COUNT %d SUM %v, want it once, with %d and %v", g, n, s, wn, sum[g])
			}
			seen[g] = true
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(seen) != len(count) {
			return wrong("%d groups, want %d", len(seen), len(count))
		}
		return nil
	})
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
