package governance_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/validate"
)

type env struct {
	db   *sqlstore.DB
	gov  *governance.Service
	acc  *accounts.Service
	dir  *directory.Service
	smtp *mailtest.Server
}

func forEachEngine(t *testing.T, fn func(t *testing.T, e env)) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": storetest.NewSQLite, "postgres": storetest.NewPostgres} {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			smtp := mailtest.Start(t)
			m := mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"}
			dir := directory.NewService(db)
			acc := accounts.NewService(db, db, m, accounts.Config{BaseURL: "https://escnet.test", Text: text, Params: accounts.Params{Memory: 1024, Time: 1, Threads: 1}})
			gov := governance.NewService(db, dir, acc, m, governance.Config{BaseURL: "https://escnet.test", Text: text})
			fn(t, env{db: db, gov: gov, acc: acc, dir: dir, smtp: smtp})
		})
	}
}

// text renders a message key with its arguments, so that tests see what
// an e-mail says.
func text(_ context.Context, key string, args ...any) string {
	return key + " " + fmt.Sprint(args...)
}

var (
	anon   = context.Background()
	admin  = access.WithViewer(context.Background(), access.Viewer{UserID: "admin", Email: "admin@escnet.test", AllianceAdmin: true, WriteAllowed: true})
	member = access.WithViewer(context.Background(), access.Viewer{UserID: "m", Email: "m@escnet.test", WriteAllowed: true})
	// readOnly is an alliance administrator's read-only API token.
	readOnly = access.WithViewer(context.Background(), access.Viewer{UserID: "admin", AllianceAdmin: true})
)

func application() governance.Application {
	return governance.Application{Kind: governance.KindCluster, Name: "Baltic Safety Cluster", Country: "LT", City: "Vilnius",
		Description: "Safety and security innovation in the Baltic states.", Organisation: "Baltic Safety Cluster Association",
		Members:  governance.Members{Companies: 12, SMEs: 9, Knowledge: 3, Government: 2, Practitioners: 1, Total: 18},
		StaffFTE: 150, Contact: governance.Contact{Name: "Rūta Jonaitė", Email: "ruta@baltic-safety.test"},
		Managers: []string{"ruta@baltic-safety.test"}, Letter: "We intend to join the alliance."}
}

var linkPattern = regexp.MustCompile(`https://escnet\.test/join/[A-Za-z0-9_-]+`)

func TestApplicationAccepted(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		a := application()
		secret, err := e.gov.Submit(anon, &a)
		if err != nil {
			t.Fatal(err)
		}
		msg := e.smtp.Wait(t, 1)
		if link := linkPattern.FindString(msg.Data); link != "https://escnet.test/join/"+secret {
			t.Fatalf("mail link = %q, want the private link", link)
		}
		if got, err := e.gov.ByToken(anon, secret); err != nil || got.ID != a.ID || got.State != governance.StateSubmitted {
			t.Fatalf("by token = %+v, %v", got, err)
		}
		if _, err := e.gov.ByToken(anon, secret+"x"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("wrong token: %v, want not found", err)
		}
		for name, ctx := range map[string]context.Context{"anonymous": anon, "member": member} {
			if _, err := e.gov.List(ctx, ""); !errors.Is(err, store.ErrForbidden) {
				t.Errorf("list as %s: %v, want forbidden", name, err)
			}
			if _, err := e.gov.Get(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("get as %s: %v, want not found", name, err)
			}
			if _, err := e.gov.Accept(ctx, a.ID, 0); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("accept as %s: %v, want not found", name, err)
			}
		}
		if _, err := e.gov.Accept(readOnly, a.ID, 0); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("accept with a read-only token: %v, want forbidden", err)
		}
		if _, err := e.gov.Comment(admin, a.ID, "Looks strong; check the staff figure."); err != nil {
			t.Fatal(err)
		}
		if _, err := e.gov.AskMore(admin, a.ID, 0, "Please name your member organisations."); err != nil {
			t.Fatal(err)
		}
		if msg := e.smtp.Wait(t, 2); !strings.Contains(msg.Data, "mail.join.ask") {
			t.Errorf("ask mail: %.200s", msg.Data)
		}
		seen, _ := e.gov.ByToken(anon, secret)
		if len(seen.Notes) != 1 || seen.Notes[0].Kind != governance.NoteAsk {
			t.Errorf("applicant sees notes %+v, want only the question", seen.Notes)
		}
		if _, err := e.gov.Reply(anon, secret, "Our members are listed on our website."); err != nil {
			t.Fatal(err)
		}
		cur, _ := e.gov.Get(admin, a.ID)
		if cur.State != governance.StateSubmitted || len(cur.Notes) != 3 {
			t.Fatalf("after reply: state %s, %d notes", cur.State, len(cur.Notes))
		}
		if _, err := e.gov.Accept(admin, a.ID, cur.Version-1); !errors.Is(err, store.ErrStale) {
			t.Fatalf("accept with an old version: %v, want stale", err)
		}
		got, err := e.gov.Accept(admin, a.ID, cur.Version)
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.db.GetCluster(access.AsSystem(anon), got.ClusterID)
		if err != nil || c.Name != a.Name || c.Slug != "baltic-safety-cluster" {
			t.Fatalf("cluster = %+v, %v", c, err)
		}
		// The manager's invitation: accepting it makes a manager of the cluster.
		var inv string
		for i := 3; i <= 4; i++ {
			if m := e.smtp.Wait(t, i); strings.Contains(m.Data, "/invitations/") {
				inv = regexp.MustCompile(`/invitations/([A-Za-z0-9_-]+)`).FindStringSubmatch(m.Data)[1]
			}
		}
		if inv == "" {
			t.Fatal("no invitation mailed")
		}
		u, err := e.acc.AcceptInvitation(anon, inv, "Rūta Jonaitė", "a long enough password 1")
		if err != nil {
			t.Fatal(err)
		}
		if len(u.ManagedClusters) != 1 || u.ManagedClusters[0] != c.ID || !u.OrgAdmin {
			t.Errorf("manager = %+v, want manager of %s", u, c.ID)
		}
		if _, err := e.gov.Refuse(admin, a.ID, 0, "Too late"); !hasField(err, "state") {
			t.Errorf("refuse an accepted application: %v, want a state error", err)
		}
	})
}

func TestApplicationRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		a := application()
		if _, err := e.gov.Submit(anon, &a); err != nil {
			t.Fatal(err)
		}
		e.smtp.Wait(t, 1)
		if _, err := e.gov.Refuse(admin, a.ID, 0, ""); !hasField(err, "reason") {
			t.Fatalf("refuse without a reason: %v", err)
		}
		if _, err := e.gov.Refuse(admin, a.ID, 0, "Fewer than 15 members."); err != nil {
			t.Fatal(err)
		}
		if msg := e.smtp.Wait(t, 2); !strings.Contains(msg.Data, "Fewer than 15 members.") || !strings.Contains(msg.Data, "ruta@baltic-safety.test") {
			t.Errorf("refusal mail does not say why: %.300s", msg.Data)
		}
		got, _ := e.gov.Get(admin, a.ID)
		if got.State != governance.StateRefused || got.Reason != "Fewer than 15 members." || got.ClusterID != "" {
			t.Errorf("refused = %+v", got)
		}
	})
}

func hasField(err error, field string) bool { return hasError(err, field, "") }

// hasError reports whether err names field (with code, when given).
func hasError(err error, field, code string) bool {
	var ve validate.Errors
	if !errors.As(err, &ve) {
		return false
	}
	for _, fe := range ve {
		if fe.Field == field && (code == "" || fe.Code == code) {
			return true
		}
	}
	return false
}

func TestApplicationBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		for _, tc := range []struct {
			name, field, code string
			change            func(a *governance.Application)
		}{
			{"no contact", "contact.email", validate.Required, func(a *governance.Application) { a.Contact = governance.Contact{} }},
			{"no contact name", "contact.name", validate.Required, func(a *governance.Application) { a.Contact.Name = " " }},
			{"SMEs more than companies", "members.smes", validate.SMEsOverCompanies, func(a *governance.Application) { a.Members.SMEs = 13 }},
			{"total not the sum", "members.total", validate.TotalMismatch, func(a *governance.Application) { a.Members.Total = 20 }},
			{"negative count", "members.government", validate.Negative, func(a *governance.Application) { a.Members.Government = -1 }},
			{"no letter of intent", "letter_of_intent", validate.Required, func(a *governance.Application) { a.Letter = "" }},
			{"unknown country", "country", validate.InvalidCountry, func(a *governance.Application) { a.Country = "XX" }},
		} {
			a := application()
			tc.change(&a)
			_, err := e.gov.Submit(anon, &a)
			if !hasError(err, tc.field, tc.code) {
				t.Errorf("%s: %v, want %s %s", tc.name, err, tc.field, tc.code)
			}
		}
		if all, err := e.gov.List(admin, ""); err != nil || len(all) != 0 {
			t.Errorf("after bad input: %d applications stored (%v), want none", len(all), err)
		}
		if n := len(e.smtp.Messages()); n != 0 {
			t.Errorf("%d mails sent for bad input", n)
		}
	})
}

func TestCriteria(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		c, err := e.gov.Criteria(anon)
		if err != nil || c.Members.Min != 15 || c.Helices.Min != 3 || c.StaffFTE.Min != 50 {
			t.Fatalf("default criteria = %+v, %v", c, err)
		}
		for _, tc := range []struct {
			name, field string
			c           governance.Criteria
		}{
			{"min above max", "members.min", governance.Criteria{Members: governance.Range{Min: 20, Max: 10}}},
			{"five helices", "helices.min", governance.Criteria{Helices: governance.Range{Min: 5}}},
			{"negative staff", "staff_fte_hundredths.min", governance.Criteria{StaffFTE: governance.Range{Min: -1}}},
			{"more SMEs than members allowed", "smes.min", governance.Criteria{Members: governance.Range{Max: 10}, SMEs: governance.Range{Min: 11}}},
		} {
			if err := e.gov.SetCriteria(admin, &tc.c, 0); !hasField(err, tc.field) {
				t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
			}
		}
		if cur, _ := e.gov.Criteria(anon); cur.Version != 0 {
			t.Errorf("bad criteria stored: version %d", cur.Version)
		}
		strict := governance.Criteria{Members: governance.Range{Min: 20}, Helices: governance.Range{Min: 4}}
		if err := e.gov.SetCriteria(member, &strict, 0); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("member sets criteria: %v", err)
		}
		if err := e.gov.SetCriteria(admin, &strict, 0); err != nil {
			t.Fatal(err)
		}
		if err := e.gov.SetCriteria(admin, &strict, 7); !errors.Is(err, store.ErrStale) {
			t.Errorf("stale criteria: %v", err)
		}
		cur, _ := e.gov.Criteria(anon)
		res := cur.Check(application())
		want := map[string]bool{"members": false, "helices": true}
		if len(res) != 2 {
			t.Fatalf("results %+v", res)
		}
		for _, r := range res {
			if r.Met != want[r.Measure] {
				t.Errorf("%s met = %v (got %d), want %v", r.Measure, r.Met, r.Got, want[r.Measure])
			}
		}
	})
}
