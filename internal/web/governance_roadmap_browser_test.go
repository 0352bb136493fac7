package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestBrowserRoadmapForms adds a milestone through the form as the HSD
// manager, edits its action, and checks the roadmap page (timeline and
// tables) and both forms with axe-core.
func TestBrowserRoadmapForms(t *testing.T) {
	path := browserPath(t)
	axe := axeSource(t)
	env := newEnv(t, storetest.NewSQLite(t))
	b := browserOver(t, path, env)
	sys := access.AsSystem(context.Background())
	hsd, err := env.server.dir.GetCluster(sys, "hsd")
	if err != nil {
		t.Fatal(err)
	}
	goal := governance.Item{Kind: governance.ItemGoal, Title: "Visibility in the EU"}
	if err := env.server.gov.AddItem(sys, &goal); err != nil {
		t.Fatal(err)
	}
	action := governance.Item{Kind: governance.ItemAction, ParentID: goal.ID, Title: "Joint lobby in Brussels", Owners: []string{hsd.ID}, Starts: "2016-09-01", Ends: "2017-06-30"}
	if err := env.server.gov.AddItem(sys, &action); err != nil {
		t.Fatal(err)
	}
	b.signIn(t, "manager.hsd@example.org")
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	step("open the new item form",
		chromedp.Navigate(b.base+"/roadmap/new?kind=milestone&parent="+action.ID),
		chromedp.WaitVisible(chromedp.CSS("#title")))
	b.checkAccessible(t, axe, "new roadmap item form")
	step("add a milestone",
		chromedp.SendKeys(chromedp.CSS("#title"), "Position paper sent"),
		chromedp.Click(chromedp.CSS("#owner-hsd")),
		chromedp.SetValue(chromedp.CSS("#due"), "2017-06-15"),
		chromedp.Submit(chromedp.CSS("#title")),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Navigate(b.base+"/roadmap"),
		chromedp.WaitVisible(chromedp.CSS("figure.timeline svg")))
	page, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Milestone: Position paper sent, 2017-06-15, planned", "<table"} {
		if !strings.Contains(page, want) {
			t.Errorf("roadmap page lacks %q", want)
		}
	}
	b.checkAccessible(t, axe, "roadmap with its timeline")
	b.screenshot(t, "roadmap-timeline")
	step("edit the action",
		chromedp.Navigate(b.base+"/roadmap/"+action.ID+"/edit"),
		chromedp.WaitVisible(chromedp.CSS("#title")))
	b.checkAccessible(t, axe, "edit roadmap item form")
	step("save the edit",
		chromedp.SetValue(chromedp.CSS("#title"), "Joint lobby in Brussels and Strasbourg"),
		chromedp.Submit(chromedp.CSS("#title")),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Navigate(b.base+"/roadmap"),
		chromedp.WaitVisible(chromedp.CSS("figure.timeline svg")))
	if page, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main"))); !strings.Contains(page, "Joint lobby in Brussels and Strasbourg") {
		t.Error("the edit is not on the roadmap")
	}
}
