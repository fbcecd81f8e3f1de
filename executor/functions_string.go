package executor

import (
	"crypto/md5"
	"encoding/hex"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// The string functions, with PostgreSQL's signatures: they count characters (UTF-8 runes),
// not bytes, and are strict — a NULL argument gives NULL — except concat and concat_ws, which
// skip NULL values. The parser turns SQL's special forms into these calls: substring(s FROM a
// FOR b) is substring(s, a, b), trim(LEADING c FROM s) is ltrim(s, c), position(a IN b) is
// position(b, a).

// param is the type of a function parameter: text, or integer (int4; smaller integers and
// bigint parameters are accepted, a bigint outside int4's range is an error).
type param int

const (
	pText param = iota
	pInt
)

// strictFunc is one overload: its parameters, result type and implementation over non-NULL
// arguments.
type strictFunc struct {
	params []param
	result schema.Type
	fn     func(args []schema.Value) (schema.Value, error)
}

// registerStrict registers name with the given overloads, chosen by the number of arguments.
func registerStrict(name string, overloads ...strictFunc) {
	registerScalar(name, func(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
		for _, o := range overloads {
			if len(o.params) == len(args) {
				return compileStrict(n, o, args)
			}
		}
		return nil, errNoFunction(n, args)
	})
}

// compileStrict coerces the arguments to the overload's parameters and builds the call.
func compileStrict(n *parser.FuncCall, o strictFunc, args []*expr) (*expr, error) {
	typed := make([]*expr, len(args))
	konst, null := true, false
	for i, a := range args {
		var err error
		want := schema.Text
		if o.params[i] == pInt {
			want = schema.Integer
		}
		if typed[i], err = coerce(a, want, n.Args[i]); err != nil {
			return nil, err
		}
		if typed[i].typ.Kind != want.Kind {
			return nil, errNoFunction(n, args)
		}
		konst = konst && typed[i].konst
		null = null || isNullConst(typed[i])
	}
	if null {
		return constant(schema.Null, o.result, n.Name), nil
	}
	fn := o.fn
	return &expr{typ: o.result, name: n.Name, konst: konst, eval: func(row schema.Row) (schema.Value, error) {
		vals := make([]schema.Value, len(typed))
		for i, a := range typed {
			v, err := a.eval(row)
			if err != nil || v.IsNull() {
				return schema.Null, err
			}
			if o.params[i] == pInt && (v.Int() < math.MinInt32 || v.Int() > math.MaxInt32) {
				return schema.Null, errOutOfRange(schema.Integer)
			}
			vals[i] = v
		}
		return fn(vals)
	}}, nil
}

func textText(f func(s string) string) strictFunc {
	return strictFunc{[]param{pText}, schema.Text, func(a []schema.Value) (schema.Value, error) {
		return schema.Str(f(a[0].Text())), nil
	}}
}

// maxStringBytes is PostgreSQL's limit on a value (1 GB); longer results are error 54000.
const maxStringBytes = 1<<30 - 1

const codeProgramLimit = "54000"

func errTooLong() error { return schema.Errorf(codeProgramLimit, "requested length too large") }

func init() {
	substr := []strictFunc{
		{[]param{pText, pInt}, schema.Text, func(a []schema.Value) (schema.Value, error) {
			return substring(a[0].Text(), a[1].Int(), -1)
		}},
		{[]param{pText, pInt, pInt}, schema.Text, func(a []schema.Value) (schema.Value, error) {
			if a[2].Int() < 0 {
				return schema.Null, schema.Errorf("22011", "negative substring length not allowed")
			}
			return substring(a[0].Text(), a[1].Int(), a[2].Int())
		}},
	}
	registerStrict("substr", substr...)
	registerStrict("substring", substr...)

	for _, name := range []string{"btrim", "ltrim", "rtrim"} {
		left, right := name != "rtrim", name != "ltrim"
		registerStrict(name,
			textText(func(s string) string { return trimChars(s, " ", left, right) }),
			strictFunc{[]param{pText, pText}, schema.Text, func(a []schema.Value) (schema.Value, error) {
				return schema.Str(trimChars(a[0].Text(), a[1].Text(), left, right)), nil
			}})
	}
	registerStrict("replace", strictFunc{[]param{pText, pText, pText}, schema.Text, func(a []schema.Value) (schema.Value, error) {
		if a[1].Text() == "" {
			return a[0], nil
		}
		return schema.Str(strings.ReplaceAll(a[0].Text(), a[1].Text(), a[2].Text())), nil
	}})
	strpos := strictFunc{[]param{pText, pText}, schema.Integer, func(a []schema.Value) (schema.Value, error) {
		s, sub := a[0].Text(), a[1].Text()
		i := strings.Index(s, sub)
		if i < 0 {
			return schema.Int(0), nil
		}
		return schema.Int(int64(utf8.RuneCountInString(s[:i]) + 1)), nil
	}}
	registerStrict("strpos", strpos)
	registerStrict("position", strpos)
	registerStrict("octet_length", strictFunc{[]param{pText}, schema.Integer, func(a []schema.Value) (schema.Value, error) {
		return schema.Int(int64(len(a[0].Text()))), nil
	}})
	registerStrict("left", strictFunc{[]param{pText, pInt}, schema.Text, func(a []schema.Value) (schema.Value, error) {
		r := []rune(a[0].Text())
		return schema.Str(string(r[:keepCount(len(r), a[1].Int())])), nil
	}})
	registerStrict("right", strictFunc{[]param{pText, pInt}, schema.Text, func(a []schema.Value) (schema.Value, error) {
		r := []rune(a[0].Text())
		return schema.Str(string(r[len(r)-keepCount(len(r), a[1].Int()):])), nil
	}})
	registerStrict("repeat", strictFunc{[]param{pText, pInt}, schema.Text, func(a []schema.Value) (schema.Value, error) {
		s, n := a[0].Text(), a[1].Int()
		if n <= 0 || s == "" {
			return schema.Str(""), nil
		}
		if int64(len(s))*n > maxStringBytes {
			return schema.Null, errTooLong()
		}
		return schema.Str(strings.Repeat(s, int(n))), nil
	}})
	for _, name := range []string{"lpad", "rpad"} {
		left := name == "lpad"
		registerStrict(name,
			strictFunc{[]param{pText, pInt}, schema.Text, func(a []schema.Value) (schema.Value, error) {
				return pad(a[0].Text(), a[1].Int(), " ", left)
			}},
			strictFunc{[]param{pText, pInt, pText}, schema.Text, func(a []schema.Value) (schema.Value, error) {
				return pad(a[0].Text(), a[1].Int(), a[2].Text(), left)
			}})
	}
	registerStrict("reverse", textText(func(s string) string {
		r := []rune(s)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return string(r)
	}))
	registerStrict("initcap", textText(initcap))
	registerStrict("md5", textText(func(s string) string {
		sum := md5.Sum([]byte(s))
		return hex.EncodeToString(sum[:])
	}))
	registerStrict("split_part", strictFunc{[]param{pText, pText, pInt}, schema.Text, func(a []schema.Value) (schema.Value, error) {
		return splitPart(a[0].Text(), a[1].Text(), a[2].Int())
	}})
	registerStrict("starts_with", strictFunc{[]param{pText, pText}, schema.Boolean, func(a []schema.Value) (schema.Value, error) {
		return schema.Bool(strings.HasPrefix(a[0].Text(), a[1].Text())), nil
	}})
	registerStrict("ascii", strictFunc{[]param{pText}, schema.Integer, func(a []schema.Value) (schema.Value, error) {
		r, size := utf8.DecodeRuneInString(a[0].Text())
		if size == 0 {
			return schema.Int(0), nil
		}
		return schema.Int(int64(r)), nil
	}})
	registerStrict("chr", strictFunc{[]param{pInt}, schema.Text, func(a []schema.Value) (schema.Value, error) {
		return chr(a[0].Int())
	}})
	registerScalar("concat", concatFunc)
	registerScalar("concat_ws", concatFunc)
}

// substring returns count characters of s from the 1-based position from (count < 0: to the
// end). Positions before the first character count: substr('abc', 0, 2) is 'a'.
func substring(s string, from, count int64) (schema.Value, error) {
	end := int64(math.MaxInt64)
	if count >= 0 {
		end = from + count // both are int4, so this cannot overflow
	}
	from = max(from, 1)
	var b strings.Builder
	pos := int64(1)
	for _, r := range s {
		if pos >= end {
			break
		}
		if pos >= from {
			b.WriteRune(r)
		}
		pos++
	}
	return schema.Str(b.String()), nil
}

// trimChars removes the characters of set from the left and/or right end of s.
func trimChars(s, set string, left, right bool) string {
	in := func(r rune) bool { return strings.ContainsRune(set, r) }
	if left {
		s = strings.TrimLeftFunc(s, in)
	}
	if right {
		s = strings.TrimRightFunc(s, in)
	}
	return s
}

// keepCount is how many of n characters left(s, k) and right(s, k) keep: k of them, or all but
// -k when k is negative.
func keepCount(n int, k int64) int {
	if k < 0 {
		return int(max(int64(n)+k, 0))
	}
	return int(min(int64(n), k))
}

// pad extends s to n characters with copies of fill on the left or right, or cuts it to n.
func pad(s string, n int64, fill string, left bool) (schema.Value, error) {
	if n <= 0 {
		return schema.Str(""), nil
	}
	if n*utf8.UTFMax > maxStringBytes {
		return schema.Null, errTooLong()
	}
	r := []rune(s)
	if int64(len(r)) >= n || fill == "" {
		return schema.Str(string(r[:min(int64(len(r)), n)])), nil
	}
	f := []rune(fill)
	padding := make([]rune, n-int64(len(r)))
	for i := range padding {
		padding[i] = f[i%len(f)]
	}
	if left {
		return schema.Str(string(padding) + s), nil
	}
	return schema.Str(s + string(padding)), nil
}

// initcap upper-cases the first letter of each run of letters and digits and lower-cases the
// rest.
func initcap(s string) string {
	var b strings.Builder
	inWord := false
	for _, r := range s {
		if inWord {
			r = unicode.ToLower(r)
		} else {
			r = unicode.ToUpper(r)
		}
		inWord = unicode.IsLetter(r) || unicode.IsDigit(r)
		b.WriteRune(r)
	}
	return b.String()
}

// splitPart returns field n of s split at delim, counting from the end when n is negative.
func splitPart(s, delim string, n int64) (schema.Value, error) {
	if n == 0 {
		return schema.Null, schema.Errorf(schema.CodeInvalidParameter, "field position must not be zero")
	}
	if s == "" {
		return schema.Str(""), nil
	}
	fields := []string{s}
	if delim != "" {
		fields = strings.Split(s, delim)
	}
	if n < 0 {
		n += int64(len(fields)) + 1
	}
	if n < 1 || n > int64(len(fields)) {
		return schema.Str(""), nil
	}
	return schema.Str(fields[n-1]), nil
}

// chr is the character with code point n, with PostgreSQL's errors for the ones UTF-8 cannot
// hold.
func chr(n int64) (schema.Value, error) {
	switch {
	case n == 0:
		return schema.Null, schema.Errorf(codeProgramLimit, "null character not permitted")
	case n < 0:
		return schema.Null, schema.Errorf(schema.CodeInvalidParameter, "character number must be positive")
	case n > unicode.MaxRune:
		return schema.Null, schema.Errorf(codeProgramLimit, "requested character too large for encoding: %d", n)
	case !utf8.ValidRune(rune(n)):
		return schema.Null, schema.Errorf(codeProgramLimit, "requested character not valid for encoding: %d", n)
	}
	return schema.Str(string(rune(n))), nil
}

// concatFunc compiles concat(any...) and concat_ws(sep text, any...): the text forms of the
// non-NULL values, joined (by sep). A NULL separator makes concat_ws NULL.
func concatFunc(c *compiler, n *parser.FuncCall, args []*expr) (*expr, error) {
	ws := n.Name == "concat_ws"
	if len(args) == 0 || ws && len(args) == 1 {
		return nil, errNoFunction(n, args)
	}
	konst := true
	for i, a := range args {
		var err error
		if args[i], err = coerce(a, schema.Text, n.Args[i]); err != nil {
			return nil, err
		}
		konst = konst && args[i].konst
	}
	if ws && args[0].typ.Kind != schema.KindText {
		return nil, errNoFunction(n, args)
	}
	return &expr{typ: schema.Text, name: n.Name, konst: konst, eval: func(row schema.Row) (schema.Value, error) {
		sep, vals := "", args
		if ws {
			v, err := args[0].eval(row)
			if err != nil || v.IsNull() {
				return schema.Null, err
			}
			sep, vals = v.Text(), args[1:]
		}
		var b strings.Builder
		first := true
		for _, a := range vals {
			v, err := a.eval(row)
			if err != nil {
				return schema.Null, err
			}
			if v.IsNull() {
				continue
			}
			if !first {
				b.WriteString(sep)
			}
			first = false
			b.WriteString(outputText(v, a.typ))
		}
		return schema.Str(b.String()), nil
	}}, nil
}

// outputText is a value of type t as its type's output function writes it (booleans are t
// and f), which is what concat joins.
func outputText(v schema.Value, t schema.Type) string {
	if v.Kind() == schema.KindBool {
		if v.Bool() {
			return "t"
		}
		return "f"
	}
	return textAs(v, t)
}

// textAs is a value of type t cast to text: a real prints with float4's digits.
func textAs(v schema.Value, t schema.Type) string {
	if v.Kind() == schema.KindFloat {
		return v.Format(t)
	}
	return textOf(v)
}
