package web

import (
	"net/url"
	"testing"
	"time"
)

// The facility management forms' and the week grid's part of the
// authorization matrix: the forms follow "change a record of an
// organisation" of docs/access.md (a facility is one of its records),
// the week grid follows who sees the facility.
func facilityFormExpectations(t *testing.T, pol policy) map[string]expectation {
	sees := func(who persona, level string) bool { return pol.sees[who][level] }
	mayChange := func(who persona) bool { return pol.may(t, "change a record of an organisation", who) }
	// change: a form on the level's facility, for those who may change it.
	change := func(method string, path func(fx *authzFixture, level string) string, form func(fx *authzFixture, level string) url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx, level)}
			if form != nil {
				c.form = form(fx, level)
			}
			switch {
			case !sees(who, level):
				c.want = 404
			case mayChange(who):
				c.want = ok
			default:
				c.want = denied(who)
			}
			return c
		}
	}
	facPath := func(suffix string) func(fx *authzFixture, level string) string {
		return func(fx *authzFixture, level string) string { return "/facilities/" + fx.facs[level].Slug + suffix }
	}
	facForm := func(fx *authzFixture, level string) url.Values {
		f := fx.facs[level]
		return url.Values{"name": {f.Name}, "slug": {f.Slug}, "organisation_id": {f.OrganisationID}, "cluster_id": {f.ClusterID}, "kind": {f.Kind},
			"country": {f.Country}, "city": {f.City}, "time_zone": {f.TimeZone}, "visibility": {f.Visibility}}
	}
	return map[string]expectation{
		"GET /facilities/new": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/facilities/new", want: 200}
			if who == anonymous {
				c.want = 401
			}
			return c
		},
		// A facility for the level's organisation: those who may change
		// its records add it; one the viewer cannot see is an unknown
		// reference.
		"POST /facilities/new": func(fx *authzFixture, who persona, level string) authzCase {
			o := fx.orgs[level]
			c := authzCase{method: "POST", path: "/facilities/new", form: url.Values{"name": {"Matrix Hall"}, "slug": {fx.unique("matrix-hall")},
				"organisation_id": {o.ID}, "kind": {"test_range"}, "country": {"NL"}, "visibility": {"organisation"}}}
			switch {
			case who == anonymous:
				c.want = 401
			case !sees(who, level):
				c.want = 422
			case mayChange(who):
				c.want = 303
			default:
				c.want = 403
			}
			return c
		},
		"GET /facilities/{slug}/edit":     change("GET", facPath("/edit"), nil, 200),
		"POST /facilities/{slug}/edit":    change("POST", facPath("/edit"), facForm, 303),
		"GET /facilities/{slug}/resource": change("GET", facPath("/resource"), nil, 200),
		"POST /facilities/{slug}/resource": change("POST", facPath("/resource"), func(fx *authzFixture, level string) url.Values {
			return url.Values{"name": {"Matrix room"}, "slug": {fx.unique("room")}, "kind": {"room"}, "approval": {"auto"}, "max_hours": {"4"}}
		}, 303),
		"POST /facilities/{slug}/closures": change("POST", facPath("/closures"), func(fx *authzFixture, level string) url.Values {
			return url.Values{"action": {"add"}, "kind": {"maintenance"}, "starts_at": {"2042-01-01T08:00"}, "ends_at": {"2042-01-01T18:00"}}
		}, 303),
		"POST /facilities/{slug}/approvers": change("POST", facPath("/approvers"), func(*authzFixture, string) url.Values {
			return url.Values{"approvers": {""}}
		}, 303),
		"GET /facilities/{slug}/week": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: facPath("/week")(fx, level) + "?week=" + isoWeek(time.Now()), want: 404}
			if sees(who, level) {
				c.want = 200
			}
			return c
		},
	}
}

// clusterFormExpectations: adding a cluster by form is the alliance
// administrator's ("add or delete a cluster" in docs/access.md).
func clusterFormExpectations(t *testing.T, pol policy) map[string]expectation {
	mayAlliance := func(who persona) bool { return pol.may(t, "add or delete a cluster", who) }
	return map[string]expectation{
		"GET /clusters/new": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/clusters/new", want: denied(who)}
			if mayAlliance(who) {
				c.want = 200
			}
			return c
		},
		"POST /clusters/new": func(fx *authzFixture, who persona, level string) authzCase {
			slug := fx.unique("matrix-cluster")
			c := authzCase{method: "POST", path: "/clusters/new", want: denied(who),
				form: url.Values{"slug": {slug}, "name": {"Matrix cluster " + slug}, "country": {"NL"}}}
			if mayAlliance(who) {
				c.want = 303
			}
			return c
		},
	}
}
