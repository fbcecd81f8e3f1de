//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package eventlog

import "io"

type noLock struct{}

func (noLock) Close() error { return nil }

// lockDir does nothing where flock is unavailable: the caller must not open one directory twice.
func lockDir(dir string) (io.Closer, error) { return noLock{}, nil }
