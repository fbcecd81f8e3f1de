// Package layers checks the architecture: every import between our packages points down the
// layer diagram of the root README, never up or sideways.
package layers

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/eventsql/eventsql"

// allowed lists, for each package, the packages of ours it may import. Tests of a package
// may also import the packages of tests/ helpers and the driver, so _test.go files are not
// checked here.
var allowed = map[string][]string{
	"schema":   {},
	"parser":   {},
	"eventlog": {"schema"},
	"index":    {"schema"},
	"catalog":  {"schema"},
	"storage":  {"catalog", "index", "eventlog", "schema"},
	"executor": {"parser", "catalog", "storage", "index", "schema"},
	"database": {"executor", "storage", "eventlog", "parser", "catalog", "index", "schema"},
	"driver":   {"database", "parser", "schema"},
	"cmd/repl": {"database", "parser", "schema"},
	"cmd/web":  {"database", "schema"},
	".":        {"cmd/repl", "cmd/web", "database", "eventlog"},
	"tests":    nil, // test-only packages may import anything
}

func TestImportsPointDown(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	seen := 0
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); strings.HasPrefix(name, ".") || name == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		if rel == "tests" || strings.HasPrefix(rel, "tests/") || strings.HasPrefix(rel, "cmd/bench") {
			return nil
		}
		ok, known := allowed[rel]
		require.True(t, known, "package %s is not in the layer map of tests/layers: add it", rel)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(p, module+"/")
			require.Contains(t, ok, dep, "%s imports %s: that import points up or sideways", path, dep)
			seen++
		}
		return nil
	})
	require.NoError(t, err)
	require.NotZero(t, seen, "no imports checked: is the walk looking at the right tree?")
}
