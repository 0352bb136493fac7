package storetest

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// TestPracticeIndexMatchesSQL: the in-memory search index answers every
// search exactly as the SQL search does — the same page, total, cursor
// and facets — for viewers of every reach, on both engines; and stays so
// after entries are written, re-labelled and deleted through the service
// (the index follows the change feed).
func TestPracticeIndexMatchesSQL(t *testing.T) {
	for name, newDB := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": func(t testing.TB) *sqlstore.DB { return NewSQLite(t) }, "postgres": func(t testing.TB) *sqlstore.DB { return NewPostgres(t) }} {
		t.Run(name, func(t *testing.T) { testPracticeIndex(t, newDB(t)) })
	}
}

func testPracticeIndex(t *testing.T, db *sqlstore.DB) {
	fillPractices(t, db, 1200)
	s := practices.NewService(db, practices.DirBlobs{Dir: t.TempDir()}, practices.Config{Viewer: viewerOf})
	o00, err := db.GetOrganisation(ctx, "o0-0")
	must(t, err)
	o31, err := db.GetOrganisation(ctx, "o3-1")
	must(t, err)
	viewers := map[string]access.Viewer{
		"anonymous": {},
		"member c0": {UserID: "m0", OrganisationID: o00.ID, Clusters: clustersOfOrg(o00), OrgAdmin: true, WriteAllowed: true},
		"member c3": {UserID: "m3", OrganisationID: o31.ID, Clusters: clustersOfOrg(o31), OrgAdmin: true, WriteAllowed: true},
		"alliance":  {UserID: "aa", AllianceAdmin: true, WriteAllowed: true},
	}
	filters := []practices.Filter{{}, {Query: "flood"}, {Query: "evacuatie brandweer"}, {Query: "Hochwasser Übung"}, {Query: "wort17x"},
		{Query: "police exercise", Kind: "guideline"}, {Query: "crisis", Lang: "fr"}, {Organisation: "o3-1"}, {Cluster: "c3", Query: "drone"},
		{Query: "nosuchwordanywhere"}, {Kind: "case_study", Limit: 7}, {Capability: "cybersecurity"}}
	compare := func(stage string) {
		t.Helper()
		for who, v := range viewers {
			for _, f := range filters {
				if f.Limit == 0 {
					f.Limit = 20
				}
				for page := 0; page < 3; page++ {
					want, err := db.SearchEntries(as(v), f, practices.QueryTerms(f.Query))
					must(t, err)
					got, err := s.Search(as(v), f)
					must(t, err)
					if ids(got.Items) != ids(want.Items) || got.Total != want.Total || got.Next != want.Next || !reflect.DeepEqual(got.Facets, want.Facets) {
						t.Fatalf("%s: %s %+v page %d:\nindex %d %s next %q %+v\nSQL   %d %s next %q %+v", stage, who, f, page,
							got.Total, ids(got.Items), got.Next, got.Facets, want.Total, ids(want.Items), want.Next, want.Facets)
					}
					if want.Next == "" {
						break
					}
					f.Cursor = want.Next
				}
			}
		}
	}
	compare("built")
	writer := viewers["member c0"]
	vis, tlp := access.Cluster, access.TLPAmber
	e, err := s.Create(as(writer), practices.EntryInput{Kind: "guideline", Axis: "safety", Visibility: &vis, TLP: &tlp, Capabilities: []string{"cybersecurity"},
		Texts: []practices.Text{{Lang: "nl", Original: true, Title: "Overstroming evacuatie brandweer richtlijn", Body: "Hochwasser police exercise"}}})
	must(t, err)
	compare("after a create")
	wide := access.Public
	clear := access.TLPClear
	_, err = s.Update(as(writer), e.ID, 0, practices.EntryInput{Kind: "case_study", Axis: "safety", Visibility: &wide, TLP: &clear,
		Texts: []practices.Text{{Lang: "nl", Original: true, Title: "Crisis drone geval", Body: "flood"}}})
	must(t, err)
	compare("after an update")
	must(t, s.Delete(as(writer), e.ID))
	compare("after a delete")
}

func ids(es []practices.Entry) string {
	out := ""
	for _, e := range es {
		out += fmt.Sprintf("%s,", e.ID[len(e.ID)-6:])
	}
	return out
}
