package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
)

// TestBrowserExchange walks an exchange from offer to report through the
// pages, each step as the role that takes it: TNO's administrator offers
// a secondment with a laboratory TNO shares with nobody else; a member
// of the Karlsruhe fire brigade asks for a place, finds the offer among
// the matches and applies; the brigade's administrator approves for the
// guest's organisation, TNO's for the host, and both sign the plan; the
// guest now sees the laboratory (a 404 before) and writes a report; TNO
// writes its own and makes a practices entry of them. Every page type is
// checked with axe-core; screenshots at 390 and 1366 px.
func TestBrowserExchange(t *testing.T) {
	b := newBrowser(t)
	axe := axeSource(t)
	sys := access.AsSystem(context.Background())
	lab := &directory.Facility{Slug: "tno-exchange-lab", Name: "TNO exchange lab", Kind: "laboratory", OrganisationID: "tno", Country: "NL", Visibility: access.Organisation, TLP: "CLEAR"}
	if err := b.server.fac.CreateFacility(sys, lab); err != nil {
		t.Fatal(err)
	}
	if err := b.server.fac.CreateResource(sys, lab.ID, &facilities.Resource{Slug: "bench", Name: "Sensor bench", Kind: "room", Active: true}); err != nil {
		t.Fatal(err)
	}
	brigade, err := b.db.GetOrganisation(sys, "branddirektion-karlsruhe")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []accounts.User{{Email: "gast.feuerwehr@example.org", Name: "Greta Gast", OrganisationID: brigade.ID},
		{Email: "admin.feuerwehr@example.org", Name: "Anton Admin", OrganisationID: brigade.ID, OrgAdmin: true}} {
		if err := b.server.Accounts().NewUser(sys, &u, demo.Password); err != nil {
			t.Fatal(err)
		}
	}
	today := time.Now()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	shots := func(name string) {
		t.Helper()
		b.checkAccessible(t, axe, name)
		for _, w := range []struct {
			px            string
			width, height int64
		}{{"390", 390, 844}, {"1366", 1366, 900}} {
			b.do(t, "viewport "+w.px, chromedp.EmulateViewport(w.width, w.height))
			b.screenshot(t, name+"-"+w.px)
		}
	}
	status := func(want string) {
		t.Helper()
		got, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`#x-status`)))
		if w := b.server.catalog.localizer("en").T("exchange.status." + want); got != w {
			t.Errorf("status %q, want %q", got, w)
		}
	}

	// The host offers a place with its laboratory.
	b.signIn(t, "admin.tno@example.org")
	b.visit(t, "/language/en?next=/exchanges/offers/new")
	shots("exchange-offer-new")
	b.do(t, "offer", chromedp.SetValue(chromedp.CSS(`#kind`), "secondment"),
		chromedp.SendKeys(chromedp.CSS(`#topic`), "Sensor fusion secondment"),
		chromedp.SetValue(chromedp.CSS(`#language`), "en"),
		chromedp.SetValue(chromedp.CSS(`#starts_on`), day(-1)), chromedp.SetValue(chromedp.CSS(`#ends_on`), day(90)),
		chromedp.SetValue(chromedp.CSS(`#weeks`), "6"), chromedp.SendKeys(chromedp.CSS(`#country`), "NL"),
		chromedp.Click(chromedp.CSS(`input[name="facilities"][value="tno-exchange-lab"]`)),
		chromedp.SetValue(chromedp.CSS(`#visibility`), "alliance"),
		chromedp.Submit(chromedp.CSS(`#topic`)),
		chromedp.WaitVisible(chromedp.CSS(`article.exchange-offer`)))
	offerURL, _ := chromedp.Run(b.ctx, chromedp.Location())
	shots("exchange-offer")
	b.signOut(t)

	// The guest asks, finds the offer among the matches, and applies;
	// the laboratory is not theirs to see yet.
	b.signIn(t, "gast.feuerwehr@example.org")
	b.visit(t, "/facilities/tno-exchange-lab")
	h1, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`h1`)))
	if want := b.server.catalog.localizer("en").T("title.status.404"); h1 != want {
		t.Errorf("the lab before the stay: h1 %q, want %q", h1, want)
	}
	b.visit(t, "/exchanges/requests/new")
	shots("exchange-request-new")
	b.do(t, "request", chromedp.SendKeys(chromedp.CSS(`#topic`), "Learn sensor fusion for fire detection"),
		chromedp.SetValue(chromedp.CSS(`#language`), "en"),
		chromedp.SetValue(chromedp.CSS(`#starts_on`), day(0)), chromedp.SetValue(chromedp.CSS(`#ends_on`), day(45)),
		chromedp.Submit(chromedp.CSS(`#topic`)),
		chromedp.WaitVisible(chromedp.CSS(`article.exchange-request`)))
	shots("exchange-request")
	b.do(t, "open the match", chromedp.Click(chromedp.CSS(`ol.matches a[href="`+strings.TrimPrefix(offerURL, b.base)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#tasks`)))
	b.do(t, "apply", chromedp.SendKeys(chromedp.CSS(`#tasks`), "Calibrate the sensor bench; compare with our smoke detectors."),
		chromedp.SendKeys(chromedp.CSS(`#supervisor`), "Dr. Demo"),
		chromedp.SetValue(chromedp.CSS(`#starts_on`), day(0)), chromedp.SetValue(chromedp.CSS(`#ends_on`), day(30)),
		chromedp.Click(chromedp.CSS(`#record-0`)),
		chromedp.Submit(chromedp.CSS(`#supervisor`)),
		chromedp.WaitVisible(chromedp.CSS(`#x-status`)))
	appURL, _ := chromedp.Run(b.ctx, chromedp.Location())
	appPath := strings.TrimPrefix(appURL, b.base)
	status("requested")
	shots("exchange-application-requested")
	b.signOut(t)

	// Both organisations approve; both sign.
	b.signIn(t, "admin.feuerwehr@example.org")
	b.visit(t, appPath)
	// Each step waits for what only its answer shows (the page before
	// it has the status too).
	b.do(t, "approve for the guest's organisation", chromedp.Click(chromedp.CSS(`button.approve-home`)), chromedp.WaitNotPresent(chromedp.CSS(`button.approve-home`)))
	b.signOut(t)
	b.signIn(t, "admin.tno@example.org")
	b.visit(t, appPath)
	b.do(t, "approve for the host", chromedp.Click(chromedp.CSS(`button.approve-host`)), chromedp.WaitVisible(chromedp.CSS(`button.sign`)))
	status("approved")
	b.do(t, "sign for the host", chromedp.Click(chromedp.CSS(`button.sign`)), chromedp.WaitNotPresent(chromedp.CSS(`button.sign`)))
	b.signOut(t)
	b.signIn(t, "gast.feuerwehr@example.org")
	b.visit(t, appPath)
	b.do(t, "sign as the guest", chromedp.Click(chromedp.CSS(`button.sign`)), chromedp.WaitVisible(chromedp.CSS(`ul.records a`)))
	status("signed")
	shots("exchange-application-signed")

	// The stay's grant: the guest sees the laboratory and its bench.
	b.do(t, "open the granted lab", chromedp.Click(chromedp.CSS(`ul.records a`)), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	h1, _ = chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`h1`)))
	page, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`main`)))
	if h1 != "TNO exchange lab" || !strings.Contains(page, "Sensor bench") {
		t.Errorf("the lab during the stay: h1 %q, bench shown %v", h1, strings.Contains(page, "Sensor bench"))
	}
	b.visit(t, appPath)
	b.do(t, "guest's report", chromedp.SendKeys(chromedp.CSS(`#report`), "The bench found smoke 40 seconds before our detectors."),
		chromedp.Submit(chromedp.CSS(`#report`)), chromedp.WaitNotPresent(chromedp.CSS(`#report`)))
	b.signOut(t)

	// The host reports and makes a practices entry of both reports.
	b.signIn(t, "admin.tno@example.org")
	b.visit(t, appPath)
	b.do(t, "host's report", chromedp.SendKeys(chromedp.CSS(`#report`), "The guest's detectors gave us a baseline we lacked."),
		chromedp.Submit(chromedp.CSS(`#report`)), chromedp.WaitVisible(chromedp.CSS(`button.publish`)))
	status("reported")
	b.do(t, "practices entry", chromedp.Click(chromedp.CSS(`button.publish`)), chromedp.WaitVisible(chromedp.CSS(`a.entry`)))
	shots("exchange-application-reported")
	b.do(t, "open the entry", chromedp.Click(chromedp.CSS(`a.entry`)), chromedp.WaitVisible(chromedp.CSS(`article.practice`)))
	body, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`article.practice`)))
	if !strings.Contains(body, "40 seconds") || !strings.Contains(body, "baseline") {
		t.Errorf("the entry made of the reports: %.400s", body)
	}
	b.visit(t, "/exchanges")
	shots("exchanges")
	// The other interface languages: every page type of the exchange.
	for _, lang := range []string{"nl", "fr", "de"} {
		for _, p := range []string{"/exchanges", strings.TrimPrefix(offerURL, b.base), "/exchanges/offers/new", "/exchanges/requests/new", appPath} {
			b.visit(t, "/language/"+lang+"?next="+p)
			b.checkLang(t, lang)
			b.checkAccessible(t, axe, p+" in "+lang)
		}
		b.screenshot(t, "exchange-application-"+lang)
	}
}
