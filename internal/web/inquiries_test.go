package web

import (
	"context"
	"encoding/json"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store/storetest"
)

// inquiryEnv is a server with the contact point on a fake clock and a
// real SMTP server on loopback.
func inquiryEnv(t *testing.T) (*testEnv, *mailtest.Server, *clock) {
	smtp := mailtest.Start(t)
	clk := &clock{}
	env := newEnvWith(t, storetest.NewSQLite(t), envConfig{
		Mail:      mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"},
		Accounts:  accounts.Config{BaseURL: "http://escnet.test", Now: clk.now},
		Inquiries: inquiries.Config{Secret: []byte("test-secret"), Now: clk.now, AttachmentDir: t.TempDir(), MaxAttachment: 1000},
	})
	return env, smtp, clk
}

func (env *testEnv) inquiryCount(t *testing.T) int {
	t.Helper()
	items, err := env.db.ListInquiries(context.Background(), inquiries.Filter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	return len(items)
}

var followLink = regexp.MustCompile(`http://escnet\.test(/inquiries/follow/[A-Za-z0-9_-]+)`)

func askForm(stamp string, kv ...string) url.Values {
	v := url.Values{"question": {"Wie kan een crisisoefening organiseren voor een overstroming in Limburg?"}, "name": {"Els Voorbeeld"},
		"email": {"els@example.be"}, "kind": {"government"}, "country": {"BE"}, "lang": {"nl"}, "urgency": {"normal"},
		"consent": {"1"}, "stamp": {stamp}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// TestAskOnThePublicPage asks a question in Dutch on the form: the
// requester gets a confirmation with a private link that opens the case,
// and the question reaches a Flanders.ISSN desk case.
func TestAskOnThePublicPage(t *testing.T) {
	env, smtp, clk := inquiryEnv(t)
	for _, lang := range []string{"en", "nl", "fr", "de"} {
		r := env.do("GET", "/ask", nil, "Authorization", "", "Accept-Language", lang)
		if r.status != 200 || !strings.Contains(string(r.body), `name="stamp"`) {
			t.Fatalf("GET /ask (%s) = %d", lang, r.status)
		}
	}
	stamp := env.server.inq.Stamp()
	clk.advance(5 * time.Second)
	r := env.post("/ask", askForm(stamp).Encode(), "")
	if r.status != 200 {
		t.Fatalf("POST /ask = %d\n%.500s", r.status, r.body)
	}
	msg := smtp.Wait(t, 1)
	m := followLink.FindStringSubmatch(msg.Data)
	if m == nil {
		t.Fatalf("confirmation has no follow link:\n%s", msg.Data)
	}
	page := env.get(m[1], "")
	if page.status != 200 || !strings.Contains(string(page.body), "overstroming") {
		t.Fatalf("follow page = %d", page.status)
	}
	items, _ := env.db.ListInquiries(context.Background(), inquiries.Filter{All: true})
	if len(items) != 1 {
		t.Fatalf("%d cases, want 1", len(items))
	}
	c, _ := env.db.GetCluster(context.Background(), "flanders-issn")
	if got := items[0]; got.ClusterID != c.ID || got.TLP != access.TLPAmber || got.State != inquiries.StateNew {
		t.Errorf("case cluster %s tlp %s state %s, want flanders-issn AMBER new", got.ClusterName, got.TLP, got.State)
	}
	if env.get("/inquiries/follow/not-a-token", "").status != 404 {
		t.Error("a wrong follow token opens something")
	}
}

// TestAskBadInput: each bad input names its field and stores nothing.
func TestAskBadInput(t *testing.T) {
	env, _, clk := inquiryEnv(t)
	stamp := env.server.inq.Stamp()
	clk.advance(5 * time.Second)
	cases := []struct {
		name, field string
		form        url.Values
		status      int
	}{
		{"empty question", "question", askForm(stamp, "question", ""), 422},
		{"1 MB question", "question", askForm(stamp, "question", strings.Repeat("a", 1<<20)), 422},
		{"invalid e-mail", "email", askForm(stamp, "email", "not-an-address"), 422},
		{"missing consent", "consent", askForm(stamp, "consent", ""), 422},
		{"honeypot filled", "website", askForm(stamp, "website", "http://spam.example"), 422},
		{"forged stamp", "form", askForm("123.abc"), 422},
	}
	for _, c := range cases {
		r := env.post("/ask", c.form.Encode(), "")
		if r.status != c.status || !strings.Contains(string(r.body), `role="alert"`) {
			t.Errorf("%s: status %d, want %d with errors", c.name, r.status, c.status)
		}
	}
	// Sent under two seconds after the form was served.
	fresh := env.server.inq.Stamp()
	clk.advance(time.Second)
	if r := env.post("/ask", askForm(fresh).Encode(), ""); r.status != 422 {
		t.Errorf("form sent after 1 s = %d, want 422", r.status)
	}
	if n := env.inquiryCount(t); n != 0 {
		t.Errorf("%d cases stored after bad input, want 0", n)
	}
	// The API names the field too.
	r := env.do("POST", "/api/v1/inquiries", map[string]any{"question": "", "name": "X", "email": "x@example.org", "kind": "citizen",
		"country": "NL", "lang": "en", "consent": true}, "Authorization", "")
	if r.status != 422 || !strings.Contains(string(r.body), `"field": "question"`) {
		t.Errorf("API empty question = %d\n%s", r.status, r.body)
	}
}

// TestAskThrottled: 30 questions from one address in a minute — the
// first five are taken, the rest refused with 429, and nothing of them is
// stored as a case.
func TestAskThrottled(t *testing.T) {
	env, _, clk := inquiryEnv(t)
	accepted, refused := 0, 0
	for i := range 30 {
		stamp := env.server.inq.Stamp()
		clk.advance(2 * time.Second)
		f := askForm(stamp, "email", "asker"+strings.Repeat("x", i)+"@example.org")
		switch r := env.post("/ask", f.Encode(), ""); r.status {
		case 200:
			accepted++
		case 429:
			refused++
		default:
			t.Fatalf("question %d: status %d\n%.400s", i, r.status, r.body)
		}
	}
	if accepted != 5 || refused != 25 {
		t.Errorf("accepted %d, refused %d; want 5 and 25", accepted, refused)
	}
	if n := env.inquiryCount(t); n != 5 {
		t.Errorf("%d cases stored, want 5", n)
	}
}

// TestInquiryAttachmentsOverHTTP: a file whose content is not what its
// name says, or over the limit, is refused naming the file and stores
// nothing; a good one is served only as a download.
func TestInquiryAttachmentsOverHTTP(t *testing.T) {
	env, _, _ := inquiryEnv(t)
	ctx := access.AsSystem(context.Background())
	q, err := env.server.inq.Ask(ctx, inquiries.AskInput{Question: "Who can test a counter-drone sensor near an airport?", Name: "A",
		Email: "a@example.org", Kind: "company", Country: "NL", Lang: "en", Consent: true, Cluster: "hsd", Address: "192.0.2.9"})
	if err != nil {
		t.Fatal(err)
	}
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 40)
	upload := func(name, content string) response {
		var b strings.Builder
		mw := multipart.NewWriter(&b)
		mw.WriteField("body", "See the file.")
		fw, _ := mw.CreateFormFile("files", name)
		fw.Write([]byte(content))
		mw.Close()
		return env.do("POST", "/api/v1/inquiries/"+q.ID+"/messages", b.String(), "Authorization", "Bearer "+env.admin, "Content-Type", mw.FormDataContentType())
	}
	for _, c := range []struct{ name, file, content, code string }{
		{"text named .png", "photo.png", "just some text", inquiries.ErrFileType},
		{"executable named .pdf", "report.pdf", "MZ\x90\x00\x03", inquiries.ErrFileType},
		{"over the limit", "big.png", png + strings.Repeat("\x00", 2000), "error.too_large"},
	} {
		r := upload(c.file, c.content)
		if r.status != 422 || !strings.Contains(string(r.body), `"field": "files[0]"`) || !strings.Contains(string(r.body), c.code) {
			t.Errorf("%s: %d\n%s", c.name, r.status, r.body)
		}
	}
	if msgs, _ := env.db.Messages(ctx, q.ID, true); len(msgs) != 0 {
		t.Errorf("%d messages stored by refused uploads", len(msgs))
	}
	r := upload("drawing.png", png)
	if r.status != 201 {
		t.Fatalf("good upload: %d\n%s", r.status, r.body)
	}
	var m inquiries.Message
	if err := json.Unmarshal(r.body, &m); err != nil || len(m.Attachments) != 1 {
		t.Fatalf("message %s: %v", r.body, err)
	}
	d := env.do("GET", "/api/v1/inquiry-attachments/"+m.Attachments[0].ID, nil, "Authorization", "Bearer "+env.admin)
	if d.status != 200 || d.header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(d.header.Get("Content-Disposition"), "attachment") || string(d.body) != png {
		t.Errorf("download: %d %q %q", d.status, d.header.Get("Content-Type"), d.header.Get("Content-Disposition"))
	}
	// A member who is not on the case gets nothing.
	if r := env.do("GET", "/api/v1/inquiry-attachments/"+m.Attachments[0].ID, nil, "Authorization", "Bearer "+env.tokens["member.tno@example.org"]); r.status != 404 {
		t.Errorf("download by a member not on the case: %d, want 404", r.status)
	}
}

// TestCasePageSuggestsPractices: the desk's case page and the API list
// the practices library's entries that fit the question, with reasons and
// links, among those the desk member may see.
func TestCasePageSuggestsPractices(t *testing.T) {
	env, _, _ := inquiryEnv(t)
	ctx := access.AsSystem(context.Background())
	q, err := env.server.inq.Ask(ctx, inquiries.AskInput{Question: "Hoe evacueren we een wijk bij hoogwater en overstromingen?", Name: "A",
		Email: "a@example.org", Kind: "government", Country: "NL", Lang: "nl", Consent: true, Cluster: "hsd", Address: "192.0.2.10"})
	if err != nil {
		t.Fatal(err)
	}
	mgr := env.tokens["manager.hsd@example.org"]
	r := env.do("GET", "/api/v1/inquiries/"+q.ID+"/suggestions", nil, "Authorization", "Bearer "+mgr)
	sug := decode[inquiries.Suggestions](t, r)
	var flood *inquiries.Suggestion
	for i, p := range sug.Practices {
		if p.Name == "Evacuatie van een wijk bij hoogwater (demo)" {
			flood = &sug.Practices[i]
		}
	}
	if r.status != 200 || flood == nil || len(flood.Reasons) == 0 {
		t.Fatalf("suggestions = %d, practices %+v; want the flood lesson with reasons", r.status, sug.Practices)
	}
	page := env.do("GET", "/inquiries/"+q.ID, nil, "Authorization", "Bearer "+mgr, "Accept-Language", "nl")
	body := string(page.body)
	if page.status != 200 || !strings.Contains(body, "Voorgestelde praktijken") || !strings.Contains(body, `href="/practices/`+flood.ID+`"`) ||
		!strings.Contains(body, "Geleerde les") {
		t.Errorf("case page = %d; want the suggested practices with a link and their kind", page.status)
	}
	noGoValues(t, "case page", page.body)
}
