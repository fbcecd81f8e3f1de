package main

import (
	"math/bits"
	"time"
)

// histogram records durations in log-linear buckets, in the manner of HdrHistogram: below
// 2·subCount ns every nanosecond has a bucket; above, each power of two is split into subCount
// buckets. Recording is an index computation and an increment — no allocation, no lock (each
// client has its own histogram) — so measuring never dominates what is measured, however many
// operations a run makes. A percentile is off by at most 1/(2·subCount) of its value (0.4%).
type histogram struct {
	counts [bucketCount]uint64
	n      uint64
	sum    time.Duration
	max    time.Duration
}

const (
	subBits     = 7
	subCount    = 1 << subBits
	bucketCount = (65 - subBits) * subCount // the largest uint64 lands in the last one
)

// bucketOf returns the bucket of a duration in nanoseconds. For v >= 2·subCount, the bucket is
// (shift, top) where top is v's leading subBits+1 bits and shift the bits dropped below them.
func bucketOf(v uint64) int {
	if v < 2*subCount {
		return int(v)
	}
	shift := bits.Len64(v) - (subBits + 1)
	return shift*subCount + int(v>>shift)
}

// bucketMid returns the middle of the values that fall into bucket i.
func bucketMid(i int) uint64 {
	if i < 2*subCount {
		return uint64(i)
	}
	shift := i/subCount - 1
	top := uint64(i%subCount + subCount)
	lo := top << shift
	return lo + (uint64(1)<<shift)/2
}

func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))]++
	h.n++
	h.sum += d
	h.max = max(h.max, d)
}

// merge adds o's recordings to h.
func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// percentile returns the duration below or at which a fraction p (0 < p <= 1) of the
// recordings fall; 0 when nothing was recorded.
func (h *histogram) percentile(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(p*float64(h.n) + 0.999999999)
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(time.Duration(bucketMid(i)), h.max)
		}
	}
	return h.max
}
