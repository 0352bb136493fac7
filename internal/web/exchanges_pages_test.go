package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestExchangeFormsRefuseBadInput: the offer form refuses an offer that
// ends before it starts, one naming a facility that is not the host's,
// and one of a host nobody may approve for, naming the field in the
// page's language; nothing is stored.
func TestExchangeFormsRefuseBadInput(t *testing.T) {
	t.Parallel()
	env := newEnv(t, storetest.NewSQLite(t))
	auth := []string{"Authorization", "Bearer " + env.tokens["admin.tno@example.org"], "Content-Type", "application/x-www-form-urlencoded", "Accept-Language", "nl"}
	for _, p := range []string{"/exchanges/offers/new", "/exchanges/requests/new", "/exchanges"} {
		if r := env.do("GET", p, nil, auth[:2]...); r.status != 200 {
			t.Fatalf("GET %s = %d\n%s", p, r.status, r.body)
		}
	}
	good := url.Values{"kind": {"secondment"}, "topic": {"Cyber range secondment"}, "language": {"en"}, "starts_on": {"2027-05-01"}, "ends_on": {"2027-06-30"},
		"weeks": {"4"}, "country": {"NL"}, "visibility": {"alliance"}}
	for name, c := range map[string]struct {
		change func(url.Values)
		field  string
		code   string
	}{
		"ends before it starts": {func(v url.Values) { v.Set("ends_on", "2027-04-01") }, "ends_on", exchanges.EndsBeforeStart},
		"another's facility":    {func(v url.Values) { v.Set("facilities", "riskfactory-twente") }, "facilities[0]", exchanges.NotHostFacility},
		"host without approver": {func(v url.Values) { v.Set("organisation", "kpn") }, "organisation_id", exchanges.NoApprover},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		c.change(form)
		tok := auth
		if c.field == "organisation_id" {
			tok = append([]string{"Authorization", "Bearer " + env.admin}, auth[2:]...)
		}
		r := env.do("POST", "/exchanges/offers/new", form.Encode(), tok...)
		want := env.server.catalog.localizer("nl").T(c.code)
		if r.status != 422 || !strings.Contains(string(r.body), want) {
			t.Errorf("%s: %d, want 422 with %q\n%.2000s", name, r.status, want, r.body)
		}
	}
	if list := env.do("GET", "/api/v1/exchange-offers", nil, auth[:2]...); !strings.Contains(string(list.body), `"items": []`) {
		t.Errorf("refused offers stored: %s", list.body)
	}
}
