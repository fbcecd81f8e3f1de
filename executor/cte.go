package executor

import (
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Common table expressions (WITH name AS (query) ...). A CTE is planned where it is read, as a
// subquery in FROM named by the CTE: a query that reads one twice plans it twice, which gives
// the same rows, since its query reads one state. WITH RECURSIVE is not supported.

// cteDef is a CTE in scope: its definition, and the planner of the query that declares it,
// whose enclosing scopes its query may read.
type cteDef struct {
	cte *parser.CTE
	p   *planner
}

// planWith plans a query with CTEs: they are in scope while its query is planned.
func (p *planner) planWith(s *parser.WithStmt) (*query, error) {
	if s.Recursive {
		return nil, errAt(s, schema.CodeFeatureUnsupported, "WITH RECURSIVE is not supported")
	}
	seen := map[string]bool{}
	for _, c := range s.CTEs {
		if seen[c.Name] {
			return nil, errAtPos(c.At, "42712", "WITH query name %q specified more than once", c.Name)
		}
		seen[c.Name] = true
	}
	done := p.x.pushCTEs(p, s)
	defer done()
	return p.planQuery(s.Query)
}

// pushCTEs puts the CTEs of s in scope, declared by p; the function returned takes them out.
func (x *execution) pushCTEs(p *planner, s *parser.WithStmt) func() {
	n := len(x.ctes)
	for i := range s.CTEs {
		x.ctes = append(x.ctes, cteDef{cte: &s.CTEs[i], p: p})
	}
	return func() { x.ctes = x.ctes[:n] }
}

// lookupCTE returns the index in x.ctes of the innermost CTE named name, or -1.
func (x *execution) lookupCTE(name string) int {
	for i := len(x.ctes) - 1; i >= 0; i-- {
		if strings.EqualFold(x.ctes[i].cte.Name, name) {
			return i
		}
	}
	return -1
}

// prepareCTE plans a reference to CTE i as a subquery named by the reference. The CTE's query
// sees only the CTEs declared before it (a CTE cannot read itself or a later one) and the
// scopes around its WITH.
func (p *planner) prepareCTE(n *parser.TableName, i int) (*unit, error) {
	def := p.x.ctes[i]
	if n.AsOf != nil {
		return nil, errAt(n, schema.CodeFeatureUnsupported, "AS OF cannot be applied to WITH query %q", def.cte.Name)
	}
	saved := p.x.ctes
	p.x.ctes = saved[:i:i]
	inner := *def.p
	inner.keepUnknown = false
	q, err := inner.planQuery(def.cte.Query)
	p.x.ctes = saved
	if err != nil {
		return nil, err
	}
	if len(def.cte.Columns) > len(q.cols) {
		return nil, errAt(n, "42P10", "WITH query %q has %d columns available but %d columns specified",
			def.cte.Name, len(q.cols), len(def.cte.Columns))
	}
	alias := n.Name
	if n.Alias != "" {
		alias = n.Alias
	}
	cols := make([]column, len(q.cols))
	for j, c := range q.cols {
		name := c.Name
		if j < len(def.cte.Columns) {
			name = def.cte.Columns[j]
		}
		cols[j] = column{table: alias, name: name, typ: c.Type}
	}
	sc := p.newScope(cols)
	op := &subqueryScanOp{in: q.root, alias: alias}
	return &unit{sc: sc, build: func(conds []parser.Expr) (operator, error) {
		return p.filtered(op, sc, conds)
	}}, nil
}
