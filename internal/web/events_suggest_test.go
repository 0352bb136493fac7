package web

import (
	"context"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestMeetingSuggestionsDemo asks the real partner finder, over the
// demonstration alliance, whom a demo attendee of the brokerage day could
// meet: the suggestions are other attendees' organisations that agreed
// to be shown, each with reasons, and the event page lists them.
func TestMeetingSuggestionsDemo(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	if _, err := demo.LoadEvents(context.Background(), env.db, time.Now()); err != nil {
		t.Fatal(err)
	}
	sys := access.AsSystem(context.Background())
	_, regs, err := env.server.ev.Attendees(sys, "security-brokerage-day")
	if err != nil {
		t.Fatal(err)
	}
	me := regs[1]
	if me.OrgID == "" {
		t.Fatalf("the demo attendee acts for no organisation: %+v", me)
	}
	ctx := access.WithViewer(context.Background(), access.Viewer{UserID: me.UserID, OrganisationID: me.OrgID, Clusters: []string{}, WriteAllowed: true, AllianceAdmin: true})
	sg, err := env.server.ev.Suggestions(ctx, "security-brokerage-day")
	if err != nil {
		t.Fatal(err)
	}
	if len(sg) == 0 {
		t.Fatal("no suggestions on the demonstration brokerage day")
	}
	shown := map[string]bool{}
	for _, r := range regs {
		if r.ShareOrg && r.Status == events.StatusConfirmed && r.OrgID != me.OrgID {
			shown[r.Org] = true
		}
	}
	for _, s := range sg {
		if !shown[s.Organisation] || len(s.Attendees) == 0 {
			t.Errorf("suggested %q, which no other attendee shows", s.Organisation)
		}
		if len(s.Reasons) == 0 && len(s.OfferWords) == 0 {
			t.Errorf("%s suggested without a reason", s.Organisation)
		}
	}
	t.Logf("%d suggestions; first %s: %+v", len(sg), sg[0].Organisation, sg[0].Reasons)
}
