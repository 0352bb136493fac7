package web

import (
	"bufio"
	"context"
	"fmt"
	"maps"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
)

// The authorization test: every route of the router × every role × every
// visibility level, each outcome checked against the tables of
// docs/access.md. A route without an expectation here fails the test.

type persona string

const (
	anonymous     persona = "anonymous"
	outsider      persona = "outsider"       // member of an organisation in another cluster
	peer          persona = "peer"           // member of an organisation in the owner's cluster
	colleague     persona = "colleague"      // member of the owning organisation
	orgAdmin      persona = "org-admin"      // administrator of the owning organisation
	manager       persona = "manager"        // manager of the owner's cluster
	allianceAdmin persona = "alliance-admin" // alliance administrator
)

var personas = []persona{anonymous, outsider, peer, colleague, orgAdmin, manager, allianceAdmin}

// policy is what docs/access.md says.
type policy struct {
	sees    map[persona]map[string]bool // persona → level → sees
	actions map[string]map[persona]bool // action row prefix → persona → may
}

// readPolicy parses the two tables of docs/access.md that the test checks.
func readPolicy(t *testing.T) policy {
	t.Helper()
	f, err := os.Open("../../docs/access.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string]persona{
		"anonymous visitor":                            anonymous,
		"member of an organisation in another cluster": outsider,
		"member of an organisation in a cluster of O":  peer,
		"member of O":               colleague,
		"administrator of O":        orgAdmin,
		"manager of a cluster of O": manager,
		"alliance administrator":    allianceAdmin,
	}
	// Columns of the action table, in order, and the personas each stands for.
	actionCols := [][]persona{{anonymous}, {outsider, peer, colleague}, {orgAdmin}, {manager}, {allianceAdmin}}
	p := policy{sees: map[persona]map[string]bool{}, actions: map[string]map[persona]bool{}}
	table := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			table = ""
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case cells[0] == "viewer":
			table = "sees"
			if strings.Join(cells[1:], ",") != strings.Join(access.Levels, ",") {
				t.Fatalf("docs/access.md: visibility columns %v, want %v", cells[1:], access.Levels)
			}
			continue
		case cells[0] == "action":
			table = "actions"
			continue
		case strings.HasPrefix(cells[0], "---"):
			continue
		}
		yes := func(c string) bool { return strings.HasPrefix(c, "✓") }
		switch table {
		case "sees":
			who, ok := rows[cells[0]]
			if !ok {
				t.Fatalf("docs/access.md: unknown viewer row %q", cells[0])
			}
			p.sees[who] = map[string]bool{}
			for i, level := range access.Levels {
				p.sees[who][level] = yes(cells[i+1])
			}
		case "actions":
			m := map[persona]bool{}
			for i, ps := range actionCols {
				for _, who := range ps {
					m[who] = yes(cells[i+1])
				}
			}
			p.actions[cells[0]] = m
		}
	}
	if len(p.sees) != len(personas) {
		t.Fatalf("docs/access.md: %d viewer rows, want %d", len(p.sees), len(personas))
	}
	return p
}

func (p policy) may(t *testing.T, action string, who persona) bool {
	for k, m := range p.actions {
		if strings.HasPrefix(k, action) {
			return m[who]
		}
	}
	t.Fatalf("docs/access.md has no action row starting %q", action)
	return false
}

// authzFixture is the world the matrix runs in: for each level, an
// organisation in cluster hsd with a person and a facility at that level,
// and accounts for each persona.
type authzFixture struct {
	env      *testEnv
	orgs     map[string]directory.Organisation
	people   map[string]directory.Person
	facs     map[string]directory.Facility
	tokens   map[persona]map[string]string // persona → level → token ("" level for level-free personas)
	users    map[persona]map[string]accounts.User
	counter  atomic.Int64
	hsd, kit directory.Cluster
}

func (fx *authzFixture) unique(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, fx.counter.Add(1))
}

func newAuthzFixture(t *testing.T, env *testEnv) *authzFixture {
	ctx := access.AsSystem(context.Background())
	svc := directory.NewService(env.db)
	fx := &authzFixture{env: env, orgs: map[string]directory.Organisation{}, people: map[string]directory.Person{},
		facs: map[string]directory.Facility{}, tokens: map[persona]map[string]string{}, users: map[persona]map[string]accounts.User{}}
	var err error
	if fx.hsd, err = env.db.GetCluster(ctx, "hsd"); err != nil {
		t.Fatal(err)
	}
	if fx.kit, err = env.db.GetCluster(ctx, "kit"); err != nil {
		t.Fatal(err)
	}
	mkOrg := func(slug, cluster, level string) directory.Organisation {
		o := &directory.Organisation{Slug: slug, Name: "Authz " + slug, Kind: "company", Country: "NL", Visibility: level,
			Memberships: []directory.Membership{{ClusterID: cluster, Role: "member"}}}
		if err := svc.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		return *o
	}
	mkUser := func(who persona, level string, u accounts.User) {
		u.Email = fmt.Sprintf("%s-%s@example.org", who, strings.ReplaceAll(level, "_", ""))
		if err := env.server.Accounts().NewUser(ctx, &u, "authz-password-123"); err != nil {
			t.Fatal(err)
		}
		_, secret, err := env.server.Accounts().CreateToken(ctx, u, "authz", accounts.ScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		if fx.tokens[who] == nil {
			fx.tokens[who], fx.users[who] = map[string]string{}, map[string]accounts.User{}
		}
		fx.tokens[who][level], fx.users[who][level] = secret, u
	}
	peerOrg := mkOrg("authz-peer", "hsd", access.Public)
	outsiderOrg := mkOrg("authz-outsider", "kit", access.Public)
	managerHome := mkOrg("authz-manager-home", "kit", access.Public)
	mkUser(peer, "", accounts.User{OrganisationID: peerOrg.ID})
	mkUser(outsider, "", accounts.User{OrganisationID: outsiderOrg.ID})
	mkUser(manager, "", accounts.User{OrganisationID: managerHome.ID, ManagedClusters: []string{fx.hsd.ID}})
	mkUser(allianceAdmin, "", accounts.User{AllianceAdmin: true})
	for _, level := range access.Levels {
		o := mkOrg("authz-"+level, "hsd", level)
		fx.orgs[level] = o
		p := &directory.Person{Name: "Authz Person " + level, OrganisationID: o.ID, Listed: true, Visibility: level}
		if err := svc.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		fx.people[level] = *p
		f := &directory.Facility{Slug: "authz-fac-" + level, Name: "Authz Facility " + level, Kind: "laboratory", OrganisationID: o.ID,
			Country: "NL", Visibility: level}
		if err := svc.CreateFacility(ctx, f); err != nil {
			t.Fatal(err)
		}
		fx.facs[level] = *f
		mkUser(colleague, level, accounts.User{OrganisationID: o.ID})
		mkUser(orgAdmin, level, accounts.User{OrganisationID: o.ID, OrgAdmin: true})
	}
	return fx
}

// throwawayCluster makes a new cluster, for requests to join that are no
// repeat of another.
func (fx *authzFixture) throwawayCluster(t *testing.T) directory.Cluster {
	c := &directory.Cluster{Slug: fx.unique("authz-join"), Name: "Authz Join", Country: "NL"}
	if err := fx.env.server.dir.CreateCluster(access.AsSystem(context.Background()), c); err != nil {
		t.Fatal(err)
	}
	return *c
}

// throwawayRequest makes an open request of the level's organisation to
// join a new cluster.
func (fx *authzFixture) throwawayRequest(t *testing.T, level string) directory.MembershipRequest {
	r := &directory.MembershipRequest{ClusterID: fx.throwawayCluster(t).ID, Role: "member"}
	if err := fx.env.server.dir.RequestMembership(access.AsSystem(context.Background()), fx.orgs[level].ID, r); err != nil {
		t.Fatal(err)
	}
	return *r
}

// token returns the persona's token for a level ("" for anonymous).
func (fx *authzFixture) token(who persona, level string) string {
	if who == anonymous {
		return ""
	}
	if tok, ok := fx.tokens[who][level]; ok {
		return tok
	}
	return fx.tokens[who][""]
}

func (fx *authzFixture) user(who persona, level string) accounts.User {
	if u, ok := fx.users[who][level]; ok {
		return u
	}
	return fx.users[who][""]
}

// authzCase is one request of the matrix and its expected status.
type authzCase struct {
	method, path string
	body         any
	form         url.Values
	want         int
	token        string // overrides the persona's token
}

func withForm(e expectation, form url.Values) expectation {
	return func(fx *authzFixture, who persona, level string) authzCase {
		c := e(fx, who, level)
		c.form = form
		return c
	}
}

// throwawayAccount copies the persona's roles into a new account and
// returns its token.
func (fx *authzFixture) throwawayAccount(t *testing.T, who persona, level string) string {
	ctx := access.AsSystem(context.Background())
	u := fx.user(who, level)
	u.ID, u.Email = "", fx.unique("throwaway")+"@example.org"
	if err := fx.env.server.Accounts().NewUser(ctx, &u, "authz-password-123"); err != nil {
		t.Fatal(err)
	}
	_, secret, err := fx.env.server.Accounts().CreateToken(ctx, u, "throwaway", accounts.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// expectation builds the request for a persona and level and says what
// the policy expects.
type expectation func(fx *authzFixture, who persona, level string) authzCase

func denied(who persona) int {
	if who == anonymous {
		return 401
	}
	return 403
}

func TestAuthorizationMatrix(t *testing.T) {
	pol := readPolicy(t)
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		fx := newAuthzFixture(t, env)
		exps := authzExpectations(t, pol)
		maps.Copy(exps, bookingExpectations(t, pol))
		maps.Copy(exps, projectExpectations(t, pol))      // authz_projects_test.go
		maps.Copy(exps, callExpectations(t, pol))         // authz_calls_test.go
		maps.Copy(exps, matchExpectations(t, pol))        // authz_match_test.go
		maps.Copy(exps, inquiryExpectations(t, pol))      // authz_inquiries_test.go
		maps.Copy(exps, eventExpectations(t, pol))        // authz_events_test.go
		maps.Copy(exps, eventFormExpectations(t, pol))    // authz_events_test.go
		maps.Copy(exps, practiceExpectations(t, pol))     // authz_practices_test.go
		maps.Copy(exps, exchangeExpectations(t, pol))     // authz_exchanges_test.go
		maps.Copy(exps, facilityFormExpectations(t, pol)) // facilities_forms_authz_test.go
		maps.Copy(exps, clusterFormExpectations(t, pol))  // facilities_forms_authz_test.go
		maps.Copy(exps, governanceExpectations(t, pol))   // authz_governance_test.go
		maps.Copy(exps, callsxExpectations(t, pol))       // authz_callsx_test.go
		maps.Copy(exps, postingExpectations(t, pol))      // authz_postings_test.go
		maps.Copy(exps, linkingExpectations(t, pol))      // authz_linking_test.go
		maps.Copy(exps, governance2Expectations(t, pol))  // authz_governance2_test.go
		for _, rt := range env.server.routes() {
			exp, ok := exps[rt.pattern]
			if !ok {
				t.Errorf("route %q has no expectation in the authorization test", rt.pattern)
				continue
			}
			for _, level := range access.Levels {
				for _, who := range personas {
					c := exp(fx, who, level)
					var headers []string
					if c.token != "" {
						headers = []string{"Authorization", "Bearer " + c.token}
					} else if tok := fx.token(who, level); tok != "" {
						headers = []string{"Authorization", "Bearer " + tok}
					} else {
						headers = []string{"Authorization", ""}
					}
					var r response
					if c.form != nil {
						headers = append(headers, "Content-Type", "application/x-www-form-urlencoded")
						r = env.do(c.method, c.path, c.form.Encode(), headers...)
					} else {
						r = env.do(c.method, c.path, c.body, headers...)
					}
					want := c.want
					if want == 401 && c.method == "GET" && !strings.HasPrefix(c.path, "/api/") {
						want = 303 // pages send anonymous visitors to the sign-in page
					}
					if r.status != want {
						t.Errorf("%s as %s, level %s: %s %s = %d, want %d\n%.300s", rt.pattern, who, level, c.method, c.path, r.status, want, r.body)
					}
				}
			}
		}
	})
}

// authzExpectations maps every route pattern to its expectation.
func authzExpectations(t *testing.T, pol policy) map[string]expectation {
	sees := func(who persona, level string) bool { return pol.sees[who][level] }
	mayChange := func(who persona) bool { return pol.may(t, "change a record of an organisation", who) }
	mayInvite := func(who persona) bool { return pol.may(t, "invite a person", who) }
	mayAddOrg := func(who persona) bool { return pol.may(t, "add an organisation", who) }
	mayCluster := func(who persona) bool { return pol.may(t, "change a cluster", who) }
	mayAlliance := func(who persona) bool { return pol.may(t, "add or delete a cluster", who) }
	mayAdmin := func(who persona) bool { return pol.may(t, "set roles", who) }
	mayMerge := func(who persona) bool { return pol.may(t, "list duplicate organisations", who) }
	mayOwn := func(who persona) bool { return pol.may(t, "create and revoke their own", who) }
	mayDeleteOrg := func(who persona) bool { return pol.may(t, "delete an organisation", who) }
	mayAsk := func(who persona) bool { return pol.may(t, "ask for an organisation to join", who) }
	mayDecide := func(who persona) bool { return pol.may(t, "accept or refuse a request to join", who) }

	always := func(method, path string, want int) expectation {
		return func(*authzFixture, persona, string) authzCase {
			return authzCase{method: method, path: path, want: want}
		}
	}
	// read: a record of the level, seen or hidden.
	read := func(path func(fx *authzFixture, level string) string) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			want := 404
			if sees(who, level) {
				want = 200
			}
			return authzCase{method: "GET", path: path(fx, level), want: want}
		}
	}
	// change: a write to a record of the level: hidden → 404, allowed →
	// ok, otherwise refused.
	change := func(method string, path func(fx *authzFixture, level string) string, body func(fx *authzFixture, level string) any, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx, level)}
			if body != nil {
				c.body = body(fx, level)
			}
			switch {
			case !sees(who, level):
				c.want = 404
			case mayChange(who):
				c.want = ok
			default:
				c.want = denied(who)
			}
			return c
		}
	}
	// admin: an alliance-administration action.
	admin := func(may func(persona) bool, method string, path func(fx *authzFixture) string, body func(fx *authzFixture) any, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx), want: denied(who)}
			if body != nil {
				c.body = body(fx)
			}
			if may(who) {
				c.want = ok
			}
			return c
		}
	}
	// own: an action on one's own account.
	own := func(method string, path func(fx *authzFixture, who persona, level string) string, body any, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, body: body, want: denied(who)}
			c.path = path(fx, who, level)
			if mayOwn(who) {
				c.want = ok
			}
			return c
		}
	}
	orgBody := func(fx *authzFixture, level string) any {
		o := fx.orgs[level]
		return map[string]any{"slug": o.Slug, "name": o.Name, "kind": o.Kind, "country": o.Country,
			"memberships": []map[string]string{{"cluster_id": "hsd", "role": "member"}}}
	}
	personBody := func(fx *authzFixture, level string) any {
		p := fx.people[level]
		return map[string]any{"name": p.Name, "organisation_id": p.OrganisationID, "listed": true}
	}
	facBody := func(fx *authzFixture, level string) any {
		f := fx.facs[level]
		return map[string]any{"slug": f.Slug, "name": f.Name, "kind": f.Kind, "organisation_id": f.OrganisationID, "country": f.Country}
	}
	// createIn: a new record inside the level's organisation: a hidden
	// organisation is an unknown reference (422).
	createIn := func(path string, body func(fx *authzFixture, level string) any, may func(persona) bool) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: path, body: body(fx, level)}
			switch {
			case !sees(who, level):
				if who == anonymous {
					c.want = 401
				} else {
					c.want = 422
				}
			case may(who):
				c.want = 201
			default:
				c.want = denied(who)
			}
			return c
		}
	}
	// throwaway makes a person to delete, so each delete has its target.
	throwawayPerson := func(fx *authzFixture, level string) string {
		ctx := access.AsSystem(context.Background())
		p := &directory.Person{Name: fx.unique("Throwaway"), OrganisationID: fx.orgs[level].ID, Listed: true, Visibility: level}
		if err := directory.NewService(fx.env.db).CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	throwawayFacility := func(fx *authzFixture, level string) string {
		ctx := access.AsSystem(context.Background())
		f := &directory.Facility{Slug: fx.unique("throwaway"), Name: "Throwaway", Kind: "other", OrganisationID: fx.orgs[level].ID, Country: "NL", Visibility: level}
		if err := directory.NewService(fx.env.db).CreateFacility(ctx, f); err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	// ownToken makes a token of the persona's to revoke.
	ownToken := func(fx *authzFixture, who persona, level string) string {
		if who == anonymous {
			return "00000000-0000-0000-0000-000000000000"
		}
		tok, _, err := fx.env.server.Accounts().CreateToken(context.Background(), fx.user(who, level), "to revoke", accounts.ScopeRead)
		if err != nil {
			t.Fatal(err)
		}
		return tok.ID
	}
	// listed checks a list route at 200 for everyone; TestListsFollowPolicy
	// checks what the lists contain.
	list := func(path string) expectation { return always("GET", path, 200) }

	return map[string]expectation{
		"GET /healthz":          always("GET", "/healthz", 200),
		"GET /readyz":           always("GET", "/readyz", 200),
		"GET /metrics":          always("GET", "/metrics", 200),
		"GET /api/openapi.json": always("GET", "/api/openapi.json", 200),
		"GET /static/{file}": func(fx *authzFixture, who persona, level string) authzCase {
			return authzCase{method: "GET", path: fx.env.server.pages.staticURL["style.css"], want: 200}
		},

		"GET /api/v1/clusters":      list("/api/v1/clusters"),
		"GET /api/v1/clusters/{id}": always("GET", "/api/v1/clusters/hsd", 200),
		"POST /api/v1/clusters": func(fx *authzFixture, who persona, level string) authzCase {
			c := admin(mayAlliance, "POST", func(*authzFixture) string { return "/api/v1/clusters" }, nil, 201)(fx, who, level)
			c.body = map[string]any{"slug": fx.unique("authz-cluster"), "name": "Authz Cluster", "country": "NL"}
			return c
		},
		"PUT /api/v1/clusters/{id}": admin(mayCluster, "PUT", func(*authzFixture) string { return "/api/v1/clusters/hsd" },
			func(fx *authzFixture) any {
				return map[string]any{"slug": "hsd", "name": fx.hsd.Name, "country": "NL", "region": fx.hsd.Region, "city": fx.hsd.City,
					"website": fx.hsd.Website, "description": fx.hsd.Description, "themes": fx.hsd.Themes, "joined": fx.hsd.Joined,
					"commitment": map[string]any{"signed": fx.hsd.Commitment.Signed, "signed_on": fx.hsd.Commitment.SignedOn}}
			}, 200),
		// hsd has members, so an allowed delete is refused by the data (409).
		"DELETE /api/v1/clusters/{id}": admin(mayAlliance, "DELETE", func(*authzFixture) string { return "/api/v1/clusters/hsd" }, nil, 409),

		"GET /api/v1/organisations":      list("/api/v1/organisations"),
		"GET /api/v1/organisations/{id}": read(func(fx *authzFixture, l string) string { return "/api/v1/organisations/" + fx.orgs[l].ID }),
		"POST /api/v1/organisations": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/organisations", want: denied(who),
				body: map[string]any{"slug": fx.unique("authz-new"), "name": "Authz New", "kind": "company", "country": "NL",
					"memberships": []map[string]string{{"cluster_id": "hsd", "role": "member"}}}}
			if mayAddOrg(who) {
				c.want = 201
			}
			return c
		},
		"PUT /api/v1/organisations/{id}": change("PUT", func(fx *authzFixture, l string) string { return "/api/v1/organisations/" + fx.orgs[l].ID }, orgBody, 200),
		// The organisation has people: an allowed delete ends in 409.
		"DELETE /api/v1/organisations/{id}": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "DELETE", path: "/api/v1/organisations/" + fx.orgs[level].ID, want: denied(who)}
			switch {
			case !sees(who, level):
				c.want = 404
			case mayDeleteOrg(who):
				c.want = 409
			}
			return c
		},
		// Each case asks to join a new cluster, so none is a repeat (409).
		"POST /api/v1/organisations/{id}/membership-requests": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/organisations/" + fx.orgs[level].ID + "/membership-requests", want: denied(who),
				body: map[string]any{"cluster_id": fx.throwawayCluster(t).Slug, "role": "member"}}
			switch {
			case !sees(who, level):
				c.want = 404
			case mayAsk(who):
				c.want = 201
			}
			return c
		},
		"GET /api/v1/membership-requests": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/api/v1/membership-requests?state=open", want: 200}
			if who == anonymous {
				c.want = 401
			}
			return c
		},
		// A request of the level's organisation to join a new cluster: its
		// administrators see it (but do not decide), the alliance
		// administrator decides, the manager of another cluster and
		// everyone else do not see it (404).
		"GET /api/v1/membership-requests/{id}": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/api/v1/membership-requests/" + fx.throwawayRequest(t, level).ID, want: 404}
			if who == allianceAdmin || who == orgAdmin {
				c.want = 200
			}
			return c
		},
		"POST /api/v1/membership-requests/{id}/decision": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/membership-requests/" + fx.throwawayRequest(t, level).ID + "/decision",
				body: map[string]string{"decision": "accept"}, want: 404}
			switch {
			case who == allianceAdmin && mayDecide(who):
				c.want = 200
			case who == orgAdmin:
				c.want = 403
			}
			return c
		},

		"GET /api/v1/people":      list("/api/v1/people"),
		"GET /api/v1/people/{id}": read(func(fx *authzFixture, l string) string { return "/api/v1/people/" + fx.people[l].ID }),
		"POST /api/v1/people": createIn("/api/v1/people", func(fx *authzFixture, l string) any {
			return map[string]any{"name": fx.unique("Authz New Person"), "organisation_id": fx.orgs[l].ID, "listed": true, "visibility": l}
		}, mayChange),
		"PUT /api/v1/people/{id}":    change("PUT", func(fx *authzFixture, l string) string { return "/api/v1/people/" + fx.people[l].ID }, personBody, 200),
		"DELETE /api/v1/people/{id}": change("DELETE", func(fx *authzFixture, l string) string { return "/api/v1/people/" + throwawayPerson(fx, l) }, nil, 204),

		"GET /api/v1/capabilities":        list("/api/v1/capabilities"),
		"GET /api/v1/capabilities/{code}": always("GET", "/api/v1/capabilities/drones", 200),
		"POST /api/v1/capabilities": func(fx *authzFixture, who persona, level string) authzCase {
			c := admin(mayAlliance, "POST", func(*authzFixture) string { return "/api/v1/capabilities" }, nil, 201)(fx, who, level)
			c.body = map[string]any{"code": "drones." + fx.unique("authz"), "parent": "drones", "nature": "both",
				"labels": map[string]string{"en": "A", "nl": "A", "fr": "A", "de": "A"}}
			return c
		},
		"PUT /api/v1/capabilities/{code}": admin(mayAlliance, "PUT", func(*authzFixture) string { return "/api/v1/capabilities/drones.testing" },
			func(fx *authzFixture) any {
				c, err := fx.env.db.GetCapability(context.Background(), "drones.testing")
				if err != nil {
					t.Fatal(err)
				}
				return map[string]any{"parent": c.Parent, "nature": c.Nature, "labels": c.Labels, "source": c.Source}
			}, 200),
		// drones has children: an allowed delete ends in 409.
		"DELETE /api/v1/capabilities/{code}": admin(mayAlliance, "DELETE", func(*authzFixture) string { return "/api/v1/capabilities/drones" }, nil, 409),

		"GET /api/v1/facilities":      list("/api/v1/facilities"),
		"GET /api/v1/facilities/{id}": read(func(fx *authzFixture, l string) string { return "/api/v1/facilities/" + fx.facs[l].ID }),
		"POST /api/v1/facilities": createIn("/api/v1/facilities", func(fx *authzFixture, l string) any {
			return map[string]any{"slug": fx.unique("authz-fac"), "name": "Authz New Facility", "kind": "laboratory", "organisation_id": fx.orgs[l].ID, "country": "NL"}
		}, mayChange),
		"PUT /api/v1/facilities/{id}":    change("PUT", func(fx *authzFixture, l string) string { return "/api/v1/facilities/" + fx.facs[l].ID }, facBody, 200),
		"DELETE /api/v1/facilities/{id}": change("DELETE", func(fx *authzFixture, l string) string { return "/api/v1/facilities/" + throwawayFacility(fx, l) }, nil, 204),

		"GET /api/v1/me": own("GET", func(*authzFixture, persona, string) string { return "/api/v1/me" }, nil, 200),
		// Only anonymous visitors are refused; signed-in personas are sent
		// with a throwaway account of the same role, so that the matrix
		// keeps its accounts (TestDeleteAccount checks the erasure).
		"DELETE /api/v1/me": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "DELETE", path: "/api/v1/me", want: denied(who)}
			if mayOwn(who) {
				c.want = 204
				c.token = fx.throwawayAccount(t, who, level)
			}
			return c
		},
		"GET /api/v1/me/export":      own("GET", func(*authzFixture, persona, string) string { return "/api/v1/me/export" }, nil, 200),
		"GET /api/v1/tokens":         own("GET", func(*authzFixture, persona, string) string { return "/api/v1/tokens" }, nil, 200),
		"POST /api/v1/tokens":        own("POST", func(*authzFixture, persona, string) string { return "/api/v1/tokens" }, map[string]string{"name": "matrix", "scope": "read"}, 201),
		"DELETE /api/v1/tokens/{id}": own("DELETE", func(fx *authzFixture, who persona, l string) string { return "/api/v1/tokens/" + ownToken(fx, who, l) }, nil, 204),
		"POST /api/v1/invitations": createIn("/api/v1/invitations", func(fx *authzFixture, l string) any {
			return map[string]any{"email": fx.unique("invitee") + "@example.org", "organisation_id": fx.orgs[l].ID}
		}, mayInvite),
		"GET /api/v1/users": admin(mayAdmin, "GET", func(*authzFixture) string { return "/api/v1/users" }, nil, 200),
		"PUT /api/v1/users/{id}/roles": admin(mayAdmin, "PUT", func(fx *authzFixture) string { return "/api/v1/users/" + fx.user(peer, "").ID + "/roles" },
			func(fx *authzFixture) any { return map[string]any{"organisation_id": fx.user(peer, "").OrganisationID} }, 200),
		"GET /api/v1/audit":                    admin(mayAdmin, "GET", func(*authzFixture) string { return "/api/v1/audit?limit=5" }, nil, 200),
		"GET /api/v1/export/organisations.csv": list("/api/v1/export/organisations.csv"),

		"GET /{$}":                  list("/"),
		"GET /search":               list("/search?q=authz"),
		"GET /api/v1/search":        list("/api/v1/search?q=authz"),
		"GET /api/v1/suggest":       list("/api/v1/suggest?q=authz"),
		"GET /language/{lang}":      always("GET", "/language/nl?next=/clusters", 303),
		"GET /clusters":             list("/clusters"),
		"GET /clusters/{slug}":      always("GET", "/clusters/hsd", 200),
		"GET /organisations":        list("/organisations"),
		"GET /organisations/{slug}": read(func(fx *authzFixture, l string) string { return "/organisations/" + fx.orgs[l].Slug }),
		"GET /people":               list("/people"),
		"GET /people/{id}":          read(func(fx *authzFixture, l string) string { return "/people/" + fx.people[l].ID }),
		"GET /capabilities":         list("/capabilities"),
		"GET /capabilities/{code}":  always("GET", "/capabilities/cybersecurity", 200),
		"GET /facilities":           list("/facilities"),
		"GET /facilities/{slug}":    read(func(fx *authzFixture, l string) string { return "/facilities/" + fx.facs[l].Slug }),
		"GET /organisations/new": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/organisations/new", want: denied(who)}
			if mayAddOrg(who) {
				c.want = 200
			}
			return c
		},
		"POST /organisations/new": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/organisations/new", want: denied(who),
				form: url.Values{"slug": {fx.unique("authz-form")}, "name": {"Authz Form"}, "kind": {"company"}, "country": {"NL"},
					"membership_" + fx.hsd.ID: {"member"}}}
			if mayAddOrg(who) {
				c.want = 303
			}
			return c
		},
		"GET /organisations/{slug}/edit": change("GET", func(fx *authzFixture, l string) string { return "/organisations/" + fx.orgs[l].Slug + "/edit" }, nil, 200),
		"POST /organisations/{slug}/edit": func(fx *authzFixture, who persona, level string) authzCase {
			o := fx.orgs[level]
			c := change("POST", func(*authzFixture, string) string { return "/organisations/" + o.Slug + "/edit" }, nil, 303)(fx, who, level)
			c.form = url.Values{"slug": {o.Slug}, "name": {o.Name}, "kind": {o.Kind}, "country": {o.Country}, "membership_" + fx.hsd.ID: {"member"}}
			return c
		},
		"POST /organisations/{slug}/membership-requests": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/organisations/" + fx.orgs[level].Slug + "/membership-requests", want: denied(who),
				form: url.Values{"cluster_id": {fx.throwawayCluster(t).ID}, "role": {"member"}}}
			switch {
			case !sees(who, level):
				c.want = 404
			case mayAsk(who):
				c.want = 303
			}
			return c
		},
		"GET /membership-requests": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/membership-requests", want: 200}
			if who == anonymous {
				c.want = 401
			}
			return c
		},
		"POST /membership-requests/{id}/decide": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/membership-requests/" + fx.throwawayRequest(t, level).ID + "/decide",
				form: url.Values{"decision": {"refuse"}}, want: 404}
			switch {
			case who == allianceAdmin && mayDecide(who):
				c.want = 303
			case who == orgAdmin:
				c.want = 403
			}
			return c
		},
		"GET /admin/merges": admin(mayMerge, "GET", func(*authzFixture) string { return "/admin/merges" }, nil, 200),
		// An unknown action passes the check and is refused as bad input.
		"POST /admin/merges": withForm(admin(mayMerge, "POST", func(*authzFixture) string { return "/admin/merges" }, nil, 400), url.Values{"action": {"nothing"}}),
		"GET /admin/import":  admin(mayAlliance, "GET", func(*authzFixture) string { return "/admin/import" }, nil, 200),
		// The matrix posts a plain form: an administrator passes the check
		// and is told to send multipart (400); TestImportUpload uploads.
		"POST /admin/import":        withForm(admin(mayAlliance, "POST", func(*authzFixture) string { return "/admin/import" }, nil, 400), url.Values{}),
		"GET /clusters/{slug}/edit": admin(mayCluster, "GET", func(*authzFixture) string { return "/clusters/hsd/edit" }, nil, 200),
		"POST /clusters/{slug}/edit": withForm(admin(mayCluster, "POST", func(*authzFixture) string { return "/clusters/hsd/edit" }, nil, 303),
			url.Values{"slug": {"hsd"}, "name": {"The Hague Security Delta"}, "country": {"NL"}, "region": {"NL33"}}),
		"GET /people/{id}/edit": change("GET", func(fx *authzFixture, l string) string { return "/people/" + fx.people[l].ID + "/edit" }, nil, 200),
		"POST /people/{id}/edit": func(fx *authzFixture, who persona, level string) authzCase {
			p := fx.people[level]
			c := change("POST", func(*authzFixture, string) string { return "/people/" + p.ID + "/edit" }, nil, 303)(fx, who, level)
			c.form = url.Values{"name": {p.Name}, "listed": {"on"}}
			return c
		},
		"GET /organisations/{slug}/invite": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/organisations/" + fx.orgs[level].Slug + "/invite"}
			switch {
			case !sees(who, level):
				c.want = 404
			case mayInvite(who):
				c.want = 200
			default:
				c.want = denied(who)
			}
			return c
		},
		"POST /organisations/{slug}/invite": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/organisations/" + fx.orgs[level].Slug + "/invite",
				form: url.Values{"email": {fx.unique("invitee") + "@example.org"}}}
			switch {
			case !sees(who, level):
				c.want = 404
			case mayInvite(who):
				c.want = 200
			default:
				c.want = denied(who)
			}
			return c
		},
		"GET /login": always("GET", "/login", 200),
		// Anyone may sign in; a wrong password is refused alike for all.
		"POST /login": func(fx *authzFixture, who persona, level string) authzCase {
			u := fx.user(allianceAdmin, "")
			return authzCase{method: "POST", path: "/login", form: url.Values{"email": {u.Email}, "password": {"authz-password-123"}}, want: 303}
		},
		"POST /logout": func(*authzFixture, persona, string) authzCase {
			return authzCase{method: "POST", path: "/logout", form: url.Values{}, want: 303}
		},
		"GET /reset": always("GET", "/reset", 200),
		"POST /reset": func(*authzFixture, persona, string) authzCase {
			return authzCase{method: "POST", path: "/reset", form: url.Values{"email": {"nobody@example.org"}}, want: 200}
		},
		"GET /reset/{token}": always("GET", "/reset/not-a-real-token", 200),
		"POST /reset/{token}": func(*authzFixture, persona, string) authzCase {
			return authzCase{method: "POST", path: "/reset/not-a-real-token", form: url.Values{"password": {"a-long-enough-password"}}, want: 410}
		},
		"GET /invitations/{token}": always("GET", "/invitations/not-a-real-token", 410),
		"POST /invitations/{token}": func(*authzFixture, persona, string) authzCase {
			return authzCase{method: "POST", path: "/invitations/not-a-real-token", form: url.Values{"name": {"X"}, "password": {"a-long-enough-password"}}, want: 410}
		},
		"GET /account": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/account", want: 200}
			if who == anonymous {
				c.want = 303 // to the sign-in page
			}
			return c
		},
		"POST /account/tokens": withForm(own("POST", func(*authzFixture, persona, string) string { return "/account/tokens" }, nil, 200),
			url.Values{"name": {"matrix"}, "scope": {"read"}}),
		"POST /account/tokens/{id}/revoke": withForm(own("POST", func(fx *authzFixture, who persona, l string) string {
			return "/account/tokens/" + ownToken(fx, who, l) + "/revoke"
		}, nil, 303), url.Values{}),
		"GET /account/export": own("GET", func(*authzFixture, persona, string) string { return "/account/export" }, nil, 200),
		// A wrong confirmation leaves the account alone (422).
		"POST /account/delete": withForm(own("POST", func(*authzFixture, persona, string) string { return "/account/delete" }, nil, 422),
			url.Values{"confirm": {"not-my-address@example.org"}}),
		"GET /admin/users": admin(mayAdmin, "GET", func(*authzFixture) string { return "/admin/users" }, nil, 200),
		"POST /admin/users/{id}/roles": withForm(admin(mayAdmin, "POST", func(fx *authzFixture) string { return "/admin/users/" + fx.user(outsider, "").ID + "/roles" }, nil, 303),
			url.Values{}),
		"GET /admin/audit": admin(mayAdmin, "GET", func(*authzFixture) string { return "/admin/audit" }, nil, 200),
	}
}
