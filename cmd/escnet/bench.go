package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/benchmarks"
	"github.com/escnet/escnet/internal/store"
)

// runBench is "escnet bench import": the CORDIS import against the
// engine's own bulk load of the same rows, with time and peak memory, as
// recorded in docs/benchmarks.md.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "http [flags] (see escnet bench http -h) | import [--engine sqlite|postgres|both] [--pg DSN] [--data DIR] [--synthetic N]", stderr)
	eng := fs.String("engine", "sqlite", "sqlite, postgres or both")
	pg := fs.String("pg", "", "PostgreSQL server to measure on (a fresh schema is made and dropped), e.g. postgres://postgres@127.0.0.1/test")
	data := fs.String("data", "../shared/data/cordis", "directory with the four CORDIS files (skipped when absent; \"\" to skip)")
	synthetic := fs.Int("synthetic", 0, "also measure a generated data set with this many participations (e.g. 1000000)")
	seed := fs.Uint64("seed", 1, "seed of the generator")
	tmp := fs.String("tmp", "", "directory for generated files and SQLite databases (default: the system's)")
	if len(args) > 0 && args[0] == "http" {
		return runBenchHTTP(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "import" {
		if err := parse(fs, args, stdout); err != nil {
			return err
		}
		fs.Usage()
		return errUsage
	}
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	var engines []store.Engine
	switch *eng {
	case "sqlite":
		engines = []store.Engine{store.SQLite}
	case "postgres":
		engines = []store.Engine{store.Postgres}
	case "both":
		engines = []store.Engine{store.SQLite, store.Postgres}
	default:
		return fmt.Errorf("--engine %q: use sqlite, postgres or both", *eng)
	}
	for _, e := range engines {
		if e == store.Postgres && *pg == "" {
			return fmt.Errorf("--engine %s needs --pg DSN", *eng)
		}
	}
	dir, err := os.MkdirTemp(*tmp, "escnet-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	type dataset struct {
		name  string
		paths []string
	}
	var sets []dataset
	if *data != "" {
		var paths []string
		for _, f := range []string{"cordis-fp7projects.csv", "cordis-h2020projects.csv", "cordis-fp7organizations.csv", "cordis-h2020organizations.csv"} {
			p := filepath.Join(*data, f)
			if _, err := os.Stat(p); err != nil {
				paths = nil
				fmt.Fprintf(stderr, "escnet bench: %s not found; skipping the CORDIS files\n", p)
				break
			}
			paths = append(paths, p)
		}
		if paths != nil {
			sets = append(sets, dataset{"CORDIS security exports", paths})
		}
	}
	if *synthetic > 0 {
		start := time.Now()
		f, err := benchmarks.Generate(dir, *synthetic, *seed)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "generated %d participations in %d projects by %d organisations in %s\n",
			f.NParticipations, f.NProjects, f.NOrganisations, time.Since(start).Round(time.Millisecond))
		sets = append(sets, dataset{fmt.Sprintf("synthetic, seed %d", *seed), []string{f.Projects, f.Organisations}})
	}
	if len(sets) == 0 {
		return fmt.Errorf("nothing to measure: give --data DIR or --synthetic N")
	}

	fmt.Fprintf(stdout, "Machine: %s\n\n", machine())
	fmt.Fprintln(stdout, "| engine | data | participations | import | bulk load | ratio | import CPU | bulk CPU | import live heap | import heap | import RSS | bulk live heap | bulk RSS |")
	fmt.Fprintln(stdout, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, set := range sets {
		for _, e := range engines {
			fmt.Fprintf(stderr, "measuring %s on %s ...\n", set.name, e)
			res, err := benchmarks.Run(ctx, e, *pg, dir, set.name, set.paths)
			if err != nil {
				return fmt.Errorf("%s on %s: %w", set.name, e, err)
			}
			fmt.Fprintf(stdout, "| %s | %s | %s | %s | %s | %.1f× | %s | %s | %s | %s | %s | %s | %s |\n", e, set.name, thousands(res.Participations),
				seconds(res.Import.Elapsed), seconds(res.Bulk.Elapsed), res.Ratio(), seconds(res.Import.CPU), seconds(res.Bulk.CPU),
				mib(res.Import.PeakLive), mib(res.Import.PeakHeap), mib(res.Import.PeakRSS), mib(res.Bulk.PeakLive), mib(res.Bulk.PeakRSS))
		}
	}
	return nil
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func mib(n uint64) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}

// machine describes where the figures were taken: CPU model and count,
// memory, Go version.
func machine() string {
	model, mem := "unknown CPU", ""
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				var kb float64
				fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
				mem = fmt.Sprintf(", %.0f GiB memory", kb/(1<<20))
			}
		}
		f.Close()
	}
	return fmt.Sprintf("%s, %d CPUs (runtime.NumCPU)%s, %s %s/%s", model, runtime.NumCPU(), mem, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
