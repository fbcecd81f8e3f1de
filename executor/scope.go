package executor

import (
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// column is one column of the rows an operator produces: where a column reference finds it.
type column struct {
	table string // the qualifier that reaches it: the table's alias or name; "" for none
	name  string // "" for an unnamed computed column
	typ   schema.Type
	// hidden marks a column merged away by JOIN ... USING: only a qualified reference (or
	// t.*) reaches it; the unqualified name means the merged column.
	hidden bool
	// system marks a system column of a system-time range (_seq_from, _op, …): reached by its
	// name, never by * or t.*.
	system bool
	// rel is the table reference the column comes from (nil for computed columns); GROUP BY
	// uses it to find columns that depend on a grouped primary key.
	rel *baseTable
}

// scope is the set of columns an expression can refer to: the layout of the row it is
// evaluated on. Scopes nest: a subquery's scopes have the enclosing query's scope as outer,
// which is how a correlated column reference is resolved.
type scope struct {
	cols  []column
	outer *scope
	// row holds this scope's current row while a subquery nested in one of its expressions
	// runs, so the subquery's correlated references can read it. Allocated on first use.
	row *schema.Row
	// corr, when set, is the correlation record of the subquery this scope belongs to: a
	// column found in an enclosing scope marks it.
	corr *correlation
	// used, when non-nil, records the positions resolved in this scope; the planner uses it to
	// learn which tables a WHERE conjunct mentions.
	used []bool
}

// correlation records whether a subquery reads columns of an enclosing query; if not, its
// result is the same for every outer row and is computed once.
type correlation struct{ outer bool }

func newScope(cols []column, outer *scope, corr *correlation) *scope {
	return &scope{cols: cols, outer: outer, corr: corr}
}

// concatScope is the scope of a join's output: left's columns followed by right's.
func concatScope(l, r *scope) *scope {
	cols := make([]column, 0, len(l.cols)+len(r.cols))
	cols = append(append(cols, l.cols...), r.cols...)
	return newScope(cols, l.outer, l.corr)
}

// tableColumns is the scope columns of a table reference.
func tableColumns(bt *baseTable) []column {
	cols := make([]column, len(bt.def.Columns))
	for i, c := range bt.def.Columns {
		cols[i] = column{table: bt.qual, name: c.Name, typ: c.Type, rel: bt}
	}
	return cols
}

// find looks ref up in this scope alone: its position, or -1 when absent. It fails when the
// name matches more than one column.
func (s *scope) find(ref *parser.ColumnRef) (int, error) {
	pos := -1
	for i, c := range s.cols {
		if c.name == "" || !strings.EqualFold(c.name, ref.Column) || c.hidden && ref.Table == "" {
			continue
		}
		if ref.Table != "" && !strings.EqualFold(c.table, ref.Table) {
			continue
		}
		if pos >= 0 {
			return -1, errAt(ref, schema.CodeAmbiguousColumn, "column reference %q is ambiguous", refName(ref))
		}
		pos = i
	}
	if pos >= 0 {
		s.cols[pos].rel.noteColumn(s.cols[pos].name)
	}
	return pos, nil
}

// hasTable reports whether some column of the scope is reached through qualifier.
func (s *scope) hasTable(qualifier string) bool {
	for _, c := range s.cols {
		if strings.EqualFold(c.table, qualifier) {
			return true
		}
	}
	return false
}

// resolve finds ref in this scope or an enclosing one. depth is 0 for this scope, 1 for the
// enclosing query, and so on; found is the scope that has it.
func (s *scope) resolve(ref *parser.ColumnRef) (found *scope, pos int, err error) {
	for cur := s; cur != nil; cur = cur.outer {
		pos, err := cur.find(ref)
		if err != nil {
			return nil, 0, err
		}
		if pos < 0 {
			continue
		}
		if cur.used != nil {
			cur.used[pos] = true
		}
		// Every subquery between the reference and the scope that has the column is
		// correlated: its result depends on a row of an enclosing query.
		for c := s; c != cur; c = c.outer {
			if c.corr != nil {
				c.corr.outer = true
			}
		}
		return cur, pos, nil
	}
	if ref.Table != "" {
		known := false
		for cur := s; cur != nil && !known; cur = cur.outer {
			known = cur.hasTable(ref.Table)
		}
		if !known {
			return nil, 0, errAt(ref, schema.CodeUndefinedTable, "missing FROM-clause entry for table %q", ref.Table)
		}
		return nil, 0, errAt(ref, schema.CodeUndefinedColumn, "column %s.%s does not exist", ref.Table, ref.Column)
	}
	return nil, 0, errAt(ref, schema.CodeUndefinedColumn, "column %q does not exist", ref.Column)
}

// rowCell returns the scope's current-row cell, allocating it on first use.
func (s *scope) rowCell() *schema.Row {
	if s.row == nil {
		s.row = new(schema.Row)
	}
	return s.row
}

func refName(ref *parser.ColumnRef) string {
	if ref.Table != "" {
		return ref.Table + "." + ref.Column
	}
	return ref.Column
}
