package benchmarks

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/postgres"
	"github.com/escnet/escnet/internal/store/sqlite"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// Measurement is one timed run.
type Measurement struct {
	Elapsed time.Duration
	// PeakLive is the largest live Go heap (as the garbage collector
	// measured it) during the run, the figure that shows whether memory
	// grows with the input; PeakHeap the largest heap in use, garbage
	// included (sampled every few milliseconds); PeakRSS the largest
	// resident set of the process (Linux VmHWM, reset before the run),
	// which also counts SQLite's page cache and the driver's buffers.
	PeakLive uint64
	PeakHeap uint64
	PeakRSS  uint64
	// CPU is the user and system time of this process (not of a
	// PostgreSQL server): on a shared machine it varies less than
	// Elapsed.
	CPU  time.Duration
	Rows int64
}

// Result compares the import of a data set with the engine's bulk load
// of the same rows.
type Result struct {
	Engine         store.Engine
	Data           string
	Participations int
	Import, Bulk   Measurement
}

// Ratio is how many times longer the import takes than the bulk load.
func (r Result) Ratio() float64 {
	if r.Bulk.Elapsed == 0 {
		return 0
	}
	return float64(r.Import.Elapsed) / float64(r.Bulk.Elapsed)
}

// Context is what a benchmark's writes run as: the system scope, audited
// as "bench".
func Context(ctx context.Context) context.Context {
	return audit.WithActor(access.WithScope(ctx, access.System), audit.Actor{Label: "bench"})
}

// Measure runs fn and records its time and peak memory.
func Measure(fn func() (int64, error)) (Measurement, error) {
	// Return what earlier runs left to the OS, so that the resident set
	// starts from what is live.
	debug.FreeOSMemory()
	resetPeakRSS()
	stop := sampleHeap()
	cpu := cpuTime()
	start := time.Now()
	n, err := fn()
	m := Measurement{Elapsed: time.Since(start), CPU: cpuTime() - cpu, Rows: n}
	m.PeakHeap, m.PeakLive = stop()
	m.PeakRSS = peakRSS()
	return m, err
}

// sampleHeap samples the heap until the returned func is called, which
// returns the peaks of the heap in use and of the live heap.
func sampleHeap() func() (inUse, live uint64) {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	var peak [2]uint64
	read := func() {
		metrics.Read(samples)
		for i, s := range samples {
			if s.Value.Kind() == metrics.KindUint64 {
				peak[i] = max(peak[i], s.Value.Uint64())
			}
		}
	}
	read()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		read()
		return peak[0], peak[1]
	}
}

// cpuTime is the process's user plus system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS resets the kernel's high-water mark of the resident set
// (Linux: writing 5 to /proc/self/clear_refs); elsewhere it does nothing.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads VmHWM from /proc/self/status (0 where there is none).
func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// Sources turns file paths into import sources.
func Sources(paths []string) ([]projects.Source, error) {
	var out []projects.Source
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		out = append(out, projects.Source{Name: filepath.Base(p), Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(p) }})
	}
	return out, nil
}

// Import runs the CORDIS import of paths and returns the participations
// stored.
func Import(ctx context.Context, db *sqlstore.DB, paths []string) (int64, error) {
	srcs, err := Sources(paths)
	if err != nil {
		return 0, err
	}
	sum, err := projects.Import(Context(ctx), db, srcs, projects.Options{})
	if err != nil {
		return 0, err
	}
	if sum.Rejected > 0 {
		return 0, fmt.Errorf("%d rows rejected, first: %v", sum.Rejected, &sum.Problems[0])
	}
	return int64(sum.Participations.New + sum.Participations.Updated + sum.Participations.Unchanged), nil
}

// Bulk loads the same rows as Import with the engine's own bulk path:
// projects, one organisation per PIC, participations. It reads the files
// with the same readers, so parsing costs the same; it keeps a map of
// PICs (a bulk load may), validates nothing beyond the readers, compares
// nothing and writes no change feed. It returns the participations
// loaded.
func Bulk(ctx context.Context, db *sqlstore.DB, paths []string) (int64, error) {
	var projectFiles, orgFiles []string
	for _, p := range paths {
		l, err := layoutOf(p)
		if err != nil {
			return 0, err
		}
		switch {
		case l.HoldsProjects():
			projectFiles = append(projectFiles, p)
		case l.HoldsParticipations():
			orgFiles = append(orgFiles, p)
		}
	}
	var readErr error
	each := func(files []string, fn func(rec cordis.Record) bool) {
		if readErr == nil {
			readErr = eachRecord(files, fn)
		}
	}
	t := time.Now().UTC()
	cents := func(a cordis.Amount) any {
		if !a.Known {
			return nil
		}
		return a.Cents
	}
	orgIDs := map[string]string{}
	tables := []sqlstore.BulkTable{
		{Table: "projects", Columns: []string{"id", "rcn", "acronym", "title", "sort_key", "search_text", "objective", "status", "framework", "programmes",
			"call_id", "funding_scheme", "start_date", "end_date", "website", "total_cost_cents", "eu_contribution_cents", "source_updated", "content_hash", "created_at", "updated_at"},
			Rows: func(yield func([]any) bool) {
				each(projectFiles, func(rec cordis.Record) bool {
					p := rec.Project
					return yield([]any{p.ID, p.RCN, p.Acronym, p.Title, directory.Fold(p.Acronym), directory.SearchText(p.Acronym, p.Title, p.ID),
						p.Objective, p.Status, p.Framework, strings.Join(p.Programmes, ";"), p.Call, p.FundingScheme, p.StartDate, p.EndDate,
						p.Website, cents(p.TotalCost), cents(p.EUMax), p.Updated, "", t, t})
				})
			}},
		{Table: "organisations", Columns: []string{"id", "slug", "name", "short_name", "sort_key", "search_text", "kind", "sme", "country", "city", "website", "pic", "created_at", "updated_at"},
			Rows: func(yield func([]any) bool) {
				each(orgFiles, func(rec cordis.Record) bool {
					p := rec.Participation
					if _, ok := orgIDs[p.PIC]; ok {
						return true
					}
					id := uuid.Must(uuid.NewV7()).String()
					orgIDs[p.PIC] = id
					f := projects.FieldsFromCORDIS(p)
					return yield([]any{id, "org-" + p.PIC, f.Name, f.ShortName, directory.Fold(f.Name), directory.SearchText(f.Name, f.City),
						f.Kind, f.SME, f.Country, f.City, f.Website, p.PIC, t, t})
				})
			}},
		{Table: "participations", Columns: []string{"project_id", "pic", "organisation_id", "role", "eu_contribution_cents", "terminated", "position",
			"source_updated", "content_hash", "created_at", "updated_at"},
			Rows: func(yield func([]any) bool) {
				each(orgFiles, func(rec cordis.Record) bool {
					p := rec.Participation
					return yield([]any{p.ProjectID, p.PIC, orgIDs[p.PIC], p.Role, cents(p.EUContribution), p.Terminated, p.Order, p.Updated, "", t, t})
				})
			}},
	}
	bulk := sqlite.Bulk
	if db.Engine() == store.Postgres {
		bulk = postgres.Bulk
	}
	n, err := bulk(ctx, db, tables)
	if err == nil {
		err = readErr
	}
	var parts int64
	if err == nil {
		err = db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM participations`).Scan(&parts)
	}
	_ = n
	return parts, err
}

// eachRecord calls fn with every record of files, in order, until fn
// returns false.
func eachRecord(files []string, fn func(rec cordis.Record) bool) error {
	for _, p := range files {
		more, err := eachInFile(p, fn)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

func eachInFile(path string, fn func(rec cordis.Record) bool) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	r, err := cordis.NewReader(filepath.Base(path), f)
	if err != nil {
		return false, err
	}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		if !fn(rec) {
			return false, nil
		}
	}
}

func layoutOf(path string) (cordis.Layout, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r, err := cordis.NewReader(filepath.Base(path), f)
	if err != nil {
		return 0, err
	}
	return r.Layout(), nil
}

// Fresh opens a new, migrated, empty database: a SQLite file in dir, or a
// new schema of the PostgreSQL at pgDSN. The cleanup removes it.
func Fresh(ctx context.Context, eng store.Engine, pgDSN, dir string) (*sqlstore.DB, func(), error) {
	if eng != store.Postgres {
		f, err := os.CreateTemp(dir, "bench-*.db")
		if err != nil {
			return nil, nil, err
		}
		f.Close()
		os.Remove(f.Name())
		db, _, err := engine.OpenAndMigrate(ctx, "sqlite:"+f.Name())
		if err != nil {
			return nil, nil, err
		}
		return db, func() {
			db.Close()
			for _, s := range []string{"", "-wal", "-shm"} {
				os.Remove(f.Name() + s)
			}
		}, nil
	}
	if pgDSN == "" {
		return nil, nil, errors.New("no PostgreSQL DSN")
	}
	admin, err := engine.Open(ctx, pgDSN)
	if err != nil {
		return nil, nil, err
	}
	schema := fmt.Sprintf("bench_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := admin.SQL().ExecContext(ctx, `CREATE SCHEMA "`+schema+`"`); err != nil {
		admin.Close()
		return nil, nil, err
	}
	sep := "?"
	if strings.Contains(pgDSN, "?") {
		sep = "&"
	}
	db, _, err := engine.OpenAndMigrate(ctx, pgDSN+sep+"search_path="+schema)
	drop := func() {
		admin.SQL().ExecContext(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`)
		admin.Close()
	}
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { db.Close(); drop() }, nil
}

// Run measures the import and the bulk load of paths on fresh databases
// of one engine.
func Run(ctx context.Context, eng store.Engine, pgDSN, tmp, data string, paths []string) (Result, error) {
	res := Result{Engine: eng, Data: data}
	for _, step := range []struct {
		m  *Measurement
		fn func(context.Context, *sqlstore.DB, []string) (int64, error)
	}{{&res.Import, Import}, {&res.Bulk, Bulk}} {
		db, cleanup, err := Fresh(ctx, eng, pgDSN, tmp)
		if err != nil {
			return res, err
		}
		*step.m, err = Measure(func() (int64, error) { return step.fn(ctx, db, paths) })
		cleanup()
		if err != nil {
			return res, err
		}
	}
	res.Participations = int(res.Import.Rows)
	if res.Bulk.Rows != res.Import.Rows {
		return res, fmt.Errorf("the bulk load stored %d participations, the import %d", res.Bulk.Rows, res.Import.Rows)
	}
	return res, nil
}
