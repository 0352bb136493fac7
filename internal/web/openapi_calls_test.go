package web

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
)

// TestOpenAPICallSchemas checks the schemas of calls against their Go
// types, like the directory's, and the documented choices against the
// lists the rules accept.
func TestOpenAPICallSchemas(t *testing.T) {
	doc, raw := loadOpenAPI(t)
	for name, v := range map[string]any{
		"Call":     calls.Call{},
		"Rule":     calls.Rule{},
		"Unparsed": calls.Unparsed{},
		"CallPage": directory.Page[calls.Call]{},
	} {
		t.Run(name, func(t *testing.T) {
			schema := doc.Components.Schemas[name]
			if schema == nil {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			compareSchema(t, doc, name, schema, reflect.TypeOf(v), true)
		})
	}
	t.Run("CallInput", func(t *testing.T) {
		schema := doc.Components.Schemas["CallInput"]
		if schema == nil {
			t.Fatal("components/schemas/CallInput is missing")
		}
		if schema.AdditionalProperties == nil || *schema.AdditionalProperties {
			t.Error("CallInput: additionalProperties should be false")
		}
		compareSchema(t, doc, "CallInput", schema, reflect.TypeOf(CallInput{}), false)
	})

	enums := []struct {
		pointer string
		want    []string
	}{
		{"#/components/schemas/Rule/properties/kind/enum", calls.Kinds},
		{"#/components/schemas/Rule/properties/types/items/enum", calls.PartnerTypes()},
		{"#/components/schemas/Rule/properties/country_scope/enum", calls.Scopes},
		{"#/components/schemas/Rule/properties/origin/enum", calls.Origins},
		{"#/components/schemas/Unparsed/properties/reason/enum", calls.Reasons},
		{"#/components/schemas/CallInput/properties/stage/enum", calls.Stages},
	}
	for _, e := range enums {
		v, ok := resolvePointer(raw, e.pointer)
		if !ok {
			t.Errorf("%s is missing", e.pointer)
			continue
		}
		var got []string
		for _, x := range v.([]any) {
			got = append(got, fmt.Sprint(x))
		}
		if !slices.Equal(got, e.want) {
			t.Errorf("%s = %v, want %v (the rules accept these)", e.pointer, got, e.want)
		}
	}
}
