//go:build unix

package storage

import "syscall"

// cpuTime returns the CPU time this process has used, user and system, in seconds. Benchmarks
// report work per CPU-second beside work per second: on a busy machine the wall clock counts
// time spent waiting for a core, CPU time does not.
func cpuTime() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
