package storage

import (
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// validSnapshot returns the bytes of a real snapshot of a random workload.
func validSnapshot(tb testing.TB) []byte {
	tb.Helper()
	dir := tb.TempDir()
	st := openStore(tb, dir, &Options{SnapshotEvery: 1 << 40})
	newWorkload(st, 8).run(tb, 20)
	require.NoError(tb, st.Snapshot())
	data, err := os.ReadFile(snapshotFiles(tb, dir)[0])
	require.NoError(tb, err)
	return data
}

// reseal recomputes the checksum trailer, so that damage reaches the decoder proper.
func reseal(data []byte) []byte {
	body := data[:len(data)-4]
	return binary.LittleEndian.AppendUint32(body[:len(body):len(body)], crc32.Checksum(body, crcTable))
}

// TestDecodeDamagedBodies flips and cuts bytes of a snapshot behind a valid checksum: the
// decoder must return an error or a consistent state, never panic.
func TestDecodeDamagedBodies(t *testing.T) {
	data := validSnapshot(t)
	r := rand.New(rand.NewPCG(4, 4))
	for range 2000 {
		d := append([]byte(nil), data...)
		if r.IntN(3) == 0 {
			d = d[:snapshotHeader+4+r.IntN(len(d)-snapshotHeader-4)]
		} else {
			for range 1 + r.IntN(3) {
				d[snapshotHeader+r.IntN(len(d)-snapshotHeader-4)] ^= byte(1 + r.IntN(255))
			}
		}
		if s, _, err := decodeSnapshot(reseal(d)); err == nil {
			for _, tb := range s.tables {
				tb.Scan(func(uint64, schemaRow) bool { return true })
			}
		}
	}
}

func FuzzDecodeSnapshot(f *testing.F) {
	f.Add(validSnapshot(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) >= 4 {
			data = reseal(data)
		}
		_, _, _ = decodeSnapshot(data)
	})
}
