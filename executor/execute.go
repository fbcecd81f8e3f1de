package executor

import (
	"context"
	"time"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// Env is what a statement runs against. Tx is the transaction's workspace: reads see
// Tx.State() (the committed base plus the transaction's own writes), writes go to Tx. Store
// is consulted only for AS OF reads of older states; it may be nil when none are needed.
type Env struct {
	Tx    *storage.Tx
	Store *storage.Store
	// NoIndexScans makes every table access a sequential scan (and every join a hash join or
	// nested loop). Results must not change: the tests run every script both ways.
	NoIndexScans bool
	// TxStart is when the transaction began: now() and CURRENT_TIMESTAMP return it for every
	// statement of the transaction, as in PostgreSQL. Zero means the transaction is this one
	// statement, which then starts it.
	TxStart time.Time
	// SessionAsOf, set by SET SESSION AS OF, makes every table and view reference without an
	// AS OF clause of its own read the state after event SessionSeq.
	SessionAsOf bool
	SessionSeq  uint64
}

// Execute plans and runs one statement with the given parameter values ($1 is args[0]). It
// returns the rows of a query, or the count and tag of a write; writes are performed on
// env.Tx, which the caller commits or drops. Every error meant for the user is a
// *schema.Error with a SQLSTATE code; on error the statement may have written some of its
// rows to env.Tx, so the caller must treat the transaction as failed (as PostgreSQL does).
// Execute checks ctx between rows and fails with 57014 when it is cancelled.
// BEGIN, COMMIT and ROLLBACK are the caller's business and are rejected here.
func Execute(ctx context.Context, env Env, stmt parser.Stmt, args []schema.Value) (*Result, error) {
	if env.Tx == nil {
		return nil, errInternal("Execute needs a transaction")
	}
	if ctx.Err() != nil {
		return nil, errCanceled()
	}
	x := &execution{ctx: ctx, env: env, args: args, read: env.Tx.State(), events: len(env.Tx.Events()), stmtStart: time.Now()}
	if x.env.TxStart.IsZero() {
		x.env.TxStart = x.stmtStart
	}
	switch s := stmt.(type) {
	case *parser.SelectStmt, *parser.SetOpStmt, *parser.WithStmt:
		return x.query(s)
	case *parser.InsertStmt:
		return x.checkForeignKeys(x.insert(s))
	case *parser.UpdateStmt:
		return x.checkForeignKeys(x.update(s))
	case *parser.DeleteStmt:
		return x.checkForeignKeys(x.delete(s))
	case *parser.CreateTableStmt:
		return x.createTable(s)
	case *parser.DropTableStmt:
		return x.dropTable(s)
	case *parser.CreateViewStmt:
		return x.createView(s)
	case *parser.DropViewStmt:
		return x.dropView(s)
	case *parser.AlterTableStmt:
		return x.alterTable(s)
	case *parser.CreateIndexStmt:
		return x.createIndex(s)
	case *parser.DropIndexStmt:
		return x.dropIndex(s)
	case *parser.ExplainStmt:
		return x.explain(s)
	case *parser.SetStmt:
		return x.set(s)
	case *parser.ShowStmt:
		return x.show(s)
	case *parser.BeginStmt, *parser.CommitStmt, *parser.RollbackStmt:
		return nil, errInternal("transaction control statements are handled by the database, not the executor")
	}
	return nil, errUnsupported(stmt, "this statement")
}

// CurrentSeq is the value of SQL's current_seq(): the seq of the last committed event in the
// snapshot the transaction reads (its base state), 0 for an empty database.
func CurrentSeq(env Env) int64 { return int64(env.Tx.Base().Seq()) }

// execution is the state of one Execute call, shared by everything compiled for the
// statement: compilation and execution both happen inside the call.
type execution struct {
	ctx  context.Context
	env  Env
	args []schema.Value
	// read is the state the statement reads: the transaction's state when the statement
	// began. Writes made by the statement itself are not visible to it (a statement's reads
	// happen before its writes, see update and insert).
	read *storage.State
	// events is the number of events the transaction had before the statement.
	events int
	// states caches the states AS OF clauses asked for, by seq.
	states map[uint64]*storage.State
	ticks  uint
	// parsed caches the parsed queries of the views the statement uses, by query text.
	parsed map[string]parser.Stmt
	// expanding lists the IDs of the views being planned, innermost last (view.go).
	expanding []uint64
	// deps, when set, records what the query being planned uses (view_deps.go).
	deps *dependencies
	// checks caches the compiled CHECK constraints of the table definitions written to.
	checks map[*schema.Table][]compiledCheck
	// ctes are the common table expressions in scope while a query is planned, innermost
	// last (cte.go).
	ctes []cteDef
	// stmtStart is when the statement began: statement_timestamp().
	stmtStart time.Time
}

// checkCancel polls the context every 256 calls, cheap enough to call once per row.
func (x *execution) checkCancel() error {
	x.ticks++
	if x.ticks&255 != 0 {
		return nil
	}
	if x.ctx.Err() != nil {
		return errCanceled()
	}
	return nil
}

// planner returns a planner for a top-level query of this execution.
func (x *execution) planner() *planner { return &planner{x: x} }
