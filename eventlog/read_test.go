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
		for _, borrowed := range []bool{false, true} {
			b.Run(fmt.Sprintf("decode=%v/borrowed=%v", decode, borrowed), func(b *testing.B) {
				b.SetBytes(int64(n * (minRecordSize + len(e.Payload))))
				b.ReportAllocs()
				fn := func(r *Record) error {
					if decode {
						_, err := Decode(r.Type, r.Payload)
						return err
					}
					return nil
				}
				for b.Loop() {
					var err error
					if borrowed {
						err = l.ScanBorrowed(0, 0, fn)
					} else {
						err = l.Scan(0, 0, func(r Record) error { return fn(&r) })
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}
