package web

import (
	"context"
	"net/url"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/postings"
)

// postingExpectations are the authorization matrix's expectations for
// partner search postings (docs/access.md, "Partner search postings"): a
// posting is seen as a record of its level; publishing is for those who
// act for the organisation; interest is for a signed-in person of another
// organisation.
func postingExpectations(t *testing.T, pol policy) map[string]expectation {
	sees := func(who persona, level string) bool { return pol.sees[who][level] }
	mayPublish := func(who persona) bool { return pol.may(t, "publish a partner search", who) }
	mayInterest := func(who persona) bool { return pol.may(t, "express interest in a posting", who) }
	// actsFor: the personas who act for the level's organisation.
	actsFor := func(who persona) bool {
		return who == colleague || who == orgAdmin || who == manager || who == allianceAdmin
	}
	sys := access.WithScope(context.Background(), access.System)
	as := func(v access.Viewer) context.Context {
		return context.WithValue(access.WithScope(sys, access.ScopeOf(v)), viewerKey{}, v)
	}
	in := func(fx *authzFixture, level string) PostingInput {
		return PostingInput{OrganisationID: fx.orgs[level].ID, Kind: postings.KindOffer, Title: "Authz offer " + level,
			Text: "Authz expertise", Visibility: level}
	}
	posting := func(fx *authzFixture, level string) string {
		v := access.Viewer{UserID: fx.user(colleague, level).ID, OrganisationID: fx.orgs[level].ID, WriteAllowed: true}
		p, err := fx.env.server.postings.Create(as(v), in(fx, level).posting())
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	// publish: 401 anonymous; 422 for an organisation they may not see
	// (unknown to them); ok for those who act for it; 403 otherwise.
	publish := func(page bool) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/postings", body: in(fx, level), want: 201}
			if page {
				b := in(fx, level)
				c.path, c.body, c.want = "/postings/new", nil, 303
				c.form = url.Values{"kind": {b.Kind}, "title": {b.Title}, "text": {b.Text}, "visibility": {b.Visibility}}
				// The form publishes for the viewer's own organisation.
				switch {
				case who == anonymous:
					c.want = 401
				case who == allianceAdmin:
					c.want = 422 // no organisation of their own
				}
				return c
			}
			switch {
			case !mayPublish(who):
				c.want = denied(who)
			case !sees(who, level):
				c.want = 422
			case !actsFor(who):
				c.want = 403
			}
			return c
		}
	}
	// interest: 404 for a posting they may not see; 401 anonymous; 403
	// without an organisation; 422 in their own organisation's posting.
	interest := func(page bool) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			id := posting(fx, level)
			c := authzCase{method: "POST", path: "/api/v1/postings/" + id + "/interests", body: InterestInput{Message: "Authz interest"}, want: 201}
			if page {
				c.path, c.body, c.form, c.want = "/postings/"+id+"/interests", nil, url.Values{"message": {"Authz interest"}}, 303
			}
			switch {
			case !sees(who, level):
				c.want = 404
			case !mayInterest(who):
				c.want = denied(who)
			case who == colleague || who == orgAdmin:
				c.want = 422 // their own organisation's posting
			}
			return c
		}
	}
	read := func(api bool) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/postings/" + posting(fx, level), want: 404}
			if api {
				c.path = "/api/v1" + c.path
			}
			if sees(who, level) {
				c.want = 200
			}
			return c
		}
	}
	always := func(path string) expectation {
		return func(*authzFixture, persona, string) authzCase { return authzCase{method: "GET", path: path, want: 200} }
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
	return map[string]expectation{
		"GET /api/v1/postings":                 always("/api/v1/postings"),
		"POST /api/v1/postings":                publish(false),
		"GET /api/v1/postings/{id}":            read(true),
		"POST /api/v1/postings/{id}/interests": interest(false),
		"GET /postings":                        always("/postings"),
		"GET /postings/mine":                   signedIn("/postings/mine"),
		"GET /postings/new":                    signedIn("/postings/new"),
		"POST /postings/new":                   publish(true),
		"GET /postings/{id}":                   read(false),
		"POST /postings/{id}/interests":        interest(true),
	}
}
