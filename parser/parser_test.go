package parser

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenInputs returns the testdata/*.sql files.
func goldenInputs(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.sql"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// TestGolden parses each testdata/*.sql and compares, statement by statement, the formatted
// text and the tree dump with testdata/*.golden. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	for _, file := range goldenInputs(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			stmts, err := Parse(string(src))
			require.NoError(t, err)
			var b strings.Builder
			for _, s := range stmts {
				b.WriteString("-- " + strings.ReplaceAll(Format(s), "\n", "\n-- ") + "\n")
				b.WriteString(dump(s))
				b.WriteString("\n")
			}
			golden := strings.TrimSuffix(file, ".sql") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(b.String()), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./parser -update to create it")
			assert.Equal(t, string(want), b.String())
		})
	}
}

// requireRoundTrip checks that every statement of src prints to text that parses back to
// an equal tree, and that printing is then stable.
func requireRoundTrip(t testing.TB, stmts []Stmt) {
	t.Helper()
	for _, s := range stmts {
		text := Format(s)
		again, err := Parse(text)
		require.NoError(t, err, "reparsing %q", text)
		require.Len(t, again, 1, "reparsing %q", text)
		zeroPos(s)
		zeroPos(again[0])
		require.Equal(t, s, again[0], "reparsing %q", text)
		require.Equal(t, text, Format(again[0]))
	}
}

func TestRoundTripGolden(t *testing.T) {
	for _, file := range goldenInputs(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			stmts, err := Parse(string(src))
			require.NoError(t, err)
			requireRoundTrip(t, stmts)
		})
	}
}

func TestParseMultiple(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want int
	}{
		{"empty", "", 0},
		{"only semicolons", ";;  ;", 0},
		{"only comments", "-- x\n/* y */", 0},
		{"one without semicolon", "SELECT 1", 1},
		{"empty statements skipped", ";SELECT 1;;SELECT 2;", 2},
		{"semicolon in string", "SELECT ';'; SELECT 2", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := Parse(tt.src)
			require.NoError(t, err)
			assert.Len(t, stmts, tt.want)
		})
	}
}

func TestParseErrorList(t *testing.T) {
	stmts, err := Parse("SELECT 1; SELECT FROM; SELECT 2; INSERT t; SELECT 'x")
	assert.Nil(t, stmts)
	var list ErrorList
	require.ErrorAs(t, err, &list)
	require.Len(t, list, 3)
	assert.Equal(t, Pos{1, 18}, list[0].Pos)
	assert.Equal(t, Pos{1, 41}, list[1].Pos)
	assert.Equal(t, Pos{1, 51}, list[2].Pos)
	assert.Equal(t, `syntax error at 1:18: expected expression, found "FROM" (and 2 more errors)`, err.Error())

	var first *Error
	require.True(t, errors.As(err, &first))
	assert.Equal(t, list[0], first)
}

func TestParamNumbering(t *testing.T) {
	stmts, err := Parse("SELECT ?, ?, $1; SELECT ?")
	require.NoError(t, err)
	items := stmts[0].(*SelectStmt).Columns
	assert.Equal(t, 1, items[0].Expr.(*Param).Index)
	assert.Equal(t, 2, items[1].Expr.(*Param).Index)
	assert.Equal(t, 1, items[2].Expr.(*Param).Index)
	// Each statement numbers its own.
	assert.Equal(t, 1, stmts[1].(*SelectStmt).Columns[0].Expr.(*Param).Index)
}

func TestDepthLimit(t *testing.T) {
	tests := []struct {
		name, src, msg string
	}{
		{"parentheses", "SELECT " + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000), "nesting too deep"},
		{"unclosed", "SELECT " + strings.Repeat("(", 100000), "nesting too deep"},
		{"NOT", "SELECT " + strings.Repeat("NOT ", 5000) + "TRUE", "nesting too deep"},
		{"minus", "SELECT " + strings.Repeat("- ", 5000) + "1", "nesting too deep"},
		{"subqueries", "SELECT " + strings.Repeat("(SELECT ", 5000), "nesting too deep"},
		{"FROM", "SELECT * FROM " + strings.Repeat("(", 5000) + "t", "nesting too deep"},
		{"joins", "SELECT * FROM t" + strings.Repeat(" JOIN t", 5000), "nesting too deep"},
		{"chain", "SELECT 1" + strings.Repeat(" + 1", 200000), "too long"},
		{"comma joins", "SELECT * FROM t" + strings.Repeat(", t", 200000), "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.src)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

// TestNoExponentialBacktracking nests the constructs parsed speculatively (see alt); without
// memoization each level would double the work.
func TestNoExponentialBacktracking(t *testing.T) {
	const n = 60
	tests := map[string]string{
		"FROM":  "SELECT * FROM " + strings.Repeat("((SELECT * FROM ", n) + "t" + strings.Repeat(") UNION SELECT 1) AS b", n),
		"expr":  "SELECT " + strings.Repeat("((SELECT ", n) + "1" + strings.Repeat(") + 1) = 1", n),
		"IN":    "SELECT " + strings.Repeat("x IN ((SELECT ", n) + "1" + strings.Repeat(") UNION SELECT 2)", n),
		"fails": "SELECT * FROM " + strings.Repeat("((SELECT * FROM ", n) + "t",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			stmts, err := Parse(src)
			if name == "fails" {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			requireRoundTrip(t, stmts)
		})
	}
}

// FuzzParse checks that no input makes the parser panic, and that whatever parses prints
// back to text that parses to an equal tree. Seeds: the golden and error inputs.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.sql", "testdata/errors/*.sql"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(src))
			for _, stmt := range strings.Split(string(src), ";") {
				f.Add(stmt)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		Complete(src)
		stmts, err := Parse(src)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e), "error %v is not a *Error", err)
			require.Nil(t, stmts)
		} else {
			requireRoundTrip(t, stmts)
		}
		x, err := ParseExpr(src)
		if err == nil {
			text := Format(x)
			y, err := ParseExpr(text)
			require.NoError(t, err, "reparsing %q", text)
			zeroPos(x)
			zeroPos(y)
			require.Equal(t, x, y, "reparsing %q", text)
		}
	})
}

func TestOneErrorPerStatement(t *testing.T) {
	_, err := Parse("SELECT @ # @ 1abc; SELECT a FROM FROM @; SELECT 1")
	var list ErrorList
	require.ErrorAs(t, err, &list)
	require.Len(t, list, 2)
	assert.Equal(t, `syntax error at 1:8: unexpected character "@"`, list[0].Error())
	assert.Equal(t, `syntax error at 1:34: expected table name, found "FROM"`, list[1].Error())
}
