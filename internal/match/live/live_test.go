package live

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/feed"
)

// fakeStore is a change feed and a directory in memory; MatchData counts
// its calls and may be held back or made to fail.
type fakeStore struct {
	mem   *feed.Memory
	feed  *feed.Feed
	mu    sync.Mutex
	data  Data
	loads int
	hold  chan struct{} // when set, MatchData waits for it
	fail  error
}

func newFake(t *testing.T, entities ...string) *fakeStore {
	st := &fakeStore{data: fixture(), mem: feed.NewMemory()}
	st.feed = feed.New(st.mem, feed.Options{Poll: 20 * time.Millisecond, LateCommits: true})
	t.Cleanup(st.feed.Close)
	for _, e := range entities {
		st.mem.Append(e)
	}
	return st
}

// append writes an entry and wakes the feed, as a commit does.
func (f *fakeStore) append(entity string) {
	f.mem.Append(entity)
	f.feed.Wake()
}

func (f *fakeStore) Feed() *feed.Feed { return f.feed }

func (f *fakeStore) MatchData(ctx context.Context) (Data, error) {
	f.mu.Lock()
	hold, fail := f.hold, f.fail
	f.mu.Unlock()
	if hold != nil {
		<-hold
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if fail != nil {
		return Data{}, fail
	}
	f.loads++
	d := f.data
	d.Orgs = slices.Clone(d.Orgs)
	return d, nil
}

func (f *fakeStore) GetCall(ctx context.Context, id string) (calls.Call, error) {
	return calls.Call{}, store.ErrNotFound
}

func (f *fakeStore) loaded() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.loads
}

func fixture() Data {
	return Data{
		Orgs: []Org{
			{Org: match.Org{ID: "id-a", Name: "Alpha Drones", Kind: "company", Country: "NL", Description: "drone detection",
				Clusters: []string{"The Hague Security Delta"}}, Slug: "alpha", PIC: "900000001", PICs: []string{"900000009"},
				ClusterIDs: []string{"c-hsd"}, Visibility: access.Public, TLP: access.TLPClear},
			{Org: match.Org{ID: "id-b", Name: "Beta Police", Kind: "public_body", Roles: []string{"police"}, Country: "BE",
				Description: "drone detection for police"}, Slug: "beta", Visibility: access.Cluster, TLP: access.TLPClear,
				ClusterIDs: []string{"c-hsd"}},
			{Org: match.Org{ID: "id-c", Name: "Gamma Secret", Kind: "company", Country: "DE", Description: "drone detection"},
				Slug: "gamma", Visibility: access.Public, TLP: access.TLPRed},
		},
		Clusters: []Cluster{{ID: "c-hsd", Slug: "hsd", Name: "The Hague Security Delta"}},
	}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestViewResolveAndVisibility(t *testing.T) {
	v, err := NewView(fixture(), feed.Position{})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"id-a": "id-a", "alpha": "id-a", "900000001": "id-a", "900000009": "id-a",
		" beta ": "id-b", "ALPHA": "id-a", "nobody": "nobody"} {
		if got := v.Resolve(key); got != want {
			t.Errorf("Resolve(%q) = %q, want %q", key, got, want)
		}
	}
	if v.Visible(access.System) != nil {
		t.Error("the system scope should need no check")
	}
	tests := []struct {
		name  string
		scope access.Scope
		want  []string
	}{
		{"anonymous", access.Scope{MinReach: 3}, []string{"id-a"}},
		{"member elsewhere", access.Scope{MinReach: 2, Orgs: []string{"x"}}, []string{"id-a"}},
		{"member of the cluster", access.Scope{MinReach: 2, Clusters: []string{"c-hsd"}}, []string{"id-a", "id-b"}},
		{"of the RED organisation", access.Scope{MinReach: 2, Orgs: []string{"id-c"}}, []string{"id-a", "id-c"}},
	}
	for _, tt := range tests {
		visible := v.Visible(tt.scope)
		var got []string
		for _, id := range []string{"id-a", "id-b", "id-c", "id-unknown"} {
			if visible(id) {
				got = append(got, id)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s sees %v, want %v", tt.name, got, tt.want)
		}
	}
}

// eventually waits up to five seconds for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestServiceFollowsTheFeed(t *testing.T) {
	st := newFake(t, "organisation")
	svc := New(st, Options{Interval: 50 * time.Millisecond, Logger: quiet()})
	defer svc.Close()
	ctx := context.Background()
	v1, err := svc.View(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.loaded() != 1 || v1.Mark.Last != 1 || v1.Orgs() != 3 {
		t.Fatalf("first view: %d loads, mark %+v", st.loaded(), v1.Mark)
	}
	view := func() *View { v, _ := svc.View(ctx); return v }

	// Writes the snapshot does not read move the mark, not the index.
	st.append("booking")
	st.append("person")
	eventually(t, "the mark to move", func() bool { return view().Mark.Last == 3 })
	if v2 := view(); st.loaded() != 1 || v2.Index != v1.Index {
		t.Errorf("after unrelated writes: %d loads", st.loaded())
	}

	// An organisation changed: rebuilt in the background.
	st.mu.Lock()
	st.data.Orgs = append(st.data.Orgs, Org{Org: match.Org{ID: "id-d", Name: "Delta"}, Slug: "delta", Visibility: access.Public})
	st.mu.Unlock()
	st.append("organisation")
	eventually(t, "the rebuild", func() bool { return view().Orgs() == 4 })
	if v3 := view(); st.loaded() != 2 || v3.Resolve("delta") != "id-d" || v3.Mark.Last != 4 {
		t.Errorf("after an organisation changed: %d loads, mark %+v", st.loaded(), v3.Mark)
	}

	// Many writes in a burst: at most one rebuild per interval.
	start := time.Now()
	for range 20 {
		st.append("project")
		time.Sleep(2 * time.Millisecond)
	}
	eventually(t, "the burst", func() bool { return view().Mark.Last == 24 })
	if n, took := st.loaded()-2, time.Since(start); n < 1 || time.Duration(n-1)*50*time.Millisecond > took {
		t.Errorf("a burst of 20 writes: %d rebuilds in %v", n, took)
	}

	// A late entry: on PostgreSQL an entry below the newest id can commit
	// after it; the feed reports it when it does.
	loads := st.loaded()
	late := st.mem.Reserve("organisation")
	st.append("booking")
	eventually(t, "the mark to pass the booking", func() bool { return view().Mark.Last == late+1 })
	if st.loaded() != loads || view().Mark.Awaiting() != 1 {
		t.Fatalf("a booking made the index rebuild, or the running transaction was not awaited (%d)", view().Mark.Awaiting())
	}
	st.mem.Commit(late)
	st.feed.Wake()
	eventually(t, "the late entry's rebuild", func() bool { return st.loaded() == loads+1 })
	if _, err := svc.Refresh(ctx); err != nil || view().Mark.Awaiting() != 0 {
		t.Errorf("after the late commit: %v, awaiting %d", err, view().Mark.Awaiting())
	}
}

func TestServiceServesThePreviousIndexWhileRebuilding(t *testing.T) {
	st := newFake(t, "organisation")
	svc := New(st, Options{Interval: time.Millisecond, Logger: quiet()})
	defer svc.Close()
	ctx := context.Background()
	v1, err := svc.View(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hold := make(chan struct{})
	st.mu.Lock()
	st.hold = hold
	st.mu.Unlock()
	st.append("organisation")
	for range 10 {
		v, err := svc.View(ctx)
		if err != nil || v != v1 {
			t.Fatalf("while rebuilding: %v, a different view", err)
		}
		time.Sleep(time.Millisecond)
	}
	st.mu.Lock()
	st.hold = nil
	st.mu.Unlock()
	close(hold)
	eventually(t, "the rebuild", func() bool { v, _ := svc.View(ctx); return v != v1 && v.Mark.Last == 2 })

	// A failed rebuild keeps the index it had, and the next refresh
	// rebuilds although no further change came.
	st.mu.Lock()
	st.fail = errors.New("database gone")
	st.mu.Unlock()
	loads := st.loaded()
	st.append("organisation")
	if _, err := svc.Refresh(ctx); err == nil {
		t.Error("a failed rebuild reported no error")
	}
	if v, err := svc.View(ctx); err != nil || v.Mark.Last != 2 {
		t.Errorf("after a failed rebuild: %v, mark %+v", err, v.Mark)
	}
	st.mu.Lock()
	st.fail = nil
	st.mu.Unlock()
	if v, err := svc.Refresh(ctx); err != nil || v.Mark.Last != 3 || st.loaded() != loads+1 {
		t.Errorf("after the database came back: %v, mark %+v, %d loads (want %d)", err, v.Mark, st.loaded(), loads+1)
	}
}

// TestServiceStops: closing the feed (the database) ends the background
// follower, and so does Close.
func TestServiceStops(t *testing.T) {
	for _, how := range []string{"feed", "service"} {
		st := newFake(t, "organisation")
		svc := New(st, Options{Interval: time.Millisecond, Logger: quiet()})
		if _, err := svc.View(context.Background()); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() {
			if how == "feed" {
				st.feed.Close()
				svc.wg.Wait()
			} else {
				svc.Close()
			}
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("closing the %s did not stop the follower", how)
		}
	}
}

func TestSizeFor(t *testing.T) {
	general := calls.GeneralRule("RIA")
	police := calls.Rule{Kind: calls.KindMinPractitioners, Count: 3, Types: []string{"police"}, MinCountries: 3, CountryScope: calls.ScopeAny}
	civil := calls.Rule{Kind: calls.KindMinEntitiesOfType, Count: 5, Types: []string{calls.TypeCivilSociety}, CountryScope: calls.ScopeAny}
	most := calls.Rule{Kind: calls.KindMaxPartners, Count: 7, Types: []string{calls.TypeLegalEntity}, CountryScope: calls.ScopeAny}
	for _, tt := range []struct {
		rules []calls.Rule
		want  int
	}{
		{nil, DefaultSize},
		{[]calls.Rule{general}, DefaultSize},
		{[]calls.Rule{general, police, civil}, 8},
		{[]calls.Rule{general, police, civil, most}, 7},
	} {
		if got := SizeFor(tt.rules); got != tt.want {
			t.Errorf("SizeFor(%d rules) = %d, want %d", len(tt.rules), got, tt.want)
		}
	}
}
