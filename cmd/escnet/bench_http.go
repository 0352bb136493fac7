package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/benchmarks"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/loadtest"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/web"
)

// benchRoutes are the routes `escnet bench http` drives, after the
// hello-world handler.
var benchRoutes = []loadtest.Route{
	{Name: "GET /healthz", Path: "/healthz"},
	{Name: "GET /api/v1/organisations", Path: "/api/v1/organisations"},
	{Name: "GET /organisations", Path: "/organisations"},
	{Name: "GET /search?q=drone", Path: "/search?q=drone"},
	{Name: "POST /api/v1/partners", Method: "POST", Path: "/api/v1/partners", Body: `{"text": "drone detection for police and border guards"}`},
}

type benchHTTPFlags struct {
	engine, pg, tmp string
	orgs, conns     int
	duration        time.Duration
}

// runBenchHTTP is "escnet bench http": a hello-world handler and escnet,
// in this process on loopback ports, over a fresh database with the demo
// alliance (and --orgs generated organisations more), each route driven
// by --connections clients for --duration; it prints requests/s, p50 and
// p99 per route and the ratio to hello-world.
func runBenchHTTP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f benchHTTPFlags
	fs := newFlagSet("bench http", "[--engine sqlite|postgres] [--pg DSN] [--orgs N] [--connections C] [--duration D]", stderr)
	fs.StringVar(&f.engine, "engine", "sqlite", "sqlite or postgres")
	fs.StringVar(&f.pg, "pg", "", "PostgreSQL server for --engine postgres (a fresh schema is made and dropped)")
	fs.IntVar(&f.orgs, "orgs", 0, "generated organisations to add to the demo alliance's (e.g. 100000)")
	fs.IntVar(&f.conns, "connections", 32, fmt.Sprintf("concurrent clients (1 to %d)", loadtest.MaxClients))
	fs.DurationVar(&f.duration, "duration", 5*time.Second, fmt.Sprintf("time per route (at most %s)", loadtest.MaxDuration))
	fs.StringVar(&f.tmp, "tmp", "", "directory for the SQLite database (default: the system's)")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	eng := store.SQLite
	switch f.engine {
	case "sqlite":
	case "postgres":
		eng = store.Postgres
		if f.pg == "" {
			return fmt.Errorf("--engine postgres needs --pg DSN")
		}
	default:
		return fmt.Errorf("--engine %q: use sqlite or postgres", f.engine)
	}
	if f.orgs < 0 || f.orgs > 2_000_000 {
		return fmt.Errorf("--orgs %d: use 0 to 2000000", f.orgs)
	}
	if f.conns < 1 || f.conns > loadtest.MaxClients {
		return fmt.Errorf("--connections %d: use 1 to %d", f.conns, loadtest.MaxClients)
	}
	if f.duration <= 0 || f.duration > loadtest.MaxDuration {
		return fmt.Errorf("--duration %s: use more than 0 and at most %s", f.duration, loadtest.MaxDuration)
	}
	base, hello, stop, err := benchServers(ctx, eng, f, stderr)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(stdout, "Machine: %s; load average before: %s\n", machine(), loadAverage())
	fmt.Fprintf(stdout, "escnet bench http --engine %s --orgs %d --connections %d --duration %s\n\n", f.engine, f.orgs, f.conns, f.duration)
	fmt.Fprintln(stdout, "| route | requests/s | p50 | p99 | errors | of hello-world |")
	fmt.Fprintln(stdout, "|---|---:|---:|---:|---:|---:|")
	hw, err := loadtest.Run(ctx, hello, loadtest.Route{Name: "hello-world", Path: "/"}, f.conns, f.duration)
	if err != nil {
		return err
	}
	printBenchRow(stdout, hw, hw)
	for _, rt := range benchRoutes {
		res, err := loadtest.Run(ctx, base, rt, f.conns, f.duration)
		if err != nil {
			return err
		}
		printBenchRow(stdout, res, hw)
		if res.Errors > 0 {
			fmt.Fprintf(stderr, "%s: %d errors; the first: %s\n", rt.Name, res.Errors, res.FirstError)
		}
	}
	fmt.Fprintf(stdout, "\nLoad average after: %s\n", loadAverage())
	return nil
}

func printBenchRow(w io.Writer, r, hello loadtest.Result) {
	ratio := 0.0
	if hello.PerSecond() > 0 {
		ratio = 100 * r.PerSecond() / hello.PerSecond()
	}
	fmt.Fprintf(w, "| %s | %.0f | %s | %s | %d | %.1f%% |\n", r.Route.Name, r.PerSecond(), ms(r.P50), ms(r.P99), r.Errors, ratio)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// benchServers opens a fresh database with the demo alliance (and f.orgs
// more organisations), starts escnet over it as serve does (waiting for
// the partner index) and a hello-world handler; stop ends both and
// removes the database.
func benchServers(ctx context.Context, eng store.Engine, f benchHTTPFlags, stderr io.Writer) (base, hello string, stop func(), err error) {
	db, cleanup, err := benchmarks.Fresh(ctx, eng, f.pg, f.tmp)
	if err != nil {
		return "", "", nil, err
	}
	var stops []func()
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
		cleanup()
	}
	stop = stopAll
	// On failure the returned stop is nil, so stop what started here.
	defer func() {
		if err != nil {
			stopAll()
		}
	}()
	text, err := web.MailText()
	if err != nil {
		return "", "", nil, err
	}
	// The server logs at info, as escnet serve does by default.
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, app.Config{Logger: logger, Mail: mail.Log{Logger: quiet}, Text: text, Version: versionString()})
	stops = append(stops, func() { a.Close() })
	if _, err := demo.LoadAll(cliContext(ctx), a, time.Now(), demo.WithoutCORDIS()); err != nil {
		return "", "", nil, fmt.Errorf("load the demo: %w", err)
	}
	if f.orgs > 0 {
		start := time.Now()
		if err := loadtest.Grow(ctx, db, f.orgs); err != nil {
			return "", "", nil, fmt.Errorf("generate %d organisations: %w", f.orgs, err)
		}
		fmt.Fprintf(stderr, "generated %d organisations in %s\n", f.orgs, time.Since(start).Round(time.Millisecond))
	}
	start := time.Now()
	a.Start()
	for !a.Match.Ready().Ready {
		if time.Since(start) > 10*time.Minute {
			return "", "", nil, fmt.Errorf("the partner index was not ready after %s", time.Since(start))
		}
		time.Sleep(20 * time.Millisecond)
	}
	srv, err := web.New(a, web.Config{Version: versionString(), Logger: logger})
	if err != nil {
		return "", "", nil, err
	}
	base, s1, err := loadtest.Serve(srv.Handler())
	if err != nil {
		return "", "", nil, err
	}
	stops = append(stops, s1)
	hello, s2, err := loadtest.Serve(loadtest.Hello())
	if err != nil {
		return "", "", nil, err
	}
	stops = append(stops, s2)
	return base, hello, stop, nil
}

// loadAverage is /proc/loadavg's first three figures (the machine is
// shared: say how busy it was).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
