package feed

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func ids(cs []Change) []int64 {
	out := []int64{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

var ctx = context.Background()

func mustPoll(t *testing.T, fl *Follower) Batch {
	t.Helper()
	b, err := fl.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFollowNamedEntities(t *testing.T) {
	src := NewMemory()
	src.Append("organisation")
	f := New(src, Options{})
	defer f.Close()
	pos, err := f.Position(ctx)
	if err != nil || pos.Last != 1 {
		t.Fatalf("Position = %+v, %v; want Last 1", pos, err)
	}
	fl := f.Follow(pos, "organisation", "membership")
	src.Append("booking")
	src.Append("membership")
	src.Append("person")
	b := mustPoll(t, fl)
	if got := ids(b.Changes); !slices.Equal(got, []int64{3}) || b.Position.Last != 4 || b.Late != 0 {
		t.Errorf("batch = %v, last %d, late %d; want [3], last 4, late 0", got, b.Position.Last, b.Late)
	}
	if b := mustPoll(t, fl); len(b.Changes) != 0 || b.Position.Last != 4 {
		t.Errorf("second poll = %v at %d, want nothing at 4", ids(b.Changes), b.Position.Last)
	}
	all := f.Follow(Position{})
	if b := mustPoll(t, all); !slices.Equal(ids(b.Changes), []int64{1, 2, 3, 4}) {
		t.Errorf("following everything from the start = %v", ids(b.Changes))
	}
}

// TestLateCommit: id 2 commits after id 3 was read; it comes back as a
// late change in the next poll, once.
func TestLateCommit(t *testing.T) {
	for _, late := range []bool{true, false} {
		src := NewMemory()
		f := New(src, Options{LateCommits: late})
		fl := f.Follow(Position{}, "membership")
		src.Append("membership")          // 1
		slow := src.Reserve("membership") // 2, still running
		src.Append("organisation")        // 3
		b := mustPoll(t, fl)
		if !slices.Equal(ids(b.Changes), []int64{1}) || b.Position.Last != 3 {
			t.Fatalf("late=%v: first poll %v at %d", late, ids(b.Changes), b.Position.Last)
		}
		if want := map[bool]int{true: 1, false: 0}[late]; b.Position.Awaiting() != want {
			t.Errorf("late=%v: awaiting %d ids, want %d", late, b.Position.Awaiting(), want)
		}
		src.Commit(slow)
		b = mustPoll(t, fl)
		if late {
			if !slices.Equal(ids(b.Changes), []int64{2}) || b.Late != 1 || b.Position.Awaiting() != 0 {
				t.Errorf("after the late commit: %v (late %d, awaiting %d), want [2] late 1 awaiting 0", ids(b.Changes), b.Late, b.Position.Awaiting())
			}
		} else if len(b.Changes) != 0 {
			t.Errorf("without late commits the feed reported %v", ids(b.Changes))
		}
		if b := mustPoll(t, fl); len(b.Changes) != 0 {
			t.Errorf("late=%v: the late change came twice: %v", late, ids(b.Changes))
		}
		f.Close()
	}
}

// TestPositionNotesRunningTransactions: a position taken while a lower id
// is still running waits for it.
func TestPositionNotesRunningTransactions(t *testing.T) {
	src := NewMemory()
	src.Append("organisation")
	slow := src.Reserve("membership")
	src.Append("organisation")
	f := New(src, Options{LateCommits: true})
	defer f.Close()
	pos, err := f.Position(ctx)
	if err != nil || pos.Last != 3 || pos.Awaiting() != 1 {
		t.Fatalf("Position = last %d awaiting %d (%v); want 3 and 1", pos.Last, pos.Awaiting(), err)
	}
	fl := f.Follow(pos, "membership")
	src.Commit(slow)
	if b := mustPoll(t, fl); !slices.Equal(ids(b.Changes), []int64{slow}) || b.Late != 1 {
		t.Errorf("poll = %v late %d, want [%d] late 1", ids(b.Changes), b.Late, slow)
	}
}

// TestGapTimeout: an id never committed (a rollback) is given up after
// GapTimeout and not read again.
func TestGapTimeout(t *testing.T) {
	src := NewMemory()
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	f := New(src, Options{LateCommits: true, GapTimeout: time.Minute, Now: clk.now})
	defer f.Close()
	fl := f.Follow(Position{})
	src.Reserve("membership")  // 1, rolled back
	src.Append("organisation") // 2
	if b := mustPoll(t, fl); b.Position.Awaiting() != 1 {
		t.Fatalf("awaiting %d, want 1", b.Position.Awaiting())
	}
	clk.add(30 * time.Second)
	if b := mustPoll(t, fl); b.Position.Awaiting() != 1 {
		t.Errorf("after 30 s awaiting %d, want 1", b.Position.Awaiting())
	}
	clk.add(31 * time.Second)
	if b := mustPoll(t, fl); b.Position.Awaiting() != 0 {
		t.Errorf("after 61 s awaiting %d, want 0", b.Position.Awaiting())
	}
}

func TestBatches(t *testing.T) {
	src := NewMemory()
	for range 5 {
		src.Append("project")
	}
	f := New(src, Options{Batch: 2})
	defer f.Close()
	fl := f.Follow(Position{}, "project")
	var got []int64
	for {
		b := mustPoll(t, fl)
		got = append(got, ids(b.Changes)...)
		if !b.More {
			break
		}
	}
	if !slices.Equal(got, []int64{1, 2, 3, 4, 5}) {
		t.Errorf("batches gave %v", got)
	}
}

func TestWaitWakeCloseCancel(t *testing.T) {
	src := NewMemory()
	f := New(src, Options{Poll: time.Hour})
	fl := f.Follow(Position{}, "organisation")

	got := make(chan Batch, 1)
	go func() {
		b, err := fl.Next(ctx)
		if err != nil {
			t.Error(err)
		}
		got <- b
	}()
	time.Sleep(20 * time.Millisecond)
	src.Append("booking") // not followed: Next goes on waiting
	f.Wake()
	time.Sleep(20 * time.Millisecond)
	src.Append("organisation")
	f.Wake()
	select {
	case b := <-got:
		if !slices.Equal(ids(b.Changes), []int64{2}) {
			t.Errorf("Next = %v, want [2]", ids(b.Changes))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a wake-up did not end Next")
	}

	// A wake-up between Poll and Wait is not lost.
	mustPoll(t, fl)
	f.Wake()
	done := make(chan error, 1)
	go func() { done <- fl.Wait(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Wait = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a wake-up before Wait was lost")
	}

	cctx, cancel := context.WithCancel(ctx)
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	if _, err := fl.Next(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Next after cancel = %v, want context.Canceled", err)
	}

	stopped := make(chan struct{})
	f.Go(func(ctx context.Context) { <-ctx.Done(); close(stopped) })
	closed := make(chan bool)
	go func() {
		time.Sleep(10 * time.Millisecond)
		f.Close()
		select {
		case <-stopped:
			closed <- true
		default:
			closed <- false
		}
	}()
	if _, err := fl.Next(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Next after Close = %v, want ErrClosed", err)
	}
	if !<-closed {
		t.Error("Close returned before the background work ended")
	}
	f.Close() // twice is fine
}

// TestPolling: without a wake-up a waiting follower still finds a write
// of another process after the polling interval.
func TestPolling(t *testing.T) {
	src := NewMemory()
	f := New(src, Options{Poll: 20 * time.Millisecond})
	defer f.Close()
	fl := f.Follow(Position{}, "organisation")
	go func() { time.Sleep(30 * time.Millisecond); src.Append("organisation") }()
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	b, err := fl.Next(cctx)
	if err != nil || len(b.Changes) != 1 {
		t.Fatalf("Next = %v, %v", ids(b.Changes), err)
	}
}
