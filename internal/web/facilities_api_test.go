package web

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/store/storetest"
)

// facilityInputOf is the writable part of f, for a PUT.
func facilityInputOf(t *testing.T, f directory.Facility) map[string]any {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "organisation_name", "cluster_name", "version", "created_at", "updated_at"} {
		delete(m, k)
	}
	return m
}

// TestFacilityETag: reads send the version, a write naming an older one
// answers 412 and changes nothing, for facilities and resources.
func TestFacilityETag(t *testing.T) {
	env := newBookingEnv(t, storetest.NewSQLite(t))
	admin := env.as(env.admin)
	r := env.do("GET", "/api/v1/facilities/riskfactory-twente", nil)
	if r.status != 200 || r.header.Get("ETag") != `"v1"` {
		t.Fatalf("GET facility: %d, ETag %q, want 200 and \"v1\"", r.status, r.header.Get("ETag"))
	}
	f := decode[directory.Facility](t, r)
	in := facilityInputOf(t, f)
	in["description"] = "first change"
	if r := env.do("PUT", "/api/v1/facilities/"+f.ID, in, append(admin, "If-Match", `"v1"`)...); r.status != 200 || r.header.Get("ETag") != `"v2"` {
		t.Fatalf("PUT with If-Match v1: %d %s, ETag %q, want 200 and \"v2\"", r.status, r.body, r.header.Get("ETag"))
	}
	in["description"] = "lost update"
	for _, tag := range []string{`"v1"`, `"garbage"`, `W/"v1"`} {
		if r := env.do("PUT", "/api/v1/facilities/"+f.ID, in, append(admin, "If-Match", tag)...); r.status != 412 {
			t.Errorf("PUT with If-Match %s after v2: %d, want 412", tag, r.status)
		}
	}
	got := decode[directory.Facility](t, env.do("GET", "/api/v1/facilities/"+f.ID, nil))
	if got.Description != "first change" || got.Version != 2 {
		t.Errorf("after the refused writes: %q at version %d, want \"first change\" at 2", got.Description, got.Version)
	}

	res := map[string]any{"slug": "etag-room", "name": "Room", "kind": "room"}
	r = env.do("POST", "/api/v1/facilities/"+f.ID+"/resources", res, admin...)
	if r.status != 201 || r.header.Get("ETag") != `"v1"` {
		t.Fatalf("POST resource: %d %s, ETag %q", r.status, r.body, r.header.Get("ETag"))
	}
	id := decode[facilities.Resource](t, r).ID
	res["name"] = "Room A"
	if r := env.do("PUT", "/api/v1/resources/"+id, res, append(admin, "If-Match", `"v1"`)...); r.status != 200 || r.header.Get("ETag") != `"v2"` {
		t.Fatalf("PUT resource with If-Match v1: %d %s, ETag %q", r.status, r.body, r.header.Get("ETag"))
	}
	res["name"] = "Room B"
	if r := env.do("PUT", "/api/v1/resources/"+id, res, append(admin, "If-Match", `"v1"`)...); r.status != 412 {
		t.Errorf("stale resource PUT: %d, want 412", r.status)
	}
	// Without If-Match the write is not checked (0 = no check).
	if r := env.do("PUT", "/api/v1/resources/"+id, res, admin...); r.status != 200 {
		t.Errorf("PUT resource without If-Match: %d, want 200", r.status)
	}
}

// TestFacilityClusterRule: a facility may only be put in a cluster its
// organisation is a member of, through the API too (it decides who
// approves its bookings).
func TestFacilityClusterRule(t *testing.T) {
	env := newBookingEnv(t, storetest.NewSQLite(t))
	admin := env.as(env.admin)
	f := decode[directory.Facility](t, env.do("GET", "/api/v1/facilities/riskfactory-twente", nil))
	owner := decode[directory.Organisation](t, env.do("GET", "/api/v1/organisations/"+f.OrganisationID, nil, admin...))
	clusters := decode[directory.Page[directory.Cluster]](t, env.do("GET", "/api/v1/clusters?limit=100", nil))
	var member, other string
	for _, c := range clusters.Items {
		if slices.ContainsFunc(owner.Memberships, func(m directory.Membership) bool { return m.ClusterID == c.ID }) {
			member = c.ID
		} else {
			other = c.ID
		}
	}
	if member == "" || other == "" {
		t.Fatalf("demo: owner %s needs a cluster it is in and one it is not in", owner.Slug)
	}
	in := facilityInputOf(t, f)
	in["cluster_id"] = other
	r := env.do("PUT", "/api/v1/facilities/"+f.ID, in, admin...)
	if p := decode[Problem](t, r); r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "cluster_id" || p.Errors[0].Code != facilities.FacilityCluster {
		t.Errorf("PUT into a cluster the owner is not in: %d %s, want 422 on cluster_id", r.status, r.body)
	}
	in["slug"], in["name"] = "new-range", "New range"
	if r := env.do("POST", "/api/v1/facilities", in, admin...); r.status != 422 {
		t.Errorf("POST into a cluster the owner is not in: %d, want 422", r.status)
	}
	in["slug"], in["name"], in["cluster_id"] = f.Slug, f.Name, member
	if r := env.do("PUT", "/api/v1/facilities/"+f.ID, in, admin...); r.status != 200 {
		t.Errorf("PUT into the owner's cluster: %d %s, want 200", r.status, r.body)
	}
}

// TestCalendarFeedInjection: names and purposes holding line breaks and
// "BEGIN:VEVENT" stay inside their properties of the one event.
func TestCalendarFeedInjection(t *testing.T) {
	env := newBookingEnv(t, storetest.NewSQLite(t))
	var allWeek []map[string]any
	for d := 0; d <= 6; d++ {
		allWeek = append(allWeek, map[string]any{"day": d, "opens": "06:00", "closes": "22:00"})
	}
	evil := "Scene\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nDTSTART:20300101T000000Z\r\nDTEND:20300101T010000Z\r\nSUMMARY:free\rBEGIN:VEVENT"
	r := env.do("POST", "/api/v1/facilities/riskfactory-twente/resources", map[string]any{"slug": "evil", "name": evil, "kind": "room",
		"approval": "auto", "opening_hours": allWeek}, env.as(env.admin)...)
	if r.status != 201 {
		t.Fatalf("resource: %d %s", r.status, r.body)
	}
	res := decode[facilities.Resource](t, r)
	tue := nextWeekday(time.Tuesday)
	if r := env.do("POST", "/api/v1/bookings", map[string]any{"resource_id": res.ID, "starts_at": tue + "T09:00", "ends_at": tue + "T11:00", "purpose": evil}, env.as(env.kit)...); r.status != 201 {
		t.Fatalf("book: %d %s", r.status, r.body)
	}
	r = env.do("POST", "/api/v1/calendars", map[string]string{"kind": "user", "name": "Mine\r\nBEGIN:VEVENT"}, env.as(env.kit)...)
	if r.status != 201 {
		t.Fatalf("calendar: %d %s", r.status, r.body)
	}
	nc := decode[NewCalendar](t, r)
	feed := env.do("GET", strings.TrimPrefix(nc.URL, "http://escnet.test"), nil, "Authorization", "")
	if feed.status != 200 {
		t.Fatalf("feed: %d", feed.status)
	}
	body := string(feed.body)
	if strings.Count(body, "\n") != strings.Count(body, "\r\n") || strings.Count(body, "\r") != strings.Count(body, "\r\n") {
		t.Errorf("the feed holds a bare CR or LF:\n%q", body)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if n := len(cal.Events()); n != 1 {
		t.Errorf("%d events, want 1:\n%s", n, body)
	}
}
