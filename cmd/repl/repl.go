package repl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/chzyer/readline"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Shell runs SQL and meta-commands against one database session.
type Shell struct {
	db     *database.DB
	sess   *database.Session
	out    io.Writer
	errOut io.Writer
	timing bool
}

// New returns a shell on db writing results to out and errors to errOut.
func New(db *database.DB, out, errOut io.Writer) *Shell {
	return &Shell{db: db, sess: db.Session(), out: out, errOut: errOut}
}

// errQuit is returned by a meta-command that ends the shell (\q).
var errQuit = errors.New("quit")

// Interactive reads statements at the sql> prompt until \q or end of input. A statement runs
// when its text ends with ';', or when a first line parses as a complete statement by itself.
// historyFile may be "" for no history.
func (sh *Shell) Interactive(historyFile string) error {
	rl, err := readline.NewEx(&readline.Config{
		Prompt:            "sql> ",
		HistoryFile:       historyFile,
		HistorySearchFold: true,
		InterruptPrompt:   "^C",
		EOFPrompt:         "\\q",
	})
	if err != nil {
		return err
	}
	defer rl.Close()
	fmt.Fprintf(sh.out, "eventsql — data in %s. Type \\? for help, \\q to quit.\n", sh.db.Dir())
	var buf strings.Builder
	for {
		if buf.Len() == 0 {
			rl.SetPrompt("sql> ")
		} else {
			rl.SetPrompt("...> ")
		}
		line, err := rl.Readline()
		if errors.Is(err, readline.ErrInterrupt) {
			buf.Reset() // ^C abandons the statement being typed, as in psql
			continue
		}
		if err != nil { // io.EOF: ^D
			return nil
		}
		text, run := sh.accept(&buf, line, true)
		if !run {
			continue
		}
		if err := sh.run(text); errors.Is(err, errQuit) {
			return nil
		}
	}
}

// Script runs the statements and meta-commands read from r without prompts, and returns the
// first error (already printed).
func (sh *Shell) Script(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var buf strings.Builder
	for sc.Scan() {
		text, run := sh.accept(&buf, sc.Text(), false)
		if !run {
			continue
		}
		if err := sh.run(text); err != nil {
			if errors.Is(err, errQuit) {
				return nil
			}
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if rest := strings.TrimSpace(buf.String()); rest != "" {
		return sh.runReport(rest)
	}
	return nil
}

// Command runs one command (SQL or a meta-command) and returns its error (already printed).
func (sh *Shell) Command(text string) error {
	return sh.runReport(text)
}

// runReport runs text and returns its error, treating \q as success.
func (sh *Shell) runReport(text string) error {
	err := sh.run(text)
	if errors.Is(err, errQuit) {
		return nil
	}
	return err
}

// accept adds a line to the statement being collected and says whether it is ready to run.
// Meta-commands (lines starting with a backslash) run at once when no statement is pending.
func (sh *Shell) accept(buf *strings.Builder, line string, interactive bool) (string, bool) {
	trimmed := strings.TrimSpace(line)
	if buf.Len() == 0 {
		if trimmed == "" {
			return "", false
		}
		if strings.HasPrefix(trimmed, `\`) {
			return trimmed, true
		}
	}
	if buf.Len() > 0 {
		buf.WriteByte('\n')
	}
	buf.WriteString(line)
	text := buf.String()
	if parser.Complete(text) {
		buf.Reset()
		return text, true
	}
	// A first line that is a whole statement by itself runs without ';', so the README's
	// examples work as typed.
	if interactive && !strings.Contains(text, "\n") {
		if stmts, err := parser.Parse(text); err == nil && len(stmts) == 1 && runsWithoutSemicolon(stmts[0]) {
			buf.Reset()
			return text, true
		}
	}
	return "", false
}

// runsWithoutSemicolon says whether a statement typed on one line without ';' may run at once.
// Two kinds wait for ';' because their next line likely completes them: an UPDATE or DELETE
// without WHERE (running it would change every row before the WHERE arrives), and a SELECT
// without FROM that names columns or * (its FROM is on the next line).
func runsWithoutSemicolon(stmt parser.Stmt) bool {
	switch s := stmt.(type) {
	case *parser.UpdateStmt:
		return s.Where != nil
	case *parser.DeleteStmt:
		return s.Where != nil
	case *parser.SelectStmt:
		if s.From != nil {
			return true
		}
		for _, item := range s.Columns {
			if item.Star || mentionsColumn(item.Expr) {
				return false
			}
		}
	}
	return true
}

// mentionsColumn reports whether an expression refers to a column (in the common shapes; a
// heuristic is enough here, the cost of a miss is only waiting for ';').
func mentionsColumn(e parser.Expr) bool {
	switch x := e.(type) {
	case nil:
		return false
	case *parser.ColumnRef:
		return true
	case *parser.BinaryExpr:
		return mentionsColumn(x.L) || mentionsColumn(x.R)
	case *parser.UnaryExpr:
		return mentionsColumn(x.X)
	case *parser.ParenExpr:
		return mentionsColumn(x.X)
	case *parser.FuncCall:
		for _, a := range x.Args {
			if mentionsColumn(a) {
				return true
			}
		}
	case *parser.CastExpr:
		return mentionsColumn(x.X)
	}
	return false
}

// run executes SQL text or one meta-command, printing results and errors to the shell's output.
func (sh *Shell) run(text string) error {
	if strings.HasPrefix(strings.TrimSpace(text), `\`) {
		err := sh.meta(strings.TrimSpace(text))
		if err != nil && !errors.Is(err, errQuit) {
			printError(sh.errOut, err)
		}
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	results, err := sh.sess.Exec(ctx, text)
	for _, res := range results {
		printResult(sh.out, res)
	}
	if err != nil {
		printError(sh.errOut, err)
	}
	if sh.timing {
		fmt.Fprintf(sh.out, "Time: %.3f ms\n", float64(time.Since(start).Microseconds())/1000)
	}
	return err
}

// printError prints an error as psql does, with its SQLSTATE when it has one.
func printError(w io.Writer, err error) {
	var se *schema.Error
	if errors.As(err, &se) {
		// A DETAIL (or HINT) line follows the message, as psql shows it; the code ends the first.
		first, rest, _ := strings.Cut(se.Message, "\n")
		fmt.Fprintf(w, "ERROR:  %s (SQLSTATE %s)\n", first, se.Code)
		if rest != "" {
			fmt.Fprintln(w, rest)
		}
		return
	}
	fmt.Fprintf(w, "ERROR:  %v\n", err)
}
