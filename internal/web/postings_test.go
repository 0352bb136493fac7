package web

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/postings"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

// postingCalls adds an open call (deadline in a month) and a closed one
// (deadline yesterday), so the test does not age with the demo's dates.
func postingCalls(t *testing.T, env *testEnv) (open, closed string) {
	t.Helper()
	sys := access.AsSystem(context.Background())
	now := time.Now()
	for _, c := range []calls.Call{
		{ID: "TEST-POSTINGS-OPEN", Title: "Open topic for postings", ActionType: "RIA", Deadline: now.AddDate(0, 1, 0).Format(time.DateOnly)},
		{ID: "TEST-POSTINGS-CLOSED", Title: "Closed topic for postings", ActionType: "RIA", Deadline: now.AddDate(0, 0, -1).Format(time.DateOnly)},
	} {
		if err := env.db.CreateCall(sys, &c); err != nil {
			t.Fatal(err)
		}
	}
	return "TEST-POSTINGS-OPEN", "TEST-POSTINGS-CLOSED"
}

func postingEnv(t *testing.T, db *sqlstore.DB) (*testEnv, *mailtest.Server) {
	smtp := mailtest.Start(t)
	env := newEnvWith(t, db, envConfig{Mail: mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"}})
	return env, smtp
}

// TestPostingsOverHTTP: a member of TNO publishes a partner search for an
// open topic, a member of another organisation expresses interest, TNO's
// member is e-mailed over SMTP and sees the interest on the page; the call
// page and the partner finder show the posting.
func TestPostingsOverHTTP(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": storetest.NewSQLite, "postgres": storetest.NewPostgres} {
		t.Run(name, func(t *testing.T) {
			env, smtp := postingEnv(t, open(t))
			openCall, _ := postingCalls(t, env)
			tno := []string{"Authorization", "Bearer " + env.tokens["member.tno@example.org"]}
			hsd := []string{"Authorization", "Bearer " + env.tokens["manager.hsd@example.org"]}
			in := PostingInput{Kind: "seek", CallID: openCall, Title: "Police forces for a pilot on public spaces", Text: "We seek two police forces.",
				Roles: []string{"police"}, Capabilities: []string{"crime-terrorism.public-spaces"}, Countries: []string{"BE", "DE"}}
			r := env.do("POST", "/api/v1/postings", in, tno...)
			if r.status != 201 {
				t.Fatalf("create: %d %s", r.status, r.body)
			}
			var p postings.Posting
			if err := json.Unmarshal(r.body, &p); err != nil {
				t.Fatal(err)
			}
			r = env.do("POST", "/api/v1/postings/"+p.ID+"/interests", InterestInput{Message: "The HSD campus hosts a pilot."}, hsd...)
			if r.status != 201 {
				t.Fatalf("interest: %d %s", r.status, r.body)
			}
			msg := smtp.Wait(t, 1)
			if len(msg.To) != 1 || msg.To[0] != "member.tno@example.org" || !strings.Contains(msg.Data, "/postings/"+p.ID) {
				t.Errorf("notice to %v:\n%s", msg.To, msg.Data)
			}
			if r := env.do("POST", "/api/v1/postings/"+p.ID+"/interests", InterestInput{Message: "Again"}, hsd...); r.status != 409 {
				t.Errorf("second interest: %d %s", r.status, r.body)
			}
			d := doc(t, env.do("GET", "/postings/"+p.ID, nil, tno...))
			if got := d.Find(".interests li").Length(); got != 1 || !strings.Contains(d.Find(".interests").Text(), "The HSD campus hosts a pilot.") {
				t.Errorf("author's page lists %d interests: %q", got, d.Find(".interests").Text())
			}
			if d.Find(`form[action$="/interests"]`).Length() != 0 {
				t.Error("the author's page offers the interest form")
			}
			if d := doc(t, env.do("GET", "/calls/"+openCall, nil, tno...)); !strings.Contains(d.Find("section.postings").Text(), in.Title) {
				t.Errorf("call page's postings section: %q", d.Find("section.postings").Text())
			}
			if d := doc(t, env.do("GET", "/calls/"+openCall+"/partners", nil, tno...)); !strings.Contains(d.Find("section.postings").Text(), in.Title) {
				t.Errorf("partner finder's postings section: %q", d.Find("section.postings").Text())
			}
			mine := doc(t, env.do("GET", "/postings/mine", nil, tno...))
			if !strings.Contains(mine.Find("ul.postings").Text(), in.Title) {
				t.Errorf("my postings: %q", mine.Find("ul.postings").Text())
			}
			// The form: a member of another organisation expresses interest.
			form := url.Values{"message": {"Twente brings its drone test site."}}
			r = env.do("POST", "/postings/"+p.ID+"/interests", form.Encode(), append(tno[:0:0], "Authorization", "Bearer "+env.admin, "Content-Type", "application/x-www-form-urlencoded")...)
			if r.status != 403 {
				t.Errorf("alliance administrator (no organisation) interest form: %d", r.status)
			}
		})
	}
}

// TestPostingsBadInputOverHTTP: every bad input the issue names answers
// 422 naming the field, and the change feed does not move.
func TestPostingsBadInputOverHTTP(t *testing.T) {
	env, _ := postingEnv(t, storetest.NewSQLite(t))
	openCall, closedCall := postingCalls(t, env)
	tno := []string{"Authorization", "Bearer " + env.tokens["member.tno@example.org"]}
	yesterday := time.Now().AddDate(0, 0, -2).Format(time.DateOnly)
	for _, c := range []struct {
		name, field string
		in          PostingInput
	}{
		{"topic that does not exist", "call_id", PostingInput{Kind: "seek", CallID: "HORIZON-NO-SUCH-TOPIC", Title: "x", Text: "y"}},
		{"topic that has closed", "call_id", PostingInput{Kind: "seek", CallID: closedCall, Title: "x", Text: "y"}},
		{"expiry in the past", "expires_on", PostingInput{Kind: "seek", CallID: openCall, Title: "x", Text: "y", ExpiresOn: yesterday}},
	} {
		before, _ := env.db.LatestChange(context.Background())
		r := env.do("POST", "/api/v1/postings", c.in, tno...)
		if r.status != 422 || !strings.Contains(string(r.body), `"field": "`+c.field+`"`) {
			t.Errorf("%s: %d %s", c.name, r.status, r.body)
		}
		if after, _ := env.db.LatestChange(context.Background()); after != before {
			t.Errorf("%s: change feed moved", c.name)
		}
	}
	// The page form keeps what was typed and names the field.
	form := url.Values{"kind": {"seek"}, "call_id": {closedCall}, "title": {"Kept title"}, "text": {"Kept text"}, "visibility": {"alliance"}}
	r := env.do("POST", "/postings/new", form.Encode(), append(tno, "Content-Type", "application/x-www-form-urlencoded")...)
	d := doc(t, r)
	if r.status != 422 || d.Find("ul.errors li").Length() == 0 || d.Find(`input[name="title"]`).AttrOr("value", "") != "Kept title" {
		t.Errorf("form with a closed topic: %d, errors %q", r.status, d.Find("ul.errors").Text())
	}
	if r := env.do("GET", "/api/v1/postings?mine=true", nil, tno...); !strings.Contains(string(r.body), `"items": []`) {
		t.Errorf("refused postings stored: %s", r.body)
	}
	if r := env.do("GET", "/api/v1/postings?colour=red", nil, tno...); r.status != 400 {
		t.Errorf("unknown parameter: %d", r.status)
	}
}
