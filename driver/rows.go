package driver

import (
	sqldriver "database/sql/driver"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

// rows iterates over a materialized result.
type rows struct {
	res *database.Result
	i   int
}

var (
	_ sqldriver.Rows                           = (*rows)(nil)
	_ sqldriver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ sqldriver.RowsColumnTypeScanType         = (*rows)(nil)
	_ sqldriver.RowsColumnTypeLength           = (*rows)(nil)
)

func (r *rows) Columns() []string {
	names := make([]string, len(r.res.Columns))
	for i, c := range r.res.Columns {
		names[i] = c.Name
	}
	return names
}

func (r *rows) Close() error { r.i = len(r.res.Rows); return nil }

func (r *rows) Next(dest []sqldriver.Value) error {
	if r.i >= len(r.res.Rows) {
		return io.EOF
	}
	row := r.res.Rows[r.i]
	r.i++
	for i := range dest {
		dest[i] = driverValue(row[i])
	}
	return nil
}

// driverValue converts an SQL value to one of database/sql's driver value types.
func driverValue(v schema.Value) sqldriver.Value {
	switch v.Kind() {
	case schema.KindInt:
		return v.Int()
	case schema.KindFloat:
		return v.Float()
	case schema.KindText:
		return v.Text()
	case schema.KindBool:
		return v.Bool()
	case schema.KindTimestamp, schema.KindTimestampTZ:
		return v.Time()
	case schema.KindDate:
		return time.UnixMicro(schema.DateMicros(v.Days())).UTC()
	case schema.KindInterval:
		return v.String()
	case schema.KindNumeric:
		return v.String() // exact, as PostgreSQL drivers give a numeric: its text
	}
	return nil
}

// ColumnTypeDatabaseTypeName returns the column's type as PostgreSQL names it in upper case
// (INTEGER, BIGINT, TEXT, VARCHAR, DOUBLE PRECISION, BOOLEAN, TIMESTAMP, ...).
func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	t := r.res.Columns[i].Type
	switch t.Kind {
	case schema.KindText:
		if t.Length > 0 {
			return "VARCHAR"
		}
		return "TEXT"
	case schema.KindTimestamp:
		return "TIMESTAMP"
	case schema.KindTimestampTZ:
		return "TIMESTAMPTZ"
	case schema.KindNumeric:
		return "NUMERIC"
	case schema.KindNull:
		return "UNKNOWN"
	}
	return strings.ToUpper(t.String())
}

var (
	typeInt64   = reflect.TypeOf(int64(0))
	typeFloat64 = reflect.TypeOf(float64(0))
	typeString  = reflect.TypeOf("")
	typeBool    = reflect.TypeOf(false)
	typeTime    = reflect.TypeOf(time.Time{})
	typeAny     = reflect.TypeOf((*any)(nil)).Elem()
)

func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	switch r.res.Columns[i].Type.Kind {
	case schema.KindInt:
		return typeInt64
	case schema.KindFloat:
		return typeFloat64
	case schema.KindText:
		return typeString
	case schema.KindBool:
		return typeBool
	case schema.KindTimestamp, schema.KindTimestampTZ, schema.KindDate:
		return typeTime
	case schema.KindInterval, schema.KindNumeric:
		return typeString
	}
	return typeAny
}

// ColumnTypePrecisionScale reports the precision and scale of a NUMERIC(p,s) column; ok is
// false for other columns and for NUMERIC without limits.
func (r *rows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	t := r.res.Columns[i].Type
	if t.Kind != schema.KindNumeric || t.Length == 0 {
		return 0, 0, false
	}
	return int64(t.Length), int64(t.Scale), true
}

func (r *rows) ColumnTypeLength(i int) (int64, bool) {
	t := r.res.Columns[i].Type
	if t.Kind == schema.KindText {
		if t.Length > 0 {
			return int64(t.Length), true
		}
		return 1<<63 - 1, true
	}
	return 0, false
}
