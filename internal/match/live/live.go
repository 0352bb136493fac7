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
// The snapshot follows the change feed (store/feed) for the entities it
// reads (Entities). A commit in this process, a NOTIFY from another node
// on PostgreSQL, or the feed's polling interval wakes the service; when
// changes of those entities came (late commits included, which the feed
// reports), the index is rebuilt in the background, at most once per
// interval, and requests are answered from the previous index meanwhile.
package live

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/store/feed"
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

// Store is what the service reads.
type Store interface {
	// MatchData reads every organisation and every project with its
	// participants, in a fixed number of queries.
	MatchData(ctx context.Context) (Data, error)
	// Feed is the change feed the view follows.
	Feed() *feed.Feed
	// GetCall returns a call; an unknown one is an error wrapping
	// store.ErrNotFound.
	GetCall(ctx context.Context, id string) (calls.Call, error)
}

// Entities are the change-feed entities the snapshot reads: a change to
// one of them rebuilds the index; the others (bookings, people, accounts,
// calls, ...) leave it as it is. A capability whose writes the snapshot
// reads adds its entity here.
var Entities = []string{"organisation", "membership", "cluster", "capability", "organisation_merge",
	"project", "participations", "topic"}

// View is one built index with the organisations it was built from. It
// is immutable and safe for concurrent requests.
type View struct {
	Index *match.Index
	// Mark is the change feed the view reflects: every entry up to it
	// (and maybe some after).
	Mark  feed.Position
	Built time.Time
	// Took is how long reading and indexing took.
	Took     time.Duration
	orgs     map[string]*Org
	keys     map[string]string // slug, PIC → id
	clusters map[string]string // cluster id, slug or name → name as in Org.Clusters
	counts   [2]int            // organisations, projects
}

// NewView indexes d.
func NewView(d Data, mark feed.Position) (*View, error) {
	start := time.Now()
	ix, err := match.Build(d.Snapshot(), match.BuildOptions{Taxonomy: taxonomy()})
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

// taxonomy is the seed capability taxonomy as the matcher reads it;
// capabilities added to the store are known from the organisations that
// declare them.
func taxonomy() []match.Capability {
	caps, err := directory.Taxonomy()
	if err != nil {
		return nil
	}
	out := make([]match.Capability, len(caps))
	for i, c := range caps {
		out[i] = match.Capability{Code: c.Code, Labels: c.Labels}
	}
	return out
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
func (v *View) with(m feed.Position) *View {
	nv := *v
	nv.Mark = m
	return &nv
}

// DefaultInterval is the shortest time between two rebuilds: short
// enough that a write on another node reaches this one's index within
// 2 s (a rebuild takes what it takes on top), long enough to coalesce a
// burst of writes into one rebuild.
const DefaultInterval = time.Second

// rebuildTimeout bounds a background rebuild.
const rebuildTimeout = 10 * time.Minute

// Options tune a Service.
type Options struct {
	// Interval defaults to DefaultInterval.
	Interval time.Duration
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Now is the clock that says whether a call has closed (nil:
	// time.Now).
	Now func() time.Time
}

// Service holds the current view and keeps it fresh.
type Service struct {
	store Store
	opt   Options
	cur   atomic.Pointer[View]
	// build serialises reading and indexing: the first build, the
	// background rebuilds and Refresh. follow and dirty go with it.
	build  sync.Mutex
	follow *feed.Follower
	dirty  bool // changes came that no view holds yet (a rebuild failed)

	stop    context.CancelFunc
	stopped context.Context
	wg      sync.WaitGroup

	// readyMu guards what Start and Ready share.
	readyMu  sync.Mutex
	started  bool
	since    time.Time
	startErr string
}

// New returns a service over st; nothing is read until the first request.
func New(st Store, opt Options) *Service {
	if opt.Interval <= 0 {
		opt.Interval = DefaultInterval
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{store: st, opt: opt, stop: cancel, stopped: ctx}
}

// View returns the current view, building the first one; from then on the
// service follows the feed in the background until Close, or until the
// feed closes with its database.
//
// After Start, until the first view is built, View returns ErrNotReady
// at once.
func (s *Service) View(ctx context.Context) (*View, error) {
	if v := s.cur.Load(); v != nil {
		return v, nil
	}
	if s.notReady() {
		return nil, ErrNotReady
	}
	return s.first(ctx)
}

// first builds the first view, or returns it when someone else did.
func (s *Service) first(ctx context.Context) (*View, error) {
	s.build.Lock()
	defer s.build.Unlock()
	if v := s.cur.Load(); v != nil {
		return v, nil
	}
	if err := s.stopped.Err(); err != nil {
		return nil, fmt.Errorf("partner finder: %w", err)
	}
	f := s.store.Feed()
	pos, err := f.Position(ctx)
	if err != nil {
		return nil, fmt.Errorf("change feed: %w", err)
	}
	v, err := s.loadAt(ctx, pos)
	if err != nil {
		return nil, err
	}
	s.follow = f.Follow(pos, Entities...)
	s.cur.Store(v)
	s.wg.Add(1)
	go s.background()
	return v, nil
}

// Refresh brings the view up to date with the change feed now and
// returns it: for the command line and tests, which want what they just
// wrote.
func (s *Service) Refresh(ctx context.Context) (*View, error) {
	if s.cur.Load() == nil {
		return s.waitStarted(ctx)
	}
	return s.refresh(ctx)
}

// Close stops following the feed and waits for a rebuild under way.
func (s *Service) Close() {
	s.stop()
	s.wg.Wait()
}

// background waits for the feed (a wake-up or its polling interval) and
// refreshes, at most once per interval.
func (s *Service) background() {
	defer s.wg.Done()
	var last time.Time
	for {
		if err := s.follow.Wait(s.stopped); err != nil {
			return // closed: the service or the feed
		}
		if wait := s.opt.Interval - time.Since(last); wait > 0 {
			select {
			case <-time.After(wait):
			case <-s.stopped.Done():
				return
			case <-s.store.Feed().Done():
				return
			}
		}
		ctx, cancel := context.WithTimeout(s.stopped, rebuildTimeout)
		v, rebuilt, err := s.refreshed(ctx)
		cancel()
		if rebuilt || err != nil {
			// Only a rebuild (or a failed one) counts toward the
			// interval: changes the index does not read (sign-ins,
			// bookings) must not delay the next rebuild.
			last = time.Now()
		}
		switch {
		case err != nil && s.stopped.Err() == nil && !closed(s.store.Feed().Done()):
			s.opt.Logger.Warn("partner finder: refresh failed; serving the previous index", "err", err)
		case rebuilt:
			s.opt.Logger.Debug("partner finder: index rebuilt", "organisations", v.Orgs(), "projects", v.Projects(),
				"change", v.Mark.Last, "took", v.Took)
		}
	}
}

func closed(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

func (s *Service) refresh(ctx context.Context) (*View, error) {
	v, _, err := s.refreshed(ctx)
	return v, err
}

// refreshed polls the feed and rebuilds the view when changes of the
// entities the snapshot reads came (late ones included), or when an
// earlier rebuild failed; other changes only move the view's mark.
func (s *Service) refreshed(ctx context.Context) (*View, bool, error) {
	s.build.Lock()
	defer s.build.Unlock()
	cur := s.cur.Load()
	for {
		b, err := s.follow.Poll(ctx)
		if err != nil {
			return cur, false, fmt.Errorf("change feed: %w", err)
		}
		s.dirty = s.dirty || len(b.Changes) > 0
		if !b.More {
			break
		}
	}
	pos := s.follow.Position()
	if !s.dirty {
		if pos.Last == cur.Mark.Last && pos.Awaiting() == cur.Mark.Awaiting() {
			return cur, false, nil
		}
		v := cur.with(pos)
		s.cur.Store(v)
		return v, false, nil
	}
	v, err := s.loadAt(ctx, pos)
	if err != nil {
		return cur, false, err
	}
	s.dirty = false
	s.cur.Store(v)
	return v, true, nil
}

// loadAt reads the data and indexes it as of pos (read before the data,
// so the view holds at least what the position says).
func (s *Service) loadAt(ctx context.Context, pos feed.Position) (*View, error) {
	start := time.Now()
	d, err := s.store.MatchData(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the partner finder's snapshot: %w", err)
	}
	v, err := NewView(d, pos)
	if err != nil {
		return nil, err
	}
	v.Took = time.Since(start)
	return v, nil
}
