package web

import (
	"context"
	"net/url"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/governance"
)

// governanceExpectations are the authorization matrix's expectations for
// the routes of clusters joining the alliance: anyone applies and follows
// their application through its private link (row "apply to join"); only
// alliance administrators see and decide applications or set the
// criteria (row "review applications to join"), and to anyone else an
// application does not exist.
func governanceExpectations(t *testing.T, pol policy) map[string]expectation {
	mayReview := func(who persona) bool { return pol.may(t, "review applications to join", who) }
	mayApply := func(who persona) bool { return pol.may(t, "apply to join the alliance", who) }
	sys := access.AsSystem(context.Background())

	// throwaway submits an application of the case's own and returns its
	// id and private link secret; ask puts it in state more_info.
	throwaway := func(fx *authzFixture, ask bool) (string, string) {
		a := governanceApplication(fx.unique("Authz Cluster"))
		secret, err := fx.env.server.gov.Submit(sys, &a)
		if err != nil {
			t.Fatal(err)
		}
		if ask {
			if _, err := fx.env.server.gov.AskMore(sys, a.ID, 0, "Which members?"); err != nil {
				t.Fatal(err)
			}
		}
		return a.ID, secret
	}
	// apply: what anyone may do (status ok for all in the row).
	apply := func(method string, path func(fx *authzFixture) string, body func(fx *authzFixture) any, form url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx), form: form, want: denied(who)}
			if body != nil {
				c.body = body(fx)
			}
			if mayApply(who) {
				c.want = ok
			}
			return c
		}
	}
	// review: reviewers only; refused (401/403) for a list, hidden (404)
	// for one application.
	review := func(method string, path func(fx *authzFixture) string, body any, form url.Values, ok int, hidden bool) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx), body: body, form: form, want: denied(who)}
			if hidden {
				c.want = 404
			}
			if mayReview(who) {
				c.want = ok
			}
			return c
		}
	}
	fixed := func(p string) func(*authzFixture) string { return func(*authzFixture) string { return p } }
	app := func(suffix string) func(*authzFixture) string {
		return func(fx *authzFixture) string {
			id, _ := throwaway(fx, false)
			return "/api/v1/applications/" + id + suffix
		}
	}
	page := func(suffix string) func(*authzFixture) string {
		return func(fx *authzFixture) string {
			id, _ := throwaway(fx, false)
			return "/admin/applications/" + id + suffix
		}
	}
	link := func(prefix, suffix string, ask bool) func(*authzFixture) string {
		return func(fx *authzFixture) string { _, secret := throwaway(fx, ask); return prefix + secret + suffix }
	}
	criteria := map[string]any{"members": map[string]int{"min": 15}, "helices": map[string]int{"min": 3},
		"staff_fte_hundredths": map[string]int{"min": 50}, "smes": map[string]int{"min": 0}}
	joinForm := url.Values{"name": {"Authz Form Cluster"}, "country": {"LT"}, "description": {"Safety."}, "organisation": {"Authz Office"},
		"members.companies": {"10"}, "members.smes": {"4"}, "members.knowledge_institutions": {"3"}, "members.government": {"2"},
		"members.total": {"15"}, "staff_fte": {"0.5"}, "contact.name": {"A. Applicant"}, "contact.email": {"applicant@example.org"},
		"letter_of_intent": {"We intend to join."}}
	mayPublish := func(who persona) bool { return pol.may(t, "publish a version of the Letter of Commitment", who) }
	maySign := func(who persona) bool { return pol.may(t, "sign the Letter of Commitment for their cluster", who) }
	// version publishes a letter version of the case's own, so that a
	// signature never meets an earlier one.
	version := func(fx *authzFixture) string {
		v := governance.LetterVersion{Title: fx.unique("Authz letter"), PublishedOn: "2016-06-01", Texts: []governance.LetterText{{Lang: "en", Text: "We commit."}}}
		if err := fx.env.server.gov.PublishLetter(sys, &v); err != nil {
			t.Fatal(err)
		}
		return v.ID
	}
	// sign: the manager signs for the cluster they manage; nobody else may.
	sign := func(method string, path func(id string) string, api bool) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(version(fx)), want: denied(who)}
			in := governance.SignInput{ClusterID: fx.hsd.ID, SignerName: "A. Manager", Confirm: true}
			if api {
				c.body = in
			} else {
				c.form = url.Values{"cluster_id": {in.ClusterID}, "signer_name": {in.SignerName}, "confirm": {"yes"}}
			}
			if maySign(who) {
				c.want = map[bool]int{true: 201, false: 303}[api]
			}
			return c
		}
	}
	mayRoadmap := func(who persona) bool { return pol.may(t, "add actions and milestones to the joint roadmap", who) }
	// goal adds a goal and an action owned by HSD; roadmap writes go to
	// the action.
	action := func(fx *authzFixture) string {
		g := governance.Item{Kind: governance.ItemGoal, Title: fx.unique("Authz goal")}
		if err := fx.env.server.gov.AddItem(sys, &g); err != nil {
			t.Fatal(err)
		}
		a := governance.Item{Kind: governance.ItemAction, ParentID: g.ID, Title: "Authz action", Owners: []string{fx.hsd.ID}, Starts: "2026-01-01", Ends: "2026-12-31"}
		if err := fx.env.server.gov.AddItem(sys, &a); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	roadmapWrite := func(path func(fx *authzFixture, id string) string, body func(fx *authzFixture, id string) any, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			id := action(fx)
			c := authzCase{method: "POST", path: path(fx, id), body: body(fx, id), want: denied(who)}
			if mayRoadmap(who) {
				c.want = ok
			}
			return c
		}
	}
	letterInput := LetterInput{Title: "Authz letter (API)", PublishedOn: "2016-06-01", Texts: []governance.LetterText{{Lang: "en", Text: "We commit."}}}
	return map[string]expectation{
		"GET /api/v1/letter": apply("GET", fixed("/api/v1/letter"), nil, nil, 200),
		"POST /api/v1/letter": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/letter", body: letterInput, want: denied(who)}
			if mayPublish(who) {
				c.want = 201
			}
			return c
		},
		"GET /api/v1/letter/{id}":             apply("GET", func(fx *authzFixture) string { return "/api/v1/letter/" + version(fx) }, nil, nil, 200),
		"POST /api/v1/letter/{id}/signatures": sign("POST", func(id string) string { return "/api/v1/letter/" + id + "/signatures" }, true),
		"GET /letter":                         apply("GET", fixed("/letter"), nil, nil, 200),
		"POST /letter/{id}/sign":              sign("POST", func(id string) string { return "/letter/" + id + "/sign" }, false),
		"GET /api/v1/roadmap":                 apply("GET", fixed("/api/v1/roadmap"), nil, nil, 200),
		"GET /roadmap":                        apply("GET", fixed("/roadmap"), nil, nil, 200),
		"POST /api/v1/roadmap": roadmapWrite(func(*authzFixture, string) string { return "/api/v1/roadmap" }, func(fx *authzFixture, id string) any {
			return ItemInput{Kind: governance.ItemMilestone, ParentID: id, Title: "Authz milestone", Owners: []string{fx.hsd.ID}, Due: "2026-06-01"}
		}, 201),
		"POST /api/v1/roadmap/{id}/status": roadmapWrite(func(_ *authzFixture, id string) string { return "/api/v1/roadmap/" + id + "/status" },
			func(*authzFixture, string) any { return StatusInput{Status: governance.StatusRunning} }, 200),
		"GET /api/v1/join/criteria": apply("GET", fixed("/api/v1/join/criteria"), nil, nil, 200),
		"PUT /api/v1/join/criteria": review("PUT", fixed("/api/v1/join/criteria"), criteria, nil, 200, false),
		"POST /api/v1/applications": apply("POST", fixed("/api/v1/applications"), func(fx *authzFixture) any {
			in := governanceApplication(fx.unique("Authz API Cluster"))
			return ApplicationInput{Kind: in.Kind, Name: in.Name, Country: in.Country, Description: in.Description, Members: in.Members,
				StaffFTE: in.StaffFTE, Organisation: in.Organisation, Contact: in.Contact, Letter: in.Letter}
		}, nil, 201),
		"GET /api/v1/applications":                review("GET", fixed("/api/v1/applications"), nil, nil, 200, false),
		"GET /api/v1/applications/{id}":           review("GET", app(""), nil, nil, 200, true),
		"POST /api/v1/applications/{id}/notes":    review("POST", app("/notes"), NoteInput{Kind: "comment", Text: "Fine."}, nil, 200, true),
		"POST /api/v1/applications/{id}/decision": review("POST", app("/decision"), JoinDecisionInput{Decision: "refuse", Reason: "Test."}, nil, 200, true),
		"GET /api/v1/join/{token}":                apply("GET", link("/api/v1/join/", "", false), nil, nil, 200),
		"POST /api/v1/join/{token}/reply":         apply("POST", link("/api/v1/join/", "/reply", true), func(*authzFixture) any { return ReplyInput{Text: "These."} }, nil, 200),
		"GET /join":                               apply("GET", fixed("/join"), nil, nil, 200),
		"POST /join":                              apply("POST", fixed("/join"), nil, joinForm, 303),
		"GET /join/{token}":                       apply("GET", link("/join/", "", false), nil, nil, 200),
		"POST /join/{token}":                      apply("POST", link("/join/", "", true), nil, url.Values{"text": {"These."}}, 303),
		"GET /admin/applications":                 review("GET", fixed("/admin/applications"), nil, nil, 200, false),
		"POST /admin/applications/criteria":       review("POST", fixed("/admin/applications/criteria"), nil, url.Values{"members.min": {"15"}, "helices.min": {"3"}, "staff_fte_hundredths.min": {"50"}}, 303, false),
		"GET /admin/applications/{id}":            review("GET", page(""), nil, nil, 200, true),
		"POST /admin/applications/{id}":           review("POST", page(""), nil, url.Values{"action": {"comment"}, "text": {"Fine."}}, 303, true),
	}
}

// governanceApplication is a valid application of a fictitious cluster.
func governanceApplication(name string) governance.Application {
	return governance.Application{Kind: governance.KindCluster, Name: name, Country: "LT", Description: "Safety and security innovation.",
		Organisation: name + " Office", Members: governance.Members{Companies: 10, SMEs: 6, Knowledge: 3, Government: 2, Total: 15},
		StaffFTE: 50, Contact: governance.Contact{Name: "A. Applicant", Email: "applicant@example.org"}, Letter: "We intend to join."}
}
