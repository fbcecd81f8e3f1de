package database

import (
	"strings"

	"github.com/eventsql/eventsql/schema"
)

// ViewHistory returns every event of the view named name (case-insensitively), oldest first:
// its ViewCreated events (the creation and each CREATE OR REPLACE) and its ViewDropped. The
// view is the live one of that name, else the last one that had it. A view's events are kept
// under its id in the log's per-table index, as a table's are.
func (db *DB) ViewHistory(name string) ([]EventInfo, error) {
	cat := db.store.Current().Catalog()
	var id uint64
	if v, ok := cat.View(name); ok {
		id = v.ID
	} else {
		for _, vid := range cat.ViewIDs() { // ascending: the last match is the newest view
			for _, ver := range cat.ViewVersions(vid) {
				if strings.EqualFold(ver.View.Name, name) {
					id = vid
				}
			}
		}
	}
	if id == 0 {
		return nil, schema.Errorf(schema.CodeUndefinedTable, "view %q does not exist", name)
	}
	var out []EventInfo
	err := db.scanTableEvents(id, func(e EventInfo) error {
		out = append(out, e)
		return nil
	})
	return out, err
}
