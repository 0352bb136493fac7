package web

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
)

// linkingExpectations are the authorization matrix's expectations for the
// routes of linking organisations to their EU records: a manager of one
// of the organisation's clusters (or of the cluster claimed for) and the
// alliance administrator; the run of the linker is the administrator's.
func linkingExpectations(t *testing.T, pol policy) map[string]expectation {
	mayLink := func(who persona) bool { return pol.may(t, "link an organisation to its EU", who) }
	mayClaim := func(who persona) bool { return pol.may(t, "claim an organisation known only from EU records", who) }
	mayRun := func(who persona) bool { return pol.may(t, "run the linker", who) }
	mayLook := func(who persona) bool {
		return pol.may(t, "see which EU records an organisation about to be entered may be", who)
	}
	sys := access.AsSystem(context.Background())
	// outsider makes an organisation known only from a CORDIS record, with
	// a name that evidence ties to nothing else.
	outsider := func(fx *authzFixture) directory.Organisation {
		slug := fx.unique("qzx-records")
		o := &directory.Organisation{Slug: slug, Name: "Qzx " + slug + " Records", Kind: "company", Country: "NL",
			PIC: fmt.Sprintf("97%07d", fx.counter.Add(1)), Visibility: access.Public, Memberships: []directory.Membership{}}
		if err := fx.env.server.dir.CreateOrganisation(sys, o); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		if _, err := fx.env.db.SQL().ExecContext(sys, `INSERT INTO cordis_organisations (pic, organisation_id, name, kind, country, source_rank, content_hash, created_at, updated_at)
			VALUES ($1, $2, $3, 'company', 'NL', 'x', 'x', $4, $4)`, o.PIC, o.ID, o.Name, now); err != nil {
			t.Fatal(err)
		}
		return *o
	}
	// member makes a throwaway member of cluster hsd to link.
	member := func(fx *authzFixture) directory.Organisation {
		o := &directory.Organisation{Slug: fx.unique("authz-linked"), Name: "Authz Linked", Kind: "company", Country: "NL",
			Visibility: access.Public, Memberships: []directory.Membership{{ClusterID: fx.hsd.ID, Role: "member"}}}
		if err := fx.env.server.dir.CreateOrganisation(sys, o); err != nil {
			t.Fatal(err)
		}
		return *o
	}
	gate := func(c authzCase, who persona, may bool, ok int) authzCase {
		c.want = denied(who)
		if may {
			c.want = ok
		}
		return c
	}
	return map[string]expectation{
		"GET /api/v1/organisations/{id}/links": func(fx *authzFixture, who persona, level string) authzCase {
			return gate(authzCase{method: "GET", path: "/api/v1/organisations/" + fx.orgs[access.Public].ID + "/links"}, who, mayLink(who), 200)
		},
		"POST /api/v1/organisations/{id}/links": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/organisations/" + member(fx).ID + "/links", body: LinkInput{Record: outsider(fx).ID}}
			return gate(c, who, mayLink(who), 201)
		},
		"POST /api/v1/organisations/{id}/claim": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/organisations/" + outsider(fx).ID + "/claim", body: ClaimInput{Cluster: fx.hsd.ID}}
			return gate(c, who, mayClaim(who), 201)
		},
		"POST /api/v1/organisations/{id}/join-invitations": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/organisations/" + outsider(fx).ID + "/join-invitations",
				body: JoinInvitationInput{Cluster: fx.hsd.ID, Email: "info@qzx.example"}}
			return gate(c, who, mayClaim(who), 201)
		},
		"GET /api/v1/cordis-matches": func(fx *authzFixture, who persona, level string) authzCase {
			return gate(authzCase{method: "GET", path: "/api/v1/cordis-matches?name=Qzx+Records&country=NL"}, who, mayLook(who), 200)
		},
		"POST /api/v1/links/run": func(fx *authzFixture, who persona, level string) authzCase {
			// Only an organisation that does not exist: the run links nothing.
			return gate(authzCase{method: "POST", path: "/api/v1/links/run", body: LinkRunInput{Organisations: []string{"no-such-organisation"}}}, who, mayRun(who), 200)
		},
		"POST /organisations/{slug}/claim": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/organisations/" + outsider(fx).Slug + "/claim", form: url.Values{"cluster_id": {fx.hsd.ID}, "role": {"member"}}}
			return gate(c, who, mayClaim(who), 200)
		},
		"POST /organisations/{slug}/join-invitations": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/organisations/" + outsider(fx).Slug + "/join-invitations",
				form: url.Values{"cluster_id": {fx.hsd.ID}, "email": {"info@qzx.example"}}}
			return gate(c, who, mayClaim(who), 200)
		},
	}
}
