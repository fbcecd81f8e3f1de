package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	src := "# a comment\r\n" +
		"hash-threshold 4\n" +
		"\n" +
		"statement ok\n" +
		"CREATE TABLE t1(a INTEGER,\n" +
		"# a comment inside a record does not end it\n" +
		"  b TEXT)\n" +
		"\n" +
		"\n" +
		"skipif postgresql # PG needs AS\n" +
		"onlyif mysql\n" +
		"statement error\n" +
		"SELECT 1 x\n" +
		"   \t\n" +
		"query IT rowsort label-1\r\n" +
		"SELECT a, b\r\n" +
		"FROM t1\r\n" +
		"----\r\n" +
		"1\r\n" +
		"(empty)\r\n" +
		"\n" +
		"query R\n" +
		"SELECT 1.5 WHERE false\n" +
		"\n" +
		"query I valuesort\n" +
		"SELECT 1\n" +
		"----\n" +
		"\n" +
		"halt\n"
	recs, err := Parse("x.test", []byte(src))
	require.NoError(t, err)
	want := []Record{
		{Line: 2, Kind: KindHashThreshold, Threshold: 4},
		{Line: 4, Kind: KindStatement, SQL: "CREATE TABLE t1(a INTEGER,\n  b TEXT)"},
		{Line: 12, Kind: KindStatement, WantError: true, SQL: "SELECT 1 x",
			Conditions: []Condition{{Engine: "postgresql"}, {Only: true, Engine: "mysql"}}},
		{Line: 15, Kind: KindQuery, Types: "IT", Sort: RowSort, Label: "label-1", SQL: "SELECT a, b\nFROM t1",
			Expected: []string{"1", "(empty)"}},
		{Line: 22, Kind: KindQuery, Types: "R", SQL: "SELECT 1.5 WHERE false"},
		{Line: 25, Kind: KindQuery, Types: "I", Sort: ValueSort, SQL: "SELECT 1", Expected: []string{}},
		{Line: 29, Kind: KindHalt},
	}
	assert.Equal(t, want, recs)
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
	}{
		{"unknown record", "select 1\n"},
		{"statement without ok", "statement\nSELECT 1\n"},
		{"statement maybe", "statement maybe\nSELECT 1\n"},
		{"query without types", "query\nSELECT 1\n"},
		{"bad type letter", "query IB\nSELECT 1, true\n"},
		{"bad sort", "query I bogosort\nSELECT 1\n"},
		{"bad threshold", "hash-threshold many\n"},
		{"dangling condition", "skipif mysql\n\nstatement ok\nSELECT 1\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.test", []byte(tc.src))
			require.ErrorIs(t, err, ErrScript)
			assert.Contains(t, err.Error(), "x.test:")
		})
	}
}

func TestSkipped(t *testing.T) {
	for _, tc := range []struct {
		name  string
		conds []Condition
		want  bool
	}{
		{"no conditions", nil, false},
		{"skipif us", []Condition{{Engine: "postgresql"}}, true},
		{"skipif us, any case", []Condition{{Engine: "PostgreSQL"}}, true},
		{"skipif other", []Condition{{Engine: "mysql"}}, false},
		{"onlyif us", []Condition{{Only: true, Engine: "postgresql"}}, false},
		{"onlyif other", []Condition{{Only: true, Engine: "sqlite"}}, true},
		{"stacked, one skips", []Condition{{Engine: "mssql"}, {Only: true, Engine: "mysql"}}, true},
		{"stacked, none skips", []Condition{{Engine: "mssql"}, {Engine: "oracle"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Record{Conditions: tc.conds}
			assert.Equal(t, tc.want, r.Skipped(Engine))
		})
	}
}
