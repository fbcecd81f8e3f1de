// Package repl is eventsql's interactive shell: the sql> prompt with line editing and history,
// statements over several lines, psql-style meta-commands and aligned result tables. Fed a
// script instead of a terminal, it runs it without prompts and stops at the first error.
package repl
