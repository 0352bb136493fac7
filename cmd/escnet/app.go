package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/web"
)

// openApp opens and migrates the database and builds the application
// over it, as every command does; the caller closes it (which leaves the
// database file complete on its own). Without a logger in cfg, messages
// (e-mails written to the log, warnings) go to stderr.
func openApp(ctx context.Context, dsn string, stderr io.Writer, cfg app.Config) (*app.App, int, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if cfg.Mail == nil {
		cfg.Mail = mail.Log{Logger: slog.New(slog.NewTextHandler(stderr, nil))}
	}
	if cfg.Text == nil {
		text, err := web.MailText()
		if err != nil {
			return nil, 0, err
		}
		cfg.Text = text
	}
	if cfg.Inquiries.Text == nil {
		text, err := web.MailTextIn()
		if err != nil {
			return nil, 0, err
		}
		cfg.Inquiries.Text = text
	}
	cfg.Version = versionString()
	return app.Open(ctx, dsn, cfg)
}

// cliContext is the context a command acts in: the application itself
// (access.SystemViewer, which sees everything), audited as "cli".
func cliContext(ctx context.Context) context.Context {
	ctx = audit.WithActor(ctx, audit.Actor{Label: "cli"})
	return access.AsSystem(ctx)
}
