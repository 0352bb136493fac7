package web

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes the JSON API (OpenAPI 3.1). A test checks it
// against the routing table in both directions.
//
//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPIDocument)
	return err
}
