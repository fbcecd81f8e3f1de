//go:build !linux

package eventlog

import "os"

// datasync flushes f to stable storage. Outside Linux it is a full fsync (on macOS, Go's
// f.Sync issues F_FULLFSYNC, which is what durability needs there).
func datasync(f *os.File) error { return f.Sync() }
