//go:build !unix

package storage

// cpuTime is not measured here: benchmarks report no per-CPU-second figures.
func cpuTime() float64 { return 0 }
