package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store/engine"
)

// TestRoadmapRemind: "escnet roadmap remind" mails the manager of an
// overdue milestone's owner through SMTP, in their words, once.
func TestRoadmapRemind(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "escnet.db")
	ctx := access.AsSystem(context.Background())
	db, _, err := engine.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(db, app.Config{})
	c := directory.Cluster{Slug: "hsd", Name: "HSD", Country: "NL"}
	if err := a.Directory.CreateCluster(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &accounts.User{ID: "u1", Email: "manager@hsd.test", Name: "M", ManagedClusters: []string{c.ID}}); err != nil {
		t.Fatal(err)
	}
	goal := governance.Item{Kind: governance.ItemGoal, Title: "Visibility"}
	action := governance.Item{Kind: governance.ItemAction, Title: "Lobby", Owners: []string{c.ID}, Starts: "2016-09-01", Ends: "2099-12-31"}
	ms := governance.Item{Kind: governance.ItemMilestone, Title: "Position paper", Owners: []string{c.ID}, Due: "2017-06-30"}
	for _, it := range []*governance.Item{&goal, &action, &ms} {
		if it == &action {
			it.ParentID = goal.ID
		} else if it == &ms {
			it.ParentID = action.ID
		}
		if err := a.Governance.AddItem(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	smtp := mailtest.Start(t)
	for i, want := range []string{"overdue items reminded: 1, e-mails sent: 1", "overdue items reminded: 0, e-mails sent: 0"} {
		var out, errb bytes.Buffer
		if err := run(context.Background(), []string{"roadmap", "remind", "--db", dsn, "--smtp-addr", smtp.Addr, "--base-url", "https://escnet.test"}, &out, &errb); err != nil || !strings.Contains(out.String(), want) {
			t.Fatalf("run %d: %v\n%s%s", i+1, err, out.String(), errb.String())
		}
	}
	msgs := smtp.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "manager@hsd.test" || !strings.Contains(msgs[0].Data, "Position paper") || !strings.Contains(msgs[0].Data, "2017-06-30") {
		t.Fatalf("messages: %+v", msgs)
	}
	if err := run(context.Background(), []string{"roadmap"}, &bytes.Buffer{}, &bytes.Buffer{}); err != errUsage {
		t.Errorf("roadmap without a subcommand: %v, want the usage", err)
	}
}
