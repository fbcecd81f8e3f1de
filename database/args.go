package database

import (
	"fmt"
	"time"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// Values converts Go arguments to SQL values: nil → NULL; signed and unsigned integers →
// integer; float32/64 → float; string and []byte → text; bool → boolean; time.Time →
// timestamp; a schema.Value passes through. Anything else is an error naming the argument.
func Values(args []any) ([]schema.Value, error) {
	vals := make([]schema.Value, len(args))
	for i, a := range args {
		v, err := Value(a)
		if err != nil {
			return nil, schema.Errorf(schema.CodeInvalidParameter, "argument $%d: %v", i+1, err)
		}
		vals[i] = v
	}
	return vals, nil
}

// Value converts one Go value as Values does.
func Value(a any) (schema.Value, error) {
	switch x := a.(type) {
	case nil:
		return schema.Null, nil
	case schema.Value:
		return x, nil
	case int:
		return schema.Int(int64(x)), nil
	case int8:
		return schema.Int(int64(x)), nil
	case int16:
		return schema.Int(int64(x)), nil
	case int32:
		return schema.Int(int64(x)), nil
	case int64:
		return schema.Int(x), nil
	case uint8:
		return schema.Int(int64(x)), nil
	case uint16:
		return schema.Int(int64(x)), nil
	case uint32:
		return schema.Int(int64(x)), nil
	case uint:
		if uint64(x) > 1<<63-1 {
			return schema.Null, fmt.Errorf("unsigned value %d out of range for bigint", x)
		}
		return schema.Int(int64(x)), nil
	case uint64:
		if x > 1<<63-1 {
			return schema.Null, fmt.Errorf("unsigned value %d out of range for bigint", x)
		}
		return schema.Int(int64(x)), nil
	case float32:
		return schema.Float(float64(x)), nil
	case float64:
		return schema.Float(x), nil
	case string:
		return schema.Str(x), nil
	case []byte:
		return schema.Str(string(x)), nil
	case bool:
		return schema.Bool(x), nil
	case time.Time:
		return schema.TimeValue(x), nil
	}
	return schema.Null, fmt.Errorf("unsupported type %T", a)
}

// encodeEvents turns a transaction's events into log entries.
func encodeEvents(tx *storage.Tx) []eventlog.Entry {
	evs := tx.Events()
	entries := make([]eventlog.Entry, len(evs))
	for i, e := range evs {
		entries[i] = eventlog.Encode(e)
	}
	return entries
}
