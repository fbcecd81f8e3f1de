package eventlog

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// follow reads n records from s and checks they are seqs from..from+n-1 with their payloads.
func follow(t *testing.T, s *Subscription, from uint64, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i := range n {
		r, err := s.Next(ctx)
		require.NoError(t, err)
		require.Equal(t, from+uint64(i), r.Seq, "no gap, no duplicate")
		require.Equal(t, payloadFor(r.Seq), r.Payload)
	}
}

// TestSubscribeCatchUpThenLive starts a subscriber in the middle of a log that keeps growing:
// it must read the existing records from the segments, then switch to the live tail, without
// losing or repeating a record at the switch.
func TestSubscribeCatchUpThenLive(t *testing.T) {
	l := openLog(t, t.TempDir(), &Options{NoSync: true, SegmentSize: 32 << 10})
	appendBatches(t, l, make1s(2000)...)
	s := l.Subscribe(500, 64)
	defer s.Close()
	go func() {
		for range 300 { // one appender, so payloadFor(seq) is known
			seq, _ := l.Head()
			_, err := l.Append([]Entry{{Type: TypeRowInserted, Payload: payloadFor(seq + 1)},
				{Type: TypeRowInserted, Payload: payloadFor(seq + 2)}})
			assert.NoError(t, err)
		}
	}()
	follow(t, s, 500, 2600-499) // while the appender runs
	head := uint64(2600)
	assert.Positive(t, s.fromDisk, "caught up from the segments")
	// Now at the head: new records come from memory.
	appendBatches(t, l, 3, 1)
	follow(t, s, head+1, 4)
	assert.Positive(t, s.fromMemory, "followed the live tail from memory")
	t.Logf("%d records from disk, %d from memory", s.fromDisk, s.fromMemory)
}

func make1s(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = 1
	}
	return s
}

// TestSubscribeConcurrent has several subscribers following concurrent committers, live.
func TestSubscribeConcurrent(t *testing.T) {
	l := openLog(t, t.TempDir(), &Options{NoSync: true, SegmentSize: 64 << 10})
	const total = 3000
	var wg sync.WaitGroup
	for range 3 {
		s := l.Subscribe(1, 50)
		wg.Go(func() {
			defer s.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var tx uint64
			for want := uint64(1); want <= total; want++ {
				r, err := s.Next(ctx)
				if !assert.NoError(t, err) {
					return
				}
				assert.Equal(t, want, r.Seq)
				assert.GreaterOrEqual(t, r.TxID, tx)
				tx = r.TxID
			}
		})
	}
	var writers sync.WaitGroup
	for range 4 {
		writers.Go(func() {
			for range total / 4 {
				_, err := l.Append([]Entry{{Type: TypeRowInserted, Payload: []byte("live")}})
				assert.NoError(t, err)
			}
		})
	}
	writers.Wait()
	wg.Wait()
}

// TestSlowSubscriber lets a subscriber fall behind by more than the tail cache holds: the writer
// must not wait for it, and it must go back to the segments and still see every record once.
func TestSlowSubscriber(t *testing.T) {
	l := openLog(t, t.TempDir(), &Options{NoSync: true})
	appendBatches(t, l, 1)
	s := l.Subscribe(1, 16)
	defer s.Close()
	follow(t, s, 1, 1)
	// 8 MiB of records, twice what the cache keeps, while the subscriber reads nothing.
	big := make([]byte, 8<<10)
	for i := range 1024 {
		copy(big, payloadFor(uint64(i+2)))
		_, err := l.Append([]Entry{{Type: TypeRowInserted, Payload: payloadFor(uint64(i + 2))}, {Type: TypeRowInserted, Payload: big}})
		require.NoError(t, err)
	}
	disk := s.fromDisk
	ctx := context.Background()
	for seq := uint64(2); seq <= 2049; seq++ {
		r, err := s.Next(ctx)
		require.NoError(t, err)
		require.Equal(t, seq, r.Seq)
	}
	assert.Greater(t, s.fromDisk, disk, "fell behind the cache and read the segments")
	l.rmu.RLock()
	cached := l.tail.bytes
	l.rmu.RUnlock()
	assert.LessOrEqual(t, cached, tailMaxBytes, "the cache stays bounded")
}

func TestSubscribeClose(t *testing.T) {
	l := openLog(t, t.TempDir(), &Options{NoSync: true})
	appendBatches(t, l, 2)
	t.Run("close wakes a waiting Next", func(t *testing.T) {
		s := l.Subscribe(3, 0) // nothing there yet
		errc := make(chan error)
		go func() {
			_, err := s.Next(context.Background())
			errc <- err
		}()
		time.Sleep(20 * time.Millisecond)
		s.Close()
		s.Close() // twice is fine
		require.ErrorIs(t, <-errc, ErrClosed)
		assert.Zero(t, l.subs.Load())
	})
	t.Run("context", func(t *testing.T) {
		s := l.Subscribe(3, 0)
		defer s.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		_, err := s.Next(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("log closed", func(t *testing.T) {
		dir := t.TempDir()
		l, err := Open(dir, &Options{NoSync: true})
		require.NoError(t, err)
		appendBatches(t, l, 1)
		s := l.Subscribe(1, 0)
		defer s.Close()
		follow(t, s, 1, 1)
		errc := make(chan error)
		go func() {
			_, err := s.Next(context.Background())
			errc <- err
		}()
		require.NoError(t, l.Close())
		require.ErrorIs(t, <-errc, ErrClosed)
	})
}
