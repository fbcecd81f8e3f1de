package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const readmeSample = "Some text.\n\n" +
	"| file | KiB | PG records run | PG skipped | PG pass % | PG s |\n" +
	"|---|---:|---:|---:|---:|---:|\n" +
	"| `evidence/in1.test` | 15 | 132 | 84 | 96.97 | 0.6 |\n" +
	"| `index/between/1/slt_good_0.test` | 3,830 | 10,022 | 0 | 100.00 | 9.8 |\n" +
	"| **total** | 60,355 | 348,185 | 60,044 | 99.80 | |\n" +
	"\n| other | table |\n|---|---|\n| `x.test` | 1 |\n"

func TestReadBaseline(t *testing.T) {
	base, err := ReadBaseline(strings.NewReader(readmeSample))
	require.NoError(t, err)
	assert.Equal(t, map[string]Baseline{
		"evidence/in1.test":               {Run: 132, Skipped: 84, PassPct: 96.97},
		"index/between/1/slt_good_0.test": {Run: 10022, Skipped: 0, PassPct: 100},
	}, base)
}

func TestTable(t *testing.T) {
	base, err := ReadBaseline(strings.NewReader(readmeSample))
	require.NoError(t, err)
	results := []*FileResult{
		{Path: "select1.test", Records: 4, Passed: 4, Elapsed: time.Second},
		{Path: "evidence/in1.test", Records: 132, Passed: 128, Skipped: 84,
			Failures: make([]Failure, 4), Elapsed: 500 * time.Millisecond},
	}
	want := "| file | records | passed | failed | skipped | pass % | PG15 pass % | s |\n" +
		"|---|---:|---:|---:|---:|---:|---:|---:|\n" +
		"| `evidence/in1.test` | 132 | 128 | 4 | 84 | 96.97 | 96.97 | 0.5 |\n" +
		"| `select1.test` | 4 | 4 | 0 | 0 | 100.00 | — | 1.0 |\n" +
		"| **total** | 136 | 132 | 4 | 84 | 97.06 | 96.97 | 1.5 |\n"
	assert.Equal(t, want, Table(results, base))
	assert.Equal(t, Totals{Files: 2, Records: 136, Passed: 132, Failed: 4, Skipped: 84}, Sum(results))
}
