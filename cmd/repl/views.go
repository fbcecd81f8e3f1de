package repl

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// listViews prints the live views: \dv.
func (sh *Shell) listViews() {
	views := sh.db.Store().Current().Catalog().Views()
	if len(views) == 0 {
		fmt.Fprintln(sh.out, "Did not find any views.")
		return
	}
	cells := make([][]string, len(views))
	for i, v := range views {
		cells[i] = []string{v.Name, strconv.Itoa(len(v.Columns))}
	}
	fmt.Fprintln(sh.out, "List of views")
	printTable(sh.out, []string{"name", "columns"}, []bool{false, true}, cells)
}

// describeView prints a view's columns with their types and its definition, as psql's \d
// does. The types are those its query gives now: reading the view with LIMIT 0 plans the
// query without running it.
func (sh *Shell) describeView(name string) error {
	v, ok := sh.db.Store().Current().View(name)
	if !ok {
		return fmt.Errorf("Did not find any relation named %q.", name)
	}
	res, err := sh.db.Query(context.Background(), "SELECT * FROM "+quoteIdent(v.Name)+" LIMIT 0")
	if err != nil {
		return err
	}
	cells := make([][]string, len(res.Columns))
	for i, c := range res.Columns {
		cells[i] = []string{c.Name, c.Type.String()}
	}
	fmt.Fprintf(sh.out, "View %q\n", v.Name)
	printTable(sh.out, []string{"Column", "Type"}, make([]bool, 2), cells)
	fmt.Fprintf(sh.out, "View definition:\n %s;\n", v.Query)
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
