// Command escnet is the platform of the European alliance of safety and
// security clusters: web pages, JSON API and command-line tools in one
// binary.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=..."; the VCS
// revision is used otherwise.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if dirty {
				rev += "-dirty"
			}
			return "dev-" + rev
		}
	}
	return "dev"
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "serve the web pages, the JSON API, /healthz and /metrics", runServe},
		{"migrate", "apply pending database migrations and print the schema version", runMigrate},
		{"import", "import CORDIS projects (import cordis FILE...) or call topics (import calls FILE)", runImport},
		{"orgs", "duplicate organisations: candidates, merge, unmerge, distinct", runOrgs},
		{"bench", "measure: bench http (requests/s per route against hello-world), bench import (CORDIS import against bulk load)", runBench},
		{"user", "add, list and change accounts and roles; issue password reset links", runUser},
		{"facilities", "import shared facilities from CSV for their owners (facilities import)", runFacilities},
		{"events", "events: list, attendees EVENT, schedule EVENT (the 1:1 meeting scheduler)", runEvents},
		{"backup", "copy the database into a new file (SQLite), or print the pg_dump command", runBackup},
		{"restore", "replace the database with a backup (SQLite), or print the pg_restore command", runRestore},
		{"partners", "rank partners for a call or an idea, with the reasons", runPartners},
		{"consortium", "propose consortia that meet a call's eligibility rules", runConsortium},
		{"calls", "jobs on the calls: calls digest (e-mail members the new and closing calls that match them)", runCalls},
		{"practices", "the practices library as Markdown files with front matter: practices import|export --dir DIR", runPractices},
		{"exchanges", "the exchange of people: exchanges list", runExchanges},
		{"postings", "partner search postings: postings list [--call ID] [--kind seek|offer]", runPostings},
		{"eval", "measure the partner finder by replaying history: eval partners --cutoff DATE", runEval},
		{"inquiries", "questions to the alliance for desk staff: inquiries list|show|stats", runInquiries},
		{"roadmap", "the joint roadmap: roadmap remind (e-mail the owners of overdue items, once)", runRoadmap},
		{"version", "print the version", runVersion},
		{"help", "show help for escnet or one of its commands", runHelp},
	}
}

// errUsage marks an error in the command line; main exits with 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "escnet: "+oneLine(err))
		os.Exit(1)
	}
}

func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errUsage
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "-help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "escnet: unknown command %q\n\n", name)
	usage(stderr)
	return errUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "escnet %s — the platform of the European alliance of safety & security clusters\n\nUsage:\n  escnet <command> [flags]\n\nCommands:\n", versionString())
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'escnet help <command>' or 'escnet <command> -h' for a command's flags.\nEvery flag can also be set by an environment variable: --db is ESCNET_DB, --admin-token is ESCNET_ADMIN_TOKEN.\n")
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "", stderr)
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "escnet %s\n", versionString())
	return nil
}

func runHelp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] && c.name != "help" {
			return c.run(ctx, []string{"-h"}, stdout, stdout)
		}
	}
	fmt.Fprintf(stderr, "escnet: unknown command %q\n", args[0])
	return errUsage
}

// newFlagSet makes a flag set whose usage lists each flag with its
// environment variable.
func newFlagSet(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: escnet %s %s\n", name, synopsis)
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if len(names) == 0 {
			return
		}
		sort.Strings(names)
		fmt.Fprintln(out, "\nFlags:")
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if f.DefValue != "" && f.DefValue != "false" {
				def = fmt.Sprintf(" (default %q)", f.DefValue)
			}
			fmt.Fprintf(out, "  --%-14s %s%s [$%s]\n", f.Name, f.Usage, def, envName(f.Name))
		})
	}
	return fs
}

func envName(flagName string) string {
	return "ESCNET_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parse parses args, then fills every flag not given on the command line
// from its environment variable. The command line wins over the
// environment.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	// Asked-for help goes to stdout (so it can be paged); usage after a
	// mistake goes to stderr.
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			fs.SetOutput(stdout)
		}
		if a == "--" {
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			if serr := fs.Set(f.Name, v); serr != nil {
				err = fmt.Errorf("%s=%q: %v", envName(f.Name), v, serr)
			}
		}
	})
	if err == nil && fs.NArg() > 0 && fs.Name() != "import" {
		err = fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return err
}
