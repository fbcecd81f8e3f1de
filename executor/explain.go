package executor

import (
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// planNode is one line of EXPLAIN output with the lines under it.
type planNode struct {
	label    string
	details  []string // "Filter: ...", "Sort Key: ...": printed under the label
	children []*planNode
}

// explain plans a statement without running it and returns its plan as rows of one text
// column, in PostgreSQL's layout:
//
//	Hash Join (t.a = u.b)
//	  ->  Seq Scan on t
//	  ->  Hash
//	        ->  Seq Scan on u
//	              Filter: (u.c > 1)
func (x *execution) explain(s *parser.ExplainStmt) (*Result, error) {
	if s.Analyze {
		return nil, errUnsupported(s, "EXPLAIN ANALYZE")
	}
	var root *planNode
	switch st := s.Stmt.(type) {
	case *parser.SelectStmt, *parser.SetOpStmt, *parser.WithStmt:
		q, err := x.planner().planQuery(st)
		if err != nil {
			return nil, err
		}
		root = q.root.explain()
	case *parser.UpdateStmt:
		w, err := x.planUpdate(st)
		if err != nil {
			return nil, err
		}
		root = &planNode{label: "Update on " + w.scan.bt.def.Name, children: []*planNode{w.scan.explain()}}
	case *parser.DeleteStmt:
		scan, _, err := x.planDelete(st)
		if err != nil {
			return nil, err
		}
		root = &planNode{label: "Delete on " + scan.bt.def.Name, children: []*planNode{scan.explain()}}
	case *parser.InsertStmt:
		ins, err := x.planInsert(st)
		if err != nil {
			return nil, err
		}
		root = &planNode{label: "Insert on " + ins.def.Name, children: []*planNode{ins.source.explain()}}
	default:
		return nil, errUnsupported(s.Stmt, "EXPLAIN of this statement")
	}
	var lines []string
	render(root, 0, false, &lines)
	res := &Result{Columns: []Column{{Name: "QUERY PLAN", Type: schema.Text}}, Tag: "EXPLAIN"}
	for _, l := range lines {
		res.Rows = append(res.Rows, schema.Row{schema.Str(l)})
	}
	return res, nil
}

// render writes n at the given indent: a child's label gets an arrow, and its details and
// children are indented to line up under the label's text.
func render(n *planNode, indent int, child bool, lines *[]string) {
	pad := strings.Repeat(" ", indent)
	inner := indent + 2
	if child {
		*lines = append(*lines, pad+"->  "+n.label)
		inner = indent + 6
	} else {
		*lines = append(*lines, pad+n.label)
	}
	for _, d := range n.details {
		*lines = append(*lines, strings.Repeat(" ", inner)+d)
	}
	for _, c := range n.children {
		render(c, inner, true, lines)
	}
}

func (s *scanOp) explain() *planNode {
	name := s.bt.def.Name
	if !strings.EqualFold(s.bt.qual, name) {
		name += " " + s.bt.qual
	}
	name += s.bt.asOf
	a := s.access
	n := &planNode{label: "Seq Scan on " + name}
	if a.kind != seqScan {
		n.label = "Index Scan using " + a.ixDef.Name + " on " + name
		if a.desc {
			n.label = "Index Scan Backward using " + a.ixDef.Name + " on " + name
		}
		if len(a.conds) > 0 {
			n.label += " " + formatConds(a.conds)
		}
	}
	var rest []parser.Expr
	for _, c := range s.conds {
		if !containsExpr(a.conds, c) {
			rest = append(rest, c)
		}
	}
	if len(rest) > 0 {
		n.details = append(n.details, "Filter: "+formatConds(rest))
	}
	return n
}

// format prints an expression as SQL.
func format(e parser.Node) string {
	if e == nil {
		return ""
	}
	return parser.Format(e)
}

// formatConds prints conditions ANDed, parenthesized as PostgreSQL prints them.
func formatConds(conds []parser.Expr) string {
	parts := make([]string, len(conds))
	for i, c := range conds {
		parts[i] = format(unparen(c))
	}
	s := strings.Join(parts, " AND ")
	if len(conds) == 1 {
		switch unparen(conds[0]).(type) {
		case *parser.Literal, *parser.ColumnRef, *parser.Param, *parser.FuncCall:
			return s // an atom needs no parentheses
		}
	}
	return "(" + s + ")"
}

func joinText(parts []string) string { return strings.Join(parts, ", ") }
