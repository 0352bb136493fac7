package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
)

// openAPIFiles hold the OpenAPI 3.1 document, one file per capability:
// base.json carries the header, tags and shared components; every other
// file adds its paths and schemas. A test checks the assembled document
// against the routing table in both directions.
//
//go:embed openapi/*.json
var openAPIFiles embed.FS

// openAPIDocument is the assembled document served at /api/openapi.json.
var openAPIDocument = mustAssembleOpenAPI(openAPIFiles)

// openAPIPart is what a capability's file may add to the document.
type openAPIPart struct {
	Paths      map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

// assembleOpenAPI merges the capability files into base.json. A path or
// schema defined twice is an error, so two capabilities cannot silently
// overwrite each other's definitions.
func assembleOpenAPI(files fs.FS) ([]byte, error) {
	baseBytes, err := fs.ReadFile(files, "openapi/base.json")
	if err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(baseBytes, &doc); err != nil {
		return nil, fmt.Errorf("openapi/base.json: %w", err)
	}
	var paths map[string]json.RawMessage
	if err := json.Unmarshal(doc["paths"], &paths); err != nil {
		return nil, fmt.Errorf("openapi/base.json: paths: %w", err)
	}
	var components map[string]json.RawMessage
	if err := json.Unmarshal(doc["components"], &components); err != nil {
		return nil, fmt.Errorf("openapi/base.json: components: %w", err)
	}
	var schemas map[string]json.RawMessage
	if err := json.Unmarshal(components["schemas"], &schemas); err != nil {
		return nil, fmt.Errorf("openapi/base.json: schemas: %w", err)
	}
	names, err := fs.Glob(files, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	for _, name := range names {
		if name == "openapi/base.json" {
			continue
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		var part openAPIPart
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for p, v := range part.Paths {
			if _, dup := paths[p]; dup {
				return nil, fmt.Errorf("%s: path %s is already defined", name, p)
			}
			paths[p] = v
		}
		for s, v := range part.Components.Schemas {
			if _, dup := schemas[s]; dup {
				return nil, fmt.Errorf("%s: schema %s is already defined", name, s)
			}
			schemas[s] = v
		}
	}
	if components["schemas"], err = json.Marshal(schemas); err != nil {
		return nil, err
	}
	if doc["components"], err = json.Marshal(components); err != nil {
		return nil, err
	}
	if doc["paths"], err = json.Marshal(paths); err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

func mustAssembleOpenAPI(files fs.FS) []byte {
	b, err := assembleOpenAPI(files)
	if err != nil {
		panic("openapi: " + err.Error())
	}
	return b
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPIDocument)
	return err
}
