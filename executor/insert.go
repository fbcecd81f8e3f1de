package executor

import (
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// insertPlan is a planned INSERT: a source of rows holding the target columns' values, and
// the DEFAULT of every other column.
type insertPlan struct {
	def      *schema.Table
	targets  []int    // column positions, in the order of the source's values
	source   operator // rows of len(targets) values, already of the column types
	defaults []*expr  // per column position: its DEFAULT (nil: NULL)
	isTarget []bool   // per column position
}

func (x *execution) insert(s *parser.InsertStmt) (*Result, error) {
	ins, err := x.planInsert(s)
	if err != nil {
		return nil, err
	}
	target, err := x.targetUnit(s.Table, s.Alias, s)
	if err != nil {
		return nil, err
	}
	ret, err := x.planReturning(s.Returning, target.sc)
	if err != nil {
		return nil, err
	}
	var up *upsert
	if s.OnConflict != nil {
		if up, err = x.planUpsert(s.OnConflict, target); err != nil {
			return nil, err
		}
	}
	var rows []schema.Row
	err = ins.source.produce(func(vals schema.Row) error {
		row, err := ins.assemble(vals)
		if err == nil {
			err = x.checkRow(ins.def, row)
		}
		if err == nil {
			rows = append(rows, row)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	// Every row is computed before the first is written: INSERT INTO t SELECT ... FROM t must
	// not read its own rows (it reads the statement's snapshot anyway; this also keeps a
	// failing row from leaving half the statement applied to the transaction).
	n := int64(0)
	for _, row := range rows {
		if err := x.checkCancel(); err != nil {
			return nil, err
		}
		if up != nil {
			if row, err = up.insertRow(x, ins.def, row); err != nil {
				return nil, err
			}
			if row == nil {
				continue // DO NOTHING, or DO UPDATE … WHERE false
			}
		} else if _, err := x.env.Tx.Insert(ins.def.ID, row); err != nil {
			return nil, err
		}
		n++
		if err := ret.add(row); err != nil {
			return nil, err
		}
	}
	return ret.result("INSERT 0", n), nil
}

// assemble builds a full table row from the source values and the defaults.
func (ins *insertPlan) assemble(vals schema.Row) (schema.Row, error) {
	row := make(schema.Row, len(ins.def.Columns))
	for i, pos := range ins.targets {
		row[pos] = vals[i]
	}
	for pos, d := range ins.defaults {
		if ins.isTarget[pos] || d == nil {
			continue
		}
		v, err := d.eval(nil)
		if err != nil {
			return nil, err
		}
		row[pos] = v
	}
	return row, nil
}

// checkNotNull enforces the NOT NULL columns of a row about to be written.
func checkNotNull(def *schema.Table, row schema.Row) error {
	for i, c := range def.Columns {
		if c.NotNull && row[i].IsNull() {
			return schema.Errorf(schema.CodeNotNull, "null value in column %q of relation %q violates not-null constraint", c.Name, def.Name)
		}
	}
	return nil
}

// planInsert resolves the target table and columns and plans the source.
func (x *execution) planInsert(s *parser.InsertStmt) (*insertPlan, error) {
	tbl, ok := x.read.Table(s.Table)
	if !ok {
		if err := x.errViewWrite(s.Table, s); err != nil {
			return nil, err
		}
		return nil, errUndefinedTable(s, s.Table)
	}
	def := tbl.Def()
	ins := &insertPlan{def: def, isTarget: make([]bool, len(def.Columns))}
	var err error
	if ins.targets, err = targetColumns(def, s); err != nil {
		return nil, err
	}
	if ins.defaults, err = x.defaults(def); err != nil {
		return nil, err
	}
	if s.Select != nil {
		err = x.insertSelect(ins, s)
	} else {
		err = x.insertValues(ins, s)
	}
	if err != nil {
		return nil, err
	}
	for _, pos := range ins.targets {
		ins.isTarget[pos] = true
	}
	return ins, nil
}

// targetColumns resolves INSERT's column list (all columns, in order, when absent).
func targetColumns(def *schema.Table, s *parser.InsertStmt) ([]int, error) {
	if len(s.Columns) == 0 {
		all := make([]int, len(def.Columns))
		for i := range all {
			all[i] = i
		}
		return all, nil
	}
	targets := make([]int, len(s.Columns))
	seen := map[int]bool{}
	for i, name := range s.Columns {
		pos := def.Column(name)
		if pos < 0 {
			return nil, errAt(s, schema.CodeUndefinedColumn, "column %q of relation %q does not exist", name, def.Name)
		}
		if seen[pos] {
			return nil, errAt(s, schema.CodeDuplicateColumn, "column %q specified more than once", name)
		}
		seen[pos] = true
		targets[i] = pos
	}
	return targets, nil
}

func (x *execution) insertValues(ins *insertPlan, s *parser.InsertStmt) error {
	c := &compiler{x: x, sc: newScope(nil, nil, nil), clause: "VALUES"}
	values := &valuesOp{}
	for r, exprs := range s.Rows {
		if len(exprs) > len(ins.targets) {
			return errAt(s, schema.CodeSyntax, "INSERT has more expressions than target columns")
		}
		if len(exprs) < len(ins.targets) && len(s.Columns) > 0 {
			return errAt(s, schema.CodeSyntax, "INSERT has more target columns than expressions")
		}
		if r > 0 && len(exprs) != len(s.Rows[0]) {
			return errAt(s, schema.CodeSyntax, "VALUES lists must all be the same length")
		}
		row := make([]*expr, len(exprs))
		for i, e := range exprs {
			pos := ins.targets[i]
			if _, ok := e.(*parser.DefaultExpr); ok {
				row[i] = ins.defaults[pos]
				if row[i] == nil {
					row[i] = constant(schema.Null, ins.def.Columns[pos].Type, "")
				}
				continue
			}
			ce, err := c.compile(e)
			if err != nil {
				return err
			}
			if row[i], err = assignment(ce, ins.def.Columns[pos], e); err != nil {
				return err
			}
		}
		values.rows = append(values.rows, row)
	}
	if len(s.Rows) > 0 {
		ins.targets = ins.targets[:len(s.Rows[0])] // INSERT INTO t VALUES (1) fills the first column
	}
	ins.source = values
	return nil
}

func (x *execution) insertSelect(ins *insertPlan, s *parser.InsertStmt) error {
	q, err := x.planner().planQuery(s.Select)
	if err != nil {
		return err
	}
	if len(q.cols) > len(ins.targets) {
		return errAt(s, schema.CodeSyntax, "INSERT has more expressions than target columns")
	}
	if len(q.cols) < len(ins.targets) && len(s.Columns) > 0 {
		return errAt(s, schema.CodeSyntax, "INSERT has more target columns than expressions")
	}
	ins.targets = ins.targets[:len(q.cols)]
	casts := make([]*expr, len(q.cols))
	for i, qc := range q.cols {
		i := i
		in := &expr{typ: qc.Type, eval: func(row schema.Row) (schema.Value, error) { return row[i], nil }}
		if casts[i], err = assignment(in, ins.def.Columns[ins.targets[i]], s.Select); err != nil {
			return err
		}
	}
	ins.source = &projectOp{in: q.root, exprs: casts}
	return nil
}

// valuesOp produces the rows of a VALUES list.
type valuesOp struct{ rows [][]*expr }

func (v *valuesOp) produce(emit func(schema.Row) error) error {
	for _, exprs := range v.rows {
		row := make(schema.Row, len(exprs))
		for i, e := range exprs {
			val, err := e.eval(nil)
			if err != nil {
				return err
			}
			row[i] = val
		}
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

func (v *valuesOp) explain() *planNode { return &planNode{label: "Values Scan"} }

// assignment converts an expression's values to a column's type with PostgreSQL's
// assignment rules: numbers convert (floats round to the nearest integer, ties to even),
// anything converts to text, text literals are parsed, typed text does not convert to other
// types, VARCHAR(n) rejects longer strings.
func assignment(e *expr, col schema.Column, at parser.Node) (*expr, error) {
	if e.lit != nil && isUnknown(e.typ) {
		v, err := parseText(e.lit.Text(), col.Type)
		if e.lit.IsNull() {
			v, err = schema.Null, nil
		}
		if err != nil {
			return nil, positioned(err, at)
		}
		return constant(v, col.Type, col.Name), nil
	}
	if !canCast(e.typ, col.Type, castAssign) {
		return nil, errAt(at, schema.CodeDatatypeMismatch, "column %q is of type %s but expression is of type %s", col.Name, col.Type, typeName(e.typ))
	}
	ev, t := e.eval, col.Type
	if e.typ == schema.Real && t.Kind == schema.KindNumeric {
		e = realToNumeric(e, t)
		e.name = col.Name
		return e, nil
	}
	return &expr{typ: t, name: col.Name, eval: func(row schema.Row) (schema.Value, error) {
		v, err := ev(row)
		if err != nil || v.IsNull() {
			return v, err
		}
		return convert(v, t, false)
	}}, nil
}

// defaults compiles the DEFAULT expression of every column of def (nil where there is none).
func (x *execution) defaults(def *schema.Table) ([]*expr, error) {
	out := make([]*expr, len(def.Columns))
	for i, col := range def.Columns {
		if col.Serial {
			out[i] = x.serialDefault(def, col)
			continue
		}
		if col.Default == "" {
			continue
		}
		e, err := x.compileDefault(col)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// compileDefault parses and compiles a column's stored DEFAULT text, converted to the
// column's type. A DEFAULT may not read columns or run subqueries.
func (x *execution) compileDefault(col schema.Column) (*expr, error) {
	ast, err := parser.ParseExpr(col.Default)
	if err != nil {
		return nil, err
	}
	return x.compileDefaultExpr(ast, col)
}

func (x *execution) compileDefaultExpr(ast parser.Expr, col schema.Column) (*expr, error) {
	bad := ""
	walkExpr(ast, func(e parser.Expr) bool {
		switch e.(type) {
		case *parser.ColumnRef:
			bad = "column reference"
		case *parser.SubqueryExpr, *parser.ExistsExpr, *parser.QuantifiedExpr:
			bad = "subquery"
		case *parser.InExpr:
			if e.(*parser.InExpr).Select != nil {
				bad = "subquery"
			}
		case *parser.Param:
			bad = "parameter"
		}
		return bad == ""
	})
	if bad != "" {
		return nil, errAt(ast, schema.CodeFeatureUnsupported, "cannot use %s in DEFAULT expression", bad)
	}
	c := &compiler{x: x, sc: newScope(nil, nil, nil), clause: "DEFAULT expressions"}
	e, err := c.compile(ast)
	if err != nil {
		return nil, err
	}
	return assignment(e, col, ast)
}

// serialDefault is the default of a SERIAL column: the next value of its counter, drawn
// anew for each row (storage.Tx.NextSerial), within the range of the column's type.
func (x *execution) serialDefault(def *schema.Table, col schema.Column) *expr {
	tx, t := x.env.Tx, col.Type
	return &expr{typ: t, name: col.Name, eval: func(schema.Row) (schema.Value, error) {
		n := tx.NextSerial(def.ID, col.ID)
		if limit := int64(1)<<(8*t.Width-1) - 1; n > limit {
			return schema.Null, schema.Errorf("2200H", "nextval: reached maximum value of sequence \"%s_%s_seq\" (%d)", def.Name, col.Name, limit)
		}
		return schema.Int(n), nil
	}}
}
