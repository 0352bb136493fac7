// Package live keeps the partner finder's snapshot of the database in
// memory and answers partner and consortium requests on it for a viewer.
//
// The snapshot holds every organisation, whatever its visibility (the
// application's own view, access.System), and every EU project with its
// participants. Who may see what is applied per request: each
// organisation keeps the record the access policy decides on (owner, its
// clusters, visibility, TLP), and a request ranks only the organisations
// its viewer's scope may see.
//
// The snapshot follows the change feed. A write committed in this process
// calls Notify (sqlstore.DB.OnChange); a request looks at the feed at most
// once per interval, which catches writes of other processes and other
// nodes. When the feed moved on entities the matcher reads, the index is
// rebuilt in the background, at most once per interval, and requests are
// answered from the previous index meanwhile.
package live

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/match"
)

// Org is an organisation of the snapshot: the matcher's view of it and
// what the service needs besides: how people name it and who may see it.
type Org struct {
	match.Org
	Slug string
	PIC  string
	// PICs are further PICs the organisation holds: those of
	// organisations merged into it.
	PICs []string
	// ClusterIDs are the clusters it is a member of (Org.Clusters holds
	// their names).
	ClusterIDs []string
	Visibility string
	TLP        string
}

// Record is the organisation as the access policy sees it: it owns itself.
func (o *Org) Record() access.Record {
	return access.Record{OwnerOrg: o.ID, OwnerClusters: o.ClusterIDs, Visibility: o.Visibility, TLP: o.TLP}
}

// Cluster names a cluster, for filters given by id, slug or name.
type Cluster struct {
	ID, Slug, Name string
}

// Data is what a store reads for a snapshot.
type Data struct {
	Orgs     []Org
	Projects []match.Project
	Clusters []Cluster
}

// Snapshot returns the matcher's snapshot of the data.
func (d *Data) Snapshot() match.Snapshot {
	s := match.Snapshot{Orgs: make([]match.Org, len(d.Orgs)), Projects: d.Projects}
	for i := range d.Orgs {
		s.Orgs[i] = d.Orgs[i].Org
	}
	return s
}

// FeedMark is where the change feed stood when a view was read: its
// newest entry, and how many entries the Window ids up to it held. On
// PostgreSQL an entry can commit after one with a higher id; when such a
// late entry arrives below Last, the count grows although Last did not.
type FeedMark struct {
	Last   int64
	Recent int64
}

// Window is how many ids below FeedMark.Last are watched for late entries:
// more than the changes of a few import batches committing at once.
const Window = 10_000

// Store is what the service reads.
type Store interface {
	// MatchData reads every organisation and every project with its
	// participants, in a fixed number of queries.
	MatchData(ctx context.Context) (Data, error)
	// LatestChange returns the id of the newest change-feed entry.
	LatestChange(ctx context.Context) (int64, error)
	// ChangesBetween lists the entities (organisation, project, ...) of
	// the change-feed entries with an id in (after, upTo], each once,
	// and counts the entries.
	ChangesBetween(ctx context.Context, after, upTo int64) ([]string, int64, error)
	// GetCall returns a call; an unknown one is an error wrapping
	// store.ErrNotFound.
	GetCall(ctx context.Context, id string) (calls.Call, error)
}

// unrelated are change-feed entities the snapshot does not read: a
// change to them leaves the index as it is. Any other entity, including
// one added later, makes the index rebuild.
var unrelated = []string{"person", "user", "token", "invitation", "facility", "resource", "blackout", "booking",
	"calendar_token", "call", "organisation_distinct"}

func related(entities []string) bool {
	return slices.ContainsFunc(entities, func(e string) bool { return !slices.Contains(unrelated, e) })
}

// View is one built index with the organisations it was built from. It
// is immutable and safe for concurrent requests.
type View struct {
	Index *match.Index
	// Mark is the change feed the view reflects: every entry up to it
	// (and maybe some after).
	Mark  FeedMark
	Built time.Time
	// Took is how long reading and indexing took.
	Took     time.Duration
	orgs     map[string]*Org
	keys     map[string]string // slug, PIC → id
	clusters map[string]string // cluster id, slug or name → name as in Org.Clusters
	counts   [2]int            // organisations, projects
}

// NewView indexes d.
func NewView(d Data, mark FeedMark) (*View, error) {
	start := time.Now()
	ix, err := match.Build(d.Snapshot(), match.BuildOptions{})
	if err != nil {
		return nil, err
	}
	v := &View{Index: ix, Mark: mark, orgs: make(map[string]*Org, len(d.Orgs)), keys: map[string]string{},
		clusters: map[string]string{}, counts: [2]int{len(d.Orgs), len(d.Projects)}}
	for i := range d.Orgs {
		o := &d.Orgs[i]
		v.orgs[o.ID] = o
	}
	// Keys, weakest first, so that a record's own slug or PIC wins over a
	// PIC it holds from a merge.
	for i := range d.Orgs {
		for _, pic := range d.Orgs[i].PICs {
			v.keys[pic] = d.Orgs[i].ID
		}
	}
	for i := range d.Orgs {
		o := &d.Orgs[i]
		if o.PIC != "" {
			v.keys[o.PIC] = o.ID
		}
		if o.Slug != "" {
			v.keys[o.Slug] = o.ID
		}
	}
	for _, c := range d.Clusters {
		for _, k := range []string{c.ID, c.Slug, c.Name, strings.ToLower(c.Name)} {
			v.clusters[k] = c.Name
		}
	}
	v.Built = time.Now()
	v.Took = v.Built.Sub(start)
	return v, nil
}

// Orgs is the number of organisations the view was built from; Projects
// the number of projects.
func (v *View) Orgs() int     { return v.counts[0] }
func (v *View) Projects() int { return v.counts[1] }

// Org returns an organisation of the view by id.
func (v *View) Org(id string) (Org, bool) {
	o, ok := v.orgs[id]
	if !ok {
		return Org{}, false
	}
	return *o, true
}

// Resolve returns the id of the organisation key names: its id, slug or
// PIC (also one it holds from a merge). An unknown key comes back as it
// is, for the matcher to report.
func (v *View) Resolve(key string) string {
	key = strings.TrimSpace(key)
	if _, ok := v.orgs[key]; ok {
		return key
	}
	if id, ok := v.keys[key]; ok {
		return id
	}
	if id, ok := v.keys[strings.ToLower(key)]; ok {
		return id
	}
	return key
}

// Visible returns what Query.Visible needs for a viewer's scope: nil (no
// check) when the scope sees everything.
func (v *View) Visible(s access.Scope) func(id string) bool {
	if s.All && !s.Bulk {
		return nil
	}
	return func(id string) bool {
		o, ok := v.orgs[id]
		return ok && s.CanSee(o.Record())
	}
}

// with returns the view marked at a newer place of the feed, for changes
// that do not touch the snapshot.
func (v *View) with(m FeedMark) *View {
	nv := *v
	nv.Mark = m
	return &nv
}

// DefaultInterval is the shortest time between two looks at the change
// feed, and between two rebuilds.
const DefaultInterval = 3 * time.Second

// rebuildTimeout bounds a background rebuild.
const rebuildTimeout = 10 * time.Minute

// Options tune a Service.
type Options struct {
	// Interval defaults to DefaultInterval.
	Interval time.Duration
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Service holds the current view and keeps it fresh.
type Service struct {
	store Store
	opt   Options
	cur   atomic.Pointer[View]
	// build serialises reading and indexing: the first build, the
	// background rebuilds and Refresh.
	build sync.Mutex

	mu      sync.Mutex
	running bool      // a background refresh is running or waiting
	pending bool      // a write committed since the last refresh began
	lastRun time.Time // when the last refresh began
	wg      sync.WaitGroup
}

// New returns a service over st; nothing is read until the first request.
func New(st Store, opt Options) *Service {
	if opt.Interval <= 0 {
		opt.Interval = DefaultInterval
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Service{store: st, opt: opt}
}

// Notify tells the service that a write committed in this process. It
// returns at once; the view follows in the background. It is meant for
// sqlstore.DB.OnChange.
func (s *Service) Notify() {
	if s.cur.Load() == nil {
		return // the first request builds from what is there then
	}
	s.poke(true)
}

// View returns the current view, building the first one. A view older
// than the interval makes the service look at the change feed in the
// background.
func (s *Service) View(ctx context.Context) (*View, error) {
	if v := s.cur.Load(); v != nil {
		s.poke(false)
		return v, nil
	}
	s.build.Lock()
	defer s.build.Unlock()
	if v := s.cur.Load(); v != nil {
		return v, nil
	}
	s.mu.Lock()
	s.lastRun = time.Now()
	s.mu.Unlock()
	v, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	s.cur.Store(v)
	return v, nil
}

// Refresh brings the view up to date with the change feed now and
// returns it: for the command line and tests, which want what they just
// wrote.
func (s *Service) Refresh(ctx context.Context) (*View, error) {
	if s.cur.Load() == nil {
		return s.View(ctx)
	}
	return s.refresh(ctx)
}

// Wait waits for a background refresh to end.
func (s *Service) Wait() { s.wg.Wait() }

// poke starts a background refresh if the feed was not looked at within
// the interval, or a write committed since (then at most once per
// interval).
func (s *Service) poke(changed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if changed {
		s.pending = true
	}
	if s.running {
		return
	}
	wait := s.opt.Interval - time.Since(s.lastRun)
	if !s.pending && wait > 0 {
		return
	}
	s.running = true
	s.wg.Add(1)
	go s.background(max(wait, 0))
}

func (s *Service) background(wait time.Duration) {
	defer s.wg.Done()
	for {
		if wait > 0 {
			time.Sleep(wait)
		}
		s.mu.Lock()
		s.pending, s.lastRun = false, time.Now()
		s.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), rebuildTimeout)
		v, err := s.refresh(ctx)
		cancel()
		if err != nil {
			s.opt.Logger.Warn("partner finder: refresh failed; serving the previous index", "err", err)
		} else if v != nil && v.Took > 0 && time.Since(v.Built) < time.Second {
			s.opt.Logger.Debug("partner finder: index rebuilt", "organisations", v.Orgs(), "projects", v.Projects(),
				"change", v.Mark.Last, "took", v.Took)
		}
		s.mu.Lock()
		if !s.pending {
			s.running = false
			s.mu.Unlock()
			return
		}
		wait = s.opt.Interval - time.Since(s.lastRun)
		s.mu.Unlock()
	}
}

// refresh looks at the change feed and rebuilds the view when it moved
// on entities the snapshot reads, or when a late entry arrived below the
// view's mark.
func (s *Service) refresh(ctx context.Context) (*View, error) {
	s.build.Lock()
	defer s.build.Unlock()
	cur := s.cur.Load()
	if cur == nil {
		v, err := s.load(ctx)
		if err == nil {
			s.cur.Store(v)
		}
		return v, err
	}
	last, err := s.store.LatestChange(ctx)
	if err != nil {
		return cur, fmt.Errorf("change feed: %w", err)
	}
	_, recent, err := s.store.ChangesBetween(ctx, cur.Mark.Last-Window, cur.Mark.Last)
	if err != nil {
		return cur, fmt.Errorf("change feed: %w", err)
	}
	if recent == cur.Mark.Recent && last == cur.Mark.Last {
		return cur, nil
	}
	if recent == cur.Mark.Recent && last > cur.Mark.Last {
		ents, _, err := s.store.ChangesBetween(ctx, cur.Mark.Last, last)
		if err != nil {
			return cur, fmt.Errorf("change feed: %w", err)
		}
		if !related(ents) {
			mark, err := s.mark(ctx, last)
			if err != nil {
				return cur, err
			}
			v := cur.with(mark)
			s.cur.Store(v)
			return v, nil
		}
	}
	// New entries the snapshot reads, a late entry below the mark, or a
	// feed that went back (a restored database): read everything again.
	v, err := s.load(ctx)
	if err != nil {
		return cur, err
	}
	s.cur.Store(v)
	return v, nil
}

// mark counts the entries of the window below last.
func (s *Service) mark(ctx context.Context, last int64) (FeedMark, error) {
	_, n, err := s.store.ChangesBetween(ctx, last-Window, last)
	if err != nil {
		return FeedMark{}, fmt.Errorf("change feed: %w", err)
	}
	return FeedMark{Last: last, Recent: n}, nil
}

// load reads the feed's mark, then the data (so that the view holds at
// least what the mark says), and indexes it.
func (s *Service) load(ctx context.Context) (*View, error) {
	last, err := s.store.LatestChange(ctx)
	if err != nil {
		return nil, fmt.Errorf("change feed: %w", err)
	}
	mark, err := s.mark(ctx, last)
	if err != nil {
		return nil, err
	}
	return s.loadAt(ctx, mark)
}

// loadAt reads the data and indexes it as of mark (read before the data,
// so the view holds at least what the mark says).
func (s *Service) loadAt(ctx context.Context, mark FeedMark) (*View, error) {
	start := time.Now()
	d, err := s.store.MatchData(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the partner finder's snapshot: %w", err)
	}
	v, err := NewView(d, mark)
	if err != nil {
		return nil, err
	}
	v.Took = time.Since(start)
	return v, nil
}
