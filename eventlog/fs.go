package eventlog

import (
	"io"
	"os"
	"path/filepath"
)

// fileSystem is the seam between the log and the operating system. Every file operation of the
// engine goes through it, so tests can swap in a file system that fails on chosen calls (ENOSPC,
// short writes, fsync errors) or forgets everything that was not synced (a power cut); see
// memfs_test.go. osFS is the real one.
type fileSystem interface {
	OpenFile(name string, flag int, perm os.FileMode) (file, error)
	Remove(name string) error
	Rename(oldpath, newpath string) error
	MkdirAll(path string, perm os.FileMode) error
	// ReadDir returns the names of the regular files in dir.
	ReadDir(dir string) ([]string, error)
	// SyncDir makes the directory's entries durable: files created, renamed or removed in it.
	SyncDir(dir string) error
	// Lock takes an exclusive lock on dir for this process (ErrLocked if another holder has it).
	Lock(dir string) (io.Closer, error)
}

// file is an open file. The engine writes with WriteAt at offsets it tracks itself and reads
// with ReadAt, so readers and the writer never share a file position.
type file interface {
	io.ReaderAt
	io.WriterAt
	Truncate(size int64) error
	Sync() error     // fsync: data and all metadata
	Datasync() error // fdatasync: data and the metadata needed to read it back (its size)
	Size() (int64, error)
	Close() error
	Name() string
}

// osFS is the operating system's file system.
type osFS struct{}

var _ fileSystem = osFS{}

func (osFS) OpenFile(name string, flag int, perm os.FileMode) (file, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

func (osFS) Remove(name string) error                     { return os.Remove(name) }
func (osFS) Rename(oldpath, newpath string) error         { return os.Rename(oldpath, newpath) }
func (osFS) MkdirAll(path string, perm os.FileMode) error { return os.MkdirAll(path, perm) }
func (osFS) Lock(dir string) (io.Closer, error)           { return lockDir(dir) }

func (osFS) ReadDir(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// SyncDir fsyncs a directory, making the creation, renaming and removal of files in it durable.
func (osFS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// osFile is an *os.File with the two extra methods the engine needs.
type osFile struct{ *os.File }

var _ file = osFile{}

func (f osFile) Datasync() error { return datasync(f.File) }

func (f osFile) Size() (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// parentDir is the directory holding path, whose entry for path a sync of it makes durable.
func parentDir(path string) string { return filepath.Dir(filepath.Clean(path)) }
