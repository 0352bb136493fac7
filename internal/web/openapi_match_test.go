package web

import (
	"reflect"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/live"
)

// TestOpenAPIMatchSchemas checks the schemas of the partner finder and
// the consortium builder against their Go types, like the directory's.
func TestOpenAPIMatchSchemas(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	for name, v := range map[string]any{
		"PartnerList":      live.Partners{},
		"RankedPartner":    live.Partner{},
		"Signals":          match.Signals{},
		"ProjectRef":       match.ProjectRef{},
		"Reason":           match.Reason{},
		"ConsortiumList":   live.Consortia{},
		"Proposal":         live.Proposal{},
		"ScoreParts":       match.ScoreParts{},
		"ConsortiumMember": live.Member{},
		"RuleResult":       calls.Result{},
	} {
		t.Run(name, func(t *testing.T) {
			schema := doc.Components.Schemas[name]
			if schema == nil {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			compareSchema(t, doc, name, schema, reflect.TypeOf(v), true)
		})
	}
	for name, v := range map[string]any{
		"PartnersInput":   PartnersInput{},
		"ConsortiumInput": ConsortiumInput{},
		"MatchFilter":     MatchFilter{},
	} {
		t.Run(name, func(t *testing.T) {
			schema := doc.Components.Schemas[name]
			if schema == nil {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			if schema.AdditionalProperties == nil || *schema.AdditionalProperties {
				t.Errorf("%s: additionalProperties should be false", name)
			}
			compareSchema(t, doc, name, schema, reflect.TypeOf(v), false)
		})
	}
}
