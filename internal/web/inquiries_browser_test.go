package web

import (
	"context"
	"net"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store/storetest"
)

// newInquiryBrowser is a browser over a server whose e-mails go to a real
// SMTP server on loopback, with links back to that server.
func newInquiryBrowser(t *testing.T) (*browserEnv, *mailtest.Server) {
	path := browserPath(t)
	smtp := mailtest.Start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	base := "http://localhost:" + port
	env := newEnvWith(t, storetest.NewSQLite(t), envConfig{
		Mail:      mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"},
		Accounts:  accounts.Config{BaseURL: base},
		Inquiries: inquiries.Config{AttachmentDir: t.TempDir()},
	})
	// Serve on the port the links name.
	env.srv.Close()
	srvLn, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Skipf("port %s taken meanwhile: %v", port, err)
	}
	env.srv = httptest.NewUnstartedServer(env.server.Handler())
	env.srv.Listener.Close()
	env.srv.Listener = srvLn
	env.srv.Start()
	t.Cleanup(env.srv.Close)
	b := startBrowser(t, path, env)
	b.base = base
	return b, smtp
}

// startBrowser starts chromium for env (as newBrowser does).
func startBrowser(t *testing.T, path string, env *testEnv) *browserEnv {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1280, 900))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browserEnv{testEnv: env, ctx: ctx}
}

// lastLink waits for an e-mail to addr and returns the path of its link
// into escnet.
func lastLink(t *testing.T, smtp *mailtest.Server, addr, subject string) string {
	t.Helper()
	re := regexp.MustCompile(`http://localhost:\d+(/inquiries/[A-Za-z0-9/_-]+)`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		msgs := smtp.Messages()
		for i := len(msgs) - 1; i >= 0; i-- {
			m := msgs[i]
			if strings.Contains(strings.Join(m.To, ","), addr) && strings.Contains(m.Data, subject) {
				if l := re.FindStringSubmatch(m.Data); l != nil {
					return l[1]
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no e-mail %q to %s with a link", subject, addr)
	return ""
}

// TestBrowserQuestionToAnswer walks the contact point: a question asked on
// the public page in Dutch reaches the Flanders.ISSN desk, whose manager
// routes it to an expert of another cluster (Twente); the expert follows
// the link in the e-mail and answers; the requester follows the link in
// theirs, rates the answer and closes the case.
func TestBrowserQuestionToAnswer(t *testing.T) {
	b, smtp := newInquiryBrowser(t)
	axe := axeSource(t)
	ctx := access.AsSystem(context.Background())
	flanders, err := b.db.GetCluster(ctx, "flanders-issn")
	if err != nil {
		t.Fatal(err)
	}
	people, err := b.db.ListPeople(ctx, directory.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]directory.Person{}
	for _, p := range people.Items {
		byID[p.ID] = p
		if p.Listed {
			if err := b.server.inq.SetExpert(ctx, p.ID, true, p.Title); err != nil {
				t.Fatal(err)
			}
		}
	}
	acc := b.server.Accounts()
	desk := &accounts.User{Email: "desk.flanders@example.org", Name: "Flanders Desk", ManagedClusters: []string{flanders.ID}}
	if err := acc.NewUser(ctx, desk, demo.Password); err != nil {
		t.Fatal(err)
	}

	// 1. The question, on the public page in Dutch.
	question := "Wij willen een crisisoefening voor een overstroming in Limburg organiseren, met de brandweer en de communicatie naar de bevolking. Wie kan ons helpen?"
	err = chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+"/language/nl?next=/ask"),
		chromedp.WaitVisible(chromedp.CSS(`#question`)),
		chromedp.SendKeys(chromedp.CSS(`#question`), question),
		chromedp.SendKeys(chromedp.CSS(`#name`), "Els Voorbeeld"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "els@example.be"),
		chromedp.SetValue(chromedp.CSS(`#kind`), "government"),
		chromedp.SetValue(chromedp.CSS(`#country`), "BE"),
		chromedp.Click(chromedp.CSS(`#consent`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	b.checkAccessible(t, axe, "inquiry-ask-nl")
	time.Sleep(2100 * time.Millisecond) // a person takes longer than the minimum fill time
	if err := chromedp.Do(b.ctx, chromedp.Submit(chromedp.CSS(`#question`)), chromedp.WaitVisible(chromedp.CSS(`p[role="status"]`))); err != nil {
		t.Fatal(err)
	}
	b.screenshot(t, "inquiry-thanks-nl")
	cases, err := b.db.ListInquiries(ctx, inquiries.Filter{All: true})
	if err != nil || len(cases) != 1 {
		t.Fatalf("%d cases, %v", len(cases), err)
	}
	q := cases[0]
	if q.ClusterID != flanders.ID {
		t.Fatalf("the question reached %s, want Flanders.ISSN", q.ClusterName)
	}

	// 2. The desk routes it to the best suggested expert of another
	// cluster, who has an account.
	deskView, err := b.server.inq.Get(access.WithViewer(context.Background(), access.Viewer{UserID: desk.ID, ManagedClusters: desk.ManagedClusters, WriteAllowed: true}), q.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kees directory.Person
	for _, e := range deskView.Suggestions.Experts {
		if !slices.Contains(e.Clusters, flanders.ID) {
			kees = byID[e.ID]
			break
		}
	}
	if kees.ID == "" {
		t.Fatalf("no expert of another cluster suggested: %+v", deskView.Suggestions.Experts)
	}
	t.Logf("routed to %s (%s)", kees.Name, kees.OrganisationName)
	expert := &accounts.User{Email: "expert@example.org", Name: kees.Name, OrganisationID: kees.OrganisationID, PersonID: kees.ID}
	if err := acc.NewUser(ctx, expert, demo.Password); err != nil {
		t.Fatal(err)
	}
	deskLink := lastLink(t, smtp, desk.Email, "")
	b.signIn(t, desk.Email)
	err = chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+deskLink),
		chromedp.WaitVisible(chromedp.CSS(`#expert-`+kees.ID)),
		chromedp.Click(chromedp.CSS(`#expert-`+kees.ID)),
	)
	if err != nil {
		t.Fatal(err)
	}
	b.checkAccessible(t, axe, "inquiry-case-desk")
	b.screenshot(t, "inquiry-case-desk")
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`button[value="assign"]`)), chromedp.WaitNotPresent(chromedp.CSS(`#expert-`+kees.ID))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.ctx, signOut()); err != nil {
		t.Fatal(err)
	}

	// 3. The expert follows the link in the e-mail, accepts and answers.
	expertLink := lastLink(t, smtp, expert.Email, "")
	b.signIn(t, expert.Email)
	answer := "Wij oefenen zulke scenario's al jaren; ik stel een eerste gesprek voor."
	err = chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+expertLink),
		chromedp.WaitVisible(chromedp.CSS(`button[value="accept"]`)),
		chromedp.Click(chromedp.CSS(`button[value="accept"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`button[value="accept"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#body`)),
		chromedp.SendKeys(chromedp.CSS(`#body`), answer),
		chromedp.Submit(chromedp.CSS(`#body`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.thread li`)),
	)
	if err != nil {
		t.Fatal(err)
	}

	// 4. The requester follows the link in the answer's e-mail, rates and
	// closes.
	followLink := lastLink(t, smtp, "els@example.be", "http")
	err = chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+followLink),
		chromedp.WaitVisible(chromedp.CSS(`#rating-5`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	b.checkAccessible(t, axe, "inquiry-follow-nl")
	err = chromedp.Do(b.ctx,
		chromedp.Click(chromedp.CSS(`#rating-5`)),
		chromedp.Submit(chromedp.CSS(`#rating-5`)),
		chromedp.WaitVisible(chromedp.CSS(`p.rated`)),
		chromedp.Submit(chromedp.CSS(`input[name="action"][value="close"]`)),
		chromedp.WaitReady(chromedp.CSS(`input[name="action"][value="reopen"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	b.screenshot(t, "inquiry-follow-closed")
	got, err := b.db.GetInquiry(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != inquiries.StateClosed || got.Rating != 5 || got.FirstAnswerAt == nil || got.ClusterID != flanders.ID {
		t.Errorf("case: state %s, rating %d, answered %v, cluster %s", got.State, got.Rating, got.FirstAnswerAt != nil, got.ClusterName)
	}
	if len(got.Assignments) != 1 || got.Assignments[0].PersonID != kees.ID || got.Assignments[0].State != inquiries.AssignAccepted {
		t.Errorf("assignments %+v, want the expert accepted", got.Assignments)
	}
	msgs, _ := b.db.Messages(ctx, q.ID, true)
	if len(msgs) != 1 || msgs[0].Body != answer || msgs[0].AuthorKind != inquiries.AuthorExpert {
		t.Errorf("thread %+v, want the expert's answer", msgs)
	}
}

// TestBrowserDeskStaff: the manager of hsd opens the desk page from the
// list of cases, names a colleague by e-mail and removes them again; the
// page passes axe-core in the four languages.
func TestBrowserDeskStaff(t *testing.T) {
	b := newBrowser(t)
	axe := axeSource(t)
	b.signIn(t, "manager.hsd@example.org")
	err := chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+"/inquiries"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/clusters/hsd/desk"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/clusters/hsd/desk"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "nl", "fr", "de"} {
		b.visit(t, "/language/"+lang+"?next=/clusters/hsd/desk")
		b.checkLang(t, lang)
		b.checkAccessible(t, axe, "inquiry-desk-"+lang)
	}
	b.visit(t, "/language/en?next=/clusters/hsd/desk")
	err = chromedp.Do(b.ctx,
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "member.tno@example.org"),
		chromedp.Click(chromedp.CSS(`button[value="add"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value="remove"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	b.checkAccessible(t, axe, "inquiry-desk-named")
	b.screenshot(t, "inquiry-desk-named")
	ctx := access.WithViewer(context.Background(), access.Viewer{UserID: "x", AllianceAdmin: true})
	d, err := b.server.inq.Desk(ctx, "hsd")
	if err != nil || len(d.Items) != 1 || d.Items[0].Email != "member.tno@example.org" {
		t.Fatalf("desk after naming: %+v, %v", d.Items, err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`button[value="remove"]`)), chromedp.WaitNotPresent(chromedp.CSS(`button[value="remove"]`))); err != nil {
		t.Fatal(err)
	}
	if d, err := b.server.inq.Desk(ctx, "hsd"); err != nil || len(d.Items) != 0 {
		t.Fatalf("desk after removing: %+v, %v", d.Items, err)
	}
}
