package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
)

// accessLevel is what an endpoint needs from the caller's token.
type accessLevel int

const (
	public    accessLevel = iota // no token needed
	read                         // the read token or the full token
	sqlAccess                    // like read; the handler refuses writes to a read token
	write                        // the full token
)

type roleKey struct{}

// readOnlyCaller reports whether the request was let in with the read token only.
func readOnlyCaller(r *http.Request) bool {
	ro, _ := r.Context().Value(roleKey{}).(bool)
	return ro
}

// authorize checks the bearer token against the endpoint's access level: 401 without a valid
// token, 403 for a write with the read token. Without any token configured, all is open.
func (s *Server) authorize(level accessLevel, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if level == public || (s.opts.Token == "" && s.opts.ReadToken == "") {
			next(w, r)
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		full := ok && s.opts.Token != "" && same(got, s.opts.Token)
		reader := ok && s.opts.ReadToken != "" && same(got, s.opts.ReadToken)
		switch {
		case full:
			next(w, r)
		case reader && level == write:
			writeError(w, http.StatusForbidden, "forbidden", "the read-only token cannot write")
		case reader:
			next(w, r.WithContext(context.WithValue(r.Context(), roleKey{}, true)))
		default:
			w.Header().Set("WWW-Authenticate", `Bearer realm="eventsql"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing or invalid bearer token")
		}
	})
}

// same compares tokens in constant time, so response times do not leak a token's prefix.
func same(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
