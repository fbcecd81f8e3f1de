package schema

import "errors"

// ErrTruncated is returned by the decoders when the input ends inside a value or row.
var ErrTruncated = errors.New("schema: encoded value truncated")

// ErrBadKind is returned by the decoders when a value's kind byte is not a known kind.
var ErrBadKind = errors.New("schema: unknown value kind")

// ErrBadValue is returned by the decoders when a value's bytes are not a valid value of its
// kind (a numeric whose text is not a canonical number).
var ErrBadValue = errors.New("schema: malformed value")
