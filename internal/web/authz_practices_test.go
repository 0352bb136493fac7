package web

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/practices"
)

// practiceExpectations are the authorization matrix's expectations for
// the practices library (docs/access.md, "The practices library"): an
// entry is seen as a record of its level; its organisation's members and
// those who may change the organisation's records change it; only the
// owning organisation's administrators publish a summary; anyone signed
// in who sees an entry comments on it.
func practiceExpectations(t *testing.T, pol policy) map[string]expectation {
	sees := func(who persona, level string) bool { return pol.sees[who][level] }
	writer := func(who persona) bool {
		return who == colleague || who == orgAdmin || who == manager || who == allianceAdmin
	}
	sysCtx := access.WithScope(context.Background(), access.System)
	// asAdmin is an administrator of the level's organisation, to create
	// records through the server's own service.
	asAdmin := func(fx *authzFixture, level string) context.Context {
		v := access.Viewer{UserID: "authz-system", OrganisationID: fx.orgs[level].ID, OrgAdmin: true, WriteAllowed: true}
		return context.WithValue(sysCtx, viewerKey{}, v)
	}
	amberLevel := func(level string) string {
		if access.LevelReach(level) > 1 {
			return access.Cluster
		}
		return level
	}
	var mu sync.Mutex
	// entry makes a fresh entry of the level (TLP CLEAR, so the level
	// alone decides; amber makes it AMBER, seen at most by the cluster).
	entry := func(fx *authzFixture, level string, amber bool) practices.Entry {
		mu.Lock()
		defer mu.Unlock()
		vis, tlp := level, access.TLPClear
		if amber {
			vis, tlp = amberLevel(level), access.TLPAmber
		}
		e, err := fx.env.server.practices.Create(asAdmin(fx, level), practices.EntryInput{Kind: "lesson_learned", Axis: "safety", Visibility: &vis, TLP: &tlp,
			Texts: []practices.Text{{Lang: "nl", Original: true, Title: "Authz les " + level}}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	withAttachment := func(fx *authzFixture, level string) (string, string) {
		e := entry(fx, level, false)
		a, err := fx.env.server.practices.AddAttachment(asAdmin(fx, level), e.ID, "notes.txt", strings.NewReader("authz notes"))
		if err != nil {
			t.Fatal(err)
		}
		return e.ID, a.ID
	}
	// onEntry: hidden → 404; seen and allowed → ok; seen, not allowed →
	// denied.
	onEntry := func(method string, path func(fx *authzFixture, level string) string, body any, form url.Values, may func(persona) bool, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx, level), body: body, form: form}
			switch {
			case !sees(who, level):
				c.want = 404
			case may(who):
				c.want = ok
			default:
				c.want = denied(who)
			}
			return c
		}
	}
	entryPath := func(suffix string) func(*authzFixture, string) string {
		return func(fx *authzFixture, level string) string {
			return "/api/v1/practices/" + entry(fx, level, false).ID + suffix
		}
	}
	pagePath := func(suffix string) func(*authzFixture, string) string {
		return func(fx *authzFixture, level string) string {
			return "/practices/" + entry(fx, level, false).ID + suffix
		}
	}
	signedIn := func(who persona) bool { return who != anonymous }
	summary := func(method, path string, form url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			e := entry(fx, level, true)
			c := authzCase{method: method, path: strings.ReplaceAll(path, "{id}", e.ID), form: form}
			if form == nil && method == "PUT" {
				c.body = practices.SummaryInput{TLP: "GREEN", Title: "Authz summary", Abstract: "Ask us."}
			}
			switch {
			case !sees(who, amberLevel(level)):
				c.want = 404
			case who == orgAdmin || (method == "DELETE" && writer(who)):
				c.want = ok
			default:
				c.want = denied(who)
			}
			return c
		}
	}
	readSummary := func(prefix string) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			e := entry(fx, level, true)
			s, err := fx.env.server.practices.PublishSummary(asAdmin(fx, level), e.ID, practices.SummaryInput{TLP: "GREEN", Title: "Authz summary", Abstract: "Ask us."})
			if err != nil {
				t.Fatal(err)
			}
			c := authzCase{method: "GET", path: prefix + s.ID, want: 404}
			// A GREEN summary reaches every member, as far as its
			// organisation is visible to them.
			if who != anonymous && sees(who, level) {
				c.want = 200
			}
			return c
		}
	}
	textBody := practices.Text{Lang: "en", Title: "Authz lesson"}
	entryBody := practices.EntryInput{Kind: "case_study", Axis: "both", Texts: []practices.Text{{Lang: "nl", Original: true, Title: "Authz gewijzigd"}}}
	always := func(method, path string, want int) expectation {
		return func(*authzFixture, persona, string) authzCase {
			return authzCase{method: method, path: path, want: want}
		}
	}
	return map[string]expectation{
		"GET /api/v1/practices":                always("GET", "/api/v1/practices?q=authz", 200),
		"GET /practices":                       always("GET", "/practices?q=authz", 200),
		"GET /practices/feed.atom":             always("GET", "/practices/feed.atom", 200),
		"GET /api/v1/practices/{id}":           onEntry("GET", entryPath(""), nil, nil, func(persona) bool { return true }, 200),
		"GET /practices/{id}":                  onEntry("GET", pagePath(""), nil, nil, func(persona) bool { return true }, 200),
		"GET /api/v1/practices/{id}/history":   onEntry("GET", entryPath("/history"), nil, nil, func(persona) bool { return true }, 200),
		"GET /api/v1/practices/{id}/comments":  onEntry("GET", entryPath("/comments"), nil, nil, func(persona) bool { return true }, 200),
		"POST /api/v1/practices/{id}/comments": onEntry("POST", entryPath("/comments"), CommentInput{Body: "Authz comment"}, nil, signedIn, 201),
		"POST /practices/{id}/comments":        onEntry("POST", pagePath("/comments"), nil, url.Values{"body": {"Authz comment"}}, signedIn, 303),
		"PUT /api/v1/practices/{id}":           onEntry("PUT", entryPath(""), entryBody, nil, writer, 200),
		"DELETE /api/v1/practices/{id}":        onEntry("DELETE", entryPath(""), nil, nil, writer, 204),
		"POST /api/v1/practices/{id}/texts":    onEntry("POST", entryPath("/texts"), textBody, nil, writer, 201),
		"POST /practices/{id}/texts":           onEntry("POST", pagePath("/texts"), nil, url.Values{"lang": {"en"}, "title": {"Authz lesson"}}, writer, 303),
		"POST /api/v1/practices/{id}/attachments": onEntry("POST", func(fx *authzFixture, level string) string {
			return "/api/v1/practices/" + entry(fx, level, false).ID + "/attachments?name=authz.txt"
		}, "authz attachment", nil, writer, 201),
		// The form is not multipart: one who may attach gets past the
		// permission check to the 400 about the body.
		"POST /practices/{id}/attachments": onEntry("POST", pagePath("/attachments"), nil, url.Values{"x": {"y"}}, writer, 400),
		"GET /api/v1/practices/{id}/attachments/{att}": onEntry("GET", func(fx *authzFixture, level string) string {
			e, a := withAttachment(fx, level)
			return "/api/v1/practices/" + e + "/attachments/" + a
		}, nil, nil, func(persona) bool { return true }, 200),
		"GET /practices/{id}/attachments/{att}": onEntry("GET", func(fx *authzFixture, level string) string {
			e, a := withAttachment(fx, level)
			return "/practices/" + e + "/attachments/" + a
		}, nil, nil, func(persona) bool { return true }, 200),
		"PUT /api/v1/practices/{id}/summary":    summary("PUT", "/api/v1/practices/{id}/summary", nil, 200),
		"DELETE /api/v1/practices/{id}/summary": summary("DELETE", "/api/v1/practices/{id}/summary", nil, 204),
		"POST /practices/{id}/summary":          summary("POST", "/practices/{id}/summary", url.Values{"tlp": {"GREEN"}, "title": {"Authz summary"}, "abstract": {"Ask us."}}, 303),
		"GET /api/v1/practice-summaries/{id}":   readSummary("/api/v1/practice-summaries/"),
		"GET /practice-summaries/{id}":          readSummary("/practice-summaries/"),
		"POST /api/v1/practices": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/practices", body: practices.EntryInput{Kind: "guideline", Axis: "security", OrganisationID: fx.orgs[level].ID,
				Texts: []practices.Text{{Lang: "en", Title: "Authz guideline"}}}}
			switch {
			case who == anonymous:
				c.want = 401
			case writer(who) && sees(who, level):
				c.want = 201
			default:
				c.want = 422 // organisation_id: unknown to them, or not theirs
			}
			return c
		},
		"GET /practices/new": func(_ *authzFixture, who persona, _ string) authzCase {
			c := authzCase{method: "GET", path: "/practices/new", want: 200}
			if who == anonymous {
				c.want = 401
			}
			return c
		},
		"POST /practices/new": func(_ *authzFixture, who persona, _ string) authzCase {
			c := authzCase{method: "POST", path: "/practices/new", form: url.Values{"kind": {"guideline"}, "axis": {"safety"}, "visibility": {"organisation"},
				"tlp": {"AMBER"}, "lang": {"en"}, "title": {"Authz page guideline"}}, want: 303}
			switch who {
			case anonymous:
				c.want = 401
			case allianceAdmin:
				c.want = 422 // no organisation of their own to write for
			}
			return c
		},
	}
}
