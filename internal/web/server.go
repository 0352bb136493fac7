// Package web is the HTTP edge of escnet: the JSON API, the HTML pages,
// health and metrics. Every route is in routes.go.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// Config is what the server needs to know besides its database.
type Config struct {
	// Accounts sets session lifetimes, throttling and the base URL used in
	// e-mailed links.
	Accounts accounts.Config
	// Mail sends e-mail; nil writes messages to the log.
	Mail mail.Sender
	// Version is reported by /healthz.
	Version string
	Logger  *slog.Logger
	// Attachments bounds the practices library's files and says where
	// they are kept (default: escnet-attachments in the temporary
	// directory).
	Attachments practices.AttachmentConfig
}

// Server holds the dependencies of the handlers.
type Server struct {
	db       *sqlstore.DB
	dir      *directory.Service
	accounts *accounts.Service
	cfg      Config
	log      *slog.Logger
	metrics  *metrics
	pages    *pages
	catalog  catalog
	fac      *facilities.Service
	// match is the partner finder's snapshot, kept fresh from the
	// change feed (writes of this process notify it).
	match *live.Service
	// practices is the practices library.
	practices *practices.Service
}

// New returns a server over db.
func New(db *sqlstore.DB, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	if cfg.Mail == nil {
		cfg.Mail = mail.Log{Logger: cfg.Logger}
	}
	cat, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	// E-mails are written in the language of the request that sends them.
	cfg.Accounts.Text = func(ctx context.Context, key string, args ...any) string {
		return cat.localizer(langFrom(ctx)).T(key, args...)
	}
	srv := &Server{db: db, dir: directory.NewService(db), accounts: accounts.NewService(db, db, cfg.Mail, cfg.Accounts),
		cfg: cfg, log: cfg.Logger, metrics: newMetrics(), pages: p, catalog: cat}
	srv.fac = facilities.NewService(db, db, db, cfg.Mail, facilities.Config{Text: cfg.Accounts.Text, BaseURL: srv.accounts.Config().BaseURL, Logger: cfg.Logger})
	srv.practices = practices.NewService(db, nil, practices.Config{Attachments: attachmentConfig(cfg.Attachments), Viewer: viewerFrom})
	srv.match = live.New(db, live.Options{Logger: cfg.Logger})
	db.OnChange(srv.match.Notify)
	return srv, nil
}

type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "escnet_http_requests_total", Help: "HTTP requests by route pattern and status code.",
	}, []string{"route", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "escnet_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route"})
	m.registry.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (s *Server) handleMetrics() http.Handler {
	return promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
}

// Health is the body of /healthz.
type Health struct {
	Status        string `json:"status"`
	Engine        string `json:"engine"`
	SchemaVersion int    `json:"schema_version"`
	Version       string `json:"version"`
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	h := Health{Status: "ok", Engine: string(s.db.Engine()), Version: s.cfg.Version}
	v, err := s.db.SchemaVersion(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "health check failed", "err", err)
		h.Status = "unavailable"
		return writeJSON(w, http.StatusServiceUnavailable, h)
	}
	h.SchemaVersion = v
	return writeJSON(w, http.StatusOK, h)
}

// Accounts returns the account service (for the command line and tests).
func (s *Server) Accounts() *accounts.Service { return s.accounts }
