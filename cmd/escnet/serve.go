package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/web"
)

const defaultDB = "escnet.db"

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

// serveFlags are the flags of "escnet serve".
type serveFlags struct {
	addr, dsn, baseURL, smtpAddr, smtpFrom, smtpUser, logLevel, logFormat string
	pprofAddr                                                             string
	demo                                                                  bool
	inquiryFiles                                                          string
	inquiryTick, inquiryRetention                                         time.Duration
	inquiryDeadlines                                                      string
	attachments                                                           string
	attachmentMaxMB                                                       int64
	eventTick, eventReminderLead                                          time.Duration
}

func parseServe(args []string, stdout, stderr io.Writer) (serveFlags, error) {
	var f serveFlags
	fs := newFlagSet("serve", "[--addr :8080] [--db DSN] [--demo]", stderr)
	fs.StringVar(&f.addr, "addr", ":8080", "address to listen on")
	fs.StringVar(&f.dsn, "db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	fs.BoolVar(&f.demo, "demo", false, "load the demonstration alliance into an empty database")
	fs.StringVar(&f.baseURL, "base-url", "", "public address of this server, for links in e-mails (default http://localhost:PORT)")
	fs.StringVar(&f.smtpAddr, "smtp-addr", "", "SMTP server host:port for e-mail; without it, e-mails go to the log")
	fs.StringVar(&f.smtpFrom, "smtp-from", "escnet@localhost", "sender address of e-mails")
	fs.StringVar(&f.smtpUser, "smtp-user", "", "SMTP user name (the password is read from ESCNET_SMTP_PASSWORD)")
	fs.StringVar(&f.inquiryFiles, "inquiry-files", "", "directory for attachments of questions, outside any web root (default: under the system's temporary directory)")
	fs.DurationVar(&f.inquiryTick, "inquiry-tick", 5*time.Minute, "how often reminders, escalations and anonymisation of questions run")
	fs.StringVar(&f.inquiryDeadlines, "inquiry-deadlines", "high=24h,normal=72h,low=168h", "targets for a first answer to a question, per urgency")
	fs.DurationVar(&f.inquiryRetention, "inquiry-retention", 365*24*time.Hour, "how long a closed question keeps the requester's name and address")
	fs.DurationVar(&f.eventTick, "event-tick", 5*time.Minute, "how often the event reminder job runs (0: never)")
	fs.DurationVar(&f.eventReminderLead, "event-reminder-lead", events.DefaultReminderLead, "how long before an event starts its attendees get the reminder")
	fs.StringVar(&f.attachments, "attachments", "attachments", "folder where the practices library keeps attachments")
	fs.Int64Var(&f.attachmentMaxMB, "attachment-max-mb", 20, "largest attachment in MiB")
	fs.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&f.logFormat, "log-format", "text", "text or json")
	fs.StringVar(&f.pprofAddr, "pprof-addr", "", "separate address for Go's profiles (/debug/pprof/), e.g. 127.0.0.1:6060; off when empty")
	return f, parse(fs, args, stdout)
}

// runServe is "escnet serve". The listener opens first, so that the base
// URL of e-mailed links can default to its port; the application is
// closed on every way out, also after SIGTERM.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseServe(args, stdout, stderr)
	if err != nil {
		return err
	}
	logger, err := newLogger(stderr, f.logLevel, f.logFormat)
	if err != nil {
		return err
	}
	slog.SetDefault(logger)
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", f.addr, err)
	}
	defer ln.Close()
	if f.baseURL == "" {
		f.baseURL = listenURL(ln.Addr())
	}
	deadlines, err := inquiries.ParseDeadlines(f.inquiryDeadlines)
	if err != nil {
		return fmt.Errorf("--inquiry-deadlines: %w", err)
	}
	cfg := app.Config{Logger: logger, Accounts: accounts.Config{BaseURL: f.baseURL},
		// The secret of follow links comes from the environment only.
		Inquiries: inquiries.Config{Secret: []byte(os.Getenv("ESCNET_INQUIRY_SECRET")), AttachmentDir: f.inquiryFiles,
			Deadlines: deadlines, Retention: f.inquiryRetention},
		Attachments: practices.AttachmentConfig{Dir: f.attachments, MaxSize: f.attachmentMaxMB << 20}}
	if f.smtpAddr != "" {
		// The password comes from the environment only, so it never shows
		// in a process list.
		cfg.Mail = mail.SMTP{Addr: f.smtpAddr, From: f.smtpFrom, Username: f.smtpUser, Password: os.Getenv("ESCNET_SMTP_PASSWORD")}
	}
	a, v, err := openApp(ctx, f.dsn, stderr, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	logger.Info("database ready", "engine", a.Health.Engine(), "schema_version", v)
	if f.demo {
		if err := loadDemo(ctx, a, stdout); err != nil {
			return err
		}
	}
	go runInquiryTicks(ctx, a.Inquiries, f.inquiryTick, logger)
	go runEventReminders(ctx, a.Events, f.eventTick, f.eventReminderLead, logger)
	// The partner index is built in the background; /readyz says when.
	a.Start()
	srv, err := web.New(a, web.Config{Version: versionString(), Logger: logger})
	if err != nil {
		return err
	}
	if f.pprofAddr != "" {
		stop, err := startPprof(f.pprofAddr, logger, stdout)
		if err != nil {
			return err
		}
		defer stop()
	}
	return serveUntilDone(ctx, ln, srv.Handler(), logger, stdout)
}

// loadDemo loads the demonstration alliance into an empty database and
// prints the demonstration accounts.
func loadDemo(ctx context.Context, a *app.App, stdout io.Writer) error {
	n, err := demo.LoadAll(ctx, a, time.Now())
	if errors.Is(err, demo.ErrNotEmpty) {
		fmt.Fprintln(stdout, "The database already holds data; the demonstration alliance was not loaded and nothing was changed.")
	} else if err != nil {
		return err
	} else {
		fmt.Fprintf(stdout, "Loaded the demonstration alliance: %d clusters, %d organisations, %d people, %d facilities, %d calls.\n",
			n.Clusters, n.Organisations, n.People, n.Facilities, n.Calls)
		fmt.Fprintf(stdout, "Loaded %d demonstration bookings of the shared facilities.\n", n.Bookings)
		fmt.Fprintf(stdout, "Loaded %d demonstration questions to the alliance.\n", n.Inquiries)
		fmt.Fprintf(stdout, "Loaded %d demonstration exchange applications (accounts such as guest.sdis13@example.org, same password).\n", n.Exchanges)
		fmt.Fprintf(stdout, "Loaded %d EU security research projects with %d participations from the embedded CORDIS subset (%s).\n",
			n.Projects, n.Participations, demo.CORDISAttribution)
	}
	if err := demo.LoadAccounts(ctx, a.Directory.Store(), a.Accounts); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demo accounts (password %q):\n", demo.Password)
	for _, acc := range demo.Accounts {
		fmt.Fprintf(stdout, "  %-26s %-27s %s\n", acc.Email, acc.Role, acc.Description)
	}
	fmt.Fprintln(stdout, "  (anonymous visitors see what is public; sign in at /login)")
	return nil
}

// serveUntilDone serves h on ln until ctx ends (SIGINT, SIGTERM), then
// shuts down gracefully, letting requests in flight finish.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, stdout io.Writer) error {
	httpServer := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "escnet %s listening on %s\n", versionString(), listenURL(ln.Addr()))
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// listenURL turns a listener address into a URL a person can open.
func listenURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	host := "localhost"
	if !tcp.IP.IsUnspecified() {
		host = tcp.IP.String()
		if tcp.IP.To4() == nil {
			host = "[" + host + "]"
		}
	}
	return fmt.Sprintf("http://%s:%d", host, tcp.Port)
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", "[--db DSN]", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	a, v, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintf(stdout, "schema version %d (%s)\n", v, a.Health.Engine())
	return nil
}

// runInquiryTicks runs the contact point's periodic work (reminders,
// escalations, anonymisation) every d until ctx ends.
func runInquiryTicks(ctx context.Context, svc *inquiries.Service, d time.Duration, logger *slog.Logger) {
	if d <= 0 {
		return
	}
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			res, err := svc.Tick(ctx)
			if err != nil {
				logger.Warn("inquiry tick", "err", err)
			} else if res != (inquiries.TickResult{}) {
				logger.Info("inquiry tick", "reminded", res.Reminded, "escalated", res.Escalated, "anonymised", res.Anonymised)
			}
		}
	}
}
