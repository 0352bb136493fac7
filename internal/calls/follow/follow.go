// Package follow lets a member follow the calls that match its
// organisation: the open and forthcoming calls for which the partner
// finder ranks the organisation among its best partners (by its track
// record, its declared capabilities and its practitioner roles), as a list
// for the API, a secret-address Atom feed, and an e-mail digest of new and
// closing calls that remembers what it sent, so that no call is announced
// twice to the same person.
package follow

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/store"
)

// TopK is how high the partner finder must rank an organisation for a
// call to match it.
const TopK = 25

// Kinds of announcement in a digest.
const (
	KindNew     = "new"
	KindClosing = "closing"
)

// DefaultClosingDays is how close a deadline must be for a digest to
// announce the call as closing.
const DefaultClosingDays = 14

// Sent is one call a digest announced to a user.
type Sent struct {
	CallID string
	Kind   string
}

// Store is what following needs from a storage engine.
type Store interface {
	// CallsFollowSetFeed sets (or replaces) the user's feed token hash.
	CallsFollowSetFeed(ctx context.Context, userID, tokenHash string) error
	// CallsFollowFeedUser returns the user of a token hash, or an error
	// wrapping store.ErrNotFound.
	CallsFollowFeedUser(ctx context.Context, tokenHash string) (string, error)
	// CallsFollowSubscribe adds (on) or removes the user from the digest.
	CallsFollowSubscribe(ctx context.Context, userID string, on bool) error
	// CallsFollowSubscribed reports whether the user gets the digest.
	CallsFollowSubscribed(ctx context.Context, userID string) (bool, error)
	// CallsFollowSubscribers lists the users who get the digest.
	CallsFollowSubscribers(ctx context.Context) ([]string, error)
	// CallsFollowSent lists what digests announced to the user.
	CallsFollowSent(ctx context.Context, userID string) ([]Sent, error)
	// CallsFollowMarkSent records announcements (again: no change).
	CallsFollowMarkSent(ctx context.Context, userID string, sent []Sent, at time.Time) error
	GetUser(ctx context.Context, id string) (accounts.User, error)
	GetOrganisation(ctx context.Context, key string) (directory.Organisation, error)
}

// Match is a call that matches an organisation, with the reasons the
// partner finder gives (English).
type Match struct {
	Call    calls.Call `json:"call"`
	Reasons []string   `json:"reasons"`
}

// Service is following calls.
type Service struct {
	store Store
	calls *calls.Service
	match *live.Service
	mail  mail.Sender
	cfg   mail.NoticeConfig
}

// New returns the service.
func New(st Store, cs *calls.Service, m *live.Service, sender mail.Sender, cfg mail.NoticeConfig) *Service {
	return &Service{store: st, calls: cs, match: m, mail: sender, cfg: cfg.WithDefaults()}
}

// ErrNoOrganisation: the viewer belongs to no organisation, so no call
// can match it.
var ErrNoOrganisation = fmt.Errorf("your account belongs to no organisation, whose calls you could follow: %w", store.ErrForbidden)

// Matches lists the open and forthcoming calls that match organisation
// orgID, soonest deadline first. It ranks as the application (every
// organisation counts for the positions) and returns only the calls.
func (s *Service) Matches(ctx context.Context, orgID string) ([]Match, error) {
	sys := access.AsSystem(ctx)
	p, err := s.calls.List(sys, calls.Filter{Status: calls.StatusCurrent, Limit: directory.MaxListLimit})
	if err != nil {
		return nil, err
	}
	out := []Match{}
	for _, c := range p.Items {
		res, err := s.match.Partners(sys, live.PartnerRequest{Call: c.ID, Limit: TopK})
		if err != nil {
			return nil, fmt.Errorf("ranking for %s: %w", c.ID, err)
		}
		for _, pt := range res.Partners {
			if pt.ID != orgID {
				continue
			}
			m := Match{Call: c, Reasons: []string{}}
			for _, r := range pt.Reasons {
				m.Reasons = append(m.Reasons, r.Text)
			}
			out = append(out, m)
			break
		}
	}
	return out, nil
}

// Following lists the calls that match the viewer's organisation.
func (s *Service) Following(ctx context.Context) ([]Match, error) {
	v := access.ViewerFrom(ctx)
	switch {
	case v.Anonymous():
		return nil, store.ErrForbidden
	case v.OrganisationID == "":
		return nil, ErrNoOrganisation
	}
	return s.Matches(ctx, v.OrganisationID)
}

// NewFeedToken makes (or replaces) the viewer's secret feed token and
// returns it; only its hash is kept.
func (s *Service) NewFeedToken(ctx context.Context) (string, error) {
	v := access.ViewerFrom(ctx)
	switch {
	case v.Anonymous() || !v.WriteAllowed:
		return "", store.ErrForbidden
	case v.OrganisationID == "":
		return "", ErrNoOrganisation
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, s.store.CallsFollowSetFeed(ctx, v.UserID, hashToken(token))
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// Feed is what a feed shows: whose it is and the matching calls.
type Feed struct {
	Organisation directory.Organisation
	Matches      []Match
}

// FeedFor returns the feed of a token; an unknown one is store.ErrNotFound.
// The token is the credential: the feed reads as the application but
// shows only the calls (public records) that match the owner's
// organisation.
func (s *Service) FeedFor(ctx context.Context, token string) (Feed, error) {
	if len(token) < 20 {
		return Feed{}, store.ErrNotFound
	}
	sys := access.AsSystem(ctx)
	uid, err := s.store.CallsFollowFeedUser(sys, hashToken(token))
	if err != nil {
		return Feed{}, err
	}
	u, err := s.store.GetUser(sys, uid)
	if err != nil {
		return Feed{}, err
	}
	if u.Disabled || u.OrganisationID == "" {
		return Feed{}, store.ErrNotFound
	}
	org, err := s.store.GetOrganisation(sys, u.OrganisationID)
	if err != nil {
		return Feed{}, err
	}
	ms, err := s.Matches(ctx, u.OrganisationID)
	return Feed{Organisation: org, Matches: ms}, err
}

// Subscribe adds the viewer to the e-mail digest (on) or removes them.
func (s *Service) Subscribe(ctx context.Context, on bool) error {
	v := access.ViewerFrom(ctx)
	switch {
	case v.Anonymous() || !v.WriteAllowed:
		return store.ErrForbidden
	case on && v.OrganisationID == "":
		return ErrNoOrganisation
	}
	return s.store.CallsFollowSubscribe(ctx, v.UserID, on)
}

// Subscribed reports whether the viewer gets the digest.
func (s *Service) Subscribed(ctx context.Context) (bool, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() {
		return false, store.ErrForbidden
	}
	return s.store.CallsFollowSubscribed(ctx, v.UserID)
}

// DigestResult says what a digest run did.
type DigestResult struct {
	Subscribers int `json:"subscribers"`
	Mailed      int `json:"mailed"`
	New         int `json:"new"`
	Closing     int `json:"closing"`
	// Failed counts subscribers whose e-mail could not be sent; their
	// calls stay unannounced for the next run.
	Failed int `json:"failed"`
}

// SendDigest mails every subscriber the calls matching their
// organisation that no digest announced to them yet (new), and those whose
// deadline is within closingDays that no digest announced as closing.
// What was sent is recorded after the message went out, so a failed
// delivery is tried again next time and a sent one is never repeated. It
// is a job of the application (the CLI runs it), not of a viewer.
func (s *Service) SendDigest(ctx context.Context, closingDays int) (DigestResult, error) {
	var res DigestResult
	if closingDays <= 0 {
		closingDays = DefaultClosingDays
	}
	sys := access.AsSystem(ctx)
	users, err := s.store.CallsFollowSubscribers(sys)
	if err != nil {
		return res, err
	}
	res.Subscribers = len(users)
	now := s.cfg.Now()
	horizon := now.Add(time.Duration(closingDays) * 24 * time.Hour)
	byOrg := map[string][]Match{}
	var errs []error
	for _, uid := range users {
		u, err := s.store.GetUser(sys, uid)
		if err != nil {
			return res, err
		}
		if u.Disabled || u.OrganisationID == "" {
			continue
		}
		ms, ok := byOrg[u.OrganisationID]
		if !ok {
			if ms, err = s.Matches(ctx, u.OrganisationID); err != nil {
				return res, err
			}
			byOrg[u.OrganisationID] = ms
		}
		sent, err := s.store.CallsFollowSent(sys, uid)
		if err != nil {
			return res, err
		}
		var fresh, closing []Match
		var mark []Sent
		for _, m := range ms {
			if !slices.Contains(sent, Sent{m.Call.ID, KindNew}) {
				fresh = append(fresh, m)
				mark = append(mark, Sent{m.Call.ID, KindNew})
			}
			closes := m.Call.ClosesAt()
			if !closes.IsZero() && closes.Before(horizon) && m.Call.StatusAt(now) == calls.StatusOpen &&
				!slices.Contains(sent, Sent{m.Call.ID, KindClosing}) {
				closing = append(closing, m)
				mark = append(mark, Sent{m.Call.ID, KindClosing})
			}
		}
		if len(mark) == 0 {
			continue
		}
		msg := s.digestMessage(ctx, u, fresh, closing)
		if err := s.mail.Send(ctx, msg); err != nil {
			res.Failed++
			errs = append(errs, fmt.Errorf("digest to user %s: %w", u.ID, err))
			s.cfg.Logger.Warn("calls digest not sent", "user", u.ID, "err", err)
			continue
		}
		if err := s.store.CallsFollowMarkSent(sys, uid, mark, now); err != nil {
			return res, err
		}
		res.Mailed++
		res.New += len(fresh)
		res.Closing += len(closing)
	}
	return res, errors.Join(errs...)
}
