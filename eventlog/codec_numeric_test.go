package eventlog

import (
	"testing"

	"github.com/eventsql/eventsql/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// NUMERIC(p,s) columns carry their scale after the length; other kinds are encoded as before.
func TestNumericColumnRoundTrip(t *testing.T) {
	tbl := schema.Table{ID: 3, Name: "prices", NextColumnID: 4, Columns: []schema.Column{
		{ID: 1, Name: "any", Type: schema.Numeric},
		{ID: 2, Name: "money", Type: schema.NumericOf(12, 2)},
		{ID: 3, Name: "tiny", Type: schema.NumericOf(3, 5)},
	}}
	buf := AppendTable(nil, &tbl)
	got, n, err := DecodeTable(buf)
	require.NoError(t, err)
	assert.Equal(t, len(buf), n)
	assert.Equal(t, tbl, got)
	for cut := 0; cut < len(buf); cut++ {
		_, _, err := DecodeTable(buf[:cut])
		assert.Error(t, err, "cut at %d", cut)
	}
	row := schema.Row{schema.Num(schema.DecimalFromInt(-7)), schema.Num(schema.NaNDecimal)}
	e := RowInserted{TableID: 3, RowID: 1, Row: row}
	dec, err := Decode(e.Type(), Encode(e).Payload)
	require.NoError(t, err)
	assert.Equal(t, e, dec)
}
