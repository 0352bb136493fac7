package web

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/calls/follow"
)

// FollowedCalls is what the viewer follows: the open and forthcoming
// calls that match their organisation, and whether they get the digest.
type FollowedCalls struct {
	Calls      []follow.Match `json:"calls"`
	Subscribed bool           `json:"subscribed"`
}

func (s *Server) apiFollowingCalls(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.follow.Following(r.Context())
	if err != nil {
		return err
	}
	sub, err := s.follow.Subscribed(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, FollowedCalls{Calls: ms, Subscribed: sub})
}

// CallsFeed is a new secret address of the viewer's calls feed.
type CallsFeed struct {
	URL string `json:"url"`
}

func (s *Server) apiNewCallsFeed(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.follow.NewFeedToken(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, CallsFeed{URL: s.accounts.Config().BaseURL + "/feeds/calls/" + tok + ".atom"})
}

// DigestInput subscribes the viewer to the e-mail digest of new and
// closing calls, or unsubscribes them.
type DigestInput struct {
	Subscribed bool `json:"subscribed"`
}

func (s *Server) apiCallsDigest(w http.ResponseWriter, r *http.Request) error {
	var in DigestInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.follow.Subscribe(r.Context(), in.Subscribed); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, in)
}

// handleCallsFeed is the Atom feed behind a secret address: the calls
// that match the owner's organisation, soonest deadline first.
func (s *Server) handleCallsFeed(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSuffix(r.PathValue("token"), ".atom")
	f, err := s.follow.FeedFor(r.Context(), token)
	if err != nil {
		return err
	}
	base := s.accounts.Config().BaseURL
	now := time.Now().UTC().Format(time.RFC3339)
	feed := atomFeed{Title: "escnet calls for " + f.Organisation.Name, ID: "urn:escnet:calls-feed:" + f.Organisation.ID,
		Updated: now, Link: atomLink{Href: base + "/calls", Rel: "alternate"}}
	for _, m := range f.Matches {
		c := m.Call
		summary := c.Status
		if c.Deadline != "" {
			summary += ", deadline " + c.Deadline
		}
		if len(m.Reasons) > 0 {
			summary += ". " + strings.Join(m.Reasons[:min(2, len(m.Reasons))], "; ")
		}
		updated := c.UpdatedAt
		if updated.IsZero() {
			updated = time.Now()
		}
		e := atomEntry{Title: c.ID + ": " + c.Title, ID: "urn:escnet:call:" + url.PathEscape(c.ID),
			Updated: updated.UTC().Format(time.RFC3339), Link: atomLink{Href: base + "/calls/" + url.PathEscape(c.ID)}, Summary: summary}
		e.Author.Name = c.Programme
		if e.Author.Name == "" {
			e.Author.Name = "escnet"
		}
		feed.Entries = append(feed.Entries, e)
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return err
	}
	return xml.NewEncoder(w).Encode(feed)
}
