package repl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

const help = `General
  \q                  quit
  \?                  this help
  \timing             toggle printing how long each statement takes
  \durability [MODE]  show or set when COMMIT returns: always, interval[=10ms], off
Tables and views
  \dt                 list tables
  \dv                 list views
  \d TABLE            describe a table: columns, types, defaults, indexes
  \d VIEW             describe a view: its columns and its definition
History
  \log [N]            the last N events of the log (default 10)
  \history TABLE KEY  every event of one row, oldest first (KEY: primary key value,
                      a,b for a composite key, or the row id of a table without one)
  \history VIEW       every definition the view has had, and its drop
SQL ends with ';'; a one-line statement also runs without it. Time travel:
  SELECT * FROM t AS OF SEQ 42;   SELECT * FROM t AS OF TIMESTAMP '2026-11-23 12:00:00';`

// meta runs one backslash command.
func (sh *Shell) meta(text string) error {
	fields := strings.Fields(text)
	cmd, args := fields[0], fields[1:]
	switch cmd {
	case `\q`, `\quit`:
		return errQuit
	case `\?`, `\h`, `\help`:
		fmt.Fprintln(sh.out, help)
	case `\timing`:
		sh.timing = !sh.timing
		fmt.Fprintf(sh.out, "Timing is %s.\n", map[bool]string{true: "on", false: "off"}[sh.timing])
	case `\durability`:
		if len(args) > 0 {
			if err := sh.db.SetDurability(strings.Join(args, " ")); err != nil {
				return fmt.Errorf(`\durability: %v`, err)
			}
		}
		fmt.Fprintf(sh.out, "Durability is %s.\n", sh.db.Durability())
	case `\dt`:
		sh.listTables()
	case `\dv`:
		sh.listViews()
	case `\d`:
		if len(args) == 0 {
			sh.listTables()
			return nil
		}
		if _, ok := sh.db.Store().Current().View(args[0]); ok {
			return sh.describeView(args[0])
		}
		return sh.describe(args[0])
	case `\log`:
		n := 10
		if len(args) > 0 {
			v, err := strconv.Atoi(args[0])
			if err != nil || v <= 0 {
				return fmt.Errorf(`\log: expected a positive number of events, found %q`, args[0])
			}
			n = v
		}
		evs, err := sh.db.LastEvents(n)
		if err != nil {
			return err
		}
		sh.printEvents(evs)
	case `\history`:
		if len(args) == 1 {
			evs, err := sh.db.ViewHistory(args[0])
			if err != nil {
				return err
			}
			sh.printEvents(evs)
			return nil
		}
		if len(args) < 2 {
			return fmt.Errorf(`\history: usage: \history TABLE KEY, or \history VIEW`)
		}
		evs, err := sh.db.History(args[0], strings.Join(args[1:], " "))
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			fmt.Fprintf(sh.out, "No events for key %s in %s.\n", strings.Join(args[1:], " "), args[0])
			return nil
		}
		sh.printEvents(evs)
	default:
		return fmt.Errorf("invalid command %s; try \\? for help", cmd)
	}
	return nil
}

func (sh *Shell) listTables() {
	tables := sh.db.Store().Current().Catalog().Tables()
	if len(tables) == 0 {
		fmt.Fprintln(sh.out, "Did not find any tables.")
		return
	}
	cur := sh.db.Store().Current()
	cells := make([][]string, len(tables))
	for i, t := range tables {
		rows := ""
		if tab, ok := cur.TableByID(t.ID); ok {
			rows = strconv.Itoa(tab.Len())
		}
		cells[i] = []string{t.Name, strconv.Itoa(len(t.Columns)), rows, strconv.Itoa(len(t.Indexes))}
	}
	fmt.Fprintln(sh.out, "List of tables")
	printTable(sh.out, []string{"name", "columns", "rows", "indexes"}, []bool{false, true, true, true}, cells)
}

func (sh *Shell) describe(name string) error {
	t, ok := sh.db.Store().Current().Catalog().Lookup(name)
	if !ok {
		return fmt.Errorf("Did not find any table named %q.", name)
	}
	cells := make([][]string, len(t.Columns))
	for i, c := range t.Columns {
		null := ""
		if c.NotNull {
			null = "not null"
		}
		dflt := c.Default
		if c.Serial {
			dflt = fmt.Sprintf("nextval('%s_%s_seq'::regclass)", t.Name, c.Name)
		}
		cells[i] = []string{c.Name, c.Type.String(), null, dflt}
	}
	fmt.Fprintf(sh.out, "Table %q\n", t.Name)
	printTable(sh.out, []string{"Column", "Type", "Nullable", "Default"}, make([]bool, 4), cells)
	if len(t.Indexes) > 0 {
		fmt.Fprintln(sh.out, "Indexes:")
		for _, ix := range t.Indexes {
			fmt.Fprintf(sh.out, "    %q %s\n", ix.Name, indexLine(t, &ix))
		}
	}
	cons, _ := sh.db.Constraints(name)
	for _, sec := range []struct {
		title string
		lines []string
	}{{"Check constraints:", cons.Checks}, {"Foreign-key constraints:", cons.ForeignKeys}, {"Referenced by:", cons.ReferencedBy}} {
		if len(sec.lines) > 0 {
			fmt.Fprintln(sh.out, sec.title)
			for _, l := range sec.lines {
				fmt.Fprintf(sh.out, "    %s\n", l)
			}
		}
	}
	return nil
}

func indexLine(t *schema.Table, ix *schema.Index) string {
	var kind string
	switch {
	case ix.Primary:
		kind = "PRIMARY KEY, "
	case ix.Constraint:
		kind = "UNIQUE CONSTRAINT, "
	case ix.Unique:
		kind = "UNIQUE, "
	}
	cols := make([]string, len(ix.Columns))
	for i, p := range t.KeyPositions(ix) {
		if p >= 0 {
			cols[i] = t.Columns[p].Name
		}
	}
	return fmt.Sprintf("%s%s (%s)", kind, ix.Method, strings.Join(cols, ", "))
}

func (sh *Shell) printEvents(evs []database.EventInfo) {
	cells := make([][]string, len(evs))
	for i, e := range evs {
		cells[i] = []string{
			strconv.FormatUint(e.Seq, 10),
			e.Time.Format("2006-01-02 15:04:05.000000"),
			strconv.FormatUint(e.TxID, 10),
			e.Type,
			e.Describe(),
		}
	}
	printTable(sh.out, []string{"seq", "time", "tx", "event", "details"}, []bool{true, false, true, false, false}, cells)
}
