package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/postings"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestLoadPostings: the demo publishes its partner searches and offers
// (a seek posting only while its demo call is open) with the interests of
// other members, and an anonymous visitor sees only the public ones.
func TestLoadPostings(t *testing.T) {
	t.Parallel()
	a := app.New(storetest.NewSQLite(t), app.Config{Mail: noMail{}})
	t.Cleanup(func() { a.Close() })
	now := time.Now().UTC()
	n, err := demo.LoadAll(context.Background(), a, now, demo.WithoutCORDIS())
	if err != nil {
		t.Fatal(err)
	}
	want := 2 // the two offers
	for _, deadline := range []string{"2027-03-11", "2027-03-11"} {
		if !postings.CallClosedAt(deadline, now) {
			want++
		}
	}
	if n.Postings != want {
		t.Errorf("loaded %d postings, want %d", n.Postings, want)
	}
	all, err := a.Postings.List(access.AsSystem(context.Background()), postings.Filter{})
	if err != nil || len(all) != want {
		t.Fatalf("listed %d, %v", len(all), err)
	}
	interests := 0
	for _, p := range all {
		interests += p.Interests
	}
	if want > 2 && interests != 2 {
		t.Errorf("%d interests, want the two in TNO's search", interests)
	}
	pub, err := a.Postings.List(context.Background(), postings.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pub {
		if p.Visibility != access.Public {
			t.Errorf("anonymous sees %q (%s)", p.Title, p.Visibility)
		}
	}
}
