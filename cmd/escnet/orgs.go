package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

const orgsSynopsis = "candidates|merges|merge|unmerge|distinct|link [flags]"

// runOrgs is "escnet orgs": duplicate organisations for an administrator —
// list likely duplicates, merge two, undo a merge, mark a pair distinct.
func runOrgs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		w := stderr
		if len(args) > 0 {
			w = stdout
		}
		fmt.Fprintf(w, `Usage: escnet orgs %s

  candidates [--limit N]            pairs of organisations that look like one
  merges [--limit N]                merges done, newest first, with their ids
  merge --into ORG --from ORG       merge FROM into INTO (id or slug); audited
  unmerge --merge ID                undo a merge: FROM comes back as it was
  distinct --a ORG --b ORG          mark a pair as different organisations
  link [--org ORG]                  link organisations entered in the directory (all, or
                                    ORG) to their EU (CORDIS) records; audited, undone
                                    with unmerge; weaker evidence becomes candidates

Every subcommand takes --db DSN (or ESCNET_DB).
`, orgsSynopsis)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("orgs "+sub, "", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	var into, from, merge, a, b, org *string
	var limit *int
	switch sub {
	case "link":
		org = fs.String("org", "", "only this organisation (id or slug)")
	case "candidates", "merges":
		limit = fs.Int("limit", 100, "how many to list")
	case "merge":
		into = fs.String("into", "", "the organisation to keep (id or slug)")
		from = fs.String("from", "", "the organisation merged into it (id or slug)")
	case "unmerge":
		merge = fs.String("merge", "", "the id of the merge to undo (see escnet orgs merges)")
	case "distinct":
		a = fs.String("a", "", "one organisation (id or slug)")
		b = fs.String("b", "", "the other organisation (id or slug)")
	default:
		fmt.Fprintf(stderr, "escnet orgs: unknown subcommand %q: use %s\n", sub, orgsSynopsis)
		return errUsage
	}
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	var err error
	switch sub {
	case "merge":
		err = projects.ValidateMerge(*into, *from)
	case "unmerge":
		if *merge == "" {
			err = fmt.Errorf("orgs unmerge: --merge is required")
		}
	case "distinct":
		err = projects.ValidatePair(*a, *b)
	}
	if err != nil {
		return err
	}
	application, _, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer application.Close()
	ctx = cliContext(ctx)
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	defer tw.Flush()

	if sub == "link" {
		err = orgsLink(ctx, application.Projects, stdout, *org)
	} else {
		err = orgsRun(ctx, application.Projects, tw, stdout, sub, limit, into, from, merge, a, b)
	}
	var ce *store.ConflictError
	switch {
	case errors.As(err, &ce) && ce.Code == projects.AlreadyUndone:
		return fmt.Errorf("merge %s was undone already", *merge)
	case errors.As(err, &ce) && ce.Code == projects.AlreadyMerged:
		return fmt.Errorf("refused: %s was merged into another organisation already", *from)
	case errors.As(err, &ce):
		return fmt.Errorf("refused: %s %s", ce.Field, validate.Message(validate.FieldError{Field: ce.Field, Code: ce.Code}))
	}
	return err
}

func orgsRun(ctx context.Context, svc *projects.Service, tw *tabwriter.Writer, stdout io.Writer, sub string, limit *int, into, from, merge, a, b *string) error {
	switch sub {
	case "candidates":
		cs, total, err := svc.Candidates(ctx, 1000)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "REASON\tA\tB\n")
		for i, c := range cs {
			if i == *limit {
				break
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Reason+evidence(c.Evidence), describe(c.A), describe(c.B))
		}
		tw.Flush()
		fmt.Fprintf(stdout, "%d candidate pairs. Merge one with: escnet orgs merge --into SLUG --from SLUG; or mark it: escnet orgs distinct --a SLUG --b SLUG\n", total)
	case "merges":
		ms, err := svc.Merges(ctx, *limit)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "ID\tMERGED\tBY\tFROM\tINTO\tUNDONE\n")
		for _, m := range ms {
			undone := ""
			if m.UndoneAt != nil {
				undone = m.UndoneAt.Format("2006-01-02 15:04") + " by " + m.UndoneBy
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.MergedAt.Format("2006-01-02 15:04"), m.Actor, describe(m.From), describe(m.Into), undone)
		}
	case "merge":
		m, err := svc.Merge(ctx, *into, *from)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Merged %s into %s (merge %s): moved %d participations, %d people, %d facilities; added %d memberships, %d identifiers.\nUndo with: escnet orgs unmerge --merge %s\n",
			describe(m.From), describe(m.Into), m.ID, m.Moved.Participations, m.Moved.People, m.Moved.Facilities,
			m.Moved.Memberships, m.Moved.Identifiers, m.ID)
	case "unmerge":
		m, err := svc.Undo(ctx, *merge)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Undid merge %s: %s is back, separate from %s.\n", m.ID, describe(m.From), describe(m.Into))
	case "distinct":
		if err := svc.MarkDistinct(ctx, *a, *b); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Marked %s and %s as different organisations.\n", *a, *b)
	}
	return nil
}

func describe(o projects.OrgRef) string {
	s := o.Name
	if o.Slug != "" {
		s += " [" + o.Slug + "]"
	}
	if o.Country != "" {
		s += " " + o.Country
	}
	if o.PIC != "" {
		s += " PIC " + o.PIC
	}
	return s
}

// orgsLink is "escnet orgs link": a run of the linker.
func orgsLink(ctx context.Context, svc *projects.Service, stdout io.Writer, org string) error {
	var only []string
	if org != "" {
		only = []string{org}
	}
	run, err := svc.LinkOrganisations(ctx, only...)
	if err != nil {
		return err
	}
	for _, l := range run.Linked {
		fmt.Fprintf(stdout, "Linked %s ← %s (PIC %s):%s\n", describe(l.Entered), l.Record.Name, l.Record.PIC, evidence(l.Evidence.Reasons))
	}
	fmt.Fprintf(stdout, "%d linked, %d refused, %d more proposed as candidates (escnet orgs candidates). Undo a link with: escnet orgs unmerge --merge ID (see escnet orgs merges)\n",
		len(run.Linked), run.Refused, run.Candidates)
	return nil
}

// evidence writes the linker's reasons in brief.
func evidence(rs []projects.LinkReason) string {
	if len(rs) == 0 {
		return ""
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Code
		if r.Value != "" {
			parts[i] += "=" + r.Value
		}
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
