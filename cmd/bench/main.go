// Command bench compares eventsql with SQLite (modernc.org/sqlite, pure Go) on the workloads of
// the "Performance" issue: both engines in one process, through database/sql, on fresh data
// directories, each answer checked against a model of the data. It prints ops/s, p50 and p99
// per workload with the ratio eventsql / SQLite, and eventsql's memory per million rows.
//
//	go run ./cmd/bench                        full scale: t has 1,000,000 rows
//	go run ./cmd/bench -scale 0.01            a quick run on 10,000 rows
//	go run ./cmd/bench -only W4,W5 -duration 2s -json out.json
//
// The workloads are described in README.md. The exit status is 1 if any engine returned a
// wrong answer (or the benchmark itself failed), 0 otherwise — an engine that cannot run a
// query is a finding reported in its row, not a failure of the benchmark.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// config is the command line.
type config struct {
	scale    float64
	duration time.Duration
	timeout  time.Duration
	only     map[string]bool // nil: all workloads
	engines  []engine
	dir      string
	jsonOut  string
	cpuProf  string
	progress io.Writer // where progress lines go (stderr)
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := &config{progress: stderr}
	fs.Float64Var(&cfg.scale, "scale", 1, "data size relative to the full 1,000,000 rows of t and 10,000 of c")
	fs.DurationVar(&cfg.duration, "duration", 5*time.Second, "how long each timed workload runs per engine")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Minute, "the longest one workload (the load included) may run before it is reported as an error")
	only := fs.String("only", "", "comma-separated `workloads` to run, e.g. W4,W5 (default all)")
	names := fs.String("engines", "eventsql,sqlite", "comma-separated `engines` to run")
	fs.StringVar(&cfg.dir, "dir", os.TempDir(), "`directory` in which the temporary data directories are made")
	fs.StringVar(&cfg.jsonOut, "json", "", "also write the results as JSON to `file` (- for stdout)")
	fs.StringVar(&cfg.cpuProf, "cpuprofile", "", "write a CPU profile of the whole run to `file`")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if cfg.scale < 0.0001 || cfg.scale > 100 {
		return nil, fmt.Errorf("-scale %g: want a number in [0.0001, 100] (at least 100 rows)", cfg.scale)
	}
	if cfg.duration <= 0 || cfg.timeout <= 0 {
		return nil, fmt.Errorf("-duration and -timeout must be positive")
	}
	if *only != "" {
		cfg.only = map[string]bool{}
		for _, w := range strings.Split(*only, ",") {
			w = strings.ToUpper(strings.TrimSpace(w))
			if !slices.ContainsFunc(workloads, func(x workload) bool { return x.id == w }) {
				return nil, fmt.Errorf("-only: unknown workload %q (want W1 … W11)", w)
			}
			cfg.only[w] = true
		}
	}
	for _, n := range strings.Split(*names, ",") {
		i := slices.IndexFunc(engines, func(e engine) bool { return e.name == strings.TrimSpace(n) })
		if i < 0 {
			return nil, fmt.Errorf("-engines: unknown engine %q (want eventsql, sqlite)", n)
		}
		cfg.engines = append(cfg.engines, engines[i])
	}
	return cfg, nil
}

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintln(stderr, "bench:", err)
		}
		return 2
	}
	if cfg.cpuProf != "" {
		f, err := os.Create(cfg.cpuProf)
		if err != nil {
			fmt.Fprintln(stderr, "bench:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "bench:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := runAll(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return 1
	}
	rep.writeTable(stdout)
	if cfg.jsonOut != "" {
		if err := rep.writeJSON(cfg.jsonOut, stdout); err != nil {
			fmt.Fprintln(stderr, "bench:", err)
			return 1
		}
	}
	if rep.wrong() {
		fmt.Fprintln(stderr, "bench: WRONG RESULTS — see the rows marked WRONG")
		return 1
	}
	return 0
}

// runAll runs the selected workloads on each engine in turn, each on a fresh data directory
// that is removed afterwards. Engines run one after the other, never side by side, so neither
// competes with the other for the two CPUs or the disk.
func runAll(ctx context.Context, cfg *config) (*report, error) {
	rep := newReport(cfg)
	fmt.Fprintf(cfg.progress, "computing the model of %d rows…\n", max(1, int(fullRows*cfg.scale)))
	data := newDataset(cfg.scale)
	rep.Rows, rep.Customers, rep.RawBytes = data.rows, data.customers, data.rawBytes()
	for _, e := range cfg.engines {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b := &bench{cfg: cfg, data: data, engine: e, rep: rep}
		if err := b.runEngine(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", e.name, err)
		}
	}
	return rep, nil
}
