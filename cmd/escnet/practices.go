package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/practices"
)

// runPractices is "escnet practices import|export DIR": the library as a
// folder of Markdown files with front matter, one file per language
// version (see practices.File).
func runPractices(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		fmt.Fprintln(stderr, "Usage: escnet practices import|export [--db DSN] --dir DIR")
		return errUsage
	}
	sub := args[0]
	fs := newFlagSet("practices "+sub, "[--db DSN] --dir DIR", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	dirFlag := fs.String("dir", "", "the folder of Markdown files with front matter")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	if *dirFlag == "" {
		fmt.Fprintln(stderr, "escnet practices: --dir is required")
		return errUsage
	}
	dir := *dirFlag
	a, _, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer a.Close()
	ctx = cliContext(ctx)
	svc := a.Practices
	if sub == "export" {
		return exportPractices(ctx, svc, dir, stdout)
	}
	return importPractices(ctx, svc, dir, stdout)
}

// exportPractices writes every entry but RED ones (a bulk export never
// holds RED) as <entry>.<lang>.md files.
func exportPractices(ctx context.Context, svc *practices.Service, dir string, stdout io.Writer) error {
	es, err := svc.Export(ctx, practices.Filter{})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	n := 0
	for _, e := range es {
		for _, t := range e.Texts {
			f := practices.File{Entry: e.ID, Kind: e.Kind, Organisation: e.OrganisationSlug, Axis: e.Axis, Visibility: e.Visibility, TLP: e.TLP,
				Capabilities: e.Capabilities, Text: t}
			if err := os.WriteFile(filepath.Join(dir, e.ID+"."+t.Lang+".md"), []byte(practices.FormatFile(f)), 0o640); err != nil {
				return err
			}
			n++
		}
	}
	fmt.Fprintf(stdout, "Exported %d entries (%d language versions) to %s; RED entries are never exported.\n", len(es), n, dir)
	return nil
}

// importPractices reads every .md file of dir, groups the versions of
// each entry and creates the entries; a bad file stops the import before
// anything is written.
func importPractices(ctx context.Context, svc *practices.Service, dir string, stdout io.Writer) error {
	names, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	files := map[string]practices.File{}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		f, err := practices.ParseFile(string(b))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		files[filepath.Base(name)] = f
	}
	n := 0
	for _, g := range practices.Group(files) {
		first := g[0]
		first.Text.Original = true
		vis, tlp := first.Visibility, first.TLP
		in := practices.EntryInput{Kind: first.Kind, OrganisationID: first.Organisation, Axis: first.Axis, Capabilities: first.Capabilities,
			Texts: []practices.Text{first.Text}}
		if vis != "" {
			in.Visibility = &vis
		}
		if tlp != "" {
			in.TLP = &tlp
		}
		e, err := svc.Create(ctx, in)
		if err != nil {
			return fmt.Errorf("entry %q (%s): %w", first.Text.Title, first.Entry, err)
		}
		for _, f := range g[1:] {
			f.Text.Original = false
			if _, err := svc.AddText(ctx, e.ID, f.Text); err != nil {
				return fmt.Errorf("entry %q, version %s: %w", first.Text.Title, f.Text.Lang, err)
			}
		}
		n++
	}
	fmt.Fprintf(stdout, "Imported %d entries from %d files.\n", n, len(files))
	return nil
}

// runExchanges is "escnet exchanges list": the offers, requests and
// applications, as the alliance sees them.
func runExchanges(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		fmt.Fprintln(stderr, "Usage: escnet exchanges list [--db DSN]")
		return errUsage
	}
	fs := newFlagSet("exchanges list", "[--db DSN]", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	a, _, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer a.Close()
	ctx = cliContext(ctx)
	svc, db := a.Exchanges, a.DB
	offers, err := svc.Offers(ctx)
	if err != nil {
		return err
	}
	requests, err := svc.Requests(ctx)
	if err != nil {
		return err
	}
	apps, err := db.ListApplications(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OFFER\tHOST\tKIND\tTOPIC\tFROM\tTO\tLANG")
	for _, o := range offers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.ID, o.HostName, strings.ReplaceAll(o.Kind, "_", " "), o.Topic, o.StartsOn, o.EndsOn, o.Language)
	}
	fmt.Fprintln(tw, "\nREQUEST\tTOPIC\tFROM\tTO\tLANG\t\t")
	for _, r := range requests {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\t\n", r.ID, r.Topic, r.StartsOn, r.EndsOn, r.Language)
	}
	fmt.Fprintln(tw, "\nAPPLICATION\tOFFER\tFROM\tTO\tSTATUS\tCROSS-SECTOR\t")
	for _, a := range apps {
		st, _ := svc.Get(ctx, a.ID)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%v\t\n", a.ID, a.OfferID, a.StartsOn, a.EndsOn, st.Status, a.CrossSector)
	}
	return tw.Flush()
}
