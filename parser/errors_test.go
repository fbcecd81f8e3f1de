package parser

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The error tests follow go/parser's: an input file carries, right after each offending
// token, a comment /* ERROR "rx" */ whose regular expression must match the message of an
// error reported at that token. /* ERROR HERE "rx" */ expects it at the token after the
// comment instead (for "found end of input", or a missing token). Every reported error must
// be expected, and every expected error reported.

var errorMarker = regexp.MustCompile(`/\* ERROR (HERE )?("(?:[^"\\]|\\.)*") \*/`)

type expectedError struct {
	pos Pos
	rx  *regexp.Regexp
}

// expectedErrors reads the markers of src.
func expectedErrors(t *testing.T, src string) []expectedError {
	t.Helper()
	items, _ := scanAll(src, nil)
	lineStarts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	offset := func(p Pos) int { return lineStarts[p.Line-1] + p.Col - 1 }

	var want []expectedError
	for _, m := range errorMarker.FindAllStringSubmatchIndex(src, -1) {
		// The quoted text is a regular expression; only \" is unescaped.
		rx := strings.ReplaceAll(src[m[4]+1:m[5]-1], `\"`, `"`)
		e := expectedError{rx: regexp.MustCompile(rx)}
		if m[2] >= 0 { // HERE: the first token after the comment
			for _, it := range items {
				if offset(it.pos) >= m[1] {
					e.pos = it.pos
					break
				}
			}
		} else { // the last token before the comment
			for _, it := range items {
				if offset(it.pos)+len(it.raw) <= m[0] && it.tok != EOF {
					e.pos = it.pos
				}
			}
		}
		want = append(want, e)
	}
	return want
}

func TestErrorMarkers(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "errors", "*.sql"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			want := expectedErrors(t, string(src))
			got := parseAllErrors(string(src))
			for _, e := range got {
				found := false
				for i, w := range want {
					if w.pos == e.Pos && w.rx.MatchString(e.Msg) {
						want = append(want[:i], want[i+1:]...)
						found = true
						break
					}
				}
				assert.True(t, found, "unexpected error: %v", e)
			}
			for _, w := range want {
				t.Errorf("missing error at %d:%d matching %q", w.pos.Line, w.pos.Col, w.rx)
			}
		})
	}
}

// parseAllErrors parses src statement by statement, so that more than maxErrors can be
// checked in one file.
func parseAllErrors(src string) ErrorList {
	p := newParser(src)
	for p.tok.tok != EOF {
		if !p.got(SEMI) {
			p.parseStmtOrSkip()
		}
	}
	p.errors.Sort()
	return p.errors
}

// TestErrorsWithoutMarkers covers errors whose marker would land inside the bad token.
func TestErrorsWithoutMarkers(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unterminated string", "SELECT 1,\n  'abc", "syntax error at 2:3: string literal not terminated"},
		{"unterminated quoted identifier", `SELECT "abc`, "syntax error at 1:8: quoted identifier not terminated"},
		{"unterminated comment", "SELECT 1 /* a /* b */", "syntax error at 1:10: comment not terminated"},
		{"create table missing paren", "CREATE TABLE t (a INTEGER", `syntax error at 1:26: expected ")", found end of input`},
		{"misspelled FROM", "SELECT a FORM t", `syntax error at 1:10: expected end of statement, found "FORM"`},
		{"star then misspelled FROM", "SELECT * FORM t", `syntax error at 1:10: expected end of statement, found "FORM"`},
		{"empty expression", "", "syntax error at 1:1: expected expression, found end of input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.src == "" {
				_, err = ParseExpr(tt.src)
			} else {
				_, err = Parse(tt.src)
			}
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			var e *Error
			require.ErrorAs(t, err, &e)
		})
	}
}
