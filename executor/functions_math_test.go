package executor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

// TestMathFunctions checks the overload each argument type picks (its result type) and the
// digits, against PostgreSQL 15.
func TestMathFunctions(t *testing.T) {
	d := newDB(t)
	num, dbl := schema.Numeric, schema.Double
	tests := []struct {
		expr, want string
		typ        schema.Type
	}{
		{"abs(-7::smallint)", "7", schema.SmallInt},
		{"abs(-1.50)", "1.50", num},
		{"abs('-1')", "1", dbl},
		{"abs(-1.5::real)", "1.5", schema.Real},
		{"round(2.5::float8)", "2", dbl},
		{"round(3.5::float8)", "4", dbl},
		{"round(2.5)", "3", num},
		{"round(2)", "2", dbl},
		{"round(1.5, 3)", "1.500", num},
		{"round(5, -1)", "10", num},
		{"trunc(-1.57, 1)", "-1.5", num},
		{"trunc(-1.57::float8)", "-1", dbl},
		{"floor(-0.5)", "-1", num},
		{"ceiling(0.5::float8)", "1", dbl},
		{"sign(-3)", "-1", dbl},
		{"sign(0.00)", "0", num},
		{"sqrt(16)", "4", dbl},
		{"sqrt(16.0)", "4.000000000000000", num},
		{"exp(0)", "1", dbl},
		{"ln(2.0)", "0.6931471805599453", num},
		{"ln(3)", "1.0986122886681098", dbl},
		{"log(1000)", "3", dbl},
		{"log(1000.0)", "3.0000000000000000", num},
		{"log(2, 1024)", "10.0000000000000000", num},
		{"mod(-7, 3)", "-1", schema.Integer},
		{"mod(7::bigint, 3)", "1", schema.BigInt},
		{"mod(7.5, 2)", "1.5", num},
		{"power(2, 10)", "1024", dbl},
		{"power(2.0, 10)", "1024.0000000000000000", num},
		{"power(2, -1.0)", "0.5000000000000000", num},
		{"power(4, 0.5)", "2.0000000000000000", num},
		{"power(-2, 3)", "-8", dbl},
		{"pow(1.5::float8, 2)", "2.25", dbl},
		{"pi()", "3.141592653589793", dbl},
		{"round(NULL::numeric, 2)", "NULL", num},
		{"power(NULL, 2)", "NULL", dbl},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			res, err := d.exec("SELECT " + tt.expr)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Rows[0][0].String())
			assert.Equal(t, tt.typ, res.Columns[0].Type)
		})
	}
	errs := []struct{ expr, code string }{
		{"sqrt(-1)", "2201F"},
		{"sqrt(-0.5)", "2201F"},
		{"ln(0.0)", "2201E"},
		{"log(-1)", "2201E"},
		{"log(1, 10)", schema.CodeDivisionByZero},
		{"power(0, -1)", "2201F"},
		{"power(-1.0, 0.5)", "2201F"},
		{"exp(1000::float8)", schema.CodeOutOfRange},
		{"abs(-32768::smallint)", schema.CodeOutOfRange},
		{"mod(1, 0)", schema.CodeDivisionByZero},
		{"mod(1.5::float8, 1)", schema.CodeUndefinedFunction},
		{"mod('1', '2')", codeAmbiguousFunction},
		{"sqrt('x')", schema.CodeInvalidText},
		{"abs(true)", schema.CodeUndefinedFunction},
	}
	for _, e := range errs {
		t.Run(e.expr, func(t *testing.T) { d.fails(e.code, "SELECT "+e.expr) })
	}
}

// TestDivScale checks select_div_scale: the result scale of numeric division.
func TestDivScale(t *testing.T) {
	tests := []struct {
		x, y string
		want int32
	}{
		{"1", "3.0", 20}, {"2.0", "3", 20}, {"100.0", "7", 16}, {"1.000", "3", 20}, {"10", "4.0", 16},
		{"123456789.0", "0.001", 8}, {"0", "7", 20}, {"1", "0.00000000000000000000001", 23},
		{"1.0000000000000000000000", "3", 22},
	}
	for _, tt := range tests {
		x, _, _ := schema.ParseDecimal(tt.x)
		y, _, _ := schema.ParseDecimal(tt.y)
		assert.Equal(t, tt.want, divScale(x, y), "%s / %s", tt.x, tt.y)
	}
}
