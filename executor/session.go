package executor

import (
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// Session parameters. The only one is TimeZone, and it is always UTC: timestamptz values are
// read without a zone and printed in UTC. SET TIME ZONE accepts the names of UTC (so scripts
// written for PostgreSQL that pin the zone to UTC run unchanged) and rejects any other zone
// rather than silently ignoring it.

// utcNames are the spellings of UTC that SET TIME ZONE accepts, lower case.
var utcNames = map[string]bool{"utc": true, "etc/utc": true, "gmt": true, "etc/gmt": true, "z": true,
	"zulu": true, "universal": true, "etc/universal": true, "uct": true, "0": true, "+0": true, "-0": true, "utc0": true}

// set runs SET.
func (x *execution) set(s *parser.SetStmt) (*Result, error) {
	if s.Name == "as of" {
		// SET SESSION AS OF pins the point once: a later now() does not move it.
		if s.AsOf == nil {
			return &Result{Tag: "RESET", SessionAsOf: &SessionAsOf{Reset: true}}, nil
		}
		seq, err := x.seqAsOf(s.AsOf)
		if err != nil {
			return nil, err
		}
		return &Result{Tag: "SET", SessionAsOf: &SessionAsOf{Seq: seq}}, nil
	}
	if s.Name != "timezone" {
		return nil, errAt(s, schema.CodeFeatureUnsupported, "SET %s is not supported", s.Name)
	}
	if !s.Default && !utcNames[strings.ToLower(s.Value)] {
		return nil, errAt(s, schema.CodeFeatureUnsupported, "time zone %q is not supported: the session time zone is always UTC", s.Value)
	}
	return &Result{Tag: "SET"}, nil
}

// show runs SHOW.
func (x *execution) show(s *parser.ShowStmt) (*Result, error) {
	if s.Name != "timezone" {
		return nil, errAt(s, schema.CodeFeatureUnsupported, "SHOW %s is not supported", s.Name)
	}
	return &Result{Columns: []Column{{Name: "TimeZone", Type: schema.Text}}, Rows: []schema.Row{{schema.Str("UTC")}},
		RowsAffected: 1, Tag: "SHOW"}, nil
}
