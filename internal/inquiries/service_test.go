package inquiries_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/validate"
)

type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().UTC().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// world is the demonstration alliance on a real engine with the contact
// point sending mail to a real SMTP server on loopback.
type world struct {
	db    *sqlstore.DB
	svc   *inquiries.Service
	smtp  *mailtest.Server
	clk   *clock
	dir   string
	ids   map[string]string // cluster slug, person name → id
	users *accounts.Service
}

func forEachEngine(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newWorld(t, storetest.NewSQLite(t))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newWorld(t, storetest.NewPostgres(t))) })
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	ctx := access.WithScope(context.Background(), access.System)
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, smtp: mailtest.Start(t), clk: &clock{}, dir: t.TempDir(), ids: map[string]string{}}
	m := mail.SMTP{Addr: w.smtp.Addr, From: "escnet@example.org"}
	w.users = accounts.NewService(db, db, m, accounts.Config{Params: accounts.Params{Memory: 1024, Time: 1, Threads: 1}})
	w.svc = inquiries.NewService(db, m, inquiries.Config{Secret: []byte("s"), BaseURL: "http://escnet.test", Now: w.clk.now,
		AttachmentDir: w.dir, MaxAttachment: 100, Text: func(lang, key string, args ...any) string {
			return key + " " + strings.TrimSpace(fmt.Sprintln(args...))
		}})
	cl, err := db.ListClusters(ctx, directory.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cl.Items {
		w.ids[c.Slug] = c.ID
	}
	people, err := db.ListPeople(ctx, directory.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people.Items {
		w.ids[p.Name] = p.ID
		// Everyone agrees to be an expert; only listed people count.
		if err := w.svc.SetExpert(ctx, p.ID, true, p.Title); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// desk is the manager of a cluster; expert a person with an account.
func (w *world) desk(slug string) context.Context {
	return access.WithViewer(context.Background(), access.Viewer{UserID: "desk-" + slug, ManagedClusters: []string{w.ids[slug]}, WriteAllowed: true})
}

func (w *world) expert(name string) context.Context {
	v := access.Viewer{UserID: "user-" + name, PersonID: w.ids[name], WriteAllowed: true}
	return access.WithScope(access.WithViewer(context.Background(), v), access.ScopeOf(v))
}

func deskScope(ctx context.Context) context.Context {
	return access.WithScope(ctx, access.ScopeOf(access.ViewerFrom(ctx)))
}

var link = regexp.MustCompile(`/inquiries/follow/([A-Za-z0-9_-]+)`)

func (w *world) ask(t *testing.T, cluster, question string) (inquiries.Inquiry, string) {
	t.Helper()
	n := len(w.smtp.Messages())
	q, err := w.svc.Ask(context.Background(), inquiries.AskInput{Question: question, Name: "Els Voorbeeld", Email: "els@example.be",
		Kind: "government", Country: "BE", Lang: "nl", Consent: true, Cluster: cluster, Address: "198.51.100." + cluster})
	if err != nil {
		t.Fatal(err)
	}
	msg := w.smtp.Wait(t, n+1)
	m := link.FindStringSubmatch(msg.Data)
	if m == nil {
		t.Fatalf("confirmation without follow link:\n%s", msg.Data)
	}
	return q, m[1]
}

func wantField(t *testing.T, err error, field, code string) {
	t.Helper()
	var ve validate.Errors
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a field error on %s", err, field)
	}
	for _, fe := range ve {
		if fe.Field == field && fe.Code == code {
			return
		}
	}
	t.Fatalf("err = %v, want %s on %s", err, code, field)
}

// TestCaseFollowedToAnAnswer: a Dutch question reaches Flanders.ISSN's
// desk, which routes it to an expert of another cluster (Twente); the
// expert accepts and answers, the requester replies, rates and closes,
// and every step is audited.
func TestCaseFollowedToAnAnswer(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		q, token := w.ask(t, "flanders-issn", "We zoeken een crisisoefening voor een overstroming in Limburg, met de brandweer.")
		desk := deskScope(w.desk("flanders-issn"))
		view, err := w.svc.Get(desk, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		if view.Suggestions == nil || len(view.Suggestions.Experts) == 0 {
			t.Fatal("the desk gets no expert suggestions")
		}
		kees := w.ids["Kees Proefpersoon"]
		if _, err := w.svc.Assign(desk, q.ID, view.Inquiry.Version, []string{kees}); err != nil {
			t.Fatal(err)
		}
		exp := w.expert("Kees Proefpersoon")
		if _, err := w.svc.Respond(exp, q.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Post(exp, q.ID, inquiries.MessageInput{Body: "De Riskfactory Twente kan dit scenario oefenen."}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Post(exp, q.ID, inquiries.MessageInput{Body: "Intern: vraag Genk mee.", Internal: true}); err != nil {
			t.Fatal(err)
		}
		f, err := w.svc.Follow(context.Background(), token)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Inquiry.State; got != inquiries.StateAnswered {
			t.Errorf("state after the answer = %s, want answered", got)
		}
		for _, m := range f.Messages {
			if m.Internal {
				t.Error("the requester sees an internal note")
			}
		}
		if len(f.Messages) != 1 {
			t.Errorf("requester sees %d messages, want 1", len(f.Messages))
		}
		if _, err := w.svc.Reply(context.Background(), token, inquiries.MessageInput{Body: "Dank u, dat helpt."}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Rate(context.Background(), token, 5, "Snel en goed"); err != nil {
			t.Fatal(err)
		}
		done, err := w.svc.Finish(context.Background(), token)
		if err != nil {
			t.Fatal(err)
		}
		if done.State != inquiries.StateClosed || done.Rating != 5 || done.FirstAnswerAt == nil {
			t.Errorf("closed case: state %s rating %d answered %v", done.State, done.Rating, done.FirstAnswerAt != nil)
		}
		// An outsider (the manager of another cluster) sees nothing.
		if _, err := w.svc.Get(deskScope(w.desk("kit")), q.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another cluster's manager: err = %v, want not found", err)
		}
		entries, err := w.db.AuditLog(access.WithScope(context.Background(), access.System), auditFilter(q.ID))
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"inquiry.create", "inquiry.assign", "inquiry.accept", "inquiry.answer", "inquiry.note", "inquiry.reply", "inquiry.rate", "inquiry.close"} {
			if !strings.Contains(strings.Join(actions, " "), want) {
				t.Errorf("audit log %v lacks %s", actions, want)
			}
		}
	})
}

// TestBadStepsChangeNothing: each refused step names its field and
// leaves the case as it was.
func TestBadStepsChangeNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		q, token := w.ask(t, "flanders-issn", "Wie kan camerabewaking en privacy voor een bedrijventerrein adviseren?")
		desk := deskScope(w.desk("flanders-issn"))
		// Anna Testpersoon agreed to be an expert but is not listed.
		_, err := w.svc.Assign(desk, q.ID, 0, []string{w.ids["Anna Testpersoon"]})
		wantField(t, err, "experts[0]", inquiries.ErrNotExpert)
		_, err = w.svc.Assign(desk, q.ID, 0, []string{"00000000-0000-0000-0000-000000000000"})
		wantField(t, err, "experts[0]", inquiries.ErrNotExpert)
		// Jens Eksempel is a listed expert shared with CenSec only (cluster
		// level): the Flanders.ISSN desk may not see him, so may not assign him.
		_, err = w.svc.Assign(desk, q.ID, 0, []string{w.ids["Marie Exemple"], w.ids["Jens Eksempel"]})
		wantField(t, err, "experts[1]", inquiries.ErrNotExpert)
		_, err = w.svc.Handoff(desk, q.ID, 0, "no-such-cluster")
		wantField(t, err, "cluster", validate.NotFound)
		big := bytes.Repeat([]byte("a"), 200)
		_, err = w.svc.Post(desk, q.ID, inquiries.MessageInput{Body: "See file", Files: []inquiries.FileInput{{Name: "notes.txt", Body: bytes.NewReader(big)}}})
		wantField(t, err, "files[0]", validate.TooLarge)
		_, err = w.svc.Post(desk, q.ID, inquiries.MessageInput{Body: "See file", Files: []inquiries.FileInput{{Name: "scan.pdf", Body: strings.NewReader("MZ\x90\x00 not a pdf")}}})
		wantField(t, err, "files[0]", inquiries.ErrFileType)
		if files, _ := os.ReadDir(w.dir); len(files) != 0 {
			t.Errorf("%d files left in the attachment directory", len(files))
		}
		got, err := w.db.GetInquiry(context.Background(), q.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 1 || len(got.Assignments) != 0 || got.HandoffTo != "" {
			t.Errorf("case changed by refused steps: version %d, %d assignments, hand-off %q", got.Version, len(got.Assignments), got.HandoffTo)
		}
		msgs, _ := w.db.Messages(context.Background(), q.ID, true)
		if len(msgs) != 0 {
			t.Errorf("%d messages stored by refused steps", len(msgs))
		}
		// A reply to a closed case.
		if _, err := w.svc.Close(desk, q.ID); err != nil {
			t.Fatal(err)
		}
		var ce *store.ConflictError
		if _, err := w.svc.Reply(context.Background(), token, inquiries.MessageInput{Body: "Nog een vraag"}); !errors.As(err, &ce) || ce.Field != "body" {
			t.Errorf("reply to a closed case: err = %v, want a conflict on body", err)
		}
		if _, err := w.svc.Post(desk, q.ID, inquiries.MessageInput{Body: "Late"}); !errors.As(err, &ce) {
			t.Errorf("desk message to a closed case: err = %v, want a conflict", err)
		}
	})
}

// TestDeclineAsksTheNextExpert and the hand-off between clusters.
func TestDeclineAndHandoff(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		q, _ := w.ask(t, "twente-safety-security", "Who can test our counter-drone sensor near an airport?")
		desk := deskScope(w.desk("twente-safety-security"))
		jane := w.ids["Jane Doe"]
		if _, err := w.svc.Assign(desk, q.ID, 0, []string{jane}); err != nil {
			t.Fatal(err)
		}
		exp := w.expert("Jane Doe")
		_, err := w.svc.Respond(exp, q.ID, false, "")
		wantField(t, err, "reason", validate.Required)
		got, err := w.svc.Respond(exp, q.ID, false, "On leave until March")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Assignments) != 2 || got.Assignments[1].State != inquiries.AssignPending || got.Assignments[1].PersonID == jane {
			t.Fatalf("after a decline: %+v, want the next expert asked", got.Assignments)
		}
		// Another person may not answer the invitation.
		if _, err := w.svc.Respond(w.expert("Jef Proef"), q.ID, true, ""); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a person not on the case: err = %v, want not found", err)
		}
		// Hand-off to CenSec: its desk sees and accepts it; Twente's
		// desk cannot accept for CenSec.
		if _, err := w.svc.Handoff(desk, q.ID, 0, "censec"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.TakeHandoff(desk, q.ID, true); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("the offering desk accepts: err = %v, want forbidden", err)
		}
		censec := deskScope(w.desk("censec"))
		taken, err := w.svc.TakeHandoff(censec, q.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if taken.ClusterID != w.ids["censec"] || taken.Handoffs != 1 || taken.HandoffTo != "" {
			t.Errorf("after the hand-off: cluster %s, %d hand-offs, offered to %q", taken.ClusterName, taken.Handoffs, taken.HandoffTo)
		}
		if _, err := w.svc.Get(desk, q.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the former desk still sees the case: %v", err)
		}
	})
}

// TestTickRemindsEscalatesAnonymises runs the periodic work on a fake
// clock: a reminder at half the target, an escalation to the cluster's
// manager past it, and anonymising after the retention period.
func TestTickRemindsEscalatesAnonymises(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		ctx := access.WithScope(context.Background(), access.System)
		mgr := &accounts.User{Email: "manager.flanders@example.org", ManagedClusters: []string{w.ids["flanders-issn"]}}
		if err := w.users.NewUser(ctx, mgr, "a-long-enough-password"); err != nil {
			t.Fatal(err)
		}
		q, _ := w.ask(t, "flanders-issn", "Wie kan een brandweeroefening organiseren in Genk?")
		before := len(w.smtp.Messages())
		w.clk.advance(37 * time.Hour) // normal urgency: 72 h target
		res, err := w.svc.Tick(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Reminded != 1 || res.Escalated != 0 {
			t.Errorf("after 37 h: %+v, want one reminder", res)
		}
		w.clk.advance(36 * time.Hour)
		if res, err = w.svc.Tick(ctx); err != nil || res.Escalated != 1 {
			t.Errorf("after 73 h: %+v, %v; want one escalation", res, err)
		}
		var toManager bool
		for _, m := range w.smtp.Messages()[before:] {
			toManager = toManager || strings.Contains(strings.Join(m.To, ","), mgr.Email)
		}
		if !toManager {
			t.Error("no escalation e-mail to the cluster's manager")
		}
		if res, _ = w.svc.Tick(ctx); res.Reminded+res.Escalated != 0 {
			t.Errorf("a second tick repeats: %+v", res)
		}
		if _, err := w.svc.Close(deskScope(w.desk("flanders-issn")), q.ID); err != nil {
			t.Fatal(err)
		}
		w.clk.advance(366 * 24 * time.Hour)
		if res, err = w.svc.Tick(ctx); err != nil || res.Anonymised != 1 {
			t.Fatalf("after the retention period: %+v, %v; want one anonymised", res, err)
		}
		got, _ := w.db.GetInquiry(ctx, q.ID)
		if got.RequesterEmail != "" || got.RequesterName != "" || !got.Anonymised {
			t.Errorf("anonymised case keeps %q %q", got.RequesterName, got.RequesterEmail)
		}
	})
}

func auditFilter(id string) audit.Filter { return audit.Filter{EntityID: id, Limit: 100} }

// TestStatistics groups cases per cluster, domain, kind and month, with
// the share answered, the median and 90th percentile of the time to a
// first answer, hand-offs and satisfaction; spam and merged cases are
// not questions received.
func TestStatistics(t *testing.T) {
	at := func(d, h int) *time.Time {
		v := time.Date(2026, 3, d, h, 0, 0, 0, time.UTC)
		return &v
	}
	c := func(cluster string, answerAfter int, rating int, reason string) inquiries.Inquiry {
		q := inquiries.Inquiry{ClusterID: cluster, Domain: "drones", RequesterKind: "company", CreatedAt: *at(1, 0), Rating: rating, CloseReason: reason, Handoffs: 1}
		if answerAfter > 0 {
			q.FirstAnswerAt = at(1, answerAfter)
		}
		return q
	}
	rows := inquiries.Statistics([]inquiries.Inquiry{c("a", 2, 5, ""), c("a", 4, 3, ""), c("a", 10, 0, ""), c("a", 0, 0, ""),
		c("b", 1, 0, ""), c("a", 0, 0, inquiries.CloseSpam), c("a", 0, 0, inquiries.CloseMerged)})
	var a inquiries.StatsRow
	for _, r := range rows {
		if r.Dimension == "cluster" && r.Key == "a" {
			a = r
		}
	}
	want := inquiries.StatsRow{Dimension: "cluster", Key: "a", Received: 4, Answered: 3, AnsweredShare: 0.75, MedianHours: 4, P90Hours: 10,
		Handoffs: 4, Rated: 2, Satisfaction: 4}
	if a != want {
		t.Errorf("cluster a = %+v\nwant %+v", a, want)
	}
	if n := len(rows); n != 5 { // 2 clusters, 1 domain, 1 kind, 1 month
		t.Errorf("%d rows, want 5", n)
	}
}

// TestMergeByNumber closes a duplicate into the case it repeats.
func TestMergeByNumber(t *testing.T) {
	w := newWorld(t, storetest.NewSQLite(t))
	first, _ := w.ask(t, "flanders-issn", "Wie kan een brandweeroefening organiseren in Genk?")
	dup, _ := w.ask(t, "flanders-issn", "Wie organiseert brandweeroefeningen in Genk?")
	desk := deskScope(w.desk("flanders-issn"))
	_, err := w.svc.Merge(desk, dup.ID, "999")
	wantField(t, err, "into", validate.NotFound)
	got, err := w.svc.Merge(desk, dup.ID, fmt.Sprint(first.Number))
	if err != nil {
		t.Fatal(err)
	}
	if got.State != inquiries.StateClosed || got.CloseReason != inquiries.CloseMerged || got.MergedInto != first.ID {
		t.Errorf("merged case: %s %s into %s", got.State, got.CloseReason, got.MergedInto)
	}
}

func TestParseDeadlines(t *testing.T) {
	d, err := inquiries.ParseDeadlines("high=2h, low=240h")
	if err != nil || d["high"] != 2*time.Hour || d["normal"] != 72*time.Hour || d["low"] != 240*time.Hour {
		t.Errorf("ParseDeadlines = %v, %v", d, err)
	}
	for _, bad := range []string{"urgent=1h", "high=soon", "high=-1h", "high"} {
		if _, err := inquiries.ParseDeadlines(bad); err == nil {
			t.Errorf("ParseDeadlines(%q) accepted", bad)
		}
	}
}
