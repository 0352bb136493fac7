package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/postings"
)

const postingsSynopsis = "list [--db DSN] [--call ID] [--kind seek|offer]"

// runPostings is "escnet postings list": the partner search postings that
// have not expired, newest first, with how many organisations are
// interested.
func runPostings(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		fmt.Fprintln(stderr, "Usage: escnet postings "+postingsSynopsis)
		return errUsage
	}
	fs := newFlagSet("postings list", postingsSynopsis, stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	call := fs.String("call", "", "only postings for this call topic")
	kind := fs.String("kind", "", "seek (partners sought) or offer (expertise offered)")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	if *kind != "" && *kind != postings.KindSeek && *kind != postings.KindOffer {
		fmt.Fprintf(stderr, "escnet postings list: --kind %q: use seek or offer\n", *kind)
		return errUsage
	}
	a, _, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer a.Close()
	ps, err := a.Postings.List(cliContext(ctx), postings.Filter{CallID: *call, Kind: *kind})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "POSTING\tKIND\tORGANISATION\tCALL\tTITLE\tEXPIRES\tVISIBILITY\tINTERESTED")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", p.ID, p.Kind, p.OrganisationSlug, dash(p.CallID), strings.TrimSpace(p.Title),
			p.ExpiresOn, p.Visibility, p.Interests)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
