package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/demo"
)

// TestBrowserPracticeSummary: TNO's administrator writes an AMBER entry in
// Dutch, adds an English version and an attachment, and publishes a GREEN
// summary; a member of an organisation in another cluster (Karlsruhe)
// then finds the summary and not the entry, whose page answers 404. The
// new pages are checked with axe-core on the way.
func TestBrowserPracticeSummary(t *testing.T) {
	b := newBrowser(t)
	axe := axeSource(t)
	ctx := access.WithScope(context.Background(), access.System)
	kit, err := b.db.GetOrganisation(ctx, "branddirektion-karlsruhe")
	if err != nil {
		t.Fatal(err)
	}
	outsider := accounts.User{Email: "feuerwehr.member@example.org", OrganisationID: kit.ID}
	if err := b.server.Accounts().NewUser(ctx, &outsider, demo.Password); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "draaiboek.txt")
	if err := os.WriteFile(file, []byte("Draaiboek: zandzakken bij de boulevard."), 0o600); err != nil {
		t.Fatal(err)
	}
	b.signIn(t, "admin.tno@example.org")
	b.visit(t, "/language/nl?next=/practices/new")
	b.checkAccessible(t, axe, "practice-new")
	err = chromedp.Do(b.ctx,
		chromedp.SetValue(chromedp.CSS(`#kind`), "exercise_report"),
		chromedp.SetValue(chromedp.CSS(`#visibility`), "cluster"),
		chromedp.SetValue(chromedp.CSS(`#tlp`), "AMBER"),
		chromedp.SetValue(chromedp.CSS(`#lang`), "nl"),
		chromedp.SendKeys(chromedp.CSS(`#title`), "Oefening hoogwaterkering Scheveningen"),
		chromedp.SendKeys(chromedp.CSS(`#body`), "De **kering** sloot te laat."),
		chromedp.Submit(chromedp.CSS(`#title`)),
		chromedp.WaitVisible(chromedp.CSS(`#v-title`)),
		chromedp.SetValue(chromedp.CSS(`#v-lang`), "en"),
		chromedp.SendKeys(chromedp.CSS(`#v-title`), "Flood barrier exercise Scheveningen"),
		chromedp.SendKeys(chromedp.CSS(`#v-body`), "The barrier closed too late."),
		chromedp.Submit(chromedp.CSS(`#v-title`)),
		// The English version's link (the header's language menu has links
		// with lang attributes too).
		chromedp.WaitVisible(chromedp.CSS(`main a[lang="en"]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}),
		chromedp.Submit(chromedp.CSS(`#file`)),
		chromedp.WaitVisible(chromedp.CSS(`a[download]`)),
		chromedp.SetValue(chromedp.CSS(`#s-tlp`), "GREEN"),
		chromedp.SendKeys(chromedp.CSS(`#s-title`), "Flood barrier exercise: lessons available"),
		chromedp.SendKeys(chromedp.CSS(`#s-abstract`), "TNO holds lessons from a flood barrier exercise; ask TNO."),
		chromedp.Submit(chromedp.CSS(`#s-title`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/practice-summaries/"]`)),
	)
	if err != nil {
		t.Fatalf("writing the entry: %v", err)
	}
	entryURL, _ := chromedp.Run(b.ctx, chromedp.Location())
	entryURL = strings.SplitN(entryURL, "?", 2)[0]
	b.checkAccessible(t, axe, "practice")
	b.screenshot(t, "practice")
	versions, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("dd a[lang]").length`))
	attachment, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`a[download]`)))
	if versions != 2 || attachment != "draaiboek.txt" {
		t.Errorf("entry page: %d versions, attachment %q; want 2 and draaiboek.txt", versions, attachment)
	}

	// Another cluster's member: the summary is found, the entry is not.
	if err := chromedp.Do(b.ctx, signOut()); err != nil {
		t.Fatalf("sign out: %v", err)
	}
	b.signIn(t, outsider.Email)
	b.visit(t, "/practices?q=hoogwaterkering")
	b.checkAccessible(t, axe, "practices-search")
	b.screenshot(t, "practices-search")
	summaries, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("ul.summaries li").length`))
	entries, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("ul.practices li").length`))
	if summaries != 0 {
		// The summary is in English: the Dutch word finds only the entry.
		t.Errorf("search for a word of the entry: %d summaries", summaries)
	}
	if entries != 0 {
		t.Errorf("another cluster's member finds %d entries for a word of the AMBER entry, want none", entries)
	}
	b.visit(t, "/practices?q=flood+barrier")
	summaries, _ = chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("ul.summaries li").length`))
	entries, _ = chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("ul.practices li").length`))
	title, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`ul.summaries li a`)))
	if summaries != 1 || title != "Flood barrier exercise: lessons available" || entries != 0 {
		t.Errorf("another cluster's member: %d summaries (%q), %d entries; want the summary only", summaries, title, entries)
	}
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`ul.summaries li a`)), chromedp.WaitVisible(chromedp.CSS(`article.summary`))); err != nil {
		t.Fatalf("open the summary: %v", err)
	}
	b.checkAccessible(t, axe, "practice-summary")
	b.visit(t, strings.TrimPrefix(entryURL, b.base))
	h1, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`h1`)))
	if want := b.server.catalog.localizer("nl").T("title.status.404"); strings.Contains(h1, "Scheveningen") || h1 != want {
		t.Errorf("the entry's page for another cluster's member: h1 %q, want %q", h1, want)
	}
}
