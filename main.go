// Command eventsql is an event-sourced SQL database: by default an interactive sql> shell on
// an embedded data directory; with --web, a small HTTP server; `eventsql verify` checks a log.
//
//	eventsql [--data DIR] [-c SQL]        the REPL, or one command
//	eventsql --web [--addr HOST:PORT]     the HTTP API
//	eventsql verify [--data DIR]          check every record's CRC and the hash chain
//	eventsql backup --data DIR --out FILE  write a backup of a closed data directory
//	eventsql restore --from FILE --data DIR  create a data directory from a backup
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/chzyer/readline"

	"github.com/eventsql/eventsql/cmd/repl"
	"github.com/eventsql/eventsql/cmd/web"
	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/eventlog"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "verify" {
		return verify(args[1:], stdout, stderr)
	}
	if len(args) > 0 && (args[0] == "backup" || args[0] == "restore") {
		return backupRestore(args[0], args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("eventsql", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data", "eventsql-data", "data `directory` (created if missing)")
	var commands commandList
	fs.Var(&commands, "c", "run a `command` (SQL or a meta-command) and exit; repeat -c to run several in order, as psql does")
	webMode := fs.Bool("web", false, "serve the HTTP API instead of the REPL")
	addr := fs.String("addr", "127.0.0.1:8080", "HTTP listen `address` for --web")
	durability := fs.String("durability", "always", "when COMMIT returns: `always` (after fdatasync), interval[=10ms] (a crash may lose that much), off (tests only)")
	snapshotEvery := fs.Uint64("snapshot-every", 0, "write a snapshot every `N` events (0: the default, 10000 or the number of rows if larger)")
	token := fs.String("token", os.Getenv("EVENTSQL_TOKEN"), "with --web, require `Authorization: Bearer TOKEN` (default $EVENTSQL_TOKEN)")
	readToken := fs.String("read-token", os.Getenv("EVENTSQL_READ_TOKEN"), "with --web, a bearer `token` that may only read and watch events (default $EVENTSQL_READ_TOKEN)")
	stmtTimeout := fs.Duration("statement-timeout", 30*time.Second, "with --web, cancel a statement after this `duration`")
	maxBody := fs.Int64("max-body", 8<<20, "with --web, the largest request body in `bytes`")
	maxWatchers := fs.Int("max-watchers", 64, "with --web, the most concurrent /v1/events streams")
	logFormat := fs.String("log-format", "text", "log `format`: text or json")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *logFormat != "text" && *logFormat != "json" {
		fmt.Fprintf(stderr, "eventsql: --log-format must be text or json\n")
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "eventsql: unexpected argument %q (use -c \"SQL\" to run a command)\n", fs.Arg(0))
		return 2
	}
	mode, interval, err := eventlog.ParseDurability(*durability)
	if err != nil {
		fmt.Fprintf(stderr, "eventsql: --durability: %v\n", err)
		return 2
	}
	level := slog.LevelWarn
	if *webMode {
		level = slog.LevelInfo
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})
	if *logFormat == "json" {
		handler = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level})
	}
	logger := slog.New(handler)
	webOpts := web.Options{Addr: *addr, Token: *token, ReadToken: *readToken, StatementTimeout: *stmtTimeout,
		MaxBody: *maxBody, MaxWatchers: *maxWatchers, Logger: logger}
	if *webMode {
		// Refuse an open bind before recovering the database, which may take a while.
		if err := web.CheckBind(*addr, *token); err != nil {
			fmt.Fprintf(stderr, "eventsql: %v\n", err)
			return 2
		}
	}
	opened := time.Now()
	db, err := database.Open(*dataDir, &database.Options{
		Logger: logger, Durability: mode, SyncInterval: interval, SnapshotEvery: *snapshotEvery,
	})
	if err != nil {
		fmt.Fprintf(stderr, "eventsql: %v\n", err)
		return 1
	}
	code := 0
	switch {
	case *webMode:
		seq, hash := db.Head()
		logger.Info("database open", "data", *dataDir, "head_seq", seq, "head_hash", hash,
			"tables", len(db.Tables()), "recovery", time.Since(opened))
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := web.Serve(ctx, db, webOpts); err != nil {
			fmt.Fprintf(stderr, "eventsql: %v\n", err)
			code = 1
		}
	case len(commands) > 0:
		sh := repl.New(db, stdout, stderr)
		for _, c := range commands {
			if sh.Command(c) != nil {
				code = 1
				break // as psql -c: stop at the first failing command
			}
		}
	case isTerminal(stdin):
		if err := repl.New(db, stdout, stdout).Interactive(historyFile()); err != nil {
			fmt.Fprintf(stderr, "eventsql: %v\n", err)
			code = 1
		}
	default:
		if repl.New(db, stdout, stderr).Script(stdin) != nil {
			code = 1
		}
	}
	closing := time.Now()
	if err := db.Close(); err != nil {
		fmt.Fprintf(stderr, "eventsql: close: %v\n", err)
		code = 1
	} else if *webMode {
		seq, hash := db.Head()
		logger.Info("database closed", "head_seq", seq, "head_hash", hash, "final_snapshot", time.Since(closing))
	}
	return code
}

func verify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eventsql verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data", "eventsql-data", "data `directory` to check")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rep, err := eventlog.VerifyDir(filepath.Join(*dataDir, "log"))
	if err != nil {
		var ce *eventlog.CorruptionError
		if errors.As(err, &ce) {
			fmt.Fprintf(stderr, "verify: FAILED: %v\n", err)
		} else {
			fmt.Fprintf(stderr, "verify: %v\n", err)
		}
		return 1
	}
	fmt.Fprintf(stdout, "verify: ok: %d events, %d bytes checked; head seq %d, hash %s\n",
		rep.Records, rep.Bytes, rep.HeadSeq, rep.HeadHash)
	return 0
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && readline.IsTerminal(int(f.Fd()))
}

func historyFile() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".eventsql_history")
}

// backupRestore runs `eventsql backup` or `eventsql restore`.
func backupRestore(cmd string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eventsql "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data", "eventsql-data", "data `directory`")
	out := fs.String("out", "", "backup: the `file` to write")
	from := fs.String("from", "", "restore: the backup `file` to read")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var m database.Manifest
	var err error
	switch {
	case cmd == "backup" && *out != "":
		var f *os.File
		if f, err = os.Create(*out); err == nil {
			m, err = database.BackupDir(*dataDir, f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
	case cmd == "restore" && *from != "":
		var f *os.File
		if f, err = os.Open(*from); err == nil {
			m, err = database.Restore(f, *dataDir)
			f.Close()
		}
	default:
		fmt.Fprintf(stderr, "usage: eventsql backup --data DIR --out FILE | eventsql restore --from FILE --data DIR\n")
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "eventsql %s: %v\n", cmd, err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: ok: head seq %d, hash %s\n", cmd, m.Seq, m.Hash)
	return 0
}

// commandList collects the -c flags in order.
type commandList []string

func (c *commandList) String() string     { return strings.Join(*c, "; ") }
func (c *commandList) Set(v string) error { *c = append(*c, v); return nil }
