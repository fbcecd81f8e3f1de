package executor

import (
	"slices"
	"strconv"
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// sortKey is one ORDER BY key: a column of the rows being sorted.
type sortKey struct {
	pos        int
	desc       bool
	nullsFirst bool
	text       string
}

// sortOp collects its input and emits it ordered by the keys. The sort is stable, so rows
// equal on every key keep their input order. NULLs go last ascending and first descending
// unless NULLS FIRST/LAST says otherwise, as in PostgreSQL; text compares bytewise (the "C"
// collation).
type sortOp struct {
	x    *execution
	in   operator
	keys []sortKey
	// limit and offset are the LIMIT/OFFSET applied to the sorted rows (nil when absent): with
	// a LIMIT only the first offset+limit rows can matter, and a bounded heap keeps just those.
	limit, offset *expr
}

func (s *sortOp) produce(emit func(schema.Row) error) error {
	if s.limit != nil {
		limit, err := evalCount(s.limit, "LIMIT", codeNegativeLimit)
		if err != nil {
			return err
		}
		offset, err := evalCount(s.offset, "OFFSET", codeNegativeOffset)
		if err != nil {
			return err
		}
		if limit >= 0 && limit+max(offset, 0) <= topNMax {
			return s.topN(int(limit+max(offset, 0)), emit)
		}
	}
	var rows []schema.Row
	err := s.in.produce(func(row schema.Row) error {
		rows = append(rows, row)
		return s.x.checkCancel()
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(rows, s.compare)
	for _, row := range rows {
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

func (s *sortOp) compare(a, b schema.Row) int {
	for _, k := range s.keys {
		x, y := a[k.pos], b[k.pos]
		var c int
		switch {
		case x.IsNull() && y.IsNull():
			continue
		case x.IsNull() || y.IsNull():
			c = 1 // x is NULL: after y, unless NULLS FIRST
			if y.IsNull() {
				c = -1
			}
			if k.nullsFirst {
				c = -c
			}
			return c
		}
		if c = schema.Compare(x, y); k.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func (s *sortOp) explain() *planNode {
	keys := make([]string, len(s.keys))
	for i, k := range s.keys {
		keys[i] = k.text
	}
	return &planNode{label: "Sort", details: []string{"Sort Key: " + joinText(keys)}, children: []*planNode{s.in.explain()}}
}

// orderKeys resolves ORDER BY as PostgreSQL does: an integer is an output column's position;
// a bare name matches an output column's name first; any other expression is computed over
// the same rows as the select list and appended to the projection as a hidden column (which
// SELECT DISTINCT does not allow). It returns the sort keys and the extended projection.
func (p *planner) orderKeys(c *compiler, order []parser.OrderItem, items []selectItem, exprs []*expr, cols []Column, distinct bool) ([]sortKey, []*expr, error) {
	var keys []sortKey
	for _, o := range order {
		pos, err := outputPosition(o.Expr, cols)
		if err != nil {
			return nil, nil, err
		}
		if pos < 0 {
			text := format(unparen(o.Expr))
			for i, it := range items {
				if format(unparen(it.ast)) == text {
					pos = i
					break
				}
			}
		}
		if pos < 0 {
			if c == nil {
				return nil, nil, errAt(o.Expr, schema.CodeFeatureUnsupported, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause")
			}
			if distinct {
				return nil, nil, errAt(o.Expr, codeInvalidColumnRef, "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
			}
			e, err := c.compile(o.Expr)
			if err != nil {
				return nil, nil, err
			}
			e, _ = coerce(e, schema.Text, o.Expr)
			exprs = append(exprs, e)
			pos = len(exprs) - 1
		}
		k := sortKey{pos: pos, desc: o.Desc, nullsFirst: o.Desc, text: format(o.Expr)}
		if pos < len(items) {
			k.text = format(items[pos].ast) // ORDER BY 2 shows what column 2 is
		}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		if k.desc {
			k.text += " DESC"
		}
		keys = append(keys, k)
	}
	return keys, exprs, nil
}

// outputPosition finds an ORDER BY item that names an output column by position or name;
// -1 when it is some other expression.
func outputPosition(e parser.Expr, cols []Column) (int, error) {
	switch n := unparen(e).(type) {
	case *parser.Literal:
		if n.Kind != parser.LitInt {
			if n.Kind == parser.LitNull {
				return -1, nil
			}
			return -1, errAt(n, schema.CodeSyntax, "non-integer constant in ORDER BY")
		}
		pos, err := strconv.Atoi(n.Text)
		if err != nil || pos < 1 || pos > len(cols) {
			return -1, errAt(n, codeInvalidColumnRef, "ORDER BY position %s is not in select list", n.Text)
		}
		return pos - 1, nil
	case *parser.ColumnRef:
		if n.Table != "" {
			return -1, nil
		}
		for i, c := range cols {
			if strings.EqualFold(c.Name, n.Column) {
				return i, nil
			}
		}
	}
	return -1, nil
}
