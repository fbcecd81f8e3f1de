package conformance

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// ErrKnownFormat is returned by ReadKnown for a line that is not "<file>\t<line>\t<reason>".
var ErrKnownFormat = errors.New("conformance: malformed known-failures line")

// Known is the allow-list of records expected to fail: file (relative to the corpus
// directory) → record line → reason. The reason is for people; only file and line are matched.
type Known map[string]map[int]string

// Has reports whether the record of file at line is listed.
func (k Known) Has(file string, line int) bool {
	_, ok := k[file][line]
	return ok
}

// Add lists a record.
func (k Known) Add(file string, line int, reason string) {
	if k[file] == nil {
		k[file] = map[int]string{}
	}
	k[file][line] = reason
}

// Len returns the number of listed records.
func (k Known) Len() int {
	n := 0
	for _, lines := range k {
		n += len(lines)
	}
	return n
}

// LoadKnown reads the known-failures file at path. A missing file is an empty list.
func LoadKnown(path string) (Known, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return Known{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadKnown(f)
}

// ReadKnown parses a known-failures list: one record per line, "<file>\t<line>\t<reason>";
// blank lines and lines starting with # are ignored.
func ReadKnown(r io.Reader) (Known, error) {
	k := Known{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for no := 1; sc.Scan(); no++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.SplitN(text, "\t", 3)
		if len(fields) < 2 {
			return nil, fmt.Errorf("%w: line %d: %q", ErrKnownFormat, no, text)
		}
		line, err := strconv.Atoi(fields[1])
		if err != nil || line <= 0 {
			return nil, fmt.Errorf("%w: line %d: bad record line %q", ErrKnownFormat, no, fields[1])
		}
		reason := ""
		if len(fields) == 3 {
			reason = fields[2]
		}
		k.Add(fields[0], line, reason)
	}
	return k, sc.Err()
}

// knownHeader opens every known-failures file.
const knownHeader = `# Records of the sqllogictest corpus that eventsql is known to fail, grouped by file.
# One record per line: <file> TAB <line> TAB <reason>. <file> is relative to the corpus
# directory, <line> is the line of the record's "statement" or "query" command, and <reason>
# (an error's SQLSTATE and first line, "wrong result", "timeout ...") is for people only.
# The conformance test fails on every failing record that is not listed here.
# Regenerate from the current engine: go test ./tests/conformance -run TestCorpus -update-known
`

// WriteKnown writes k in the format ReadKnown reads, grouped by file in path order, each
// group headed by a comment with its count.
func WriteKnown(w io.Writer, k Known) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(knownHeader)
	files := make([]string, 0, len(k))
	for f := range k {
		if len(k[f]) > 0 {
			files = append(files, f)
		}
	}
	slices.Sort(files)
	for _, file := range files {
		lines := make([]int, 0, len(k[file]))
		for l := range k[file] {
			lines = append(lines, l)
		}
		slices.Sort(lines)
		fmt.Fprintf(bw, "\n# %s: %d records\n", file, len(lines))
		for _, l := range lines {
			fmt.Fprintf(bw, "%s\t%d\t%s\n", file, l, oneLine(k[file][l]))
		}
	}
	return bw.Flush()
}

// SaveKnown writes k to path, replacing it atomically.
func SaveKnown(path string, k Known) error {
	tmp, err := os.CreateTemp(dirOf(path), ".known-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := WriteKnown(tmp, k); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}

// oneLine makes a reason safe for the format: no tabs or line breaks, at most 200 bytes.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
