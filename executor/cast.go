package executor

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// unknownType is the type of an untyped string literal, of NULL, and of a parameter bound to
// text or NULL: like PostgreSQL's "unknown", it takes whatever type its context asks for
// ('5' = int_col parses '5' as an integer). Its Kind is KindNull.
var unknownType = schema.Type{}

func isUnknown(t schema.Type) bool { return t.Kind == schema.KindNull }
func isNumeric(t schema.Type) bool {
	return t.Kind == schema.KindInt || t.Kind == schema.KindFloat || t.Kind == schema.KindNumeric
}

// typeName is t as PostgreSQL names it in messages.
func typeName(t schema.Type) string {
	if isUnknown(t) {
		return "unknown"
	}
	return t.String()
}

// resolveType maps a type as written to a column type.
func resolveType(tn parser.TypeName) (schema.Type, error) {
	switch tn.Name {
	case "INTEGER":
		return schema.Integer, nil
	case "SMALLINT":
		return schema.SmallInt, nil
	case "BIGINT":
		return schema.BigInt, nil
	case "REAL":
		return schema.Real, nil
	case "DOUBLE PRECISION":
		return schema.Double, nil
	case "FLOAT":
		// FLOAT(p) is REAL up to 24 bits of precision, as in PostgreSQL.
		if len(tn.Args) == 1 && tn.Args[0] >= 1 && tn.Args[0] <= 24 {
			return schema.Real, nil
		}
		return schema.Double, nil
	case "TEXT":
		return schema.Text, nil
	case "VARCHAR":
		if len(tn.Args) == 0 {
			return schema.Text, nil
		}
		if tn.Args[0] < 1 {
			return schema.Type{}, errAtPos(tn.At, codeInvalidColumnRef, "length for type varchar must be at least 1")
		}
		return schema.Varchar(tn.Args[0]), nil
	case "BOOLEAN":
		return schema.Boolean, nil
	case "TIMESTAMP":
		return timePrecision(schema.Timestamp, tn)
	case "DATE":
		return schema.Date, nil
	case "TIMESTAMPTZ":
		return timePrecision(schema.TimestampTZ, tn)
	case "INTERVAL":
		return schema.Interval, nil
	case "NUMERIC", "DECIMAL":
		return resolveNumeric(tn)
	case "TIME", "CHAR", "CHARACTER", "BYTEA", "JSON", "JSONB", "UUID":
		return schema.Type{}, errAtPos(tn.At, schema.CodeFeatureUnsupported, "type %s is not supported", strings.ToLower(tn.Name))
	}
	return schema.Type{}, errAtPos(tn.At, schema.CodeUndefinedObject, "type %q does not exist", strings.ToLower(tn.Name))
}

// castMode is the context of a conversion, which decides what PostgreSQL allows: implicit
// (operands of an operator), assignment (a value stored into a column) or explicit (CAST, ::).
type castMode uint8

const (
	castImplicit castMode = iota
	castAssign
	castExplicit
)

// canCast reports whether a value of type from may become type to in the given context.
func canCast(from, to schema.Type, mode castMode) bool {
	switch {
	case isUnknown(from):
		return true
	case isNumeric(from) && isNumeric(to):
		// Implicitly only widening: int2 → int4 → int8 → numeric → float4 → float8.
		widens := from.Kind == to.Kind && from.Width <= to.Width || from.Kind == schema.KindInt && to.Kind == schema.KindFloat ||
			from.Kind == schema.KindInt && to.Kind == schema.KindNumeric || from.Kind == schema.KindNumeric && to.Kind == schema.KindFloat
		return mode != castImplicit || widens
	case from.Kind == to.Kind:
		return true
	case to.Kind == schema.KindText:
		return mode != castImplicit // every type has an I/O conversion to text
	case from.Kind == schema.KindText:
		return mode == castExplicit
	case isDateTime(from) && isDateTime(to):
		return mode != castImplicit || dateTimeWidens(from, to)
	case from.Kind == schema.KindBool && to.Kind == schema.KindInt,
		from.Kind == schema.KindInt && to.Kind == schema.KindBool:
		return mode == castExplicit
	}
	return false
}

// convert changes v to type to. The cast must be allowed (canCast); explicit decides whether a
// too-long string is cut to the VARCHAR length (CAST) or rejected (assignment).
func convert(v schema.Value, to schema.Type, explicit bool) (schema.Value, error) {
	if v.IsNull() {
		return v, nil
	}
	switch to.Kind {
	case schema.KindInt:
		return toInt(v, to)
	case schema.KindFloat:
		return toFloat(v, to)
	case schema.KindNumeric:
		return toNumeric(v, to)
	case schema.KindText:
		s := v.Text()
		if v.Kind() != schema.KindText {
			s = textOf(v)
		}
		return fitVarchar(s, to, explicit)
	case schema.KindBool:
		switch v.Kind() {
		case schema.KindBool:
			return v, nil
		case schema.KindInt:
			return schema.Bool(v.Int() != 0), nil
		case schema.KindText:
			return parseBool(v.Text())
		}
	case schema.KindTimestamp, schema.KindDate, schema.KindTimestampTZ, schema.KindInterval:
		if v.Kind() != to.Kind {
			var err error
			if v, err = convertDateTime(v, to); err != nil {
				return v, err
			}
		}
		return roundPrecision(v, to)
	}
	return schema.Null, schema.Errorf(codeCannotCoerce, "cannot cast value of type %s to %s", v.Kind(), to)
}

func toInt(v schema.Value, to schema.Type) (schema.Value, error) {
	lo, hi := to.IntRange()
	switch v.Kind() {
	case schema.KindInt:
		if i := v.Int(); i < lo || i > hi {
			return schema.Null, errOutOfRange(to)
		}
		return v, nil
	case schema.KindFloat:
		// PostgreSQL rounds with rint(): to nearest, ties to even.
		f := math.RoundToEven(v.Float())
		if math.IsNaN(f) || f < float64(lo) || f >= -float64(lo) || f > float64(hi) {
			return schema.Null, errOutOfRange(to)
		}
		return schema.Int(int64(f)), nil
	case schema.KindBool:
		return schema.Int(v.Int()), nil
	case schema.KindNumeric:
		return numericToInt(v, to)
	case schema.KindText:
		return parseInt(v.Text(), to)
	}
	return schema.Null, schema.Errorf(codeCannotCoerce, "cannot cast type %s to %s", v.Kind(), to)
}

func toFloat(v schema.Value, to schema.Type) (schema.Value, error) {
	var f float64
	switch v.Kind() {
	case schema.KindInt, schema.KindFloat:
		f = v.Float()
	case schema.KindNumeric:
		var err error
		if f, err = numericFloat64(v); err != nil {
			return schema.Null, err
		}
		return roundFloat(f, to, v.Decimal().Sign() != 0)
	case schema.KindText:
		return parseFloat(v.Text(), to)
	default:
		return schema.Null, schema.Errorf(codeCannotCoerce, "cannot cast type %s to %s", v.Kind(), to)
	}
	return roundFloat(f, to, v.Float() != 0)
}

// roundFloat stores f at the width of to: a REAL is rounded to float32, with PostgreSQL's
// overflow and underflow errors. nonzero says whether the exact value was non-zero.
func roundFloat(f float64, to schema.Type, nonzero bool) (schema.Value, error) {
	if to.Width == 4 && !math.IsNaN(f) && !math.IsInf(f, 0) {
		r := float32(f)
		if math.IsInf(float64(r), 0) {
			return schema.Null, errFloatOverflow()
		}
		if r == 0 && nonzero {
			return schema.Null, errFloatUnderflow()
		}
		f = float64(r)
	}
	return schema.Float(f), nil
}

// fitVarchar enforces VARCHAR(n): an explicit cast cuts the string, an assignment fails unless
// only spaces are cut (as PostgreSQL does).
func fitVarchar(s string, to schema.Type, explicit bool) (schema.Value, error) {
	if to.Length <= 0 || utf8.RuneCountInString(s) <= to.Length {
		return schema.Str(s), nil
	}
	cut := 0
	for i := range s {
		if cut == to.Length {
			if !explicit && strings.TrimRight(s[i:], " ") != "" {
				return schema.Null, schema.Errorf(schema.CodeStringTooLong, "value too long for type %s", to)
			}
			return schema.Str(s[:i]), nil
		}
		cut++
	}
	return schema.Str(s), nil
}

// textOf is the text form of a non-NULL value as PostgreSQL's output functions write it (so
// 'x' || true is 'xtrue', not 'xt').
func textOf(v schema.Value) string {
	switch v.Kind() {
	case schema.KindText:
		return v.Text()
	case schema.KindBool:
		if v.Bool() {
			return "true"
		}
		return "false"
	}
	return v.String()
}

// parseText reads the text s as a value of type to: the input function of the type.
func parseText(s string, to schema.Type) (schema.Value, error) {
	switch to.Kind {
	case schema.KindNull, schema.KindText:
		return fitVarchar(s, to, false)
	}
	return convert(schema.Str(s), to, true)
}

func parseInt(s string, to schema.Type) (schema.Value, error) {
	t := strings.TrimSpace(s)
	i, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return schema.Null, schema.Errorf(schema.CodeOutOfRange, "value %q is out of range for type %s", s, to)
		}
		return schema.Null, schema.Errorf(schema.CodeInvalidText, "invalid input syntax for type %s: %q", to, s)
	}
	if lo, hi := to.IntRange(); i < lo || i > hi {
		return schema.Null, schema.Errorf(schema.CodeOutOfRange, "value %q is out of range for type %s", s, to)
	}
	return schema.Int(i), nil
}

func parseFloat(s string, to schema.Type) (schema.Value, error) {
	t := strings.TrimSpace(s)
	bad := t == "" || strings.ContainsAny(t, "_xXpP")
	var f float64
	if !bad {
		var err error
		f, err = strconv.ParseFloat(t, 64)
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return schema.Null, schema.Errorf(schema.CodeOutOfRange, "%q is out of range for type %s", s, to)
		}
		bad = err != nil
	}
	if bad {
		return schema.Null, schema.Errorf(schema.CodeInvalidText, "invalid input syntax for type %s: %q", to, s)
	}
	v, err := roundFloat(f, to, f != 0)
	if err != nil {
		return schema.Null, schema.Errorf(schema.CodeOutOfRange, "%q is out of range for type %s", s, to)
	}
	return v, nil
}

// parseBool accepts what PostgreSQL's boolin does: true/false, yes/no, on/off, 1/0 and unique
// prefixes of the words, in any case, with surrounding spaces.
func parseBool(s string) (schema.Value, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch {
	case t == "1" || t == "on" || t != "" && (strings.HasPrefix("true", t) || strings.HasPrefix("yes", t)):
		return schema.Bool(true), nil
	case t == "0" || t == "off" || t == "of" || t != "" && (strings.HasPrefix("false", t) || strings.HasPrefix("no", t)):
		return schema.Bool(false), nil
	}
	return schema.Null, schema.Errorf(schema.CodeInvalidText, "invalid input syntax for type boolean: %q", s)
}

// cast compiles CAST(x AS t) and x::t. A literal is converted at compile time, so
// 'abc'::integer fails before any row is read.
func (c *compiler) cast(n *parser.CastExpr) (*expr, error) {
	t, err := resolveType(n.Type)
	if err != nil {
		return nil, err
	}
	x, err := c.compile(n.X)
	if err != nil {
		return nil, err
	}
	name := x.name
	if name == anonymous || name == "" {
		name = internalTypeName(t)
	}
	if !canCast(x.typ, t, castExplicit) {
		return nil, errAt(n, codeCannotCoerce, "cannot cast type %s to %s", typeName(x.typ), t)
	}
	if x.typ.Kind == schema.KindFloat && x.typ.Width == 4 && t.Kind == schema.KindNumeric {
		if x.lit != nil && !x.lit.IsNull() {
			v, err := floatToNumeric(x.lit.Float(), 6, t)
			if err != nil {
				return nil, positioned(err, n)
			}
			return constant(v, t, name), nil
		}
		e := realToNumeric(x, t)
		e.name = name
		return e, nil
	}
	if x.lit != nil {
		v, err := convert(*x.lit, t, true)
		if err != nil {
			return nil, positioned(err, n)
		}
		return constant(v, t, name), nil
	}
	ev := x.eval
	return &expr{typ: t, name: name, konst: x.konst, eval: func(row schema.Row) (schema.Value, error) {
		v, err := ev(row)
		if err != nil {
			return v, err
		}
		return convert(v, t, true)
	}}, nil
}

// internalTypeName is the name PostgreSQL gives a cast's result column: int4 for ::integer.
func internalTypeName(t schema.Type) string {
	switch t.Kind {
	case schema.KindInt:
		return [...]string{2: "int2", 4: "int4", 8: "int8"}[t.Width]
	case schema.KindFloat:
		return [...]string{4: "float4", 8: "float8"}[t.Width]
	case schema.KindText:
		if t.Length > 0 {
			return "varchar"
		}
		return "text"
	case schema.KindBool:
		return "bool"
	case schema.KindTimestamp:
		return "timestamp"
	case schema.KindTimestampTZ:
		return "timestamptz"
	case schema.KindDate:
		return "date"
	case schema.KindInterval:
		return "interval"
	case schema.KindNumeric:
		return "numeric"
	}
	return anonymous
}
