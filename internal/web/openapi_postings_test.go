package web

import (
	"reflect"
	"testing"

	"github.com/escnet/escnet/internal/postings"
)

// TestOpenAPIPostingsSchemas checks the schemas of postings and interests
// against their Go types.
func TestOpenAPIPostingsSchemas(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	for name, tc := range map[string]struct {
		v        any
		response bool
	}{
		"PostingInput":  {PostingInput{}, false},
		"InterestInput": {InterestInput{}, false},
		"Posting":       {postings.Posting{}, true},
		"PostingList":   {PostingList{}, true},
		"Interest":      {postings.Interest{}, true},
		"PostingDetail": {postings.Detail{}, true},
	} {
		t.Run(name, func(t *testing.T) {
			schema := doc.Components.Schemas[name]
			if schema == nil {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			compareSchema(t, doc, name, schema, reflect.TypeOf(tc.v), tc.response)
		})
	}
}
