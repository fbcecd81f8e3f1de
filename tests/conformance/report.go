package conformance

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Totals sums the figures of several files.
type Totals struct {
	Files, Records, Passed, Failed, Skipped int
}

// Sum adds up results.
func Sum(results []*FileResult) Totals {
	var t Totals
	for _, r := range results {
		t.Files++
		t.Records += r.Records
		t.Passed += r.Passed
		t.Failed += r.Failed()
		t.Skipped += r.Skipped
	}
	return t
}

// Table renders a markdown table of results sorted by path — records run, passed, failed,
// skipped, pass rate, PostgreSQL 15's pass rate from base, and seconds — with a total row.
// A file whose record count differs from PostgreSQL's run count is marked with "≠ PG n".
func Table(results []*FileResult, base map[string]Baseline) string {
	results = slices.Clone(results)
	slices.SortFunc(results, func(a, b *FileResult) int { return strings.Compare(a.Path, b.Path) })
	var b strings.Builder
	b.WriteString("| file | records | passed | failed | skipped | pass % | PG15 pass % | s |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	var elapsed time.Duration
	for _, r := range results {
		pg := "—"
		if bl, ok := base[r.Path]; ok {
			pg = fmt.Sprintf("%.2f", bl.PassPct)
			if bl.Run != r.Records {
				pg += fmt.Sprintf(" (≠ PG %d)", bl.Run)
			}
		}
		elapsed += r.Elapsed
		fmt.Fprintf(&b, "| `%s` | %d | %d | %d | %d | %s | %s | %.1f |\n", r.Path, r.Records, r.Passed,
			r.Failed(), r.Skipped, pct(r.Passed, r.Records), pg, r.Elapsed.Seconds())
	}
	t := Sum(results)
	fmt.Fprintf(&b, "| **total** | %d | %d | %d | %d | %s | %s | %.1f |\n", t.Records, t.Passed, t.Failed,
		t.Skipped, pct(t.Passed, t.Records), basePct(base, results), elapsed.Seconds())
	return b.String()
}

// basePct is PostgreSQL's overall pass rate over the files in results.
func basePct(base map[string]Baseline, results []*FileResult) string {
	var run, passed float64
	for _, r := range results {
		if bl, ok := base[r.Path]; ok {
			run += float64(bl.Run)
			passed += float64(bl.Run) * bl.PassPct / 100
		}
	}
	if run == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", 100*passed/run)
}

func pct(n, of int) string {
	if of == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", 100*float64(n)/float64(of))
}
