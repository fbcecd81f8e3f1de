package executor

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSmoke(t *testing.T) {
	d := newDB(t)
	d.run("CREATE TABLE t (id INT PRIMARY KEY, name TEXT, score DOUBLE PRECISION)")
	res := d.run("INSERT INTO t VALUES (1, 'a', 1.5), (2, 'b', NULL), (3, NULL, 2)")
	require.Equal(t, "INSERT 0 3", res.Tag)
	require.Equal(t, []string{"1|a|1.5", "2|b|NULL", "3|NULL|2"}, d.rows("SELECT * FROM t"))
	require.Equal(t, []string{"2|b"}, d.rows("SELECT id, name FROM t WHERE id = 2"))
	t.Log(d.plan("SELECT id, name FROM t WHERE id = 2"))
}
