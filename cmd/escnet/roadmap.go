package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/mail"
)

const roadmapUsage = `Usage: escnet roadmap remind [--db DSN] [--smtp-addr HOST:PORT] [--smtp-from ADDR] [--base-url URL]

  remind  e-mail the managers of the owning clusters of every open action
          or milestone whose date has passed, once per item and date (run
          it daily from a scheduled job; a second run sends nothing again)
`

func runRoadmap(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "remind" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprint(stdout, roadmapUsage)
			return nil
		}
		fmt.Fprint(stderr, roadmapUsage)
		return errUsage
	}
	fs := newFlagSet("roadmap remind", "[flags]", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	smtpAddr := fs.String("smtp-addr", "", "SMTP server host:port; without it, e-mails go to the log")
	smtpFrom := fs.String("smtp-from", "escnet@localhost", "sender address of e-mails")
	smtpUser := fs.String("smtp-user", "", "SMTP user name (the password is read from ESCNET_SMTP_PASSWORD)")
	baseURL := fs.String("base-url", "http://localhost:8080", "the site's public address, for the links in the e-mails")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	cfg := app.Config{Accounts: accounts.Config{BaseURL: *baseURL}}
	if *smtpAddr != "" {
		cfg.Mail = mail.SMTP{Addr: *smtpAddr, From: *smtpFrom, Username: *smtpUser, Password: os.Getenv("ESCNET_SMTP_PASSWORD")}
	}
	a, _, err := openApp(ctx, *dsn, stderr, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Governance.RemindOverdue(cliContext(ctx))
	if err != nil {
		return fmt.Errorf("roadmap remind: %w", err)
	}
	fmt.Fprintf(stdout, "overdue items reminded: %d, e-mails sent: %d\n", res.Items, res.Mails)
	return nil
}
