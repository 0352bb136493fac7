package web

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestLinkingOnTheDemo imports the shared CORDIS files over the demo:
// the members are linked to their records (TNO shows its 72 projects),
// lists and the home page show members by default with a switch to the
// organisations known only from EU records, which are marked; a cluster
// manager claims one from its page (a second claim is refused), and the
// form for a new organisation offers to claim a record instead of
// entering a twin.
func TestLinkingOnTheDemo(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	if r := env.upload(t, env.admin, false, cordisFiles(t)); r.status != 200 {
		t.Fatalf("import: %d", r.status)
	}
	tr := decode[projects.TrackRecord](t, env.do("GET", "/api/v1/organisations/tno/track-record", nil))
	if tr.Projects != 72 {
		t.Errorf("TNO has %d EU projects after the import, want 72", tr.Projects)
	}
	for _, slug := range []string{"vtt", "aarhus-university", "university-of-twente", "unibw-muenchen", "fraunhofer", "federale-politie"} {
		if tr := decode[projects.TrackRecord](t, env.do("GET", "/api/v1/organisations/"+slug+"/track-record", nil)); tr.Projects == 0 {
			t.Errorf("%s shows no EU projects after the import", slug)
		}
	}
	if n := doc(t, env.do("GET", "/organisations/tno", nil)).Find("section.track-record").Length(); n != 1 {
		t.Error("TNO's page shows no EU projects")
	}

	// The partner finder ranks members and outsiders, and marks outsiders.
	var ranked struct {
		Items []struct {
			Slug     string `json:"slug"`
			Outsider bool   `json:"outsider"`
		} `json:"partners"`
	}
	var in, out int
	for try := 0; try < 50 && (in == 0 || out == 0); try++ {
		ranked.Items = nil
		r := env.do("POST", "/api/v1/partners", PartnersInput{Text: "crisis management for first responders and police", Limit: 50})
		if err := json.Unmarshal(r.body, &ranked); err != nil {
			t.Fatalf("partners: %d %s", r.status, r.body)
		}
		in, out = 0, 0
		for _, p := range ranked.Items {
			if p.Outsider {
				out++
			} else {
				in++
			}
		}
		if in == 0 || out == 0 {
			time.Sleep(100 * time.Millisecond) // the finder follows the import's changes
		}
	}
	if in == 0 || out == 0 {
		t.Errorf("partners: %d members, %d outsiders, want both", in, out)
	}
	if d := doc(t, env.do("GET", "/partners?text=crisis+management+for+first+responders+and+police", nil)); d.Find("ol.ranked .outsider").Length() == 0 {
		t.Error("the partner finder's page marks no outsider")
	}

	// Members by default; the switch.
	members := decode[directory.Page[directory.Organisation]](t, env.do("GET", "/api/v1/organisations?limit=200", nil))
	for _, o := range members.Items {
		if len(o.Memberships) == 0 {
			t.Errorf("the default list holds %s, a member of no cluster", o.Slug)
		}
	}
	outsiders := decode[directory.Page[directory.Organisation]](t, env.do("GET", "/api/v1/organisations?membership=outsiders", nil))
	all := decode[directory.Page[directory.Organisation]](t, env.do("GET", "/api/v1/organisations?membership=all", nil))
	if members.Total > 60 || outsiders.Total < 3000 || all.Total != members.Total+outsiders.Total {
		t.Errorf("members %d, outsiders %d, all %d", members.Total, outsiders.Total, all.Total)
	}
	if r := env.do("GET", "/api/v1/organisations?membership=everyone", nil); r.status != 400 || !strings.Contains(string(r.body), "membership") {
		t.Errorf("a bad membership: %d %s", r.status, r.body)
	}
	d := doc(t, env.do("GET", "/organisations", nil))
	if n := d.Find("nav.toggle li").Length(); n != 3 || d.Find(`nav.toggle [aria-current="page"]`).Length() != 1 {
		t.Errorf("the members switch has %d choices", n)
	}
	if d.Find("td .outsider").Length() != 0 {
		t.Error("the default list marks outsiders")
	}
	if doc(t, env.do("GET", "/organisations?membership=outsiders", nil)).Find("td .outsider").Length() == 0 {
		t.Error("the outsiders are not marked")
	}
	home := doc(t, env.do("GET", "/", nil))
	if home.Find(`a[href="/organisations?membership=outsiders"]`).Length() != 1 || strings.Contains(home.Text(), "3,1") {
		t.Errorf("home page: %q", home.Find("p.lead").Text())
	}

	// Claim an outsider from its page, as HSD's manager.
	target := outsiders.Items[0]
	manager := []string{"Authorization", "Bearer " + env.tokens["manager.hsd@example.org"]}
	page := doc(t, env.do("GET", "/organisations/"+target.Slug, nil, manager...))
	if page.Find("#eu-only").Length() != 1 || page.Find(`form[action$="/claim"]`).Length() != 1 {
		t.Fatalf("the page of %s offers no claim", target.Slug)
	}
	cluster, _ := page.Find(`#claim-cluster option`).First().Attr("value")
	form := func(path string, v url.Values) response {
		return env.do("POST", path, v.Encode(), append(manager, "Content-Type", "application/x-www-form-urlencoded")...)
	}
	if r := form("/organisations/"+target.Slug+"/claim", url.Values{"cluster_id": {cluster}, "role": {"member"}}); r.status != 200 ||
		doc(t, r).Find(`p[role="status"]`).Length() != 1 {
		t.Fatalf("claim: %d", r.status)
	}
	if o := decode[directory.Organisation](t, env.do("GET", "/api/v1/organisations/"+target.Slug, nil)); len(o.Memberships) != 1 {
		t.Errorf("claimed organisation's memberships: %+v", o.Memberships)
	}
	if r := form("/organisations/"+target.Slug+"/claim", url.Values{"cluster_id": {cluster}, "role": {"member"}}); r.status != 422 && r.status != 409 {
		t.Errorf("second claim: %d, want a refusal", r.status)
	}
	if r := env.do("POST", "/api/v1/organisations/"+outsiders.Items[1].Slug+"/join-invitations",
		JoinInvitationInput{Cluster: cluster, Email: "not an address"}, manager...); r.status != 422 || !strings.Contains(string(r.body), "email") {
		t.Errorf("invitation to a bad address: %d %s", r.status, r.body)
	}

	// Entering an organisation that exists as a record: the offer.
	rec := outsiders.Items[2]
	newOrg := url.Values{"slug": {"twin-" + rec.Slug}, "name": {rec.Name}, "kind": {rec.Kind}, "country": {rec.Country}, "city": {rec.City},
		"website": {rec.Website}, "membership_" + cluster: {"member"}, "visibility": {"public"}, "tlp": {"CLEAR"}}
	r := form("/organisations/new", newOrg)
	if r.status != 200 || doc(t, r).Find(`section[aria-labelledby="offer-heading"] a[href="/organisations/`+rec.Slug+`"]`).Length() != 1 {
		t.Fatalf("entering %q: %d, no offer to claim the record", rec.Name, r.status)
	}
	newOrg.Set("create_anyway", "1")
	if r := form("/organisations/new", newOrg); r.status != 303 {
		t.Errorf("entering it anyway: %d %.300s", r.status, r.body)
	}
	twin := decode[directory.Organisation](t, env.do("GET", "/api/v1/organisations/twin-"+rec.Slug, nil))
	if n := len(decode[LinkList](t, env.do("GET", "/api/v1/organisations/"+twin.Slug+"/links", nil, manager...)).Items); n != 0 {
		t.Errorf("entered anyway, it is still linked or proposed to %d records", n)
	}
	// Entered through the API: linked at once when the evidence is strong.
	entry := map[string]any{"slug": "maastricht-university", "name": "Maastricht University", "kind": "higher_education", "country": "NL",
		"city": "Maastricht", "website": "https://www.maastrichtuniversity.nl", "visibility": "public", "tlp": "CLEAR",
		"memberships": []map[string]string{{"cluster_id": "hsd", "role": "member"}}}
	if r := env.do("POST", "/api/v1/organisations", entry, manager...); r.status != 201 {
		t.Fatalf("enter Maastricht University: %d %s", r.status, r.body)
	} else if o := decode[directory.Organisation](t, r); o.Slug != "maastricht-university" || o.PIC != "999975911" {
		t.Errorf("entered %s with PIC %q, want it linked to PIC 999975911", o.Slug, o.PIC)
	}
	if tr := decode[projects.TrackRecord](t, env.do("GET", "/api/v1/organisations/maastricht-university/track-record", nil)); tr.Projects == 0 {
		t.Error("Maastricht University shows no EU projects once entered")
	}
	matches := decode[LinkList](t, env.do("GET", "/api/v1/cordis-matches?"+url.Values{"name": {rec.Name}, "country": {rec.Country}}.Encode(), nil, manager...))
	if len(matches.Items) == 0 || matches.Items[0].Record.Slug != rec.Slug {
		t.Errorf("cordis-matches for %q: %+v", rec.Name, matches.Items)
	}
}
