package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/store/storetest"
)

// formAs posts a form with the bearer token (empty: the alliance
// administrator's).
func (env *testEnv) formAs(path string, v url.Values, token string) response {
	env.t.Helper()
	h := []string{"Content-Type", "application/x-www-form-urlencoded"}
	if token != "" {
		h = append(h, "Authorization", "Bearer "+token)
	}
	return env.do("POST", path, v.Encode(), h...)
}

func (env *testEnv) getAs(path, token string) response {
	env.t.Helper()
	return env.do("GET", path, nil, "Authorization", "Bearer "+token)
}

// noGoValues fails when a page shows a Go value or a raw minute count.
func noGoValues(t *testing.T, what string, body []byte) {
	t.Helper()
	for _, bad := range []string{"0x", "%!", "<nil>", "map[", " min"} {
		if strings.Contains(string(body), bad) {
			t.Errorf("%s shows %q", what, bad)
		}
	}
}

// TestFacilityForms walks the management forms: a facility created and
// edited (a stale version refused), a resource with bad input refused
// naming the field and then added, a closure added and removed,
// approvers set; then a weekly booking for four weeks seen in the week
// grid, and a series colliding in week 3 of 4 that books nothing.
func TestFacilityForms(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		ctx := access.AsSystem(context.Background())
		kit, err := env.db.GetOrganisation(ctx, "karlsruhe-institute-of-technology")
		if err != nil {
			t.Fatal(err)
		}
		u := accounts.User{Email: "kit.approver@example.org", Name: "KIT Approver", OrganisationID: kit.ID}
		if err := env.server.Accounts().NewUser(ctx, &u, "kit-password-1234"); err != nil {
			t.Fatal(err)
		}
		_, kitToken, err := env.server.Accounts().CreateToken(ctx, u, "test", accounts.ScopeWrite)
		if err != nil {
			t.Fatal(err)
		}

		// The facility: a bad time zone is refused naming the field, and
		// nothing is created.
		fac := url.Values{"name": {"Karlsruhe Test Hall"}, "slug": {"karlsruhe-test-hall"}, "organisation_id": {kit.ID}, "kind": {"test_range"},
			"country": {"DE"}, "city": {"Karlsruhe"}, "time_zone": {"Europe/Nowhere"}, "visibility": {"public"}}
		r := env.formAs("/facilities/new", fac, "")
		if r.status != 422 || !strings.Contains(string(r.body), "Time zone") {
			t.Fatalf("bad zone: %d, want 422 naming the time zone", r.status)
		}
		if r := env.getAs("/facilities/karlsruhe-test-hall", env.admin); r.status != 404 {
			t.Fatalf("after a refused form the facility exists: %d", r.status)
		}
		fac.Set("time_zone", "Europe/Berlin")
		if r := env.formAs("/facilities/new", fac, ""); r.status != 303 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		page := env.getAs("/facilities/karlsruhe-test-hall/edit", env.admin)
		if page.status != 200 || !strings.Contains(string(page.body), `name="version" value="1"`) {
			t.Fatalf("edit page: %d, want the version in a hidden field", page.status)
		}
		noGoValues(t, "the edit page", page.body)
		fac.Set("description", "A hall for tests.")
		fac.Set("version", "1")
		if r := env.formAs("/facilities/karlsruhe-test-hall/edit", fac, ""); r.status != 303 {
			t.Fatalf("edit: %d %s", r.status, r.body)
		}
		fac.Set("description", "A stale change.")
		if r := env.formAs("/facilities/karlsruhe-test-hall/edit", fac, ""); r.status != 412 || !strings.Contains(string(r.body), "Someone else changed") {
			t.Errorf("stale edit: %d, want 412 saying someone else changed it", r.status)
		}

		// The resource: a malformed length names the field; nothing saved.
		res := url.Values{"name": {"Hall"}, "slug": {"hall"}, "kind": {"room"}, "approval": {"auto"}, "min_hours": {"1"}, "max_hours": {"four"},
			"lead": {"0"}, "lead_unit": {"hours"}, "buffer_hours": {"0,5"}, "active": {"on"}}
		for d := 0; d < 7; d++ {
			res.Set("opens_"+string(rune('0'+d)), "08:00")
			res.Set("closes_"+string(rune('0'+d)), "18:00")
		}
		if r := env.formAs("/facilities/karlsruhe-test-hall/resource", res, ""); r.status != 422 || !strings.Contains(string(r.body), "Maximum length") {
			t.Fatalf("bad length: %d, want 422 naming the maximum length", r.status)
		}
		if _, rs, _ := env.server.fac.Resources(ctx, "karlsruhe-test-hall"); len(rs) != 0 {
			t.Fatalf("a refused resource form saved %d resources", len(rs))
		}
		res.Set("max_hours", "4")
		res.Set("closes_0", "24:00") // Sunday until midnight: the form must keep it
		if r := env.formAs("/facilities/karlsruhe-test-hall/resource", res, ""); r.status != 303 {
			t.Fatalf("add resource: %d %s", r.status, r.body)
		}
		_, rs, err := env.server.fac.Resources(ctx, "karlsruhe-test-hall")
		if err != nil || len(rs) != 1 || rs[0].MaxMinutes != 240 || rs[0].BufferMinutes != 30 || len(rs[0].OpeningHours) != 7 {
			t.Fatalf("resource: %+v %v; want 4 hours at most, a 30-minute buffer, open every day", rs, err)
		}
		hall := rs[0]
		if form := string(env.getAs("/facilities/karlsruhe-test-hall/resource?id="+hall.ID, env.admin).body); !strings.Contains(form, `value="24:00"`) || !strings.Contains(form, `name="version" value="1"`) {
			t.Errorf("the resource form does not show the closing time 24:00 or the version")
		}
		facPage := env.getAs("/facilities/karlsruhe-test-hall", env.admin)
		if !strings.Contains(string(facPage.body), "1 hour to 4 hours") {
			t.Errorf("facility page does not give the lengths in hours")
		}
		noGoValues(t, "the facility page", facPage.body)

		// A closure added, then removed; approvers set.
		closed := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
		if r := env.formAs("/facilities/karlsruhe-test-hall/closures", url.Values{"action": {"add"}, "kind": {"maintenance"},
			"starts_at": {closed + "T08:00"}, "ends_at": {closed + "T18:00"}, "reason": {"Painting"}}, ""); r.status != 303 {
			t.Fatalf("add closure: %d %s", r.status, r.body)
		}
		extra := closed[:8] + "28"
		if r := env.formAs("/facilities/karlsruhe-test-hall/closures", url.Values{"action": {"add"}, "starts_at": {extra + "T08:00"}, "ends_at": {extra + "T09:00"}, "reason": {"Removed soon"}}, ""); r.status != 303 {
			t.Fatalf("add a second closure: %d", r.status)
		}
		d := doc(t, env.getAs("/facilities/karlsruhe-test-hall/edit", env.admin))
		var removeID string
		d.Find("#closures + ul li").Each(func(_ int, li *goquery.Selection) {
			if strings.Contains(li.Text(), "Removed soon") {
				removeID, _ = li.Find(`input[name="id"]`).Attr("value")
			}
		})
		if r := env.formAs("/facilities/karlsruhe-test-hall/closures", url.Values{"action": {"delete"}, "id": {removeID}}, ""); r.status != 303 {
			t.Fatalf("remove closure %q: %d", removeID, r.status)
		}
		if strings.Contains(string(env.getAs("/facilities/karlsruhe-test-hall/edit", env.admin).body), "Removed soon") {
			t.Errorf("a removed closure is still listed")
		}
		if r := env.formAs("/facilities/karlsruhe-test-hall/closures", url.Values{"action": {"add"}, "starts_at": {"2040-01-03T08:00"}, "ends_at": {"2040-01-01T08:00"}}, ""); r.status != 422 {
			t.Errorf("closure ending before it starts: %d, want 422", r.status)
		}
		if r := env.formAs("/facilities/karlsruhe-test-hall/approvers", url.Values{"approvers": {"kit.approver@example.org\nnobody@example.org"}}, ""); r.status != 422 {
			t.Errorf("an unknown approver: %d, want 422", r.status)
		}
		if r := env.formAs("/facilities/karlsruhe-test-hall/approvers", url.Values{"approvers": {"kit.approver@example.org"}}, ""); r.status != 303 {
			t.Fatalf("set approvers: %d %s", r.status, r.body)
		}
		if as, err := env.server.fac.Approvers(ctx, "karlsruhe-test-hall"); err != nil || len(as) != 1 || as[0].Email != "kit.approver@example.org" {
			t.Errorf("approvers: %+v %v", as, err)
		}
		edit := string(env.getAs("/facilities/karlsruhe-test-hall/edit", env.admin).body)
		if !strings.Contains(edit, "Painting") || !strings.Contains(edit, "kit.approver@example.org") {
			t.Errorf("edit page lacks the closure or the approver")
		}

		// Weekly for four weeks, by the approver's organisation.
		tue := nextWeekday(time.Tuesday)
		book := url.Values{"resource_id": {hall.ID}, "starts_at": {tue + "T10:00"}, "ends_at": {tue + "T12:00"}, "weeks": {"4"}}
		if r := env.formAs("/facilities/karlsruhe-test-hall/book", book, kitToken); r.status != 303 {
			t.Fatalf("weekly booking: %d %s", r.status, r.body)
		}
		if n := held(t, env, hall.FacilityID); n != 4 {
			t.Fatalf("weekly booking made %d bookings, want 4", n)
		}
		day, _ := time.ParseInLocation(time.DateOnly, tue, time.UTC)
		for i := range 4 {
			d := day.AddDate(0, 0, 7*i)
			grid := env.getAs("/facilities/karlsruhe-test-hall/week?resource=hall&week="+isoWeek(d), env.admin)
			if grid.status != 200 {
				t.Fatalf("week grid: %d", grid.status)
			}
			g := doc(t, grid)
			if !strings.Contains(g.Find(".slot-taken").Text(), "10:00–12:00") || !strings.Contains(g.Find(".lead").Text(), "Europe/Berlin") {
				t.Errorf("week %d grid lacks the booking 10:00–12:00 local or the zone", i+1)
			}
			if g.Find(`a[rel="next"]`).Length() != 1 || g.Find(`a[rel="prev"]`).Length() != 1 {
				t.Errorf("week grid lacks previous/next links")
			}
			noGoValues(t, "the week grid", grid.body)
		}
		bookPage := env.getAs("/facilities/karlsruhe-test-hall/book", kitToken)
		if !strings.Contains(string(bookPage.body), "10:00–12:00") || strings.Contains(string(bookPage.body), "UTC") {
			t.Errorf("booking page does not list the taken times in local time")
		}

		// A series colliding in week 3 of 4 books nothing, naming the date.
		if err := clearBookings(env, hall.FacilityID); err != nil {
			t.Fatal(err)
		}
		wk3 := day.AddDate(0, 0, 14).Format(time.DateOnly)
		if r := env.formAs("/facilities/karlsruhe-test-hall/book", url.Values{"resource_id": {hall.ID}, "starts_at": {wk3 + "T11:00"}, "ends_at": {wk3 + "T13:00"}}, kitToken); r.status != 303 {
			t.Fatalf("single booking in week 3: %d %s", r.status, r.body)
		}
		r = env.do("POST", "/api/v1/bookings", map[string]any{"resource_id": hall.ID, "starts_at": tue + "T10:00", "ends_at": tue + "T12:00", "weeks": 4},
			"Authorization", "Bearer "+kitToken)
		if r.status != 422 || !strings.Contains(string(r.body), wk3) || !strings.Contains(string(r.body), `"weeks"`) {
			t.Errorf("colliding series: %d %s; want 422 on weeks naming %s", r.status, r.body, wk3)
		}
		if n := held(t, env, hall.FacilityID); n != 1 {
			t.Errorf("after a refused series there are %d bookings, want only the one of week 3", n)
		}
		form := env.formAs("/facilities/karlsruhe-test-hall/book", book, kitToken)
		if form.status != 422 || !strings.Contains(string(form.body), wk3) {
			t.Errorf("colliding series by form: %d, want 422 naming %s", form.status, wk3)
		}
		for _, weeks := range []string{"13", "-1", "x"} {
			book.Set("weeks", weeks)
			if r := env.formAs("/facilities/karlsruhe-test-hall/book", book, kitToken); r.status != 422 || !strings.Contains(string(r.body), "Weeks") {
				t.Errorf("weeks=%s: %d, want 422 naming the weeks", weeks, r.status)
			}
		}
		// The alliance administrator, without an organisation, books on
		// behalf of one: the form offers the choice.
		if !strings.Contains(string(env.getAs("/facilities/karlsruhe-test-hall/book", env.admin).body), `id="organisation_id"`) {
			t.Errorf("the booking form offers the administrator no organisation to book for")
		}
		late := day.AddDate(0, 0, 35).Format(time.DateOnly)
		onBehalf := url.Values{"resource_id": {hall.ID}, "starts_at": {late + "T14:00"}, "ends_at": {late + "T15:00"}}
		if r := env.formAs("/facilities/karlsruhe-test-hall/book", onBehalf, ""); r.status != 422 || !strings.Contains(string(r.body), "Organisation") {
			t.Errorf("administrator booking without an organisation: %d, want 422 naming the organisation", r.status)
		}
		onBehalf.Set("organisation_id", kit.ID)
		if r := env.formAs("/facilities/karlsruhe-test-hall/book", onBehalf, ""); r.status != 303 {
			t.Errorf("administrator booking for KIT: %d %.300s", r.status, r.body)
		}
		if r := env.getAs("/facilities/karlsruhe-test-hall/week?resource=hall&week=2026-W60", env.admin); r.status != 400 {
			t.Errorf("week 60: %d, want 400", r.status)
		}
	})
}

// clearBookings cancels every booking of a facility, so that the next
// part of a test starts from a free resource.
func clearBookings(env *testEnv, facilityID string) error {
	ctx := access.AsSystem(context.Background())
	bs, err := env.db.ListBookings(ctx, facilities.Filter{FacilityID: facilityID, Limit: 100})
	if err != nil {
		return err
	}
	for _, b := range bs {
		if _, err := env.server.fac.Act(ctx, b.ID, facilities.ActionCancel, "test"); err != nil {
			return err
		}
	}
	return nil
}

// held counts the bookings of a facility that hold their slot.
func held(t *testing.T, env *testEnv, facilityID string) int {
	bs, err := env.db.ListBookings(access.AsSystem(context.Background()), facilities.Filter{FacilityID: facilityID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range bs {
		if facilities.Holds(b.Status) {
			n++
		}
	}
	return n
}

// TestClusterNewForm adds a cluster by form: bad input names the field
// and stores nothing; a member may not; the administrator may.
func TestClusterNewForm(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	page := env.getAs("/clusters/new", env.admin)
	if page.status != 200 {
		t.Fatalf("GET /clusters/new: %d", page.status)
	}
	noGoValues(t, "the new cluster form", page.body)
	in := url.Values{"name": {"Baltic Security Cluster"}, "slug": {"Not A Slug"}, "country": {"LT"}}
	if r := env.formAs("/clusters/new", in, ""); r.status != 422 || !strings.Contains(string(r.body), "Short address") {
		t.Fatalf("bad slug: %d, want 422 naming the short address", r.status)
	}
	if r := env.getAs("/clusters/not-a-slug", env.admin); r.status != 404 {
		t.Errorf("a refused form stored a cluster: %d", r.status)
	}
	in.Set("slug", "baltic-security")
	if r := env.formAs("/clusters/new", in, ""); r.status != 303 || r.header.Get("Location") != "/clusters/baltic-security" {
		t.Fatalf("add cluster: %d %s", r.status, r.header.Get("Location"))
	}
	if r := env.getAs("/clusters/baltic-security", env.admin); r.status != 200 || !strings.Contains(string(r.body), "Baltic Security Cluster") {
		t.Errorf("the new cluster's page: %d", r.status)
	}
}
