package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/store/storetest"
)

// The browser tests drive Debian's chromium with chromedp. They run when a
// browser is installed and always in CI (CI=true), where a missing browser
// or axe-core fails the run instead of skipping.

func browserPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("ESCNET_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set but no chromium is installed (.ci/run installs it)")
	}
	t.Skip("no chromium installed; skipping browser tests")
	return ""
}

// axeSource is axe-core from the npm registry (package.json, installed by
// npm ci in .ci/run).
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../node_modules/axe-core/axe.min.js")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but axe-core is missing: %v (run npm ci)", err)
		}
		t.Skip("axe-core not installed (npm ci); skipping browser tests")
	}
	return string(b)
}

// artifactDir is where screenshots go: $ESCNET_ARTIFACTS or artifacts/ at
// the repository root (ignored by git).
func artifactDir(t *testing.T) string {
	dir := os.Getenv("ESCNET_ARTIFACTS")
	if dir == "" {
		dir = "../../artifacts"
	}
	dir = filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

type browserEnv struct {
	*testEnv
	base string // http://localhost:port
	ctx  context.Context
}

func newBrowser(t *testing.T) *browserEnv {
	path := browserPath(t)
	return browserOver(t, path, newEnv(t, storetest.NewSQLite(t)))
}

// browserOver starts the browser against a server the test built.
func browserOver(t *testing.T, path string, env *testEnv) *browserEnv {
	// Browsers treat localhost as a secure context, so the Secure session
	// cookie works over plain http in the test.
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(env.srv.URL, "http://"))
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browserEnv{testEnv: env, base: "http://localhost:" + port, ctx: ctx}
}

// axeResult is the part of axe-core's result the test reads.
type axeResult struct {
	Violations []struct {
		ID          string `json:"id"`
		Impact      string `json:"impact"`
		Description string `json:"description"`
		Nodes       []struct {
			Target []any  `json:"target"`
			HTML   string `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
}

// checkAccessible runs axe-core (WCAG 2.1 A and AA rules) on the current
// page and fails on any violation.
func (b *browserEnv) checkAccessible(t *testing.T, axe, name string) {
	t.Helper()
	script := axe + `;
		(async () => JSON.stringify(await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})))()`
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe: %v", name, err)
	}
	var res axeResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatalf("%s: axe result: %v", name, err)
	}
	for _, v := range res.Violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target)+" "+n.HTML)
		}
		t.Errorf("%s: axe %s (%s): %s\n  %s", name, v.ID, v.Impact, v.Description, strings.Join(where, "\n  "))
	}
}

func (b *browserEnv) screenshot(t *testing.T, name string) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("%s: screenshot: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(artifactDir(t), name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func (b *browserEnv) signIn(t *testing.T, email string) {
	t.Helper()
	err := chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), demo.Password),
		chromedp.Submit(chromedp.CSS(`#password`)),
		// The account page, not the sign-in page that is still showing.
		chromedp.WaitVisible(chromedp.CSS(`form[action="/account/tokens"]`)),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	loc, _ := chromedp.Run(b.ctx, chromedp.Location())
	if !strings.HasSuffix(loc, "/account") {
		t.Fatalf("after sign-in at %s, want /account", loc)
	}
}

// pageTypes lists one address per page type, for the accessibility,
// layout and screenshot sweep, on the whole demo.
func (b *browserEnv) pageTypes(t *testing.T) map[string]string {
	ctx := access.AsSystem(context.Background())
	one := func(query string) string {
		var v string
		if err := b.db.SQL().QueryRowContext(ctx, query).Scan(&v); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return v
	}
	person := one(`SELECT id FROM people ORDER BY id LIMIT 1`)
	event := one(`SELECT slug FROM events WHERE slug LIKE '%brokerage%' OR kind = 'brokerage' ORDER BY slug LIMIT 1`)
	return map[string]string{
		"booking":            "/bookings/" + one(`SELECT id FROM bookings ORDER BY id LIMIT 1`),
		"projects":           "/projects",
		"reset-form":         "/reset/not-a-real-token",
		"invitation-invalid": "/invitations/not-a-real-token",
		"home":               "/",
		"clusters":           "/clusters",
		"cluster":            "/clusters/twente-safety-security",
		"organisations":      "/organisations?country=NL",
		"organisation":       "/organisations/tno",
		"people":             "/people",
		"person":             "/people/" + person,
		"facilities":         "/facilities",
		"facility":           "/facilities/riskfactory-twente",
		"facility-week":      "/facilities/riskfactory-twente/week",
		"facility-new":       "/facilities/new",
		"facility-edit":      "/facilities/riskfactory-twente/edit",
		"capabilities":       "/capabilities",
		"capability":         "/capabilities/cybersecurity",
		"search":             "/search?q=drone",
		"account":            "/account",
		"invite":             "/organisations/tno/invite",
		"users":              "/admin/users",
		"audit":              "/admin/audit",
		"not-found":          "/no-such-page",
		"reset":              "/reset",
		"calls":              "/calls",
		"call":               "/calls/DEMO-CL3-2027-01-DRS-01",
		"call-edit":          "/calls/DEMO-CL3-2027-01-DRS-01/edit",
		"call-new":           "/calls/new",
		"organisation-edit":  "/organisations/tno/edit",
		"organisation-new":   "/organisations/new",
		"person-edit":        "/people/" + person + "/edit",
		"cluster-edit":       "/clusters/hsd/edit",
		"cluster-new":        "/clusters/new",
		"membership":         "/membership-requests",
		"import":             "/admin/import",
		"merges":             "/admin/merges",
		"slots":              "/slots?kind=test_range&days=1",
		"bookings":           "/bookings",
		"facility-usage":     "/facilities/twente-airport-drone-centre/usage",
		"cluster-usage":      "/clusters/twente-safety-security/usage",
		"book":               "/facilities/riskfactory-twente/book",
		"partners":           "/partners?text=drone+detection+at+airports&lead=tno",
		"call-partners":      "/calls/DEMO-CL3-2027-01-DRS-01/partners",
		"call-consortium":    "/calls/DEMO-CL3-2027-01-DRS-01/consortium",
		"consortium-none":    "/calls/DEMO-CL3-2027-01-BM-01/consortium",
		"postings":           "/postings",
		"posting-new":        "/postings/new?call=DEMO-CL3-2027-01-DRS-01",
		"events":             "/events",
		"event-calendar":     "/events/calendar",
		"event":              "/events/" + event,
		"event-participants": "/events/" + event + "/participants",
		"event-meetings":     "/events/" + event + "/meetings",
		"event-attendees":    "/events/" + event + "/attendees",
		"event-figures":      "/events/" + event + "/figures",
		"practices":          "/practices",
		"practice":           "/practices/" + one(`SELECT id FROM practice_entries ORDER BY id LIMIT 1`),
		"practice-new":       "/practices/new",
		"ask":                "/ask",
		"inquiries":          "/inquiries",
		"inquiry":            "/inquiries/" + one(`SELECT id FROM inquiries ORDER BY id LIMIT 1`),
		"inquiry-stats":      "/inquiries/stats",
		"join":               "/join",
		"applications":       "/admin/applications",
		"application":        "/admin/applications/" + one(`SELECT id FROM governance_applications ORDER BY id LIMIT 1`),
		"letter":             "/letter",
		"roadmap":            "/roadmap",
	}
}

// sweepWidths are the screen widths every page type is checked at: a phone
// and a laptop.
var sweepWidths = []int64{390, 1366}

// TestPagesAccessibleInEveryLanguage visits every page type in every
// interface language at a phone's and a laptop's width, as the alliance
// administrator (who sees every page), on the whole demo: it checks each
// with axe-core, fails on sideways scrolling and, on the laptop, on a
// header of more than one row, and saves a screenshot.
func TestPagesAccessibleInEveryLanguage(t *testing.T) {
	b := browserOver(t, browserPath(t), fullDemoEnv(t))
	axe := axeSource(t)
	// The sign-in page first, before signing in.
	for _, lang := range []string{"en", "nl", "fr", "de"} {
		b.visit(t, "/language/"+lang+"?next=/login")
		b.checkLang(t, lang)
		b.checkAccessible(t, axe, "login-"+lang)
		b.screenshot(t, "login-"+lang)
	}
	b.visit(t, "/language/en?next=/")
	b.signIn(t, "admin@example.org")
	pages := b.pageTypes(t)
	for _, width := range sweepWidths {
		if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"en", "nl", "fr", "de"} {
			b.visit(t, "/language/"+lang+"?next=/")
			for name, path := range pages {
				shot := fmt.Sprintf("%s-%s-%d", name, lang, width)
				b.visit(t, path)
				b.checkLang(t, lang)
				b.checkAccessible(t, axe, shot)
				b.checkLayout(t, shot, width)
				b.screenshot(t, shot)
			}
		}
	}
}

// checkLayout fails when the page scrolls sideways at the given width, or
// when the header takes more than one row on a laptop screen.
func (b *browserEnv) checkLayout(t *testing.T, name string, width int64) {
	t.Helper()
	scroll, err := chromedp.Run(b.ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if scroll > width {
		wide, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("main *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 3).map(e => e.outerHTML.slice(0, 120)).join(" | ")`))
		t.Errorf("%s: the page is %d px wide at %d px: it scrolls sideways (%s)", name, scroll, width, wide)
	}
	if width < 1200 {
		return
	}
	header, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`document.querySelector("header.site").getBoundingClientRect().height`))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if header > 80 {
		t.Errorf("%s: the header is %.0f px high at %d px: it wraps onto a second row", name, header, width)
	}
}

func (b *browserEnv) visit(t *testing.T, path string) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("visit %s: %v", path, err)
	}
}

func (b *browserEnv) checkLang(t *testing.T, want string) {
	t.Helper()
	attr, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil {
		t.Fatal(err)
	}
	if lang := attr.Value; lang != want {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		t.Errorf("%s: html lang = %q, want %q", loc, lang, want)
	}
}

// TestBrowserFlows walks what people do: sign in, search with
// suggestions, open an organisation, switch language, use the map.
func TestBrowserFlows(t *testing.T) {
	b := newBrowser(t)
	b.signIn(t, "member.tno@example.org")

	// Search: typing shows suggestions; submitting shows grouped results.
	err := chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+"/"),
		chromedp.SendKeys(chromedp.CSS(`#site-q`), "twen"),
		chromedp.WaitVisible(chromedp.CSS(`#site-q-suggestions li`)),
	)
	if err != nil {
		t.Fatalf("suggestions: %v", err)
	}
	suggestions, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#site-q-suggestions li").length`))
	if suggestions == 0 {
		t.Error("no suggestions shown")
	}
	if err := chromedp.Do(b.ctx, chromedp.Submit(chromedp.CSS(`#site-q`)), chromedp.WaitVisible(chromedp.CSS(`.results`))); err != nil {
		t.Fatalf("search: %v", err)
	}
	firstHit, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`.results mark`)))
	if err != nil || !strings.EqualFold(firstHit, "twen") {
		t.Errorf("search results: %v, first highlight %q", err, firstHit)
	}

	// Open an organisation from the list.
	err = chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+"/organisations?q=TNO"),
		chromedp.Click(chromedp.CSS(`table tbody a[href="/organisations/tno"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dl.facts`)),
	)
	h1, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`h1`)))
	if err != nil || !strings.Contains(h1, "TNO") {
		t.Errorf("open organisation: %v, h1 %q", err, h1)
	}

	// Switch language from the header; the choice is remembered.
	err = chromedp.Do(b.ctx,
		chromedp.Click(chromedp.CSS(`nav.languages summary`)),
		chromedp.Click(chromedp.CSS(`nav.languages a[hreflang="de"]`)),
		chromedp.WaitVisible(chromedp.CSS(`h1`)),
		chromedp.Navigate(b.base+"/clusters"),
	)
	nav, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('header nav a[href="/organisations"]').textContent`))
	if err != nil || nav != "Organisationen" {
		t.Errorf("language switch: %v, nav %q", err, nav)
	}
	b.checkLang(t, "de")

	// The partner finder: an idea with a lead, from the form.
	err = chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+"/language/en?next=/partners"),
		chromedp.WaitVisible(chromedp.CSS(`form.match-form`)),
		chromedp.SendKeys(chromedp.CSS(`#m-text`), "first responders in floods and wildfires"),
		chromedp.SendKeys(chromedp.CSS(`#m-lead`), "tno"),
		chromedp.Submit(chromedp.CSS(`#m-lead`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.ranked li ul.reasons li`)),
	)
	ranked, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("ol.ranked > li").length`))
	if err != nil || ranked == 0 {
		t.Errorf("partner finder: %v, %d organisations ranked", err, ranked)
	}

	// The consortium builder, from the call's page, with a size.
	err = chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+"/calls/DEMO-CL3-2027-01-DRS-01"),
		chromedp.Click(chromedp.CSS(`a[href="/calls/DEMO-CL3-2027-01-DRS-01/consortium"]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.proposal`)),
		chromedp.SetValue(chromedp.CSS(`#m-size`), "5"),
		chromedp.Submit(chromedp.CSS(`#m-size`)),
		// The answer's form carries the size asked (the value attribute;
		// typing changes only the property).
		chromedp.WaitVisible(chromedp.CSS(`#m-size[value="5"]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.proposal table.members`)),
	)
	members, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelector("section.proposal table.members").tBodies[0].rows.length`))
	if err != nil || members != 5 {
		t.Errorf("consortium builder: %v, %d members in the first proposal, want 5", err, members)
	}
}

// signOut opens the account menu in the header and signs out there.
func signOut() chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Click(chromedp.CSS(`nav.account summary`)),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`header a[href="/login"]`)),
	)
}
