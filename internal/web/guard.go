package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/escnet/escnet/internal/validate"
)

// readOnlyRoutes take a POST (their query does not fit in an address) but
// change nothing, so read-scoped API tokens may call them. Every other
// route that is not GET or HEAD changes state and refuses such tokens.
var readOnlyRoutes = map[string]bool{
	"POST /api/v1/partners":  true,
	"POST /api/v1/consortia": true,
}

// changesState reports whether a request to the route pattern may change
// anything.
func changesState(method, pattern string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return !readOnlyRoutes[pattern]
}

// guard applies the rules every route shares before its handler runs: a
// read-scoped API token changes nothing, and no address, query parameter
// or form field may hold a NUL byte (PostgreSQL cannot store one, SQLite
// would). It looks up the route the mux will choose, so the rules hold for
// every route, also those added later.
func (s *Server) guard(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if v := viewerFrom(r.Context()); v.ReadOnlyToken() && changesState(r.Method, pattern) {
			s.refuse(w, r, errForbidden(v))
			return
		}
		if err := checkNUL(w, r); err != nil {
			s.refuse(w, r, err)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// refuse answers a request the guard stops: in problem+json for the API
// and API clients, as an error page for browsers.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		writeProblem(w, r, toProblem(r, err))
		return
	}
	s.page(func(http.ResponseWriter, *http.Request) error { return err }).ServeHTTP(w, r)
}

// checkNUL refuses a NUL character in the path, a query parameter (name or
// value) or a field of a URL-encoded form, naming where it is. JSON bodies
// are checked by decodeJSON, field by field.
func checkNUL(w http.ResponseWriter, r *http.Request) error {
	if strings.ContainsRune(r.URL.Path, 0) {
		return errNUL("path")
	}
	if strings.Contains(r.URL.RawQuery, "%00") || strings.ContainsRune(r.URL.RawQuery, 0) {
		q, _ := url.ParseQuery(r.URL.RawQuery)
		if f := nulField(q); f != "" {
			return errNUL(f)
		}
	}
	if r.Body == nil || r.Method == http.MethodGet {
		return nil
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		return nil
	}
	// Read the form (bounded as parseForm bounds it) and put it back for
	// the handler.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxForm+1))
	if err != nil {
		return errBadRequest("The form could not be read.", validate.Errors{{Field: "body", Code: validate.Malformed}})
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
	if !bytes.Contains(body, []byte("%00")) && !bytes.ContainsRune(body, 0) {
		return nil
	}
	form, _ := url.ParseQuery(string(body))
	if f := nulField(form); f != "" {
		return errNUL(f)
	}
	return nil
}

// nulField names the first parameter whose name or value holds a NUL.
func nulField(vals url.Values) string {
	for k, vs := range vals {
		if strings.ContainsRune(k, 0) {
			return strings.ReplaceAll(k, "\x00", `\0`)
		}
		for _, v := range vs {
			if strings.ContainsRune(v, 0) {
				return k
			}
		}
	}
	return ""
}

func errNUL(field string) error {
	return errBadRequest("Field "+field+" holds a NUL character, which text may not contain.",
		validate.Errors{{Field: field, Code: validate.NulByte}})
}
