package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// fakeFinder ranks the organisations it was given, in that order, and
// remembers the request.
type fakeFinder struct {
	ranked     []match.Ranked
	req        live.PartnerRequest
	consortium []string // the members of the one proposal for any call
}

func (f *fakeFinder) Consortium(_ context.Context, req live.ConsortiumRequest) (live.Consortia, error) {
	p := live.Proposal{}
	for _, id := range f.consortium {
		p.Members = append(p.Members, live.Member{Member: match.Member{Ranked: match.Ranked{ID: id}, Lead: id == req.Lead}})
	}
	return live.Consortia{Call: req.Call, Proposals: []live.Proposal{p}}, nil
}

func (f *fakeFinder) Partners(_ context.Context, req live.PartnerRequest) (live.Partners, error) {
	f.req = req
	out := live.Partners{}
	for _, r := range f.ranked {
		out.Partners = append(out.Partners, live.Partner{Ranked: r})
	}
	return out, nil
}

// TestMeetingSuggestions: a confirmed attendee is suggested the other
// attendees' organisations in the partner finder's order, with its
// reasons and the words their offers share with what the attendee looks
// for; an organisation whose attendees did not agree to show it is never
// suggested; the attendee's own organisation leads the query; someone not
// attending is refused, and an event without brokerage names the field.
func TestMeetingSuggestions(t *testing.T) {
	db := NewSQLite(t)
	w := newEventWorld(t, db, brokerageInput())
	d := svc(db)
	var ids []string
	for _, o := range []struct{ slug, name string }{{"tno", "TNO"}, {"saxion", "Saxion"}, {"hidden-bv", "Hidden BV"}, {"oulu-works", "Oulu Works"}} {
		org := org(o.slug, o.name, "NL", "research", w.cluster)
		must(t, d.CreateOrganisation(ctx, org))
		ids = append(ids, org.ID)
	}
	as := func(user, orgID string) context.Context {
		return access.WithViewer(context.Background(), access.Viewer{UserID: user, Email: user + "@example.test", OrganisationID: orgID, WriteAllowed: true})
	}
	reg := func(user, orgID string, in events.RegisterInput) {
		if _, err := w.svc.Register(as(user, orgID), w.ev.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	reg("me", ids[0], events.RegisterInput{Seek: "Drone detection for ports"})
	reg("x", ids[1], events.RegisterInput{ShareOrg: true, Offer: "drone detection radar"})
	reg("z", ids[1], events.RegisterInput{ShareOrg: true, Offer: "training"})
	reg("y", ids[2], events.RegisterInput{Offer: "drone detection"}) // does not show its organisation
	reg("o", ids[3], events.RegisterInput{ShareOrg: true})
	f := &fakeFinder{ranked: []match.Ranked{
		{ID: ids[2], Name: "Hidden BV"},
		{ID: ids[1], Name: "Saxion", Kind: "research", Country: "NL", Reasons: []match.Reason{{Kind: match.ReasonDeclared, Text: "declares drones"}}},
		{ID: ids[0], Name: "TNO"},
	}}
	w.svc.SetPartnerFinder(f)
	sg, err := w.svc.Suggestions(as("me", ids[0]), w.ev.ID)
	must(t, err)
	if len(sg) != 1 || sg[0].Organisation != "Saxion" || len(sg[0].Attendees) != 2 || len(sg[0].Reasons) != 1 {
		t.Fatalf("suggestions %+v, want Saxion with its two attendees and its reason", sg)
	}
	if !slices.Equal(sg[0].OfferWords, []string{"drone", "detection"}) {
		t.Errorf("offer words %v, want drone, detection", sg[0].OfferWords)
	}
	if f.req.Lead != ids[0] || f.req.Text == "" {
		t.Errorf("query %+v, want the attendee's organisation as the lead and their interests as the text", f.req)
	}
	// Linked to a call, the organisation the consortium builder puts in
	// a consortium with the attendee's comes first; a link to a call that
	// does not exist is refused naming it.
	w.svc.SetCalls(db)
	c := calls.Call{ID: "HORIZON-CL3-2027-BM-01-01", Title: "Drones at borders", Programme: "Horizon Europe"}
	must(t, db.CreateCall(ctx, &c))
	f.ranked = append(f.ranked, match.Ranked{ID: ids[3], Name: "Oulu Works"})
	f.consortium = []string{ids[0], ids[3]}
	in := brokerageInput()
	in.Calls = []string{"NO-SUCH-CALL"}
	if _, err := w.svc.UpdateEvent(w.organiser(), w.ev.ID, in, 0); !hasCode(err, "calls[0]", validate.InvalidChoice) {
		t.Fatalf("unknown call: %v", err)
	}
	in.Calls = []string{c.ID}
	if _, err := w.svc.UpdateEvent(w.organiser(), w.ev.ID, in, 0); err != nil {
		t.Fatal(err)
	}
	sg, err = w.svc.Suggestions(as("me", ids[0]), w.ev.ID)
	must(t, err)
	if len(sg) != 2 || sg[0].Organisation != "Oulu Works" || len(sg[0].Consortium) != 1 || sg[0].Consortium[0].CallTitle != "Drones at borders" {
		t.Fatalf("with a linked call: %+v, want Oulu Works first, completing the consortium", sg)
	}
	if f.req.Call != c.ID {
		t.Errorf("the ranking did not use the linked call: %+v", f.req)
	}
	if _, err := w.svc.Suggestions(as("stranger", ""), w.ev.ID); !hasCode(err, "event", validate.NotRegistered) {
		t.Errorf("someone not attending: %v, want not registered", err)
	}
	if _, err := w.svc.Suggestions(context.Background(), w.ev.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("anonymous, alliance event: %v, want not found", err)
	}
	plain, err := w.svc.CreateEvent(w.organiser(), events.EventInput{Slug: "plain", Kind: events.KindWorkshop, Title: "Plain", Language: "en",
		Organisers: []string{"hsd"}, VenueKind: events.VenueOnline, OnlineURL: "https://meet.example.test/p", TimeZone: "Europe/Amsterdam",
		StartsAt: "2027-06-01T09:00", EndsAt: "2027-06-01T10:00", Visibility: "alliance"})
	must(t, err)
	if _, err := w.svc.Suggestions(as("me", ids[0]), plain.ID); !hasCode(err, "event", validate.NoBrokerage) {
		t.Errorf("no brokerage: %v", err)
	}
}

func hasCode(err error, field, code string) bool {
	var ve validate.Errors
	return errors.As(err, &ve) && hasError(ve, field, code)
}
