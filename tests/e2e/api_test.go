package e2e

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/cmd/web"
)

func TestSQL(t *testing.T) {
	s := start(t, web.Options{})
	s.sql("CREATE TABLE t (id integer PRIMARY KEY, name text, at timestamp)")
	out := s.sql("INSERT INTO t VALUES ($1, $2, $3), ($4, $5, NULL)", 1, "ann", "2026-01-02 03:04:05", 2, "o'brien; DROP TABLE t")
	assert.Equal(t, float64(2), out["rows_affected"])
	assert.Equal(t, float64(3), out["seq"], "the log position after the statement")

	out = s.sql("SELECT id, name, at FROM t WHERE name = $1", "o'brien; DROP TABLE t")
	assert.Equal(t, []any{[]any{float64(2), "o'brien; DROP TABLE t", nil}}, out["rows"], "parameters are bound, not spliced")
	assert.Equal(t, []any{
		map[string]any{"name": "id", "type": "integer"},
		map[string]any{"name": "name", "type": "text"},
		map[string]any{"name": "at", "type": "timestamp without time zone"},
	}, out["columns"])

	t.Run("transaction", func(t *testing.T) {
		body := map[string]any{"sql": "INSERT INTO t VALUES (3, 'c', NULL); INSERT INTO t VALUES (1, 'dup', NULL)", "transaction": true}
		e := s.json(409, "POST", "/v1/sql", body)
		assert.Equal(t, "23505", errCode(t, e))
		assert.Equal(t, []any{[]any{float64(2)}}, s.sql("SELECT count(*) FROM t")["rows"], "nothing of a failed transaction stays")
		body = map[string]any{"sql": "INSERT INTO t VALUES (3, 'c', NULL); UPDATE t SET name = 'C' WHERE id = 3", "transaction": true}
		s.json(200, "POST", "/v1/sql", body)
		assert.Equal(t, []any{[]any{"C"}}, s.sql("SELECT name FROM t WHERE id = 3")["rows"])
		e = s.json(400, "POST", "/v1/sql", map[string]any{"sql": "BEGIN; INSERT INTO t VALUES (9, 'x', NULL)"})
		assert.Equal(t, "25001", errCode(t, e))
		assert.Equal(t, []any{[]any{float64(3)}}, s.sql("SELECT count(*) FROM t")["rows"], "an open transaction is rolled back")
	})

	t.Run("ndjson", func(t *testing.T) {
		code, hdr, data := s.do("POST", "/v1/sql", `{"sql": "SELECT id, name FROM t ORDER BY id"}`, "Accept", "application/x-ndjson")
		require.Equal(t, 200, code)
		assert.Equal(t, "application/x-ndjson", hdr.Get("Content-Type"))
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		require.Len(t, lines, 5)
		assert.JSONEq(t, `{"columns":[{"name":"id","type":"integer"},{"name":"name","type":"text"}]}`, lines[0])
		assert.JSONEq(t, `[1,"ann"]`, lines[1])
		assert.JSONEq(t, `[3,"C"]`, lines[3])
		assert.Contains(t, lines[4], `"tag":"SELECT 3"`)
	})

	t.Run("errors", func(t *testing.T) {
		e := s.json(400, "POST", "/v1/sql", map[string]any{"sql": "SELECT * FORM t"})
		assert.Equal(t, "42601", errCode(t, e))
		assert.Equal(t, "1:10", e["error"].(map[string]any)["position"])
		e = s.json(404, "POST", "/v1/sql", map[string]any{"sql": "SELECT * FROM nope"})
		assert.Equal(t, "42P01", errCode(t, e))
		for _, bad := range []string{`{"sql": `, `[1,2]`, ``, `{"sql": "SELECT 1"} trailing`, `{"sql": "SELECT $1", "params": [{"a": 1}]}`, `{"sql": ""}`} {
			e = s.json(400, "POST", "/v1/sql", bad)
			assert.Equal(t, "bad_request", errCode(t, e), bad)
		}
		code, _, _ := s.do("GET", "/v1/nothing", nil)
		assert.Equal(t, 404, code)
		code, _, _ = s.do("DELETE", "/v1/sql", nil)
		assert.Equal(t, 405, code)
	})
}

func TestRowsAsResources(t *testing.T) {
	s := start(t, web.Options{})
	s.sql("CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, born timestamp, score integer DEFAULT 7)")

	code, hdr, data := s.do("POST", "/v1/tables/users/rows", `{"id": 1, "name": "ann", "born": "2000-01-02 03:04:05"}`)
	require.Equal(t, 201, code, string(data))
	assert.Equal(t, "/v1/tables/users/rows/1", hdr.Get("Location"))
	assert.Equal(t, `"2"`, hdr.Get("ETag"))
	assert.JSONEq(t, `{"id":1,"name":"ann","born":"2000-01-02 03:04:05","score":7}`, string(data))

	code, _, data = s.do("POST", "/v1/tables/users/rows", "{\"id\": 2, \"name\": \"bob\"}\n{\"id\": 3, \"name\": \"cy\"}\n", "Content-Type", "application/x-ndjson")
	require.Equal(t, 201, code, string(data))
	assert.JSONEq(t, `{"rows_affected":2,"seq":4}`, string(data))
	code, _, data = s.do("POST", "/v1/tables/users/rows", "{\"id\": 4, \"name\": \"d\"}\n{\"id\": 1, \"name\": \"dup\"}\n", "Content-Type", "application/x-ndjson")
	require.Equal(t, 409, code, "a batch is one transaction: %s", data)
	s.json(400, "POST", "/v1/tables/users/rows", `{"id": 5}`) // name is NOT NULL: 23502
	e := s.json(400, "POST", "/v1/tables/users/rows", `{"id": 5, "name": "e", "nope": 1}`)
	assert.Equal(t, "42703", errCode(t, e))

	t.Run("read", func(t *testing.T) {
		code, hdr, data := s.do("GET", "/v1/tables/users/rows/2", nil)
		require.Equal(t, 200, code)
		assert.Equal(t, `"3"`, hdr.Get("ETag"))
		assert.JSONEq(t, `{"id":2,"name":"bob","born":null,"score":7}`, string(data))
		s.json(404, "GET", "/v1/tables/users/rows/99", nil)
		s.json(404, "GET", "/v1/tables/nope/rows/1", nil)
		e := s.json(400, "GET", "/v1/tables/users/rows/abc", nil)
		assert.Equal(t, "22P02", errCode(t, e))

		tables := s.json(200, "GET", "/v1/tables", nil)
		require.Len(t, tables["tables"], 1)
		tbl := s.json(200, "GET", "/v1/tables/users", nil)["table"].(map[string]any)
		assert.Equal(t, float64(3), tbl["rows"])
		assert.Equal(t, []any{"id"}, tbl["primary_key"])

		page := s.json(200, "GET", "/v1/tables/users/rows?limit=2", nil)
		assert.Len(t, page["rows"], 2)
		require.NotNil(t, page["next"])
		page = s.json(200, "GET", page["next"].(string), nil)
		assert.Equal(t, []any{map[string]any{"id": float64(3), "name": "cy", "born": nil, "score": float64(7)}}, page["rows"])
		assert.Nil(t, page["next"])
		page = s.json(200, "GET", "/v1/tables/users/rows?as_of=2", nil)
		assert.Len(t, page["rows"], 1, "as of seq 2 only ann existed")
		s.json(400, "GET", "/v1/tables/users/rows?as_of=yesterday", nil)
	})

	t.Run("conditional writes", func(t *testing.T) {
		code, _, data := s.do("PATCH", "/v1/tables/users/rows/2", `{"name": "bobby"}`, "If-Match", `"99"`)
		require.Equal(t, 412, code, string(data))
		code, hdr, data := s.do("PATCH", "/v1/tables/users/rows/2", `{"name": "bobby"}`, "If-Match", `"3"`)
		require.Equal(t, 200, code, string(data))
		assert.JSONEq(t, `{"id":2,"name":"bobby","born":null,"score":7}`, string(data))
		newTag := hdr.Get("ETag")
		assert.NotEqual(t, `"3"`, newTag)
		code, _, _ = s.do("PUT", "/v1/tables/users/rows/2", `{"name": "robert"}`, "If-Match", `"3"`)
		assert.Equal(t, 412, code, "the old ETag no longer matches")
		code, _, data = s.do("PUT", "/v1/tables/users/rows/2", `{"name": "robert"}`, "If-Match", newTag)
		require.Equal(t, 200, code, string(data))
		assert.JSONEq(t, `{"id":2,"name":"robert","born":null,"score":7}`, string(data), "PUT replaces: score back to its DEFAULT")
		code, _, data = s.do("PUT", "/v1/tables/users/rows/10", `{"name": "new"}`)
		require.Equal(t, 201, code, string(data))
		code, _, _ = s.do("PUT", "/v1/tables/users/rows/11", `{"name": "new"}`, "If-Match", "*")
		assert.Equal(t, 412, code, "If-Match: * needs an existing row")
		code, _, _ = s.do("PUT", "/v1/tables/users/rows/10", `{"id": 12, "name": "x"}`)
		assert.Equal(t, 400, code, "the body's key must match the URL")
		s.json(404, "PATCH", "/v1/tables/users/rows/77", `{"name": "x"}`)

		code, _, _ = s.do("DELETE", "/v1/tables/users/rows/3", nil, "If-Match", `"1"`)
		assert.Equal(t, 412, code)
		code, _, _ = s.do("DELETE", "/v1/tables/users/rows/3", nil, "If-Match", `"4"`)
		assert.Equal(t, 204, code)
		s.json(404, "DELETE", "/v1/tables/users/rows/3", nil)
	})

	t.Run("history", func(t *testing.T) {
		h := s.json(200, "GET", "/v1/tables/users/rows/2/history", nil)["history"].([]any)
		require.Len(t, h, 3)
		types := []string{}
		for _, v := range h {
			types = append(types, v.(map[string]any)["type"].(string))
		}
		assert.Equal(t, []string{"eventsql.row.inserted", "eventsql.row.updated", "eventsql.row.updated"}, types)
		last := h[2].(map[string]any)
		assert.Equal(t, "bobby", last["before"].(map[string]any)["name"])
		assert.Equal(t, "robert", last["after"].(map[string]any)["name"])
		h = s.json(200, "GET", "/v1/tables/users/rows/3/history", nil)["history"].([]any)
		assert.Equal(t, "eventsql.row.deleted", h[len(h)-1].(map[string]any)["type"], "a deleted row keeps its history")
	})
}

// A composite key whose text value holds a comma: escaped in URLs, one value in the key.
func TestCompositeKey(t *testing.T) {
	s := start(t, web.Options{})
	s.sql("CREATE TABLE kv (k text, n integer, v text, PRIMARY KEY (k, n))")
	for _, k := range []string{"a,b", "a", "b/c"} {
		body, _ := json.Marshal(map[string]any{"k": k, "n": 1, "v": "x" + k})
		code, hdr, data := s.do("POST", "/v1/tables/kv/rows", string(body))
		require.Equal(t, 201, code, string(data))
		assert.Equal(t, "/v1/tables/kv/rows/"+url.PathEscape(k)+",1", hdr.Get("Location"))
	}
	code, _, data := s.do("GET", "/v1/tables/kv/rows/a%2Cb,1", nil)
	require.Equal(t, 200, code, string(data))
	assert.JSONEq(t, `{"k":"a,b","n":1,"v":"xa,b"}`, string(data))
	code, _, data = s.do("GET", "/v1/tables/kv/rows/b%2Fc,1", nil)
	require.Equal(t, 200, code, string(data))
	s.json(400, "GET", "/v1/tables/kv/rows/a", nil)
	page := s.json(200, "GET", "/v1/tables/kv/rows?limit=1&after=a,1", nil)
	assert.Equal(t, "a,b", page["rows"].([]any)[0].(map[string]any)["k"])
	code, _, _ = s.do("PATCH", "/v1/tables/kv/rows/a%2Cb,1", `{"v": "y"}`)
	assert.Equal(t, 200, code)
	h := s.json(200, "GET", "/v1/tables/kv/rows/a%2Cb,1/history", nil)["history"].([]any)
	assert.Len(t, h, 2)
}

// A table without a primary key: rows are read by row id; writes to them go through SQL.
func TestNoPrimaryKey(t *testing.T) {
	s := start(t, web.Options{})
	s.sql("CREATE TABLE log (msg text)")
	s.sql("INSERT INTO log VALUES ('a'), ('b')")
	page := s.json(200, "GET", "/v1/tables/log/rows?limit=1", nil)
	assert.Equal(t, "/v1/tables/log/rows?limit=1&after=1", page["next"])
	page = s.json(200, "GET", page["next"].(string), nil)
	assert.Equal(t, []any{map[string]any{"msg": "b"}}, page["rows"])
	code, hdr, data := s.do("GET", "/v1/tables/log/rows/2", nil)
	require.Equal(t, 200, code, string(data))
	assert.Equal(t, `"3"`, hdr.Get("ETag"))
	assert.JSONEq(t, `{"msg":"b"}`, string(data))
	s.json(405, "DELETE", "/v1/tables/log/rows/2", nil)
	s.json(400, "GET", "/v1/tables/log/rows/x", nil)
	s.json(404, "GET", "/v1/tables/log/rows/9/history", nil)
}

// as_of also takes a timestamp: the last commit at or before it.
func TestAsOfTimestamp(t *testing.T) {
	s := start(t, web.Options{})
	s.sql("CREATE TABLE t (id integer PRIMARY KEY)")
	s.sql("INSERT INTO t VALUES (1)")
	evs := s.watch("from=2")
	at := evs.next(t)["time"].(string)
	evs.close()
	time.Sleep(2 * time.Millisecond)
	s.sql("INSERT INTO t VALUES (2)")
	page := s.json(200, "GET", "/v1/tables/t/rows?as_of="+url.QueryEscape(at), nil)
	assert.Equal(t, float64(2), page["seq"])
	assert.Len(t, page["rows"], 1)
	assert.Len(t, s.json(200, "GET", "/v1/tables/t/rows", nil)["rows"], 2)
	s.json(400, "GET", "/v1/tables/t/rows?as_of=2001-01-01T00:00:00Z", nil)
}
