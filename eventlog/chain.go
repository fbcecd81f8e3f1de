package eventlog

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"
)

// head is the committed end of the log: its last record's seq, hash, time and transaction.
type head struct {
	seq  uint64
	hash Hash
	time int64
	txid uint64
}

// chain checks that each record continues the log before it.
type chain struct {
	committed head   // the last committed record
	seq       uint64 // the last record read, possibly inside an unfinished batch
	hash      Hash
	open      bool   // records of a batch have been read but not its commit marker
	txid      uint64 // transaction id and time of the open batch
	time      int64
	hasher    *hasher
}

// check returns why r, whose frame is rec, cannot follow the records before it, or "".
func (c *chain) check(r *Record, rec []byte) string {
	if reason := c.checkFields(r); reason != "" {
		return reason
	}
	if c.hasher.chain(c.hash, rec[offVersion:len(rec)-hashSize]) != r.Hash {
		return reasonHash
	}
	return ""
}

const reasonHash = "hash chain broken: stored hash differs from SHA-256(previous hash, record)"

// checkFields is check without the hash: the envelope fields only.
func (c *chain) checkFields(r *Record) string {
	switch {
	case r.Seq != c.seq+1:
		return fmt.Sprintf("sequence gap: expected seq %d, found %d", c.seq+1, r.Seq)
	case c.open && r.TxID != c.txid:
		return fmt.Sprintf("transaction %d starts before transaction %d committed", r.TxID, c.txid)
	case c.open && r.Time != c.time:
		return fmt.Sprintf("time changes inside transaction %d", r.TxID)
	case !c.open && r.TxID != c.committed.txid+1:
		return fmt.Sprintf("transaction id out of order: expected %d, found %d", c.committed.txid+1, r.TxID)
	case !c.open && r.Time < c.committed.time:
		return fmt.Sprintf("commit time %d before the previous commit's %d", r.Time, c.committed.time)
	}
	return ""
}

func (c *chain) advance(r *Record) {
	if !c.open {
		c.open, c.txid, c.time = true, r.TxID, r.Time
	}
	c.seq, c.hash = r.Seq, r.Hash
	if r.Commit() {
		c.open = false
		c.committed = head{seq: r.Seq, hash: r.Hash, time: r.Time, txid: r.TxID}
	}
}

// hashChecker verifies checksums and chain hashes on several cores. Producing the chain is
// sequential — each hash depends on the one before — but checking it is not: record n is right
// if SHA-256(stored hash of n-1 ‖ content of n) equals its stored hash, whatever the other
// records hold. So the scanner walks the frames and checks envelope fields in order, and hands
// runs of records, each run with the stored hash before it, to workers that check each record's
// CRC and hash. SHA-256 is most of the cost of verifying a log, so this is what makes Verify and
// Open scale with cores.
//
// It reports only that something is wrong; the scanner then re-runs sequentially to produce the
// exact error and report (corruption is rare, so its path may be slow).
type hashChecker struct {
	jobs chan *hashJob
	free chan *hashJob
	wg   sync.WaitGroup
	cur  *hashJob

	mu  sync.Mutex
	bad bool
}

// hashJob is a run of consecutive records of one segment: data holds their frames, starting at
// offset base, the first with seq; prev is the chain hash before it.
type hashJob struct {
	path string
	base int64
	seq  uint64
	prev Hash
	data []byte
}

const hashJobSize = 128 << 10

// newHashChecker returns a checker with one worker per CPU, or nil on a single CPU, where
// checking inline costs less than handing records around.
func newHashChecker() *hashChecker {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 {
		return nil
	}
	hc := &hashChecker{jobs: make(chan *hashJob, workers), free: make(chan *hashJob, 2*workers)}
	for range 2 * workers {
		hc.free <- &hashJob{data: make([]byte, 0, hashJobSize)}
	}
	for range workers {
		hc.wg.Go(hc.work)
	}
	return hc
}

// add queues the frame rec, at offset off of the segment at path with seq, whose predecessor's
// stored hash is prev. rec is copied.
func (hc *hashChecker) add(path string, off int64, seq uint64, prev Hash, rec []byte) {
	j := hc.cur
	if j != nil && (j.path != path || j.base+int64(len(j.data)) != off || len(j.data)+len(rec) > hashJobSize) {
		hc.flush()
		j = nil
	}
	if j == nil {
		j = <-hc.free
		j.path, j.base, j.seq, j.prev, j.data = path, off, seq, prev, j.data[:0]
		hc.cur = j
	}
	j.data = append(j.data, rec...)
}

func (hc *hashChecker) flush() {
	if hc.cur != nil {
		hc.jobs <- hc.cur
		hc.cur = nil
	}
}

// wait checks everything queued, stops the workers and reports whether any hash was wrong.
func (hc *hashChecker) wait() (bad bool) {
	hc.flush()
	close(hc.jobs)
	hc.wg.Wait()
	return hc.bad
}

func (hc *hashChecker) work() {
	h := newHasher()
	for j := range hc.jobs {
		prev := j.prev
		for off := 0; off < len(j.data); {
			n := int(binary.LittleEndian.Uint32(j.data[off:])) // the scanner checked the length
			rec := j.data[off : off+n]
			stored := Hash(rec[n-hashSize:])
			if recordCRC(rec) != binary.LittleEndian.Uint32(rec[offCRC:]) ||
				h.chain(prev, rec[offVersion:n-hashSize]) != stored {
				hc.mu.Lock()
				hc.bad = true
				hc.mu.Unlock()
				break
			}
			prev, off = stored, off+n
		}
		hc.free <- j
	}
}
