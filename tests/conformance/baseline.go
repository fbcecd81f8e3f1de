package conformance

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Baseline is PostgreSQL 15's result for one file, as the corpus README reports it.
type Baseline struct {
	Run     int     // records run (not skipped for postgresql)
	Skipped int     // records skipped for postgresql
	PassPct float64 // percentage of the records run that passed
}

// ReadBaseline extracts the per-file PostgreSQL figures from the corpus README: the markdown
// table whose header has the columns "file", "PG records run", "PG skipped" and "PG pass %".
// Rows are keyed by the file path between backquotes. A README without that table yields an
// empty map.
func ReadBaseline(r io.Reader) (map[string]Baseline, error) {
	out := map[string]Baseline{}
	col := map[string]int{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		cells := tableCells(sc.Text())
		if cells == nil {
			col = map[string]int{} // a table ended
			continue
		}
		if cells[0] == "file" {
			for i, c := range cells {
				col[c] = i
			}
			continue
		}
		iRun, ok1 := col["PG records run"]
		iSkip, ok2 := col["PG skipped"]
		iPct, ok3 := col["PG pass %"]
		if !ok1 || !ok2 || !ok3 || !strings.HasPrefix(cells[0], "`") {
			continue
		}
		need := max(iRun, iSkip, iPct)
		if len(cells) <= need {
			continue
		}
		var b Baseline
		var err1, err2, err3 error
		b.Run, err1 = strconv.Atoi(strings.ReplaceAll(cells[iRun], ",", ""))
		b.Skipped, err2 = strconv.Atoi(strings.ReplaceAll(cells[iSkip], ",", ""))
		b.PassPct, err3 = strconv.ParseFloat(cells[iPct], 64)
		if err1 == nil && err2 == nil && err3 == nil {
			out[strings.Trim(cells[0], "`")] = b
		}
	}
	return out, sc.Err()
}

// tableCells splits a markdown table row into trimmed cells, or returns nil for any other line.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") || len(line) < 2 {
		return nil
	}
	cells := strings.Split(line[1:len(line)-1], "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}
