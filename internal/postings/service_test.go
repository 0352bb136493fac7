package postings_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/postings"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/validate"
)

// clock is 1 December 2026: the demo's DRS-01 topic (deadline 11 March
// 2027) is open, CS-01 (15 September 2026) has closed.
var clock = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

type env struct {
	db   *sqlstore.DB
	svc  *postings.Service
	smtp *mailtest.Server
	// author acts for TNO (a member); other for Fraunhofer; outsider has
	// no organisation.
	author, other, admin context.Context
	tno, fraunhofer      directory.Organisation
}

func forEachEngine(t *testing.T, fn func(t *testing.T, e env)) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": storetest.NewSQLite, "postgres": storetest.NewPostgres} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := open(t)
			if _, err := demo.Load(context.Background(), directory.NewService(db)); err != nil {
				t.Fatal(err)
			}
			smtp := mailtest.Start(t)
			m := mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"}
			svc := postings.NewService(db, m, postings.Config{NoticeConfig: mail.NoticeConfig{BaseURL: "https://escnet.test", Text: text,
				Now: func() time.Time { return clock }}})
			sys := access.AsSystem(context.Background())
			acc := accounts.NewService(db, db, m, accounts.Config{Params: accounts.Params{Memory: 1024, Time: 1, Threads: 1}})
			e := env{db: db, svc: svc, smtp: smtp, admin: sys}
			var err error
			if e.tno, err = db.GetOrganisation(sys, "tno"); err != nil {
				t.Fatal(err)
			}
			if e.fraunhofer, err = db.GetOrganisation(sys, "fraunhofer"); err != nil {
				t.Fatal(err)
			}
			viewer := func(email, org string) context.Context {
				u := accounts.User{Email: email, Name: "Name of " + email, OrganisationID: org}
				if err := acc.NewUser(sys, &u, "postings-password-1"); err != nil {
					t.Fatal(err)
				}
				v := access.Viewer{UserID: u.ID, Email: email, OrganisationID: org, WriteAllowed: true}
				return access.WithScope(access.WithViewer(context.Background(), v), access.ScopeOf(v))
			}
			e.author = viewer("author@tno.test", e.tno.ID)
			e.other = viewer("someone@fraunhofer.test", e.fraunhofer.ID)
			fn(t, e)
		})
	}
}

func text(_ context.Context, key string, args ...any) string { return key + " " + fmt.Sprint(args...) }

func seek() postings.Posting {
	return postings.Posting{Kind: postings.KindSeek, CallID: "DEMO-CL3-2027-01-DRS-01", Title: "Fire brigade and police wanted",
		Text: "We coordinate a proposal on early warning and look for first responders.", Roles: []string{"first_responder", "police"},
		Capabilities: []string{"crisis-management.early-warning"}, Countries: []string{"EL", "es"}, Visibility: access.Alliance}
}

func field(t *testing.T, err error, name, code string) {
	t.Helper()
	var errs validate.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v, want a validation error on %s", err, name)
	}
	for _, fe := range errs {
		if fe.Field == name && (code == "" || fe.Code == code) {
			return
		}
	}
	t.Fatalf("errors %v do not name %s (%s)", errs, name, code)
}

func TestPostingLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		p, err := e.svc.Create(e.author, seek())
		if err != nil {
			t.Fatal(err)
		}
		if p.OrganisationID != e.tno.ID || p.ExpiresOn != "2027-03-11" || strings.Join(p.Countries, ",") != "GR,ES" {
			t.Errorf("created %+v: want TNO's, expiring on the call's deadline, countries normalised", p)
		}
		list, err := e.svc.List(e.other, postings.Filter{CallID: "DEMO-CL3-2027-01-DRS-01"})
		if err != nil || len(list) != 1 || list[0].CallTitle == "" {
			t.Fatalf("postings of the call = %+v, %v", list, err)
		}
		in, err := e.svc.ExpressInterest(e.other, p.ID, "We bring situational awareness and a test site.")
		if err != nil {
			t.Fatal(err)
		}
		msg := e.smtp.Wait(t, 1)
		if len(msg.To) != 1 || msg.To[0] != "author@tno.test" || !strings.Contains(msg.Data, "mail.posting.interest.body") ||
			!strings.Contains(msg.Data, "https://escnet.test/postings/"+p.ID) || !strings.Contains(msg.Data, "Fraunhofer") {
			t.Errorf("notice to %v:\n%s", msg.To, msg.Data)
		}
		_, err = e.svc.ExpressInterest(e.other, p.ID, "Again")
		var ce *store.ConflictError
		if !errors.As(err, &ce) || ce.Code != postings.AlreadyInterest {
			t.Errorf("second interest: %v, want a conflict", err)
		}
		d, err := e.svc.Get(e.author, p.ID)
		if err != nil || !d.Mine || len(d.InterestList) != 1 || d.InterestList[0].ID != in.ID || d.Interests != 1 || d.MayInterest {
			t.Errorf("author's view: %+v, %v", d, err)
		}
		d, err = e.svc.Get(e.other, p.ID)
		if err != nil || d.Mine || len(d.InterestList) != 1 || d.MayInterest {
			t.Errorf("interested organisation's view: %+v, %v", d, err)
		}
		if _, err := e.svc.ExpressInterest(e.author, p.ID, "Ourselves"); err == nil {
			t.Error("the author's own organisation expressed interest")
		} else {
			field(t, err, "posting_id", postings.OwnPosting)
		}
		mine, err := e.svc.Mine(e.author)
		if err != nil || len(mine) != 1 || mine[0].Interests != 1 {
			t.Errorf("my postings: %+v, %v", mine, err)
		}
	})
}

// TestPostingBadInput: every bad input named in the issue is refused with
// the field named, and nothing changes (no posting, no change feed entry).
func TestPostingBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		before, err := e.db.LatestChange(e.admin)
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, field, code string
			edit              func(*postings.Posting)
		}{
			{"topic that does not exist", "call_id", validate.NotFound, func(p *postings.Posting) { p.CallID = "HORIZON-NOPE-01" }},
			{"topic that has closed", "call_id", postings.CallClosed, func(p *postings.Posting) { p.CallID = "DEMO-CL3-2026-02-CS-01" }},
			{"offer naming a closed topic", "call_id", postings.CallClosed, func(p *postings.Posting) {
				p.Kind, p.CallID = postings.KindOffer, "DEMO-CL3-2026-02-CS-01"
			}},
			{"seeking without a topic", "call_id", validate.Required, func(p *postings.Posting) { p.CallID = "" }},
			{"expiry in the past", "expires_on", postings.ExpiryPast, func(p *postings.Posting) { p.ExpiresOn = "2026-11-30" }},
			{"expiry not a date", "expires_on", validate.InvalidDate, func(p *postings.Posting) { p.ExpiresOn = "soon" }},
			{"expiry far ahead", "expires_on", postings.ExpiryTooFar, func(p *postings.Posting) { p.ExpiresOn = "2030-01-01" }},
			{"unknown capability", "capabilities", validate.NotFound, func(p *postings.Posting) { p.Capabilities = []string{"telepathy"} }},
			{"unknown role", "roles", validate.InvalidChoice, func(p *postings.Posting) { p.Roles = []string{"wizard"} }},
			{"unknown country", "countries", validate.InvalidCountry, func(p *postings.Posting) { p.Countries = []string{"XX"} }},
			{"unknown kind", "kind", validate.InvalidChoice, func(p *postings.Posting) { p.Kind = "sell" }},
			{"no title", "title", validate.Required, func(p *postings.Posting) { p.Title = " " }},
			{"bad visibility", "visibility", validate.InvalidChoice, func(p *postings.Posting) { p.Visibility = "everyone" }},
			{"organisation unknown", "organisation_id", validate.NotFound, func(p *postings.Posting) { p.OrganisationID = "no-such-org" }},
		}
		for _, c := range cases {
			p := seek()
			c.edit(&p)
			_, err := e.svc.Create(e.author, p)
			t.Run(c.name, func(t *testing.T) { field(t, err, c.field, c.code) })
		}
		if after, _ := e.db.LatestChange(e.admin); after != before {
			t.Errorf("change feed moved from %d to %d on refused input", before, after)
		}
		if ps, _ := e.svc.List(e.admin, postings.Filter{}); len(ps) != 0 {
			t.Errorf("%d postings stored after refused input", len(ps))
		}
	})
}

func TestPostingPermissions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		if _, err := e.svc.Create(context.Background(), seek()); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("anonymous: %v, want forbidden", err)
		}
		p := seek()
		p.OrganisationID = e.tno.ID
		if _, err := e.svc.Create(e.other, p); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("Fraunhofer member posting for TNO: %v, want forbidden", err)
		}
		ro := access.WithViewer(context.Background(), access.Viewer{UserID: "x", OrganisationID: e.tno.ID})
		if _, err := e.svc.Create(ro, seek()); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("read-only token: %v, want forbidden", err)
		}
		p = seek()
		p.Visibility = access.Organisation
		own, err := e.svc.Create(e.author, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Get(e.other, own.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another organisation reads an organisation-only posting: %v, want not found", err)
		}
		if _, err := e.svc.ExpressInterest(e.other, own.ID, "hello"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("interest in a hidden posting: %v, want not found", err)
		}
		if ps, _ := e.svc.List(context.Background(), postings.Filter{}); len(ps) != 0 {
			t.Errorf("anonymous sees %d postings, want none", len(ps))
		}
		pub := seek()
		pub.Visibility = access.Public
		pp, err := e.svc.Create(e.author, pub)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ExpressInterest(context.Background(), pp.ID, "hello"); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("anonymous interest: %v, want forbidden", err)
		}
		if d, err := e.svc.Get(context.Background(), pp.ID); err != nil || d.MayInterest || d.Mine {
			t.Errorf("anonymous view of a public posting: %+v, %v", d, err)
		}
	})
}

// TestPostingExpiry: an expired posting leaves the lists, stays in "my
// postings" marked expired, and takes no more interest.
func TestPostingExpiry(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		p := seek()
		p.ExpiresOn = "2026-12-01" // today in Brussels: still open
		created, err := e.svc.Create(e.author, p)
		if err != nil {
			t.Fatal(err)
		}
		later := postings.NewService(e.db, mail.Log{}, postings.Config{NoticeConfig: mail.NoticeConfig{
			Now: func() time.Time { return time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC) }}}) // 2 December in Brussels
		if ps, _ := later.List(e.other, postings.Filter{}); len(ps) != 0 {
			t.Errorf("expired posting listed: %+v", ps)
		}
		if mine, _ := later.Mine(e.author); len(mine) != 1 || !mine[0].Expired {
			t.Errorf("my postings after expiry: %+v", mine)
		}
		_, err = later.ExpressInterest(e.other, created.ID, "late")
		field(t, err, "posting_id", postings.Expired)
	})
}

func TestCallClosedAt(t *testing.T) {
	t.Parallel()
	bru, _ := time.LoadLocation("Europe/Brussels")
	for _, c := range []struct {
		deadline string
		at       time.Time
		closed   bool
	}{
		{"2027-03-11", time.Date(2027, 3, 11, 16, 59, 59, 0, bru), false},
		{"2027-03-11", time.Date(2027, 3, 11, 17, 0, 0, 0, bru), true},
		{"2027-03-11", time.Date(2027, 3, 11, 15, 59, 0, 0, time.UTC), false}, // 16:59 CET
		{"2027-09-23", time.Date(2027, 9, 23, 15, 0, 0, 0, time.UTC), true},   // 17:00 CEST
		{"", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		if got := postings.CallClosedAt(c.deadline, c.at); got != c.closed {
			t.Errorf("CallClosedAt(%q, %s) = %v, want %v", c.deadline, c.at, got, c.closed)
		}
	}
}
