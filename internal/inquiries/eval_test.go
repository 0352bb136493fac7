package inquiries_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/inquiries"
)

// demoSnapshot is the routing snapshot of the demonstration alliance,
// without a database: ids are slugs, every listed person an expert.
func demoSnapshot(t testing.TB) inquiries.Snapshot {
	t.Helper()
	caps, err := directory.Taxonomy()
	if err != nil {
		t.Fatal(err)
	}
	d := demo.Alliance()
	s := inquiries.Snapshot{Capabilities: caps}
	for _, c := range d.Clusters {
		s.Clusters = append(s.Clusters, inquiries.ClusterDoc{ID: c.Slug, Slug: c.Slug, Name: c.Name, Country: c.Country, Themes: c.Themes})
	}
	for _, o := range d.Organisations {
		doc := inquiries.OrgDoc{ID: o.Slug, Slug: o.Slug, Name: o.Name, Description: o.Description, Country: o.Country, Capabilities: o.Capabilities}
		for _, m := range o.Memberships {
			doc.Clusters = append(doc.Clusters, m.ClusterID)
		}
		doc.Record = access.Record{OwnerOrg: o.Slug, OwnerClusters: doc.Clusters, Visibility: access.Public}
		s.Organisations = append(s.Organisations, doc)
	}
	for _, p := range d.People {
		if p.Listed {
			s.Experts = append(s.Experts, inquiries.ExpertDoc{PersonID: p.Name, Name: p.Name, Title: p.Title, OrganisationID: p.OrganisationID,
				Expertise: p.Expertise, Languages: p.Languages, Record: access.Record{OwnerOrg: p.OrganisationID, PersonID: p.Name, Visibility: access.Public}})
		}
	}
	for _, f := range d.Facilities {
		s.Facilities = append(s.Facilities, inquiries.FacilityDoc{ID: f.Slug, Slug: f.Slug, Name: f.Name, Description: f.Description,
			OrganisationID: f.OrganisationID, Capabilities: f.Capabilities, Record: access.Record{OwnerOrg: f.OrganisationID, Visibility: access.Public}})
	}
	return s
}

type evalQuestion struct {
	Set, Lang, Country, Q string
	Want                  []string
}

func loadQuestions(t *testing.T) []evalQuestion { return loadQuestionsTB(t) }

func loadQuestionsTB(t testing.TB) []evalQuestion {
	b, err := os.ReadFile("testdata/questions.json")
	if err != nil {
		t.Fatal(err)
	}
	var qs []evalQuestion
	if err := json.Unmarshal(b, &qs); err != nil {
		t.Fatal(err)
	}
	return qs
}

// TestRoutingQuality replays the desk's picks on the demonstration
// alliance and reports MRR and recall@5 of the suggested organisations,
// on the tuning set and, separately, on the evaluation set (never used
// to tune). The evaluation set must reach MRR 0.6.
func TestRoutingQuality(t *testing.T) {
	r := inquiries.Build(demoSnapshot(t))
	type score struct {
		n         int
		mrr, rec5 float64
	}
	scores := map[string]*score{"tune": {}, "eval": {}}
	for _, q := range loadQuestions(t) {
		sug := r.Suggest(inquiries.Query{Text: q.Q, Lang: q.Lang, Country: q.Country, Scope: access.System, Limit: 10})
		var ranked []string
		for _, o := range sug.Organisations {
			ranked = append(ranked, o.Slug)
		}
		rr, hits := 0.0, 0
		for i, slug := range ranked {
			if slices.Contains(q.Want, slug) {
				if rr == 0 {
					rr = 1 / float64(i+1)
				}
				if i < 5 {
					hits++
				}
			}
		}
		s := scores[q.Set]
		s.n++
		s.mrr += rr
		s.rec5 += float64(hits) / float64(min(len(q.Want), 5))
		if testing.Verbose() && rr < 0.5 {
			t.Logf("%s rr=%.2f %q tags=%v top=%v want=%v", q.Set, rr, q.Q, sug.Tags(), ranked[:min(5, len(ranked))], q.Want)
		}
	}
	for _, set := range []string{"tune", "eval"} {
		s := scores[set]
		t.Logf("%s: %d questions, MRR %.3f, recall@5 %.3f", set, s.n, s.mrr/float64(s.n), s.rec5/float64(s.n))
	}
	if s := scores["eval"]; s.n < 20 || s.mrr/float64(s.n) < 0.6 {
		t.Errorf("evaluation set: %d questions, MRR %.3f; want at least 20 questions and MRR 0.6", s.n, s.mrr/float64(s.n))
	}
}
