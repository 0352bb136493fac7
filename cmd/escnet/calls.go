package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/calls/follow"
	"github.com/escnet/escnet/internal/mail"
)

const callsUsage = `Usage: escnet calls digest [--db DSN] [--smtp-addr HOST:PORT] [--smtp-from ADDR] [--smtp-user USER] [--base-url URL] [--closing-days N]

  digest  e-mail every member who subscribed to the digest the open and
          forthcoming calls that match their organisation and that no
          digest announced to them yet, and the calls closing within
          --closing-days (default 14) not yet announced as closing. What
          was sent is remembered: run it daily from a scheduled job and
          no call is announced twice. Without --smtp-addr the e-mails go
          to the log.
`

// runCalls is "escnet calls": jobs on the calls (the digest).
func runCalls(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		out := stdout
		if len(args) == 0 {
			out = stderr
		}
		fmt.Fprint(out, callsUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if args[0] != "digest" {
		fmt.Fprintf(stderr, "escnet calls: unknown command %q\n\n%s", args[0], callsUsage)
		return errUsage
	}
	fs := newFlagSet("calls digest", "[flags]", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	smtpAddr := fs.String("smtp-addr", "", "SMTP server host:port; without it, e-mails go to the log")
	smtpFrom := fs.String("smtp-from", "escnet@localhost", "sender address of e-mails")
	smtpUser := fs.String("smtp-user", "", "SMTP user name (the password is read from ESCNET_SMTP_PASSWORD)")
	baseURL := fs.String("base-url", "", "public address of the server, for the links in the e-mails")
	days := fs.Int("closing-days", follow.DefaultClosingDays, "announce calls whose deadline is within this many days as closing")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	if *days < 1 || *days > 365 {
		return fmt.Errorf("--closing-days %d: use 1 to 365", *days)
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
	res, err := a.Follow.SendDigest(cliContext(ctx), *days)
	fmt.Fprintf(stdout, "calls digest: %d subscribers, %d e-mails sent (%d new calls, %d closing), %d failed\n",
		res.Subscribers, res.Mailed, res.New, res.Closing, res.Failed)
	return err
}
