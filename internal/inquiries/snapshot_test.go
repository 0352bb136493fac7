package inquiries_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/store/feed"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// newExpert writes a listed person with a word no one else uses straight
// to the store (not through the contact point, which would invalidate its
// snapshot itself), as another process or node would.
func newExpert(t *testing.T, w *world, orgSlug, name string) string {
	t.Helper()
	ctx := access.WithScope(context.Background(), access.System)
	org, err := w.db.GetOrganisation(ctx, orgSlug)
	if err != nil {
		t.Fatal(err)
	}
	p := directory.Person{Name: name, OrganisationID: org.ID, Title: "Zwavelhexafluoride specialist",
		Expertise: []string{}, Languages: []string{"nl"}, Listed: true, Visibility: access.Public, TLP: access.TLPClear}
	if err := w.db.CreatePerson(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if err := w.db.SetExpert(ctx, p.ID, true, "Lekdetectie van zwavelhexafluoride in hoogspanningsinstallaties"); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func suggestsExpert(t *testing.T, svc *inquiries.Service, id string) bool {
	t.Helper()
	r, err := svc.Router(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sug := r.Suggest(inquiries.Query{Text: "Wie meet zwavelhexafluoride lekken?", Lang: "nl", Scope: access.System})
	return slices.ContainsFunc(sug.Experts, func(s inquiries.Suggestion) bool { return s.ID == id })
}

// TestRoutingFollowsTheFeed: a person listed as an expert by a write the
// contact point did not make becomes suggestible within seconds, because
// the snapshot follows the change feed (not a 30 s timer).
func TestRoutingFollowsTheFeed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		if suggestsExpert(t, w.svc, "") {
			t.Fatal("no id matched")
		}
		start := time.Now()
		id := newExpert(t, w, "uhasselt", "Saar Zwavel")
		for !suggestsExpert(t, w.svc, id) {
			if time.Since(start) > 10*time.Second {
				t.Fatal("the new expert is not suggested 10 s after the write")
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("suggestible %v after the write", time.Since(start).Round(time.Millisecond))
		// Unlisting them takes them out again.
		ctx := access.WithScope(context.Background(), access.System)
		if err := w.db.SetExpert(ctx, id, false, ""); err != nil {
			t.Fatal(err)
		}
		for suggestsExpert(t, w.svc, id) {
			if time.Since(start) > 20*time.Second {
				t.Fatal("the unlisted expert is still suggested")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// noFeed is a store without a change feed.
type noFeed struct{ *sqlstore.DB }

func (noFeed) Feed() *feed.Feed { return nil }

// TestRoutingFallbackWithoutFeed: without a feed the snapshot is reread
// once it is RouterTTL old, and not before.
func TestRoutingFallbackWithoutFeed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		svc := inquiries.NewService(noFeed{w.db}, nil, inquiries.Config{Secret: []byte("s"), Now: w.clk.now, RouterTTL: time.Minute})
		if suggestsExpert(t, svc, "") {
			t.Fatal("no id matched")
		}
		id := newExpert(t, w, "uhasselt", "Saar Zwavel")
		time.Sleep(50 * time.Millisecond)
		if suggestsExpert(t, svc, id) {
			t.Fatal("the snapshot was reread before its time")
		}
		w.clk.advance(time.Minute)
		if !suggestsExpert(t, svc, id) {
			t.Fatal("the snapshot was not reread after RouterTTL")
		}
	})
}

func practiceTitles(s inquiries.Suggestions) []string {
	var out []string
	for _, p := range s.Practices {
		out = append(out, p.Name)
	}
	return out
}

// TestPracticesSuggested: the desk's routing suggests the practices
// library's entries with reasons, each only to a desk member who may see
// it (the practices store, asked with the same scope, finds every one):
// the Hague's AMBER cluster-level flood lesson reaches the HSD desk, in
// the question's language, and not Flanders' manager — but it does reach
// a member of an hsd organisation named to Flanders' desk, who reads with
// their own scope; an anonymous scope gets public entries only.
func TestPracticesSuggested(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		const question = "Hoe evacueren we een wijk bij hoogwater en overstromingen? Wie heeft ervaring met een oefening met de brandweer?"
		const flood = "Evacuatie van een wijk bij hoogwater (demo)"
		seen := func(ctx context.Context, sug inquiries.Suggestions) {
			t.Helper()
			for _, p := range sug.Practices {
				if _, err := w.db.GetEntry(ctx, p.ID); err != nil {
					t.Errorf("practice %q suggested to a scope that may not see it: %v", p.Name, err)
				}
				if len(p.Reasons) == 0 || p.Kind == "" || p.OrgName == "" {
					t.Errorf("practice %+v without reasons, kind or organisation", p)
				}
			}
		}
		for _, c := range []struct {
			desk  string
			flood bool
		}{{"hsd", true}, {"flanders-issn", false}} {
			q, _ := w.ask(t, c.desk, question)
			ctx := deskScope(w.desk(c.desk))
			sug, err := w.svc.Suggest(ctx, q.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(sug.Practices) == 0 {
				t.Fatalf("%s desk: no practice suggested", c.desk)
			}
			seen(ctx, sug)
			if got := slices.Contains(practiceTitles(sug), flood); got != c.flood {
				t.Errorf("%s desk: practices %q; the AMBER flood lesson there: %v, want %v", c.desk, practiceTitles(sug), got, c.flood)
			}
		}
		// A member of TNO (in hsd) named to Flanders' desk reads a Flanders
		// case with their own eyes: the hsd lesson is suggested to them.
		sys := access.WithScope(context.Background(), access.System)
		tno, err := w.db.GetOrganisation(sys, "tno")
		if err != nil {
			t.Fatal(err)
		}
		u := &accounts.User{Email: "desk.tno@example.org", Name: "TNO Desk", OrganisationID: tno.ID}
		if err := w.users.NewUser(sys, u, "a-long-enough-password"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.db.SetDesk(sys, w.ids["flanders-issn"], []string{u.ID}, 0); err != nil {
			t.Fatal(err)
		}
		named := access.Viewer{UserID: u.ID, OrganisationID: tno.ID, Clusters: []string{w.ids["hsd"]}, WriteAllowed: true}
		namedCtx := access.WithScope(access.WithViewer(context.Background(), named), access.ScopeOf(named))
		q, _ := w.ask(t, "flanders-issn", question)
		sug, err := w.svc.Suggest(namedCtx, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen(namedCtx, sug)
		if !slices.Contains(practiceTitles(sug), flood) {
			t.Errorf("named desk member from hsd: practices %q, want the hsd flood lesson", practiceTitles(sug))
		}
		r, err := w.svc.Router(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		anonCtx := access.WithScope(context.Background(), access.ScopeOf(access.Viewer{}))
		anon := r.Suggest(inquiries.Query{Text: "Counter-drone sensors tested in a city centre", Lang: "en", Scope: access.ScopeFrom(anonCtx)})
		if len(anon.Practices) == 0 {
			t.Fatal("anonymous: no public practice suggested")
		}
		seen(anonCtx, anon)
	})
}
