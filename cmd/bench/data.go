package main

import (
	"math"
	"math/bits"
)

// The data set. Every value of every row is a pure function of the row's id (a hash), so the
// benchmark can load, check and re-check a million rows without ever holding them: holding
// them would put ~50 MB of our own data on the Go heap beside eventsql's and spoil the memory
// measurement. The expected answers of the read workloads (the model) are computed by
// streaming the same function once.
//
//	t (id INTEGER PRIMARY KEY, k INTEGER, v TEXT, f DOUBLE PRECISION), index on k
//	    id 1..rows, k uniform in [0, customers), v 24 letters, f uniform in [0, 1000)
//	c (same schema): id 0..customers-1 (so every t.k joins one c row),
//	    k uniform in [0, 100) (a region to group by), f uniform in [0, 1000)

const (
	fullRows      = 1_000_000
	fullCustomers = 10_000
	regions       = 100  // the range of c.k, and of t.k % 100 in W7
	fMax          = 1000 // f is uniform in [0, fMax)
	cutoff        = 250  // W8's c.f < cutoff selects about a quarter of the customers
	vLen          = 24
)

// rowBytes is the raw size of one row's data: three 8-byte numbers and the text.
const rowBytes = 8 + 8 + 8 + vLen

// row is one row of t or c.
type row struct {
	id int64
	k  int64
	v  string
	f  float64
}

// mix is splitmix64's finalizer: a cheap hash whose output bits are all well mixed.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Salts keep t's and c's values independent of each other.
const (
	saltT = 0x7461626c6574 // "tablet"
	saltC = 0x7461626c6563 // "tablec"
)

// uniform maps a hash to [0, n) without modulo bias worth mentioning (Lemire's multiply-shift).
func uniform(h uint64, n int) int64 {
	hi, _ := bits.Mul64(h, uint64(n))
	return int64(hi)
}

// unitFloat maps a hash to a float64 in [0, max) that is exact in binary, so it survives every
// engine's round trip bit for bit.
func unitFloat(h uint64, max float64) float64 {
	return float64(h>>11) * (max / (1 << 53))
}

const alphabet = "abcdefghijklmnopqrstuvwxyz234567"

// text makes vLen letters from a hash: 5 bits a letter, rehashing every 12 letters.
func text(h uint64) string {
	var b [vLen]byte
	x := h
	for i := range b {
		if i > 0 && i%12 == 0 {
			x = mix(h + uint64(i))
		}
		b[i] = alphabet[x&31]
		x >>= 5
	}
	return string(b[:])
}

// tKF returns t's k and f for id: the columns the model needs (no string is built).
func tKF(id int64, customers int) (int64, float64) {
	h := mix(uint64(id) ^ saltT)
	return uniform(h, customers), unitFloat(mix(h), fMax)
}

// tRow returns the row of t with the given id, as loaded.
func tRow(id int64, customers int) row {
	k, f := tKF(id, customers)
	return row{id: id, k: k, v: text(mix(mix(uint64(id)^saltT) + 1)), f: f}
}

// cRow returns the row of c with the given id (a customer number).
func cRow(id int64) row {
	h := mix(uint64(id) ^ saltC)
	return row{id: id, k: uniform(h, regions), v: text(mix(h + 1)), f: unitFloat(mix(h), fMax)}
}

// dataset is the size of the data at one scale and the model of the read workloads' answers.
type dataset struct {
	rows      int // rows of t, ids 1..rows
	customers int // rows of c, ids 0..customers-1; the range of t.k

	perK []int32 // rows of t per k (W5, W6)

	// W7: SELECT k % 100, COUNT(*), SUM(f) FROM t GROUP BY 1
	modCount map[int64]int64
	modSum   map[int64]float64

	// W8: SELECT c.k, COUNT(*), SUM(t.f) FROM t JOIN c ON t.k = c.id WHERE c.f < 250 GROUP BY c.k
	joinCount map[int64]int64
	joinSum   map[int64]float64
}

// newDataset sizes the data for scale (1 = a million rows) and computes the model by streaming
// every row once. Customers shrink with the rows so that a k still selects about 100 rows.
func newDataset(scale float64) *dataset {
	d := &dataset{
		rows:      max(1, int(math.Round(fullRows*scale))),
		customers: max(1, int(math.Round(fullCustomers*scale))),
		modCount:  map[int64]int64{},
		modSum:    map[int64]float64{},
		joinCount: map[int64]int64{},
		joinSum:   map[int64]float64{},
	}
	d.perK = make([]int32, d.customers)
	region := make([]int64, d.customers) // c.k of each customer, or -1 if c.f >= cutoff
	for id := range int64(d.customers) {
		c := cRow(id)
		region[id] = -1
		if c.f < cutoff {
			region[id] = c.k
		}
	}
	for id := int64(1); id <= int64(d.rows); id++ {
		k, f := tKF(id, d.customers)
		d.perK[k]++
		d.modCount[k%regions]++
		d.modSum[k%regions] += f
		if r := region[k]; r >= 0 {
			d.joinCount[r]++
			d.joinSum[r] += f
		}
	}
	return d
}

// rawBytes is the size of the data of t and c as plain values: what a perfect store would hold.
func (d *dataset) rawBytes() int64 { return int64(d.rows+d.customers) * rowBytes }

// firstKs returns the k column W6 must return for k >= from, in order: every k present, each
// as often as it occurs, until limit values.
func (d *dataset) firstKs(from int64, limit int) []int64 {
	var ks []int64
	for k := from; k < int64(d.customers) && len(ks) < limit; k++ {
		for range d.perK[k] {
			if len(ks) == limit {
				break
			}
			ks = append(ks, k)
		}
	}
	return ks
}

// sameFloat reports whether two sums agree to a relative 1e-9: engines add in different
// orders, so the last bits of a sum of many doubles may differ.
func sameFloat(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
