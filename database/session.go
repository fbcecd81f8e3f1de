package database

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/executor"
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// Session is one connection: it runs statements in autocommit mode, or inside the transaction
// that BEGIN opened until COMMIT or ROLLBACK. As in PostgreSQL, an error inside a transaction
// aborts it: later statements fail with SQLSTATE 25P02 until ROLLBACK (or COMMIT, which then
// rolls back). A Session is not safe for concurrent use.
type Session struct {
	db     *DB
	tx     *storage.Tx // the open transaction; nil in autocommit mode
	failed bool        // the open transaction hit an error
	start  time.Time   // when the open transaction began, for now()
	// asOf is set while the session reads the past (SET SESSION AS OF): every table reference
	// without its own AS OF reads the state after that seq, and writes are refused.
	asOf *executor.SessionAsOf
}

// Session returns a new session in autocommit mode.
func (db *DB) Session() *Session { return &Session{db: db} }

// InTx reports whether a transaction is open.
func (s *Session) InTx() bool { return s.tx != nil }

// Close rolls back an open transaction. The session must not be used afterwards.
func (s *Session) Close() {
	s.tx, s.failed = nil, false
}

// Exec parses the SQL text and runs its statements in order, returning one result per
// statement. It stops at the first error; the results of the statements before it stand (each
// autocommitted statement is durable when its result is returned). Arguments bind $1, $2, …
// (or ?, numbered in order) in every statement of the text.
func (s *Session) Exec(ctx context.Context, sql string, args ...any) ([]*Result, error) {
	stmts, err := Parse(sql)
	if err != nil {
		return nil, err
	}
	vals, err := Values(args)
	if err != nil {
		return nil, err
	}
	results := make([]*Result, 0, len(stmts))
	for _, stmt := range stmts {
		res, err := s.ExecStmt(ctx, stmt, vals)
		if err != nil {
			return results, err
		}
		results = append(results, res)
	}
	return results, nil
}

// ExecStmt runs one parsed statement with bound arguments.
func (s *Session) ExecStmt(ctx context.Context, stmt parser.Stmt, args []schema.Value) (*Result, error) {
	if s.db.isClosed() {
		return nil, ErrClosed
	}
	switch stmt.(type) {
	case *parser.BeginStmt:
		// PostgreSQL only warns about a nested BEGIN; the transaction goes on.
		if s.tx == nil {
			s.tx, s.failed, s.start = s.db.store.Begin(), false, time.Now()
		}
		return &Result{Tag: "BEGIN"}, nil
	case *parser.CommitStmt:
		return s.commit()
	case *parser.RollbackStmt:
		s.tx, s.failed = nil, false
		return &Result{Tag: "ROLLBACK"}, nil
	}
	if s.asOf != nil && !readOnly(stmt) {
		return nil, schema.Errorf(codeReadOnlyTx, "cannot execute %s while the session reads the past (SET SESSION AS OF); RESET SESSION AS OF first", statementName(stmt))
	}
	var res *Result
	var err error
	if s.tx != nil {
		res, err = s.execInTx(ctx, stmt, args)
	} else {
		res, err = s.db.autocommit(ctx, stmt, args, s.asOf)
	}
	if err == nil && res.SessionAsOf != nil {
		if res.SessionAsOf.Reset {
			s.asOf = nil
		} else {
			s.asOf = res.SessionAsOf
		}
	}
	return res, err
}

// codeReadOnlyTx is PostgreSQL's read_only_sql_transaction.
const codeReadOnlyTx = "25006"

// statementName is the SQL command a statement is, for messages: INSERT, CREATE TABLE, ….
func statementName(stmt parser.Stmt) string {
	name := strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%T", stmt), "*parser."), "Stmt")
	var b strings.Builder
	for i, r := range name {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

func (s *Session) execInTx(ctx context.Context, stmt parser.Stmt, args []schema.Value) (*Result, error) {
	if s.failed {
		return nil, schema.Errorf(schema.CodeInFailedTx,
			"current transaction is aborted, commands ignored until end of transaction block")
	}
	env := s.db.env(s.tx)
	env.TxStart = s.start
	if s.asOf != nil {
		env.SessionAsOf, env.SessionSeq = true, s.asOf.Seq
	}
	res, err := executor.Execute(ctx, env, stmt, args)
	if err != nil {
		s.failed = true
		return nil, err
	}
	return res, nil
}

// commit ends the open transaction: a failed one rolls back (as PostgreSQL does), a good one
// goes through the write path and is durable when commit returns.
func (s *Session) commit() (*Result, error) {
	tx, failed := s.tx, s.failed
	s.tx, s.failed = nil, false
	if tx == nil {
		return &Result{Tag: "COMMIT"}, nil // PostgreSQL warns "there is no transaction in progress"
	}
	if failed {
		return &Result{Tag: "ROLLBACK"}, nil
	}
	if err := s.db.commit(tx); err != nil {
		return nil, err
	}
	return &Result{Tag: "COMMIT"}, nil
}

// autocommit runs one statement as its own transaction. Statements that may write hold the
// commit lock while they execute, reading the latest prepared state, so they can never
// conflict; they release it before waiting for the disk, so concurrent committers share one
// fsync (group commit). Reads run on the current snapshot without any lock.
func (db *DB) autocommit(ctx context.Context, stmt parser.Stmt, args []schema.Value, asOf *executor.SessionAsOf) (*Result, error) {
	if readOnly(stmt) {
		env := db.env(db.store.Begin())
		if asOf != nil {
			env.SessionAsOf, env.SessionSeq = true, asOf.Seq
		}
		return executor.Execute(ctx, env, stmt, args)
	}
	db.commitMu.Lock()
	if db.isClosed() {
		db.commitMu.Unlock()
		return nil, ErrClosed
	}
	tx := db.store.BeginLatest()
	res, err := executor.Execute(ctx, db.env(tx), stmt, args)
	if err != nil {
		db.commitMu.Unlock()
		return nil, err
	}
	c, err := db.stage(tx)
	db.commitMu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := db.finish(c); err != nil {
		return nil, err
	}
	return res, nil
}

func readOnly(stmt parser.Stmt) bool {
	switch s := stmt.(type) {
	case *parser.SelectStmt, *parser.SetOpStmt, *parser.WithStmt, *parser.SetStmt, *parser.ShowStmt:
		return true
	case *parser.ExplainStmt:
		return !s.Analyze && readOnly(s.Stmt)
	}
	return false
}

// commit runs the write path for a finished transaction.
func (db *DB) commit(tx *storage.Tx) error {
	db.commitMu.Lock()
	if db.isClosed() {
		db.commitMu.Unlock()
		return ErrClosed
	}
	c, err := db.stage(tx)
	db.commitMu.Unlock()
	if err != nil {
		return err
	}
	return db.finish(c)
}

// staged is a commit whose events are submitted to the log but not yet known to be durable.
type staged struct {
	pending *eventlog.Pending
	next    *storage.State
}

// stage is the first half of the write path; the caller holds commitMu. It checks the
// transaction against the latest prepared state and builds the next state privately, then
// submits the events to the log (which assigns their seqs at once) and stages the next state
// for the commits behind it. Nothing is visible to readers yet. A failure leaves the log and
// every state untouched. An empty transaction stages nothing (nil, nil).
func (db *DB) stage(tx *storage.Tx) (*staged, error) {
	if tx.Empty() {
		return nil, nil
	}
	next, err := db.store.Prepare(tx)
	if err != nil {
		return nil, err
	}
	if want := db.log.NextSeq(); next.Seq() != want+uint64(len(tx.Events()))-1 {
		// The state and the log disagree about where this commit goes: refuse rather than
		// publish a state the log does not describe.
		return nil, schema.Errorf(schema.CodeInternal, "internal error: prepared state ends at seq %d, the log's next seq is %d",
			next.Seq(), want)
	}
	p, err := db.log.Submit(encodeEvents(tx))
	if err != nil {
		return nil, logError(err, false)
	}
	db.store.Stage(next, p.Result())
	db.inflight.Add(1)
	return &staged{pending: p, next: next}, nil
}

// finish is the second half, run without the lock so that concurrent commits share the log's
// write and fdatasync: wait until the events are durable, and only then publish the state. If
// the log fails, nothing is published, the staged states are dropped, and the error says so.
func (db *DB) finish(c *staged) error {
	if c == nil {
		return nil
	}
	defer db.inflight.Done()
	if _, err := c.pending.Wait(); err != nil {
		db.store.Abort()
		return logError(err, true)
	}
	db.store.Publish(c.next)
	return nil
}

// logError reports a failure of the event log as an SQL error. A batch refused at Submit was
// never written; one that failed while being written or synced is in doubt: it may be on disk
// and reappear after a restart, exactly as after a crash, so the message does not claim either.
func logError(err error, inDoubt bool) error {
	msg := "could not write to the event log; the transaction was not committed: "
	if inDoubt {
		msg = "the event log failed while writing this commit; its outcome is unknown and the database is read-only until restarted: "
	}
	return &schema.Error{Code: schema.CodeIOError, Message: msg + err.Error(), Err: err}
}

// Parse parses SQL text into statements for ExecStmt (the driver prepares with it). A syntax
// error is returned as an *schema.Error with SQLSTATE 42601 and the position of the first
// mistake.
func Parse(sql string) ([]parser.Stmt, error) {
	stmts, err := parser.Parse(sql)
	if err != nil {
		return nil, syntaxError(err)
	}
	return stmts, nil
}

// syntaxError turns a parser error into an SQL error with SQLSTATE 42601 and its position.
func syntaxError(err error) error {
	var pe *parser.Error
	if errors.As(err, &pe) {
		return &schema.Error{Code: schema.CodeSyntax, Message: pe.Error(), Line: pe.Pos.Line, Col: pe.Pos.Col, Err: err}
	}
	return &schema.Error{Code: schema.CodeSyntax, Message: err.Error(), Err: err}
}

// env is what the executor needs to run a statement in tx.
func (db *DB) env(tx *storage.Tx) executor.Env {
	return executor.Env{Tx: tx, Store: db.store, NoIndexScans: db.opts.NoIndexScans}
}
