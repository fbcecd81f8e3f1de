package conformance

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKnownRoundTrip(t *testing.T) {
	k := Known{}
	k.Add("select1.test", 120, "wrong result")
	k.Add("index/random/10/slt_good_0.test", 7, "42883 operator does not exist:\tunary + text\nsecond line")
	k.Add("index/random/10/slt_good_0.test", 3, "timeout after 20s")

	var buf bytes.Buffer
	require.NoError(t, WriteKnown(&buf, k))
	text := buf.String()
	assert.Contains(t, text, "# index/random/10/slt_good_0.test: 2 records\n"+
		"index/random/10/slt_good_0.test\t3\ttimeout after 20s\n"+
		"index/random/10/slt_good_0.test\t7\t42883 operator does not exist: unary + text second line\n")
	assert.Less(t, strings.Index(text, "index/random"), strings.Index(text, "select1.test"), "files in path order")

	back, err := ReadKnown(&buf)
	require.NoError(t, err)
	assert.Equal(t, 3, back.Len())
	assert.True(t, back.Has("select1.test", 120))
	assert.True(t, back.Has("index/random/10/slt_good_0.test", 3))
	assert.False(t, back.Has("select1.test", 121))
	assert.Equal(t, "wrong result", back["select1.test"][120])
}

func TestReadKnownErrors(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"no line number", "select1.test\n"},
		{"line not a number", "select1.test\tten\twrong result\n"},
		{"line zero", "select1.test\t0\twrong result\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadKnown(strings.NewReader(tc.src))
			require.ErrorIs(t, err, ErrKnownFormat)
		})
	}
}

func TestLoadKnownMissingFile(t *testing.T) {
	k, err := LoadKnown(filepath.Join(t.TempDir(), "none.txt"))
	require.NoError(t, err)
	assert.Zero(t, k.Len())
}

func TestSaveKnown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "known.txt")
	k := Known{}
	k.Add("a.test", 1, "x")
	require.NoError(t, SaveKnown(path, k))
	back, err := LoadKnown(path)
	require.NoError(t, err)
	assert.Equal(t, k, back)
}
