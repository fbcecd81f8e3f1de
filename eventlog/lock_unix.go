//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package eventlog

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// lockDir takes an exclusive advisory lock on dir/LOCK, so that two Logs — in one process or
// two — never append to the same directory. The kernel drops the lock when the process dies,
// so a crash never leaves a stale lock behind. Closing the returned file releases it.
func lockDir(dir string) (io.Closer, error) {
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("eventlog: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if err == syscall.EWOULDBLOCK {
			return nil, fmt.Errorf("%w: %s", ErrLocked, dir)
		}
		return nil, fmt.Errorf("eventlog: lock %s: %w", dir, err)
	}
	return f, nil
}
