package repl

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestViewCommands(t *testing.T) {
	sh, out, _ := newShell(t)
	require.NoError(t, sh.Script(strings.NewReader(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);
CREATE VIEW named AS SELECT * FROM t WHERE name IS NOT NULL;
CREATE OR REPLACE VIEW named AS SELECT id, name, upper(name) AS shout FROM t WHERE name IS NOT NULL;
`)))
	out.Reset()
	require.NoError(t, sh.Command(`\dv`))
	assert.Equal(t, `List of views
 name  | columns
-------+---------
 named |       3
`, out.String())

	out.Reset()
	require.NoError(t, sh.Command(`\dt`))
	assert.NotContains(t, out.String(), "named", `\dt lists tables only`)

	out.Reset()
	require.NoError(t, sh.Command(`\d named`))
	assert.Equal(t, `View "named"
 Column |  Type
--------+---------
 id     | integer
 name   | text
 shout  | text
View definition:
 SELECT id, name, upper(name) AS shout FROM t WHERE name IS NOT NULL;
`, out.String())

	require.NoError(t, sh.Command(`DROP VIEW named`))
	out.Reset()
	require.NoError(t, sh.Command(`\history named`))
	h := out.String()
	assert.Equal(t, 2, strings.Count(h, "ViewCreated"), h)
	assert.Contains(t, h, "named (id, name) AS SELECT t.id, t.name FROM t WHERE name IS NOT NULL", "* was expanded")
	assert.Contains(t, h, "ViewDropped")

	out.Reset()
	require.NoError(t, sh.Command(`\dv`))
	assert.Equal(t, "Did not find any views.\n", out.String())
	require.Error(t, sh.Command(`\history nosuch`))
}
