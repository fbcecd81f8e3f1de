package database

import (
	"fmt"
	"strings"
)

// Classify parses SQL text and reports each statement's kind — the syntax node's name in lower
// case: "select", "insert", "update", "createtable", … — and whether the whole text only reads
// (SELECT, set operations, EXPLAIN without ANALYZE, and transaction control). The HTTP API uses
// it to let a read-only token run queries and to label query latency. A syntax error is
// returned as Parse returns it.
func Classify(sql string) (kinds []string, readOnlyText bool, err error) {
	stmts, err := Parse(sql)
	if err != nil {
		return nil, false, err
	}
	readOnlyText = true
	for _, s := range stmts {
		kind := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%T", s), "*parser."), "Stmt"))
		kinds = append(kinds, kind)
		switch kind {
		case "begin", "commit", "rollback":
		default:
			readOnlyText = readOnlyText && readOnly(s)
		}
	}
	return kinds, readOnlyText, nil
}
