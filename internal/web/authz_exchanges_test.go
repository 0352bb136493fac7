package web

import (
	"context"
	"maps"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/exchanges"
)

// exchangeExpectations are the authorization matrix's expectations for
// the exchange of people (docs/access.md, "The exchange of people"): an
// offer or a request is seen as a record of its level; an application
// exists only for its parties — the guest, the members of both
// organisations and the alliance administrator; each step is for the
// side that takes it.
func exchangeExpectations(t *testing.T, pol policy) map[string]expectation {
	sees := func(who persona, level string) bool { return pol.sees[who][level] }
	writer := func(who persona) bool {
		return who == colleague || who == orgAdmin || who == manager || who == allianceAdmin
	}
	sys := access.WithScope(context.Background(), access.System)
	as := func(v access.Viewer) context.Context {
		return context.WithValue(access.WithScope(sys, access.ScopeOf(v)), viewerKey{}, v)
	}
	hostAdmin := func(fx *authzFixture, level string) access.Viewer {
		return access.Viewer{UserID: fx.user(orgAdmin, level).ID, OrganisationID: fx.orgs[level].ID, OrgAdmin: true, WriteAllowed: true}
	}
	offerIn := func(fx *authzFixture, level string) exchanges.Offer {
		return exchanges.Offer{OrganisationID: fx.orgs[level].ID, Kind: "secondment", Topic: "Authz secondment", Language: "en",
			StartsOn: "2027-01-01", EndsOn: "2027-12-31", Weeks: 4, Country: "NL", Visibility: level}
	}
	offer := func(fx *authzFixture, level string) exchanges.Offer {
		o, err := fx.env.server.exchanges.CreateOffer(as(hostAdmin(fx, level)), offerIn(fx, level))
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	plan := exchanges.Application{Tasks: "Authz tasks", Supervisor: "Authz Supervisor", StartsOn: "2027-02-01", EndsOn: "2027-02-28"}
	// application is a peer's application for an offer of the level's
	// organisation, taken as far as stage (0 requested, 1 approved, 2
	// signed, 3 reported).
	application := func(fx *authzFixture, level string, stage int) string {
		o := offer(fx, level)
		guest := fx.user(peer, "")
		a := plan
		a.OfferID, a.UserID, a.GuestOrgID = o.ID, guest.ID, guest.OrganisationID
		if err := fx.env.db.CreateApplication(sys, &a); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		if stage >= 1 {
			a.HomeApprovedBy, a.HostApprovedBy = "authz", "authz"
		}
		if stage >= 2 {
			a.GuestSignedAt, a.HostSignedAt = &now, &now
		}
		if stage >= 3 {
			a.GuestReport, a.HostReport = "Authz guest report", "Authz host report"
		}
		if err := fx.env.db.UpdateApplication(sys, &a, 0); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	party := func(who persona) bool {
		return who == peer || who == colleague || who == orgAdmin || who == allianceAdmin
	}
	// step: hidden from non-parties (404); the side that takes the step
	// may (ok); other parties are refused (403).
	step := func(path string, stage int, body any, may func(persona) bool, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/exchange-applications/" + application(fx, level, stage) + path, body: body}
			switch {
			case !party(who):
				c.want = 404
			case may(who):
				c.want = ok
			default:
				c.want = 403
			}
			return c
		}
	}
	hostSide := func(who persona) bool { return who == orgAdmin || who == allianceAdmin }
	guestOrHost := func(who persona) bool { return who == peer || hostSide(who) }
	always := func(path string) expectation {
		return func(*authzFixture, persona, string) authzCase { return authzCase{method: "GET", path: path, want: 200} }
	}
	exps := map[string]expectation{
		"GET /api/v1/exchange-offers":   always("/api/v1/exchange-offers"),
		"GET /api/v1/exchange-requests": always("/api/v1/exchange-requests"),
		"POST /api/v1/exchange-offers": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/exchange-offers", body: offerIn(fx, level)}
			switch {
			case who == anonymous:
				c.want = 401
			case !sees(who, level):
				c.want = 422 // organisation_id: unknown to them
			case writer(who):
				c.want = 201
			default:
				c.want = 403
			}
			return c
		},
		"POST /api/v1/exchange-requests": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/exchange-requests", want: 201,
				body: exchanges.Request{Topic: "Authz request", Language: "en", StartsOn: "2027-01-01", EndsOn: "2027-03-01"}}
			switch who {
			case anonymous:
				c.want = 401
			case allianceAdmin:
				c.want = 403 // no organisation to come from
			}
			return c
		},
		"GET /api/v1/exchange-requests/{id}/matches": func(fx *authzFixture, who persona, level string) authzCase {
			v := access.Viewer{UserID: fx.user(colleague, level).ID, OrganisationID: fx.orgs[level].ID, WriteAllowed: true}
			r, err := fx.env.server.exchanges.CreateRequest(as(v), exchanges.Request{Topic: "Authz", Language: "en", StartsOn: "2027-01-01", EndsOn: "2027-03-01", Visibility: level})
			if err != nil {
				t.Fatal(err)
			}
			c := authzCase{method: "GET", path: "/api/v1/exchange-requests/" + r.ID + "/matches", want: 404}
			if sees(who, level) {
				c.want = 200
			}
			return c
		},
		"POST /api/v1/exchange-offers/{id}/applications": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/exchange-offers/" + offer(fx, level).ID + "/applications", body: plan}
			switch {
			case !sees(who, level):
				c.want = 404
			case who == anonymous:
				c.want = 401
			case who == allianceAdmin:
				c.want = 403 // no organisation to come from
			default:
				c.want = 201
			}
			return c
		},
		"GET /api/v1/exchange-applications/{id}": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/api/v1/exchange-applications/" + application(fx, level, 0), want: 404}
			if party(who) {
				c.want = 200
			}
			return c
		},
		"POST /api/v1/exchange-applications/{id}/approve":  step("/approve", 0, ExchangeDecisionInput{Side: "host"}, hostSide, 200),
		"POST /api/v1/exchange-applications/{id}/sign":     step("/sign", 1, nil, guestOrHost, 200),
		"POST /api/v1/exchange-applications/{id}/report":   step("/report", 2, ReportInput{Report: "Authz report"}, guestOrHost, 200),
		"POST /api/v1/exchange-applications/{id}/practice": step("/practice", 3, nil, hostSide, 201),
	}
	// The pages answer as the API does, with 303 for a step done.
	page := func(api string, form url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := exps[api](fx, who, level)
			c.path, c.body, c.form = strings.Replace(c.path, "/api/v1/exchange-", "/exchanges/", 1), nil, form
			if p, ok := strings.CutSuffix(c.path, "/applications"); ok {
				c.path = p + "/apply"
			}
			if c.want == 201 || (c.want == 200 && c.method == "POST") {
				c.want = ok
			}
			return c
		}
	}
	signedIn := func(path string) expectation {
		return func(_ *authzFixture, who persona, _ string) authzCase {
			c := authzCase{method: "GET", path: path, want: 200}
			if who == anonymous {
				c.want = 401
			}
			return c
		}
	}
	offerForm := func(fx *authzFixture, level string) url.Values {
		return url.Values{"organisation": {fx.orgs[level].ID}, "kind": {"secondment"}, "topic": {"Authz page secondment"}, "language": {"en"},
			"starts_on": {"2027-01-01"}, "ends_on": {"2027-12-31"}, "weeks": {"4"}, "country": {"NL"}, "visibility": {level}}
	}
	maps.Copy(exps, map[string]expectation{
		"GET /exchanges":              always("/exchanges"),
		"GET /exchanges/offers/new":   signedIn("/exchanges/offers/new"),
		"GET /exchanges/requests/new": signedIn("/exchanges/requests/new"),
		"POST /exchanges/offers/new": func(fx *authzFixture, who persona, level string) authzCase {
			c := exps["POST /api/v1/exchange-offers"](fx, who, level)
			c.path, c.body, c.form = "/exchanges/offers/new", nil, offerForm(fx, level)
			if c.want == 201 {
				c.want = 303
			}
			return c
		},
		"POST /exchanges/requests/new": func(fx *authzFixture, who persona, level string) authzCase {
			c := exps["POST /api/v1/exchange-requests"](fx, who, level)
			c.path, c.body = "/exchanges/requests/new", nil
			c.form = url.Values{"topic": {"Authz page request"}, "language": {"en"}, "starts_on": {"2027-01-01"}, "ends_on": {"2027-03-01"}}
			if c.want == 201 {
				c.want = 303
			}
			return c
		},
		"GET /exchanges/offers/{id}": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/exchanges/offers/" + offer(fx, level).ID, want: 404}
			if sees(who, level) {
				c.want = 200
			}
			return c
		},
		"POST /exchanges/offers/{id}/apply": page("POST /api/v1/exchange-offers/{id}/applications",
			url.Values{"tasks": {plan.Tasks}, "supervisor": {plan.Supervisor}, "starts_on": {plan.StartsOn}, "ends_on": {plan.EndsOn}}, 303),
		"GET /exchanges/requests/{id}": func(fx *authzFixture, who persona, level string) authzCase {
			c := exps["GET /api/v1/exchange-requests/{id}/matches"](fx, who, level)
			c.path = strings.TrimSuffix(strings.Replace(c.path, "/api/v1/exchange-requests/", "/exchanges/requests/", 1), "/matches")
			return c
		},
		"GET /exchanges/applications/{id}":           page("GET /api/v1/exchange-applications/{id}", nil, 200),
		"POST /exchanges/applications/{id}/approve":  page("POST /api/v1/exchange-applications/{id}/approve", url.Values{"side": {"host"}}, 303),
		"POST /exchanges/applications/{id}/sign":     page("POST /api/v1/exchange-applications/{id}/sign", url.Values{"x": {"y"}}, 303),
		"POST /exchanges/applications/{id}/report":   page("POST /api/v1/exchange-applications/{id}/report", url.Values{"report": {"Authz report"}}, 303),
		"POST /exchanges/applications/{id}/practice": page("POST /api/v1/exchange-applications/{id}/practice", url.Values{"x": {"y"}}, 303),
	})
	return exps
}
