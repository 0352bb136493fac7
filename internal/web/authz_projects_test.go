package web

import (
	"context"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
)

// projectExpectations are the authorization matrix's expectations for the
// routes of EU projects, track records and duplicate organisations:
// projects are public; a track record follows its organisation's
// visibility; duplicates are the alliance administrator's business.
func projectExpectations(t *testing.T, pol policy) map[string]expectation {
	sees := func(who persona, level string) bool { return pol.sees[who][level] }
	mayMerge := func(who persona) bool { return pol.may(t, "list duplicate organisations", who) }
	sys := access.AsSystem(context.Background())

	// project imports one project; the import is idempotent, so every
	// case may call it.
	project := func(fx *authzFixture) string {
		p := cordis.Project{ID: "990001", Acronym: "AUTHZ", Title: "Authorization test project", Framework: "HORIZON"}
		if _, err := fx.env.db.ImportProjects(sys, []cordis.Project{p}, projects.Checkpoint{Hash: "authz", Name: "authz", Layout: "projects", Line: 2}); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	// pair makes two throwaway organisations to merge or mark.
	pair := func(fx *authzFixture) (string, string) {
		svc := directory.NewService(fx.env.db)
		var ids []string
		for range 2 {
			o := &directory.Organisation{Slug: fx.unique("authz-dup"), Name: "Authz Duplicate", Kind: "company", Country: "NL"}
			if err := svc.CreateOrganisation(sys, o); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, o.ID)
		}
		return ids[0], ids[1]
	}
	always := func(method string, path func(fx *authzFixture) string, want int) expectation {
		return func(fx *authzFixture, _ persona, _ string) authzCase {
			return authzCase{method: method, path: path(fx), want: want}
		}
	}
	admin := func(method string, path func(fx *authzFixture) string, body func(fx *authzFixture) any, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx), want: denied(who)}
			if body != nil {
				c.body = body(fx)
			}
			if mayMerge(who) {
				c.want = ok
			}
			return c
		}
	}
	fixed := func(p string) func(*authzFixture) string { return func(*authzFixture) string { return p } }
	return map[string]expectation{
		"GET /api/v1/projects":      always("GET", fixed("/api/v1/projects"), 200),
		"GET /api/v1/projects/{id}": always("GET", func(fx *authzFixture) string { return "/api/v1/projects/" + project(fx) }, 200),
		"GET /projects":             always("GET", fixed("/projects"), 200),
		"GET /projects/{id}":        always("GET", func(fx *authzFixture) string { return "/projects/" + project(fx) }, 200),
		"GET /api/v1/organisations/{id}/track-record": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/api/v1/organisations/" + fx.orgs[level].ID + "/track-record", want: 404}
			if sees(who, level) {
				c.want = 200
			}
			return c
		},
		"GET /api/v1/merge-candidates": admin("GET", fixed("/api/v1/merge-candidates"), nil, 200),
		"GET /api/v1/merges":           admin("GET", fixed("/api/v1/merges"), nil, 200),
		"POST /api/v1/merges": admin("POST", fixed("/api/v1/merges"), func(fx *authzFixture) any {
			a, b := pair(fx)
			return MergeInput{Into: a, From: b}
		}, 201),
		"DELETE /api/v1/merges/{id}": admin("DELETE", func(fx *authzFixture) string {
			a, b := pair(fx)
			m, err := fx.env.db.MergeOrganisations(sys, a, b)
			if err != nil {
				t.Fatal(err)
			}
			return "/api/v1/merges/" + m.ID
		}, nil, 200),
		"POST /api/v1/distinct-organisations": admin("POST", fixed("/api/v1/distinct-organisations"), func(fx *authzFixture) any {
			a, b := pair(fx)
			return DistinctInput{A: a, B: b}
		}, 204),
	}
}
