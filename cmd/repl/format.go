package repl

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

// printResult writes a result as psql does: an aligned table with a row count for a query,
// the command tag for anything else.
func printResult(w io.Writer, res *database.Result) {
	if len(res.Columns) == 0 {
		if res.Tag != "" {
			fmt.Fprintln(w, res.Tag)
		}
		return
	}
	header := make([]string, len(res.Columns))
	right := make([]bool, len(res.Columns))
	for i, c := range res.Columns {
		header[i] = c.Name
		right[i] = c.Type.Kind == schema.KindInt || c.Type.Kind == schema.KindFloat || c.Type.Kind == schema.KindNumeric
	}
	cells := make([][]string, len(res.Rows))
	for i, row := range res.Rows {
		cells[i] = make([]string, len(row))
		for j, v := range row {
			if !v.IsNull() {
				cells[i][j] = v.Format(res.Columns[j].Type)
			}
		}
	}
	printTable(w, header, right, cells)
	n := len(res.Rows)
	if n == 1 {
		fmt.Fprintln(w, "(1 row)")
	} else {
		fmt.Fprintf(w, "(%d rows)\n", n)
	}
	if isWriteTag(res.Tag) {
		// A write with RETURNING: psql prints its rows, a blank line, then the command tag.
		fmt.Fprintf(w, "\n%s\n", res.Tag)
	}
}

// isWriteTag reports whether a command tag is that of INSERT, UPDATE or DELETE.
func isWriteTag(tag string) bool {
	for _, p := range []string{"INSERT ", "UPDATE ", "DELETE "} {
		if strings.HasPrefix(tag, p) {
			return true
		}
	}
	return false
}

// printTable writes an aligned table: a centered header, a rule, then the rows with numbers
// right-aligned and everything else left-aligned. Multi-line cells are not split.
func printTable(w io.Writer, header []string, right []bool, cells [][]string) {
	width := make([]int, len(header))
	for i, h := range header {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, row := range cells {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for i, h := range header {
		if i > 0 {
			b.WriteString("|")
		}
		pad := width[i] - utf8.RuneCountInString(h)
		b.WriteString(" " + strings.Repeat(" ", pad/2) + h + strings.Repeat(" ", pad-pad/2) + " ")
	}
	fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	b.Reset()
	for i := range header {
		if i > 0 {
			b.WriteString("+")
		}
		b.WriteString(strings.Repeat("-", width[i]+2))
	}
	fmt.Fprintln(w, b.String())
	for _, row := range cells {
		b.Reset()
		for i, c := range row {
			if i > 0 {
				b.WriteString("|")
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if right[i] {
				b.WriteString(" " + pad + c + " ")
			} else {
				b.WriteString(" " + c + pad + " ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
