package parser

import (
	"strconv"
	"strings"
)

// Format prints n as SQL text on one line, keywords in upper case. For any tree that Parse
// or ParseExpr returned, the text parses back to an equal tree (positions aside): the tree
// keeps the author's parentheses as ParenExpr, and the printer adds parentheses only where
// a hand-built tree needs them (printer_expr.go). Format panics on an unknown node type.
func Format(n Node) string {
	var p printer
	switch n := n.(type) {
	case Stmt:
		p.stmt(n)
	case Expr:
		p.expr(n, precOr, LowestPrec)
	case TableExpr:
		p.tableExpr(n)
	default:
		panic("parser.Format: unknown node " + strconv.Quote(typeName(n)))
	}
	return p.String()
}

// printer accumulates the text.
type printer struct {
	strings.Builder
}

func (p *printer) name(s string) { p.WriteString(quoteName(s, Unreserved)) }

func (p *printer) names(list []string) {
	for i, s := range list {
		if i > 0 {
			p.WriteString(", ")
		}
		p.name(s)
	}
}

func (p *printer) stmt(s Stmt) {
	switch s := s.(type) {
	case *SelectStmt:
		p.selectStmt(s)
	case *SetOpStmt:
		p.setOp(s)
	case *WithStmt:
		p.with(s)
	case *InsertStmt:
		p.insert(s)
	case *UpdateStmt:
		p.WriteString("UPDATE ")
		p.name(s.Table)
		p.alias(s.Alias)
		p.WriteString(" SET ")
		for i, a := range s.Set {
			if i > 0 {
				p.WriteString(", ")
			}
			p.name(a.Column)
			p.WriteString(" = ")
			p.expr(a.Value, precOr, LowestPrec)
		}
		p.where(s.Where)
		p.returning(s.Returning)
	case *DeleteStmt:
		p.WriteString("DELETE FROM ")
		p.name(s.Table)
		p.alias(s.Alias)
		p.where(s.Where)
		p.returning(s.Returning)
	case *CreateTableStmt:
		p.createTable(s)
	case *DropTableStmt:
		p.WriteString("DROP TABLE ")
		p.ifExists(s.IfExists)
		p.names(s.Names)
		p.cascade(s.Cascade)
	case *CreateViewStmt:
		p.createView(s)
	case *DropViewStmt:
		p.WriteString("DROP VIEW ")
		p.ifExists(s.IfExists)
		p.names(s.Names)
		p.cascade(s.Cascade)
	case *AlterTableStmt:
		p.alterTable(s)
	case *CreateIndexStmt:
		p.createIndex(s)
	case *DropIndexStmt:
		p.WriteString("DROP INDEX ")
		p.ifExists(s.IfExists)
		p.names(s.Names)
	case *BeginStmt:
		p.WriteString("BEGIN")
	case *CommitStmt:
		p.WriteString("COMMIT")
	case *RollbackStmt:
		p.WriteString("ROLLBACK")
	case *SetStmt:
		if s.Name == "as of" {
			if s.AsOf == nil {
				p.WriteString("RESET SESSION AS OF")
				break
			}
			p.WriteString("SET SESSION")
			p.asOf(s.AsOf)
			break
		}
		p.WriteString("SET ")
		if s.Local {
			p.WriteString("LOCAL ")
		}
		p.WriteString(s.Name + " TO ")
		if s.Default {
			p.WriteString("DEFAULT")
		} else {
			p.WriteString("'" + strings.ReplaceAll(s.Value, "'", "''") + "'")
		}
	case *ShowStmt:
		p.WriteString("SHOW " + s.Name)
	case *ExplainStmt:
		p.WriteString("EXPLAIN ")
		if s.Analyze {
			p.WriteString("ANALYZE ")
		}
		p.stmt(s.Stmt)
	default:
		panic("parser.Format: unknown statement " + strconv.Quote(typeName(s)))
	}
}

func (p *printer) ifExists(b bool) {
	if b {
		p.WriteString("IF EXISTS ")
	}
}

func (p *printer) cascade(b bool) {
	if b {
		p.WriteString(" CASCADE")
	}
}

func (p *printer) createView(s *CreateViewStmt) {
	p.WriteString("CREATE ")
	if s.Replace {
		p.WriteString("OR REPLACE ")
	}
	p.WriteString("VIEW ")
	p.nameWithColumns(s.Name, s.Columns)
	p.WriteString(" AS ")
	p.stmt(s.Query)
}

func (p *printer) ifNotExists(b bool) {
	if b {
		p.WriteString("IF NOT EXISTS ")
	}
}

func (p *printer) alias(a string) {
	if a != "" {
		p.WriteString(" AS ")
		p.name(a)
	}
}

func (p *printer) where(x Expr) {
	if x != nil {
		p.WriteString(" WHERE ")
		p.expr(x, precOr, LowestPrec)
	}
}

func (p *printer) insert(s *InsertStmt) {
	p.WriteString("INSERT INTO ")
	p.name(s.Table)
	p.alias(s.Alias)
	if len(s.Columns) > 0 {
		p.WriteString(" (")
		p.names(s.Columns)
		p.WriteString(")")
	}
	if s.Select != nil {
		p.WriteString(" ")
		p.stmt(s.Select)
	} else {
		p.WriteString(" VALUES ")
		for i, row := range s.Rows {
			if i > 0 {
				p.WriteString(", ")
			}
			p.WriteString("(")
			p.exprList(row)
			p.WriteString(")")
		}
	}
	if oc := s.OnConflict; oc != nil {
		p.WriteString(" ON CONFLICT")
		if len(oc.Columns) > 0 {
			p.WriteString(" (")
			p.names(oc.Columns)
			p.WriteString(")")
		}
		if oc.Constraint != "" {
			p.WriteString(" ON CONSTRAINT ")
			p.name(oc.Constraint)
		}
		if oc.Update {
			p.WriteString(" DO UPDATE SET ")
			p.assignments(oc.Set)
			p.where(oc.Where)
		} else {
			p.WriteString(" DO NOTHING")
		}
	}
	p.returning(s.Returning)
}

func (p *printer) assignments(set []Assignment) {
	for i, a := range set {
		if i > 0 {
			p.WriteString(", ")
		}
		p.name(a.Column)
		p.WriteString(" = ")
		p.expr(a.Value, precOr, LowestPrec)
	}
}

func (p *printer) returning(items []SelectItem) {
	if len(items) > 0 {
		p.WriteString(" RETURNING ")
		p.selectItems(items)
	}
}

// constraint prints a table constraint, or (when column is true) a column constraint.
func (p *printer) constraint(c *TableConstraint, column bool) {
	if c.Name != "" {
		p.WriteString("CONSTRAINT ")
		p.name(c.Name)
		p.WriteString(" ")
	}
	switch {
	case c.Check != nil:
		p.WriteString("CHECK (")
		p.expr(c.Check, precOr, LowestPrec)
		p.WriteString(")")
		return
	case c.References != nil && column:
	case c.References != nil:
		p.WriteString("FOREIGN KEY")
	case c.PrimaryKey:
		p.WriteString("PRIMARY KEY")
	default:
		p.WriteString("UNIQUE")
	}
	if !column {
		p.WriteString(" (")
		p.names(c.Columns)
		p.WriteString(")")
	}
	if r := c.References; r != nil {
		if !column {
			p.WriteString(" ")
		}
		p.WriteString("REFERENCES ")
		p.name(r.Table)
		if len(r.Columns) > 0 {
			p.WriteString(" (")
			p.names(r.Columns)
			p.WriteString(")")
		}
		if r.OnDelete != "" {
			p.WriteString(" ON DELETE " + r.OnDelete)
		}
		if r.OnUpdate != "" {
			p.WriteString(" ON UPDATE " + r.OnUpdate)
		}
	}
}

func (p *printer) createTable(s *CreateTableStmt) {
	p.WriteString("CREATE TABLE ")
	p.ifNotExists(s.IfNotExists)
	p.name(s.Name)
	p.WriteString(" (")
	for i := range s.Columns {
		if i > 0 {
			p.WriteString(", ")
		}
		p.columnDef(&s.Columns[i])
	}
	for i := range s.Constraints {
		if i > 0 || len(s.Columns) > 0 {
			p.WriteString(", ")
		}
		p.constraint(&s.Constraints[i], false)
	}
	p.WriteString(")")
}

func (p *printer) columnDef(c *ColumnDef) {
	p.name(c.Name)
	p.WriteString(" ")
	p.typeName(c.Type)
	if c.PrimaryKey {
		p.WriteString(" PRIMARY KEY")
	}
	if c.NotNull {
		p.WriteString(" NOT NULL")
	}
	if c.Unique {
		p.WriteString(" UNIQUE")
	}
	if c.Default != nil {
		p.WriteString(" DEFAULT ")
		// The parser reads a DEFAULT at comparison level (see parseColumnDef).
		p.expr(c.Default, precCompare, LowestPrec)
	}
	for i := range c.Constraints {
		p.WriteString(" ")
		p.constraint(&c.Constraints[i], true)
	}
}

func (p *printer) typeName(t TypeName) {
	p.WriteString(t.Name)
	if len(t.Args) > 0 {
		p.WriteString("(")
		for i, a := range t.Args {
			if i > 0 {
				p.WriteString(", ")
			}
			p.WriteString(strconv.Itoa(a))
		}
		p.WriteString(")")
	}
}

func (p *printer) alterTable(s *AlterTableStmt) {
	p.WriteString("ALTER TABLE ")
	p.name(s.Table)
	switch {
	case s.AddConstraint != nil:
		p.WriteString(" ADD ")
		p.constraint(s.AddConstraint, false)
	case s.DropConstraint != nil:
		p.WriteString(" DROP CONSTRAINT ")
		p.ifExists(s.DropConstraint.IfExists)
		p.name(s.DropConstraint.Name)
	case s.AddColumn != nil:
		p.WriteString(" ADD COLUMN ")
		p.ifNotExists(s.AddColumn.IfNotExists)
		p.columnDef(&s.AddColumn.Column)
	case s.Drop != nil:
		p.WriteString(" DROP COLUMN ")
		p.ifExists(s.Drop.IfExists)
		p.name(s.Drop.Name)
		p.cascade(s.Drop.Cascade)
	case s.RenameCol != nil:
		p.WriteString(" RENAME COLUMN ")
		p.name(s.RenameCol.Old)
		p.WriteString(" TO ")
		p.name(s.RenameCol.New)
	default:
		p.WriteString(" RENAME TO ")
		p.name(s.RenameTo)
	}
}

func (p *printer) createIndex(s *CreateIndexStmt) {
	p.WriteString("CREATE ")
	if s.Unique {
		p.WriteString("UNIQUE ")
	}
	p.WriteString("INDEX ")
	p.ifNotExists(s.IfNotExists)
	p.name(s.Name)
	p.WriteString(" ON ")
	p.name(s.Table)
	if s.Using != "" {
		p.WriteString(" USING ")
		p.WriteString(upper(s.Using))
	}
	p.WriteString(" (")
	for i, c := range s.Columns {
		if i > 0 {
			p.WriteString(", ")
		}
		p.name(c.Name)
		if c.Desc {
			p.WriteString(" DESC")
		}
	}
	p.WriteString(")")
}

// ---- Queries ---------------------------------------------------------------------------------

func (p *printer) selectStmt(s *SelectStmt) {
	p.WriteString("SELECT ")
	if s.Distinct {
		p.WriteString("DISTINCT ")
	}
	p.selectItems(s.Columns)
	if s.From != nil {
		p.WriteString(" FROM ")
		p.tableExpr(s.From)
	}
	p.where(s.Where)
	if len(s.GroupBy) > 0 {
		p.WriteString(" GROUP BY ")
		p.exprList(s.GroupBy)
	}
	if s.Having != nil {
		p.WriteString(" HAVING ")
		p.expr(s.Having, precOr, LowestPrec)
	}
	p.queryTail(s.OrderBy, s.Limit, s.Offset)
}

func (p *printer) selectItems(items []SelectItem) {
	for i, it := range items {
		if i > 0 {
			p.WriteString(", ")
		}
		switch {
		case it.Star && it.Table != "":
			p.name(it.Table)
			p.WriteString(".*")
		case it.Star:
			p.WriteString("*")
		default:
			p.expr(it.Expr, precOr, LowestPrec)
			p.alias(it.Alias)
		}
	}
}

func (p *printer) queryTail(orderBy []OrderItem, limit, offset Expr) {
	if len(orderBy) > 0 {
		p.WriteString(" ORDER BY ")
		for i, it := range orderBy {
			if i > 0 {
				p.WriteString(", ")
			}
			p.expr(it.Expr, precOr, LowestPrec)
			if it.Desc {
				p.WriteString(" DESC")
			}
			if it.NullsFirst != nil {
				if *it.NullsFirst {
					p.WriteString(" NULLS FIRST")
				} else {
					p.WriteString(" NULLS LAST")
				}
			}
		}
	}
	if limit != nil {
		p.WriteString(" LIMIT ")
		p.expr(limit, precOr, LowestPrec)
	}
	if offset != nil {
		p.WriteString(" OFFSET ")
		p.expr(offset, precOr, LowestPrec)
	}
}

// setOp prints a set operation. Parentheses leave no node in the tree, so they are put
// back where the shape needs them: around an operand with its own ORDER BY or LIMIT, around
// a looser operation on the left (INTERSECT binds tighter), and around an equal or looser
// one on the right (all are left-associative).
func (p *printer) setOp(s *SetOpStmt) {
	_, prec := setOpPrec(setOpToken[s.Op])
	p.setOperand(s.Left, func(q int) bool { return q < prec })
	p.WriteString(" ")
	p.WriteString(s.Op.String())
	if s.All {
		p.WriteString(" ALL")
	}
	p.WriteString(" ")
	p.setOperand(s.Right, func(q int) bool { return q <= prec })
	p.queryTail(s.OrderBy, s.Limit, s.Offset)
}

var setOpToken = [...]Token{Union: UNION, Intersect: INTERSECT, Except: EXCEPT}

func (p *printer) setOperand(s Stmt, looser func(int) bool) {
	paren := false
	switch s := s.(type) {
	case *SelectStmt:
		paren = s.OrderBy != nil || s.Limit != nil || s.Offset != nil
	case *SetOpStmt:
		_, q := setOpPrec(setOpToken[s.Op])
		paren = s.OrderBy != nil || s.Limit != nil || s.Offset != nil || looser(q)
	case *WithStmt:
		paren = true // its WITH would otherwise cover the whole set operation
	}
	if paren {
		p.WriteString("(")
		p.stmt(s)
		p.WriteString(")")
	} else {
		p.stmt(s)
	}
}

// tableExpr prints a FROM item. Joins are left-deep; a join on the right of another was
// parenthesized in the input (or taken in by a join waiting for its ON) and is printed in
// parentheses.
func (p *printer) tableExpr(t TableExpr) {
	switch t := t.(type) {
	case *TableName:
		if t.Schema != "" {
			p.name(t.Schema)
			p.WriteString(".")
		}
		p.name(t.Name)
		p.asOf(t.AsOf)
		p.alias(t.Alias)
	case *SubqueryTable:
		p.WriteString("(")
		p.stmt(t.Select)
		p.WriteString(")")
		p.alias(t.Alias)
	case *JoinExpr:
		p.tableExpr(t.Left)
		if t.Comma {
			p.WriteString(", ")
			p.tableExpr(t.Right)
			return
		}
		if t.Kind == InnerJoin {
			p.WriteString(" JOIN ")
		} else {
			p.WriteString(" " + t.Kind.String() + " ")
		}
		if _, ok := t.Right.(*JoinExpr); ok {
			p.WriteString("(")
			p.tableExpr(t.Right)
			p.WriteString(")")
		} else {
			p.tableExpr(t.Right)
		}
		if t.On != nil {
			p.WriteString(" ON ")
			p.expr(t.On, precOr, LowestPrec)
		} else if len(t.Using) > 0 {
			p.WriteString(" USING (")
			p.names(t.Using)
			p.WriteString(")")
		}
	default:
		panic("parser.Format: unknown table expression " + strconv.Quote(typeName(t)))
	}
}

func (p *printer) with(s *WithStmt) {
	p.WriteString("WITH ")
	if s.Recursive {
		p.WriteString("RECURSIVE ")
	}
	for i, c := range s.CTEs {
		if i > 0 {
			p.WriteString(", ")
		}
		p.nameWithColumns(c.Name, c.Columns)
		p.WriteString(" AS (")
		p.stmt(c.Query)
		p.WriteString(")")
	}
	p.WriteString(" ")
	p.stmt(s.Query)
}

func (p *printer) systemTimeRange(a *AsOf) {
	bound := func(b TimeBound, r int) {
		if b.Seq {
			p.WriteString("SEQ ")
		}
		p.expr(b.X, precOther, r)
	}
	switch a.Range {
	case RangeAll:
		p.WriteString(" FOR SYSTEM_TIME ALL")
	case RangeBetween:
		p.WriteString(" FOR SYSTEM_TIME BETWEEN ")
		bound(a.RangeBounds[0], precAnd)
		p.WriteString(" AND ")
		bound(a.RangeBounds[1], LowestPrec)
	case RangeFromTo:
		p.WriteString(" FOR SYSTEM_TIME FROM ")
		bound(a.RangeBounds[0], LowestPrec)
		p.WriteString(" TO ")
		bound(a.RangeBounds[1], LowestPrec)
	}
}

// asOf prints a table reference's AS OF or FOR SYSTEM_TIME clause (nothing for nil).
func (p *printer) asOf(a *AsOf) {
	t := &TableName{AsOf: a}
	if t.AsOf != nil && t.AsOf.Range != NoRange {
		p.systemTimeRange(t.AsOf)
	} else if t.AsOf != nil {
		kw := " AS OF"
		if t.AsOf.SystemTime {
			kw = " FOR SYSTEM_TIME AS OF"
		}
		if t.AsOf.Seq != nil {
			p.WriteString(kw + " SEQ ")
			p.expr(t.AsOf.Seq, precOr, LowestPrec)
		} else {
			if !t.AsOf.SystemTime {
				kw += " TIMESTAMP"
			}
			p.WriteString(kw + " ")
			p.expr(t.AsOf.Timestamp, precOr, LowestPrec)
		}
	}
}

// nameWithColumns prints a view's or CTE's name and its optional column names.
func (p *printer) nameWithColumns(name string, cols []string) {
	p.name(name)
	if len(cols) > 0 {
		p.WriteString(" (")
		p.names(cols)
		p.WriteString(")")
	}
}
