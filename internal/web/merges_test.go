package web

import (
	"net/url"
	"testing"

	"github.com/escnet/escnet/internal/store/storetest"
)

// TestMergesPage merges a candidate pair from the page and undoes it.
func TestMergesPage(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	if r := env.upload(t, env.admin, false, cordisFiles(t)); r.status != 200 {
		t.Fatalf("import: %d", r.status)
	}
	admin := []string{"Authorization", "Bearer " + env.admin}
	if r := env.do("GET", "/admin/merges", nil, "Authorization", "Bearer "+env.tokens["manager.hsd@example.org"]); r.status != 403 {
		t.Errorf("cluster manager opens the merges page: %d, want 403", r.status)
	}
	d := doc(t, env.do("GET", "/admin/merges", nil, admin...))
	rows := d.Find("table").First().Find("tbody tr")
	if rows.Length() < 10 {
		t.Fatalf("%d merge candidates, want at least the 10 shared VAT numbers", rows.Length())
	}
	into, _ := rows.First().Find(`input[name="into"]`).First().Attr("value")
	from, _ := rows.First().Find(`input[name="from"]`).First().Attr("value")
	post := func(v url.Values) response {
		return env.do("POST", "/admin/merges", v.Encode(), append(admin, "Content-Type", "application/x-www-form-urlencoded")...)
	}
	if r := post(url.Values{"action": {"merge"}, "into": {into}, "from": {from}}); r.status != 200 {
		t.Fatalf("merge: %d %s", r.status, r.body)
	}
	if r := env.do("GET", "/api/v1/organisations/"+from, nil, admin...); r.status != 404 {
		t.Errorf("merged organisation still there: %d", r.status)
	}
	mergeID, ok := doc(t, env.do("GET", "/admin/merges", nil, admin...)).Find(`input[name="merge"]`).First().Attr("value")
	if !ok {
		t.Fatal("the merge is not listed for undo")
	}
	if r := post(url.Values{"action": {"undo"}, "merge": {mergeID}}); r.status != 200 {
		t.Fatalf("undo: %d %s", r.status, r.body)
	}
	if r := env.do("GET", "/api/v1/organisations/"+from, nil, admin...); r.status != 200 {
		t.Errorf("organisation not back after undo: %d", r.status)
	}
	if r := post(url.Values{"action": {"merge"}, "into": {into}, "from": {into}}); r.status != 422 {
		t.Errorf("merging an organisation into itself: %d, want 422", r.status)
	}
}
