package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryWorkload runs the whole command at a tiny scale against both engines, so that it
// cannot rot: every workload must run, every answer must check out on both engines, and the
// table and the JSON must be written. It takes several seconds; -short skips it.
func TestEveryWorkload(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every workload on two engines")
	}
	jsonPath := filepath.Join(t.TempDir(), "out.json")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-scale", "0.001", "-duration", "40ms",
		"-dir", t.TempDir(), "-json", jsonPath}, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr:\n%s\nstdout:\n%s", stderr.String(), stdout.String())

	var rep report
	out, err := os.ReadFile(jsonPath)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(out, &rep))
	for _, w := range workloads {
		for _, e := range engines {
			t.Run(w.id+"/"+e.name, func(t *testing.T) {
				i := slices.IndexFunc(rep.Results, func(r result) bool { return r.Workload == w.id && r.Engine == e.name })
				require.GreaterOrEqual(t, i, 0, "no result")
				for _, r := range rep.Results {
					if r.Workload != w.id || r.Engine != e.name {
						continue
					}
					assert.Empty(t, r.Err, r.Case)
					if r.NA {
						assert.Equal(t, "W11", w.id, "only AS OF may be n/a")
						assert.False(t, e.asOf, "%s has AS OF", e.name)
						continue
					}
					assert.Positive(t, r.Ops, r.Case)
					assert.Positive(t, r.P50, r.Case)
					assert.LessOrEqual(t, r.P50, r.P99, r.Case)
				}
			})
		}
	}
	require.NotNil(t, rep.Memory, "eventsql's memory after the load")
	assert.Contains(t, stdout.String(), "W11  AS OF point lookup")
	assert.Contains(t, stdout.String(), "memory eventsql:")
}

// TestOnlyAndWrongResults: -only runs the load it needs without reporting it, and a wrong
// answer is reported as WRONG and makes the exit status 1.
func TestOnlyAndWrongResults(t *testing.T) {
	if testing.Short() {
		t.Skip("opens two engines")
	}
	cfg, err := parseFlags([]string{"-scale", "0.0001", "-duration", "20ms", "-only", "w5", "-dir", t.TempDir()}, io.Discard)
	require.NoError(t, err)
	cfg.progress = io.Discard
	rep, err := runAll(context.Background(), cfg)
	require.NoError(t, err)
	for _, r := range rep.Results {
		assert.Equal(t, "W5", r.Workload)
		assert.Empty(t, r.Err)
	}
	assert.Len(t, rep.Results, 2)

	// Spoil the model: every k now "has" one row more than the engines return. (At this
	// scale there is one customer, k = 0, so the load's check of SUM(k) is not disturbed.)
	data := newDataset(0.0001)
	for k := range data.perK {
		data.perK[k]++
	}
	rep = newReport(cfg)
	b := &bench{cfg: cfg, data: data, engine: engines[1], rep: rep}
	require.NoError(t, b.runEngine(context.Background()))
	require.Len(t, rep.Results, 1)
	assert.True(t, rep.Results[0].Wrong, rep.Results[0].Err)
	assert.True(t, rep.wrong(), "the exit status would be 1")
	var out bytes.Buffer
	rep.writeTable(&out)
	assert.Contains(t, out.String(), "WRONG: [1]")
}

func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		err  string
	}{
		{"defaults", nil, ""},
		{"only", []string{"-only", "W4, w10"}, ""},
		{"unknown workload", []string{"-only", "W12"}, "unknown workload"},
		{"unknown engine", []string{"-engines", "postgres"}, "unknown engine"},
		{"scale too small", []string{"-scale", "0.00001"}, "-scale"},
		{"stray argument", []string{"extra"}, "unexpected arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseFlags(tc.args, io.Discard)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Len(t, cfg.engines, 2)
		})
	}
}

// TestHistogram checks percentiles against exact ones over several shapes of data.
func TestHistogram(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  func(i int) time.Duration
	}{
		{"nanoseconds", func(i int) time.Duration { return time.Duration(i % 200) }},
		{"microseconds", func(i int) time.Duration { return time.Duration(i) * time.Microsecond }},
		{"skewed", func(i int) time.Duration { return time.Duration(i*i) * time.Nanosecond }},
		{"constant", func(int) time.Duration { return 3 * time.Millisecond }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h histogram
			var all []time.Duration
			for i := 1; i <= 10_000; i++ {
				d := tc.gen(i)
				h.record(d)
				all = append(all, d)
			}
			slices.Sort(all)
			for _, p := range []float64{0.5, 0.9, 0.99, 1} {
				exact := all[int(p*float64(len(all)))-1]
				got := h.percentile(p)
				assert.InDelta(t, float64(exact), float64(got), float64(exact)/200+1, "p%v", p*100)
			}
		})
	}
}

// TestDataset checks the generator and the model against each other.
func TestDataset(t *testing.T) {
	d := newDataset(0.01)
	require.Equal(t, 10_000, d.rows)
	require.Equal(t, 100, d.customers)
	var n, perK, join int64
	for _, c := range d.modCount {
		n += c
	}
	for _, c := range d.perK {
		perK += int64(c)
	}
	for _, c := range d.joinCount {
		join += c
	}
	assert.Equal(t, int64(d.rows), n)
	assert.Equal(t, int64(d.rows), perK)
	assert.InDelta(t, 0.25, float64(join)/float64(d.rows), 0.1, "c.f < 250 keeps about a quarter")
	r := tRow(42, d.customers)
	assert.Len(t, r.v, vLen)
	assert.Equal(t, r, tRow(42, d.customers), "rows are a function of the id")
	assert.True(t, r.f >= 0 && r.f < fMax && r.k >= 0 && r.k < int64(d.customers))
	ks := d.firstKs(int64(d.customers-1), 1000)
	assert.Len(t, ks, int(d.perK[d.customers-1]), "the last k has only its own rows")
}
