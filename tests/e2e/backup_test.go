package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/cmd/web"
	"github.com/eventsql/eventsql/database"
)

// A backup taken over HTTP while writers run restores into a second directory whose log ends
// at exactly the manifest's seq and hash, with the rows the original had at that seq.
func TestBackupRestore(t *testing.T) {
	s := start(t, web.Options{})
	s.sql("CREATE TABLE t (w integer, i integer, v text, PRIMARY KEY (w, i))")
	for i := range 50 {
		s.sql("INSERT INTO t VALUES (0, $1, $2)", i, fmt.Sprint("row ", i))
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for g := 1; g <= 3; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				s.sql("INSERT INTO t VALUES ($1, $2, 'x')", g, i)
				s.sql("UPDATE t SET v = v || '!' WHERE w = 0 AND i = $1", i%50)
			}
		}()
	}
	require.Eventually(t, func() bool { seq, _ := s.db.Head(); return seq > 60 }, 10*time.Second, time.Millisecond,
		"the writers are under way")
	resp, err := http.Get(s.url + "/v1/admin/backup")
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/x-tar", resp.Header.Get("Content-Type"))
	tarball, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	stop.Store(true)
	wg.Wait()

	dir := filepath.Join(t.TempDir(), "restored")
	m, err := database.Restore(bytes.NewReader(tarball), dir)
	require.NoError(t, err)
	head, _ := s.db.Head()
	require.Less(t, m.Seq, head, "the writers went on after the backup's seq")
	require.Greater(t, m.Seq, uint64(51))
	assert.Equal(t, s.db.ID(), m.ID)

	db2, err := database.Open(dir, nil)
	require.NoError(t, err)
	defer db2.Close()
	rep, err := db2.Verify()
	require.NoError(t, err)
	assert.Equal(t, m.Seq, rep.HeadSeq)
	assert.Equal(t, m.Hash, rep.HeadHash)

	ctx := context.Background()
	want, err := s.db.Query(ctx, fmt.Sprintf("SELECT * FROM t AS OF SEQ %d ORDER BY w, i", m.Seq))
	require.NoError(t, err)
	got, err := db2.Query(ctx, "SELECT * FROM t ORDER BY w, i")
	require.NoError(t, err)
	assert.Equal(t, want.Rows, got.Rows)

	_, err = database.Restore(bytes.NewReader(tarball), dir)
	assert.Error(t, err, "restore refuses a directory that is not empty")
	_, err = database.Restore(bytes.NewReader(tarball[:len(tarball)/2]), filepath.Join(t.TempDir(), "half"))
	assert.Error(t, err, "a truncated backup does not restore")
}
