package accounts_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/validate"
)

// world is a database with two clusters, an organisation in each, and one
// account per role; the use cases are called with a viewer in the
// context, as the web layer calls them, but without HTTP.
type world struct {
	db                               *sqlstore.DB
	svc                              *accounts.Service
	own, other                       directory.Organisation
	admin, manager, orgAdmin, member accounts.User
	hiddenOther                      directory.Organisation
	system                           context.Context
	otherCluster, ownCluster         directory.Cluster
	sentMu                           sync.Mutex
	sent                             []mail.Message
}

func (w *world) Send(_ context.Context, m mail.Message) error {
	w.sentMu.Lock()
	defer w.sentMu.Unlock()
	w.sent = append(w.sent, m)
	return nil
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	w := &world{db: db, system: access.AsSystem(context.Background())}
	w.svc = accounts.NewService(db, db, w, accounts.Config{Params: accounts.Params{Memory: 1024, Time: 1, Threads: 1}})
	dir := directory.NewService(db)
	mkCluster := func(slug string) directory.Cluster {
		c := &directory.Cluster{Slug: slug, Name: "Cluster " + slug, Country: "NL"}
		if err := dir.CreateCluster(w.system, c); err != nil {
			t.Fatal(err)
		}
		return *c
	}
	w.ownCluster, w.otherCluster = mkCluster("own-cluster"), mkCluster("other-cluster")
	mkOrg := func(slug, cluster, vis string) directory.Organisation {
		o := &directory.Organisation{Slug: slug, Name: "Org " + slug, Kind: "company", Country: "NL", Visibility: vis,
			Memberships: []directory.Membership{{ClusterID: cluster, Role: "member"}}}
		if err := dir.CreateOrganisation(w.system, o); err != nil {
			t.Fatal(err)
		}
		return *o
	}
	w.own = mkOrg("own-org", w.ownCluster.ID, access.Public)
	w.other = mkOrg("other-org", w.otherCluster.ID, access.Public)
	w.hiddenOther = mkOrg("hidden-org", w.otherCluster.ID, access.Organisation)
	mkUser := func(email string, u accounts.User) accounts.User {
		u.Email = email
		if err := w.svc.NewUser(w.system, &u, "a long enough password"); err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.admin = mkUser("admin@example.org", accounts.User{AllianceAdmin: true})
	w.manager = mkUser("manager@example.org", accounts.User{OrganisationID: w.own.ID, ManagedClusters: []string{w.ownCluster.ID}})
	w.orgAdmin = mkUser("orgadmin@example.org", accounts.User{OrganisationID: w.own.ID, OrgAdmin: true})
	w.member = mkUser("member@example.org", accounts.User{OrganisationID: w.own.ID})
	return w
}

// as returns a request context for u: write false is a read-scoped token.
func (w *world) as(t *testing.T, u accounts.User, write bool) context.Context {
	t.Helper()
	v, err := w.svc.ViewerOf(w.system, u, write)
	if err != nil {
		t.Fatal(err)
	}
	return access.WithScope(access.WithViewer(context.Background(), v), access.ScopeOf(v))
}

func forEngine(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newWorld(t, storetest.NewSQLite(t))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newWorld(t, storetest.NewPostgres(t))) })
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

func TestTokenUseCases(t *testing.T) {
	forEngine(t, func(t *testing.T, w *world) {
		anon := context.Background()
		_, _, err := w.svc.CreateMyToken(anon, "x", accounts.ScopeRead)
		wantErr(t, "anonymous creates a token", err, store.ErrForbidden)
		for _, scope := range []string{accounts.ScopeRead, accounts.ScopeWrite} {
			_, _, err := w.svc.CreateMyToken(w.as(t, w.admin, false), "x", scope)
			wantErr(t, "a read token creates a "+scope+" token", err, store.ErrForbidden)
		}
		tok, secret, err := w.svc.CreateMyToken(w.as(t, w.member, true), "ci", accounts.ScopeWrite)
		if err != nil || secret == "" || tok.UserID != w.member.ID {
			t.Fatalf("member creates a token: %+v, %v", tok, err)
		}
		_, _, err = w.svc.CreateMyToken(w.as(t, w.member, true), "ci", "admin")
		var ve validate.Errors
		if !errors.As(err, &ve) || ve[0].Field != "scope" {
			t.Errorf("unknown scope: %v, want a validation error on scope", err)
		}
		wantErr(t, "someone else revokes the token", w.svc.RevokeMyToken(w.as(t, w.admin, true), tok.ID), store.ErrNotFound)
		wantErr(t, "a read token revokes", w.svc.RevokeMyToken(w.as(t, w.member, false), tok.ID), store.ErrForbidden)
		if err := w.svc.RevokeMyToken(w.as(t, w.member, true), tok.ID); err != nil {
			t.Errorf("owner revokes: %v", err)
		}
		list, err := w.svc.MyTokens(w.as(t, w.member, false))
		if err != nil || len(list) != 1 || list[0].RevokedAt == nil {
			t.Errorf("tokens after revoking: %+v, %v", list, err)
		}
	})
}

func TestRoleUseCases(t *testing.T) {
	forEngine(t, func(t *testing.T, w *world) {
		for _, c := range []struct {
			name string
			ctx  context.Context
		}{{"anonymous", context.Background()}, {"member", w.as(t, w.member, true)}, {"manager", w.as(t, w.manager, true)},
			{"organisation admin", w.as(t, w.orgAdmin, true)}, {"admin with a read token", w.as(t, w.admin, false)}} {
			_, err := w.svc.SetRoles(c.ctx, w.member.ID, accounts.RolesInput{AllianceAdmin: true})
			wantErr(t, c.name+" sets roles", err, store.ErrForbidden)
		}
		for _, c := range []struct {
			name string
			ctx  context.Context
		}{{"anonymous", context.Background()}, {"member", w.as(t, w.member, true)}, {"manager", w.as(t, w.manager, true)}} {
			_, err := w.svc.ListUsers(c.ctx)
			wantErr(t, c.name+" lists accounts", err, store.ErrForbidden)
			_, err = w.svc.ReadAudit(c.ctx, auditAll)
			wantErr(t, c.name+" reads the audit log", err, store.ErrForbidden)
		}
		if users, err := w.svc.ListUsers(w.as(t, w.admin, false)); err != nil || len(users) != 4 {
			t.Errorf("admin lists accounts with a read token: %d, %v", len(users), err)
		}
		admin := w.as(t, w.admin, true)
		_, err := w.svc.SetRoles(admin, w.member.ID, accounts.RolesInput{ManagedClusters: []string{w.ownCluster.Slug, "no-such-cluster"}})
		var ve validate.Errors
		if !errors.As(err, &ve) || len(ve) != 1 || ve[0].Field != "managed_clusters[1]" {
			t.Errorf("unknown cluster: %v, want managed_clusters[1] named", err)
		}
		u, err := w.svc.SetRoles(admin, w.member.ID, accounts.RolesInput{ManagedClusters: []string{w.ownCluster.Slug}})
		if err != nil || len(u.ManagedClusters) != 1 || u.OrganisationID != w.own.ID {
			t.Errorf("make manager, keeping the organisation: %+v, %v", u, err)
		}
		none := ""
		u, err = w.svc.SetRoles(admin, w.member.ID, accounts.RolesInput{OrganisationID: &none, OrganisationAdmin: true})
		if !errors.As(err, &ve) || ve[0].Field != "organisation_admin" {
			t.Errorf("organisation admin without an organisation: %+v, %v", u, err)
		}
	})
}

func TestInviteUseCases(t *testing.T) {
	forEngine(t, func(t *testing.T, w *world) {
		in := func(org string) accounts.InvitationInput {
			return accounts.InvitationInput{Email: "new-" + org + "@example.org", OrganisationID: org}
		}
		tests := []struct {
			name string
			ctx  context.Context
			org  string
			want error // nil: invited
			vErr string
		}{
			{"anonymous", context.Background(), w.own.ID, store.ErrForbidden, ""},
			{"member", w.as(t, w.member, true), w.own.ID, store.ErrForbidden, ""},
			{"organisation admin, read token", w.as(t, w.orgAdmin, false), w.own.ID, store.ErrForbidden, ""},
			{"organisation admin, other organisation", w.as(t, w.orgAdmin, true), w.other.ID, store.ErrForbidden, ""},
			{"organisation admin, hidden organisation", w.as(t, w.orgAdmin, true), w.hiddenOther.ID, nil, "organisation_id"},
			{"manager, organisation outside the cluster", w.as(t, w.manager, true), w.other.Slug, store.ErrForbidden, ""},
			{"organisation admin, own organisation", w.as(t, w.orgAdmin, true), w.own.ID, nil, ""},
			{"manager, organisation in the cluster", w.as(t, w.manager, true), w.own.Slug, nil, ""},
			{"alliance admin, any", w.as(t, w.admin, true), w.hiddenOther.ID, nil, ""},
		}
		for _, tt := range tests {
			sent := len(w.sent)
			_, err := w.svc.Invite(tt.ctx, in(tt.org))
			var ve validate.Errors
			switch {
			case tt.want != nil:
				wantErr(t, tt.name, err, tt.want)
			case tt.vErr != "":
				if !errors.As(err, &ve) || ve[0].Field != tt.vErr {
					t.Errorf("%s: %v, want a validation error on %s", tt.name, err, tt.vErr)
				}
			case err != nil:
				t.Errorf("%s: %v", tt.name, err)
			}
			if invited := len(w.sent) > sent; invited != (tt.want == nil && tt.vErr == "") {
				t.Errorf("%s: invitation sent = %v", tt.name, invited)
			}
		}
	})
}

func TestEraseAndExportUseCases(t *testing.T) {
	forEngine(t, func(t *testing.T, w *world) {
		wantErr(t, "anonymous erases", w.svc.EraseMyAccount(context.Background()), store.ErrForbidden)
		wantErr(t, "a read token erases", w.svc.EraseMyAccount(w.as(t, w.member, false)), store.ErrForbidden)
		w.svc.AddPersonalRecords("things", func(_ context.Context, userID string) (any, error) { return []string{"of " + userID}, nil })
		d, err := w.svc.ExportMyData(w.as(t, w.member, false))
		if err != nil || d.Account.ID != w.member.ID || d.Records["things"] == nil {
			t.Fatalf("export with a read token: %+v, %v", d, err)
		}
		if err := w.svc.EraseMyAccount(w.as(t, w.member, true)); err != nil {
			t.Fatal(err)
		}
		if _, err := w.db.GetUserByEmail(w.system, w.member.Email); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("e-mail address still on file: %v", err)
		}
	})
}

var auditAll = audit.Filter{Limit: 10}

func init() { slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil))) }
