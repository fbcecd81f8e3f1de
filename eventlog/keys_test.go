package eventlog

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eventsql/eventsql/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventKeys(t *testing.T) {
	row := schema.Row{schema.Int(1)}
	tests := []struct {
		e    Event
		want []string
	}{
		{TableCreated{Table: schema.Table{ID: 7, Name: "t"}}, []string{"t/7"}},
		{TableDropped{TableID: 7, Name: "t"}, []string{"t/7"}},
		{TableAltered{TableID: 7, Kind: TableRenamed, OldName: "a", NewName: "b"}, []string{"t/7"}},
		{IndexCreated{TableID: 7, Index: schema.Index{Name: "i", Columns: []uint32{1}}}, []string{"t/7"}},
		{IndexDropped{TableID: 7, Name: "i"}, []string{"t/7"}},
		{RowInserted{TableID: 7, RowID: 123456789, Row: row}, []string{"t/7", "r/7/123456789"}},
		{RowUpdated{TableID: 300, RowID: 2, Before: row, After: row}, []string{"t/300", "r/300/2"}},
		{RowDeleted{TableID: 1, RowID: 0, Row: row}, []string{"t/1", "r/1/0"}},
		{ViewCreated{View: schema.View{ID: 9, Name: "v", Columns: []string{"a"}, Query: "SELECT 1 AS a"}}, []string{"t/9"}},
		{ViewDropped{ViewID: 9, Name: "v"}, []string{"t/9"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%T", tt.e), func(t *testing.T) {
			e := Encode(tt.e)
			assert.Equal(t, tt.want, EventKeys(e.Type, e.Payload))
		})
	}
	assert.Equal(t, "t/7", TableKey(7))
	assert.Equal(t, "r/7/123456789", RowKey(7, 123456789))
	assert.Nil(t, EventKeys(TypeRowInserted, nil))
	assert.Nil(t, EventKeys(TypeRowInserted, []byte{2, 1, 1}), "unknown payload version")
	assert.Nil(t, EventKeys(TypeRowInserted, []byte{1, 0x80}), "truncated id")
	assert.Nil(t, EventKeys(99, []byte{1, 1, 1}), "unknown type")
}

// keyModel appends random row events to l and remembers, per key, the seqs ScanKey must give.
type keyModel map[string][]uint64

func (km keyModel) append(t testing.TB, l *Log, rng *rand.Rand, batches int) {
	t.Helper()
	for range batches {
		entries := make([]Entry, 1+rng.IntN(4))
		for i := range entries {
			table, row := uint64(1+rng.IntN(3)), uint64(rng.IntN(40))
			entries[i] = Encode(RowUpdated{TableID: table, RowID: row, Before: schema.Row{schema.Int(int64(row))},
				After: schema.Row{schema.Str(fmt.Sprint(rng.Uint64()))}})
		}
		p, err := l.Submit(entries)
		require.NoError(t, err)
		for i, e := range entries {
			for _, k := range EventKeys(e.Type, e.Payload) {
				km[k] = append(km[k], p.Result().FirstSeq+uint64(i))
			}
		}
		_, err = p.Wait()
		require.NoError(t, err)
	}
}

func (km keyModel) check(t testing.TB, l *Log) {
	t.Helper()
	for key, want := range km {
		var got []uint64
		require.NoError(t, l.ScanKey(key, func(r Record) error {
			got = append(got, r.Seq)
			require.Contains(t, EventKeys(r.Type, r.Payload), key)
			return nil
		}))
		require.Equal(t, want, got, "key %s", key)
	}
	require.NoError(t, l.ScanKey("r/9/9", func(Record) error { t.Fatal("unknown key visited"); return nil }))
}

// TestScanKey checks ScanKey against a model across segments, and after reopening the log both
// with its segment indexes and without them.
func TestScanKey(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	dir := t.TempDir()
	opts := &Options{NoSync: true, SegmentSize: 16 << 10, Keys: EventKeys}
	km := keyModel{}
	l, err := Open(dir, opts)
	require.NoError(t, err)
	km.append(t, l, rng, 600)
	km.check(t, l)
	require.NoError(t, l.Close())

	l = openLog(t, dir, opts) // sealed segments through their .idx files
	km.check(t, l)
	km.append(t, l, rng, 100)
	km.check(t, l)
	require.NoError(t, l.Close())

	idx, err := filepath.Glob(filepath.Join(dir, "*"+indexExt))
	require.NoError(t, err)
	require.NotEmpty(t, idx)
	for _, p := range idx {
		require.NoError(t, os.Remove(p))
	}
	l = openLog(t, dir, opts) // every segment read in full
	km.check(t, l)

	err = openLog(t, t.TempDir(), nil).ScanKey("t/1", func(Record) error { return nil })
	require.ErrorIs(t, err, ErrNoKeyIndex)
}

// TestScanKeyDropsUnfinishedBatch: keys of an unfinished batch cut off at recovery must not
// stay in the index, where the seqs given again to new records would look like theirs.
func TestScanKeyDropsUnfinishedBatch(t *testing.T) {
	d := buildLog(t)
	lost := Encode(RowInserted{TableID: 5, RowID: 1, Row: schema.Row{schema.Int(1)}})
	var buf []byte
	r := Record{Seq: 8, TxID: 5, Time: 1 << 62, Type: lost.Type, Payload: lost.Payload} // no commit flag
	buf = appendRecord(buf, newHasher(), d.hashes[7], &r)
	d.appendBytes(t, buf)

	l := openLog(t, d.dir, &Options{NoSync: true, Keys: EventKeys})
	res, err := l.Append([]Entry{Encode(RowInserted{TableID: 6, RowID: 1, Row: schema.Row{schema.Int(1)}})})
	require.NoError(t, err)
	require.Equal(t, uint64(8), res.FirstSeq, "seq 8 given again")
	var got []uint64
	require.NoError(t, l.ScanKey(RowKey(5, 1), func(r Record) error { got = append(got, r.Seq); return nil }))
	assert.Empty(t, got)
	require.NoError(t, l.ScanKey(RowKey(6, 1), func(r Record) error { got = append(got, r.Seq); return nil }))
	assert.Equal(t, []uint64{8}, got)
}

// BenchmarkScanKey reads one row's history out of a log of many rows.
func BenchmarkScanKey(b *testing.B) {
	l := openLog(b, b.TempDir(), &Options{NoSync: true, Keys: EventKeys})
	rng := rand.New(rand.NewPCG(1, 1))
	km := keyModel{}
	km.append(b, l, rng, 20000)
	key := RowKey(1, 7)
	for b.Loop() {
		if err := l.ScanKey(key, func(Record) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(km[key])), "records/op")
	head, _ := l.Head()
	b.ReportMetric(float64(head), "log-records")
}
