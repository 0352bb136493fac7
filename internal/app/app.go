// Package app builds escnet once: it opens and migrates the store, and
// constructs the mail sender and every capability service over it. The
// server (`escnet serve`), every command of the command line and the demo
// loader use the same App, so that no caller wires services of its own.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/calls/follow"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/postings"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// Config is what building the application needs besides the store.
type Config struct {
	// Accounts sets session lifetimes, throttling, password cost and the
	// base URL used in e-mailed links.
	Accounts accounts.Config
	// Mail sends e-mail; nil writes messages to the log.
	Mail mail.Sender
	// Text renders the message keys of e-mails in the language of the
	// request (web.MailText); nil sends the keys as they are.
	Text   func(ctx context.Context, key string, args ...any) string
	Logger *slog.Logger
	// Version is the build's version, reported by the health check.
	Version string
	// Inquiries configures the contact point (secret, attachment
	// directory, deadlines, texts by language); its links start with the
	// accounts' base URL.
	Inquiries inquiries.Config
	// Attachments bounds the practices library's files and says where
	// they are kept (default: escnet-attachments in the temporary
	// directory).
	Attachments practices.AttachmentConfig
	// MatchInterval is how often the partner finder looks at the change
	// feed (0: its default).
	MatchInterval time.Duration
	// Now is the clock that says whether a call is open, forthcoming or
	// closed (nil: time.Now); tests and the demo's checks fix it.
	Now func() time.Time
}

// App is the application: the store and every service over it.
type App struct {
	Config Config
	Log    *slog.Logger
	Mail   mail.Sender

	Directory  *directory.Service
	Accounts   *accounts.Service
	Facilities *facilities.Service
	Calls      *calls.Service
	Inquiries  *inquiries.Service
	Events     *events.Service
	Projects   *projects.Service
	// Practices is the practices library; Exchanges the exchange of
	// people, whose reports become practices entries.
	Practices  *practices.Service
	Exchanges  *exchanges.Service
	Governance *governance.Service
	// Postings is the partner search: postings and expressions of
	// interest.
	Postings *postings.Service
	// Match is the partner finder's live snapshot, kept fresh from the
	// change feed (writes of this process notify it).
	Match *live.Service
	// Follow is following the calls that match one's organisation: the
	// list, the Atom feed and the e-mail digest.
	Follow  *follow.Service
	Health  *Health
	Network *Network

	// DB is the store. It is here for the parts that do not have a
	// service yet (they are being moved behind one); new code uses the
	// services.
	DB *sqlstore.DB

	closeOnce sync.Once
	closeErr  error
}

// Open opens the database named by dsn, applies pending migrations and
// builds the application over it. The caller must Close it.
func Open(ctx context.Context, dsn string, cfg Config) (*App, int, error) {
	d, err := store.ParseDSN(dsn)
	if err != nil {
		return nil, 0, err
	}
	db, v, err := engine.OpenAndMigrate(ctx, dsn)
	if err != nil {
		return nil, 0, fmt.Errorf("database %s: %w", d.Redacted(), err)
	}
	return New(db, cfg), v, nil
}

// New builds the application over an open, migrated store; Close closes
// the store.
func New(db *sqlstore.DB, cfg Config) *App {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Mail == nil {
		cfg.Mail = mail.Log{Logger: cfg.Logger}
	}
	if cfg.Accounts.Text == nil {
		cfg.Accounts.Text = cfg.Text
	}
	a := &App{Config: cfg, Log: cfg.Logger, Mail: cfg.Mail, DB: db}
	a.Directory = directory.NewService(db)
	// Accounts and governance may mail from inside a transaction (an
	// accepted application invites its managers): such mail waits for the
	// commit.
	txMail := mail.Deferred{Sender: cfg.Mail, Logger: cfg.Logger}
	a.Accounts = accounts.NewService(db, db, txMail, cfg.Accounts)
	att := cfg.Attachments
	if att.Dir == "" {
		att.Dir = filepath.Join(os.TempDir(), "escnet-attachments")
	}
	a.Practices = practices.NewService(db, nil, practices.Config{Attachments: att, Viewer: access.ViewerFrom})
	a.Exchanges = exchanges.NewService(db, a.Practices, exchanges.Config{Viewer: access.ViewerFrom})
	// A guest's signed stay opens the host facilities its plan names.
	a.Facilities = facilities.NewService(db, db, db, cfg.Mail, facilities.Config{Text: cfg.Text,
		BaseURL: a.Accounts.Config().BaseURL, Logger: cfg.Logger}).WithStays(a.Exchanges)
	addPersonalRecords(a.Accounts, db) // personal.go
	a.Calls = calls.NewService(db)
	a.Calls.Now = cfg.Now
	a.Inquiries = newInquiries(db, cfg, a.Accounts.Config().BaseURL)
	a.Events = events.NewService(db, db, db, cfg.Mail, events.Config{Text: cfg.Text, BaseURL: a.Accounts.Config().BaseURL, Logger: cfg.Logger})
	a.Projects = projects.NewService(db, db).WithMail(cfg.Mail, a.Accounts.Config().BaseURL)
	a.Governance = governance.NewService(db, a.Directory, a.Accounts, txMail, governance.Config{Text: cfg.Text, BaseURL: a.Accounts.Config().BaseURL, Logger: cfg.Logger})
	a.Postings = postings.NewService(db, cfg.Mail, postings.Config{NoticeConfig: mail.NoticeConfig{Text: cfg.Text,
		BaseURL: a.Accounts.Config().BaseURL, Logger: cfg.Logger}})
	// The partner finder follows the store's change feed itself.
	a.Match = live.New(db, live.Options{Logger: cfg.Logger, Interval: cfg.MatchInterval, Now: cfg.Now})
	a.Follow = follow.New(db, a.Calls, a.Match, cfg.Mail, mail.NoticeConfig{Text: cfg.Text, BaseURL: a.Accounts.Config().BaseURL,
		Now: cfg.Now, Logger: cfg.Logger})
	a.Events.SetPartnerFinder(a.Match) // meeting suggestions at brokerage events
	a.Events.SetCalls(db)              // the calls an event links to
	a.Health = &Health{db: db, version: cfg.Version, app: a}
	a.Network = &Network{db: db}
	return a
}

// Close stops what the services run in the background and closes the
// store. It is safe to call more than once.
func (a *App) Close() error {
	a.closeOnce.Do(func() {
		a.Match.Close()
		a.Inquiries.Stop()
		a.closeErr = a.DB.Close()
	})
	return a.closeErr
}

// Status is the answer of the health check.
type Status struct {
	Status        string `json:"status"`
	Engine        string `json:"engine"`
	SchemaVersion int    `json:"schema_version"`
	Version       string `json:"version"`
}

// Health answers whether the store is reachable and at which schema.
type Health struct {
	db      *sqlstore.DB
	version string
	app     *App // its partner finder, read at each check
}

// ErrUnhealthy wraps the reason a health check failed.
var ErrUnhealthy = errors.New("unhealthy")

// Check reads the schema version; on failure the status is "unavailable"
// and the error wraps ErrUnhealthy.
func (h *Health) Check(ctx context.Context) (Status, error) {
	s := Status{Status: "ok", Engine: string(h.db.Engine()), Version: h.version}
	v, err := h.db.SchemaVersion(ctx)
	if err != nil {
		s.Status = "unavailable"
		return s, fmt.Errorf("%w: %w", ErrUnhealthy, err)
	}
	s.SchemaVersion = v
	return s, nil
}

// Engine names the store's engine.
func (h *Health) Engine() store.Engine { return h.db.Engine() }

// newInquiries builds the contact point's service.
func newInquiries(db *sqlstore.DB, cfg Config, baseURL string) *inquiries.Service {
	ic := cfg.Inquiries
	if ic.BaseURL == "" {
		ic.BaseURL = baseURL
	}
	if ic.Logger == nil {
		ic.Logger = cfg.Logger
	}
	return inquiries.NewService(db, cfg.Mail, ic)
}
