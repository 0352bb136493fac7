package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestExchangeBadInputOverHTTP: an offer that ends before it starts, or
// of a host nobody may approve for, is refused naming the field, and
// nothing is stored.
func TestExchangeBadInputOverHTTP(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	auth := []string{"Authorization", "Bearer " + env.tokens["member.tno@example.org"]}
	offer := exchanges.Offer{Kind: "traineeship", Topic: "Cyber range traineeship", Language: "en", StartsOn: "2027-05-01", EndsOn: "2027-04-01",
		Weeks: 4, Country: "NL"}
	r := env.do("POST", "/api/v1/exchange-offers", offer, auth...)
	if r.status != 422 || !strings.Contains(string(r.body), `"field": "ends_on"`) || !strings.Contains(string(r.body), exchanges.EndsBeforeStart) {
		t.Errorf("offer ending before it starts: %d %s", r.status, r.body)
	}
	offer.EndsOn = "2027-06-30"
	offer.OrganisationID = "kpn" // an organisation without administrators
	r = env.do("POST", "/api/v1/exchange-offers", offer, "Authorization", "Bearer "+env.admin)
	if r.status != 422 || !strings.Contains(string(r.body), exchanges.NoApprover) {
		t.Errorf("offer of a host without approver: %d %s", r.status, r.body)
	}
	list := env.do("GET", "/api/v1/exchange-offers", nil, auth...)
	if !strings.Contains(string(list.body), `"items": []`) {
		t.Errorf("refused offers stored: %s", list.body)
	}
}

// TestExchangeApprovalRefusedNamesTheSide: a party to an application who
// may not decide for the side asked — a member of the host, the host's
// administrator for the guest's own organisation — is refused (403)
// naming the field, and nothing is approved.
func TestExchangeApprovalRefusedNamesTheSide(t *testing.T) {
	t.Parallel()
	env := newEnv(t, storetest.NewSQLite(t))
	bearer := func(who string) []string { return []string{"Authorization", "Bearer " + env.tokens[who]} }
	offer := exchanges.Offer{Kind: "secondment", Topic: "Sensor lab secondment", Language: "en", StartsOn: "2027-05-01", EndsOn: "2027-06-30", Weeks: 4, Country: "NL"}
	r := env.do("POST", "/api/v1/exchange-offers", offer, bearer("admin.tno@example.org")...)
	if r.status != 201 {
		t.Fatalf("offer: %d %s", r.status, r.body)
	}
	var o exchanges.Offer
	if err := json.Unmarshal(r.body, &o); err != nil {
		t.Fatal(err)
	}
	plan := exchanges.Application{Tasks: "Test sensors", Supervisor: "Dr. Demo", StartsOn: "2027-05-03", EndsOn: "2027-05-30"}
	r = env.do("POST", "/api/v1/exchange-offers/"+o.ID+"/applications", plan, bearer("manager.hsd@example.org")...)
	if r.status != 201 {
		t.Fatalf("apply: %d %s", r.status, r.body)
	}
	var a exchanges.Application
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatal(err)
	}
	for who, side := range map[string]string{"member.tno@example.org": "host", "admin.tno@example.org": "home"} {
		r := env.do("POST", "/api/v1/exchange-applications/"+a.ID+"/approve", ExchangeDecisionInput{Side: side}, bearer(who)...)
		if r.status != 403 || !strings.Contains(string(r.body), `"field": "side"`) || !strings.Contains(string(r.body), exchanges.NotDecider) {
			t.Errorf("%s approving as %s: %d %s", who, side, r.status, r.body)
		}
		form := "side=" + side
		p := env.do("POST", "/exchanges/applications/"+a.ID+"/approve", form, append(bearer(who), "Content-Type", "application/x-www-form-urlencoded")...)
		if want := env.server.catalog.localizer("en").T(exchanges.NotDecider); p.status != 403 || !strings.Contains(string(p.body), want) {
			t.Errorf("%s approving as %s on the page: %d, want 403 saying %q", who, side, p.status, want)
		}
	}
	r = env.do("GET", "/api/v1/exchange-applications/"+a.ID, nil, bearer("admin.tno@example.org")...)
	if !strings.Contains(string(r.body), `"status": "requested"`) {
		t.Errorf("after refused approvals: %s", r.body)
	}
}

// TestExchangeStepsCarryTheVersion: a step sent with the version an
// application had before someone else's step is refused (412) on the API
// (If-Match) and on the page (the form's version), and changes nothing.
func TestExchangeStepsCarryTheVersion(t *testing.T) {
	t.Parallel()
	env := newEnv(t, storetest.NewSQLite(t))
	bearer := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }
	offer := exchanges.Offer{Kind: "traineeship", Topic: "Drone lab traineeship", Language: "en", StartsOn: "2027-05-01", EndsOn: "2027-06-30", Weeks: 4, Country: "NL"}
	r := env.do("POST", "/api/v1/exchange-offers", offer, bearer(env.tokens["admin.tno@example.org"])...)
	var o exchanges.Offer
	if err := json.Unmarshal(r.body, &o); err != nil || r.status != 201 {
		t.Fatalf("offer: %d %s", r.status, r.body)
	}
	plan := exchanges.Application{Tasks: "Fly", Supervisor: "Dr. Demo", StartsOn: "2027-05-03", EndsOn: "2027-05-30"}
	r = env.do("POST", "/api/v1/exchange-offers/"+o.ID+"/applications", plan, bearer(env.tokens["manager.hsd@example.org"])...)
	var a exchanges.Application
	if err := json.Unmarshal(r.body, &a); err != nil || r.status != 201 || r.header.Get("ETag") != `"v1"` {
		t.Fatalf("apply: %d %s %q", r.status, r.body, r.header.Get("ETag"))
	}
	r = env.do("POST", "/api/v1/exchange-applications/"+a.ID+"/approve", ExchangeDecisionInput{Side: "host"}, append(bearer(env.tokens["admin.tno@example.org"]), "If-Match", `"v1"`)...)
	if r.status != 200 || r.header.Get("ETag") != `"v2"` {
		t.Fatalf("host approval: %d %s", r.status, r.body)
	}
	r = env.do("POST", "/api/v1/exchange-applications/"+a.ID+"/approve", ExchangeDecisionInput{Side: "home"}, append(bearer(env.admin), "If-Match", `"v1"`)...)
	if r.status != 412 {
		t.Errorf("stale If-Match: %d %s", r.status, r.body)
	}
	p := env.do("POST", "/exchanges/applications/"+a.ID+"/approve", "side=home&version=1", append(bearer(env.admin), "Content-Type", "application/x-www-form-urlencoded")...)
	if want := env.server.catalog.localizer("en").T("error.stale"); p.status != 412 || !strings.Contains(string(p.body), want) {
		t.Errorf("stale form: %d, want 412 saying %q", p.status, want)
	}
	r = env.do("GET", "/api/v1/exchange-applications/"+a.ID, nil, bearer(env.admin)...)
	if !strings.Contains(string(r.body), `"status": "requested"`) || r.header.Get("ETag") != `"v2"` {
		t.Errorf("after stale steps: %s %q", r.body, r.header.Get("ETag"))
	}
}
