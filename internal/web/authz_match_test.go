package web

import (
	"net/url"
	"testing"
)

// matchExpectations are the authorization matrix's expectations for the
// partner finder and the consortium builder: reads open to everyone,
// signed in or not, that rank only what the viewer may see. Each case
// names the level's organisation as the lead: a viewer who may see it
// gets the ranking (200); for anyone else it does not exist, and the
// request is refused naming the lead (422), as docs/access.md says of
// records one may not see.
func matchExpectations(t *testing.T, pol policy) map[string]expectation {
	const call = "DEMO-CL3-2027-01-DRS-01" // feasible with the demo's first responders
	sees := func(who persona, level string) bool { return pol.sees[who][level] }
	lead := func(method string, path func(fx *authzFixture, level string) string, body func(fx *authzFixture, level string) any) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx, level), want: 422}
			if body != nil {
				c.body = body(fx, level)
			}
			if sees(who, level) {
				c.want = 200
			}
			return c
		}
	}
	slug := func(fx *authzFixture, level string) string { return url.QueryEscape(fx.orgs[level].Slug) }
	return map[string]expectation{
		"POST /api/v1/partners": lead("POST", func(*authzFixture, string) string { return "/api/v1/partners" },
			func(fx *authzFixture, level string) any {
				return PartnersInput{Text: "security research", Lead: fx.orgs[level].Slug}
			}),
		"POST /api/v1/consortia": lead("POST", func(*authzFixture, string) string { return "/api/v1/consortia" },
			func(fx *authzFixture, level string) any {
				return ConsortiumInput{Call: call, Lead: fx.orgs[level].Slug, Size: 6, Proposals: 1}
			}),
		"GET /partners": lead("GET", func(fx *authzFixture, level string) string {
			return "/partners?text=security+research&lead=" + slug(fx, level)
		}, nil),
		"GET /calls/{id}/partners": lead("GET", func(fx *authzFixture, level string) string {
			return "/calls/" + call + "/partners?lead=" + slug(fx, level)
		}, nil),
		"GET /calls/{id}/consortium": lead("GET", func(fx *authzFixture, level string) string {
			return "/calls/" + call + "/consortium?size=6&proposals=1&lead=" + slug(fx, level)
		}, nil),
	}
}
