package inquiries

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Config holds the contact point's settings.
type Config struct {
	// Secret signs form stamps and follow links and keys the throttling
	// log's hashes. Keep it stable: changing it ends every follow link.
	Secret []byte
	// BaseURL starts the links in e-mails.
	BaseURL string
	// Text renders a message key in a language (mail.inquiry.*).
	Text func(lang, key string, args ...any) string
	Now  func() time.Time
	// MinFill is the least time a person takes to fill the form (2 s);
	// MaxFormAge the most a served form stays valid (1 day).
	MinFill, MaxFormAge time.Duration
	// PerAddress questions from one client address per AddressWindow (5
	// a minute); PerEmail from one e-mail per EmailWindow (3 an hour).
	PerAddress, PerEmail       int
	AddressWindow, EmailWindow time.Duration
	Deadlines                  Deadlines
	// Retention is how long a closed case keeps the requester's data.
	Retention time.Duration
	// AttachmentDir holds attachments, outside any web root;
	// MaxAttachment is the largest file accepted (5 MiB).
	AttachmentDir string
	MaxAttachment int64
	// RouterTTL is how long a routing snapshot is reused when the change
	// feed cannot be followed (30 s); with the feed, a snapshot is rebuilt
	// when the routing's entities change, at most every RouterInterval (1 s).
	RouterTTL, RouterInterval time.Duration
	Logger                    *slog.Logger

	ephemeral bool // the secret was made up at start
}

func (c *Config) defaults() {
	if c.Now == nil {
		c.Now = func() time.Time { return time.Now().UTC() }
	}
	if c.Text == nil {
		c.Text = func(_, key string, _ ...any) string { return key }
	}
	if c.MinFill == 0 {
		c.MinFill = 2 * time.Second
	}
	if c.MaxFormAge == 0 {
		c.MaxFormAge = 24 * time.Hour
	}
	if c.PerAddress == 0 {
		c.PerAddress, c.AddressWindow = 5, time.Minute
	}
	if c.PerEmail == 0 {
		c.PerEmail, c.EmailWindow = 3, time.Hour
	}
	if c.Deadlines == nil {
		c.Deadlines = DefaultDeadlines
	}
	if c.Retention == 0 {
		c.Retention = 365 * 24 * time.Hour
	}
	if c.MaxAttachment == 0 {
		c.MaxAttachment = 5 << 20
	}
	if c.RouterTTL == 0 {
		c.RouterTTL = 30 * time.Second
	}
	if c.RouterInterval == 0 {
		c.RouterInterval = DefaultRouterInterval
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if len(c.Secret) == 0 {
		// Follow links then last as long as the process.
		c.Secret = make([]byte, 32)
		rand.Read(c.Secret)
		c.ephemeral = true
	}
	if c.AttachmentDir == "" {
		c.AttachmentDir = filepath.Join(os.TempDir(), "escnet-inquiry-files")
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
}

// Service applies the contact point's rules around a Store and sends
// its e-mails.
type Service struct {
	store Store
	mail  mail.Sender
	cfg   Config

	routing *routing // shared by the copies WithMail makes
	warned  *sync.Once
}

// NewService returns a Service.
func NewService(s Store, m mail.Sender, cfg Config) *Service {
	cfg.defaults()
	return &Service{store: s, mail: m, cfg: cfg, routing: newRouting(), warned: &sync.Once{}}
}

// Config returns the settings in force.
func (s *Service) Config() Config { return s.cfg }

// Stamp signs the time a form is served.
func (s *Service) Stamp() string { return Stamp(s.cfg.Secret, s.cfg.Now()) }

// followToken is the secret of a case's follow link: derived from the
// case id with the secret, so that later e-mails can carry it while the
// database keeps only its hash.
func (s *Service) followToken(id string) string {
	if s.cfg.ephemeral {
		s.warned.Do(func() {
			s.cfg.Logger.Warn("no inquiry secret configured (ESCNET_INQUIRY_SECRET): follow links end when the server restarts")
		})
	}
	return sign(s.cfg.Secret, "follow:"+id)
}

// TokenFor returns the secret of a case's follow link, for the
// application itself only (the demonstration loader, the command line).
func (s *Service) TokenFor(ctx context.Context, id string) (string, error) {
	if !access.ScopeFrom(ctx).All || !access.ViewerFrom(ctx).Anonymous() && !access.ViewerFrom(ctx).AllianceAdmin {
		return "", store.ErrForbidden
	}
	return s.followToken(id), nil
}

// FollowURL is the requester's private link to a case.
func (s *Service) FollowURL(id string) string {
	return s.cfg.BaseURL + "/inquiries/follow/" + s.followToken(id)
}

// Ask takes a question from the public form or the API. Spam (the hidden
// field filled) and throttled submissions are logged for throttling only,
// never stored as a case.
func (s *Service) Ask(ctx context.Context, in AskInput) (Inquiry, error) {
	in.Normalize()
	now := s.cfg.Now()
	sub := Submission{IPHash: Pseudonym(s.cfg.Secret, "ip", in.Address), EmailHash: Pseudonym(s.cfg.Secret, "email", in.Email), At: now}
	var errs validate.Errors
	if in.Trap != "" {
		errs.Add("website", ErrSpam)
	} else if in.FromForm {
		if code := CheckStamp(s.cfg.Secret, in.FormStamp, now, s.cfg.MinFill, s.cfg.MaxFormAge); code != "" {
			errs.Add("form", code)
		}
	}
	if len(errs) > 0 {
		sub.Outcome = "spam"
		return Inquiry{}, errors.Join(errs, s.store.LogSubmission(ctx, sub))
	}
	byIP, byEmail, err := s.store.CountSubmissions(ctx, sub.IPHash, sub.EmailHash, now.Add(-max(s.cfg.AddressWindow, s.cfg.EmailWindow)))
	if err != nil {
		return Inquiry{}, err
	}
	if byIP >= s.cfg.PerAddress || (in.Email != "" && byEmail >= s.cfg.PerEmail) {
		field := "email"
		if byIP >= s.cfg.PerAddress {
			field = "form"
		}
		errs.Add(field, ErrThrottled)
		sub.Outcome = "throttled"
		return Inquiry{}, errors.Join(errs, s.store.LogSubmission(ctx, sub))
	}
	if err := in.Validate(); err != nil {
		return Inquiry{}, err
	}
	q, err := s.newCase(ctx, in)
	if err != nil {
		return Inquiry{}, err
	}
	sub.Outcome = "accepted"
	if err := s.store.CreateInquiry(ctx, &q, HashToken(s.followToken(q.ID)), sub); err != nil {
		return Inquiry{}, err
	}
	s.notifyAsked(ctx, q)
	return q, nil
}

// newCase routes a valid question to its cluster and tags it.
func (s *Service) newCase(ctx context.Context, in AskInput) (Inquiry, error) {
	r, err := s.Router(ctx)
	if err != nil {
		return Inquiry{}, err
	}
	sug := r.Suggest(Query{Text: in.Question, Lang: in.Lang, Country: in.Country, Scope: access.System})
	q := Inquiry{ID: newID(), State: StateNew, Question: in.Question, Lang: in.Lang, RequesterName: in.Name,
		RequesterEmail: in.Email, RequesterOrg: in.Organisation, RequesterKind: in.Kind, Country: in.Country,
		Urgency: in.Urgency, Consent: true, TLP: access.TLPAmber, Capabilities: sug.Tags(), Domain: sug.Domain(),
		ClusterID: sug.Cluster, CreatedAt: s.cfg.Now(), Assignments: []Assignment{}}
	if in.Cluster != "" {
		id, err := s.store.ClusterExists(ctx, in.Cluster)
		if errors.Is(err, store.ErrNotFound) {
			return q, validate.Errors{{Field: "cluster", Code: validate.NotFound}}
		} else if err != nil {
			return q, err
		}
		q.ClusterID = id
	}
	if q.ClusterID == "" {
		if len(r.snap.Clusters) == 0 {
			return q, validate.Errors{{Field: "cluster", Code: validate.NotFound}}
		}
		q.ClusterID = r.snap.Clusters[0].ID
	}
	return q, nil
}

func (s *Service) notifyAsked(ctx context.Context, q Inquiry) {
	s.send(ctx, q.RequesterEmail, q.Lang, "mail.inquiry.confirm", "number", q.Number, "link", s.FollowURL(q.ID), "question", q.Question)
	emails, err := s.store.DeskEmails(ctx, q.ClusterID)
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "inquiry desk addresses", "err", err)
	}
	for _, e := range emails {
		s.send(ctx, e, "en", "mail.inquiry.new", "number", q.Number, "link", s.caseURL(q.ID))
	}
}

func (s *Service) caseURL(id string) string { return s.cfg.BaseURL + "/inquiries/" + id }

// send writes one e-mail from the message keys key+".subject" and
// key+".body"; a failure is logged, never undoes the step.
func (s *Service) send(ctx context.Context, to, lang, key string, args ...any) {
	if to == "" || s.mail == nil {
		return
	}
	subject := strings.Join(strings.Fields(s.cfg.Text(lang, key+".subject", args...)), " ") // one line, whatever the arguments
	m := mail.Message{To: to, Subject: subject, Text: s.cfg.Text(lang, key+".body", args...)}
	if err := s.mail.Send(ctx, m); err != nil {
		s.cfg.Logger.WarnContext(ctx, "inquiry mail not sent", "key", key, "err", err)
	}
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// WithMail returns a copy of the service that sends e-mail through m (the
// demonstration loader's questions write to nobody).
func (s *Service) WithMail(m mail.Sender) *Service {
	return &Service{store: s.store, mail: m, cfg: s.cfg, routing: s.routing, warned: s.warned}
}
