// Package conformance runs SQLite's sqllogictest corpus against eventsql through the public Go
// API (database.Open, Session.Exec) and compares every result with the corpus's expectations.
//
// The corpus lives outside the repository (../shared/sqllogictest from the repository root, or
// the directory named by EVENTSQL_SLT_DIR) and is read in place. The pieces, in the order a
// record travels through them:
//
//	script.go    parse a .test file into records (statement, query, hash-threshold, halt)
//	             with their skipif/onlyif conditions
//	render.go    turn a result's values into sqllogictest's text form (I, R, T columns),
//	             sort them (rowsort, valuesort) and hash large results
//	runner.go    run one file's records in one session, with a per-record timeout, and
//	             collect the failures
//	known.go     the allow-list of records known to fail (known_failures.txt)
//	baseline.go  PostgreSQL 15's per-file pass rates, read from the corpus README
//	report.go    the per-file summary table
//
// The test (conformance_test.go) runs every file in parallel, fails on any failing record that
// known_failures.txt does not list, and prints the summary ending in "N passed, M failed".
// See README.md for how to run it and the current figures.
package conformance
