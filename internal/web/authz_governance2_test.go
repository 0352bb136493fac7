package web

import (
	"context"
	"net/url"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/governance"
)

// governance2Expectations are the authorization matrix's expectations for
// the roadmap forms and the edit API: alliance administrators and the
// managers of an owning cluster (row "add actions and milestones to the
// joint roadmap, edit them"); everyone else is refused.
func governance2Expectations(t *testing.T, pol policy) map[string]expectation {
	may := func(who persona) bool { return pol.may(t, "add actions and milestones to the joint roadmap", who) }
	sys := access.AsSystem(context.Background())
	// action adds a goal and an action owned by HSD, for the case alone.
	action := func(fx *authzFixture) governance.Item {
		g := governance.Item{Kind: governance.ItemGoal, Title: fx.unique("Authz goal 2")}
		if err := fx.env.server.gov.AddItem(sys, &g); err != nil {
			t.Fatal(err)
		}
		a := governance.Item{Kind: governance.ItemAction, ParentID: g.ID, Title: "Authz action", Owners: []string{fx.hsd.ID}, Starts: "2026-01-01", Ends: "2026-12-31"}
		if err := fx.env.server.gov.AddItem(sys, &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	write := func(method string, path func(a governance.Item) string, body func(fx *authzFixture, a governance.Item) any,
		form func(fx *authzFixture, a governance.Item) url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			a := action(fx)
			c := authzCase{method: method, path: path(a), want: denied(who)}
			if body != nil {
				c.body = body(fx, a)
			}
			if form != nil {
				c.form = form(fx, a)
			}
			if may(who) {
				c.want = ok
			}
			return c
		}
	}
	edit := func(a governance.Item) string { return "/roadmap/" + a.ID + "/edit" }
	return map[string]expectation{
		"GET /roadmap/new": write("GET", func(governance.Item) string { return "/roadmap/new" }, nil, nil, 200),
		"POST /roadmap/new": write("POST", func(governance.Item) string { return "/roadmap/new" }, nil, func(fx *authzFixture, a governance.Item) url.Values {
			return url.Values{"kind": {governance.ItemMilestone}, "parent_id": {a.ID}, "title": {"Authz milestone"}, "owners": {fx.hsd.ID}, "due": {"2026-06-01"}}
		}, 303),
		"GET /roadmap/{id}/edit": write("GET", edit, nil, nil, 200),
		"POST /roadmap/{id}/edit": write("POST", edit, nil, func(fx *authzFixture, a governance.Item) url.Values {
			return url.Values{"title": {"Authz action, renamed"}, "owners": {fx.hsd.ID}, "starts": {a.Starts}, "ends": {a.Ends}}
		}, 303),
		"POST /roadmap/{id}/status": write("POST", func(a governance.Item) string { return "/roadmap/" + a.ID + "/status" }, nil, func(*authzFixture, governance.Item) url.Values {
			return url.Values{"status": {governance.StatusRunning}, "note": {"Started."}}
		}, 303),
		"PUT /api/v1/roadmap/{id}": write("PUT", func(a governance.Item) string { return "/api/v1/roadmap/" + a.ID }, func(fx *authzFixture, a governance.Item) any {
			return ItemEditInput{Title: "Authz action, renamed", Owners: []string{fx.hsd.ID}, Starts: a.Starts, Ends: a.Ends}
		}, nil, 200),
	}
}
