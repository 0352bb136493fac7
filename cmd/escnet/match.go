package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/eval"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/validate"
)

// The partner finder, the consortium builder and the evaluation of the
// ranking on the command line: escnet partners, escnet consortium and
// escnet eval partners. They read the database as the application does
// (every organisation) and print text, or JSON with --json.

// listFlag is a flag that may be repeated and whose values may also be
// separated by commas.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// matchFlags are the flags the partner finder and the consortium builder
// share.
type matchFlags struct {
	dsn, call, text, lead *string
	locked, excluded      listFlag
	countries, kinds      listFlag
	roles, clusters       listFlag
	json                  *bool
}

func addMatchFlags(fs *flag.FlagSet) *matchFlags {
	m := &matchFlags{}
	m.dsn = fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	m.call = fs.String("call", "", "a call topic id (see /calls): its title, keywords and description are the query")
	m.text = fs.String("text", "", "a project idea, or more words for the call")
	m.lead = fs.String("lead", "", "the lead organisation: PIC, slug or id")
	fs.Var(&m.locked, "locked", "partners already in: PIC, slug or id (repeatable, or comma-separated)")
	fs.Var(&m.excluded, "exclude", "organisations to leave out: PIC, slug or id (repeatable, or comma-separated)")
	fs.Var(&m.countries, "country", "only organisations of these countries (ISO codes)")
	fs.Var(&m.kinds, "kind", "only organisations of these kinds (company, research, higher_education, public_body, other)")
	fs.Var(&m.roles, "role", "only practitioners of these roles (police, border_guard, first_responder, ...)")
	fs.Var(&m.clusters, "cluster", "only members of these clusters (slug, name or id)")
	m.json = fs.Bool("json", false, "print JSON instead of text")
	return m
}

func (m *matchFlags) liveFilter() live.Filter {
	return live.Filter{Countries: m.countries, Kinds: m.kinds, Roles: m.roles, Clusters: m.clusters}
}

// flagOf names the flag a request field comes from.
func flagOf(field string) string {
	base, _, _ := strings.Cut(strings.TrimPrefix(field, "filter."), "[")
	switch base {
	case "excluded":
		return "--exclude"
	case "countries":
		return "--country"
	case "kinds":
		return "--kind"
	case "roles":
		return "--role"
	case "clusters":
		return "--cluster"
	}
	return "--" + base
}

// cliError turns a refused request into one line that names the flags.
func cliError(err error) error {
	var ve validate.Errors
	if !errors.As(err, &ve) {
		return err
	}
	parts := make([]string, len(ve))
	for i, fe := range ve {
		msg := validate.Message(fe)
		if d, ok := fe.Args["detail"].(string); ok {
			msg = d // the matcher's own words
		} else if fe.Code == validate.NotFound && fe.Field == "call" {
			msg = "no such call (see /calls, or escnet import calls)"
		} else if fe.Code == validate.NotFound {
			msg = "not known"
		}
		parts[i] = flagOf(fe.Field) + ": " + msg
	}
	return errors.New(strings.Join(parts, "; "))
}

// openMatch opens the database and the partner finder over it.
func openMatch(ctx context.Context, dsn string) (*live.Service, func(), error) {
	a, _, err := openApp(ctx, dsn, io.Discard, app.Config{})
	if err != nil {
		return nil, nil, err
	}
	return a.Match, func() { a.Close() }, nil
}

const partnersSynopsis = "[--db DSN] (--call ID | --text TEXT) [--lead PIC|SLUG|ID] [--locked ...] [--exclude ...] [--country CC] [--kind K] [--role R] [--cluster C] [--limit N] [--json]"

// runPartners is "escnet partners": organisations ranked as partners for
// a call or an idea, with the reasons.
func runPartners(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("partners", partnersSynopsis, stderr)
	m := addMatchFlags(fs)
	limit := fs.Int("limit", 20, fmt.Sprintf("how many organisations, best first (1–%d)", match.MaxLimit))
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if strings.TrimSpace(*m.call) == "" && strings.TrimSpace(*m.text) == "" {
		fmt.Fprintln(stderr, "escnet partners: give --call or --text (or both)")
		fs.Usage()
		return errUsage
	}
	if *limit < 1 || *limit > match.MaxLimit {
		return fmt.Errorf("--limit %d: use 1 to %d", *limit, match.MaxLimit)
	}
	svc, done, err := openMatch(ctx, *m.dsn)
	if err != nil {
		return err
	}
	defer done()
	res, err := svc.Partners(access.WithScope(ctx, access.System), live.PartnerRequest{Call: *m.call, Text: *m.text, Lead: *m.lead,
		Locked: m.locked, Excluded: m.excluded, Filter: m.liveFilter(), Limit: *limit})
	if err != nil {
		return cliError(err)
	}
	if *m.json {
		return printJSON(stdout, res.Partners)
	}
	what := "the idea"
	if res.Call != "" {
		what = res.Call
	}
	fmt.Fprintf(stdout, "Partners for %s: %d of %d organisations reached", what, len(res.Partners), res.Candidates)
	if len(res.Terms) > 0 {
		fmt.Fprintf(stdout, "; the words that counted most: %s", strings.Join(res.Terms, ", "))
	}
	fmt.Fprintln(stdout, ".")
	if len(res.Needs) > 0 {
		fmt.Fprintf(stdout, "Capabilities needed (read from the text): %s.\n", strings.Join(res.Needs, ", "))
	}
	for i, p := range res.Partners {
		fmt.Fprintf(stdout, "%3d. %s (%s)  score %.3f\n", i+1, p.Name, describeOrg(p.Ranked, p.PIC, p.Slug), p.Score)
		for _, re := range p.Reasons {
			fmt.Fprintf(stdout, "     - %s\n", re.Text)
		}
	}
	return nil
}

// describeOrg says where an organisation is and how to name it.
func describeOrg(r match.Ranked, pic, slug string) string {
	parts := []string{}
	if r.Country != "" {
		parts = append(parts, r.Country)
	}
	if r.Kind != "" {
		parts = append(parts, r.Kind)
	}
	if pic != "" {
		parts = append(parts, "PIC "+pic)
	}
	if slug != "" {
		parts = append(parts, slug)
	}
	return strings.Join(parts, ", ")
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

const consortiumSynopsis = "[--db DSN] --call ID [--lead PIC|SLUG|ID] [--locked ...] [--exclude ...] [--size N] [--proposals N] [--budget EUR] [--json]"

// runConsortium is "escnet consortium": consortia that satisfy a call's
// eligibility rules, with what each partner brings.
func runConsortium(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("consortium", consortiumSynopsis, stderr)
	m := addMatchFlags(fs)
	size := fs.Int("size", 0, fmt.Sprintf("partners per consortium, lead included (0: %d, or what the call's rules need)", live.DefaultSize))
	proposals := fs.Int("proposals", match.DefaultProposals, fmt.Sprintf("alternative consortia (1–%d)", match.MaxProposals))
	budget := fs.Float64("budget", 0, "the EU contribution to divide among the partners, in euros (0: the call's budget per project)")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if strings.TrimSpace(*m.call) == "" {
		fmt.Fprintln(stderr, "escnet consortium: give --call")
		fs.Usage()
		return errUsage
	}
	if *size < 0 || *size > match.MaxConsortiumSize {
		return fmt.Errorf("--size %d: use 1 to %d", *size, match.MaxConsortiumSize)
	}
	if *proposals < 1 || *proposals > match.MaxProposals {
		return fmt.Errorf("--proposals %d: use 1 to %d", *proposals, match.MaxProposals)
	}
	if *budget < 0 || *budget > 1e12 {
		return fmt.Errorf("--budget %v: give an amount in euros", *budget)
	}
	svc, done, err := openMatch(ctx, *m.dsn)
	if err != nil {
		return err
	}
	defer done()
	res, err := svc.Consortium(access.WithScope(ctx, access.System), live.ConsortiumRequest{Call: *m.call, Text: *m.text, Lead: *m.lead,
		Locked: m.locked, Excluded: m.excluded, Filter: m.liveFilter(), Size: *size, Proposals: *proposals,
		Budget: int64(math.Round(*budget * 100))})
	var ie *live.InfeasibleError
	if errors.As(err, &ie) {
		return ie.InfeasibleError
	}
	if err != nil {
		return cliError(err)
	}
	if *m.json {
		return printJSON(stdout, res.Proposals)
	}
	fmt.Fprintf(stdout, "Consortia for %s (%s), %d partners each", res.Call, res.Status, res.Size)
	if res.Budget > 0 {
		fmt.Fprintf(stdout, ", sharing %s", euros(res.Budget))
	}
	fmt.Fprintln(stdout, "; the call's rules:")
	for i, r := range res.Rules {
		fmt.Fprintf(stdout, "  [%d] %s\n", i+1, r.Describe())
	}
	for n, p := range res.Proposals {
		fmt.Fprintf(stdout, "\nProposal %d: score %.2f (relevance %.2f, triple helix %.2f, countries %.2f, clusters %.2f, coverage %.2f)\n",
			n+1, p.Score, p.Parts.Relevance, p.Parts.Helix, p.Parts.Countries, p.Parts.Clusters, p.Parts.Coverage)
		for i, mem := range p.Members {
			role := ""
			switch {
			case mem.Lead:
				role = "  [lead]"
			case mem.Locked:
				role = "  [locked]"
			}
			fmt.Fprintf(stdout, "%3d. %s (%s)%s\n", i+1, mem.Name, describeOrg(mem.Ranked, mem.PIC, mem.Slug), role)
			if res.Budget > 0 {
				fmt.Fprintf(stdout, "     budget %s (%.2f%%)\n", euros(mem.BudgetCents), mem.BudgetPercent)
			} else {
				fmt.Fprintf(stdout, "     budget %.2f%%\n", mem.BudgetPercent)
			}
			if len(mem.Rules) > 0 {
				idx := make([]string, len(mem.Rules))
				for k, ri := range mem.Rules {
					idx[k] = fmt.Sprintf("[%d]", ri+1)
				}
				fmt.Fprintf(stdout, "     counts toward %s\n", strings.Join(idx, " "))
			}
			for _, re := range mem.Reasons {
				if re.Kind != match.ReasonProfile && re.Kind != match.ReasonCluster {
					fmt.Fprintf(stdout, "     - %s\n", re.Text)
				}
			}
		}
		for i, r := range p.Results {
			mark := "met"
			if !r.Satisfied {
				mark = "NOT MET"
			}
			fmt.Fprintf(stdout, "  [%d] %s: %d of %d\n", i+1, mark, r.Have, r.Need)
		}
		for _, r := range p.Budget.Results {
			mark := "met"
			if !r.Satisfied {
				mark = "NOT MET"
			}
			fmt.Fprintf(stdout, "  budget: %s: %s (%d%%)\n", r.Rule.Describe(), mark, r.Have)
		}
		if len(p.Uncovered) > 0 {
			fmt.Fprintf(stdout, "  not covered: %s\n", strings.Join(p.Uncovered, ", "))
		}
	}
	return nil
}

const evalSynopsis = "partners [--db DSN] --cutoff YYYY-MM-DD [--until YYYY-MM-DD] [--json]"

// runEval is "escnet eval partners": the replay of history that measures
// the partner finder (internal/match/eval) on the projects in the
// database.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "partners" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprintf(stdout, "Usage: escnet eval %s\n", evalSynopsis)
			return nil
		}
		fmt.Fprintf(stderr, "Usage: escnet eval %s\n", evalSynopsis)
		return errUsage
	}
	fs := newFlagSet("eval partners", "--cutoff YYYY-MM-DD [--db DSN] [--until YYYY-MM-DD] [--json]", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	cutoff := fs.String("cutoff", "", "evaluate the projects starting on or after this day, each ranked from the projects before it")
	until := fs.String("until", "", "leave out projects starting on or after this day, as if the data ended there (for tuning)")
	asJSON := fs.Bool("json", false, "print the report as JSON instead of the Markdown tables")
	fs.Usage = evalUsage(fs)
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	if strings.TrimSpace(*cutoff) == "" {
		fmt.Fprintln(stderr, "escnet eval partners: give --cutoff YYYY-MM-DD")
		fs.Usage()
		return errUsage
	}
	for name, v := range map[string]string{"cutoff": *cutoff, "until": *until} {
		if _, err := time.Parse(time.DateOnly, v); v != "" && err != nil {
			return fmt.Errorf("--%s %q: not a date: write it as YYYY-MM-DD", name, v)
		}
	}
	a, _, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer a.Close()
	db := a.DB
	start := time.Now()
	data, err := db.MatchData(access.WithScope(ctx, access.System))
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "read %d organisations and %d projects in %.1f s; replaying...\n", len(data.Orgs), len(data.Projects), time.Since(start).Seconds())
	rep, err := eval.Run(data.Snapshot(), *cutoff, eval.Options{Until: *until})
	var ce *eval.CutoffError
	if errors.As(err, &ce) {
		return fmt.Errorf("--cutoff %q: %s", ce.Cutoff, ce.Problem)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, rep)
	}
	fmt.Fprint(stdout, rep.Table())
	fmt.Fprintf(stderr, "took %.1f s\n", time.Since(start).Seconds())
	return nil
}

func evalUsage(fs *flag.FlagSet) func() {
	plain := fs.Usage
	return func() {
		plain()
		fmt.Fprint(fs.Output(), `
Replays history on the projects in the database: for each collaborative
project (RIA, IA or CSA with at least 3 partners and a coordinator) that
starts on or after the cutoff, the partner finder ranks organisations from
the projects that started before it, with the coordinator as the lead, and
the project's real partners are the answers. Prints recall@10/20/50 and
nDCG@20 of escnet and of three baselines (docs/benchmarks.md).
`)
	}
}

// euros writes cents as "EUR 1 500 000.00".
func euros(cents int64) string {
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("EUR %s.%02d", b.String(), cents%100)
}
