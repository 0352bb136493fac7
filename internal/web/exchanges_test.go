package web

import (
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
