package eventlog

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/eventsql/eventsql/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigLog appends about 10,000 records in batches of 1 to 7, enough for several index marks.
func bigLog(t testing.TB, opts *Options) (*Log, []AppendResult) {
	t.Helper()
	l := openLog(t, t.TempDir(), opts)
	var sizes []int
	for i, n := 0, 0; n < 10000; i++ {
		sizes = append(sizes, 1+i%7)
		n += 1 + i%7
	}
	return l, appendBatches(t, l, sizes...)
}

func TestScanRange(t *testing.T) {
	l, _ := bigLog(t, nil)
	head, _ := l.Head()
	require.GreaterOrEqual(t, len(l.marks), 3, "the index has several marks")
	tests := []struct {
		name             string
		from, to         uint64
		wantFrom, wantTo uint64 // wantTo < wantFrom: nothing
	}{
		{"everything", 0, 0, 1, head},
		{"first", 1, 1, 1, 1},
		{"across a mark", 4090, 4200, 4090, 4200},
		{"at a mark", l.marks[1].seq, l.marks[1].seq, l.marks[1].seq, l.marks[1].seq},
		{"just before a mark", l.marks[1].seq - 1, l.marks[1].seq - 1, l.marks[1].seq - 1, l.marks[1].seq - 1},
		{"to the head", head - 10, 0, head - 10, head},
		{"to beyond the head", head - 1, head + 100, head - 1, head},
		{"from beyond the head", head + 1, 0, 1, 0},
		{"from after to", 10, 5, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Record
			require.NoError(t, l.Scan(tt.from, tt.to, func(r Record) error { got = append(got, r); return nil }))
			if tt.wantTo < tt.wantFrom {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, int(tt.wantTo-tt.wantFrom+1))
			for i, r := range got {
				require.Equal(t, tt.wantFrom+uint64(i), r.Seq)
				require.Equal(t, payloadFor(r.Seq), r.Payload)
			}
		})
	}
}

func TestMarksSitOnBatchStarts(t *testing.T) {
	l, res := bigLog(t, nil)
	starts := map[uint64]int64{}
	for _, r := range res {
		starts[r.FirstSeq] = r.Time
	}
	for _, m := range l.marks {
		tm, ok := starts[m.seq]
		require.True(t, ok, "mark at seq %d is not a batch start", m.seq)
		assert.Equal(t, tm, m.time)
	}
}

func TestScanStopsOnError(t *testing.T) {
	l, _ := bigLog(t, nil)
	stop := errors.New("enough")
	n := 0
	err := l.Scan(100, 0, func(Record) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	require.Equal(t, stop, err, "fn's error is returned unwrapped")
	assert.Equal(t, 3, n)
}

func TestHashAt(t *testing.T) {
	l, _ := bigLog(t, nil)
	head, headHash := l.Head()
	h, err := l.HashAt(0)
	require.NoError(t, err)
	assert.Zero(t, h)
	h, err = l.HashAt(head)
	require.NoError(t, err)
	assert.Equal(t, headHash, h)
	_, err = l.HashAt(head + 1)
	require.ErrorIs(t, err, ErrOutOfRange)
	for _, r := range scanAll(t, l) {
		if r.Seq%97 == 0 || r.Seq == 1 {
			h, err := l.HashAt(r.Seq)
			require.NoError(t, err)
			require.Equal(t, r.Hash, h, "seq %d", r.Seq)
		}
	}
}

func TestSeqAtTime(t *testing.T) {
	// A clock that ticks every third reading, so some transactions share a commit time.
	calls := 0
	now := func() time.Time { calls++; return time.Unix(0, int64(1000+calls/3*10)) }
	l, res := bigLog(t, &Options{NoSync: true, Now: now})
	assert.Zero(t, l.SeqAtTime(0))
	assert.Zero(t, l.SeqAtTime(res[0].Time-1))
	head, _ := l.Head()
	assert.Equal(t, head, l.SeqAtTime(res[len(res)-1].Time))
	assert.Equal(t, head, l.SeqAtTime(1<<62))
	// The answer for time T is the last seq of the last transaction committed at or before T.
	lastAt := map[int64]uint64{}
	for _, r := range res {
		lastAt[r.Time] = r.LastSeq
	}
	for i, r := range res {
		if i%41 != 0 && i != len(res)-1 {
			continue
		}
		assert.Equal(t, lastAt[r.Time], l.SeqAtTime(r.Time), "at the commit time of tx %d", r.TxID)
		assert.Equal(t, lastAt[r.Time], l.SeqAtTime(r.Time+5), "between commits after tx %d", r.TxID)
		if i > 0 && res[i-1].Time < r.Time {
			assert.Equal(t, res[i-1].LastSeq, l.SeqAtTime(r.Time-1), "just before tx %d", r.TxID)
		}
	}
}

func TestSeqAtTimeUnreadable(t *testing.T) {
	rec := &logRecorder{}
	l, res := bigLog(t, &Options{NoSync: true, Now: fakeClock(time.Unix(0, 0)), Logger: slog.New(rec)})
	target := res[len(res)/2]
	var m mark // the mark SeqAtTime starts from
	for _, mk := range l.marks {
		if mk.time <= target.Time {
			m = mk
		}
	}
	require.NotZero(t, m.seq)
	// Move the segment away: the writer keeps its handle, readers cannot open it.
	path := l.segs[0].path
	require.NoError(t, os.Rename(path, path+".away"))
	got := l.SeqAtTime(target.Time)
	require.NoError(t, os.Rename(path+".away", path))
	assert.Equal(t, m.seq-1, got, "falls back to the end of the batch before the mark")
	require.Len(t, rec.msgs, 1)
	assert.Contains(t, rec.msgs[0]["msg"], "SeqAtTime")
	assert.Equal(t, target.LastSeq, l.SeqAtTime(target.Time), "readable again")
}

// BenchmarkReplay scans a log of 100-byte RowInserted payloads, as a rebuild from the log does,
// and reports events/s; "decode" also decodes each event.
func BenchmarkReplay(b *testing.B) {
	l := openLog(b, b.TempDir(), &Options{NoSync: true})
	var e Entry
	for k := 0; len(e.Payload) < 100; k++ {
		e = Encode(RowInserted{TableID: 1, RowID: 1, Row: schema.Row{schema.Int(1), schema.Str(strings.Repeat("x", k))}})
	}
	const n = 200_000
	batch := make([]Entry, 10)
	for i := range batch {
		batch[i] = e
	}
	for range n / len(batch) {
		if _, err := l.Append(batch); err != nil {
			b.Fatal(err)
		}
	}
	for _, decode := range []bool{false, true} {
		for _, scan := range []string{"copied", "borrowed", "verified", "verified+into"} {
			name := fmt.Sprintf("decode=%v/borrowed=%v", decode, scan != "copied")
			if scan == "verified" || scan == "verified+into" {
				if scan == "verified+into" && !decode {
					continue
				}
				name = fmt.Sprintf("decode=%v/%s", decode, scan)
			}
			b.Run(name, func(b *testing.B) {
				b.SetBytes(int64(n * (minRecordSize + len(e.Payload))))
				b.ReportAllocs()
				var ins RowInserted
				fn := func(r *Record) error {
					if decode && scan == "verified+into" {
						return DecodeInto(r.Type, r.Payload, &ins)
					}
					if decode {
						_, err := Decode(r.Type, r.Payload)
						return err
					}
					return nil
				}
				cpu := cpuTime()
				for b.Loop() {
					var err error
					switch scan {
					case "copied":
						err = l.Scan(0, 0, func(r Record) error { return fn(&r) })
					case "borrowed":
						err = l.ScanBorrowed(0, 0, fn)
					case "verified", "verified+into":
						err = l.ScanVerified(0, 0, Hash{}, fn)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
				if cpu := cpuTime() - cpu; cpu > 0 {
					b.ReportMetric(float64(n)*float64(b.N)/cpu, "events/cpu-s")
				}
			})
		}
	}
}

func TestScanVerified(t *testing.T) {
	flip := func(at int) func(rec []byte) { return func(rec []byte) { rec[at] ^= 0x10 } }
	tests := []struct {
		name    string
		from    uint64
		prev    func(d *damagedLog) Hash
		patch   int // record to damage after Open, -1 for none
		fixCRC  bool
		damage  func(d *damagedLog) func(rec []byte)
		bad     int    // index of the record reported, -1 for none
		reason  string // the CorruptionError's reason contains this
		crcSays bool   // ScanBorrowed reports the damage too
	}{
		{name: "clean from the start", from: 1, patch: -1, bad: -1},
		{name: "clean from a hash", from: 4, prev: func(d *damagedLog) Hash { return d.hashes[3] }, patch: -1, bad: -1},
		{name: "wrong genesis", from: 1, prev: func(d *damagedLog) Hash { return d.hashes[1] }, patch: -1,
			bad: 0, reason: "does not continue the given hash of seq 0"},
		{name: "wrong hash", from: 4, prev: func(d *damagedLog) Hash { return d.hashes[2] }, patch: -1,
			bad: 3, reason: "does not continue the given hash of seq 3"},
		{name: "flipped payload byte", from: 1, patch: 4,
			damage: func(*damagedLog) func([]byte) { return flip(headerSize) },
			bad:    4, reason: "checksum mismatch", crcSays: true},
		{name: "flipped payload byte, CRC recomputed", from: 1, patch: 4, fixCRC: true,
			damage: func(*damagedLog) func([]byte) { return flip(headerSize) },
			bad:    4, reason: reasonHash},
		{name: "payload, hash and CRC rewritten", from: 1, patch: 4, fixCRC: true,
			damage: func(d *damagedLog) func([]byte) {
				return func(rec []byte) { flip(headerSize)(rec); d.rehash(4)(rec) }
			},
			bad: 5, reason: reasonHash},
		{name: "flipped stored hash", from: 1, patch: 2,
			damage: func(d *damagedLog) func([]byte) { return func(rec []byte) { rec[len(rec)-1] ^= 1 } },
			bad:    2, reason: "checksum mismatch", crcSays: true},
		{name: "flipped version byte", from: 1, patch: 2,
			damage: func(*damagedLog) func([]byte) { return flip(offVersion) },
			bad:    2, reason: "checksum mismatch", crcSays: true},
		{name: "flipped length", from: 1, patch: 2,
			damage: func(*damagedLog) func([]byte) { return flip(offLength) },
			bad:    2, reason: "checksum mismatch", crcSays: true},
		{name: "flipped CRC field: nothing the CRC guards changed", from: 1, patch: 3,
			damage: func(*damagedLog) func([]byte) { return flip(offCRC) }, bad: -1, crcSays: true},
		{name: "damage before from is not looked at", from: 4, prev: func(d *damagedLog) Hash { return d.hashes[3] },
			patch: 1, fixCRC: true, damage: func(*damagedLog) func([]byte) { return flip(headerSize) }, bad: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := buildLog(t)
			l, err := Open(d.dir, &Options{NoSync: true}) // not openLog: the damage stays
			require.NoError(t, err)
			defer l.Close()
			if tt.patch >= 0 {
				d.patch(t, tt.patch, tt.fixCRC, tt.damage(d)) // after Open: damage since
			}
			var prev Hash
			if tt.prev != nil {
				prev = tt.prev(d)
			}
			var seen []uint64
			err = l.ScanVerified(tt.from, 0, prev, func(r *Record) error {
				if int(r.Seq) != tt.patch+1 { // a rewritten record carries its new hash
					require.Equal(t, d.hashes[r.Seq], r.Hash)
				}
				seen = append(seen, r.Seq)
				return nil
			})
			last := uint64(7)
			if tt.bad >= 0 {
				d.requireCorrupt(t, err, tt.bad, tt.reason)
				last = uint64(tt.bad)
			} else {
				require.NoError(t, err)
			}
			var want []uint64
			for s := tt.from; s <= last; s++ {
				want = append(want, s)
			}
			assert.Equal(t, want, seen, "fn sees the records before the bad one, and not it")

			err = l.ScanBorrowed(tt.from, 0, func(*Record) error { return nil })
			if tt.crcSays {
				require.ErrorIs(t, err, ErrCorrupt)
			} else {
				require.NoError(t, err, "ScanBorrowed checks no hashes")
			}
		})
	}
}

func TestScanVerifiedMatchesScan(t *testing.T) {
	l, _ := bigLog(t, &Options{NoSync: true, SegmentSize: 64 << 10})
	require.Greater(t, len(l.segs), 2, "the scan crosses segments")
	all := scanAll(t, l)
	for _, from := range []uint64{1, 2, l.marks[1].seq, l.marks[1].seq + 1, uint64(len(all))} {
		var prev Hash
		if from > 1 {
			prev = all[from-2].Hash
		}
		next := from
		require.NoError(t, l.ScanVerified(from, 0, prev, func(r *Record) error {
			require.Equal(t, all[next-1].Seq, r.Seq)
			require.Equal(t, all[next-1].Hash, r.Hash)
			require.Equal(t, all[next-1].Payload, r.Payload)
			next++
			return nil
		}), "from %d", from)
		assert.Equal(t, uint64(len(all))+1, next, "from %d", from)
	}
	require.NoError(t, l.ScanVerified(10, 5, Hash{1}, func(*Record) error { return errors.New("called") }),
		"an empty range reads nothing")
}
