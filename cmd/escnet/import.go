package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/projects"
)

const importSynopsis = "cordis [--db DSN] [--topics FILE] [--strict] FILE..."

// runImport is "escnet import cordis": CORDIS project and organisation
// exports (both layouts) into the database.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "calls" {
		return runImportCalls(ctx, args[1:], stdout, stderr) // import_calls.go
	}
	fs := newFlagSet("import", importSynopsis, stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	topics := fs.String("topics", "", "CORDIS topics reference file (cordisref-topics.csv) for topic titles")
	strict := fs.Bool("strict", false, "check every row first and import nothing if any row is bad")
	batch := fs.Int("batch", 500, "rows per transaction")
	fs.Usage = importUsage(fs)
	items, err := parseInterleaved(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		fmt.Fprintln(stderr, "escnet import: name the source (cordis or calls) and the files")
		fs.Usage()
		return errUsage
	}
	if items[0] != "cordis" {
		fmt.Fprintf(stderr, "escnet import: unknown source %q: the sources are cordis and calls, named first\n", items[0])
		fs.Usage()
		return errUsage
	}
	files := items[1:]
	if *topics != "" {
		files = append(files, *topics)
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "escnet import cordis: name at least one CORDIS file")
		fs.Usage()
		return errUsage
	}
	if *batch < 1 || *batch > 5000 {
		return fmt.Errorf("--batch %d: use 1 to 5000", *batch)
	}
	var sources []projects.Source
	for _, f := range files {
		src, err := fileSource(f)
		if err != nil {
			return err
		}
		sources = append(sources, src)
	}

	a, _, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer a.Close()
	ctx = cliContext(ctx)

	rep := newReporter(stderr)
	start := time.Now()
	sum, err := a.Projects.ImportFiles(ctx, sources, projects.Options{
		Strict:    *strict,
		BatchSize: *batch,
		Progress:  rep.progress,
		Problem:   rep.problem,
	})
	rep.done()
	switch {
	case errors.Is(err, projects.ErrRejected):
		return fmt.Errorf("%d bad rows (listed above); --strict: nothing was imported", sum.Rejected)
	case errors.Is(err, projects.ErrBadFile):
		return fmt.Errorf("%w (see above)", err)
	case errors.Is(err, context.Canceled):
		printSummary(stdout, sum, time.Since(start))
		return errors.New("interrupted: run the same command again to resume after the last committed batch")
	case err != nil:
		return err
	}
	printSummary(stdout, sum, time.Since(start))
	return nil
}

func importUsage(fs *flag.FlagSet) func() {
	plain := fs.Usage
	return func() {
		plain()
		fmt.Fprint(fs.Output(), `
Reads CORDIS exports in either layout, recognised from the header: the
H2020/FP7 files (cordis-*projects.csv, cordis-*organizations.csv) and the
newer project.csv / organization.csv. Projects are imported before
organisations whatever the order given. Bad rows are reported as
FILE:LINE: COLUMN: PROBLEM and skipped; with --strict any bad row stops the
import before it writes. Importing the same files again changes nothing;
an interrupted import continues after its last committed batch when run
again.
`)
	}
}

// parseInterleaved parses flags that may come before, between or after
// the file names.
func parseInterleaved(fs *flag.FlagSet, args []string, stdout io.Writer) ([]string, error) {
	var files []string
	for {
		if err := parse(fs, args, stdout); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return files, nil
		}
		if rest[0] == "--" {
			return append(files, rest[1:]...), nil
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
}

func fileSource(path string) (projects.Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return projects.Source{}, err
	}
	if st.IsDir() {
		return projects.Source{}, fmt.Errorf("%s is a directory; name the CSV files", path)
	}
	return projects.Source{Name: filepath.Base(path), Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(path) }}, nil
}

// isTerminal reports whether w is a terminal (a character device), where
// a progress bar may redraw itself.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// reporter shows progress and problems on stderr: a bar redrawn in place
// on a terminal, plain lines elsewhere (logs, CI).
type reporter struct {
	w        io.Writer
	tty      bool
	last     time.Time
	lastPct  int
	barShown bool
	shown    int
	hidden   int
}

// maxShown is how many problems are printed; the summary counts them all.
const maxShown = 100

func newReporter(w io.Writer) *reporter { return &reporter{w: w, tty: isTerminal(w), lastPct: -1} }

func (r *reporter) clearBar() {
	if r.barShown {
		fmt.Fprintf(r.w, "\r%s\r", strings.Repeat(" ", 100))
		r.barShown = false
	}
}

func (r *reporter) problem(e cordis.RowError, warning bool) {
	if r.shown >= maxShown {
		r.hidden++
		return
	}
	r.shown++
	r.clearBar()
	if warning {
		fmt.Fprintf(r.w, "warning: %s\n", e.Error())
	} else {
		fmt.Fprintln(r.w, e.Error())
	}
}

func (r *reporter) progress(p projects.Progress) {
	pct := 100
	if p.TotalBytes > 0 {
		pct = int(p.Bytes * 100 / p.TotalBytes)
	}
	if r.tty {
		if time.Since(r.last) < 100*time.Millisecond && pct < 100 {
			return
		}
		r.last = time.Now()
		const width = 30
		filled := pct * width / 100
		line := fmt.Sprintf("%-9s [%s%s] %3d%%  %s / %s  %s rows  %d rejected  %s", p.Phase,
			strings.Repeat("#", filled), strings.Repeat("-", width-filled), pct,
			megabytes(p.Bytes), megabytes(p.TotalBytes), thousands(p.Rows), p.Rejected, p.File)
		if len(line) > 100 {
			line = line[:100]
		}
		fmt.Fprintf(r.w, "\r%-100s", line)
		r.barShown = true
		return
	}
	// Plain lines at every tenth of the way.
	if pct/10 == r.lastPct/10 && pct < 100 || pct == r.lastPct {
		return
	}
	r.lastPct = pct
	fmt.Fprintf(r.w, "%s: %d%% (%s of %s), %s rows, %d rejected, at %s\n", p.Phase, pct,
		megabytes(p.Bytes), megabytes(p.TotalBytes), thousands(p.Rows), p.Rejected, p.File)
}

func (r *reporter) done() {
	r.clearBar()
	if r.hidden > 0 {
		fmt.Fprintf(r.w, "... and %d more problems or warnings not shown\n", r.hidden)
	}
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// thousands writes n with thousands separators: 6,873.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func printSummary(w io.Writer, s projects.Summary, took time.Duration) {
	rows := 0
	for _, f := range s.Files {
		rows += f.Rows
	}
	fmt.Fprintf(w, "Imported %d files (%s rows) in %s.\n", len(s.Files), thousands(rows), took.Round(time.Millisecond))
	fmt.Fprintf(w, "  projects        %s new, %s updated, %s unchanged\n", thousands(s.Projects.New), thousands(s.Projects.Updated), thousands(s.Projects.Unchanged))
	fmt.Fprintf(w, "  organisations   %s new, %s updated, %s linked to organisations already in the directory\n",
		thousands(s.Organisations.New), thousands(s.Organisations.Updated), thousands(s.Linked))
	if n := len(s.Links.Linked); n > 0 || s.Links.Candidates > 0 {
		fmt.Fprintf(w, "  EU records      %s linked to organisations entered in the directory, %s more proposed (escnet orgs candidates)\n",
			thousands(n), thousands(s.Links.Candidates))
		for _, l := range s.Links.Linked {
			fmt.Fprintf(w, "                  %s ← %s (PIC %s)\n", l.Entered.Name, l.Record.Name, l.Record.PIC)
		}
	}
	fmt.Fprintf(w, "  participations  %s new, %s updated, %s unchanged\n", thousands(s.Participations.New), thousands(s.Participations.Updated), thousands(s.Participations.Unchanged))
	if s.Topics.New+s.Topics.Updated+s.Topics.Unchanged > 0 {
		fmt.Fprintf(w, "  topics          %s new, %s updated, %s unchanged\n", thousands(s.Topics.New), thousands(s.Topics.Updated), thousands(s.Topics.Unchanged))
	}
	fmt.Fprintf(w, "  rows rejected   %s\n", thousands(s.Rejected))
	if s.Warnings > 0 {
		fmt.Fprintf(w, "  warnings        %s (rows kept; see above)\n", thousands(s.Warnings))
	}
	for _, f := range s.Files {
		if f.Resumed > 0 {
			fmt.Fprintf(w, "  resumed         %s: %s rows committed by an earlier, interrupted run were skipped\n", f.Name, thousands(f.Resumed))
		}
	}
}
