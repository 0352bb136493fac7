package events

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/live"
)

// PartnerFinder ranks organisations as partners for a text (the partner
// finder, *live.Service).
type PartnerFinder interface {
	Partners(ctx context.Context, req live.PartnerRequest) (live.Partners, error)
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
	res, err := s.partners.Partners(ctx, live.PartnerRequest{Text: text, Lead: me.OrgID, Limit: match.MaxLimit})
	if err != nil && me.OrgID != "" { // the lead may be out of the viewer's sight: rank without it
		res, err = s.partners.Partners(ctx, live.PartnerRequest{Text: text, Limit: match.MaxLimit})
	}
	if err != nil {
		return nil, err
	}
	mine, err := s.meetingsOf(ctx, e.ID, me.ID)
	if err != nil {
		return nil, err
	}
	seek := words(me.Seek)
	for _, p := range res.Partners {
		rs, ok := byOrg[p.ID]
		if !ok {
			continue
		}
		sg := Suggestion{Organisation: p.Name, Reasons: p.Reasons, Kind: p.Kind, Country: p.Country}
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
		if len(out) == MaxSuggestions {
			break
		}
	}
	return out, nil
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
