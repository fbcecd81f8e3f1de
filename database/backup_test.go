package database

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Backups cut into many small chunks, with transactions spanning chunk boundaries, restore to
// the same head hash and rows; damaged or truncated ones are refused.
func TestBackupRestoreChunks(t *testing.T) {
	old := chunkBytes
	chunkBytes = 200
	defer func() { chunkBytes = old }()

	ctx := context.Background()
	db, err := Open(t.TempDir(), &Options{NoSync: true})
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(ctx, "CREATE TABLE t (id integer PRIMARY KEY, v text)")
	require.NoError(t, err)
	for i := range 20 {
		_, err = db.Exec(ctx, "INSERT INTO t VALUES ($1, 'a'), ($2, 'b'), ($3, 'c')", 3*i, 3*i+1, 3*i+2)
		require.NoError(t, err)
	}
	_, err = db.Exec(ctx, "UPDATE t SET v = v || '!' WHERE id % 7 = 0")
	require.NoError(t, err)

	var buf bytes.Buffer
	m, err := db.Backup(ctx, &buf)
	require.NoError(t, err)
	seq, hash := db.Head()
	assert.Equal(t, seq, m.Seq)
	assert.Equal(t, hash, m.Hash)
	assert.Equal(t, db.ID(), m.ID)

	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"whole", buf.Bytes(), true},
		{"truncated", buf.Bytes()[:buf.Len()*2/3], false},
		{"not a tar", []byte("hello"), false},
		// 512 bytes into the entry: past its tar header, inside the records.
		{"flipped byte", flip(buf.Bytes(), bytes.Index(buf.Bytes(), []byte("events/000002.bin"))+512+40), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "r")
			got, err := Restore(bytes.NewReader(tc.data), dir)
			if !tc.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, m.Hash, got.Hash)
			db2, err := Open(dir, nil)
			require.NoError(t, err)
			defer db2.Close()
			s2, h2 := db2.Head()
			assert.Equal(t, seq, s2)
			assert.Equal(t, hash, h2)
			want, err := db.Query(ctx, "SELECT * FROM t ORDER BY id")
			require.NoError(t, err)
			rows, err := db2.Query(ctx, "SELECT * FROM t ORDER BY id")
			require.NoError(t, err)
			assert.Equal(t, want.Rows, rows.Rows)
		})
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x40
	return c
}
