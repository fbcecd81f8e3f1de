package schema

// View is one version of a view's definition: a named, stored query. ID comes from the same
// counter as table IDs (views and tables are both relations and share one namespace), and a
// CREATE OR REPLACE VIEW keeps it. Query is the SQL text of the query, as the parser formats
// it; Columns are the names of its output columns, which the view's users see.
//
// A View is immutable once stored in a catalog: derive a new version instead of changing it.
type View struct {
	ID      uint64
	Name    string
	Columns []string
	Query   string
}
