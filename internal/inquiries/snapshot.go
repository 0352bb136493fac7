package inquiries

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store/feed"
)

// RoutingEntities are the change-feed entities the routing snapshot
// reads: a change to one of them rebuilds the router; the others
// (cases, bookings, accounts, ...) leave it as it is.
var RoutingEntities = []string{"organisation", "membership", "cluster", "capability", "organisation_merge",
	"person", "facility", "practice", "inquiry_expert"}

// DefaultRouterInterval is the shortest time between two background
// rebuilds: a burst of writes costs one rebuild.
const DefaultRouterInterval = time.Second

// routerRebuildTimeout bounds a background rebuild.
const routerRebuildTimeout = 5 * time.Minute

// routing holds the current router and keeps it fresh: it follows the
// change feed in the background and rebuilds when the directory, the
// experts, the facilities or the practices changed. Without a feed (or
// once it has closed) a router is reused for Config.RouterTTL, as a
// fallback. Copies of a Service (WithMail) share it.
type routing struct {
	cur atomic.Pointer[built]
	// build serialises reading and indexing; follow and dirty go with it.
	build  sync.Mutex
	follow *feed.Follower
	dirty  bool        // changes came that no router holds yet (a rebuild failed, Invalidate)
	live   atomic.Bool // the background follower runs
	// invalid asks the next Router call to read the changes first.
	invalid atomic.Bool

	stop    context.CancelFunc
	stopped context.Context
	wg      sync.WaitGroup
}

// built is one router and when it was read.
type built struct {
	r  *Router
	at time.Time
	// mark is the feed position the router reflects (at least).
	mark int64
}

func newRouting() *routing {
	ctx, cancel := context.WithCancel(context.Background())
	return &routing{stop: cancel, stopped: ctx}
}

// Router returns the routing snapshot: the one the background follower
// keeps up to date with the change feed, or, without a feed, one at most
// RouterTTL old. After Invalidate the next call brings it up to date
// before it returns.
func (s *Service) Router(ctx context.Context) (*Router, error) {
	rt := s.routing
	if b := rt.cur.Load(); b != nil && !rt.invalid.Load() {
		if rt.live.Load() || s.cfg.Now().Sub(b.at) < s.cfg.RouterTTL {
			return b.r, nil
		}
	}
	b, _, err := s.refreshRouter(ctx, true)
	if err != nil {
		return nil, err
	}
	return b.r, nil
}

// Invalidate makes the next routing read the changes first (after a
// write of the service itself, which the caller wants to see at once).
func (s *Service) Invalidate() { s.routing.invalid.Store(true) }

// Stop ends following the change feed (the feed closing with its
// database stops it too).
func (s *Service) Stop() {
	s.routing.stop()
	s.routing.wg.Wait()
}

// refreshRouter polls the feed and rebuilds the router when changes of
// RoutingEntities came, when it was invalidated or a rebuild failed, or
// (without a feed, or when force says the TTL passed) when it is too old.
// The first call reads the snapshot and starts the background follower.
func (s *Service) refreshRouter(ctx context.Context, force bool) (*built, bool, error) {
	rt := s.routing
	rt.build.Lock()
	defer rt.build.Unlock()
	cur := rt.cur.Load()
	if rt.invalid.Swap(false) {
		rt.dirty = true
	}
	if cur == nil || rt.follow == nil {
		return s.firstRouter(ctx, cur, force)
	}
	var pos feed.Position
	for {
		b, err := rt.follow.Poll(ctx)
		if err != nil {
			// The feed cannot be read: rebuild from the tables if the
			// router is too old, else keep it.
			if force && s.cfg.Now().Sub(cur.at) >= s.cfg.RouterTTL {
				return s.loadRouter(ctx, cur.mark)
			}
			return cur, false, fmt.Errorf("change feed: %w", err)
		}
		rt.dirty = rt.dirty || len(b.Changes) > 0
		pos = b.Position
		if !b.More {
			break
		}
	}
	if !rt.dirty && (rt.live.Load() || s.cfg.Now().Sub(cur.at) < s.cfg.RouterTTL) {
		return cur, false, nil
	}
	b, rebuilt, err := s.loadRouter(ctx, pos.Last)
	if err == nil {
		rt.dirty = false
	}
	return b, rebuilt, err
}

// firstRouter reads the snapshot at the feed's position and starts
// following the feed from there (or, without a feed, only reads).
func (s *Service) firstRouter(ctx context.Context, cur *built, force bool) (*built, bool, error) {
	rt := s.routing
	f := s.store.Feed()
	if f == nil || closedChan(f.Done()) || rt.stopped.Err() != nil {
		if cur != nil && !rt.dirty && s.cfg.Now().Sub(cur.at) < s.cfg.RouterTTL {
			return cur, false, nil
		}
		b, rebuilt, err := s.loadRouter(ctx, 0)
		if err == nil {
			rt.dirty = false
		}
		return b, rebuilt, err
	}
	pos, err := f.Position(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("change feed: %w", err)
	}
	b, rebuilt, err := s.loadRouter(ctx, pos.Last)
	if err != nil {
		return nil, false, err
	}
	rt.dirty = false
	rt.follow = f.Follow(pos, RoutingEntities...)
	rt.live.Store(true)
	rt.wg.Add(1)
	go s.followFeed(f)
	return b, rebuilt, nil
}

// loadRouter reads the snapshot and indexes it.
func (s *Service) loadRouter(ctx context.Context, mark int64) (*built, bool, error) {
	snap, err := s.store.RoutingData(access.WithScope(ctx, access.System))
	if err != nil {
		return s.routing.cur.Load(), false, err
	}
	b := &built{r: Build(snap), at: s.cfg.Now(), mark: mark}
	s.routing.cur.Store(b)
	return b, true, nil
}

// followFeed waits for the feed (a wake-up, or its polling interval) and
// refreshes, at most once per RouterInterval. When the feed closes the
// router falls back to its TTL.
func (s *Service) followFeed(f *feed.Feed) {
	rt := s.routing
	defer rt.wg.Done()
	defer rt.live.Store(false)
	var last time.Time
	for {
		if err := rt.follow.Wait(rt.stopped); err != nil {
			return
		}
		if wait := s.cfg.RouterInterval - time.Since(last); wait > 0 {
			select {
			case <-time.After(wait):
			case <-rt.stopped.Done():
				return
			case <-f.Done():
				return
			}
		}
		ctx, cancel := context.WithTimeout(rt.stopped, routerRebuildTimeout)
		b, rebuilt, err := s.refreshRouter(ctx, false)
		cancel()
		if rebuilt || err != nil {
			last = time.Now()
		}
		switch {
		case err != nil && rt.stopped.Err() == nil && !closedChan(f.Done()) && !errors.Is(err, context.Canceled):
			s.cfg.Logger.Warn("contact point: routing refresh failed; serving the previous snapshot", "err", err)
		case rebuilt:
			s.cfg.Logger.Debug("contact point: routing rebuilt", "organisations", len(b.r.snap.Organisations),
				"experts", len(b.r.snap.Experts), "change", b.mark)
		}
	}
}

func closedChan(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}
