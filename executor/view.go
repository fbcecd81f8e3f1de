package executor

import (
	"errors"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// Views. A view is stored as the canonical SQL text of its query (parser.Format) and its
// column names; the catalog keeps every version. Using a view in FROM parses that text again
// and plans it as a subquery aliased by the view's name, against the same state the reference
// reads: so `v AS OF SEQ n` is the view as defined at n over the tables as they were at n.
//
// CREATE VIEW expands the * of its select lists into the columns they stand for before the
// text is stored, as PostgreSQL does, so that a column added to a table later does not change
// the view's columns.

func (x *execution) createView(s *parser.CreateViewStmt) (*Result, error) {
	var old *schema.View
	if v, ok := x.read.View(s.Name); ok {
		if !s.Replace {
			return nil, errAt(s, schema.CodeDuplicateTable, "relation %q already exists", s.Name)
		}
		old = v
	} else if x.relationExists(s.Name) {
		if s.Replace {
			if _, ok := x.read.Table(s.Name); ok {
				return nil, errAt(s, codeWrongObjectType, "%q is not a view", s.Name)
			}
		}
		return nil, errAt(s, schema.CodeDuplicateTable, "relation %q already exists", s.Name)
	}
	vx := x.forView(x.read)
	query, err := vx.expandViewStars(s.Query)
	if err != nil {
		return nil, err
	}
	vx.deps = newDependencies()
	q, err := vx.planner().planQuery(query)
	if err != nil {
		return nil, err
	}
	deps := vx.deps
	vx.deps = nil
	cols, err := viewColumns(s, q.cols)
	if err != nil {
		return nil, err
	}
	def := schema.View{Name: s.Name, Columns: cols, Query: parser.Format(query)}
	// The stored text must mean what was planned: parse and plan it again.
	if _, err := vx.planView(&def); err != nil {
		return nil, err
	}
	if old != nil {
		if err := x.checkReplace(old, cols, q.cols); err != nil {
			return nil, positioned(err, s)
		}
		def.ID, def.Name = old.ID, old.Name
	}
	if _, err := x.env.Tx.CreateView(def); err != nil {
		return nil, err
	}
	// A concurrent DROP of what the view reads must not commit beside it (storage: 40001).
	for id := range deps.relations {
		x.env.Tx.DependOn(id)
	}
	return &Result{Tag: "CREATE VIEW"}, nil
}

// viewColumns names the view's columns: the names listed after the view's name, then the
// query's own names.
func viewColumns(s *parser.CreateViewStmt, qcols []Column) ([]string, error) {
	if len(s.Columns) > len(qcols) {
		return nil, errAt(s, schema.CodeSyntax, "CREATE VIEW specifies more column names than columns")
	}
	names := make([]string, len(qcols))
	seen := map[string]bool{}
	for i, c := range qcols {
		names[i] = c.Name
		if i < len(s.Columns) {
			names[i] = s.Columns[i]
		}
		if seen[names[i]] {
			return nil, errAt(s, schema.CodeDuplicateColumn, "column %q specified more than once", names[i])
		}
		seen[names[i]] = true
	}
	return names, nil
}

// checkReplace applies PostgreSQL's rule for CREATE OR REPLACE VIEW: the new query keeps the
// old columns — names and types, in order — and may only add columns at the end.
func (x *execution) checkReplace(old *schema.View, names []string, qcols []Column) error {
	// The old columns' types are those its query gives now; a view that no longer plans (one
	// that reads itself) keeps only its names to compare.
	oq, err := x.forView(x.read).planView(old)
	if len(names) < len(old.Columns) {
		return schema.Errorf("42P16", "cannot drop columns from view")
	}
	for i, name := range old.Columns {
		if name != names[i] {
			return schema.Errorf("42P16", "cannot change name of view column %q to %q", name, names[i])
		}
		if err != nil {
			continue
		}
		if ot, nt := oq.cols[i].Type, qcols[i].Type; ot != nt {
			return schema.Errorf("42P16", "cannot change data type of view column %q from %s to %s", name, typeName(ot), typeName(nt))
		}
	}
	return nil
}

// expandViewStars returns the query with the * and t.* of its select lists (of each SELECT of
// a set operation) replaced by references to the columns they stand for now. It copies the
// nodes it changes: the statement's tree is left as parsed.
func (x *execution) expandViewStars(stmt parser.Stmt) (parser.Stmt, error) {
	switch s := stmt.(type) {
	case *parser.SetOpStmt:
		l, err := x.expandViewStars(s.Left)
		if err != nil {
			return nil, err
		}
		r, err := x.expandViewStars(s.Right)
		if err != nil {
			return nil, err
		}
		c := *s
		c.Left, c.Right = l, r
		return &c, nil
	case *parser.WithStmt:
		// The main query's stars may stand for a CTE's columns: expand them with the CTEs in
		// scope, as planning does.
		done := x.pushCTEs(x.planner(), s)
		q, err := x.expandViewStars(s.Query)
		done()
		if err != nil {
			return nil, err
		}
		c := *s
		c.Query = q
		return &c, nil
	case *parser.SelectStmt:
		star := false
		for _, it := range s.Columns {
			star = star || it.Star
		}
		if !star {
			return s, nil
		}
		_, sc, err := x.planner().planFrom(s)
		if err != nil {
			return nil, err
		}
		items, err := expandStars(s.Columns, sc)
		if err != nil {
			return nil, err
		}
		c := *s
		c.Columns = make([]parser.SelectItem, len(items))
		for i, it := range items {
			c.Columns[i] = parser.SelectItem{At: it.ast.Pos(), Expr: it.ast, Alias: it.alias}
		}
		return &c, nil
	}
	return stmt, nil
}

// forView returns an execution that plans a view's query: reading st, with no parameters
// (a view's query has none) and no dependency recording of the caller's.
func (x *execution) forView(st *storage.State) *execution {
	vx := *x
	vx.read, vx.args, vx.deps, vx.ctes = st, nil, nil, nil
	return &vx
}

// viewStmt parses a view's stored query, once per statement.
func (x *execution) viewStmt(v *schema.View) (parser.Stmt, error) {
	if s, ok := x.parsed[v.Query]; ok {
		return s, nil
	}
	stmts, err := parser.Parse(v.Query)
	if err == nil && len(stmts) != 1 {
		err = errInternal("view %q holds %d statements", v.Name, len(stmts))
	}
	if err != nil {
		return nil, err
	}
	if x.parsed == nil {
		x.parsed = map[string]parser.Stmt{}
	}
	x.parsed[v.Query] = stmts[0]
	return stmts[0], nil
}

// planView plans the query of view v (or stmt, a rewriting of it) in x's state. It fails with 42P17 if v is already being
// expanded (a view that reads itself, through others), and with XX000 when the query no
// longer returns the view's columns.
func (x *execution) planView(v *schema.View, stmt ...parser.Stmt) (*query, error) {
	for _, id := range x.expanding {
		if id == v.ID && id != 0 {
			return nil, schema.Errorf("42P17", "infinite recursion detected in rules for relation %q", v.Name)
		}
	}
	if len(stmt) == 0 {
		s, err := x.viewStmt(v)
		if err != nil {
			return nil, err
		}
		stmt = append(stmt, s)
	}
	x.expanding = append(x.expanding[:len(x.expanding):len(x.expanding)], v.ID)
	defer func() { x.expanding = x.expanding[:len(x.expanding)-1] }()
	q, err := x.planner().planQuery(stmt[0])
	if err != nil {
		return nil, err
	}
	if len(q.cols) != len(v.Columns) {
		return nil, errInternal("view %q returns %d columns, its definition names %d", v.Name, len(q.cols), len(v.Columns))
	}
	return q, nil
}

// prepareView plans a view named in FROM as a subquery with the view's name (or the given
// alias) as its alias, in the state st that the reference reads.
func (p *planner) prepareView(n *parser.TableName, v *schema.View, st *storage.State, asOf string) (*unit, error) {
	if p.x.deps != nil && n.AsOf == nil {
		p.x.deps.relations[v.ID] = true
	}
	q, err := p.x.forView(st).planView(v)
	var se *schema.Error
	if errors.As(err, &se) && se.Code != "42P17" {
		// The position is in the view's text, not the statement's; say which view it is.
		return nil, errAt(n, se.Code, "view %q: %s", v.Name, se.Message)
	}
	if err != nil {
		return nil, positioned(err, n)
	}
	alias := n.Name
	if n.Alias != "" {
		alias = n.Alias
	}
	cols := make([]column, len(q.cols))
	for i, c := range q.cols {
		cols[i] = column{table: alias, name: v.Columns[i], typ: c.Type}
	}
	sc := p.newScope(cols)
	op := &subqueryScanOp{in: q.root, alias: alias, asOf: asOf}
	return &unit{sc: sc, build: func(conds []parser.Expr) (operator, error) {
		return p.buildView(v, st, op, sc, conds)
	}}, nil
}

// buildView plans a view reference with its conditions: those that can be are pushed into the
// view's query (view_push.go), which is then planned again; the rest filter its rows.
func (p *planner) buildView(v *schema.View, st *storage.State, op *subqueryScanOp, sc *scope, conds []parser.Expr) (operator, error) {
	stmt, err := p.x.viewStmt(v)
	if err != nil || len(conds) == 0 {
		return p.filtered(op, sc, conds)
	}
	targets := pushTargets(stmt)
	if targets == nil {
		return p.filtered(op, sc, conds)
	}
	var pushed, kept []parser.Expr
	for _, c := range conds {
		if r, ok := pushDown(c, op.alias, v.Columns, targets); ok {
			pushed = append(pushed, r)
		} else {
			kept = append(kept, c)
		}
	}
	if len(pushed) == 0 {
		return p.filtered(op, sc, conds)
	}
	vx := p.x.forView(st)
	vx.args = p.x.args // the pushed conditions may hold the statement's parameters
	q, err := vx.planView(v, withConds(stmt, pushed))
	if err != nil {
		return nil, err
	}
	return p.filtered(&subqueryScanOp{in: q.root, alias: op.alias, asOf: op.asOf}, sc, kept)
}

// errViewWrite is PostgreSQL's error for writing through a view that is not automatically
// updatable; eventsql writes through no view.
func (x *execution) errViewWrite(name string, at parser.Node) error {
	v, ok := x.read.View(name)
	if !ok {
		return nil
	}
	verb := "insert into"
	switch at.(type) {
	case *parser.UpdateStmt:
		verb = "update"
	case *parser.DeleteStmt:
		verb = "delete from"
	}
	return errAt(at, "55000", "cannot %s view %q", verb, v.Name)
}
