package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

// This file is writes to rows as resources. Each request is one transaction of ordinary SQL
// statements — INSERT, UPDATE … WHERE key, DELETE … WHERE key — built from the table's
// definition with every value bound as a parameter, never spliced into the text. Identifiers
// come from the catalog and are quoted.
//
// Optimistic concurrency: a row's ETag is the seq of its last change. With If-Match, the
// transaction reads the row's version in its snapshot, refuses (412) if it differs, and writes;
// if another writer changes the row between that read and COMMIT, the commit's conflict check
// (first committer wins, SQLSTATE 40001) fails it, which is also answered 412.

// statementContext is the request's context bounded by the statement timeout.
func (s *Server) statementContext(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), s.opts.StatementTimeout)
}

// rowWrite is one write request on one table.
type rowWrite struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	def  *schema.Table
	ctx  context.Context
	sess *database.Session
}

// begin opens the transaction for a write to the request's table. On failure it has answered.
func (s *Server) begin(w http.ResponseWriter, r *http.Request) (*rowWrite, func(), bool) {
	info, err := s.db.Table(r.PathValue("table"))
	if err != nil {
		writeDBError(w, r, err)
		return nil, nil, false
	}
	ctx, cancel := s.statementContext(r)
	sess := s.db.Session()
	done := func() { sess.Close(); cancel() }
	if _, err := sess.Exec(ctx, "BEGIN"); err != nil {
		done()
		writeDBError(w, r, err)
		return nil, nil, false
	}
	return &rowWrite{s: s, w: w, r: r, def: info.Def, ctx: ctx, sess: sess}, done, true
}

// commit commits, answering a failure; conditional is whether If-Match was given.
func (x *rowWrite) commit(conditional bool) bool {
	res, err := x.sess.Exec(x.ctx, "COMMIT")
	if err == nil && len(res) == 1 && res[0].Tag == "ROLLBACK" {
		err = schema.Errorf(schema.CodeInFailedTx, "the transaction was rolled back")
	}
	var se *schema.Error
	if conditional && errors.As(err, &se) && se.Code == schema.CodeSerialization {
		writeError(x.w, http.StatusPreconditionFailed, "precondition_failed", "the row changed since the ETag given in If-Match")
		return false
	}
	if err != nil {
		writeDBError(x.w, x.r, err)
		return false
	}
	return true
}

// exec runs one statement in the transaction, answering a failure.
func (x *rowWrite) exec(sql string, args []any) (*database.Result, bool) {
	res, err := x.sess.Exec(x.ctx, sql, args...)
	if err != nil {
		writeDBError(x.w, x.r, err)
		return nil, false
	}
	return res[0], true
}

// insert runs INSERT INTO t (cols) VALUES (…) for one JSON object.
func (x *rowWrite) insert(obj map[string]any) bool {
	var cols, vals []string
	var args []any
	for _, name := range sortedKeys(obj) {
		c, err := x.column(name)
		if err != nil {
			writeDBError(x.w, x.r, err)
			return false
		}
		expr, arg, err := param(c, len(args)+1, obj[name])
		if err != nil {
			writeError(x.w, http.StatusBadRequest, "bad_request", fmt.Sprintf("column %q: %v", name, err))
			return false
		}
		cols, vals, args = append(cols, quote(c.Name)), append(vals, expr), append(args, arg)
	}
	sql := "INSERT INTO " + quote(x.def.Name) + " DEFAULT VALUES"
	if len(cols) > 0 {
		sql = fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", quote(x.def.Name), strings.Join(cols, ", "), strings.Join(vals, ", "))
	}
	_, ok := x.exec(sql, args)
	return ok
}

// column finds a column case-insensitively, as an unquoted SQL name would.
func (x *rowWrite) column(name string) (*schema.Column, error) {
	i := x.def.Column(name)
	if i < 0 {
		return nil, schema.Errorf(schema.CodeUndefinedColumn, "column %q of relation %q does not exist", name, x.def.Name)
	}
	return &x.def.Columns[i], nil
}

// param returns the SQL for the n-th parameter bound to v, a JSON scalar, for column c: numbers
// and booleans bind as themselves; a string for a column that is not text is cast to the
// column's type, so '2026-01-02 10:00' fills a timestamp as it would in SQL.
func param(c *schema.Column, n int, v any) (string, any, error) {
	arg, err := jsonScalar(v)
	if err != nil {
		return "", nil, err
	}
	switch c.Type.Kind {
	case schema.KindInt, schema.KindFloat, schema.KindBool:
		if _, ok := arg.(string); !ok {
			return fmt.Sprintf("$%d", n), arg, nil
		}
	case schema.KindText:
		if num, ok := v.(json.Number); ok {
			return fmt.Sprintf("$%d", n), num.String(), nil
		}
		return fmt.Sprintf("$%d", n), arg, nil
	}
	if arg == nil {
		return fmt.Sprintf("$%d", n), nil, nil
	}
	return fmt.Sprintf("CAST($%d AS %s)", n, c.Type.String()), fmt.Sprint(v), nil
}

func quote(ident string) string { return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"` }

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ { // a handful of columns: insertion sort keeps it short
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// insertRows serves POST /v1/tables/{table}/rows: one JSON object (201 with Location and ETag
// when the key is known), or with Content-Type application/x-ndjson one object per line, all
// in one transaction.
func (s *Server) insertRows(w http.ResponseWriter, r *http.Request) {
	x, done, ok := s.begin(w, r)
	if !ok {
		return
	}
	defer done()
	var objs []map[string]any
	if strings.HasPrefix(r.Header.Get("Content-Type"), ndjson) {
		sc := bufio.NewScanner(r.Body)
		sc.Buffer(make([]byte, 64<<10), int(s.opts.MaxBody))
		for line := 1; sc.Scan(); line++ {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			var obj map[string]any
			dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
			dec.UseNumber()
			if err := dec.Decode(&obj); err != nil {
				writeError(w, http.StatusBadRequest, "bad_request", fmt.Sprintf("line %d: invalid JSON object: %v", line, err))
				return
			}
			objs = append(objs, obj)
		}
		if err := sc.Err(); err != nil {
			badBody(w, err)
			return
		}
	} else {
		var obj map[string]any
		if !decodeBody(w, r, &obj) {
			return
		}
		objs = append(objs, obj)
	}
	for _, obj := range objs {
		if !x.insert(obj) {
			return
		}
	}
	if !x.commit(false) {
		return
	}
	seq, _ := s.db.Head()
	if len(objs) != 1 {
		writeJSON(w, http.StatusCreated, map[string]any{"rows_affected": len(objs), "seq": seq})
		return
	}
	x.answerRow(objs[0], http.StatusCreated)
}

// answerRow re-reads the row that obj names by its key columns and answers it with its ETag
// and Location; if obj does not name its key (a default filled it), it answers the seq only.
func (x *rowWrite) answerRow(obj map[string]any, status int) {
	seq, _ := x.s.db.Head()
	var key []string
	if pk := x.def.PrimaryKey(); pk != nil {
		for _, p := range x.def.KeyPositions(pk) {
			v, ok := lookupFold(obj, x.def.Columns[p].Name)
			if !ok || v == nil {
				writeJSON(x.w, status, map[string]any{"rows_affected": 1, "seq": seq})
				return
			}
			key = append(key, fmt.Sprint(v))
		}
	} else {
		writeJSON(x.w, status, map[string]any{"rows_affected": 1, "seq": seq})
		return
	}
	x.answerKey(key, status)
}

// answerKey answers the row with the given key as it is now committed.
func (x *rowWrite) answerKey(key []string, status int) {
	sess := x.s.db.Session()
	defer sess.Close()
	img, err := sess.Row(x.ctx, x.def.Name, key)
	if err != nil {
		writeDBError(x.w, x.r, err)
		return
	}
	x.w.Header().Set("ETag", etag(img.Version))
	x.w.Header().Set("Location", "/v1/tables/"+url.PathEscape(x.def.Name)+"/rows/"+joinKey(img.Key, url.PathEscape))
	writeJSON(x.w, status, rowObject{cols: x.def.Columns, row: img.Row})
}

func lookupFold(obj map[string]any, name string) (any, bool) {
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// target reads the row the URL names inside the transaction and checks If-Match against it.
// It returns the row (nil if absent) and whether to go on; on false it has answered.
func (x *rowWrite) target(key []string) (*database.RowImage, bool) {
	if x.def.PrimaryKey() == nil {
		writeError(x.w, http.StatusMethodNotAllowed, "no_primary_key",
			fmt.Sprintf("table %q has no primary key; change its rows with POST /v1/sql", x.def.Name))
		return nil, false
	}
	img, err := x.sess.Row(x.ctx, x.def.Name, key)
	if errors.Is(err, database.ErrNoRow) {
		img, err = nil, nil
	}
	if err != nil {
		writeDBError(x.w, x.r, err)
		return nil, false
	}
	match := x.r.Header.Get("If-Match")
	if match == "" {
		return img, true
	}
	if img == nil || (strings.TrimSpace(match) != "*" && !etagMatches(match, img.Version)) {
		writeError(x.w, http.StatusPreconditionFailed, "precondition_failed", "the row does not match If-Match: it changed or is gone")
		return nil, false
	}
	return img, true
}

// etagMatches reports whether an If-Match list names version (weak tags compare equal here:
// a row version is exact either way).
func etagMatches(header string, version uint64) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.Trim(strings.TrimPrefix(strings.TrimSpace(t), "W/"), `"`)
		if n, err := strconv.ParseUint(t, 10, 64); err == nil && n == version {
			return true
		}
	}
	return false
}

// keyWhere returns "WHERE k1 = $n AND …" binding the key values of the row image.
func (x *rowWrite) keyWhere(img *database.RowImage, args []any) (string, []any) {
	var conds []string
	for _, p := range x.def.KeyPositions(x.def.PrimaryKey()) {
		args = append(args, img.Row[p])
		conds = append(conds, fmt.Sprintf("%s = $%d", quote(x.def.Columns[p].Name), len(args)))
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// update runs UPDATE … SET for the body's columns (all non-key columns with replace, the
// missing ones set to DEFAULT) on the row img.
func (x *rowWrite) update(img *database.RowImage, obj map[string]any, replace bool) bool {
	keyCols := map[int]bool{}
	for _, p := range x.def.KeyPositions(x.def.PrimaryKey()) {
		keyCols[p] = true
	}
	var sets []string
	var args []any
	for name, v := range obj {
		c, err := x.column(name)
		if err != nil {
			writeDBError(x.w, x.r, err)
			return false
		}
		if p := x.def.Column(name); keyCols[p] {
			if fmt.Sprint(v) != img.Row[p].String() {
				writeError(x.w, http.StatusBadRequest, "bad_request", fmt.Sprintf("key column %q does not match the URL", c.Name))
				return false
			}
			continue
		}
		expr, arg, err := param(c, len(args)+1, v)
		if err != nil {
			writeError(x.w, http.StatusBadRequest, "bad_request", fmt.Sprintf("column %q: %v", name, err))
			return false
		}
		sets, args = append(sets, quote(c.Name)+" = "+expr), append(args, arg)
	}
	if replace {
		for i, c := range x.def.Columns {
			if _, ok := lookupFold(obj, c.Name); !ok && !keyCols[i] {
				sets = append(sets, quote(c.Name)+" = DEFAULT")
			}
		}
	}
	if len(sets) == 0 {
		return true
	}
	where, args := x.keyWhere(img, args)
	_, ok := x.exec("UPDATE "+quote(x.def.Name)+" SET "+strings.Join(sets, ", ")+where, args)
	return ok
}

// putRow serves PUT …/rows/{key}: replace the row (columns left out get their DEFAULT), or
// create it (201) when there is none and no If-Match was given.
func (s *Server) putRow(w http.ResponseWriter, r *http.Request) {
	s.changeRow(w, r, "PUT")
}

// patchRow serves PATCH …/rows/{key}: change only the columns given; 404 without the row.
func (s *Server) patchRow(w http.ResponseWriter, r *http.Request) {
	s.changeRow(w, r, "PATCH")
}

// deleteRow serves DELETE …/rows/{key}: 204, or 404 without the row.
func (s *Server) deleteRow(w http.ResponseWriter, r *http.Request) {
	s.changeRow(w, r, "DELETE")
}

func (s *Server) changeRow(w http.ResponseWriter, r *http.Request, method string) {
	key, ok := pathKey(w, r)
	if !ok {
		return
	}
	var obj map[string]any
	if method != "DELETE" && !decodeBody(w, r, &obj) {
		return
	}
	x, done, ok := s.begin(w, r)
	if !ok {
		return
	}
	defer done()
	img, ok := x.target(key)
	if !ok {
		return
	}
	conditional := r.Header.Get("If-Match") != ""
	status := http.StatusOK
	switch {
	case img == nil && method != "PUT":
		writeDBError(w, r, database.ErrNoRow)
		return
	case img == nil:
		pos := x.def.KeyPositions(x.def.PrimaryKey())
		if len(key) != len(pos) {
			writeError(w, http.StatusBadRequest, "22P02", fmt.Sprintf("key of table %q has %d column(s), got %d value(s)", x.def.Name, len(pos), len(key)))
			return
		}
		for i, p := range pos {
			name := x.def.Columns[p].Name
			if v, ok := lookupFold(obj, name); ok && fmt.Sprint(v) != key[i] {
				writeError(w, http.StatusBadRequest, "bad_request", fmt.Sprintf("key column %q does not match the URL", name))
				return
			} else if !ok {
				obj[name] = key[i]
			}
		}
		if !x.insert(obj) {
			return
		}
		status = http.StatusCreated
	case method == "DELETE":
		where, args := x.keyWhere(img, nil)
		if _, ok := x.exec("DELETE FROM "+quote(x.def.Name)+where, args); !ok {
			return
		}
	default:
		if !x.update(img, obj, method == "PUT") {
			return
		}
	}
	if !x.commit(conditional) {
		return
	}
	if method == "DELETE" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if img != nil {
		key = img.Key
	}
	x.answerKey(key, status)
}
