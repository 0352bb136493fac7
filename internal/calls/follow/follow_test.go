package follow_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/calls/follow"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/storetest"
)

// setup is the demo with its accounts, a loopback SMTP server and a clock
// the test moves.
func setup(t *testing.T, now *time.Time) (*app.App, *mailtest.Server) {
	t.Helper()
	smtp := mailtest.Start(t)
	clock := func() time.Time { return *now }
	a := app.New(storetest.NewSQLite(t), app.Config{Mail: mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"}, Now: clock})
	t.Cleanup(func() { a.Close() })
	ctx := access.AsSystem(context.Background())
	if _, err := demo.LoadAll(ctx, a, *now); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadAccounts(ctx, a.Directory.Store(), a.Accounts); err != nil {
		t.Fatal(err)
	}
	return a, smtp
}

// member is the context of the demo's member at TNO.
func member(t *testing.T, a *app.App, write bool) context.Context {
	t.Helper()
	u, err := a.Accounts.Store().GetUserByEmail(access.AsSystem(context.Background()), demo.Accounts[3].Email)
	if err != nil {
		t.Fatal(err)
	}
	return access.WithViewer(context.Background(), access.Viewer{UserID: u.ID, Email: u.Email, OrganisationID: u.OrganisationID, WriteAllowed: write})
}

func TestDigestSendsNewAndClosingOnce(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, calls.Brussels)
	a, smtp := setup(t, &now)
	ctx := member(t, a, true)
	ms, err := a.Follow.Following(ctx)
	if err != nil || len(ms) == 0 {
		t.Fatalf("Following = %d, %v; want the calls TNO ranks high for", len(ms), err)
	}
	for _, m := range ms {
		if m.Call.Status == calls.StatusClosed {
			t.Errorf("a closed call is followed: %s", m.Call.ID)
		}
	}
	if err := a.Follow.Subscribe(ctx, true); err != nil {
		t.Fatal(err)
	}
	sys := access.AsSystem(context.Background())
	res, err := a.Follow.SendDigest(sys, 14)
	if err != nil || res.Subscribers != 1 || res.Mailed != 1 || res.New != len(ms) || res.Closing != 0 {
		t.Fatalf("first digest = %+v, %v; want one mail announcing %d new calls", res, err, len(ms))
	}
	msg := smtp.Wait(t, 1)
	if len(msg.To) != 1 || msg.To[0] != demo.Accounts[3].Email || !strings.Contains(msg.Data, ms[0].Call.ID) {
		t.Errorf("digest to %v:\n%s", msg.To, msg.Data)
	}
	// Again the same day: nothing new, nothing sent.
	if res, err := a.Follow.SendDigest(sys, 14); err != nil || res.Mailed != 0 || res.New != 0 {
		t.Errorf("second digest = %+v, %v; want nothing", res, err)
	}
	// Close to the deadline of the demo's calls (11 March 2027): they are
	// announced as closing, once.
	now = time.Date(2027, 3, 1, 9, 0, 0, 0, calls.Brussels)
	res, err = a.Follow.SendDigest(sys, 14)
	if err != nil || res.Mailed != 1 || res.New != 0 || res.Closing == 0 {
		t.Fatalf("closing digest = %+v, %v; want the calls closing on 11 March", res, err)
	}
	if msg := smtp.Wait(t, 2); !strings.Contains(msg.Data, "mail.calls_digest.closing") {
		t.Errorf("closing digest:\n%s", msg.Data)
	}
	if res, err := a.Follow.SendDigest(sys, 14); err != nil || res.Mailed != 0 {
		t.Errorf("closing digest again = %+v, %v; want nothing", res, err)
	}
	if n := len(smtp.Messages()); n != 2 {
		t.Errorf("%d messages sent, want 2", n)
	}
	// Unsubscribed: no more digests.
	if err := a.Follow.Subscribe(ctx, false); err != nil {
		t.Fatal(err)
	}
	if res, _ := a.Follow.SendDigest(sys, 14); res.Subscribers != 0 {
		t.Errorf("after unsubscribing: %+v", res)
	}
}

func TestDigestRetriesAfterFailedDelivery(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, calls.Brussels)
	a, smtp := setup(t, &now)
	ctx := member(t, a, true)
	if err := a.Follow.Subscribe(ctx, true); err != nil {
		t.Fatal(err)
	}
	sys := access.AsSystem(context.Background())
	broken := follow.New(a.DB, a.Calls, a.Match, mail.SMTP{Addr: "127.0.0.1:1", From: "x@example.org"}, mail.NoticeConfig{Now: func() time.Time { return now }})
	if res, err := broken.SendDigest(sys, 14); err == nil || res.Failed != 1 || res.Mailed != 0 {
		t.Fatalf("digest through a dead server = %+v, %v; want a failure", res, err)
	}
	if res, err := a.Follow.SendDigest(sys, 14); err != nil || res.Mailed != 1 || res.New == 0 {
		t.Errorf("digest after the failure = %+v, %v; want the calls announced now", res, err)
	}
	if n := len(smtp.Messages()); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

func TestFeedToken(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, calls.Brussels)
	a, _ := setup(t, &now)
	if _, err := a.Follow.NewFeedToken(member(t, a, false)); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("a read-only token made a feed: %v", err)
	}
	if _, err := a.Follow.NewFeedToken(context.Background()); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("an anonymous visitor made a feed: %v", err)
	}
	tok, err := a.Follow.NewFeedToken(member(t, a, true))
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.Follow.FeedFor(context.Background(), tok)
	if err != nil || f.Organisation.Slug != "tno" || len(f.Matches) == 0 {
		t.Fatalf("feed = %s, %d matches, %v", f.Organisation.Slug, len(f.Matches), err)
	}
	// A new token replaces the old one.
	if _, err := a.Follow.NewFeedToken(member(t, a, true)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Follow.FeedFor(context.Background(), tok); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the replaced token still reads the feed: %v", err)
	}
	if _, err := a.Follow.FeedFor(context.Background(), "short"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a short token: %v", err)
	}
}
