package eventlog

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// OnCommit sees every acknowledged transaction once, with its records and a latency.
func TestOnCommit(t *testing.T) {
	var mu sync.Mutex
	var got []CommitStats
	l := openLog(t, t.TempDir(), &Options{Durability: DurabilityAlways, OnCommit: func(s CommitStats) {
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
	}})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			entries := make([]Entry, i+1)
			for j := range entries {
				entries[j] = Entry{Type: 1, Payload: []byte("x")}
			}
			_, err := l.Append(entries)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	require.NoError(t, l.Close())
	batches, records, waits := 0, 0, 0
	for _, s := range got {
		batches += s.Batches
		records += s.Records
		waits += len(s.Waits)
		assert.Positive(t, s.Bytes)
		assert.Positive(t, s.Sync, "DurabilityAlways syncs each group")
		for _, w := range s.Waits {
			assert.Positive(t, w)
		}
	}
	assert.Equal(t, 8, batches)
	assert.Equal(t, 8, waits)
	assert.Equal(t, 36, records) // 1+2+…+8
}
