package web

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestBrowserJoinAcceptSign submits an application as an anonymous
// visitor, reviews and accepts it as the alliance administrator, accepts
// the new manager's invitation and signs the letter for the new cluster.
func TestBrowserJoinAcceptSign(t *testing.T) {
	path := browserPath(t)
	smtp := mailtest.Start(t)
	env := newEnvWith(t, storetest.NewSQLite(t), envConfig{Mail: mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"}})
	b := browserOver(t, path, env)
	v := governance.LetterVersion{Title: "Letter of Commitment", PublishedOn: "2016-06-01", Texts: []governance.LetterText{{Lang: "en", Text: "We commit."}}}
	if err := env.server.gov.PublishLetter(access.AsSystem(context.Background()), &v); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// text reads sel, retrying while a page that a click started loading
	// replaces the one the element was found on.
	text := func(sel string) string {
		t.Helper()
		var err error
		for try := 0; try < 30; try++ {
			var s string
			if s, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel))); err == nil {
				return s
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("read %s: %v", sel, err)
		return ""
	}
	// textBecomes waits until sel reads want (the page after a click may
	// still be loading) and returns what it read last.
	textBecomes := func(sel, want string) string {
		t.Helper()
		got := ""
		for try := 0; try < 50 && got != want; try++ {
			if try > 0 {
				time.Sleep(100 * time.Millisecond)
			}
			got = text(sel)
		}
		return got
	}
	fields := [][2]string{{"#name", "Baltic Safety Cluster"}, {"#country", "LT"}, {"#description", "Safety innovation in the Baltic states."},
		{"#organisation", "Baltic Safety Cluster Association"}, {`[id="members.companies"]`, "12"}, {`[id="members.smes"]`, "9"},
		{`[id="members.knowledge_institutions"]`, "3"}, {`[id="members.government"]`, "2"}, {`[id="members.practitioners"]`, "1"},
		{`[id="members.total"]`, "18"}, {"#staff_fte", "1.5"}, {`[id="contact.name"]`, "Rūta Jonaitė"},
		{`[id="contact.email"]`, "ruta@baltic-safety.test"}, {"#letter_of_intent", "We intend to join the alliance."}}
	actions := []chromedp.Action[chromedp.Void]{chromedp.Navigate(b.base + "/join"), chromedp.WaitVisible(chromedp.CSS("#name"))}
	for _, f := range fields {
		actions = append(actions, chromedp.SendKeys(chromedp.CSS(f[0]), f[1]))
	}
	actions = append(actions, chromedp.Click(chromedp.CSS(`form[action="/join"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("main strong")))
	step("apply", actions...)
	state := textBecomes("main strong", "Waiting for review")
	private, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(private, "/join/") || state != "Waiting for review" {
		t.Fatalf("after applying: at %s, state %q", private, state)
	}

	b.signIn(t, demo.Accounts[0].Email)
	step("accept",
		chromedp.Navigate(b.base+"/admin/applications"),
		chromedp.Click(chromedp.CSS(`main table a[href^="/admin/applications/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value="accept"]`)),
		chromedp.Click(chromedp.CSS(`button[value="accept"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/applications"][aria-current]`+`, main strong`)),
	)
	state = textBecomes("main strong", "Accepted")
	step("sign out", signOut())
	if state != "Accepted" {
		t.Fatalf("after accepting: state %q", state)
	}

	var invitation string
	for i := 1; i <= 5 && invitation == ""; i++ {
		invitation = regexp.MustCompile(`/invitations/[A-Za-z0-9_-]+`).FindString(smtp.Wait(t, i).Data)
	}
	if invitation == "" {
		t.Fatal("no invitation mailed to the new manager")
	}
	step("accept the invitation",
		chromedp.Navigate(b.base+invitation),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Rūta Jonaitė"),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.Sleep(300*time.Millisecond),
	)
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.HasSuffix(loc, "/account") {
		b.signIn(t, "ruta@baltic-safety.test")
	}
	step("sign the letter",
		chromedp.Navigate(b.base+"/letter"),
		chromedp.WaitVisible(chromedp.CSS("#signer_name")),
		chromedp.SendKeys(chromedp.CSS("#signer_name"), "Rūta Jonaitė"),
		chromedp.Click(chromedp.CSS("#confirm")),
		chromedp.Click(chromedp.CSS(`form[action$="/sign"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("main table tbody")),
		chromedp.Navigate(b.base+"/clusters/baltic-safety-cluster"),
		chromedp.WaitVisible(chromedp.CSS("main dl")),
	)
	status := text("main dl")
	if !strings.Contains(status, "version 1 signed on") || !strings.Contains(status, "Rūta Jonaitė") {
		t.Errorf("cluster page after signing: %q", status)
	}
	b.screenshot(t, "governance-signed")
}
