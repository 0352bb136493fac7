package events

import (
	"context"
	"errors"
	"slices"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Users is what registration needs to know about accounts.
type Users interface {
	GetUser(ctx context.Context, id string) (accounts.User, error)
}

// Config holds the service's settings; its Text renders the
// e-mails' message keys (mail.event.*).
type Config = mail.NoticeConfig

// Service holds the rules of events, registration and brokerage.
type Service struct {
	store Store
	dir   directory.Store
	users Users
	mail  mail.Sender
	cfg   Config
	// partners ranks the meeting suggestions (SetPartnerFinder); calls
	// checks the calls events link to (SetCalls).
	partners PartnerFinder
	calls    CallReader
}

// NewService returns a Service.
func NewService(s Store, dir directory.Store, users Users, m mail.Sender, cfg Config) *Service {
	cfg = cfg.WithDefaults()
	return &Service{store: s, dir: dir, users: users, mail: m, cfg: cfg}
}

// CanOrganise reports whether v may run events of the given clusters:
// alliance administrators and managers of one of them, with a token that
// may write.
func CanOrganise(v access.Viewer, clusters []string) bool {
	if v.Anonymous() || !v.WriteAllowed {
		return false
	}
	if v.AllianceAdmin {
		return true
	}
	for _, c := range clusters {
		if slices.Contains(v.ManagedClusters, c) {
			return true
		}
	}
	return false
}

// CanManage reports whether the viewer in ctx organises e.
func (s *Service) CanManage(ctx context.Context, e Event) bool {
	return CanOrganise(access.ViewerFrom(ctx), e.Organisers)
}

// resolveClusters turns cluster ids or slugs into ids.
func (s *Service) resolveClusters(ctx context.Context, in []string) ([]string, error) {
	sys := access.WithScope(ctx, access.System)
	out := make([]string, 0, len(in))
	for i, c := range in {
		cl, err := s.dir.GetCluster(sys, c)
		if errors.Is(err, store.ErrNotFound) {
			return nil, validate.Errors{{Field: "organisers", Code: validate.InvalidChoice, Args: map[string]any{"choices": "clusters of the alliance", "index": i}}}
		}
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, cl.ID) {
			out = append(out, cl.ID)
		}
	}
	return out, nil
}

// prepare resolves the organisers and the facility's zone, then builds.
func (s *Service) prepare(ctx context.Context, in EventInput) (Event, error) {
	ids, err := s.resolveClusters(ctx, in.Organisers)
	if err != nil {
		return Event{}, err
	}
	in.Organisers = ids
	if in.VenueKind == VenueFacility && in.FacilityID != "" {
		f, err := s.dir.GetFacility(ctx, in.FacilityID)
		if errors.Is(err, store.ErrNotFound) {
			return Event{}, validate.Errors{{Field: "facility_id", Code: validate.InvalidChoice, Args: map[string]any{"choices": "facilities of the alliance"}}}
		}
		if err != nil {
			return Event{}, err
		}
		in.FacilityID = f.ID
		if in.TimeZone == "" {
			in.TimeZone = f.TimeZone
		}
		if in.Venue == "" {
			in.Venue = f.Name
		}
	}
	e, err := BuildEvent(in)
	if err != nil {
		return e, err
	}
	if err := s.checkCalls(ctx, e.Calls); err != nil {
		return e, err
	}
	return e, s.checkCapabilities(ctx, e.Capabilities)
}

// checkCapabilities refuses capability tags the taxonomy does not hold.
func (s *Service) checkCapabilities(ctx context.Context, codes []string) error {
	var errs validate.Errors
	for i, c := range codes {
		if _, err := s.dir.GetCapability(access.WithScope(ctx, access.System), c); errors.Is(err, store.ErrNotFound) {
			errs.Add("capabilities["+itoa(i)+"]", validate.InvalidChoice, "choices", "codes of the capability taxonomy")
		} else if err != nil {
			return err
		}
	}
	return errs.Err()
}

// checkSpeakers fills the names of speakers who are people of the
// directory (as the viewer sees them) and refuses those it cannot find.
func (s *Service) checkSpeakers(ctx context.Context, ses *Session) error {
	var errs validate.Errors
	for i, sp := range ses.Speakers {
		if sp.PersonID == "" {
			continue
		}
		p, err := s.dir.GetPerson(ctx, sp.PersonID)
		if errors.Is(err, store.ErrNotFound) {
			errs.Add("speakers["+itoa(i)+"].person_id", validate.InvalidChoice, "choices", "people of the directory")
			continue
		}
		if err != nil {
			return err
		}
		if sp.Name == "" {
			ses.Speakers[i].Name = p.Name
		}
	}
	return errs.Err()
}

// CreateEvent adds an event organised by in.Organisers; the viewer must
// organise one of them.
func (s *Service) CreateEvent(ctx context.Context, in EventInput) (Event, error) {
	e, err := s.prepare(ctx, in)
	if err != nil {
		return Event{}, err
	}
	if !CanOrganise(access.ViewerFrom(ctx), e.Organisers) {
		return Event{}, store.ErrForbidden
	}
	if err := s.store.CreateEvent(ctx, &e); err != nil {
		return Event{}, err
	}
	return e, nil
}

// UpdateEvent changes an event the viewer organises. A capacity below the
// places already confirmed is refused; a higher one promotes from the
// waiting list.
func (s *Service) UpdateEvent(ctx context.Context, idOrSlug string, in EventInput, expect int) (Event, error) {
	old, err := s.store.GetEvent(ctx, idOrSlug)
	if err != nil {
		return Event{}, err
	}
	if !s.CanManage(ctx, old) {
		return Event{}, store.ErrForbidden
	}
	e, err := s.prepare(ctx, in)
	if err != nil {
		return Event{}, err
	}
	if !CanOrganise(access.ViewerFrom(ctx), e.Organisers) {
		return Event{}, store.ErrForbidden
	}
	e.ID, e.CreatedAt = old.ID, old.CreatedAt
	promoted, err := s.store.UpdateEvent(ctx, &e, expect, func(confirmed int) error {
		if e.Capacity > 0 && e.Capacity < confirmed {
			return validate.Errors{{Field: "capacity", Code: validate.CapacityBelow, Args: map[string]any{"confirmed": confirmed}}}
		}
		return nil
	})
	if err != nil {
		return Event{}, err
	}
	s.notifyAll(ctx, e, promoted, "promoted")
	s.notifyChange(ctx, old, e)
	return e, nil
}

// GetEvent returns an event the viewer may see, with its programme.
func (s *Service) GetEvent(ctx context.Context, idOrSlug string) (Event, error) {
	e, err := s.store.GetEvent(ctx, idOrSlug)
	if err != nil {
		return Event{}, err
	}
	e.Sessions, err = s.store.ListEventSessions(ctx, e.ID)
	return e, err
}

// ListEvents lists the events the viewer may see, by date.
func (s *Service) ListEvents(ctx context.Context, f Filter) ([]Event, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	return s.store.ListEvents(ctx, f)
}

// AddSession adds a programme item to an event the viewer organises.
func (s *Service) AddSession(ctx context.Context, eventID string, in SessionInput) (Session, error) {
	e, err := s.store.GetEvent(ctx, eventID)
	if err != nil {
		return Session{}, err
	}
	if !s.CanManage(ctx, e) {
		return Session{}, store.ErrForbidden
	}
	if in.Repeat != nil {
		ss, err := s.addSeries(ctx, e, in)
		if err != nil {
			return Session{}, err
		}
		return ss[0], nil
	}
	ses, err := BuildSession(e, in)
	if err != nil {
		return Session{}, err
	}
	if err := s.checkSpeakers(ctx, &ses); err != nil {
		return Session{}, err
	}
	if err := s.store.CreateEventSession(ctx, &ses); err != nil {
		return Session{}, err
	}
	return ses, nil
}

// addSeries adds every occurrence of a repeating session, all or none.
func (s *Service) addSeries(ctx context.Context, e Event, in SessionInput) ([]Session, error) {
	occ, errs := occurrences(in, e.location())
	if len(errs) > 0 {
		return nil, errs
	}
	if len(occ) == 0 {
		first := in
		first.Repeat = nil
		if _, err := BuildSession(e, first); err != nil {
			return nil, err
		}
		return nil, validate.Errors{{Field: "repeat.until", Code: schedule.NotAfterStart}}
	}
	ss, err := buildSeries(e, occ)
	if err != nil {
		return nil, err
	}
	ptrs := make([]*Session, len(ss))
	for i := range ss {
		if err := s.checkSpeakers(ctx, &ss[i]); err != nil {
			return nil, err
		}
		ptrs[i] = &ss[i]
	}
	if err := s.store.CreateEventSessions(ctx, ptrs); err != nil {
		return nil, err
	}
	return ss, nil
}

// UpdateSession changes a session; its capacity may not drop below the
// places confirmed in it.
func (s *Service) UpdateSession(ctx context.Context, eventID, sessionID string, in SessionInput, expect int) (Session, error) {
	e, err := s.GetEvent(ctx, eventID)
	if err != nil {
		return Session{}, err
	}
	if !s.CanManage(ctx, e) {
		return Session{}, store.ErrForbidden
	}
	if !slices.ContainsFunc(e.Sessions, func(x Session) bool { return x.ID == sessionID }) {
		return Session{}, store.ErrNotFound
	}
	if in.Repeat != nil {
		return Session{}, validate.Errors{{Field: "repeat", Code: RepeatOnAdd}}
	}
	ses, err := BuildSession(e, in)
	if err != nil {
		return Session{}, err
	}
	if err := s.checkSpeakers(ctx, &ses); err != nil {
		return Session{}, err
	}
	ses.ID = sessionID
	err = s.store.UpdateEventSession(ctx, &ses, expect, func(confirmed int) error {
		if ses.Capacity > 0 && ses.Capacity < confirmed {
			return validate.Errors{{Field: "capacity", Code: validate.CapacityBelow, Args: map[string]any{"confirmed": confirmed}}}
		}
		return nil
	})
	return ses, err
}
