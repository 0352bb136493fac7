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
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/calls/follow"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/postings"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/projects"
)

// Config is what the server needs besides the application's services.
type Config struct {
	// Version is reported by /healthz.
	Version string
	Logger  *slog.Logger
}

// Server holds the services the handlers call; it never holds the store.
type Server struct {
	dir      *directory.Service
	accounts *accounts.Service
	health   *app.Health
	network  *app.Network
	cfg      Config
	log      *slog.Logger
	metrics  *metrics
	pages    *pages
	catalog  catalog
	fac      *facilities.Service
	inq      *inquiries.Service
	ev       *events.Service
	gov      *governance.Service
	// match is the partner finder's snapshot, kept fresh from the
	// change feed (writes of this process notify it).
	match *live.Service
	proj  *projects.Service
	calls *calls.Service
	// follow is following the calls that match one's organisation.
	follow *follow.Service
	// practices is the practices library.
	practices *practices.Service
	// exchanges is the exchange of people.
	exchanges *exchanges.Service
	// postings is the partner search.
	postings *postings.Service
}

// New returns a server over the application's services.
func New(a *app.App, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = a.Log
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	cat, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	return &Server{dir: a.Directory, accounts: a.Accounts, health: a.Health, network: a.Network, fac: a.Facilities, ev: a.Events, inq: a.Inquiries,
		match: a.Match, proj: a.Projects, calls: a.Calls, follow: a.Follow, practices: a.Practices, exchanges: a.Exchanges, gov: a.Governance,
		postings: a.Postings,
		cfg:      cfg, log: cfg.Logger, metrics: newMetrics(), pages: p, catalog: cat}, nil
}

// MailText renders e-mail message keys in the language of the request that
// sends them; the application gives it to the services that write e-mail.
func MailText() (func(ctx context.Context, key string, args ...any) string, error) {
	cat, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, key string, args ...any) string {
		return cat.localizer(langFrom(ctx)).T(key, args...)
	}, nil
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
type Health = app.Status

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	h, err := s.health.Check(ctx)
	h.Version = s.cfg.Version
	if err != nil {
		s.log.WarnContext(ctx, "health check failed", "err", err)
		return writeJSON(w, http.StatusServiceUnavailable, h)
	}
	return writeJSON(w, http.StatusOK, h)
}

// Accounts returns the account service (for the command line and tests).
func (s *Server) Accounts() *accounts.Service { return s.accounts }
