package web

import (
	"reflect"
	"testing"

	"github.com/escnet/escnet/internal/governance"
)

// TestOpenAPIGovernanceSchemas checks the schemas of applications and
// criteria against their Go types.
func TestOpenAPIGovernanceSchemas(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	for name, tc := range map[string]struct {
		v        any
		response bool
	}{
		"ApplicationInput":  {ApplicationInput{}, false},
		"NoteInput":         {NoteInput{}, false},
		"JoinDecisionInput": {JoinDecisionInput{}, false},
		"ReplyInput":        {ReplyInput{}, false},
		"Criteria":          {governance.Criteria{}, true},
		"Range":             {governance.Range{}, true},
		"Members":           {governance.Members{}, true},
		"Contact":           {governance.Contact{}, true},
		"Note":              {governance.Note{}, true},
		"Result":            {governance.Result{}, true},
		"ApplicationView":   {ApplicationView{}, true},
		"NewApplication":    {NewApplication{}, true},
		"ApplicationList":   {ApplicationList{}, true},
		"LetterInput":       {LetterInput{}, false},
		"SignInput":         {governance.SignInput{}, false},
		"LetterText":        {governance.LetterText{}, true},
		"LetterVersion":     {governance.LetterVersion{}, true},
		"Signature":         {governance.Signature{}, true},
		"LetterList":        {LetterList{}, true},
		"ItemInput":         {ItemInput{}, false},
		"StatusInput":       {StatusInput{}, false},
		"Item":              {governance.Item{}, true},
		"Update":            {governance.Update{}, true},
		"RoadmapList":       {RoadmapList{}, true},
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
