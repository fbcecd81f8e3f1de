package parser

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Test helpers that walk trees by reflection: zeroPos for comparing trees, dump for the
// golden files. They live in tests only; the package itself never needs reflection.

var posType = reflect.TypeOf(Pos{})

// zeroPos clears every Pos in the tree reachable from v (a pointer, slice or interface
// holding nodes), so that trees parsed from different texts can be compared.
func zeroPos(v any) {
	zeroPosValue(reflect.ValueOf(v))
}

func zeroPosValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			zeroPosValue(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			zeroPosValue(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == posType {
			if v.CanSet() {
				v.Set(reflect.Zero(posType))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			zeroPosValue(v.Field(i))
		}
	}
}

// dump prints a tree as an indented outline: one line per node, with its type, its
// position and its scalar fields; nested nodes below, under the name of their field.
// Zero-valued fields are left out.
func dump(v any) string {
	var b strings.Builder
	dumpValue(&b, reflect.ValueOf(v), 0)
	return b.String()
}

func dumpValue(b *strings.Builder, v reflect.Value, indent int) {
	for v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	prefix := ""
	if v.Kind() == reflect.Pointer {
		prefix = "*"
		v = v.Elem()
	}
	t := v.Type()
	b.WriteString(prefix + t.Name())
	var nested []int
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		switch {
		case fv.Kind() == reflect.Int && fv.Type().Name() != "int":
			// Enumerations print even when zero: Op=+, Kind=INNER JOIN.
			fmt.Fprintf(b, " %s=%s", f.Name, scalar(fv))
		case fv.IsZero():
		case fv.Type() == posType:
			p := fv.Interface().(Pos)
			fmt.Fprintf(b, " @%d:%d", p.Line, p.Col)
		case isScalar(fv):
			fmt.Fprintf(b, " %s=%s", f.Name, scalar(fv))
		default:
			nested = append(nested, i)
		}
	}
	b.WriteString("\n")
	pad := strings.Repeat("  ", indent+1)
	for _, i := range nested {
		f, fv := t.Field(i), v.Field(i)
		if fv.Kind() == reflect.Slice {
			for j := 0; j < fv.Len(); j++ {
				if e := fv.Index(j); e.Kind() == reflect.Slice { // InsertStmt.Rows
					for k := 0; k < e.Len(); k++ {
						fmt.Fprintf(b, "%s%s[%d][%d]: ", pad, f.Name, j, k)
						dumpValue(b, e.Index(k), indent+1)
					}
					continue
				}
				fmt.Fprintf(b, "%s%s[%d]: ", pad, f.Name, j)
				dumpValue(b, fv.Index(j), indent+1)
			}
			continue
		}
		fmt.Fprintf(b, "%s%s: ", pad, f.Name)
		dumpValue(b, fv, indent+1)
	}
}

// isScalar reports whether v is printed inline: basic values, *bool, and slices of them.
func isScalar(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Bool, reflect.Int, reflect.String:
		return true
	case reflect.Pointer:
		return v.Type().Elem().Kind() == reflect.Bool
	case reflect.Slice:
		k := v.Type().Elem().Kind()
		return k == reflect.String || k == reflect.Int
	}
	return false
}

func scalar(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return strconv.Quote(v.String())
	case reflect.Pointer:
		return fmt.Sprint(v.Elem().Bool())
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = scalar(v.Index(i))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case reflect.Int:
		if k, ok := v.Interface().(LitKind); ok {
			return [...]string{"Null", "Int", "Float", "String", "Bool"}[k]
		}
		if s, ok := v.Interface().(fmt.Stringer); ok {
			return s.String()
		}
	}
	return fmt.Sprint(v.Interface())
}
