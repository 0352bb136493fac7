package facilities

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// calendarSecretPrefix marks escnet feed secrets.
const calendarSecretPrefix = "cal_"

func hashCalendarSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CalendarInput asks for a secret calendar feed address.
type CalendarInput struct {
	Kind   string `json:"kind"`
	Target string `json:"target_id"`
	Name   string `json:"name"`
}

// NewCalendar is a created feed with its address, shown once.
type NewCalendar struct {
	Calendar CalendarToken `json:"calendar"`
	URL      string        `json:"url"`
}

// CreateCalendar makes a secret feed address for the viewer: of a
// facility or resource the viewer may see, or of the viewer's own
// bookings. The feed shows what its owner may see when it is read.
func (s *Service) CreateCalendar(ctx context.Context, in CalendarInput) (NewCalendar, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return NewCalendar{}, forbidden("create a calendar feed")
	}
	var errs validate.Errors
	errs.Choice("kind", in.Kind, true, CalendarKinds...)
	errs.Text("name", in.Name, false, 100)
	if len(errs) > 0 {
		return NewCalendar{}, errs
	}
	t := CalendarToken{UserID: v.UserID, Kind: in.Kind, Name: strings.TrimSpace(in.Name)}
	notFound := validate.Errors{{Field: "target_id", Code: validate.NotFound}}
	switch in.Kind {
	case "facility":
		f, err := s.dir.GetFacility(ctx, in.Target)
		if errors.Is(err, store.ErrNotFound) || in.Target == "" {
			return NewCalendar{}, notFound
		} else if err != nil {
			return NewCalendar{}, err
		}
		t.TargetID = f.ID
		if t.Name == "" {
			t.Name = f.Name
		}
	case "resource":
		res, err := s.store.GetResource(ctx, in.Target)
		if errors.Is(err, store.ErrNotFound) || in.Target == "" {
			return NewCalendar{}, notFound
		} else if err != nil {
			return NewCalendar{}, err
		}
		t.TargetID = res.ID
		if t.Name == "" {
			t.Name = res.Name
		}
	default:
		if in.Target != "" {
			return NewCalendar{}, validate.Errors{{Field: "target_id", Code: validate.InvalidChoice, Args: map[string]any{"choices": "empty for kind user"}}}
		}
		if t.Name == "" {
			t.Name = "escnet"
		}
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return NewCalendar{}, err
	}
	secret := calendarSecretPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t.Hash = hashCalendarSecret(secret)
	if err := s.store.CreateCalendarToken(ctx, &t); err != nil {
		return NewCalendar{}, err
	}
	return NewCalendar{Calendar: t, URL: s.cfg.BaseURL + "/calendar/" + secret + ".ics"}, nil
}

// Calendars lists the viewer's feeds.
func (s *Service) Calendars(ctx context.Context) ([]CalendarToken, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() {
		return []CalendarToken{}, nil
	}
	return s.store.ListCalendarTokens(ctx, v.UserID)
}

// RevokeCalendar ends one of the viewer's feeds.
func (s *Service) RevokeCalendar(ctx context.Context, id string) error {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return forbidden("revoke a calendar feed")
	}
	return s.store.RevokeCalendarToken(ctx, v.UserID, id, s.cfg.Now())
}

// viewerOf is the policy's view of the account that owns a feed.
func (s *Service) viewerOf(ctx context.Context, u accounts.User) (access.Viewer, error) {
	v := access.Viewer{UserID: u.ID, Email: u.Email, PersonID: u.PersonID, OrganisationID: u.OrganisationID,
		AllianceAdmin: u.AllianceAdmin, ManagedClusters: u.ManagedClusters, OrgAdmin: u.OrgAdmin && u.OrganisationID != "", WriteAllowed: true}
	if u.OrganisationID != "" {
		o, err := s.dir.GetOrganisation(system(ctx), u.OrganisationID)
		if err != nil {
			return v, err
		}
		for _, m := range o.Memberships {
			v.Clusters = append(v.Clusters, m.ClusterID)
		}
	}
	return v, nil
}

// Feed writes the iCalendar feed behind a secret address with what its
// owner may see now: a narrowed facility or a lost role shows in the next
// fetch. Feeds are bulk: RED records never appear. label renders the
// message keys of summaries (message.calendar.*, booking_status.*,
// blackout_kind.*). An unknown, revoked or disabled secret is
// store.ErrNotFound.
func (s *Service) Feed(ctx context.Context, secret string, label func(key string, args ...any) string) (string, error) {
	notFound := fmt.Errorf("calendar: %w", store.ErrNotFound)
	if !strings.HasPrefix(secret, calendarSecretPrefix) || len(secret) > 100 {
		return "", notFound
	}
	t, err := s.store.CalendarTokenByHash(ctx, hashCalendarSecret(secret))
	if err != nil {
		return "", err
	}
	u, err := s.users.GetUser(ctx, t.UserID)
	if err != nil || u.Disabled {
		return "", notFound
	}
	v, err := s.viewerOf(ctx, u)
	if err != nil {
		return "", err
	}
	ctx = access.WithViewer(ctx, v)
	ctx = access.WithScope(ctx, access.ScopeOf(v).ForBulk())
	now := s.cfg.Now()
	from, to := now.AddDate(0, -1, 0), now.AddDate(1, 0, 0)
	var entries []FeedEntry
	zone := ""
	if t.Kind == "facility" || t.Kind == "resource" {
		entries, zone, err = s.facilityFeed(ctx, t, from, to, label)
	} else {
		entries, err = s.userFeed(ctx, u.ID, from, to, label)
	}
	if err != nil {
		return "", err
	}
	return Calendar(t.Name, zone, entries, now)
}

func (s *Service) bookingLink(b Booking) string { return s.cfg.BaseURL + "/bookings/" + b.ID }

func bookingSummary(b Booking, label func(string, ...any) string) string {
	return label("message.calendar.booking", "resource", b.ResourceName, "organisation", b.OrganisationName, "status", label("booking_status."+b.Status))
}

// facilityFeed lists a facility's or resource's bookings and closures:
// details for those who may see the booking, a busy block for others.
func (s *Service) facilityFeed(ctx context.Context, t CalendarToken, from, to time.Time, label func(string, ...any) string) ([]FeedEntry, string, error) {
	facilityID, resourceID := t.TargetID, ""
	if t.Kind == "resource" {
		res, err := s.store.GetResource(ctx, t.TargetID)
		if err != nil {
			return nil, "", err
		}
		facilityID, resourceID = res.FacilityID, res.ID
	}
	f, err := s.dir.GetFacility(ctx, facilityID)
	if err != nil {
		return nil, "", err
	}
	approver, err := s.MayApprove(ctx, f)
	if err != nil {
		return nil, "", err
	}
	bookings, err := s.store.ListBookings(ctx, Filter{FacilityID: f.ID, ResourceID: resourceID, From: from, To: to, Limit: 5000})
	if err != nil {
		return nil, "", err
	}
	v := access.ViewerFrom(ctx)
	var entries []FeedEntry
	for _, b := range bookings {
		if !Holds(b.Status) && b.Status != StatusCompleted && !(approver && b.Status == StatusRequested) {
			continue
		}
		e := FeedEntry{UID: b.ID + "@escnet", Start: b.StartsAt, End: b.EndsAt, Status: b.Status, Location: f.Name, Updated: b.UpdatedAt,
			Summary: label("message.calendar.busy", "resource", b.ResourceName)}
		if access.CanSeeBooking(v, party(b), approver) {
			e.Summary, e.Description, e.URL = bookingSummary(b, label), b.Purpose, s.bookingLink(b)
		}
		entries = append(entries, e)
	}
	blackouts, err := s.store.ListBlackouts(ctx, f.ID, from, to)
	if err != nil {
		return nil, "", err
	}
	for _, bo := range blackouts {
		if resourceID != "" && bo.ResourceID != "" && bo.ResourceID != resourceID {
			continue
		}
		entries = append(entries, FeedEntry{UID: bo.ID + "@escnet", Start: bo.StartsAt, End: bo.EndsAt, Location: f.Name,
			Status: StatusConfirmed, Summary: label("message.calendar.closed", "kind", label("blackout_kind."+bo.Kind), "reason", bo.Reason)})
	}
	return entries, f.TimeZone, nil
}

// userFeed lists the user's own requests (declined ones aside).
func (s *Service) userFeed(ctx context.Context, userID string, from, to time.Time, label func(string, ...any) string) ([]FeedEntry, error) {
	bookings, err := s.store.ListBookings(ctx, Filter{RequesterID: userID, From: from, To: to, Limit: 5000})
	if err != nil {
		return nil, err
	}
	var entries []FeedEntry
	for _, b := range bookings {
		if b.Status == StatusDeclined {
			continue
		}
		entries = append(entries, FeedEntry{UID: b.ID + "@escnet", Start: b.StartsAt, End: b.EndsAt, Status: b.Status,
			Location: b.FacilityName, Updated: b.UpdatedAt, Description: b.Purpose, URL: s.bookingLink(b), Summary: bookingSummary(b, label)})
	}
	return entries, nil
}
