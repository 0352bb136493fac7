package events

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// PartnerFinder ranks organisations as partners for a text and builds
// consortia for a call (the partner finder, *live.Service).
type PartnerFinder interface {
	Partners(ctx context.Context, req live.PartnerRequest) (live.Partners, error)
	Consortium(ctx context.Context, req live.ConsortiumRequest) (live.Consortia, error)
}

// CallReader finds the calls an event may be linked to.
type CallReader interface {
	GetCall(ctx context.Context, id string) (calls.Call, error)
}

// SetCalls lets the service check and name the calls events link to.
func (s *Service) SetCalls(c CallReader) { s.calls = c }

// checkCalls refuses links to calls that do not exist.
func (s *Service) checkCalls(ctx context.Context, ids []string) error {
	if s.calls == nil {
		return nil
	}
	var errs validate.Errors
	for i, id := range ids {
		if _, err := s.calls.GetCall(ctx, id); errors.Is(err, store.ErrNotFound) {
			errs.Add("calls["+itoa(i)+"]", validate.InvalidChoice, "choices", "calls of escnet")
		} else if err != nil {
			return err
		}
	}
	return errs.Err()
}

// ConsortiumFit says that an organisation is in a consortium the
// consortium builder proposes for a call the event is linked to, with
// the viewer's organisation as the lead: meeting it would fill the
// consortium's missing actor types or countries.
type ConsortiumFit struct {
	Call      string `json:"call"`
	CallTitle string `json:"call_title"`
	// Satisfies names the call's rules it counts toward (English).
	Satisfies []string `json:"satisfies,omitempty"`
}

// consortiumFits asks the consortium builder, for each call the event is
// linked to, which organisations would complete a consortium led by
// lead; an infeasible call gives none.
func (s *Service) consortiumFits(ctx context.Context, e Event, lead string) map[string][]ConsortiumFit {
	out := map[string][]ConsortiumFit{}
	for _, id := range e.Calls[:min(len(e.Calls), 3)] {
		res, err := s.partners.Consortium(ctx, live.ConsortiumRequest{Call: id, Lead: lead, Proposals: 3})
		if err != nil {
			continue
		}
		title := id
		if s.calls != nil {
			if c, err := s.calls.GetCall(ctx, id); err == nil {
				title = c.Title
			}
		}
		for _, p := range res.Proposals {
			for _, m := range p.Members {
				if m.Lead || slices.ContainsFunc(out[m.ID], func(f ConsortiumFit) bool { return f.Call == id }) {
					continue
				}
				out[m.ID] = append(out[m.ID], ConsortiumFit{Call: id, CallTitle: title, Satisfies: m.Satisfies})
			}
		}
	}
	return out
}

// SetPartnerFinder gives the service the partner finder its meeting
// suggestions rank with (the App sets it; without one there are none).
func (s *Service) SetPartnerFinder(f PartnerFinder) { s.partners = f }

// Suggestion is an organisation at a brokerage event the viewer could
// meet, with the attendees who act for it and why it is suggested.
type Suggestion struct {
	Organisation string         `json:"organisation"`
	Attendees    []Registration `json:"attendees"`
	// Reasons are the partner finder's (similar projects, declared
	// capabilities, worked with, complementary profile...).
	Reasons []match.Reason `json:"reasons"`
	// OfferWords are words of what the viewer looks for that the
	// attendees' offers share.
	OfferWords []string `json:"offer_words,omitempty"`
	Kind       string   `json:"kind,omitempty"`
	Country    string   `json:"country,omitempty"`
	// Consortium lists the linked calls for which the consortium builder
	// puts it in a consortium with the viewer's organisation.
	Consortium []ConsortiumFit `json:"consortium,omitempty"`
	// Asked is true when the viewer has an open or accepted request with
	// one of its attendees.
	Asked bool `json:"asked"`
}

// MaxSuggestions is the most suggestions returned.
const MaxSuggestions = 10

// Suggestions tells a confirmed attendee of a brokerage event whom to
// meet: the other attendees' organisations, ranked by the partner finder
// for what the attendee looks for and the event's subject, with the
// attendee's own organisation as the lead (so that partners it worked
// with, and profiles that complement it, count), best first. Only
// attendees who agreed to show their organisation are considered.
func (s *Service) Suggestions(ctx context.Context, eventID string) ([]Suggestion, error) {
	e, err := s.store.GetEvent(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if e.Brokerage == nil {
		return nil, errNoBrokerage()
	}
	me, err := s.myConfirmed(ctx, e, "event")
	if err != nil {
		return nil, err
	}
	regs, err := s.store.ListRegistrations(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	byOrg := map[string][]Registration{}
	for _, r := range regs {
		if r.Status == StatusConfirmed && r.ShareOrg && r.OrgID != "" && r.OrgID != me.OrgID && r.ID != me.ID {
			byOrg[r.OrgID] = append(byOrg[r.OrgID], r)
		}
	}
	out := []Suggestion{}
	if len(byOrg) == 0 || s.partners == nil {
		return out, nil
	}
	text := strings.TrimSpace(strings.Join([]string{me.Seek, me.Offer, e.Title, e.Description}, "\n"))
	req := live.PartnerRequest{Text: text, Lead: me.OrgID, Limit: match.MaxLimit}
	if len(e.Calls) > 0 {
		req.Call = e.Calls[0] // the types of partner its rules ask for rank higher
	}
	res, err := s.partners.Partners(ctx, req)
	if err != nil { // the lead or the call may be out of the viewer's sight: rank the text alone
		res, err = s.partners.Partners(ctx, live.PartnerRequest{Text: text, Limit: match.MaxLimit})
	}
	if err != nil {
		return nil, err
	}
	mine, err := s.meetingsOf(ctx, e.ID, me.ID)
	if err != nil {
		return nil, err
	}
	fits := map[string][]ConsortiumFit{}
	if len(e.Calls) > 0 && me.OrgID != "" {
		fits = s.consortiumFits(ctx, e, me.OrgID)
	}
	seek := words(me.Seek)
	for _, p := range res.Partners {
		rs, ok := byOrg[p.ID]
		if !ok {
			continue
		}
		sg := Suggestion{Organisation: p.Name, Reasons: p.Reasons, Kind: p.Kind, Country: p.Country, Consortium: fits[p.ID]}
		for _, r := range rs {
			sg.Attendees = append(sg.Attendees, Shared(r))
			for _, w := range words(r.Offer) {
				if slices.Contains(seek, w) && !slices.Contains(sg.OfferWords, w) {
					sg.OfferWords = append(sg.OfferWords, w)
				}
			}
			sg.Asked = sg.Asked || slices.ContainsFunc(mine, func(m Meeting) bool {
				return (m.FromID == r.ID || m.ToID == r.ID) && (m.Status == MeetingRequested || m.Status == MeetingAccepted)
			})
		}
		if sg.Reasons == nil {
			sg.Reasons = []match.Reason{}
		}
		out = append(out, sg)
	}
	// Those that would complete a consortium for a linked call first, then
	// the partner finder's order.
	slices.SortStableFunc(out, func(a, b Suggestion) int { return min(len(b.Consortium), 1) - min(len(a.Consortium), 1) })
	return out[:min(len(out), MaxSuggestions)], nil
}

// words are the lower-case words of s of four letters or more.
func words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) >= 4 && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}
