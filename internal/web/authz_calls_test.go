package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/calls"
)

// demoCall is a demonstration call (internal/demo/calls.go) the tests
// read; they change only calls of their own.
const demoCall = "DEMO-CL3-2027-01-BM-01"

// callExpectations are the authorization matrix's expectations for the
// routes of calls: calls are public; adding, changing and deleting them
// is the row "add, change or delete calls" of docs/access.md.
func callExpectations(t *testing.T, pol policy) map[string]expectation {
	mayCalls := func(who persona) bool { return pol.may(t, "add, change or delete calls", who) }
	sys := access.AsSystem(context.Background())

	// throwaway makes a call of the case's own to change or delete.
	throwaway := func(fx *authzFixture) string {
		c := calls.Call{ID: strings.ToUpper(fx.unique("AUTHZ-CALL")), Title: "Authorization test call", ActionType: "RIA",
			Conditions: "This topic requires the active involvement, as beneficiaries, of at least 2 Police Authorities."}
		c.ReadConditions()
		if err := fx.env.db.CreateCall(sys, &c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	always := func(path string) expectation {
		return func(*authzFixture, persona, string) authzCase { return authzCase{method: "GET", path: path, want: 200} }
	}
	// change is a write that those in the row may do: ok for them,
	// refused for the others (401 anonymous, 403 signed in).
	change := func(method string, path func(fx *authzFixture) string, body func(fx *authzFixture) any, form func(fx *authzFixture) url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx), want: denied(who)}
			if body != nil {
				c.body = body(fx)
			}
			if form != nil {
				c.form = form(fx)
			}
			if mayCalls(who) {
				c.want = ok
			}
			return c
		}
	}
	fixed := func(p string) func(*authzFixture) string { return func(*authzFixture) string { return p } }
	own := func(suffix string) func(*authzFixture) string {
		return func(fx *authzFixture) string { return "/calls/" + throwaway(fx) + suffix }
	}
	callForm := func(fx *authzFixture) url.Values {
		return url.Values{"id": {strings.ToUpper(fx.unique("AUTHZ-FORM"))}, "title": {"Authorization test call (form)"}, "action_type": {"IA"}}
	}
	ruleForm := func(*authzFixture) url.Values {
		return url.Values{"kind": {"min_partners"}, "count": {"4"}, "types": {"legal_entity"}, "country_scope": {"any"}, "source": {"Typed by a person."}}
	}
	return map[string]expectation{
		"GET /api/v1/calls":      always("/api/v1/calls?q=border"),
		"GET /api/v1/calls/{id}": always("/api/v1/calls/" + demoCall),
		"POST /api/v1/calls": change("POST", fixed("/api/v1/calls"), func(fx *authzFixture) any {
			return CallInput{ID: strings.ToUpper(fx.unique("AUTHZ-API")), Title: "Authorization test call (API)"}
		}, nil, 201),
		"PUT /api/v1/calls/{id}": change("PUT", func(fx *authzFixture) string { return "/api/v1/calls/" + throwaway(fx) },
			func(*authzFixture) any { return map[string]any{"title": "Authorization test call, corrected"} }, nil, 200),
		"DELETE /api/v1/calls/{id}": change("DELETE", func(fx *authzFixture) string { return "/api/v1/calls/" + throwaway(fx) }, nil, nil, 204),

		"GET /calls":                 always("/calls"),
		"GET /calls/{id}":            always("/calls/" + demoCall),
		"GET /calls/new":             change("GET", fixed("/calls/new"), nil, nil, 200),
		"POST /calls/new":            change("POST", fixed("/calls/new"), nil, callForm, 303),
		"GET /calls/{id}/edit":       change("GET", fixed("/calls/"+demoCall+"/edit"), nil, nil, 200),
		"POST /calls/{id}/edit":      change("POST", own("/edit"), nil, func(*authzFixture) url.Values { return url.Values{"title": {"Corrected"}} }, 303),
		"POST /calls/{id}/delete":    change("POST", own("/delete"), nil, func(*authzFixture) url.Values { return url.Values{} }, 303),
		"POST /calls/{id}/rules":     change("POST", own("/rules"), nil, ruleForm, 303),
		"POST /calls/{id}/rules/{n}": change("POST", own("/rules/1"), nil, ruleForm, 303),
	}
}
