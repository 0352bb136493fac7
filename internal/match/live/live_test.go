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
)

// fakeStore is a change feed and a directory in memory; MatchData counts
// its calls and may be held back or made to fail.
type fakeStore struct {
	mu      sync.Mutex
	feed    []string // entity of each entry; ids are positions + 1
	missing map[int64]bool
	data    Data
	loads   int
	hold    chan struct{} // when set, MatchData waits for it
	fail    error
}

func (f *fakeStore) append(entity string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.feed = append(f.feed, entity)
}

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

func (f *fakeStore) LatestChange(ctx context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id := int64(len(f.feed)); id > 0; id-- {
		if !f.missing[id] {
			return id, nil
		}
	}
	return 0, nil
}

func (f *fakeStore) ChangesBetween(ctx context.Context, after, upTo int64) ([]string, int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ents []string
	var n int64
	for id := max(after+1, 1); id <= upTo && id <= int64(len(f.feed)); id++ {
		if f.missing[id] {
			continue
		}
		n++
		if !slices.Contains(ents, f.feed[id-1]) {
			ents = append(ents, f.feed[id-1])
		}
	}
	return ents, n, nil
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
	v, err := NewView(fixture(), FeedMark{})
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

func TestServiceFollowsTheFeed(t *testing.T) {
	st := &fakeStore{data: fixture(), feed: []string{"organisation"}}
	svc := New(st, Options{Interval: 50 * time.Millisecond, Logger: quiet()})
	ctx := context.Background()
	v1, err := svc.View(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.loaded() != 1 || v1.Mark.Last != 1 || v1.Orgs() != 3 {
		t.Fatalf("first view: %d loads, mark %+v", st.loaded(), v1.Mark)
	}

	// Writes the snapshot does not read move the mark, not the index.
	st.append("booking")
	st.append("person")
	svc.Notify()
	svc.Wait()
	v2, _ := svc.View(ctx)
	if st.loaded() != 1 || v2.Mark.Last != 3 || v2.Index != v1.Index {
		t.Errorf("after unrelated writes: %d loads, mark %+v", st.loaded(), v2.Mark)
	}

	// An organisation changed: rebuilt in the background.
	st.mu.Lock()
	st.data.Orgs = append(st.data.Orgs, Org{Org: match.Org{ID: "id-d", Name: "Delta"}, Slug: "delta", Visibility: access.Public})
	st.mu.Unlock()
	st.append("organisation")
	svc.Notify()
	svc.Wait()
	v3, _ := svc.View(ctx)
	if st.loaded() != 2 || v3.Orgs() != 4 || v3.Resolve("delta") != "id-d" {
		t.Errorf("after an organisation changed: %d loads, %d organisations", st.loaded(), v3.Orgs())
	}

	// Many writes in a burst: at most one rebuild per interval.
	start := time.Now()
	for range 20 {
		st.append("project")
		svc.Notify()
	}
	svc.Wait()
	if n, took := st.loaded()-2, time.Since(start); n < 1 || time.Duration(n-1)*50*time.Millisecond > took {
		t.Errorf("a burst of 20 writes: %d rebuilds in %v", n, took)
	}

	// A late entry: on PostgreSQL an entry below the newest id can commit
	// after it; the count of the window tells.
	loads := st.loaded()
	st.mu.Lock()
	st.feed = append(st.feed, "organisation", "booking")
	st.missing = map[int64]bool{int64(len(st.feed) - 1): true} // the organisation change has not committed yet
	st.mu.Unlock()
	svc.Notify()
	svc.Wait()
	if st.loaded() != loads {
		t.Fatalf("a booking made the index rebuild")
	}
	st.mu.Lock()
	st.missing = nil // now it has
	st.mu.Unlock()
	if _, err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if st.loaded() != loads+1 {
		t.Errorf("a late organisation change below the mark did not rebuild the index")
	}
}

func TestServiceServesThePreviousIndexWhileRebuilding(t *testing.T) {
	st := &fakeStore{data: fixture(), feed: []string{"organisation"}}
	svc := New(st, Options{Interval: time.Millisecond, Logger: quiet()})
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
	svc.Notify()
	for range 10 {
		v, err := svc.View(ctx)
		if err != nil || v != v1 {
			t.Fatalf("while rebuilding: %v, a different view", err)
		}
	}
	st.mu.Lock()
	st.hold = nil
	st.mu.Unlock()
	close(hold)
	svc.Wait()
	if v, _ := svc.View(ctx); v == v1 || v.Mark.Last != 2 {
		t.Errorf("after the rebuild: mark %+v", v.Mark)
	}

	// A failed rebuild keeps the index it had.
	st.mu.Lock()
	st.fail = errors.New("database gone")
	st.mu.Unlock()
	st.append("organisation")
	svc.Notify()
	svc.Wait()
	if v, err := svc.View(ctx); err != nil || v.Mark.Last != 2 {
		t.Errorf("after a failed rebuild: %v, mark %+v", err, v.Mark)
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
