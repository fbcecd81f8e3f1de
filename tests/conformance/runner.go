package conformance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

// Engine is the name eventsql answers to in skipif/onlyif conditions: its dialect is
// PostgreSQL's, so records that PostgreSQL skips are skipped, and records written only for
// other engines (onlyif mysql, onlyif sqlite, ...) are skipped too.
const Engine = "postgresql"

// DefaultHashThreshold is the threshold a script starts with.
const DefaultHashThreshold = 8

// Options configure RunFile.
type Options struct {
	// Timeout bounds each record's execution (0: no limit). A record that runs out of time
	// is a failure with reason "timeout"; the script goes on with the next record.
	Timeout time.Duration
	// Grace is how long past its time limit a statement may take to notice its cancellation
	// before the file is abandoned (0: 10 s). See FileResult.Aborted.
	Grace time.Duration
	// Slow: records that take longer are listed in FileResult.Slow (0: none are).
	Slow time.Duration
}

// Failure is one record that did not pass.
type Failure struct {
	Line   int    // the record's command line
	SQL    string // the record's SQL
	Reason string // one line: an error's first line, "wrong result", "timeout after 10s", ...
	Detail string // more lines for a human: expected and actual values, a panic's stack
}

// Timing is the run time of one record.
type Timing struct {
	Line    int
	Elapsed time.Duration
}

// FileResult is the outcome of one script.
type FileResult struct {
	Path     string // relative to the corpus directory, with forward slashes
	Records  int    // statement and query records run (not skipped)
	Passed   int
	Skipped  int // statement and query records skipped by skipif/onlyif
	Failures []Failure
	Elapsed  time.Duration
	// Aborted says why the file was not run to its end, if it was not: the context given to
	// RunFile ended, or a statement ignored its cancellation and still owns the session. The
	// records after that point are counted as failures with reason "not run: " + Aborted.
	Aborted string
	// Slow lists the records that took longer than Options.Slow.
	Slow []Timing
}

// Failed returns the number of failed records.
func (r *FileResult) Failed() int { return len(r.Failures) }

// RunFile runs the script at path (named rel in the result) in a new database created in the
// empty directory dbDir, through one session. When ctx ends, the running record is canceled
// and the rest are not run (see FileResult.Aborted). RunFile returns an error only when the
// script cannot be read or parsed or the database cannot be opened or closed; failing records
// are in the result.
func RunFile(ctx context.Context, path, rel, dbDir string, opts Options) (*FileResult, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	recs, err := Parse(rel, src)
	if err != nil {
		return nil, err
	}
	db, err := database.Open(dbDir, &database.Options{NoSync: true, NoSnapshots: true})
	if err != nil {
		return nil, err
	}
	if opts.Grace == 0 {
		opts.Grace = 10 * time.Second
	}
	r := &fileRun{
		ctx:       ctx,
		res:       &FileResult{Path: rel},
		sess:      db.Session(),
		opts:      opts,
		threshold: DefaultHashThreshold,
	}
	start := time.Now()
	r.run(recs)
	r.res.Elapsed = time.Since(start)
	if r.hung {
		// The statement still owns the session and the DB; leave both to it.
		return r.res, nil
	}
	r.sess.Close()
	if err := db.Close(); err != nil {
		return r.res, fmt.Errorf("close database: %w", err)
	}
	return r.res, nil
}

// fileRun is the state of one script's run.
type fileRun struct {
	ctx       context.Context
	res       *FileResult
	sess      *database.Session
	opts      Options
	threshold int
	hung      bool // a statement ignored its cancellation
}

func (r *fileRun) run(recs []Record) {
	for i, rec := range recs {
		if rec.Skipped(Engine) {
			if rec.Kind == KindStatement || rec.Kind == KindQuery {
				r.res.Skipped++
			}
			continue
		}
		switch rec.Kind {
		case KindHashThreshold:
			r.threshold = rec.Threshold
			continue
		case KindHalt:
			return
		}
		if r.ctx.Err() != nil {
			r.res.Aborted = "stopped: " + context.Cause(r.ctx).Error()
			r.notRun(recs[i:])
			return
		}
		r.res.Records++
		start := time.Now()
		f, ok := r.check(rec)
		if !ok && r.ctx.Err() != nil {
			f.Reason, f.Detail = "not run: stopped: "+context.Cause(r.ctx).Error(), ""
		}
		if d := time.Since(start); r.opts.Slow > 0 && d > r.opts.Slow {
			r.res.Slow = append(r.res.Slow, Timing{Line: rec.Line, Elapsed: d})
		}
		if ok {
			r.res.Passed++
		} else {
			r.res.Failures = append(r.res.Failures, f)
		}
		if r.hung {
			r.res.Aborted = fmt.Sprintf("line %d ignored its cancellation", rec.Line)
			r.notRun(recs[i+1:])
			return
		}
	}
}

// notRun counts the runnable records of recs as failures that were not run.
func (r *fileRun) notRun(recs []Record) {
	for _, rec := range recs {
		if rec.Skipped(Engine) {
			continue
		}
		if rec.Kind == KindHalt {
			return
		}
		if rec.Kind != KindStatement && rec.Kind != KindQuery {
			continue
		}
		r.res.Records++
		r.res.Failures = append(r.res.Failures, Failure{Line: rec.Line, SQL: rec.SQL, Reason: "not run: " + r.res.Aborted})
	}
}

// check runs one statement or query record and reports whether it passed.
func (r *fileRun) check(rec Record) (Failure, bool) {
	f := Failure{Line: rec.Line, SQL: rec.SQL}
	results, err := r.exec(rec.SQL)
	switch {
	case rec.Kind == KindStatement && rec.WantError:
		if err == nil {
			f.Reason = "statement succeeded, want an error"
			return f, false
		}
		if isTimeout(err) || r.ctx.Err() != nil {
			// Canceled, not rejected: the statement's own outcome is unknown.
			f.Reason, f.Detail = errorReason(err), errorDetail(err)
			return f, false
		}
		return f, true
	case err != nil:
		f.Reason, f.Detail = errorReason(err), errorDetail(err)
		return f, false
	case rec.Kind == KindStatement:
		return f, true
	}
	if len(results) == 0 {
		f.Reason = "wrong result: no result set"
		return f, false
	}
	res := results[len(results)-1]
	if len(res.Columns) != len(rec.Types) {
		f.Reason = fmt.Sprintf("wrong result: %d columns, want %d", len(res.Columns), len(rec.Types))
		return f, false
	}
	got := Render(rec.Types, rec.Sort, r.threshold, res.Rows)
	if !slices.Equal(got, rec.Expected) {
		f.Reason = "wrong result"
		f.Detail = fmt.Sprintf("want:\n%s\ngot:\n%s", excerpt(rec.Expected), excerpt(got))
		return f, false
	}
	return f, true
}

// errTimeout is the error of a record that ran out of time.
type errTimeout struct {
	limit   time.Duration
	ignored bool // the statement did not stop when canceled
}

func (e *errTimeout) Error() string {
	if e.ignored {
		return fmt.Sprintf("timeout after %s (the statement ignored its cancellation)", e.limit)
	}
	return fmt.Sprintf("timeout after %s", e.limit)
}

func isTimeout(err error) bool {
	var te *errTimeout
	return errors.As(err, &te)
}

// exec runs sql in the session under the record's time limit. The statement runs in its own
// goroutine so that one that ignores cancellation cannot hang the whole corpus: after the
// grace period the file is abandoned (r.hung). A panic in the engine becomes an error.
func (r *fileRun) exec(sql string) ([]*database.Result, error) {
	ctx, cancel := r.ctx, context.CancelFunc(func() {})
	if r.opts.Timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, r.opts.Timeout)
	}
	defer cancel()
	type outcome struct {
		results []*database.Result
		err     error
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- outcome{err: fmt.Errorf("panic: %v\n%s", p, debug.Stack())}
			}
		}()
		results, err := r.sess.Exec(ctx, sql)
		done <- outcome{results, err}
	}()
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		// Give the statement the grace period to notice.
		t := time.NewTimer(r.opts.Grace)
		defer t.Stop()
		select {
		case o = <-done:
		case <-t.C:
			r.hung = true
			return nil, &errTimeout{limit: r.opts.Timeout, ignored: true}
		}
	}
	if o.err != nil && r.ctx.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, &errTimeout{limit: r.opts.Timeout}
	}
	return o.results, o.err
}

// errorReason is the one-line reason for a failure caused by err: its SQLSTATE (when it is an
// SQL error) and the first line of its message.
func errorReason(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	var se *schema.Error
	if errors.As(err, &se) && se.Code != "" {
		return se.Code + " " + msg
	}
	return msg
}

// errorDetail is the rest of a multi-line error message (a panic's stack), or "".
func errorDetail(err error) string {
	_, rest, _ := strings.Cut(err.Error(), "\n")
	return rest
}

// excerpt shows up to 12 lines, indented.
func excerpt(lines []string) string {
	const max = 12
	var b strings.Builder
	for i, l := range lines {
		if i == max {
			fmt.Fprintf(&b, "  ... %d more\n", len(lines)-max)
			break
		}
		b.WriteString("  " + l + "\n")
	}
	if len(lines) == 0 {
		b.WriteString("  (no values)\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
