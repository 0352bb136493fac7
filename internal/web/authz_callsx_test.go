package web

import (
	"net/url"
	"testing"
)

// callsxExpectations are the authorization matrix's expectations for
// following calls (docs/access.md, "follow the calls that match their
// organisation"): signed-in people with an organisation; the alliance
// administrator of the fixture has none (403); the feed's secret address
// is the credential (a made-up one is 404 for everyone).
func callsxExpectations(t *testing.T, pol policy) map[string]expectation {
	mayFollow := func(who persona) bool { return pol.may(t, "follow the calls that match their organisation", who) }
	follow := func(method, path string, body any, ok int) expectation {
		return func(_ *authzFixture, who persona, _ string) authzCase {
			c := authzCase{method: method, path: path, body: body, want: denied(who)}
			switch {
			case who == allianceAdmin:
				c.want = 403 // the fixture's alliance administrator belongs to no organisation
			case mayFollow(who):
				c.want = ok
			}
			return c
		}
	}
	return map[string]expectation{
		"GET /api/v1/following/calls":        follow("GET", "/api/v1/following/calls", nil, 200),
		"POST /api/v1/following/calls/feed":  follow("POST", "/api/v1/following/calls/feed", map[string]any{}, 201),
		"PUT /api/v1/following/calls/digest": follow("PUT", "/api/v1/following/calls/digest", DigestInput{Subscribed: true}, 200),
		"GET /following/calls": func(_ *authzFixture, who persona, _ string) authzCase {
			c := authzCase{method: "GET", path: "/following/calls", want: 200}
			if who == anonymous {
				c.want = 303 // to the sign-in page
			}
			return c
		},
		"POST /following/calls": withForm(follow("POST", "/following/calls", nil, 303), url.Values{"action": {"subscribe"}}),
		"GET /feeds/calls/{token}": func(*authzFixture, persona, string) authzCase {
			return authzCase{method: "GET", path: "/feeds/calls/not-a-real-token-for-anyone.atom", want: 404}
		},
	}
}
