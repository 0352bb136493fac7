package governance_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

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

// TestRemindOverdue: with a fake clock, an overdue open milestone or
// action mails the managers of its owners once; a second run sends
// nothing; a done item, a future one and one moved to a new date that
// passes are told apart.
func TestRemindOverdue(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": storetest.NewSQLite, "postgres": storetest.NewPostgres} {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			smtp := mailtest.Start(t)
			clock := time.Date(2017, 7, 1, 6, 0, 0, 0, time.UTC)
			m := mail.Deferred{Sender: mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"}}
			dir := directory.NewService(db)
			gov := governance.NewService(db, dir, nil, m, governance.Config{BaseURL: "https://escnet.test", Text: text, Now: func() time.Time { return clock }})
			sys := access.AsSystem(context.Background())
			var ids []string
			for _, slug := range []string{"hsd", "safe"} {
				c := directory.Cluster{Slug: slug, Name: strings.ToUpper(slug), Country: "NL"}
				if err := dir.CreateCluster(sys, &c); err != nil {
					t.Fatal(err)
				}
				u := accounts.User{ID: "user-" + slug, Email: "manager@" + slug + ".test", Name: slug, ManagedClusters: []string{c.ID}}
				if err := db.CreateUser(sys, &u); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, c.ID)
			}
			goal := governance.Item{Kind: governance.ItemGoal, Title: "Visibility in the EU"}
			if err := gov.AddItem(admin, &goal); err != nil {
				t.Fatal(err)
			}
			action := governance.Item{Kind: governance.ItemAction, ParentID: goal.ID, Title: "Joint lobby", Owners: ids, Starts: "2016-09-01", Ends: "2017-12-31"}
			late := governance.Item{Kind: governance.ItemMilestone, Title: "Position paper", Owners: []string{ids[0]}, Due: "2017-06-30"}
			done := governance.Item{Kind: governance.ItemMilestone, Title: "Kick-off", Owners: ids, Due: "2016-10-01"}
			future := governance.Item{Kind: governance.ItemMilestone, Title: "Final report", Owners: ids, Due: "2017-12-01"}
			if err := gov.AddItem(admin, &action); err != nil {
				t.Fatal(err)
			}
			for _, it := range []*governance.Item{&late, &done, &future} {
				it.ParentID = action.ID
				if err := gov.AddItem(admin, it); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := gov.SetStatus(admin, done.ID, 0, governance.StatusDone, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := gov.RemindOverdue(member); !errors.Is(err, store.ErrForbidden) {
				t.Errorf("a member runs the reminders: %v, want forbidden", err)
			}
			if _, err := gov.RemindOverdue(readOnly); !errors.Is(err, store.ErrForbidden) {
				t.Errorf("a read-only token runs the reminders: %v, want forbidden", err)
			}
			res, err := gov.RemindOverdue(sys)
			if err != nil || res.Items != 1 || res.Mails != 1 {
				t.Fatalf("first run: %+v, %v; want one item, one mail", res, err)
			}
			msg := smtp.Wait(t, 1)
			if !strings.Contains(strings.Join(msg.To, ","), "manager@hsd.test") || !strings.Contains(msg.Data, "Position paper") {
				t.Errorf("reminder to %v: %.300s", msg.To, msg.Data)
			}
			if res, err := gov.RemindOverdue(sys); err != nil || res.Items != 0 {
				t.Errorf("second run: %+v, %v; want nothing", res, err)
			}
			// A month on, the action has ended too: both owners are told.
			clock = time.Date(2018, 1, 2, 6, 0, 0, 0, time.UTC)
			res, err = gov.RemindOverdue(sys)
			if err != nil || res.Items != 2 || res.Mails != 4 {
				t.Fatalf("after the action's end: %+v, %v; want the action and the final report, two owners each", res, err)
			}
			smtp.Wait(t, 5)
			var to []string
			for _, m := range smtp.Messages()[1:] {
				to = append(to, m.To...)
			}
			sort.Strings(to)
			if strings.Join(to, " ") != "manager@hsd.test manager@hsd.test manager@safe.test manager@safe.test" {
				t.Errorf("reminded %v", to)
			}
			if res, err := gov.RemindOverdue(sys); err != nil || res.Items != 0 || len(smtp.Messages()) != 5 {
				t.Errorf("third run: %+v, %v, %d mails; want nothing new", res, err, len(smtp.Messages()))
			}
		})
	}
}

// TestUpdateItem: an item's owners and dates change with its version;
// who may is decided on the item before and after; bad dates are
// refused with nothing changed.
func TestUpdateItem(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		sys := access.AsSystem(context.Background())
		var ids []string
		for _, slug := range []string{"hsd", "safe"} {
			c := directory.Cluster{Slug: slug, Name: strings.ToUpper(slug), Country: "NL"}
			if err := e.dir.CreateCluster(sys, &c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		manager := access.WithViewer(context.Background(), access.Viewer{UserID: "mgr", ManagedClusters: []string{ids[0]}, WriteAllowed: true})
		goal := governance.Item{Kind: governance.ItemGoal, Title: "Visibility in the EU"}
		if err := e.gov.AddItem(admin, &goal); err != nil {
			t.Fatal(err)
		}
		action := governance.Item{Kind: governance.ItemAction, ParentID: goal.ID, Title: "Joint lobby", Owners: []string{ids[0]}, Starts: "2016-09-01", Ends: "2017-06-30"}
		if err := e.gov.AddItem(manager, &action); err != nil {
			t.Fatal(err)
		}
		ms := governance.Item{Kind: governance.ItemMilestone, ParentID: action.ID, Title: "Paper", Owners: []string{ids[0]}, Due: "2017-06-01"}
		if err := e.gov.AddItem(manager, &ms); err != nil {
			t.Fatal(err)
		}
		g := goal
		g.Title = "Renamed"
		if err := e.gov.UpdateItem(manager, &g, 0); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("a manager edits a goal: %v, want forbidden", err)
		}
		a := action
		a.Owners = []string{ids[1]}
		if err := e.gov.UpdateItem(manager, &a, 0); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("a manager hands the action to another cluster: %v, want forbidden", err)
		}
		a = action
		if err := e.gov.UpdateItem(member, &a, 0); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("a member edits: %v, want forbidden", err)
		}
		for _, tc := range []struct {
			name, field, code string
			change            func(*governance.Item)
		}{
			{"ends before it starts", "ends", validate.MinOverMax, func(it *governance.Item) { it.Ends = "2016-01-01" }},
			{"leaves its milestone outside", "ends", governance.ErrMilestoneOutside, func(it *governance.Item) { it.Ends = "2017-05-01" }},
			{"no title", "title", validate.Required, func(it *governance.Item) { it.Title = " " }},
			{"no owners", "owners", validate.Required, func(it *governance.Item) { it.Owners = nil }},
		} {
			a := action
			tc.change(&a)
			if err := e.gov.UpdateItem(manager, &a, action.Version); !hasError(err, tc.field, tc.code) {
				t.Errorf("%s: %v, want %s %s", tc.name, err, tc.field, tc.code)
			}
		}
		m := ms
		m.Due = "2017-07-01"
		if err := e.gov.UpdateItem(manager, &m, 0); !hasError(err, "due", governance.OutsideAction) {
			t.Errorf("milestone moved outside: %v", err)
		}
		if cur, _ := e.gov.EditableItem(manager, action.ID); cur.Version != action.Version || cur.Ends != action.Ends {
			t.Errorf("after bad input: %+v", cur)
		}
		a = action
		a.Title, a.Ends, a.Owners = "Joint lobby in Brussels", "2017-09-30", []string{ids[0], ids[1]}
		if err := e.gov.UpdateItem(manager, &a, action.Version); err != nil {
			t.Fatal(err)
		}
		if a.Version != action.Version+1 || a.Title != "Joint lobby in Brussels" || len(a.Owners) != 2 || a.Ends != "2017-09-30" {
			t.Errorf("updated = %+v", a)
		}
		b := action
		if err := e.gov.UpdateItem(manager, &b, action.Version); !errors.Is(err, store.ErrStale) {
			t.Errorf("an edit of the old version: %v, want stale", err)
		}
	})
}
