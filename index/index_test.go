package index

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// model is the obviously-correct reference: a set of entries kept as a sorted slice.
type model []entry

func (m model) clone() model { return append(model(nil), m...) }

func (m model) find(e entry) (int, bool) {
	i := sort.Search(len(m), func(i int) bool { return !lessEntry(m[i], e) })
	return i, i < len(m) && m[i] == e
}

func (m *model) insert(e entry) {
	if i, ok := m.find(e); !ok {
		*m = append((*m)[:i], append([]entry{e}, (*m)[i:]...)...)
	}
}

func (m *model) delete(e entry) {
	if i, ok := m.find(e); ok {
		*m = append((*m)[:i], (*m)[i+1:]...)
	}
}

func (m model) lookup(key string) []uint64 {
	var ids []uint64
	for _, e := range m {
		if e.key == key {
			ids = append(ids, e.rowID)
		}
	}
	return ids
}

func (m model) between(from, to string) []entry {
	var es []entry
	for _, e := range m {
		if (from == "" || e.key >= from) && (to == "" || e.key < to) {
			es = append(es, e)
		}
	}
	return es
}

func lookup(ix Index, key string) []uint64 {
	var ids []uint64
	ix.Lookup(key, func(id uint64) bool { ids = append(ids, id); return true })
	return ids
}

// randomKey draws from a small key space so that keys repeat, with some keys that are
// prefixes of others and an embedded NUL, to exercise ordering edge cases.
func randomKey(r *rand.Rand) string {
	keys := []string{"a", "ab", "abc", "b", "b\x00", "ba", "c", "zz", "\x01", "\xff"}
	return keys[r.IntN(len(keys))]
}

func TestRandomOperations(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d (set it in the test to reproduce)", seed)
	for _, tc := range []struct {
		name string
		new  func() Index
	}{
		{"btree", func() Index { return NewBTree() }},
		{"hash", func() Index { return NewHash() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 1))
			type pair struct {
				ix Index
				m  model
			}
			pairs := []*pair{{ix: tc.new()}}
			for step := 0; step < 20000; step++ {
				p := pairs[r.IntN(len(pairs))]
				e := entry{randomKey(r), uint64(r.IntN(20))}
				switch op := r.IntN(100); {
				case op < 45:
					p.ix.Insert(e.key, e.rowID)
					p.m.insert(e)
				case op < 75:
					p.ix.Delete(e.key, e.rowID)
					p.m.delete(e)
				case op < 97:
					require.Equal(t, p.m.lookup(e.key), lookup(p.ix, e.key), "step %d: lookup %q", step, e.key)
				default:
					if len(pairs) < 8 {
						pairs = append(pairs, &pair{ix: p.ix.Clone(), m: p.m.clone()})
					}
				}
				require.Equal(t, len(p.m), p.ix.Len(), "step %d: Len", step)
				if o, ok := p.ix.(Ordered); ok && step%50 == 0 {
					checkRanges(t, r, o, p.m)
				}
			}
			for _, p := range pairs {
				for _, k := range []string{"a", "ab", "b\x00", "zz", "missing"} {
					assert.Equal(t, p.m.lookup(k), lookup(p.ix, k), "final lookup %q", k)
				}
			}
		})
	}
}

func checkRanges(t *testing.T, r *rand.Rand, o Ordered, m model) {
	t.Helper()
	from, to := randomKey(r), randomKey(r)
	if r.IntN(4) == 0 {
		from = ""
	}
	if r.IntN(4) == 0 {
		to = ""
	}
	want := m.between(from, to)
	var got []entry
	o.Ascend(from, to, func(k string, id uint64) bool { got = append(got, entry{k, id}); return true })
	require.Equal(t, want, got, "Ascend(%q, %q)", from, to)
	got = nil
	o.Descend(from, to, func(k string, id uint64) bool { got = append(got, entry{k, id}); return true })
	for i, j := 0, len(got)-1; i < j; i, j = i+1, j-1 {
		got[i], got[j] = got[j], got[i]
	}
	require.Equal(t, want, got, "Descend(%q, %q)", from, to)
}

func TestEarlyStop(t *testing.T) {
	for _, ix := range []Index{NewBTree(), NewHash()} {
		t.Run(fmt.Sprintf("%T", ix), func(t *testing.T) {
			for i := uint64(1); i <= 5; i++ {
				ix.Insert("k", i)
			}
			var seen []uint64
			ix.Lookup("k", func(id uint64) bool { seen = append(seen, id); return id < 3 })
			assert.Equal(t, []uint64{1, 2, 3}, seen)
		})
	}
	b := NewBTree()
	for _, k := range []string{"a", "b", "c", "d"} {
		b.Insert(k, 1)
	}
	var keys []string
	b.Ascend("", "", func(k string, _ uint64) bool { keys = append(keys, k); return k != "b" })
	assert.Equal(t, []string{"a", "b"}, keys)
	keys = nil
	b.Descend("", "", func(k string, _ uint64) bool { keys = append(keys, k); return k != "c" })
	assert.Equal(t, []string{"d", "c"}, keys)
}

func TestCloneIsolation(t *testing.T) {
	for _, newIx := range []func() Index{func() Index { return NewBTree() }, func() Index { return NewHash() }} {
		orig := newIx()
		for i := range uint64(1000) {
			orig.Insert(fmt.Sprintf("k%04d", i), i)
		}
		c := orig.Clone()
		c.Delete("k0001", 1)
		c.Insert("new", 5000)
		orig.Insert("orig-only", 6000)
		assert.Equal(t, []uint64{1}, lookup(orig, "k0001"))
		assert.Nil(t, lookup(c, "k0001"))
		assert.Nil(t, lookup(orig, "new"))
		assert.Nil(t, lookup(c, "orig-only"))
		assert.Equal(t, 1001, orig.Len())
		assert.Equal(t, 1000, c.Len())
		assert.IsType(t, orig, c)
	}
}

// TestConcurrentClone clones one published index from many goroutines while others read it;
// run with -race.
func TestConcurrentClone(t *testing.T) {
	for _, ix := range []Index{NewBTree(), NewHash()} {
		for i := range uint64(100) {
			ix.Insert(fmt.Sprint(i), i)
		}
		done := make(chan struct{})
		for g := range 8 {
			go func() {
				defer func() { done <- struct{}{} }()
				c := ix.Clone()
				c.Insert("mine", uint64(g))
				_ = lookup(ix, "5")
			}()
		}
		for range 8 {
			<-done
		}
		assert.Equal(t, 100, ix.Len())
	}
}

func BenchmarkInsert(b *testing.B) {
	for _, tc := range []struct {
		name string
		ix   Index
	}{{"btree", NewBTree()}, {"hash", NewHash()}} {
		b.Run(tc.name, func(b *testing.B) {
			for i := range b.N {
				tc.ix.Insert(fmt.Sprintf("key-%d", i), uint64(i))
			}
		})
	}
}
