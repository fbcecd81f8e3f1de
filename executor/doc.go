// Package executor plans and runs SQL statements. It takes a parsed statement (parser.Stmt)
// and its parameter values, validates it against the catalog the transaction sees, and either
// computes the rows of a query or performs the writes of a DML or DDL statement on a
// *storage.Tx, which records them as events. It never touches the event log: the database
// package commits the transaction, and only then do the events become durable and visible.
//
// A statement goes through four steps, all inside one call to Execute:
//
//	parse tree ──bind──▶ tables and columns resolved (scope.go, asof.go)
//	           ──plan──▶ tree of operators with compiled expressions (plan.go, from.go,
//	                     join_plan.go, access.go, aggregate.go, sort.go)
//	           ──run───▶ rows pushed from scans up through the operators (operators.go,
//	                     scan.go, join.go, ...)
//	           ──write─▶ storage.Tx calls, after all reads (insert.go, dml.go, ddl.go)
//
// Expressions are compiled once per statement into closures (expr_compile.go): names become
// row positions and every operator's types and errors are decided before the first row is
// read, so evaluating a row is a chain of function calls. The semantics follow PostgreSQL 15:
// three-valued logic, integer overflow and division errors, assignment casts, untyped
// literals that take the type of their context; the error codes are PostgreSQL's SQLSTATEs
// carried by *schema.Error.
//
// Invariants:
//   - a statement reads one snapshot, the transaction's state when it began (an AS OF table
//     reference reads its own older state), so its writes never affect its reads;
//   - writes happen after every row to write has been computed, so an error in computing a
//     row (a type error, a NOT NULL violation) writes nothing; a write that storage.Tx
//     rejects (a unique violation) may leave the statement's earlier writes in the
//     transaction, which the caller must then abort, as PostgreSQL aborts it;
//   - an index only narrows where a scan looks: every condition is evaluated on every row a
//     scan fetches, so a wrong access path can cost time but not give wrong rows;
//   - rows handed from one operator to the next are never modified afterwards.
//
// Execute is safe to call from several goroutines on different transactions; one
// transaction's statements must run one at a time.
package executor
