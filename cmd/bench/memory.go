package main

import (
	"io/fs"
	"path/filepath"
	"runtime"
)

// memory is eventsql's Go heap before and after loading t and c (both after a full GC), in
// bytes. eventsql keeps every table in memory, so the difference is what the rows cost it.
// SQLite is not measured: modernc.org/sqlite allocates its page cache outside the Go heap, and
// it keeps only a cache of pages anyway.
type memory struct {
	Before uint64 `json:"heap_inuse_before"`
	After  uint64 `json:"heap_inuse_after"`
}

// heapInUse collects garbage twice (the second sweeps what finalizers of the first freed) and
// returns the bytes in in-use heap spans.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// dirSize returns the bytes of the regular files under dir (0 if it cannot be walked).
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
