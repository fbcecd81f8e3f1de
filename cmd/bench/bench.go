package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
	"slices"
	"time"
)

// workload is one line of the list. Workloads run in the order of this table — not
// the order of their numbers — because some change the data others check: the inserts use
// their own table w on the fresh database; the reads run on t exactly as loaded; the updates
// come after them; reopening comes last.
type workload struct {
	id string
	// run runs the workload on b's engine and records its rows in the report. It returns an
	// error only when the benchmark cannot go on with this engine.
	run func(b *bench, ctx context.Context) error
	// needsT: the workload reads or writes the loaded t (and c).
	needsT bool
}

var workloads = []workload{
	{id: "W1", run: (*bench).w1},
	{id: "W2", run: (*bench).w2},
	{id: "W3", run: (*bench).w3},
	{id: "W4", run: (*bench).w4, needsT: true},
	{id: "W5", run: (*bench).w5, needsT: true},
	{id: "W6", run: (*bench).w6, needsT: true},
	{id: "W7", run: (*bench).w7, needsT: true},
	{id: "W8", run: (*bench).w8, needsT: true},
	{id: "W9", run: (*bench).w9, needsT: true},
	{id: "W11", run: (*bench).w11, needsT: true},
	{id: "W10", run: (*bench).w10, needsT: true},
}

// bench is the run of every selected workload on one engine.
type bench struct {
	cfg    *config
	data   *dataset
	engine engine
	rep    *report
	dir    string  // the engine's data directory
	db     *sql.DB // nil after a failed reopen
	loaded bool    // t and c hold exactly the model's rows
}

func (b *bench) selected(id string) bool { return b.cfg.only == nil || b.cfg.only[id] }

// runEngine creates a fresh data directory, runs the selected workloads in it and removes it.
// The load (W3) also runs, unreported, when it is not selected but a later workload needs t.
func (b *bench) runEngine(ctx context.Context) error {
	dir, err := os.MkdirTemp(b.cfg.dir, "bench-"+b.engine.name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	b.dir = dir
	b.db, err = b.engine.open(ctx, dir)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer func() {
		if b.db != nil {
			b.db.Close()
		}
	}()
	for _, s := range schemaSQL {
		if _, err := b.db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	b.rep.Versions[b.engine.name] = version(ctx, b.engine, b.db)
	needT := slices.ContainsFunc(workloads, func(w workload) bool { return w.needsT && b.selected(w.id) })
	for _, w := range workloads {
		if !b.selected(w.id) && !(w.id == "W3" && needT) {
			continue
		}
		if w.needsT && (!b.loaded || b.db == nil) {
			b.fail(w.id, "", errors.New("skipped: t was not loaded (see W3) or the database was lost"))
			continue
		}
		b.progress("%s %s", b.engine.name, w.id)
		wctx, cancel := context.WithTimeout(ctx, b.cfg.timeout)
		var err error
		// The labels let a -cpuprofile be cut by workload: pprof -tagfocus workload=W6.
		pprof.Do(wctx, pprof.Labels("engine", b.engine.name, "workload", w.id), func(ctx context.Context) {
			err = w.run(b, ctx)
		})
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return fmt.Errorf("%s: %w", w.id, err)
		}
	}
	return nil
}

func (b *bench) progress(format string, args ...any) {
	fmt.Fprintf(b.cfg.progress, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// record adds a timed case's row to the report: its numbers, or its error.
func (b *bench) record(id, name string, clients int, m *measure, err error, note string) {
	r := result{Workload: id, Case: name, Engine: b.engine.name, Clients: clients, Note: note}
	if err != nil {
		r.setErr(err)
	} else {
		r.setMeasure(m)
	}
	b.rep.add(r)
}

// fail records that a workload (or one case of it, when name is not empty) could not run.
func (b *bench) fail(id, name string, err error) {
	if name == "" {
		name = caseNames[id]
	}
	r := result{Workload: id, Case: name, Engine: b.engine.name}
	r.setErr(err)
	b.rep.add(r)
}

// timedCase runs one timed case and records it. Its errors are the engine's findings, so they
// go into the report and the benchmark goes on.
func (b *bench) timedCase(ctx context.Context, id, name string, clients int, f op) *measure {
	m, err := b.timed(ctx, clients, seedOf(id+name), f)
	b.record(id, name, clients, m, b.explain(ctx, err), "")
	if err != nil {
		return nil
	}
	return m
}

// explain turns a cancellation caused by the workload's timeout into a message that says so.
func (b *bench) explain(ctx context.Context, err error) error {
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("did not finish within -timeout %v: %w", b.cfg.timeout, err)
	}
	return err
}

// seedOf derives a case's random seed from its name, so that both engines see the same
// sequence of keys.
func seedOf(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := range len(s) {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// wrong returns an errWrongResult with a description of the difference.
func wrong(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errWrongResult, fmt.Sprintf(format, args...))
}
