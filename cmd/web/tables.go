package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/eventsql/eventsql/database"
	"github.com/eventsql/eventsql/schema"
)

// This file is tables and rows as read-only resources: the catalog, pages of rows in key order
// (optionally as of an older seq or time), one row with its ETag, and a row's history.
//
// A row's key in a URL is its primary key values, each URL-escaped, joined by commas:
// /v1/tables/orders/rows/42, /v1/tables/lines/rows/42,3, /v1/tables/users/rows/a%2Cb for the
// text key "a,b". A table without a primary key is keyed by its row id.

type tableJSON struct {
	Name       string      `json:"name"`
	Columns    []colJSON   `json:"columns"`
	PrimaryKey []string    `json:"primary_key"`
	Indexes    []indexJSON `json:"indexes"`
	Rows       int         `json:"rows"`
}

type colJSON struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	NotNull bool   `json:"not_null,omitempty"`
	Default string `json:"default,omitempty"`
}

type indexJSON struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Unique  bool     `json:"unique"`
	Primary bool     `json:"primary,omitempty"`
	Method  string   `json:"method"`
}

func describeTable(info database.TableInfo) tableJSON {
	def := info.Def
	t := tableJSON{Name: def.Name, Columns: []colJSON{}, PrimaryKey: []string{}, Indexes: []indexJSON{}, Rows: info.Rows}
	for _, c := range def.Columns {
		t.Columns = append(t.Columns, colJSON{Name: c.Name, Type: c.Type.String(), NotNull: c.NotNull, Default: c.Default})
	}
	for i := range def.Indexes {
		ix := &def.Indexes[i]
		j := indexJSON{Name: ix.Name, Columns: []string{}, Unique: ix.Unique, Primary: ix.Primary, Method: ix.Method.String()}
		for _, p := range def.KeyPositions(ix) {
			if p >= 0 {
				j.Columns = append(j.Columns, def.Columns[p].Name)
			}
		}
		if ix.Primary {
			t.PrimaryKey = j.Columns
		}
		t.Indexes = append(t.Indexes, j)
	}
	return t
}

func (s *Server) listTables(w http.ResponseWriter, r *http.Request) {
	seq, _ := s.db.Head()
	tables := []tableJSON{}
	for _, info := range s.db.Tables() {
		tables = append(tables, describeTable(info))
		seq = info.Seq
	}
	writeJSON(w, http.StatusOK, map[string]any{"tables": tables, "seq": seq})
}

func (s *Server) getTable(w http.ResponseWriter, r *http.Request) {
	info, err := s.db.Table(r.PathValue("table"))
	if err != nil {
		writeDBError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"table": describeTable(info), "seq": info.Seq})
}

// rowObject is a row as a JSON object whose members keep the table's column order.
type rowObject struct {
	cols []schema.Column
	row  schema.Row
}

func (o rowObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range o.cols {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(c.Name)
		b.Write(name)
		b.WriteByte(':')
		var v any
		if i < len(o.row) {
			v = jsonValue(o.row[i])
		}
		val, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// imageObject is a row image named by column names (as an event describes it).
func imageObject(names []string, row schema.Row) any {
	if row == nil {
		return nil
	}
	cols := make([]schema.Column, len(names))
	for i, n := range names {
		cols[i].Name = n
	}
	return rowObject{cols: cols, row: row}
}

// listRows serves GET /v1/tables/{table}/rows?limit=&after=&as_of=: a page of rows in key
// order with a link to the next page.
func (s *Server) listRows(w http.ResponseWriter, r *http.Request) {
	table := r.PathValue("table")
	q := r.URL.Query()
	limit := 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			writeError(w, http.StatusBadRequest, "bad_request", "limit must be an integer from 1 to 10000")
			return
		}
		limit = n
	}
	var after []string
	if raw, ok := rawQueryParam(r, "after"); ok {
		var err error
		if after, err = splitKey(raw, url.QueryUnescape); err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "after: "+err.Error())
			return
		}
	}
	asOf, err := s.asOf(q.Get("as_of"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	ctx, cancel := s.statementContext(r)
	defer cancel()
	page, err := s.db.Rows(ctx, table, after, limit, asOf)
	if err != nil {
		writeDBError(w, r, err)
		return
	}
	rows := make([]rowObject, len(page.Rows))
	for i, img := range page.Rows {
		rows[i] = rowObject{cols: page.Def.Columns, row: img.Row}
	}
	out := map[string]any{"rows": rows, "seq": page.Seq, "next": nil}
	if page.More {
		next := url.Values{"limit": {strconv.Itoa(limit)}}
		if asOf != 0 {
			next.Set("as_of", strconv.FormatUint(page.Seq, 10))
		}
		last := page.Rows[len(page.Rows)-1].Key
		out["next"] = "/v1/tables/" + url.PathEscape(page.Def.Name) + "/rows?" + next.Encode() + "&after=" + joinKey(last, url.QueryEscape)
	}
	writeJSON(w, http.StatusOK, out)
}

// asOf reads as_of: a seq, or a timestamp (RFC 3339 or "2006-01-02 15:04:05") naming the last
// seq committed at or before it. "" is 0: now.
func (s *Server) asOf(v string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	if n, err := strconv.ParseUint(v, 10, 64); err == nil {
		if n == 0 {
			return 0, errBadAsOf
		}
		return n, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			seq := s.db.SeqAtTime(t)
			if seq == 0 {
				return 0, errBeforeHistory
			}
			return seq, nil
		}
	}
	return 0, errBadAsOf
}

func (s *Server) getRow(w http.ResponseWriter, r *http.Request) {
	key, ok := pathKey(w, r)
	if !ok {
		return
	}
	ctx, cancel := s.statementContext(r)
	defer cancel()
	sess := s.db.Session()
	defer sess.Close()
	img, err := sess.Row(ctx, r.PathValue("table"), key)
	if err != nil {
		writeDBError(w, r, err)
		return
	}
	info, err := s.db.Table(r.PathValue("table"))
	if err != nil {
		writeDBError(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(img.Version))
	writeJSON(w, http.StatusOK, rowObject{cols: info.Def.Columns, row: img.Row})
}

// rowHistory serves GET …/rows/{key}/history: every event of the row, oldest first.
func (s *Server) rowHistory(w http.ResponseWriter, r *http.Request) {
	key, ok := pathKey(w, r)
	if !ok {
		return
	}
	events, err := s.db.RowHistory(r.PathValue("table"), key)
	if err != nil {
		writeDBError(w, r, err)
		return
	}
	type version struct {
		Seq    uint64    `json:"seq"`
		Time   time.Time `json:"time"`
		TxID   uint64    `json:"txid"`
		Type   string    `json:"type"`
		Before any       `json:"before"`
		After  any       `json:"after"`
	}
	out := []version{}
	for _, e := range events {
		before, after := e.Images()
		out = append(out, version{Seq: e.Seq, Time: e.Time, TxID: e.TxID, Type: "eventsql." + e.Kind(),
			Before: imageObject(e.Columns, before), After: imageObject(e.Columns, after)})
	}
	if len(out) == 0 {
		writeError(w, http.StatusNotFound, "not_found", "no row ever had this key")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"history": out})
}

// pathKey returns the {key} segment split into its values, unescaped; on a bad key it writes
// 400 and returns false. It reads the escaped path because an escaped comma (%2C) belongs to a
// value, and PathValue would already have unescaped it.
func pathKey(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	segs := strings.Split(r.URL.EscapedPath(), "/") // "", "v1", "tables", table, "rows", key, ...
	if len(segs) < 6 {
		writeError(w, http.StatusBadRequest, "bad_request", "missing row key")
		return nil, false
	}
	key, err := splitKey(segs[5], url.PathUnescape)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "bad row key: "+err.Error())
		return nil, false
	}
	return key, true
}

func splitKey(raw string, unescape func(string) (string, error)) ([]string, error) {
	parts := strings.Split(raw, ",")
	for i, p := range parts {
		v, err := unescape(p)
		if err != nil {
			return nil, err
		}
		parts[i] = v
	}
	return parts, nil
}

func joinKey(key []string, escape func(string) string) string {
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = escape(k)
	}
	return strings.Join(parts, ",")
}

// rawQueryParam returns a query parameter still escaped, for the same reason as pathKey.
func rawQueryParam(r *http.Request, name string) (string, bool) {
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v, true
		}
	}
	return "", false
}

func etag(version uint64) string { return `"` + strconv.FormatUint(version, 10) + `"` }
