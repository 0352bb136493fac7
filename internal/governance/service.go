package governance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Directory is what an accepted application needs of the directory
// service: the cluster and the organisation that runs it.
type Directory interface {
	ValidateCluster(ctx context.Context, c *directory.Cluster) error
	CreateCluster(ctx context.Context, c *directory.Cluster) error
	CreateOrganisation(ctx context.Context, o *directory.Organisation) error
}

// Inviter is what an accepted application needs of the accounts service:
// an invitation to manage the new cluster.
type Inviter interface {
	InviteManager(ctx context.Context, inviter accounts.User, email string, o directory.Organisation, clusterID string) (accounts.Invitation, error)
}

// Config holds the service's settings.
type Config struct {
	// Text renders the e-mails' message keys (mail.join.*).
	Text    func(ctx context.Context, key string, args ...any) string
	BaseURL string
	Now     func() time.Time
	Logger  *slog.Logger
}

// Service applies the rules of governance around a Store.
type Service struct {
	store   Store
	letters LetterStore
	roadmap RoadmapStore
	tx      store.Transactor
	dir     Directory
	inv     Inviter
	mail    mail.Sender
	cfg     Config
}

// NewService returns a Service.
func NewService(s interface {
	Store
	LetterStore
	RoadmapStore
	store.Transactor
}, dir Directory, inv Inviter, m mail.Sender, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().UTC() }
	}
	if cfg.Text == nil {
		cfg.Text = func(_ context.Context, key string, _ ...any) string { return key }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Service{store: s, letters: s, roadmap: s, tx: s, dir: dir, inv: inv, mail: m, cfg: cfg}
}

// mayReview reports whether the viewer reviews applications.
func mayReview(v access.Viewer) bool { return v.AllianceAdmin }

// mayDecide reports whether the viewer may change applications and
// criteria (a read-only token may not).
func mayDecide(v access.Viewer) bool { return v.AllianceAdmin && v.WriteAllowed }

// Criteria returns the criteria for joining; anyone may read them.
func (s *Service) Criteria(ctx context.Context) (Criteria, error) { return s.store.Criteria(ctx) }

// SetCriteria replaces the criteria (alliance administrators only).
func (s *Service) SetCriteria(ctx context.Context, c *Criteria, expected int) error {
	if !mayDecide(access.ViewerFrom(ctx)) {
		return store.ErrForbidden
	}
	if err := ValidateCriteria(*c); err != nil {
		return err
	}
	return s.store.SetCriteria(ctx, c, expected)
}

// Submit stores a new application from anyone, also without an account,
// and mails the applicant the private link to follow it. It returns the
// link's secret, which is stored only as a hash.
func (s *Service) Submit(ctx context.Context, a *Application) (string, error) {
	if err := ValidateApplication(a); err != nil {
		return "", err
	}
	// The cluster it would become must be valid too (themes are codes of
	// the capability taxonomy).
	c := s.clusterOf(*a)
	if err := s.dir.ValidateCluster(ctx, &c); err != nil {
		return "", err
	}
	a.Themes = c.Themes
	secret, hash := accounts.NewSecret()
	a.TokenHash, a.State, a.Reason, a.ClusterID, a.Notes = hash, StateSubmitted, "", "", []Note{}
	if err := s.store.CreateJoinApplication(ctx, a); err != nil {
		return "", err
	}
	t := s.cfg.Text
	err := s.mail.Send(ctx, mail.Message{To: a.Contact.Email, Subject: t(ctx, "mail.join.submitted.subject", "name", a.Name),
		Text: t(ctx, "mail.join.submitted.body", "name", a.Name, "link", s.Link(secret))})
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "application mail", "err", err)
	}
	return secret, nil
}

// Link is the applicant's private address for a secret.
func (s *Service) Link(secret string) string { return s.cfg.BaseURL + "/join/" + secret }

// ByToken returns the application of a private link, with the notes the
// applicant sees. A wrong secret is ErrNotFound.
func (s *Service) ByToken(ctx context.Context, secret string) (Application, error) {
	if secret == "" {
		return Application{}, store.ErrNotFound
	}
	a, err := s.store.JoinApplicationByToken(ctx, accounts.HashSecret(secret))
	if err != nil {
		return Application{}, err
	}
	public := []Note{}
	for _, n := range a.Notes {
		if n.Public() {
			public = append(public, n)
		}
	}
	a.Notes = public
	return a, nil
}

// Reply adds the applicant's answer to a request for more, through the
// private link, and puts the application back before the reviewers.
func (s *Service) Reply(ctx context.Context, secret, text string) (Application, error) {
	a, err := s.ByToken(ctx, secret)
	if err != nil {
		return a, err
	}
	var errs validate.Errors
	text = strings.TrimSpace(text)
	errs.Text("text", text, true, 10000)
	if a.State != StateMoreInfo {
		errs.Add("state", validate.GovTransition)
	}
	if err := errs.Err(); err != nil {
		return a, err
	}
	a.State = StateSubmitted
	return a, s.store.UpdateJoinApplication(ctx, &a, 0, Note{At: s.cfg.Now(), Kind: NoteReply, Author: a.Contact.Name, Text: text})
}

// List returns the applications in state (all when empty), for the
// alliance administrators.
func (s *Service) List(ctx context.Context, state string) ([]Application, error) {
	if !mayReview(access.ViewerFrom(ctx)) {
		return nil, store.ErrForbidden
	}
	if state != "" {
		var errs validate.Errors
		errs.Choice("state", state, false, States...)
		if err := errs.Err(); err != nil {
			return nil, err
		}
	}
	return s.store.ListJoinApplications(ctx, state)
}

// Get returns one application for the alliance administrators; to
// anyone else it does not exist.
func (s *Service) Get(ctx context.Context, id string) (Application, error) {
	if !mayReview(access.ViewerFrom(ctx)) {
		return Application{}, store.ErrNotFound
	}
	return s.store.GetJoinApplication(ctx, id)
}

// editable returns the application for a change by a reviewer.
func (s *Service) editable(ctx context.Context, id string) (Application, access.Viewer, error) {
	v := access.ViewerFrom(ctx)
	a, err := s.Get(ctx, id)
	if err != nil {
		return a, v, err
	}
	if !mayDecide(v) {
		return a, v, store.ErrForbidden
	}
	return a, v, nil
}

func author(v access.Viewer) string {
	if v.Email != "" {
		return v.Email
	}
	return v.UserID
}

// Comment adds a note among the reviewers; the applicant does not see it.
func (s *Service) Comment(ctx context.Context, id, text string) (Application, error) {
	a, v, err := s.editable(ctx, id)
	if err != nil {
		return a, err
	}
	var errs validate.Errors
	text = strings.TrimSpace(text)
	if errs.Text("text", text, true, 10000); len(errs) > 0 {
		return a, errs
	}
	return a, s.store.UpdateJoinApplication(ctx, &a, 0, Note{At: s.cfg.Now(), Kind: NoteComment, Author: author(v), Text: text})
}

// AskMore asks the applicant for more and tells them by e-mail.
func (s *Service) AskMore(ctx context.Context, id string, expected int, text string) (Application, error) {
	a, v, err := s.editable(ctx, id)
	if err != nil {
		return a, err
	}
	var errs validate.Errors
	text = strings.TrimSpace(text)
	errs.Text("text", text, true, 10000)
	if a.State != StateSubmitted && a.State != StateMoreInfo {
		errs.Add("state", validate.GovTransition)
	}
	if err := errs.Err(); err != nil {
		return a, err
	}
	a.State = StateMoreInfo
	if err := s.store.UpdateJoinApplication(ctx, &a, expected, Note{At: s.cfg.Now(), Kind: NoteAsk, Author: author(v), Text: text}); err != nil {
		return a, err
	}
	s.tell(ctx, a, "mail.join.ask", text)
	return a, nil
}

func (s *Service) tell(ctx context.Context, a Application, key, text string) {
	t := s.cfg.Text
	err := s.mail.Send(ctx, mail.Message{To: a.Contact.Email, Subject: t(ctx, key+".subject", "name", a.Name),
		Text: t(ctx, key+".body", "name", a.Name, "text", text)})
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "application mail", "key", key, "err", err)
	}
}

// Refuse refuses the application and tells the applicant why.
func (s *Service) Refuse(ctx context.Context, id string, expected int, reason string) (Application, error) {
	a, v, err := s.editable(ctx, id)
	if err != nil {
		return a, err
	}
	var errs validate.Errors
	reason = strings.TrimSpace(reason)
	errs.Text("reason", reason, true, 10000)
	if a.State != StateSubmitted && a.State != StateMoreInfo {
		errs.Add("state", validate.GovTransition)
	}
	if err := errs.Err(); err != nil {
		return a, err
	}
	a.State, a.Reason = StateRefused, reason
	if err := s.store.UpdateJoinApplication(ctx, &a, expected, Note{At: s.cfg.Now(), Kind: NoteDecision, Author: author(v), Text: reason}); err != nil {
		return a, err
	}
	s.tell(ctx, a, "mail.join.refused", reason)
	return a, nil
}

// Accept creates the cluster (through the directory service) and the
// organisation that runs it, marks the application accepted and invites
// its managers (through the accounts service), all in one transaction: a
// failure midway leaves nothing written, and the e-mails (the
// invitations, which go through a mail.Deferred, and the applicant's) go
// out only once it has committed.
func (s *Service) Accept(ctx context.Context, id string, expected int) (Application, error) {
	a, v, err := s.editable(ctx, id)
	if err != nil {
		return a, err
	}
	if a.State != StateSubmitted && a.State != StateMoreInfo {
		return a, validate.Errors{{Field: "state", Code: validate.GovTransition}}
	}
	if expected != 0 && expected != a.Version {
		return a, store.ErrStale
	}
	c := s.clusterOf(a)
	if err := s.dir.ValidateCluster(ctx, &c); err != nil {
		return a, err
	}
	orig := a
	err = s.tx.InTransaction(ctx, func(ctx context.Context) error {
		a, c = orig, s.clusterOf(orig) // again on a retry
		if err := s.dir.CreateCluster(ctx, &c); err != nil {
			return err
		}
		o := directory.Organisation{Slug: a.Slug + "-office", Name: a.Organisation, Kind: directory.KindOther, Country: a.Country,
			City: a.City, Website: a.Website, Visibility: access.Public, TLP: access.TLPClear,
			Memberships: []directory.Membership{{ClusterID: c.ID, Role: directory.MemberRoleFounder}}}
		if err := s.dir.CreateOrganisation(ctx, &o); err != nil {
			return fmt.Errorf("organisation of accepted cluster %s: %w", c.Slug, err)
		}
		a.State, a.ClusterID = StateAccepted, c.ID
		if err := s.store.UpdateJoinApplication(ctx, &a, a.Version, Note{At: s.cfg.Now(), Kind: NoteDecision, Author: author(v), Text: "Accepted."}); err != nil {
			return err
		}
		text, err := s.invite(ctx, v, a, o)
		if err != nil {
			return err
		}
		return s.store.UpdateJoinApplication(ctx, &a, 0, Note{At: s.cfg.Now(), Kind: NoteComment, Author: author(v), Text: text})
	})
	if err != nil {
		return orig, err
	}
	s.tell(ctx, a, "mail.join.accepted", "")
	return a, nil
}

// clusterOf is the cluster an accepted application becomes.
func (s *Service) clusterOf(a Application) directory.Cluster {
	return directory.Cluster{Slug: a.Slug, Name: a.Name, Country: a.Country, City: a.City, Website: a.Website,
		Description: a.Description, Themes: a.Themes, Joined: s.cfg.Now().Format(time.DateOnly)}
}

// invite invites every manager of a and returns what happened, in the
// words of the decision note. A manager who has an account already is
// not invited; any other failure is the whole acceptance's.
func (s *Service) invite(ctx context.Context, v access.Viewer, a Application, o directory.Organisation) (string, error) {
	inviter := accounts.User{ID: v.UserID, Email: v.Email}
	var done, exist []string
	for _, m := range a.Managers {
		_, err := s.inv.InviteManager(ctx, inviter, m, o, a.ClusterID)
		var ve validate.Errors
		switch {
		case err == nil:
			done = append(done, m)
		case errors.As(err, &ve):
			exist = append(exist, m)
		default:
			return "", fmt.Errorf("invite cluster manager: %w", err)
		}
	}
	text := "Invited to manage the cluster: " + strings.Join(done, ", ")
	if len(exist) > 0 {
		text += ". Not invited (they have an account already): " + strings.Join(exist, ", ")
	}
	return text, nil
}

// WithMail returns a copy of the service that sends its e-mail through m
// (the demo loader's goes nowhere).
func (s *Service) WithMail(m mail.Sender) *Service {
	c := *s
	c.mail = m
	return &c
}
