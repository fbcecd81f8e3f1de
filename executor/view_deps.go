package executor

import (
	"sort"
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// View dependencies. A view depends on the tables and views its query names and on the table
// columns it reads, in the current state; AS OF references depend on nothing current. They
// are not stored: they are found by planning each view's query with a recorder attached —
// bindTable and prepareView note the relations, scope.find and expandStars the columns.
// DROP TABLE, DROP VIEW and ALTER TABLE ... DROP COLUMN refuse (2BP01) when a view outside
// the statement depends on what they drop, or with CASCADE drop those views first, each
// with its own ViewDropped event. A rename of a table or column that a view uses is refused:
// the view's stored text names it, and rewriting that text is not done (see README).

// dependencies is what one view's query uses directly.
type dependencies struct {
	relations map[uint64]bool    // table and view IDs
	columns   map[columnUse]bool // table columns
	names     map[uint64]string  // relation ID → name, for messages
}

// columnUse is one column of one table, by lower-cased name.
type columnUse struct {
	table uint64
	name  string
}

func newDependencies() *dependencies {
	return &dependencies{relations: map[uint64]bool{}, columns: map[columnUse]bool{}, names: map[uint64]string{}}
}

// noteColumn records that the column named name of table bt is read, when bt is recorded.
func (bt *baseTable) noteColumn(name string) {
	if bt != nil && bt.deps != nil {
		bt.deps.columns[columnUse{bt.def.ID, strings.ToLower(name)}] = true
	}
}

// viewGraph is the dependencies of every live view of the state x reads, by view ID.
type viewGraph struct {
	views map[uint64]*schema.View
	deps  map[uint64]*dependencies
}

// graph plans every live view with a recorder. A view whose query no longer plans (one that
// reads itself) depends on nothing.
func (x *execution) graph() *viewGraph {
	g := &viewGraph{views: map[uint64]*schema.View{}, deps: map[uint64]*dependencies{}}
	for _, v := range x.read.Catalog().Views() {
		vx := x.forView(x.read)
		vx.deps = newDependencies()
		g.views[v.ID] = v
		if _, err := vx.planView(v); err == nil {
			g.deps[v.ID] = vx.deps
		}
	}
	return g
}

// dependents returns the live views that depend directly on relation id (or, when col is not
// "", on that column of table id), sorted by name.
func (g *viewGraph) dependents(id uint64, col string) []*schema.View {
	var out []*schema.View
	for vid, d := range g.deps {
		if col == "" && d.relations[id] || col != "" && d.columns[columnUse{id, strings.ToLower(col)}] {
			out = append(out, g.views[vid])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// dropOrder returns the views to drop, dependents before what they depend on, so that the
// given direct dependents (and everything depending on them) go; it skips views in done.
func (g *viewGraph) dropOrder(direct []*schema.View, done map[uint64]bool) []*schema.View {
	var order []*schema.View
	var visit func(v *schema.View)
	visit = func(v *schema.View) {
		if done[v.ID] {
			return
		}
		done[v.ID] = true
		for _, d := range g.dependents(v.ID, "") {
			visit(d)
		}
		order = append(order, v)
	}
	for _, v := range direct {
		visit(v)
	}
	return order
}

// dropDependents handles the views that depend on what a DROP removes (relation id, or its
// column col): without CASCADE it fails with 2BP01 if one is not dropped by the statement
// itself (in dropping); with CASCADE it drops them, dependents first.
func (x *execution) dropDependents(g *viewGraph, id uint64, col string, cascade bool, dropping map[uint64]bool, what string, at parser.Node) error {
	direct := g.dependents(id, col)
	if !cascade {
		for _, v := range direct {
			if !dropping[v.ID] {
				return errAt(at, schema.CodeDependentObjects, "cannot drop %s because other objects depend on it", what)
			}
		}
		return nil
	}
	for _, v := range g.dropOrder(direct, dropping) {
		if err := x.env.Tx.DropView(v.ID); err != nil {
			return err
		}
	}
	return nil
}

// refuseRename fails when a view uses table id (col == "") or its column col: the view's
// text names them, so a rename would break it.
func (x *execution) refuseRename(id uint64, col, what string, at parser.Node) error {
	g := x.graph()
	if vs := g.dependents(id, col); len(vs) > 0 {
		return errAt(at, schema.CodeDependentObjects, "cannot rename %s because view %s depends on it", what, vs[0].Name)
	}
	return nil
}
