package driver

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// ErrTxAborted is returned by Tx.Commit when an earlier statement of the transaction failed:
// the transaction was rolled back, as PostgreSQL does.
var ErrTxAborted = errors.New("eventsql: transaction was aborted by an earlier error and has been rolled back")

// conn is one pooled connection: a database.Session.
type conn struct {
	db   *database.DB
	sess *database.Session
}

var (
	_ sqldriver.Conn               = (*conn)(nil)
	_ sqldriver.ConnBeginTx        = (*conn)(nil)
	_ sqldriver.ConnPrepareContext = (*conn)(nil)
	_ sqldriver.ExecerContext      = (*conn)(nil)
	_ sqldriver.QueryerContext     = (*conn)(nil)
	_ sqldriver.SessionResetter    = (*conn)(nil)
	_ sqldriver.Validator          = (*conn)(nil)
)

func (c *conn) Prepare(query string) (sqldriver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext parses the query once; executing the statement reuses the syntax tree.
func (c *conn) PrepareContext(ctx context.Context, query string) (sqldriver.Stmt, error) {
	stmts, err := database.Parse(query)
	if err != nil {
		return nil, err
	}
	return &stmt{conn: c, stmts: stmts}, nil
}

func (c *conn) Close() error {
	c.sess.Close()
	return nil
}

func (c *conn) Begin() (sqldriver.Tx, error) {
	return c.BeginTx(context.Background(), sqldriver.TxOptions{})
}

// BeginTx opens a transaction. eventsql transactions are snapshot isolation: the default,
// REPEATABLE READ and SNAPSHOT are accepted; other levels are refused rather than silently
// weakened or strengthened. Read-only transactions are accepted (and simply do not write).
func (c *conn) BeginTx(ctx context.Context, opts sqldriver.TxOptions) (sqldriver.Tx, error) {
	switch sql.IsolationLevel(opts.Isolation) {
	case sql.LevelDefault, sql.LevelRepeatableRead, sql.LevelSnapshot:
	default:
		return nil, fmt.Errorf("eventsql: isolation level %s is not supported (transactions use snapshot isolation)",
			sql.IsolationLevel(opts.Isolation))
	}
	if _, err := c.sess.ExecStmt(ctx, &parser.BeginStmt{}, nil); err != nil {
		return nil, err
	}
	return &tx{conn: c}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []sqldriver.NamedValue) (sqldriver.Result, error) {
	st, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.(*stmt).ExecContext(ctx, args)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []sqldriver.NamedValue) (sqldriver.Rows, error) {
	st, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.(*stmt).QueryContext(ctx, args)
}

// ResetSession is called before a pooled connection is reused: a transaction left open by a
// previous user is rolled back.
func (c *conn) ResetSession(ctx context.Context) error {
	if c.sess.InTx() {
		c.sess.Close()
	}
	return nil
}

func (c *conn) IsValid() bool { return true }

// tx is a database/sql transaction on one connection.
type tx struct{ conn *conn }

func (t *tx) Commit() error {
	res, err := t.conn.sess.ExecStmt(context.Background(), &parser.CommitStmt{}, nil)
	if err != nil {
		return err
	}
	if res.Tag == "ROLLBACK" {
		return ErrTxAborted
	}
	return nil
}

func (t *tx) Rollback() error {
	_, err := t.conn.sess.ExecStmt(context.Background(), &parser.RollbackStmt{}, nil)
	return err
}

// stmt is a prepared statement: the parsed statements of one query text.
type stmt struct {
	conn  *conn
	stmts []parser.Stmt
}

func (s *stmt) Close() error { return nil }

// NumInput returns -1: the executor checks the arguments against the placeholders.
func (s *stmt) NumInput() int { return -1 }

func (s *stmt) Exec(args []sqldriver.Value) (sqldriver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []sqldriver.Value) (sqldriver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []sqldriver.NamedValue) (sqldriver.Result, error) {
	res, err := s.run(ctx, args)
	if err != nil {
		return nil, err
	}
	var n int64
	if res != nil {
		n = res.RowsAffected
	}
	return result(n), nil
}

func (s *stmt) QueryContext(ctx context.Context, args []sqldriver.NamedValue) (sqldriver.Rows, error) {
	res, err := s.run(ctx, args)
	if err != nil {
		return nil, err
	}
	if res == nil {
		res = &database.Result{}
	}
	return &rows{res: res}, nil
}

// run executes every statement of the text and returns the last result.
func (s *stmt) run(ctx context.Context, args []sqldriver.NamedValue) (*database.Result, error) {
	vals := make([]schema.Value, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, fmt.Errorf("eventsql: named argument %q is not supported: use $%d", a.Name, a.Ordinal)
		}
		v, err := database.Value(a.Value)
		if err != nil {
			return nil, fmt.Errorf("eventsql: argument $%d: %w", a.Ordinal, err)
		}
		vals[i] = v
	}
	var last *database.Result
	for _, st := range s.stmts {
		res, err := s.conn.sess.ExecStmt(ctx, st, vals)
		if err != nil {
			return nil, err
		}
		last = res
	}
	return last, nil
}

func named(args []sqldriver.Value) []sqldriver.NamedValue {
	nv := make([]sqldriver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = sqldriver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return nv
}

// result reports rows affected; eventsql has no auto-increment ids, so LastInsertId fails.
type result int64

func (r result) LastInsertId() (int64, error) {
	return 0, errors.New("eventsql: LastInsertId is not supported: eventsql has no auto-increment columns, so choose the key yourself")
}

func (r result) RowsAffected() (int64, error) { return int64(r), nil }
