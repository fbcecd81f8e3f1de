package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/eventlog"
)

// tamper changes the first occurrence of old in the log's first segment to new (same length)
// and recomputes that record's CRC-32C (the log's framing: uint32 length, uint32 CRC of the
// record's other bytes), as someone editing the log on purpose would. Only the hash chain can
// tell.
func tamper(t *testing.T, dir, old, new string) {
	t.Helper()
	path := filepath.Join(dir, "log", "00000000000000000001.log")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	at := bytes.Index(data, []byte(old))
	require.Positive(t, at, "%q is in the log", old)
	copy(data[at:], new)
	for off := 0; off < len(data); {
		n := int(binary.LittleEndian.Uint32(data[off:]))
		if at < off+n {
			rec := data[off : off+n]
			crc := crc32.Update(crc32.Update(0, crcTable, rec[:4]), crcTable, rec[8:])
			binary.LittleEndian.PutUint32(rec[4:], crc)
			break
		}
		off += n
	}
	require.NoError(t, os.WriteFile(path, data, 0o644))
}

// TestReplayChecksChain: recovery replays the log through eventlog.ScanVerified, so a record
// changed after the log was opened — checksum and all — stops Open instead of entering the
// state, whether the replay starts from the first event or from a snapshot's pinned hash.
func TestReplayChecksChain(t *testing.T) {
	for _, snapshot := range []bool{false, true} {
		t.Run(fmt.Sprintf("snapshot=%v", snapshot), func(t *testing.T) {
			dir := t.TempDir()
			// With snapshot, the first session's Close writes one at seq 11; the second
			// session writes none, so seqs 12..21 are the tail replayed after it.
			st := openStore(t, dir, &Options{NoSnapshots: !snapshot, SnapshotEvery: 1 << 30})
			tx := st.Begin()
			def, err := tx.CreateTable(usersDef())
			require.NoError(t, err)
			require.NoError(t, commit(t, st, tx))
			for i := range 20 {
				if i == 10 {
					st = reopen(t, st, dir, &Options{NoSnapshots: true})
				}
				tx := st.Begin()
				_, err := tx.Insert(def.ID, row(i, fmt.Sprintf("name-%02d", i), 30))
				require.NoError(t, err)
				require.NoError(t, commit(t, st, tx))
			}
			require.NoError(t, st.Close())
			require.NoError(t, st.Log().Close())
			snaps, _ := filepath.Glob(filepath.Join(dir, "snapshots", "*"))
			require.Len(t, snaps, map[bool]int{false: 0, true: 1}[snapshot])

			log, err := eventlog.Open(dir+"/log", &eventlog.Options{NoSync: true})
			require.NoError(t, err)
			defer log.Close()
			var warnings bytes.Buffer
			opts := &Options{NoSnapshots: true, Logger: slog.New(slog.NewTextHandler(&warnings, nil))}
			clean, err := Open(dir, log, opts)
			require.NoError(t, err)
			assert.Empty(t, warnings.String(), "the tail continues the snapshot's hash")
			assert.Equal(t, uint64(21), clean.Current().Seq())
			require.NoError(t, clean.Close())

			tamper(t, dir, "name-15", "name-99") // after the snapshot
			_, err = Open(dir, log, opts)
			require.ErrorIs(t, err, eventlog.ErrCorrupt)
			assert.Contains(t, err.Error(), "hash chain broken")
			assert.Contains(t, err.Error(), "(seq 17)", "the record of the 16th insert")
		})
	}
}

// BenchmarkOpenReplay opens a store over a log of 100,000 row inserts (batches of 100) with no
// snapshot, so Open replays every event: eventlog.Open plus storage's replay. It reports
// events/s of the whole reopen, by the wall clock and per CPU-second.
func BenchmarkOpenReplay(b *testing.B) {
	const n = 100_000
	dir := b.TempDir()
	st := openStore(b, dir, &Options{NoSnapshots: true})
	tx := st.Begin()
	def, err := tx.CreateTable(usersDef())
	require.NoError(b, err)
	require.NoError(b, commit(b, st, tx))
	name := strings.Repeat("x", 60)
	for i := 0; i < n; i += 100 {
		tx := st.Begin()
		for j := i; j < i+100; j++ {
			_, err := tx.Insert(def.ID, row(j, fmt.Sprintf("%s%d", name, j), j%90))
			require.NoError(b, err)
		}
		require.NoError(b, commit(b, st, tx))
	}
	require.NoError(b, st.Close())
	require.NoError(b, st.Log().Close())
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		log, err := eventlog.Open(dir+"/log", &eventlog.Options{NoSync: true})
		require.NoError(b, err)
		st, err := Open(dir, log, &Options{NoSnapshots: true})
		require.NoError(b, err)
		require.Equal(b, uint64(n+1), st.Current().Seq())
		require.NoError(b, st.Close())
		require.NoError(b, log.Close())
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if cpu := cpuTime() - cpu; cpu > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/cpu, "events/cpu-s")
	}
}
