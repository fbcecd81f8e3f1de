package eventlog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
)

// memFS is an in-memory fileSystem for tests that models what survives a power cut, and injects
// failures.
//
// Durability model: every file has the bytes the process sees (data) and the bytes on "disk"
// (synced); a file's Sync or Datasync makes its data durable. A directory has the entries the
// process sees and the entries on disk; SyncDir makes its entries durable. So after a power cut
// (crash) a file's unsynced writes are lost, and a file created, renamed or removed in a
// directory that was not synced afterwards is lost (or comes back) — the strictest reading of
// POSIX, stricter than ext4. With tornWrites, a random prefix of each file's unsynced writes
// survives too, the last of them possibly cut short: the torn tails a real disk leaves.
//
// Failures: inject makes the nth call of an operation fail, optionally after writing half the
// bytes (a short write); skipFileSync and skipDirSync make syncs do nothing (to prove the power
// cut test catches a missing fsync); crashAt cuts the power just before the nth mutating
// operation, after which every operation fails with errPowerCut.
type memFS struct {
	mu   sync.Mutex
	root *memNode

	locks                     map[string]bool
	counts                    map[string]int // calls per operation
	faults                    []memFault
	skipFileSync, skipDirSync bool
	tornWrites                bool
	rng                       *rand.Rand

	ops     int    // mutating operations so far
	crashAt int    // cut the power before this mutating operation (0: never)
	image   *memFS // the disk as the power cut left it
}

type memNode struct {
	dir              bool
	entries, durable map[string]*memNode // directories: as seen, as on disk
	data, synced     []byte              // files: as seen, as on disk
	pending          []memOp             // files: changes since the last sync, in order
}

// memOp is one unsynced change to a file: a write, or a truncate (data == nil, size set).
type memOp struct {
	off  int64
	data []byte
	size int64
}

type memFault struct {
	op    string
	nth   int
	err   error
	short bool
}

var errPowerCut = errors.New("memfs: power cut")

var _ fileSystem = (*memFS)(nil)

func newMemFS(seed uint64) *memFS {
	return &memFS{root: newDir(), locks: map[string]bool{}, counts: map[string]int{},
		rng: rand.New(rand.NewPCG(seed, 7))}
}

func newDir() *memNode {
	return &memNode{dir: true, entries: map[string]*memNode{}, durable: map[string]*memNode{}}
}

// inject makes the nth call (counting from 1) of op fail with err. Ops: open, write, sync,
// truncate, syncdir, rename, remove.
func (m *memFS) inject(op string, nth int, err error, short bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.faults = append(m.faults, memFault{op: op, nth: m.counts[op] + nth, err: err, short: short})
}

// step accounts for a call of op and returns the failure to give, if any. Caller holds mu.
func (m *memFS) step(op string, mutating bool) (memFault, error) {
	if m.image != nil {
		return memFault{}, errPowerCut
	}
	if mutating {
		m.ops++
		if m.ops == m.crashAt {
			m.image = m.crashImage()
			return memFault{}, errPowerCut
		}
	}
	m.counts[op]++
	for _, f := range m.faults {
		if f.op == op && f.nth == m.counts[op] {
			return f, f.err
		}
	}
	return memFault{}, nil
}

// snapshot returns what the disk would hold after a power cut now, leaving m running.
func (m *memFS) snapshot() *memFS {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.crashImage()
}

// crash cuts the power now and returns the disk as it was left.
func (m *memFS) crash() *memFS {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.image == nil {
		m.image = m.crashImage()
	}
	return m.image
}

// crashImage builds the file system a reboot would find. Caller holds mu.
func (m *memFS) crashImage() *memFS {
	img := newMemFS(m.rng.Uint64())
	img.root = m.durableCopy(m.root)
	return img
}

func (m *memFS) durableCopy(d *memNode) *memNode {
	out := newDir()
	for name, n := range d.durable {
		var c *memNode
		if n.dir {
			c = m.durableCopy(n)
		} else {
			c = &memNode{data: m.survivingBytes(n)}
			c.synced = slices.Clone(c.data)
		}
		out.entries[name], out.durable[name] = c, c
	}
	return out
}

// survivingBytes is what of file n a power cut leaves: the synced bytes, and with tornWrites
// some of the unsynced changes, in order, the last write possibly cut short.
func (m *memFS) survivingBytes(n *memNode) []byte {
	b := slices.Clone(n.synced)
	if !m.tornWrites || len(n.pending) == 0 {
		return b
	}
	k := m.rng.IntN(len(n.pending) + 1)
	b = applyOps(b, n.pending[:k])
	if k < len(n.pending) && n.pending[k].data != nil && m.rng.IntN(2) == 0 {
		op := n.pending[k]
		op.data = op.data[:m.rng.IntN(len(op.data)+1)]
		b = applyOps(b, []memOp{op})
	}
	return b
}

func applyOps(b []byte, ops []memOp) []byte {
	for _, op := range ops {
		if op.data == nil {
			if op.size <= int64(len(b)) {
				b = b[:op.size]
			} else {
				b = append(b, make([]byte, op.size-int64(len(b)))...)
			}
			continue
		}
		if end := op.off + int64(len(op.data)); end > int64(len(b)) {
			b = append(b, make([]byte, end-int64(len(b)))...)
		}
		copy(b[op.off:], op.data)
	}
	return b
}

// lookup returns the directory at path. Caller holds mu.
func (m *memFS) lookup(path string) (*memNode, error) {
	n := m.root
	for _, part := range strings.Split(filepath.Clean(path), string(filepath.Separator)) {
		if part == "" || part == "." {
			continue
		}
		c, ok := n.entries[part]
		if !ok || !c.dir {
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		}
		n = c
	}
	return n, nil
}

func (m *memFS) OpenFile(name string, flag int, perm os.FileMode) (file, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	mutating := flag&(os.O_CREATE|os.O_TRUNC) != 0
	if _, err := m.step("open", mutating); err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	d, err := m.lookup(filepath.Dir(name))
	if err != nil {
		return nil, err
	}
	base := filepath.Base(name)
	n, ok := d.entries[base]
	switch {
	case ok && n.dir:
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EISDIR}
	case ok && flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrExist}
	case !ok && flag&os.O_CREATE == 0:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case !ok:
		n = &memNode{}
		d.entries[base] = n
	}
	if flag&os.O_TRUNC != 0 {
		n.data = n.data[:0]
		n.pending = append(n.pending, memOp{size: 0})
	}
	return &memFile{fs: m, n: n, name: name, writable: flag&(os.O_WRONLY|os.O_RDWR) != 0}, nil
}

func (m *memFS) Remove(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.step("remove", true); err != nil {
		return err
	}
	d, err := m.lookup(filepath.Dir(name))
	if err != nil {
		return err
	}
	if _, ok := d.entries[filepath.Base(name)]; !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	delete(d.entries, filepath.Base(name))
	return nil
}

func (m *memFS) Rename(oldpath, newpath string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.step("rename", true); err != nil {
		return err
	}
	od, err := m.lookup(filepath.Dir(oldpath))
	if err != nil {
		return err
	}
	nd, err := m.lookup(filepath.Dir(newpath))
	if err != nil {
		return err
	}
	n, ok := od.entries[filepath.Base(oldpath)]
	if !ok {
		return &fs.PathError{Op: "rename", Path: oldpath, Err: fs.ErrNotExist}
	}
	delete(od.entries, filepath.Base(oldpath))
	nd.entries[filepath.Base(newpath)] = n
	return nil
}

func (m *memFS) MkdirAll(path string, perm os.FileMode) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.step("mkdir", false); err != nil {
		return err
	}
	n := m.root
	for _, part := range strings.Split(filepath.Clean(path), string(filepath.Separator)) {
		if part == "" || part == "." {
			continue
		}
		c, ok := n.entries[part]
		if !ok {
			c = newDir()
			n.entries[part] = c
		} else if !c.dir {
			return &fs.PathError{Op: "mkdir", Path: path, Err: syscall.ENOTDIR}
		}
		n = c
	}
	return nil
}

func (m *memFS) ReadDir(dir string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.step("readdir", false); err != nil {
		return nil, err
	}
	d, err := m.lookup(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for name, n := range d.entries {
		if !n.dir {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, nil
}

func (m *memFS) SyncDir(dir string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.step("syncdir", true); err != nil {
		return err
	}
	d, err := m.lookup(dir)
	if err != nil {
		return err
	}
	if !m.skipDirSync {
		d.durable = make(map[string]*memNode, len(d.entries))
		for name, n := range d.entries {
			d.durable[name] = n
		}
	}
	return nil
}

type memLock struct {
	m   *memFS
	dir string
}

func (l memLock) Close() error {
	l.m.mu.Lock()
	defer l.m.mu.Unlock()
	delete(l.m.locks, l.dir)
	return nil
}

func (m *memFS) Lock(dir string) (io.Closer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.locks[dir] {
		return nil, fmt.Errorf("%w: %s", ErrLocked, dir)
	}
	m.locks[dir] = true
	return memLock{m, dir}, nil
}

// memFile is an open file of a memFS.
type memFile struct {
	fs       *memFS
	n        *memNode
	name     string
	writable bool
}

func (f *memFile) Name() string { return f.name }
func (f *memFile) Close() error { return nil }

func (f *memFile) ReadAt(p []byte, off int64) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.fs.image != nil {
		return 0, errPowerCut
	}
	if off >= int64(len(f.n.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.n.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *memFile) WriteAt(p []byte, off int64) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if !f.writable {
		return 0, &fs.PathError{Op: "write", Path: f.name, Err: syscall.EBADF}
	}
	fault, err := f.fs.step("write", true)
	if err != nil && !fault.short {
		return 0, &fs.PathError{Op: "write", Path: f.name, Err: err}
	}
	if fault.short {
		p = p[:len(p)/2]
	}
	f.n.data = applyOps(f.n.data, []memOp{{off: off, data: p}})
	f.n.pending = append(f.n.pending, memOp{off: off, data: slices.Clone(p)})
	if err != nil {
		return len(p), &fs.PathError{Op: "write", Path: f.name, Err: err}
	}
	return len(p), nil
}

func (f *memFile) Truncate(size int64) error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if _, err := f.fs.step("truncate", true); err != nil {
		return &fs.PathError{Op: "truncate", Path: f.name, Err: err}
	}
	f.n.data = applyOps(f.n.data, []memOp{{size: size}})
	f.n.pending = append(f.n.pending, memOp{size: size})
	return nil
}

func (f *memFile) Sync() error     { return f.sync("fsync") }
func (f *memFile) Datasync() error { return f.sync("fdatasync") }

func (f *memFile) sync(op string) error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if _, err := f.fs.step("sync", true); err != nil {
		return &fs.PathError{Op: op, Path: f.name, Err: err}
	}
	if !f.fs.skipFileSync {
		f.n.synced = applyOps(f.n.synced, f.n.pending)
		f.n.pending = nil
	}
	return nil
}

func (f *memFile) Size() (int64, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.fs.image != nil {
		return 0, errPowerCut
	}
	return int64(len(f.n.data)), nil
}
