package eventlog

import (
	"fmt"
	"reflect"
)

// DecodeInto is Decode for callers that decode many events one after the other, such as a
// replay: it decodes a payload of type t into *dst, where dst points to the event struct of
// that type (a *RowInserted for TypeRowInserted, and so on), instead of returning the event
// boxed in an Event interface. A caller that reuses one struct per type saves the allocation
// of the box: a row event then costs the allocations of its rows only (see schema.DecodeRow).
//
// It fails as Decode does, with the same errors, and with ErrBadEvent when dst is not a
// pointer to the struct of type t; *dst is then the zero event. Like Decode, it never panics
// on any payload and the event shares no memory with payload.
func DecodeInto(t Type, payload []byte, dst Event) error {
	// The three row events are nearly all of a log, so they are decoded here directly; the
	// rest go through Decode. Both read with the same decoder, so they fail alike.
	d := decoder{b: payload}
	switch p := dst.(type) {
	case *RowInserted:
		if t == TypeRowInserted && p != nil {
			if !d.version() {
				*p = RowInserted{}
				return d.err
			}
			*p = RowInserted{TableID: d.uvarint("table id"), RowID: d.uvarint("row id"), Row: d.row("row")}
			return finish(&d, t, p)
		}
	case *RowUpdated:
		if t == TypeRowUpdated && p != nil {
			if !d.version() {
				*p = RowUpdated{}
				return d.err
			}
			*p = RowUpdated{TableID: d.uvarint("table id"), RowID: d.uvarint("row id"),
				Before: d.row("before image"), After: d.row("after image")}
			return finish(&d, t, p)
		}
	case *RowDeleted:
		if t == TypeRowDeleted && p != nil {
			if !d.version() {
				*p = RowDeleted{}
				return d.err
			}
			*p = RowDeleted{TableID: d.uvarint("table id"), RowID: d.uvarint("row id"), Row: d.row("row")}
			return finish(&d, t, p)
		}
	}
	return decodeIntoAny(t, payload, dst)
}

// decodeIntoAny is DecodeInto through Decode, for the rarer events.
func decodeIntoAny(t Type, payload []byte, dst Event) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("%w: DecodeInto needs a pointer to an event struct, not %T", ErrBadEvent, dst)
	}
	v = v.Elem()
	v.SetZero()
	e, err := Decode(t, payload)
	if err != nil {
		return err
	}
	if reflect.TypeOf(e) != v.Type() {
		return fmt.Errorf("%w: type %d is %T, not %s", ErrBadEvent, t, e, v.Type())
	}
	v.Set(reflect.ValueOf(e))
	return nil
}

// version reads the payload version byte as Decode does, reporting false (with d.err set) if
// the payload does not start with a version this code reads.
func (d *decoder) version() bool {
	if v := d.byte("payload version"); d.err == nil && v != payloadVersion {
		d.err = fmt.Errorf("%w: unknown payload version %d", ErrBadEvent, v)
		return false
	}
	return true // a missing byte is reported by finish, as Decode reports it
}

// finish ends a DecodeInto of type t into *p: trailing bytes are an error, and on any error
// the event is zeroed and the error is worded as Decode words it.
func finish[E any](d *decoder, t Type, p *E) error {
	if d.err == nil && len(d.b) > 0 {
		d.fail(fmt.Sprintf("%d trailing bytes", len(d.b)))
	}
	if d.err != nil {
		var zero E
		*p = zero
		return fmt.Errorf("type %d: %w", t, d.err)
	}
	return nil
}
