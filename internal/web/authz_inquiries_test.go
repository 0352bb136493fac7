package web

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/inquiries"
)

// inquiryFixture is one case held by hsd (whose manager is the manager
// persona), answered by the desk with an attachment.
type inquiryFixture struct {
	id, follow, attachment string
}

var inquiryFixtures sync.Map // *authzFixture → *inquiryFixture

func (fx *authzFixture) inquiry(t *testing.T) *inquiryFixture {
	if v, ok := inquiryFixtures.Load(fx); ok {
		return v.(*inquiryFixture)
	}
	ctx := access.WithScope(context.Background(), access.System)
	svc := fx.env.server.inq
	q, err := svc.Ask(ctx, inquiries.AskInput{Question: "Who can test a counter-drone sensor near an airport?", Name: "Authz Asker",
		Email: "asker@example.org", Kind: "company", Country: "NL", Lang: "en", Consent: true, Cluster: "hsd", Address: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	admin := access.Viewer{UserID: fx.user(allianceAdmin, "").ID, AllianceAdmin: true, WriteAllowed: true}
	actx := access.WithViewer(ctx, admin)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 40)...)
	m, err := svc.Post(actx, q.ID, inquiries.MessageInput{Body: "An answer with a drawing.",
		Files: []inquiries.FileInput{{Name: "drawing.png", Body: bytes.NewReader(png)}}})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(svc.FollowURL(q.ID))
	f := &inquiryFixture{id: q.ID, follow: u.Path, attachment: m.Attachments[0].ID}
	inquiryFixtures.Store(fx, f)
	return f
}

// inquiryExpectations: cases are seen by their desk (the manager of hsd)
// and the alliance administrator only; everyone else gets 404, the
// anonymous visitor 401 (pages: the sign-in page). Asking and the follow
// link are open to all.
func inquiryExpectations(t *testing.T, pol policy) map[string]expectation {
	desk := func(who persona) bool { return pol.may(t, "see and triage a question", who) }
	namesDesk := func(who persona) bool { return pol.may(t, "name and remove a cluster's desk staff", who) }
	asks := func(who persona) bool { return pol.may(t, "ask the alliance a question", who) }
	// onCase: a read or step on the fixture case.
	onCase := func(method string, path func(f *inquiryFixture) string, body any, form url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			f := fx.inquiry(t)
			c := authzCase{method: method, path: path(f), body: body, form: form, want: 404}
			switch {
			case who == anonymous:
				c.want = 401
			case desk(who):
				c.want = ok
			}
			return c
		}
	}
	// deskOnly: a read or write of the desk's that hides nothing (403).
	deskOnly := func(method, path string, body any, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path, body: body, want: denied(who)}
			if desk(who) {
				c.want = ok
			}
			return c
		}
	}
	// deskStaff: the desk staff list of hsd, for its managers and the
	// alliance administrator.
	deskStaff := func(method, path string, body any, form url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path, body: body, form: form, want: denied(who)}
			if namesDesk(who) {
				c.want = ok
			}
			return c
		}
	}
	open := func(method string, path func(f *inquiryFixture) string, form url.Values, want int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			f := fx.inquiry(t)
			c := authzCase{method: method, path: path(f), form: form, want: want}
			if !asks(who) {
				c.want = denied(who)
			}
			return c
		}
	}
	casePath := func(suffix string) func(*inquiryFixture) string {
		return func(f *inquiryFixture) string { return "/api/v1/inquiries/" + f.id + suffix }
	}
	signed := func(method, path string) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path, want: 200}
			if who == anonymous {
				c.want = 401
			}
			return c
		}
	}
	return map[string]expectation{
		// Missing consent: open to everyone, refused as bad input.
		"POST /api/v1/inquiries": func(fx *authzFixture, who persona, level string) authzCase {
			return authzCase{method: "POST", path: "/api/v1/inquiries", want: 422,
				body: map[string]any{"question": "A question without consent.", "name": "X", "email": "x@example.org", "kind": "citizen", "country": "NL", "lang": "en"}}
		},
		"GET /api/v1/inquiries":                  signed("GET", "/api/v1/inquiries"),
		"GET /api/v1/inquiries/stats":            deskOnly("GET", "/api/v1/inquiries/stats", nil, 200),
		"GET /api/v1/inquiries/stats.csv":        deskOnly("GET", "/api/v1/inquiries/stats.csv", nil, 200),
		"GET /api/v1/inquiries/{id}":             onCase("GET", casePath(""), nil, nil, 200),
		"GET /api/v1/inquiries/{id}/suggestions": onCase("GET", casePath("/suggestions"), nil, nil, 200),
		"POST /api/v1/inquiries/{id}/{step}":     onCase("POST", casePath("/triage"), map[string]any{}, nil, 200),
		"POST /api/v1/inquiries/{id}/messages":   onCase("POST", casePath("/messages"), map[string]any{"body": "A note.", "internal": true}, nil, 201),
		"GET /api/v1/inquiry-attachments/{id}":   onCase("GET", func(f *inquiryFixture) string { return "/api/v1/inquiry-attachments/" + f.attachment }, nil, nil, 200),
		"GET /api/v1/clusters/{id}/desk":         deskStaff("GET", "/api/v1/clusters/hsd/desk", nil, nil, 200),
		"PUT /api/v1/clusters/{id}/desk":         deskStaff("PUT", "/api/v1/clusters/hsd/desk", map[string]any{"emails": []string{}}, nil, 200),
		"GET /clusters/{slug}/desk":              deskStaff("GET", "/clusters/hsd/desk", nil, nil, 200),
		// Removing someone who is not on the desk names the field (422).
		"POST /clusters/{slug}/desk": deskStaff("POST", "/clusters/hsd/desk", nil, url.Values{"action": {"remove"}, "user": {"nobody"}}, 422),
		// Only the person themself (no persona here) and the alliance
		// administrator list a person as an expert.
		"PUT /api/v1/people/{id}/expert": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "PUT", path: "/api/v1/people/" + fx.people[level].ID + "/expert", body: map[string]any{"expert": true, "summary": "x"}, want: denied(who)}
			if who == allianceAdmin {
				c.want = 200
			}
			return c
		},
		"GET /ask":                      always200("/ask"),
		"POST /ask":                     open("POST", func(*inquiryFixture) string { return "/ask" }, url.Values{"question": {""}}, 422),
		"GET /inquiries/follow/{token}": open("GET", func(f *inquiryFixture) string { return f.follow }, nil, 200),
		// An empty reply names the field (422), for whoever holds the link.
		"POST /inquiries/follow/{token}":           open("POST", func(f *inquiryFixture) string { return f.follow }, url.Values{"action": {"reply"}, "body": {""}}, 422),
		"GET /inquiries/follow/{token}/files/{id}": open("GET", func(f *inquiryFixture) string { return f.follow + "/files/" + f.attachment }, nil, 200),
		"GET /inquiries/follow/{token}/export":     open("GET", func(f *inquiryFixture) string { return f.follow + "/export" }, nil, 200),
		"GET /inquiries":                           signed("GET", "/inquiries"),
		"GET /inquiries/stats":                     deskOnly("GET", "/inquiries/stats", nil, 200),
		"GET /inquiries/{id}":                      onCase("GET", func(f *inquiryFixture) string { return "/inquiries/" + f.id }, nil, nil, 200),
		"POST /inquiries/{id}":                     onCase("POST", func(f *inquiryFixture) string { return "/inquiries/" + f.id }, nil, url.Values{"action": {"triage"}}, 303),
		"GET /inquiries/files/{id}":                onCase("GET", func(f *inquiryFixture) string { return "/inquiries/files/" + f.attachment }, nil, nil, 200),
	}
}

func always200(path string) expectation {
	return func(*authzFixture, persona, string) authzCase { return authzCase{method: "GET", path: path, want: 200} }
}

var _ = strings.Contains
