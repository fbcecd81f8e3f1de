package parser

// Pos is a position in the statement text: 1-based line and column (in bytes).
type Pos struct {
	Line, Col int
}

// Node is any node of the syntax tree.
type Node interface {
	Pos() Pos
}

// Stmt is a statement.
type Stmt interface {
	Node
	stmtNode()
}

// Expr is a scalar expression.
type Expr interface {
	Node
	exprNode()
}

// TableExpr is an item of a FROM clause: a table, a join, or a subquery.
type TableExpr interface {
	Node
	tableExprNode()
}

// ---- Statements -------------------------------------------------------------------------------

// TypeName is a type as written: Name is the canonical upper-case name ("INTEGER", "BIGINT",
// "SMALLINT", "REAL", "DOUBLE PRECISION", "FLOAT", "TEXT", "VARCHAR", "BOOLEAN", "TIMESTAMP",
// "NUMERIC", "DATE", ...), with synonyms folded (INT, INT4 → INTEGER; INT8 → BIGINT; INT2 →
// SMALLINT; BOOL → BOOLEAN; CHARACTER VARYING → VARCHAR; FLOAT8 → DOUBLE PRECISION; FLOAT4 →
// REAL). Args holds the parenthesized modifiers, e.g. [20] for VARCHAR(20).
type TypeName struct {
	At   Pos
	Name string
	Args []int
}

// ColumnDef is one column of CREATE TABLE or ALTER TABLE ADD COLUMN.
type ColumnDef struct {
	At         Pos
	Name       string
	Type       TypeName
	PrimaryKey bool
	NotNull    bool
	Unique     bool
	Default    Expr // nil when absent
	// Constraints holds the column's CHECK and REFERENCES constraints, and its PRIMARY KEY or
	// UNIQUE when written with a CONSTRAINT name (unnamed ones set the flags above). Their
	// Columns are nil: they constrain this column.
	Constraints []TableConstraint
}

// TableConstraint is a table-level [CONSTRAINT name] PRIMARY KEY (cols), UNIQUE (cols),
// CHECK (expr) or FOREIGN KEY (cols) REFERENCES ...; it is a CHECK when Check is set, a
// FOREIGN KEY when References is set, else a PRIMARY KEY or a UNIQUE.
type TableConstraint struct {
	At         Pos
	Name       string // "" when unnamed
	PrimaryKey bool   // false: UNIQUE (when Check and References are nil)
	Columns    []string
	Check      Expr
	References *References
}

// References is the REFERENCES part of a foreign key: the referenced table, its columns (nil:
// its primary key) and the referential actions as written ("" when absent, else "NO ACTION",
// "RESTRICT", "CASCADE", "SET NULL" or "SET DEFAULT").
type References struct {
	Table              string
	Columns            []string
	OnDelete, OnUpdate string
}

// CreateTableStmt is CREATE TABLE [IF NOT EXISTS] name (columns, constraints).
type CreateTableStmt struct {
	At          Pos
	IfNotExists bool
	Name        string
	Columns     []ColumnDef
	Constraints []TableConstraint
}

// DropTableStmt is DROP TABLE [IF EXISTS] name [, name ...] [CASCADE | RESTRICT].
type DropTableStmt struct {
	At       Pos
	IfExists bool
	Names    []string
	Cascade  bool // CASCADE: drop the views that depend on the tables too
}

// CreateViewStmt is CREATE [OR REPLACE] VIEW name [(column, ...)] AS query.
type CreateViewStmt struct {
	At      Pos
	Replace bool
	Name    string
	Columns []string // names for the query's first columns; empty: the query's own names
	Query   Stmt     // a *SelectStmt or *SetOpStmt
}

// DropViewStmt is DROP VIEW [IF EXISTS] name [, name ...] [CASCADE | RESTRICT].
type DropViewStmt struct {
	At       Pos
	IfExists bool
	Names    []string
	Cascade  bool
}

// AlterTableStmt is ALTER TABLE name action; exactly one of the action fields is set.
type AlterTableStmt struct {
	At        Pos
	Table     string
	AddColumn *AddColumn
	Drop      *DropColumn
	RenameCol *RenameColumn
	RenameTo  string // ALTER TABLE t RENAME TO new
	// AddConstraint is ADD table_constraint; DropConstraint is DROP CONSTRAINT.
	AddConstraint  *TableConstraint
	DropConstraint *DropConstraint
}

// DropConstraint is DROP CONSTRAINT [IF EXISTS] name.
type DropConstraint struct {
	IfExists bool
	Name     string
}

// AddColumn is ADD [COLUMN] [IF NOT EXISTS] column_def.
type AddColumn struct {
	IfNotExists bool
	Column      ColumnDef
}

// DropColumn is DROP [COLUMN] [IF EXISTS] name [CASCADE | RESTRICT].
type DropColumn struct {
	IfExists bool
	Name     string
	Cascade  bool
}

// RenameColumn is RENAME [COLUMN] old TO new.
type RenameColumn struct {
	Old, New string
}

// IndexColumn is one key column of CREATE INDEX.
type IndexColumn struct {
	Name string
	Desc bool
}

// CreateIndexStmt is CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table [USING method] (cols).
// Using is "" (default, B-tree), "btree" or "hash"; the parser accepts USING either before the
// column list (PostgreSQL's place) or after it.
type CreateIndexStmt struct {
	At          Pos
	Unique      bool
	IfNotExists bool
	Name        string
	Table       string
	Using       string
	Columns     []IndexColumn
}

// DropIndexStmt is DROP INDEX [IF EXISTS] name [, name ...].
type DropIndexStmt struct {
	At       Pos
	IfExists bool
	Names    []string
}

// InsertStmt is INSERT INTO table [(cols)] VALUES (...), (...) or INSERT INTO table [(cols)]
// SELECT .... In VALUES, the keyword DEFAULT appears as a *DefaultExpr.
type InsertStmt struct {
	At         Pos
	Table      string
	Alias      string
	Columns    []string
	Rows       [][]Expr
	Select     Stmt // *SelectStmt or *SetOpStmt; nil for VALUES
	OnConflict *OnConflict
	Returning  []SelectItem
}

// OnConflict is INSERT's ON CONFLICT [ (cols) | ON CONSTRAINT name ] DO NOTHING | DO UPDATE
// SET assignments [WHERE cond]. Columns and Constraint are empty when no target is given.
type OnConflict struct {
	At         Pos
	Columns    []string
	Constraint string
	Update     bool // false: DO NOTHING
	Set        []Assignment
	Where      Expr
}

// Assignment is one column = expr of UPDATE ... SET.
type Assignment struct {
	At     Pos
	Column string
	Value  Expr
}

// UpdateStmt is UPDATE table [[AS] alias] SET assignments [WHERE cond].
type UpdateStmt struct {
	At        Pos
	Table     string
	Alias     string
	Set       []Assignment
	Where     Expr
	Returning []SelectItem
}

// DeleteStmt is DELETE FROM table [[AS] alias] [WHERE cond].
type DeleteStmt struct {
	At        Pos
	Table     string
	Alias     string
	Where     Expr
	Returning []SelectItem
}

// SelectItem is one item of the select list: an expression with an optional alias, * (Star),
// or table.* (Star with Table set).
type SelectItem struct {
	At    Pos
	Expr  Expr
	Alias string
	Star  bool
	Table string
}

// OrderItem is one key of ORDER BY. NullsFirst is nil unless NULLS FIRST/LAST was written.
type OrderItem struct {
	At         Pos
	Expr       Expr
	Desc       bool
	NullsFirst *bool
}

// SelectStmt is one SELECT. From is nil for a SELECT without FROM; a comma list of tables is a
// chain of cross joins.
type SelectStmt struct {
	At       Pos
	Distinct bool
	Columns  []SelectItem
	From     TableExpr
	Where    Expr
	GroupBy  []Expr
	Having   Expr
	OrderBy  []OrderItem
	Limit    Expr
	Offset   Expr
}

// SetOp is a set operation between two queries.
type SetOp int

// The set operations.
const (
	Union SetOp = iota
	Intersect
	Except
)

func (o SetOp) String() string { return [...]string{"UNION", "INTERSECT", "EXCEPT"}[o] }

// SetOpStmt is left UNION|INTERSECT|EXCEPT [ALL] right, with the ORDER BY / LIMIT / OFFSET that
// apply to the whole result. Left and Right are *SelectStmt or *SetOpStmt.
type SetOpStmt struct {
	At      Pos
	Op      SetOp
	All     bool
	Left    Stmt
	Right   Stmt
	OrderBy []OrderItem
	Limit   Expr
	Offset  Expr
}

// WithStmt is WITH name [(columns)] AS (query) [, ...] query: common table expressions, each a
// named query that the main query (and the CTEs after it) can read like a table. Query is a
// *SelectStmt or *SetOpStmt.
type WithStmt struct {
	At        Pos
	Recursive bool
	CTEs      []CTE
	Query     Stmt
}

// CTE is one common table expression of a WITH.
type CTE struct {
	At      Pos
	Name    string
	Columns []string
	Query   Stmt
}

// BeginStmt is BEGIN [TRANSACTION | WORK] or START TRANSACTION.
type BeginStmt struct{ At Pos }

// CommitStmt is COMMIT [TRANSACTION | WORK] or END.
type CommitStmt struct{ At Pos }

// RollbackStmt is ROLLBACK [TRANSACTION | WORK].
type RollbackStmt struct{ At Pos }

// ExplainStmt is EXPLAIN [ANALYZE] stmt.
type ExplainStmt struct {
	At      Pos
	Analyze bool
	Stmt    Stmt
}

// ---- FROM items ------------------------------------------------------------------------------

// AsOf is a time-travel clause on a table reference: AS OF SEQ expr, or AS OF TIMESTAMP expr.
type AsOf struct {
	At        Pos
	Seq       Expr // set for AS OF SEQ
	Timestamp Expr // set for AS OF TIMESTAMP
	// SystemTime is set when it was written in SQL:2011's form, FOR SYSTEM_TIME AS OF [SEQ]
	// expr, which means the same.
	SystemTime bool
	// Range is set for SQL:2011's range forms, FOR SYSTEM_TIME ALL | BETWEEN lo AND hi |
	// FROM lo TO hi, which read every version of the rows in the range (Seq and Timestamp
	// are then nil).
	Range       RangeKind
	RangeBounds []TimeBound // lo, hi (none for ALL)
}

// RangeKind is which range of system time a table reference reads.
type RangeKind int

// The range forms: ALL versions; BETWEEN lo AND hi (both ends included); FROM lo TO hi (hi
// excluded).
const (
	NoRange RangeKind = iota
	RangeAll
	RangeBetween
	RangeFromTo
)

// TimeBound is one end of a system-time range: SEQ expr, or a timestamp expression.
type TimeBound struct {
	Seq bool
	X   Expr
}

// TableName is a table reference: name [AS OF ...] [[AS] alias] (AS OF may also follow the
// alias). Alias is "" when none was written.
type TableName struct {
	At Pos
	// Schema is the schema a qualified name names (eventsql.events), "" when unqualified.
	Schema string
	Name   string
	Alias  string
	AsOf   *AsOf
}

// JoinKind is the kind of a join.
type JoinKind int

// The join kinds. A comma in FROM is a CrossJoin.
const (
	InnerJoin JoinKind = iota
	LeftJoin
	RightJoin
	FullJoin
	CrossJoin
)

func (k JoinKind) String() string {
	return [...]string{"INNER JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN"}[k]
}

// JoinExpr is left JOIN right [ON cond | USING (cols)]. Comma is true when the join was written
// as a comma (it is then a CrossJoin), so the printer can print it back the same way.
type JoinExpr struct {
	At    Pos
	Kind  JoinKind
	Left  TableExpr
	Right TableExpr
	On    Expr
	Using []string
	Comma bool
}

// SubqueryTable is (SELECT ...) [AS] alias in FROM.
type SubqueryTable struct {
	At     Pos
	Select Stmt // *SelectStmt or *SetOpStmt
	Alias  string
}

// ---- Expressions -----------------------------------------------------------------------------

// LitKind is the kind of a literal.
type LitKind int

// The literal kinds. Integer literals too large for int64 are still LitInt: the executor
// decides (PostgreSQL makes them numeric).
const (
	LitNull LitKind = iota
	LitInt
	LitFloat
	LitString
	LitBool
)

// Literal is a constant as written. Text is the literal's value: digits for numbers, the
// unescaped contents for strings, "true"/"false" for booleans, "" for NULL.
type Literal struct {
	At   Pos
	Kind LitKind
	Text string
}

// ColumnRef is [table.]column.
type ColumnRef struct {
	At     Pos
	Table  string
	Column string
}

// Param is a placeholder: $n, or ? numbered by order of appearance from 1.
type Param struct {
	At    Pos
	Index int
}

// DefaultExpr is the keyword DEFAULT in an INSERT's VALUES list or in UPDATE ... SET c = DEFAULT.
type DefaultExpr struct{ At Pos }

// Op is an operator of a UnaryExpr or BinaryExpr.
type Op int

// The operators.
const (
	OpAdd           Op = iota // +
	OpSub                     // -
	OpMul                     // *
	OpDiv                     // /
	OpMod                     // %
	OpConcat                  // ||
	OpEq                      // =
	OpNe                      // <> or !=
	OpLt                      // <
	OpLe                      // <=
	OpGt                      // >
	OpGe                      // >=
	OpAnd                     // AND
	OpOr                      // OR
	OpNot                     // NOT (unary)
	OpNeg                     // - (unary)
	OpPlus                    // + (unary)
	OpPow                     // ^
	OpIsDistinct              // IS DISTINCT FROM
	OpIsNotDistinct           // IS NOT DISTINCT FROM
)

var opText = [...]string{"+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">", ">=", "AND", "OR", "NOT", "-", "+",
	"^", "IS DISTINCT FROM", "IS NOT DISTINCT FROM"}

func (o Op) String() string { return opText[o] }

// UnaryExpr is NOT x, -x or +x.
type UnaryExpr struct {
	At Pos
	Op Op
	X  Expr
}

// BinaryExpr is l op r.
type BinaryExpr struct {
	At   Pos
	Op   Op
	L, R Expr
}

// IsNullExpr is x IS [NOT] NULL, or with Test set x IS [NOT] TRUE | FALSE | UNKNOWN.
type IsNullExpr struct {
	At   Pos
	X    Expr
	Not  bool
	Test IsTest
}

// IsTest is what an IS test compares with.
type IsTest int

// The IS tests. IS UNKNOWN is IS NULL for booleans.
const (
	IsNull IsTest = iota
	IsTrue
	IsFalse
	IsUnknown
)

func (t IsTest) String() string { return [...]string{"NULL", "TRUE", "FALSE", "UNKNOWN"}[t] }

// InExpr is x [NOT] IN (list) or x [NOT] IN (subquery); exactly one of List and Select is set.
type InExpr struct {
	At     Pos
	X      Expr
	Not    bool
	List   []Expr
	Select Stmt
}

// BetweenExpr is x [NOT] BETWEEN [SYMMETRIC] lo AND hi. SYMMETRIC accepts the bounds in
// either order.
type BetweenExpr struct {
	At        Pos
	X         Expr
	Lo, Hi    Expr
	Not       bool
	Symmetric bool
}

// QuantifiedExpr is x op ANY (subquery) or x op ALL (subquery): the comparison op against
// every row of the subquery, true if any (all) of them are. SOME is a synonym of ANY.
type QuantifiedExpr struct {
	At     Pos
	X      Expr
	Op     Op // a comparison operator
	All    bool
	Select Stmt
}

// LikeExpr is x [NOT] LIKE|ILIKE pattern [ESCAPE esc].
type LikeExpr struct {
	At              Pos
	X               Expr
	Pattern         Expr
	Escape          Expr // nil when absent
	Not             bool
	CaseInsensitive bool
}

// FuncCall is name(args), name(*) (Star, for COUNT(*)), or name(DISTINCT args). Name is lower
// case. An aggregate call may order its input: string_agg(x, ',' ORDER BY x).
type FuncCall struct {
	At       Pos
	Name     string
	Args     []Expr
	Star     bool
	Distinct bool
	OrderBy  []OrderItem
}

// CastExpr is CAST(x AS type), x::type, or a typed literal such as TIMESTAMP '...'.
type CastExpr struct {
	At   Pos
	X    Expr
	Type TypeName
}

// When is one WHEN cond THEN result arm of a CASE.
type When struct {
	Cond, Result Expr
}

// CaseExpr is CASE [operand] WHEN ... THEN ... [ELSE ...] END.
type CaseExpr struct {
	At      Pos
	Operand Expr // nil for a searched CASE
	Whens   []When
	Else    Expr
}

// SubqueryExpr is a scalar subquery: (SELECT ...).
type SubqueryExpr struct {
	At     Pos
	Select Stmt
}

// ExistsExpr is [NOT] EXISTS (SELECT ...).
type ExistsExpr struct {
	At     Pos
	Select Stmt
	Not    bool
}

// ParenExpr is (x). The parser keeps it so that printing preserves the author's grouping; it
// has no meaning of its own.
type ParenExpr struct {
	At Pos
	X  Expr
}

// ---- Node plumbing ---------------------------------------------------------------------------

func (n *CreateTableStmt) Pos() Pos { return n.At }
func (n *DropTableStmt) Pos() Pos   { return n.At }
func (n *CreateViewStmt) Pos() Pos  { return n.At }
func (n *DropViewStmt) Pos() Pos    { return n.At }
func (n *AlterTableStmt) Pos() Pos  { return n.At }
func (n *CreateIndexStmt) Pos() Pos { return n.At }
func (n *DropIndexStmt) Pos() Pos   { return n.At }
func (n *InsertStmt) Pos() Pos      { return n.At }
func (n *UpdateStmt) Pos() Pos      { return n.At }
func (n *DeleteStmt) Pos() Pos      { return n.At }
func (n *SelectStmt) Pos() Pos      { return n.At }
func (n *SetOpStmt) Pos() Pos       { return n.At }
func (n *WithStmt) Pos() Pos        { return n.At }
func (n *BeginStmt) Pos() Pos       { return n.At }
func (n *CommitStmt) Pos() Pos      { return n.At }
func (n *RollbackStmt) Pos() Pos    { return n.At }
func (n *ExplainStmt) Pos() Pos     { return n.At }

func (*CreateTableStmt) stmtNode() {}
func (*DropTableStmt) stmtNode()   {}
func (*CreateViewStmt) stmtNode()  {}
func (*DropViewStmt) stmtNode()    {}
func (*AlterTableStmt) stmtNode()  {}
func (*CreateIndexStmt) stmtNode() {}
func (*DropIndexStmt) stmtNode()   {}
func (*InsertStmt) stmtNode()      {}
func (*UpdateStmt) stmtNode()      {}
func (*DeleteStmt) stmtNode()      {}
func (*SelectStmt) stmtNode()      {}
func (*SetOpStmt) stmtNode()       {}
func (*WithStmt) stmtNode()        {}
func (*BeginStmt) stmtNode()       {}
func (*CommitStmt) stmtNode()      {}
func (*RollbackStmt) stmtNode()    {}
func (*ExplainStmt) stmtNode()     {}

func (n *TableName) Pos() Pos     { return n.At }
func (n *JoinExpr) Pos() Pos      { return n.At }
func (n *SubqueryTable) Pos() Pos { return n.At }

func (*TableName) tableExprNode()     {}
func (*JoinExpr) tableExprNode()      {}
func (*SubqueryTable) tableExprNode() {}

func (n *Literal) Pos() Pos        { return n.At }
func (n *ColumnRef) Pos() Pos      { return n.At }
func (n *Param) Pos() Pos          { return n.At }
func (n *DefaultExpr) Pos() Pos    { return n.At }
func (n *UnaryExpr) Pos() Pos      { return n.At }
func (n *BinaryExpr) Pos() Pos     { return n.At }
func (n *IsNullExpr) Pos() Pos     { return n.At }
func (n *InExpr) Pos() Pos         { return n.At }
func (n *BetweenExpr) Pos() Pos    { return n.At }
func (n *QuantifiedExpr) Pos() Pos { return n.At }
func (n *LikeExpr) Pos() Pos       { return n.At }
func (n *FuncCall) Pos() Pos       { return n.At }
func (n *CastExpr) Pos() Pos       { return n.At }
func (n *CaseExpr) Pos() Pos       { return n.At }
func (n *SubqueryExpr) Pos() Pos   { return n.At }
func (n *ExistsExpr) Pos() Pos     { return n.At }
func (n *ParenExpr) Pos() Pos      { return n.At }

func (*Literal) exprNode()        {}
func (*ColumnRef) exprNode()      {}
func (*Param) exprNode()          {}
func (*DefaultExpr) exprNode()    {}
func (*UnaryExpr) exprNode()      {}
func (*BinaryExpr) exprNode()     {}
func (*IsNullExpr) exprNode()     {}
func (*InExpr) exprNode()         {}
func (*BetweenExpr) exprNode()    {}
func (*QuantifiedExpr) exprNode() {}
func (*LikeExpr) exprNode()       {}
func (*FuncCall) exprNode()       {}
func (*CastExpr) exprNode()       {}
func (*CaseExpr) exprNode()       {}
func (*SubqueryExpr) exprNode()   {}
func (*ExistsExpr) exprNode()     {}
func (*ParenExpr) exprNode()      {}
