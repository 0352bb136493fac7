// Package feed is the one way to follow the change feed: the append-only
// `changes` table that every write adds to in its own transaction.
//
// A subscriber (the partner finder's index, the cached member counts, a
// search index) takes a Position, reads what it keeps in memory, and then
// follows the feed from that position, naming the entities it reads
// ("organisation", "membership", "project", ...). Poll returns the
// changes of those entities committed since the position and moves it;
// Wait blocks until a write may have committed (an in-process wake-up, a
// LISTEN/NOTIFY wake-up on PostgreSQL, or the polling interval); Next
// combines the two.
//
// Late commits are handled here, once. On PostgreSQL an id is taken when
// a row is inserted, not when its transaction commits, so a transaction
// holding id 10 can commit after one holding id 11 was read. A position
// therefore remembers the ids below its last one that it has not seen
// (gaps) and re-reads them on every poll until they arrive — they come
// back as late changes — or until GapTimeout passes (the id belonged to a
// transaction that rolled back). On SQLite a single writer commits in id
// order and there are no gaps to wait for.
package feed

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// Change is an entry of the change feed.
type Change struct {
	ID       int64
	Entity   string
	EntityID string
	Op       string
	At       time.Time
}

// Source reads the changes table.
type Source interface {
	// LatestChange returns the id of the newest visible entry (0 if none).
	LatestChange(ctx context.Context) (int64, error)
	// ChangesAfter returns up to limit entries with an id above after,
	// in id order.
	ChangesAfter(ctx context.Context, after int64, limit int) ([]Change, error)
	// ChangesIn returns the visible entries among ids, in id order.
	ChangesIn(ctx context.Context, ids []int64) ([]Change, error)
}

// ErrClosed is returned by Wait and Next once the feed is closed.
var ErrClosed = errors.New("change feed closed")

// Defaults of Options.
const (
	DefaultPoll       = 2 * time.Second
	DefaultGapTimeout = 2 * time.Minute
	DefaultBatch      = 1000
	DefaultWindow     = 1000
	// MaxGaps bounds the ids a position waits for; beyond, the oldest are
	// given up first.
	MaxGaps = 10_000
)

// Options tune a Feed.
type Options struct {
	// Poll is how often a waiting follower looks at the feed without a
	// wake-up (writes of other processes, or of other nodes when
	// LISTEN/NOTIFY is not there).
	Poll time.Duration
	// LateCommits says that an entry can become visible after one with a
	// higher id (PostgreSQL). Without it there are no gaps to wait for.
	LateCommits bool
	// GapTimeout is how long a missing id is waited for.
	GapTimeout time.Duration
	// Batch is the most entries one Poll reads after the position.
	Batch int
	// Window is how many ids below the newest a new Position examines
	// for transactions still running.
	Window int
	// Now defaults to time.Now (tests set a clock).
	Now func() time.Time
	// Listen, when set, waits for wake-ups from other processes (LISTEN
	// on PostgreSQL) and calls wake for each until ctx ends. The feed
	// starts it the first time a follower waits, and ends it at Close.
	Listen func(ctx context.Context, wake func())
}

// Feed hands out positions and followers over one Source, and wakes the
// followers when a write commits.
type Feed struct {
	src Source
	opt Options

	mu     sync.Mutex
	wake   chan struct{} // closed and replaced by Wake
	done   chan struct{} // closed by Close
	closed bool
	listen sync.Once
	cancel context.CancelFunc
	ctx    context.Context
	wg     sync.WaitGroup
}

// New returns a feed over src.
func New(src Source, opt Options) *Feed {
	if opt.Poll <= 0 {
		opt.Poll = DefaultPoll
	}
	if opt.GapTimeout <= 0 {
		opt.GapTimeout = DefaultGapTimeout
	}
	if opt.Batch <= 0 {
		opt.Batch = DefaultBatch
	}
	if opt.Window <= 0 {
		opt.Window = DefaultWindow
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Feed{src: src, opt: opt, wake: make(chan struct{}), done: make(chan struct{}), ctx: ctx, cancel: cancel}
}

// Options returns the feed's options with their defaults filled in.
func (f *Feed) Options() Options { return f.opt }

// Wake tells waiting followers that a write committed (in this process,
// or on another node as a NOTIFY said). It returns at once.
func (f *Feed) Wake() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	close(f.wake)
	f.wake = make(chan struct{})
}

func (f *Feed) wakeChan() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.wake
}

// Done is closed when the feed is closed.
func (f *Feed) Done() <-chan struct{} { return f.done }

// Go runs fn in the background with a context that ends when the feed
// closes; Close waits for it to return. Engines run their LISTEN loop
// with it.
func (f *Feed) Go(fn func(ctx context.Context)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		fn(f.ctx)
	}()
}

// Close ends every Wait and Next with ErrClosed and waits for what Go
// started. Closing twice does nothing.
func (f *Feed) Close() {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return
	}
	f.closed = true
	close(f.done)
	f.cancel()
	f.mu.Unlock()
	f.wg.Wait()
}

// Position returns where the feed stands now: its newest entry and, when
// commits can be late, the ids of the Window below it that are not
// visible yet (transactions still running, or rolled back).
func (f *Feed) Position(ctx context.Context) (Position, error) {
	last, err := f.src.LatestChange(ctx)
	if err != nil {
		return Position{}, err
	}
	p := Position{Last: last}
	if !f.opt.LateCommits || last == 0 {
		return p, nil
	}
	from := max(last-int64(f.opt.Window), 0)
	seen, err := f.src.ChangesAfter(ctx, from, f.opt.Window)
	if err != nil {
		return Position{}, err
	}
	now := f.opt.Now()
	next := from + 1
	for _, c := range seen {
		if c.ID > last {
			break
		}
		for id := next; id < c.ID; id++ {
			p.gaps = append(p.gaps, gap{id, now})
		}
		next = c.ID + 1
	}
	p.trim()
	return p, nil
}

// Follow returns a follower of the named entities (all when none is
// named) from pos.
func (f *Feed) Follow(pos Position, entities ...string) *Follower {
	fl := &Follower{f: f, pos: pos, wake: f.wakeChan()}
	if len(entities) > 0 {
		fl.entities = map[string]bool{}
		for _, e := range entities {
			fl.entities[e] = true
		}
	}
	return fl
}

// Position is a place in the feed: every entry up to Last has been seen,
// except the ones still awaited (late commits). It is a value: copies do
// not share state.
type Position struct {
	// Last is the highest id seen.
	Last int64
	gaps []gap // ascending ids below Last not seen yet
}

type gap struct {
	id    int64
	since time.Time
}

// Awaiting returns how many ids below Last the position still waits for.
func (p Position) Awaiting() int { return len(p.gaps) }

// trim keeps the newest MaxGaps gaps.
func (p *Position) trim() {
	if len(p.gaps) > MaxGaps {
		p.gaps = slices.Clone(p.gaps[len(p.gaps)-MaxGaps:])
	}
}

// Batch is what a Poll found.
type Batch struct {
	// Changes are the entries of the followed entities, late ones (below
	// the previous position) first, then in id order.
	Changes []Change
	// Late is how many of Changes arrived below the previous position.
	Late int
	// More says that the read stopped at Options.Batch entries: poll
	// again for the rest.
	More bool
	// Position is the follower's position after the batch.
	Position Position
}

// Follower follows the feed from a position. Its methods are safe for
// concurrent use; each change is delivered to one follower once.
type Follower struct {
	f        *Feed
	entities map[string]bool

	mu   sync.Mutex
	pos  Position
	wake <-chan struct{} // the feed's wake channel when the last poll began
}

// Position returns the follower's position.
func (fl *Follower) Position() Position {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	return fl.pos
}

// Poll reads what became visible since the position — awaited ids that
// arrived, then up to Options.Batch entries after Last — and moves the
// position past them. It does not wait.
func (fl *Follower) Poll(ctx context.Context) (Batch, error) {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	fl.wake = fl.f.wakeChan()
	pos := Position{Last: fl.pos.Last, gaps: slices.Clone(fl.pos.gaps)}
	var b Batch
	if len(pos.gaps) > 0 {
		late, err := fl.f.src.ChangesIn(ctx, gapIDs(pos.gaps))
		if err != nil {
			return Batch{}, err
		}
		pos.fill(late)
		b.Changes = fl.keep(b.Changes, late)
		b.Late = len(b.Changes)
		pos.expire(fl.f.opt.Now().Add(-fl.f.opt.GapTimeout))
	}
	next, err := fl.f.src.ChangesAfter(ctx, pos.Last, fl.f.opt.Batch)
	if err != nil {
		return Batch{}, err
	}
	b.More = len(next) >= fl.f.opt.Batch
	pos.advance(next, fl.f.opt.LateCommits, fl.f.opt.Now())
	b.Changes = fl.keep(b.Changes, next)
	b.Position = pos
	fl.pos = pos
	return b, nil
}

// Wait blocks until a write may have committed since the last Poll began:
// a wake-up, or the polling interval passed. It returns ctx.Err() when
// ctx is done and ErrClosed when the feed is closed.
func (fl *Follower) Wait(ctx context.Context) error {
	if fl.f.opt.Listen != nil {
		fl.f.listen.Do(func() { fl.f.Go(func(ctx context.Context) { fl.f.opt.Listen(ctx, fl.f.Wake) }) })
	}
	fl.mu.Lock()
	wake := fl.wake
	fl.mu.Unlock()
	t := time.NewTimer(fl.f.opt.Poll)
	defer t.Stop()
	select {
	case <-wake:
		return nil
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-fl.f.done:
		return ErrClosed
	}
}

// Next returns the next batch that holds changes of the followed
// entities, waiting for one. Entries of other entities move the position
// on the way.
func (fl *Follower) Next(ctx context.Context) (Batch, error) {
	for {
		select {
		case <-fl.f.done:
			return Batch{}, ErrClosed
		default:
		}
		b, err := fl.Poll(ctx)
		if err != nil || len(b.Changes) > 0 {
			return b, err
		}
		if b.More {
			continue
		}
		if err := fl.Wait(ctx); err != nil {
			return Batch{}, err
		}
	}
}

// keep appends the changes of the followed entities.
func (fl *Follower) keep(out, cs []Change) []Change {
	for _, c := range cs {
		if fl.entities == nil || fl.entities[c.Entity] {
			out = append(out, c)
		}
	}
	return out
}

func gapIDs(gs []gap) []int64 {
	ids := make([]int64, len(gs))
	for i, g := range gs {
		ids[i] = g.id
	}
	return ids
}

// fill removes the gaps that arrived.
func (p *Position) fill(arrived []Change) {
	if len(arrived) == 0 {
		return
	}
	got := make(map[int64]bool, len(arrived))
	for _, c := range arrived {
		got[c.ID] = true
	}
	p.gaps = slices.DeleteFunc(p.gaps, func(g gap) bool { return got[g.id] })
}

// expire gives up the gaps awaited since before cutoff.
func (p *Position) expire(cutoff time.Time) {
	p.gaps = slices.DeleteFunc(p.gaps, func(g gap) bool { return g.since.Before(cutoff) })
}

// advance moves Last past cs (in id order), noting the ids skipped as
// gaps when commits can be late.
func (p *Position) advance(cs []Change, late bool, now time.Time) {
	for _, c := range cs {
		if late {
			for id := max(p.Last+1, c.ID-MaxGaps); id < c.ID; id++ {
				p.gaps = append(p.gaps, gap{id, now})
			}
		}
		p.Last = max(p.Last, c.ID)
	}
	p.trim()
}
