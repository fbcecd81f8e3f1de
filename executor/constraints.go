package executor

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// CHECK and FOREIGN KEY constraints. CREATE TABLE turns them into schema.Check and
// schema.ForeignKey values of the definition; a CHECK is evaluated here on every row an
// INSERT or UPDATE writes (it reads the row alone), while foreign keys, which read other
// rows, are checked by storage at the end of each statement (see checkForeignKeys).

// tableConstraints collects the CHECK and FOREIGN KEY constraints of a CREATE TABLE.
type tableConstraints struct {
	list []pendingConstraint
}

// pendingConstraint is one CHECK or FOREIGN KEY as written; column is the column it was
// written on ("" for a table constraint).
type pendingConstraint struct {
	def    parser.TableConstraint
	column string
}

func (tc *tableConstraints) add(c parser.TableConstraint, column string) {
	tc.list = append(tc.list, pendingConstraint{def: c, column: column})
}

// buildConstraints checks the CHECK and FOREIGN KEY constraints of a table being created and
// adds them to def, named as PostgreSQL names them: explicit names first, then t_col_check
// (a condition on one column), t_check, t_a_b_fkey, with a number appended on a clash.
func (x *execution) buildConstraints(def *schema.Table, tc *tableConstraints) error {
	for i := range def.Columns {
		def.Columns[i].ID = uint32(i + 1) // as storage.Tx.CreateTable will number them
	}
	used := map[string]bool{}
	for _, ix := range def.Indexes {
		used[strings.ToLower(ix.Name)] = true
	}
	checks := map[string]bool{} // explicit names of CHECK constraints
	for _, p := range tc.list {
		if p.def.Name == "" {
			continue
		}
		n := strings.ToLower(p.def.Name)
		if checks[n] && p.def.Check != nil {
			return errAtPos(p.def.At, schema.CodeDuplicateObject, "check constraint %q already exists", p.def.Name)
		}
		if used[n] {
			return errAtPos(p.def.At, schema.CodeDuplicateObject, "constraint %q for relation %q already exists", p.def.Name, def.Name)
		}
		used[n], checks[n] = true, p.def.Check != nil
	}
	choose := func(base string) string {
		base = strings.ToLower(base)
		name := base
		for i := 1; used[name]; i++ {
			name = fmt.Sprintf("%s%d", base, i)
		}
		used[name] = true
		return name
	}
	for _, p := range tc.list {
		if p.def.Check != nil {
			ch, err := x.checkDef(def, p.def.Check)
			if err != nil {
				return err
			}
			ch.Name = p.def.Name
			if ch.Name == "" {
				ch.Name = choose(checkBaseName(def, ch))
			}
			def.Checks = append(def.Checks, ch)
			continue
		}
		fk, err := x.foreignKeyDef(def, p.def)
		if err != nil {
			return err
		}
		fk.Name = p.def.Name
		if fk.Name == "" {
			fk.Name = choose(def.Name + "_" + strings.Join(p.def.Columns, "_") + "_fkey")
		}
		def.ForeignKeys = append(def.ForeignKeys, fk)
	}
	return nil
}

// checkBaseName is t_col_check for a condition that reads exactly one column, else t_check.
func checkBaseName(def *schema.Table, ch schema.Check) string {
	ids := slices.Clone(ch.Columns)
	slices.Sort(ids)
	if ids = slices.Compact(ids); len(ids) == 1 {
		return def.Name + "_" + def.Columns[def.ColumnByID(ids[0])].Name + "_check"
	}
	return def.Name + "_check"
}

// checkDef validates a CHECK condition for a table (whose columns have their IDs) and returns
// it as stored: its text and the column each reference means.
func (x *execution) checkDef(def *schema.Table, cond parser.Expr) (schema.Check, error) {
	if err := checkableExpr(cond); err != nil {
		return schema.Check{}, err
	}
	c := &compiler{x: x, sc: newScope(defColumns(def), nil, nil), clause: "check constraints"}
	if _, err := c.compileCond(cond, "CHECK"); err != nil {
		return schema.Check{}, err
	}
	ch := schema.Check{Expr: format(cond)}
	walkExpr(cond, func(e parser.Expr) bool {
		if ref, ok := e.(*parser.ColumnRef); ok {
			ch.Columns = append(ch.Columns, def.Columns[def.Column(ref.Column)].ID)
		}
		return true
	})
	return ch, nil
}

// checkableExpr rejects what PostgreSQL does not allow in a CHECK condition.
func checkableExpr(cond parser.Expr) error {
	if hasAggregate(cond) {
		return errAt(cond, schema.CodeGrouping, "aggregate functions are not allowed in check constraints")
	}
	var err error
	walkExpr(cond, func(e parser.Expr) bool {
		switch n := e.(type) {
		case *parser.SubqueryExpr, *parser.ExistsExpr:
			err = errAt(e, schema.CodeFeatureUnsupported, "cannot use subquery in check constraint")
		case *parser.InExpr:
			if n.Select != nil {
				err = errAt(e, schema.CodeFeatureUnsupported, "cannot use subquery in check constraint")
			}
		case *parser.Param:
			err = errAt(e, codeUndefinedParameter, "there is no parameter $%d", n.Index)
		}
		return err == nil
	})
	return err
}

// defColumns is the scope of a table definition's columns, qualified by the table's name.
func defColumns(def *schema.Table) []column {
	cols := make([]column, len(def.Columns))
	for i, c := range def.Columns {
		cols[i] = column{table: def.Name, name: c.Name, typ: c.Type}
	}
	return cols
}

// CheckText returns a CHECK condition as SQL text written with the columns' current names.
func CheckText(def *schema.Table, ch schema.Check) (string, error) {
	ast, err := checkAST(def, ch)
	if err != nil {
		return "", err
	}
	return format(ast), nil
}

// checkAST parses a stored CHECK condition and points each column reference at the current
// name of the column it was written for.
func checkAST(def *schema.Table, ch schema.Check) (parser.Expr, error) {
	ast, err := parser.ParseExpr(ch.Expr)
	if err != nil {
		return nil, err
	}
	i := 0
	walkExpr(ast, func(e parser.Expr) bool {
		if ref, ok := e.(*parser.ColumnRef); ok {
			if i < len(ch.Columns) {
				if p := def.ColumnByID(ch.Columns[i]); p >= 0 {
					ref.Table, ref.Column = "", def.Columns[p].Name
				}
			}
			i++
		}
		return true
	})
	return ast, nil
}

// compiledCheck is a CHECK condition ready to run on rows of its table.
type compiledCheck struct {
	name string
	cond *expr
}

// tableChecks compiles the CHECK constraints of def once per statement, in name order (the
// order PostgreSQL tests them in, which decides the one a row violating several reports).
func (x *execution) tableChecks(def *schema.Table) ([]compiledCheck, error) {
	if len(def.Checks) == 0 {
		return nil, nil
	}
	if cc, ok := x.checks[def]; ok {
		return cc, nil
	}
	c := &compiler{x: x, sc: newScope(defColumns(def), nil, nil), clause: "check constraints"}
	var out []compiledCheck
	for _, ch := range def.Checks {
		ast, err := checkAST(def, ch)
		if err != nil {
			return nil, err
		}
		e, err := c.compileCond(ast, "CHECK")
		if err != nil {
			return nil, err
		}
		out = append(out, compiledCheck{name: ch.Name, cond: e})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	if x.checks == nil {
		x.checks = map[*schema.Table][]compiledCheck{}
	}
	x.checks[def] = out
	return out, nil
}

// checkRow enforces the constraints that concern a row alone on a row about to be written:
// NOT NULL, then CHECK (a NULL result passes, as in SQL).
func (x *execution) checkRow(def *schema.Table, row schema.Row) error {
	if err := checkNotNull(def, row); err != nil {
		return err
	}
	checks, err := x.tableChecks(def)
	if err != nil {
		return err
	}
	for _, ch := range checks {
		v, err := ch.cond.eval(row)
		if err != nil {
			return err
		}
		if !v.IsNull() && !v.Bool() {
			return schema.Errorf(schema.CodeCheck, "new row for relation %q violates check constraint %q\nDETAIL:  Failing row contains %s.",
				def.Name, ch.name, rowText(def, row))
		}
	}
	return nil
}

// rowText is a row as PostgreSQL's DETAIL lines show it: (1, abc, null).
func rowText(def *schema.Table, row schema.Row) string {
	parts := make([]string, len(row))
	for i, v := range row {
		parts[i] = "null"
		if !v.IsNull() {
			parts[i] = v.Format(def.Columns[i].Type)
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
