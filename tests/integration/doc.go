// Package integration holds eventsql's system tests: logic-test scripts run through the public
// Go API under several configurations, and Go tests of recovery, snapshots, time travel,
// indexes and transactions.
package integration
