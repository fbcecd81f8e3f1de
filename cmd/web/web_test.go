package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/database"
)

func post(t *testing.T, h http.Handler, body string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/sql", strings.NewReader(body)))
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec.Code, out
}

func TestSQL(t *testing.T) {
	db, err := database.Open(t.TempDir(), &database.Options{NoSync: true})
	require.NoError(t, err)
	defer db.Close()
	h := New(db, Options{}).Handler()

	code, out := post(t, h, `{"sql": "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"}`)
	require.Equal(t, 200, code, out)
	code, out = post(t, h, `{"sql": "INSERT INTO t VALUES ($1, $2), ($3, $4)", "params": [1, "ann", 2, null]}`)
	require.Equal(t, 200, code, out)
	assert.Equal(t, float64(2), out["rows_affected"])
	assert.Equal(t, float64(3), out["seq"])

	code, out = post(t, h, `{"sql": "SELECT id, name FROM t ORDER BY id"}`)
	require.Equal(t, 200, code, out)
	assert.Equal(t, []any{[]any{float64(1), "ann"}, []any{float64(2), nil}}, out["rows"])
	assert.Equal(t, []any{map[string]any{"name": "id", "type": "integer"}, map[string]any{"name": "name", "type": "text"}}, out["columns"])

	code, out = post(t, h, `{"sql": "SELECT * FORM t"}`)
	assert.Equal(t, 400, code)
	assert.Equal(t, "42601", out["error"].(map[string]any)["code"])
	assert.Equal(t, "1:10", out["error"].(map[string]any)["position"])

	code, out = post(t, h, `{"sql": "INSERT INTO t VALUES (1, 'again')"}`)
	assert.Equal(t, 409, code)
	assert.Equal(t, "23505", out["error"].(map[string]any)["code"])

	code, _ = post(t, h, `{"sql": "INSERT INTO t VALUES (3, 'x'); INSERT INTO t VALUES (1, 'y')", "transaction": true}`)
	assert.Equal(t, 409, code)
	_, out = post(t, h, `{"sql": "SELECT count(*) FROM t"}`)
	assert.Equal(t, []any{[]any{float64(2)}}, out["rows"], "a failed transaction leaves nothing")

	code, out = post(t, h, `{"sql": `)
	assert.Equal(t, 400, code)
	assert.Equal(t, "bad_request", out["error"].(map[string]any)["code"])
}
