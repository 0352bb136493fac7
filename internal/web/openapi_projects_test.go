package web

import (
	"reflect"
	"testing"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
)

// TestOpenAPIProjectSchemas checks the schemas of EU projects, track
// records and merges against their Go types, like the directory's.
func TestOpenAPIProjectSchemas(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	responses := map[string]any{
		"Project":        projects.Project{},
		"ProjectTopic":   projects.Topic{},
		"Participation":  projects.Participation{},
		"ProjectPage":    directory.Page[projects.Project]{},
		"TrackRecord":    projects.TrackRecord{},
		"YearCount":      projects.YearCount{},
		"RoleCount":      projects.RoleCount{},
		"TopicCount":     projects.TopicCount{},
		"NameCount":      projects.NameCount{},
		"Partner":        projects.Partner{},
		"ProjectRole":    projects.ProjectRole{},
		"OrgRef":         projects.OrgRef{},
		"MergeCandidate": projects.MergeCandidate{},
		"CandidateList":  CandidateList{},
		"Merge":          projects.Merge{},
		"MergeList":      MergeList{},
		"MergeMoved":     projects.MergeMoved{},
	}
	for name, v := range responses {
		t.Run(name, func(t *testing.T) {
			schema := doc.Components.Schemas[name]
			if schema == nil {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			compareSchema(t, doc, name, schema, reflect.TypeOf(v), true)
		})
	}
	for name, v := range map[string]any{"MergeInput": MergeInput{}, "DistinctInput": DistinctInput{}} {
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
