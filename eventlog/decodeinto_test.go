package eventlog

import (
	"reflect"
	"testing"

	"github.com/eventsql/eventsql/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newEventOf returns a pointer to a zero event struct of type t, from sampleEvents, or nil.
func newEventOf(t Type) Event {
	for _, e := range sampleEvents {
		if e.Type() == t {
			return reflect.New(reflect.TypeOf(e)).Interface().(Event)
		}
	}
	return nil
}

func TestDecodeInto(t *testing.T) {
	for _, e := range sampleEvents {
		t.Run(reflect.TypeOf(e).Name(), func(t *testing.T) {
			entry := Encode(e)
			dst := newEventOf(e.Type())
			require.NoError(t, DecodeInto(entry.Type, entry.Payload, dst))
			assert.Equal(t, e, reflect.ValueOf(dst).Elem().Interface())
		})
	}
	ins := Encode(RowInserted{TableID: 7, RowID: 1, Row: testRow})
	full := RowDeleted{TableID: 1, RowID: 2, Row: schema.Row{schema.Int(1)}}
	tests := []struct {
		name    string
		typ     Type
		payload []byte
		dst     Event
		want    string
	}{
		{"other struct", ins.Type, ins.Payload, &RowDeleted{}, "type 6 is eventlog.RowInserted, not eventlog.RowDeleted"},
		{"not a pointer", ins.Type, ins.Payload, RowInserted{}, "needs a pointer"},
		{"nil pointer", ins.Type, ins.Payload, (*RowInserted)(nil), "needs a pointer"},
		{"trailing bytes", ins.Type, append(ins.Payload, 0), &RowInserted{TableID: 9}, "1 trailing bytes"},
		{"unknown version", TypeRowDeleted, []byte{9}, &full, "unknown payload version 9"},
		{"truncated", TypeRowUpdated, ins.Payload[:3], &RowUpdated{TableID: 3}, "type 7: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := DecodeInto(tt.typ, tt.payload, tt.dst)
			require.ErrorIs(t, err, ErrBadEvent)
			assert.Contains(t, err.Error(), tt.want)
			if _, derr := Decode(tt.typ, tt.payload); derr != nil {
				assert.Equal(t, derr.Error(), err.Error(), "fails as Decode fails")
			}
			if v := reflect.ValueOf(tt.dst); v.Kind() == reflect.Pointer && !v.IsNil() {
				assert.True(t, v.Elem().IsZero(), "a failed decode leaves the zero event")
			}
		})
	}
}

// TestDecodeIntoAllocs pins the point of DecodeInto: a row event with several text values costs
// two allocations (its values and their text), against Decode's box on top.
func TestDecodeIntoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	e := Encode(RowInserted{TableID: 1, RowID: 2,
		Row: schema.Row{schema.Int(1), schema.Str("one"), schema.Null, schema.Str("two"), schema.Str("three")}})
	var dst RowInserted
	n := testing.AllocsPerRun(100, func() {
		if err := DecodeInto(e.Type, e.Payload, &dst); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, 2.0, n, "DecodeInto")
	n = testing.AllocsPerRun(100, func() {
		if _, err := Decode(e.Type, e.Payload); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, 3.0, n, "Decode")
}
