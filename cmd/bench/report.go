package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// result is one row of one engine: a case of a workload, measured or failed.
type result struct {
	Workload string        `json:"workload"`
	Case     string        `json:"case"`
	Engine   string        `json:"engine"`
	Clients  int           `json:"clients"`
	Ops      int64         `json:"ops"`
	Seconds  float64       `json:"seconds"`
	PerSec   float64       `json:"ops_per_sec,omitempty"`
	P50      time.Duration `json:"p50_ns"`
	P99      time.Duration `json:"p99_ns"`
	Note     string        `json:"note,omitempty"`
	Err      string        `json:"error,omitempty"`
	Wrong    bool          `json:"wrong_result,omitempty"`
	NA       bool          `json:"not_applicable,omitempty"`
}

func (r *result) setMeasure(m *measure) {
	r.Ops, r.Seconds, r.PerSec = m.ops, m.elapsed.Seconds(), m.perSec()
	r.P50, r.P99 = m.hist.percentile(0.50), m.hist.percentile(0.99)
}

func (r *result) setErr(err error) {
	r.Err = err.Error()
	r.Wrong = errors.Is(err, errWrongResult)
}

// report collects every engine's results and prints them side by side.
type report struct {
	Scale     float64           `json:"scale"`
	Rows      int               `json:"rows_t"`
	Customers int               `json:"rows_c"`
	Duration  string            `json:"duration"`
	Machine   string            `json:"machine"`
	Versions  map[string]string `json:"versions"`
	Results   []result          `json:"results"`
	Memory    *memory           `json:"eventsql_memory,omitempty"`
	RawBytes  int64             `json:"raw_bytes"`
	Disk      map[string]int64  `json:"disk_bytes_after_load"`
	engines   []string
}

func newReport(cfg *config) *report {
	r := &report{Scale: cfg.scale, Duration: cfg.duration.String(), Machine: machine(cfg.dir),
		Versions: map[string]string{}, Disk: map[string]int64{}}
	for _, e := range cfg.engines {
		r.engines = append(r.engines, e.name)
	}
	return r
}

func (r *report) add(res result) { r.Results = append(r.Results, res) }

func (r *report) find(engine, id, name string) *result {
	for i := range r.Results {
		x := &r.Results[i]
		if x.Engine == engine && x.Workload == id && (name == "" || x.Case == name) {
			return x
		}
	}
	return nil
}

// amend turns an engine's measured row of workload id into a failure found after the timing.
func (r *report) amend(engine, id string, err error) {
	if x := r.find(engine, id, ""); x != nil {
		x.setErr(err)
	}
}

func (r *report) annotate(engine, id, name, note string) {
	if x := r.find(engine, id, name); x != nil {
		x.Note = note
	}
}

func (r *report) wrong() bool {
	for _, x := range r.Results {
		if x.Wrong {
			return true
		}
	}
	return false
}

// writeTable prints the header, the table and the notes below it.
func (r *report) writeTable(w io.Writer) {
	fmt.Fprintf(w, "eventsql bench: scale %g (t %s rows, c %s rows), %s per timed workload\n",
		r.Scale, commas(int64(r.Rows)), commas(int64(r.Customers)), r.Duration)
	fmt.Fprintf(w, "machine: %s\n", r.Machine)
	for _, e := range r.engines {
		fmt.Fprintf(w, "%-9s %s\n", e+":", r.Versions[e])
	}
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// tabwriter aligns every column right; the workload column is padded here to read left.
	keys := r.cases()
	width := len("workload")
	for _, k := range keys {
		width = max(width, len(label(k)))
	}
	head := []string{fmt.Sprintf("%-*s", width, "workload")}
	for _, e := range r.engines {
		head = append(head, e+" ops/s", "p50", "p99")
	}
	if len(r.engines) == 2 {
		head = append(head, "ops/s ratio", "p50 ratio")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	var foot []string
	for _, key := range keys {
		cells := []string{fmt.Sprintf("%-*s", width, label(key))}
		var got []*result
		for _, e := range r.engines {
			x := r.find(e, key[0], key[1])
			got = append(got, x)
			switch {
			case x == nil:
				cells = append(cells, "-", "", "")
			case x.NA:
				cells = append(cells, "n/a", "", "")
			case x.Err != "":
				label := "error:"
				if x.Wrong {
					label = "WRONG:"
				}
				foot = append(foot, fmt.Sprintf("[%d] %s %s: %s", len(foot)+1, key[0], e, x.Err))
				cells = append(cells, fmt.Sprintf("%s [%d]", label, len(foot)), "", "")
			default:
				cells = append(cells, fmtRate(x.PerSec), fmtDur(x.P50), fmtDur(x.P99))
			}
		}
		if len(r.engines) == 2 {
			cells = append(cells, ratios(got[0], got[1])...)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w)
	r.writeNotes(w, keys)
	for _, f := range foot {
		fmt.Fprintln(w, f)
	}
}

// writeNotes prints what the table cannot hold: the legend, each row's note, the memory and
// disk figures.
func (r *report) writeNotes(w io.Writer, keys [][2]string) {
	fmt.Fprintln(w, "ratio = eventsql / SQLite: ops/s ratio > 1 means eventsql does more; p50 ratio > 1 means it is slower.")
	fmt.Fprintln(w, "W3 ops/s is rows/s and its p50/p99 are per 10,000-row transaction; W10's are the time to first answer.")
	for _, key := range keys {
		for _, e := range r.engines {
			x := r.find(e, key[0], key[1])
			if x == nil || x.Err != "" || x.NA {
				continue
			}
			if x.Note != "" {
				fmt.Fprintf(w, "%s %s: %s\n", x.Workload, x.Engine, x.Note)
			}
			if x.Ops > 0 && x.Ops < 10 && x.Workload != "W10" && x.Workload != "W3" {
				fmt.Fprintf(w, "%s %s: only %d operation%s of %q measured: rough percentiles\n",
					x.Workload, x.Engine, x.Ops, plural(int(x.Ops)), x.Case)
			}
		}
	}
	if m := r.Memory; m != nil && r.Rows > 0 {
		grown := float64(m.After) - float64(m.Before)
		perM := grown / float64(r.Rows+r.Customers) * 1e6
		rawPerM := float64(rowBytes) * 1e6
		fmt.Fprintf(w, "memory eventsql: Go heap in use grew %s loading t and c = %s per 1,000,000 rows; their raw data is %s per 1,000,000 rows (%s)\n",
			mib(grown), mib(perM), mib(rawPerM), fmtRatio(perM/rawPerM))
	}
	if len(r.Disk) > 0 {
		var parts []string
		for _, e := range r.engines {
			if n, ok := r.Disk[e]; ok {
				parts = append(parts, fmt.Sprintf("%s %s", e, mib(float64(n))))
			}
		}
		fmt.Fprintf(w, "disk after the load: %s (raw data %s)\n", strings.Join(parts, ", "), mib(float64(r.RawBytes)))
	}
}

// cases lists (workload, case) pairs in the order they first ran, numbered order by workload.
func (r *report) cases() [][2]string {
	var keys [][2]string
	seen := map[[2]string]bool{}
	for _, w := range []string{"W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11"} {
		for _, x := range r.Results {
			k := [2]string{x.Workload, x.Case}
			if x.Workload == w && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// label is a row's name in the table: "W4  point SELECT by id, 1 client".
func label(k [2]string) string { return fmt.Sprintf("%-4s %s", k[0], k[1]) }

// ratios returns the ops/s and p50 ratios of a to b, or blanks when either is missing.
func ratios(a, b *result) []string {
	ok := func(x *result) bool { return x != nil && x.Err == "" && !x.NA }
	if !ok(a) || !ok(b) {
		return []string{"", ""}
	}
	ops := ""
	if a.PerSec > 0 && b.PerSec > 0 {
		ops = fmtRatio(a.PerSec / b.PerSec)
	}
	p50 := ""
	if a.P50 > 0 && b.P50 > 0 {
		p50 = fmtRatio(float64(a.P50) / float64(b.P50))
	}
	return []string{ops, p50}
}

func (r *report) writeJSON(path string, stdout io.Writer) error {
	out, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	out = append(out, '\n')
	if path == "-" {
		_, err = stdout.Write(out)
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

// machine describes where the benchmark runs: CPUs, memory, Go, and the data directory.
func machine(dir string) string {
	s := fmt.Sprintf("%d CPUs", runtime.NumCPU())
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				s += " (" + strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":")) + ")"
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			s += fmt.Sprintf(", %.0f GiB RAM", float64(kb)/(1<<20))
		}
	}
	s = fmt.Sprintf("%s, %s/%s, %s, data in %s", s, runtime.GOOS, runtime.GOARCH, runtime.Version(), dir)
	// Other processes competing for the CPUs skew every number; say how busy the machine was.
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			s += fmt.Sprintf(", load average %s %s %s at start", f[0], f[1], f[2])
		}
	}
	return s
}

// fmtDur prints a duration with three significant digits.
func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Microsecond:
		return fmt.Sprintf("%dns", d)
	case d < time.Millisecond:
		return sig3(float64(d)/1e3) + "µs"
	case d < time.Second:
		return sig3(float64(d)/1e6) + "ms"
	}
	return sig3(d.Seconds()) + "s"
}

func sig3(x float64) string {
	switch {
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

func fmtRate(x float64) string {
	switch {
	case x <= 0:
		return "-"
	case x < 10:
		return fmt.Sprintf("%.2f", x)
	}
	return commas(int64(x + 0.5))
}

func fmtRatio(x float64) string {
	if x >= 10 {
		return fmt.Sprintf("%.0fx", x)
	}
	return fmt.Sprintf("%.2fx", x)
}

func mib(x float64) string { return fmt.Sprintf("%.1f MiB", x/(1<<20)) }

// commas prints n with thousands separators.
func commas(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
