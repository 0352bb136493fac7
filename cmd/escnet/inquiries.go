package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/csvexport"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

const inquiriesUsage = `Usage: escnet inquiries list [--cluster C] [--state S] [--db DSN]
       escnet inquiries show NUMBER|ID [--db DSN]
       escnet inquiries stats [--csv] [--db DSN]

  The questions asked to the alliance, for desk staff working on the
  server: list them (newest first), show one with its thread (internal
  notes included), or print the statistics per cluster, domain,
  requester kind and month (a table, or CSV with --csv).
`

func runInquiries(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		out := stdout
		if len(args) == 0 {
			out = stderr
		}
		fmt.Fprint(out, inquiriesUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	sub, rest := args[0], args[1:]
	fs := newFlagSet("inquiries "+sub, "[flags]", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	cluster := fs.String("cluster", "", "only questions held by or offered to this cluster (id or slug)")
	state := fs.String("state", "", "only questions in this state: "+strings.Join(inquiries.States, ", "))
	asCSV := fs.Bool("csv", false, "statistics as CSV")
	var positional []string
	for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		positional, rest = append(positional, rest[0]), rest[1:]
	}
	if err := parse(fs, rest, stdout); err != nil {
		return err
	}
	a, _, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer a.Close()
	ctx = cliContext(ctx)
	db, svc := a.DB, a.Inquiries
	switch sub {
	case "list":
		return listInquiries(ctx, db, stdout, *cluster, *state)
	case "show":
		if len(positional) != 1 {
			fmt.Fprintf(stderr, "escnet inquiries show: name one question by number or id\n\n%s", inquiriesUsage)
			return errUsage
		}
		return showInquiry(ctx, db, svc, stdout, positional[0])
	case "stats":
		rows, err := svc.Stats(ctx)
		if err != nil {
			return err
		}
		return printStats(stdout, rows, *asCSV)
	}
	fmt.Fprintf(stderr, "escnet inquiries: unknown subcommand %q\n\n%s", sub, inquiriesUsage)
	return errUsage
}

func listInquiries(ctx context.Context, db *sqlstore.DB, stdout io.Writer, cluster, state string) error {
	f := inquiries.Filter{All: true, State: state}
	if cluster != "" {
		id, err := db.ClusterExists(ctx, cluster)
		if err != nil {
			return err
		}
		f = inquiries.Filter{Clusters: []string{id}, State: state}
	}
	items, err := db.ListInquiries(ctx, f)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tRECEIVED\tSTATE\tCLUSTER\tURGENCY\tQUESTION")
	for _, q := range items {
		question := q.Question
		if len([]rune(question)) > 60 {
			question = string([]rune(question)[:57]) + "..."
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", q.Number, q.CreatedAt.Format("2006-01-02 15:04"), q.State, q.ClusterName, q.Urgency,
			strings.ReplaceAll(question, "\n", " "))
	}
	return tw.Flush()
}

func showInquiry(ctx context.Context, db *sqlstore.DB, svc *inquiries.Service, stdout io.Writer, key string) error {
	id := key
	if n, err := strconv.Atoi(key); err == nil {
		items, err := db.ListInquiries(ctx, inquiries.Filter{All: true})
		if err != nil {
			return err
		}
		for _, q := range items {
			if q.Number == n {
				id = q.ID
			}
		}
	}
	q, err := db.GetInquiry(ctx, id)
	if err != nil {
		return err
	}
	msgs, err := db.Messages(ctx, q.ID, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Question %d (%s), %s, held by %s, TLP:%s\n", q.Number, q.ID, q.State, q.ClusterName, q.TLP)
	fmt.Fprintf(stdout, "Received %s from %s (%s, %s), urgency %s, language %s\n", q.CreatedAt.Format("2006-01-02 15:04"),
		orDash(q.RequesterName), q.RequesterKind, q.Country, q.Urgency, q.Lang)
	fmt.Fprintf(stdout, "Capabilities: %s\n\n%s\n", orDash(strings.Join(q.Capabilities, ", ")), q.Question)
	for _, a := range q.Assignments {
		fmt.Fprintf(stdout, "Expert: %s (%s): %s %s\n", a.PersonName, a.OrganisationName, a.State, a.Reason)
	}
	if q.Open() {
		if err := printSuggestions(ctx, svc, stdout, q); err != nil {
			return err
		}
	}
	for _, m := range msgs {
		note := ""
		if m.Internal {
			note = " [internal]"
		}
		fmt.Fprintf(stdout, "\n--- %s %s%s\n%s\n", m.CreatedAt.Format("2006-01-02 15:04"), orDash(m.AuthorName), note, m.Body)
	}
	return nil
}

// printSuggestions lists the routing of an open case: what the desk
// would see on its page (the command line sees everything).
func printSuggestions(ctx context.Context, svc *inquiries.Service, stdout io.Writer, q inquiries.Inquiry) error {
	r, err := svc.Router(ctx)
	if err != nil {
		return err
	}
	sug := r.Suggest(inquiries.Query{Text: q.Question, Lang: q.Lang, Country: q.Country, Scope: access.ScopeFrom(ctx)})
	names := func(list []inquiries.Suggestion) string {
		var out []string
		for _, s := range list {
			if s.OrgName != "" {
				out = append(out, s.Name+" ("+s.OrgName+")")
			} else {
				out = append(out, s.Name)
			}
		}
		return orDash(strings.Join(out, "; "))
	}
	fmt.Fprintf(stdout, "Suggested experts: %s\nSuggested organisations: %s\nSuggested facilities: %s\nSuggested practices: %s\n",
		names(sug.Experts), names(sug.Organisations), names(sug.Facilities), names(sug.Practices))
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func printStats(stdout io.Writer, rows []inquiries.StatsRow, asCSV bool) error {
	if asCSV {
		cw := csvexport.New(stdout)
		cw.Write("dimension", "key", "received", "answered", "answered_share", "median_hours", "p90_hours", "handoffs", "rated", "satisfaction")
		for _, r := range rows {
			cw.Write(r.Dimension, r.Key, strconv.Itoa(r.Received), strconv.Itoa(r.Answered), fmt.Sprintf("%.3f", r.AnsweredShare),
				fmt.Sprintf("%.1f", r.MedianHours), fmt.Sprintf("%.1f", r.P90Hours), strconv.Itoa(r.Handoffs), strconv.Itoa(r.Rated),
				fmt.Sprintf("%.2f", r.Satisfaction))
		}
		return cw.Flush()
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DIMENSION\tKEY\tRECEIVED\tANSWERED\tMEDIAN H\tP90 H\tHAND-OFFS\tSATISFACTION")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f %%\t%.1f\t%.1f\t%d\t%.1f\n", r.Dimension, orDash(r.Key), r.Received, 100*r.AnsweredShare,
			r.MedianHours, r.P90Hours, r.Handoffs, r.Satisfaction)
	}
	return tw.Flush()
}
