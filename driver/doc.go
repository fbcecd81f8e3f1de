// Package driver registers eventsql with database/sql under the name "eventsql"; the data
// source name is the path of a data directory: sql.Open("eventsql", "./eventsql-data").
//
// Every sql.DB opened on the same directory in one process shares one database.DB (a data
// directory is locked by the process that opens it), which is closed when the last sql.DB
// using it is closed. Each pooled connection is a database.Session, so transactions, and an
// error aborting a transaction, behave as in PostgreSQL.
package driver
