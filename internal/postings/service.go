package postings

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Config holds the service's settings: how notices are written, and the
// viewer of a context.
type Config struct {
	mail.NoticeConfig
	Viewer func(context.Context) access.Viewer
}

// Service applies the posting rules around a Store.
type Service struct {
	store Store
	mail  mail.Sender
	cfg   Config
}

// NewService returns a Service that notifies authors through m.
func NewService(s Store, m mail.Sender, cfg Config) *Service {
	cfg.NoticeConfig = cfg.NoticeConfig.WithDefaults()
	if cfg.Viewer == nil {
		cfg.Viewer = access.ViewerFrom
	}
	return &Service{store: s, mail: m, cfg: cfg}
}

// WithMail returns a copy of the service that sends through m (the demo
// loads without sending).
func (s *Service) WithMail(m mail.Sender) *Service {
	c := *s
	c.mail = m
	return &c
}

// brussels is the time zone of the EU's call deadlines.
var brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Today is the date in Brussels at t, as YYYY-MM-DD.
func Today(t time.Time) string { return t.In(brussels).Format(time.DateOnly) }

// CallClosedAt reports whether a call whose deadline is the date deadline
// has closed at t: the Funding & Tenders portal closes calls at 17:00
// Brussels time on the deadline day. A call without a deadline is open.
func CallClosedAt(deadline string, t time.Time) bool {
	if deadline == "" {
		return false
	}
	d, err := time.ParseInLocation(time.DateOnly, deadline, brussels)
	if err != nil {
		return false
	}
	return !t.Before(d.Add(17 * time.Hour))
}

func (s *Service) now() time.Time { return s.cfg.Now() }

// actsFor reports whether v may publish for or read the interests of
// organisation org: its members, and whoever may change its records.
func actsFor(v access.Viewer, org directory.Organisation) bool {
	if v.Anonymous() {
		return false
	}
	var clusters []string
	for _, m := range org.Memberships {
		clusters = append(clusters, m.ClusterID)
	}
	return v.OrganisationID == org.ID || access.CanEditOrganisationRecord(v, access.Record{OwnerOrg: org.ID, OwnerClusters: clusters})
}

func list(in []string) []string {
	out := []string{}
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Roles lists the roles a posting may name: the organisation kinds and
// the practitioner roles of the directory.
func Roles() []string { return slices.Concat(directory.Kinds, directory.PractitionerRoles) }

// Create publishes a posting for an organisation the viewer acts for
// (their own when none is named). Nothing is stored when a field is bad:
// an unknown or closed call topic, an expiry in the past, an unknown
// role, capability or country.
func (s *Service) Create(ctx context.Context, p Posting) (out Posting, err error) {
	defer wrap(&err, "postings.Create")
	v := s.cfg.Viewer(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return p, store.ErrForbidden
	}
	if p.OrganisationID == "" {
		p.OrganisationID = v.OrganisationID
	}
	now := s.now()
	var errs validate.Errors
	errs.Choice("kind", p.Kind, true, Kinds...)
	errs.Text("title", p.Title, true, 200)
	errs.Text("text", p.Text, true, 5000)
	p.CallID = strings.TrimSpace(p.CallID)
	deadline := ""
	switch {
	case p.CallID == "" && p.Kind == KindSeek:
		errs.Add("call_id", validate.Required)
	case p.CallID != "":
		c, err := s.store.GetCall(ctx, p.CallID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs.Add("call_id", validate.NotFound)
		case err != nil:
			return p, err
		case CallClosedAt(c.Deadline, now):
			errs.Add("call_id", CallClosed, "deadline", c.Deadline)
		default:
			p.CallID, deadline = c.ID, c.Deadline
		}
	}
	p.Roles, p.Capabilities, p.Countries = list(p.Roles), list(p.Capabilities), list(p.Countries)
	for _, r := range p.Roles {
		if !slices.Contains(Roles(), r) {
			errs.Add("roles", validate.InvalidChoice, "choices", strings.Join(Roles(), ", "))
			break
		}
	}
	for _, c := range p.Capabilities {
		ok, err := s.store.CapabilityExists(ctx, c)
		if err != nil {
			return p, err
		}
		if !ok {
			errs.Add("capabilities", validate.NotFound)
			break
		}
	}
	for i, c := range p.Countries {
		if n, ok := country.Normalize(c); ok {
			p.Countries[i] = n
		} else {
			errs.Add("countries", validate.InvalidCountry)
			break
		}
	}
	p.ExpiresOn = s.expiry(&errs, p.ExpiresOn, deadline, now)
	if p.Visibility == "" {
		p.Visibility = access.Alliance
	}
	errs.Choice("visibility", p.Visibility, true, access.Levels...)
	org, err := s.store.OrganisationRef(ctx, p.OrganisationID)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && p.OrganisationID == ""):
		errs.Add("organisation_id", validate.NotFound)
	case err != nil:
		return p, err
	}
	if len(errs) > 0 {
		return p, errs
	}
	if !actsFor(v, org) {
		return p, store.ErrForbidden
	}
	p.OrganisationID, p.CreatedBy = org.ID, v.UserID
	if err := s.store.PostingCreate(ctx, &p); err != nil {
		return p, err
	}
	p.OrganisationName, p.OrganisationSlug = org.Name, org.Slug
	return p, nil
}

// expiry checks an expiry date: not in the past (Brussels), at most two
// years ahead; by default the call's deadline, or 90 days from now.
func (s *Service) expiry(errs *validate.Errors, on, deadline string, now time.Time) string {
	today := Today(now)
	if on = strings.TrimSpace(on); on == "" {
		if deadline != "" {
			return deadline
		}
		return Today(now.AddDate(0, 0, 90))
	}
	d, err := time.Parse(time.DateOnly, on)
	switch {
	case err != nil:
		errs.Add("expires_on", validate.InvalidDate)
	case on < today:
		errs.Add("expires_on", ExpiryPast)
	case d.After(now.AddDate(2, 0, 0)):
		errs.Add("expires_on", ExpiryTooFar)
	}
	return on
}

// List lists the postings the viewer may see that have not expired, newest
// first; f.CallID, f.Kind and f.OrganisationID narrow it.
func (s *Service) List(ctx context.Context, f Filter) ([]Posting, error) {
	f.Today = Today(s.now())
	return s.store.PostingList(ctx, f)
}

// Mine lists the postings of the viewer's organisation, expired ones too.
func (s *Service) Mine(ctx context.Context) ([]Posting, error) {
	v := s.cfg.Viewer(ctx)
	if v.Anonymous() {
		return nil, store.ErrForbidden
	}
	if v.OrganisationID == "" {
		return []Posting{}, nil
	}
	ps, err := s.store.PostingList(ctx, Filter{OrganisationID: v.OrganisationID})
	if err != nil {
		return nil, err
	}
	s.mark(ps)
	return ps, nil
}

func (s *Service) mark(ps []Posting) {
	today := Today(s.now())
	for i := range ps {
		ps[i].Expired = ps[i].ExpiresOn < today
	}
}

// Get returns a posting the viewer may see with the interests they may
// see: every one for those who act for the author's organisation,
// their own organisation's for the others.
func (s *Service) Get(ctx context.Context, id string) (d Detail, err error) {
	defer wrap(&err, "postings.Get(%q)", id)
	p, err := s.store.PostingGet(ctx, id)
	if err != nil {
		return d, err
	}
	ps := []Posting{p}
	s.mark(ps)
	d.Posting = ps[0]
	v := s.cfg.Viewer(ctx)
	org, err := s.store.OrganisationRef(access.WithScope(ctx, access.System), p.OrganisationID)
	if err != nil {
		return d, err
	}
	d.Mine = actsFor(v, org)
	d.InterestList = []Interest{}
	switch {
	case d.Mine:
		d.InterestList, err = s.store.PostingInterests(ctx, p.ID, "")
	case v.OrganisationID != "":
		d.InterestList, err = s.store.PostingInterests(ctx, p.ID, v.OrganisationID)
	}
	if err != nil {
		return d, err
	}
	d.MayInterest = !d.Expired && v.WriteAllowed && v.OrganisationID != "" && v.OrganisationID != p.OrganisationID
	for _, in := range d.InterestList {
		if in.OrganisationID == v.OrganisationID {
			d.MayInterest = false
		}
	}
	return d, nil
}

// ExpressInterest records the interest of the viewer's organisation in a
// posting they may see, and e-mails the posting's author (after the
// commit: a failed e-mail is logged, the interest stays).
func (s *Service) ExpressInterest(ctx context.Context, postingID, message string) (in Interest, err error) {
	defer wrap(&err, "postings.ExpressInterest(%q)", postingID)
	v := s.cfg.Viewer(ctx)
	p, err := s.store.PostingGet(ctx, postingID)
	if err != nil {
		return in, err
	}
	if v.Anonymous() || !v.WriteAllowed || v.OrganisationID == "" {
		return in, store.ErrForbidden
	}
	var errs validate.Errors
	errs.Text("message", message, true, 2000)
	if p.ExpiresOn < Today(s.now()) {
		errs.Add("posting_id", Expired)
	}
	if p.OrganisationID == v.OrganisationID {
		errs.Add("posting_id", OwnPosting)
	}
	if len(errs) > 0 {
		return in, errs
	}
	in = Interest{PostingID: p.ID, OrganisationID: v.OrganisationID, UserID: v.UserID, Message: strings.TrimSpace(message)}
	if err := s.store.PostingInterestCreate(ctx, &in); err != nil {
		return in, err
	}
	s.notify(ctx, p, in)
	return in, nil
}

// notify e-mails the author of p (or, without one, the administrators
// of its organisation) about in.
func (s *Service) notify(ctx context.Context, p Posting, in Interest) {
	sys := access.WithScope(ctx, access.System)
	to, err := s.store.PostingRecipients(sys, p.CreatedBy, p.OrganisationID)
	if err != nil || len(to) == 0 {
		s.cfg.Logger.WarnContext(ctx, "posting interest: nobody to notify", "posting", p.ID, "err", err)
		return
	}
	from := in.OrganisationID
	if o, err := s.store.OrganisationRef(sys, in.OrganisationID); err == nil {
		from = o.Name
	}
	t := s.cfg.Text
	for _, author := range to {
		msg := mail.Message{
			To:      author.Email,
			Subject: t(ctx, "mail.posting.interest.subject", "title", p.Title, "organisation", from),
			Text: t(ctx, "mail.posting.interest.body", "name", author.Name, "title", p.Title, "organisation", from,
				"message", in.Message, "link", s.cfg.BaseURL+"/postings/"+p.ID),
		}
		if err := s.mail.Send(ctx, msg); err != nil {
			s.cfg.Logger.ErrorContext(ctx, "posting interest: notice not sent", "posting", p.ID, "err", err)
		}
	}
}

func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *err)
	}
}
