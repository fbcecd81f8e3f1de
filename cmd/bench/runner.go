package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"
)

// client is one simulated user of a timed workload: a goroutine with its own random numbers.
type client struct {
	id  int
	rng *rand.Rand
	n   int64 // operations this client has started
}

// op is one timed operation. It checks its own answer and returns an error wrapping
// errWrongResult if the answer is wrong.
type op func(ctx context.Context, c *client) error

// errWrongResult marks an engine that answered, but wrongly. The benchmark stops that
// workload, reports it loudly and exits with status 1: a wrong answer fast is worth nothing.
var errWrongResult = errors.New("wrong result")

// measure is what a timed run produced.
type measure struct {
	ops     int64
	elapsed time.Duration
	hist    histogram
}

func (m *measure) perSec() float64 {
	if m.elapsed <= 0 {
		return 0
	}
	return float64(m.ops) / m.elapsed.Seconds()
}

// timed runs op from the given number of clients concurrently for the benchmark's duration and
// records the latency of every operation. A warm-up of a tenth of the duration (at most half a
// second) runs first and is not recorded. Every client completes at least one recorded
// operation, so a workload slower than the duration still yields a number. The first error
// stops all clients and is returned.
func (b *bench) timed(ctx context.Context, clients int, seed uint64, f op) (*measure, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	warmup := min(b.cfg.duration/10, 500*time.Millisecond)
	start := time.Now()
	measureFrom := start.Add(warmup)
	deadline := measureFrom.Add(b.cfg.duration)

	hists := make([]histogram, clients)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
		mu       sync.Mutex
		lastEnd  time.Time
		firstBeg = deadline
	)
	for i := range clients {
		wg.Go(func() {
			c := &client{id: i, rng: rand.New(rand.NewPCG(seed, uint64(i)))}
			h := &hists[i]
			var begin, end time.Time
			for {
				t0 := time.Now()
				if (t0.After(deadline) && h.n > 0) || ctx.Err() != nil {
					break
				}
				c.n++
				if err := f(ctx, c); err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
					return
				}
				t1 := time.Now()
				// An operation that began in the warm-up but ends after it is not recorded
				// either, but the next one is; if the warm-up outlasts the whole duration
				// the first operation after it counts.
				if t0.After(measureFrom) || (t1.After(deadline) && h.n == 0) {
					if h.n == 0 {
						begin = t0
					}
					h.record(t1.Sub(t0))
					end = t1
				}
			}
			mu.Lock()
			if h.n > 0 {
				lastEnd = later(lastEnd, end)
				if begin.Before(firstBeg) {
					firstBeg = begin
				}
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	m := &measure{elapsed: lastEnd.Sub(firstBeg)}
	for i := range hists {
		m.hist.merge(&hists[i])
	}
	m.ops = int64(m.hist.n)
	return m, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
