package web

import (
	"errors"
	"net/http"

	"github.com/escnet/escnet/internal/calls/follow"
	"github.com/escnet/escnet/internal/validate"
)

// followedRow is a followed call as the page shows it.
type followedRow struct {
	ID, Title, Deadline, Status, StatusLabel string
	Reasons                                  []string
}

type followingPage struct {
	layout
	Rows           []followedRow
	Subscribed     bool
	FeedURL        string // a new secret address, shown once
	NoOrganisation bool
}

func (s *Server) followingData(r *http.Request) (followingPage, error) {
	data := followingPage{layout: s.layout(r, "title.following_calls", "calls")}
	ms, err := s.follow.Following(r.Context())
	if errors.Is(err, follow.ErrNoOrganisation) {
		data.NoOrganisation = true
		return data, nil
	}
	if err != nil {
		return data, err
	}
	if data.Subscribed, err = s.follow.Subscribed(r.Context()); err != nil {
		return data, err
	}
	l := s.loc(r)
	for _, m := range ms {
		c := m.Call
		data.Rows = append(data.Rows, followedRow{ID: c.ID, Title: c.Title, Deadline: c.Deadline, Status: c.Status,
			StatusLabel: l.T("call_status." + c.Status), Reasons: m.Reasons[:min(2, len(m.Reasons))]})
	}
	return data, nil
}

// pageFollowingCalls lists the calls that match the viewer's
// organisation, with the feed address and the digest subscription.
func (s *Server) pageFollowingCalls(w http.ResponseWriter, r *http.Request) error {
	if viewerFrom(r.Context()).Anonymous() {
		http.Redirect(w, r, "/login?next=/following/calls", http.StatusSeeOther)
		return nil
	}
	data, err := s.followingData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "following", data)
}

// postFollowingCalls makes a new feed address (action=feed, shown on the
// page) or subscribes to the digest or unsubscribes (then back to the
// page).
func (s *Server) postFollowingCalls(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	switch action := r.PostForm.Get("action"); action {
	case "feed":
		tok, err := s.follow.NewFeedToken(r.Context())
		if err != nil {
			return err
		}
		data, err := s.followingData(r)
		if err != nil {
			return err
		}
		data.FeedURL = s.accounts.Config().BaseURL + "/feeds/calls/" + tok + ".atom"
		return s.render(w, http.StatusOK, "following", data)
	case "subscribe", "unsubscribe":
		if err := s.follow.Subscribe(r.Context(), action == "subscribe"); err != nil {
			return err
		}
		http.Redirect(w, r, "/following/calls", http.StatusSeeOther)
		return nil
	default:
		return errBadRequest("Unknown action.", validate.Errors{{Field: "action", Code: validate.InvalidChoice,
			Args: map[string]any{"choices": "feed, subscribe, unsubscribe"}}})
	}
}
