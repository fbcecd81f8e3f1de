package executor

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/eventsql/eventsql/schema"
)

// TestConditionalTypes: the values and result types of CASE, COALESCE, NULLIF, GREATEST and
// LEAST as PostgreSQL 15 resolves them (each obtained from the server with pg_typeof).
func TestConditionalTypes(t *testing.T) {
	runExprCases(t, []exprCase{
		{"CASE WHEN true THEN 1 ELSE NULL END", "1", schema.Integer},
		{"CASE WHEN false THEN 1 ELSE 2::bigint END", "2", schema.BigInt},
		{"CASE WHEN true THEN 1::smallint ELSE 2 END", "1", schema.Integer},
		{"CASE WHEN true THEN 'a' END", "a", schema.Text},
		{"CASE 1 WHEN 1.0::float8 THEN 'x' ELSE 'y' END", "x", schema.Text},
		{"CASE 'b' WHEN 'a' THEN 1 WHEN 'b' THEN 2 END", "2", schema.Integer},
		{"CASE 2 WHEN 1 THEN 'one' END", "NULL", schema.Text},
		{"COALESCE('1', 2)", "1", schema.Integer},
		{"COALESCE(1::smallint, 2)", "1", schema.Integer},
		{"COALESCE(NULL, 2::bigint, 1)", "2", schema.BigInt},
		{"COALESCE(NULL::text, 'x')", "x", schema.Text},
		{"COALESCE(1.5::float8, 2)", "1.5", schema.Double},
		{"NULLIF(1::smallint, 2)", "1", schema.SmallInt},
		{"NULLIF('a', 'a')", "NULL", schema.Text},
		{"NULLIF('a', 'b')", "a", schema.Text},
		{"NULLIF(NULL, 1)", "NULL", schema.Integer},
		{"GREATEST('1', 2)", "2", schema.Integer},
		{"GREATEST(1::smallint, 2::smallint)", "2", schema.SmallInt},
		{"LEAST(1, NULL, 0.5::float8)", "0.5", schema.Double},
		{"GREATEST(NULL, 'a')", "a", schema.Text},
		{"LEAST(true, false)", "f", schema.Boolean},
		{"GREATEST('2024-01-01'::timestamp, '2023-01-01')", "2024-01-01 00:00:00", schema.Timestamp},
	})
}

func TestConditionalErrors(t *testing.T) {
	d := newDB(t)
	tests := []struct{ sql, code, msg string }{
		{"SELECT CASE NULL WHEN 1 THEN 'one' END", "42883", "operator does not exist: text = integer"},
		{"SELECT CASE '1' WHEN 1 THEN 'one' END", "42883", "operator does not exist: text = integer"},
		{"SELECT CASE WHEN true THEN 'a' ELSE 1 END", "22P02", `invalid input syntax for type integer: "a"`},
		{"SELECT COALESCE(1, true)", "42804", "COALESCE types integer and boolean cannot be matched"},
		{"SELECT NULLIF(1, true)", "42883", "operator does not exist: integer = boolean"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			assert.Equal(t, tt.msg, d.fails(tt.code, tt.sql))
		})
	}
}
