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
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/sqlstore"
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

// openDB opens and migrates the database, naming it (without password) in
// any error.
func openDB(ctx context.Context, dsn string) (*sqlstore.DB, int, error) {
	d, err := store.ParseDSN(dsn)
	if err != nil {
		return nil, 0, err
	}
	db, v, err := engine.OpenAndMigrate(ctx, dsn)
	if err != nil {
		return nil, 0, fmt.Errorf("database %s: %w", d.Redacted(), err)
	}
	return db, v, nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "[--addr :8080] [--db DSN] [--demo]", stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	loadDemo := fs.Bool("demo", false, "load the demonstration alliance into an empty database")
	baseURL := fs.String("base-url", "", "public address of this server, for links in e-mails (default http://localhost:PORT)")
	smtpAddr := fs.String("smtp-addr", "", "SMTP server host:port for e-mail; without it, e-mails go to the log")
	smtpFrom := fs.String("smtp-from", "escnet@localhost", "sender address of e-mails")
	smtpUser := fs.String("smtp-user", "", "SMTP user name (the password is read from ESCNET_SMTP_PASSWORD)")
	attDir := fs.String("attachments", "attachments", "folder where the practices library keeps attachments")
	attMax := fs.Int64("attachment-max-mb", 20, "largest attachment in MiB")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	logFormat := fs.String("log-format", "text", "text or json")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	logger, err := newLogger(stderr, *logLevel, *logFormat)
	if err != nil {
		return err
	}
	slog.SetDefault(logger)

	db, v, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	logger.Info("database ready", "engine", db.Engine(), "schema_version", v)

	if *loadDemo {
		empty, err := demo.Empty(ctx, db)
		if err != nil {
			return err
		}
		if !empty {
			fmt.Fprintln(stdout, "The database already holds data; the demonstration alliance was not loaded and nothing was changed.")
		} else {
			n, err := demo.Load(ctx, directory.NewService(db))
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Loaded the demonstration alliance: %d clusters, %d organisations, %d people, %d facilities, %d calls.\n",
				n.Clusters, n.Organisations, n.People, n.Facilities, n.Calls)
			// The demonstration's bookings go through the booking rules; their
			// notices go nowhere.
			quiet := facilities.NewService(db, db, db, mail.Log{Logger: slog.New(slog.DiscardHandler)}, facilities.Config{})
			nb, err := demo.LoadBookings(ctx, db, quiet, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Loaded %d demonstration bookings of the shared facilities.\n", nb)
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	if *baseURL == "" {
		*baseURL = listenURL(ln.Addr())
	}
	cfg := web.Config{Version: versionString(), Logger: logger, Accounts: accounts.Config{BaseURL: *baseURL},
		Attachments: practices.AttachmentConfig{Dir: *attDir, MaxSize: *attMax << 20}}
	if *smtpAddr != "" {
		// The password comes from the environment only, so it never shows
		// in a process list.
		cfg.Mail = mail.SMTP{Addr: *smtpAddr, From: *smtpFrom, Username: *smtpUser, Password: os.Getenv("ESCNET_SMTP_PASSWORD")}
	}
	srv, err := web.New(db, cfg)
	if err != nil {
		ln.Close()
		return err
	}
	if *loadDemo {
		if err := demo.LoadAccounts(ctx, db, srv.Accounts()); err != nil {
			ln.Close()
			return err
		}
		fmt.Fprintf(stdout, "Demo accounts (password %q):\n", demo.Password)
		for _, a := range demo.Accounts {
			fmt.Fprintf(stdout, "  %-26s %-27s %s\n", a.Email, a.Role, a.Description)
		}
		fmt.Fprintln(stdout, "  (anonymous visitors see what is public; sign in at /login)")
	}
	httpServer := &http.Server{
		Handler:           srv.Handler(),
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
	db, v, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "schema version %d (%s)\n", v, db.Engine())
	return nil
}
