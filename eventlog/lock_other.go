//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package eventlog

import "os"

// lockDir does nothing where flock is unavailable: the caller must not open one directory twice.
func lockDir(dir string) (*os.File, error) { return nil, nil }

func unlockDir(f *os.File) {}
