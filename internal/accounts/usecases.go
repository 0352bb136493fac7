package accounts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// The use cases below decide for the viewer in the context
// (access.ViewerFrom): an anonymous visitor and a read-scoped token are
// refused every change with store.ErrForbidden; what the viewer may not
// see is store.ErrNotFound.

// Directory is what the account rules read of the directory.
type Directory interface {
	GetOrganisation(ctx context.Context, idOrSlug string) (directory.Organisation, error)
	GetCluster(ctx context.Context, idOrSlug string) (directory.Cluster, error)
	ListClusters(ctx context.Context, f directory.Filter) (directory.Page[directory.Cluster], error)
	GetPerson(ctx context.Context, id string) (directory.Person, error)
}

// AuditReader reads the audit log.
type AuditReader interface {
	AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error)
}

func forbidden(what string) error { return fmt.Errorf("%s: %w", what, store.ErrForbidden) }

// systemCtx is ctx with the application's own scope, for lookups a rule
// needs whatever the viewer may see (the clusters of an organisation).
func systemCtx(ctx context.Context) context.Context { return access.WithScope(ctx, access.System) }

// signedIn returns the viewer's account, or ErrForbidden for an anonymous
// visitor (the web layer asks them to sign in).
func (s *Service) signedIn(ctx context.Context) (User, access.Viewer, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() {
		return User{}, v, forbidden("sign in first")
	}
	u, err := s.store.GetUser(ctx, v.UserID)
	if err != nil {
		return User{}, v, err
	}
	return u, v, nil
}

// mayWrite is signedIn for a change: a read-scoped token changes nothing.
func (s *Service) mayWrite(ctx context.Context) (User, access.Viewer, error) {
	u, v, err := s.signedIn(ctx)
	if err == nil && !v.WriteAllowed {
		err = forbidden("read-only token")
	}
	return u, v, err
}

// ViewerOf builds the policy's view of an account: the clusters of its
// organisation are read with the system scope, since a user always knows
// the clusters of their own organisation. write is false for a read-scoped
// token.
func (s *Service) ViewerOf(ctx context.Context, u User, write bool) (access.Viewer, error) {
	v := access.Viewer{UserID: u.ID, Email: u.Email, PersonID: u.PersonID, OrganisationID: u.OrganisationID,
		AllianceAdmin: u.AllianceAdmin, ManagedClusters: u.ManagedClusters, OrgAdmin: u.OrgAdmin && u.OrganisationID != "",
		WriteAllowed: write}
	if u.OrganisationID != "" {
		o, err := s.store.GetOrganisation(systemCtx(ctx), u.OrganisationID)
		if err != nil {
			return v, err
		}
		for _, m := range o.Memberships {
			v.Clusters = append(v.Clusters, m.ClusterID)
		}
	}
	return v, nil
}

// Account is what the account page shows of its owner.
type Account struct {
	User             User
	Tokens           []APIToken
	OrganisationName string
	Role             string
	Clusters         []string
}

// MyAccount returns the viewer's account, tokens and organisation.
func (s *Service) MyAccount(ctx context.Context) (Account, error) {
	u, v, err := s.signedIn(ctx)
	if err != nil {
		return Account{}, err
	}
	a := Account{User: u, Role: v.Role(), Clusters: orEmpty(v.Clusters)}
	if a.Tokens, err = s.store.ListTokens(ctx, u.ID); err != nil {
		return a, err
	}
	if u.OrganisationID != "" {
		if o, err := s.store.GetOrganisation(systemCtx(ctx), u.OrganisationID); err == nil {
			a.OrganisationName = o.Name
		}
	}
	return a, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// MyTokens lists the viewer's API tokens (never their secrets).
func (s *Service) MyTokens(ctx context.Context) ([]APIToken, error) {
	u, _, err := s.signedIn(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.ListTokens(ctx, u.ID)
}

// scopeRank orders scopes by what they allow.
func scopeRank(scope string) int { return slices.Index([]string{ScopeRead, ScopeWrite}, scope) }

// CreateMyToken makes an API token for the viewer; the secret is shown
// once. A token can never make a token wider than itself, and a read
// token makes none (it changes nothing); a session may make either scope.
func (s *Service) CreateMyToken(ctx context.Context, name, scope string) (APIToken, string, error) {
	u, v, err := s.mayWrite(ctx)
	if err != nil {
		return APIToken{}, "", err
	}
	own := ScopeRead
	if v.WriteAllowed {
		own = ScopeWrite
	}
	if scopeRank(scope) > scopeRank(own) {
		return APIToken{}, "", forbidden("a token may not create a wider one")
	}
	return s.CreateToken(ctx, u, name, scope)
}

// RevokeMyToken revokes one of the viewer's tokens; another's is not
// found.
func (s *Service) RevokeMyToken(ctx context.Context, id string) error {
	u, _, err := s.mayWrite(ctx)
	if err != nil {
		return err
	}
	return s.store.RevokeToken(ctx, u.ID, id, s.cfg.Now())
}

// InvitationInput asks to invite a person into an organisation.
type InvitationInput struct {
	Email             string `json:"email"`
	OrganisationID    string `json:"organisation_id"`
	OrganisationAdmin bool   `json:"organisation_admin"`
}

// InviteTarget returns the organisation (by id or slug) when the viewer
// may invite people into it: hidden organisations are not found, others
// the viewer may not invite into are forbidden.
func (s *Service) InviteTarget(ctx context.Context, org string) (directory.Organisation, error) {
	v := access.ViewerFrom(ctx)
	o, err := s.store.GetOrganisation(ctx, org)
	if err != nil {
		return o, err
	}
	if !access.CanInvite(v, o.ID, clustersOf(o)) {
		return o, forbidden("invite into " + o.Slug)
	}
	return o, nil
}

func clustersOf(o directory.Organisation) []string {
	var out []string
	for _, m := range o.Memberships {
		out = append(out, m.ClusterID)
	}
	return out
}

// Invite sends an invitation to join an organisation the viewer may
// invite into; an organisation the viewer may not see is an unknown
// reference (422).
func (s *Service) Invite(ctx context.Context, in InvitationInput) (Invitation, error) {
	inviter, _, err := s.mayWrite(ctx)
	if err != nil {
		return Invitation{}, err
	}
	o, err := s.InviteTarget(ctx, in.OrganisationID)
	if errors.Is(err, store.ErrNotFound) {
		return Invitation{}, validate.Errors{{Field: "organisation_id", Code: validate.NotFound}}
	}
	if err != nil {
		return Invitation{}, err
	}
	return s.sendInvitation(ctx, inviter, in.Email, o, in.OrganisationAdmin)
}

// ListUsers lists every account, for the alliance administrator.
func (s *Service) ListUsers(ctx context.Context) ([]User, error) {
	if v := access.ViewerFrom(ctx); !v.AllianceAdmin {
		return nil, forbidden("list accounts")
	}
	return s.store.ListUsers(ctx)
}

// RoleChoices are the clusters a role change may name, for the form.
func (s *Service) RoleChoices(ctx context.Context) ([]directory.Cluster, error) {
	if v := access.ViewerFrom(ctx); !v.AllianceAdmin {
		return nil, forbidden("set roles")
	}
	p, err := s.store.ListClusters(ctx, directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	return p.Items, err
}

// RolesInput sets an account's roles. OrganisationID nil keeps the
// account's organisation; "" takes it out of any.
type RolesInput struct {
	AllianceAdmin     bool     `json:"alliance_admin"`
	OrganisationAdmin bool     `json:"organisation_admin"`
	ManagedClusters   []string `json:"managed_clusters"`
	OrganisationID    *string  `json:"organisation_id"`
	Disabled          bool     `json:"disabled"`
}

// SetRoles changes an account's roles; only the alliance administrator
// may. Unknown clusters and organisations are named field by field.
func (s *Service) SetRoles(ctx context.Context, id string, in RolesInput) (User, error) {
	if v := access.ViewerFrom(ctx); !access.CanManageAlliance(v) {
		return User{}, forbidden("set roles")
	}
	u, err := s.store.GetUser(ctx, id)
	if err != nil {
		return u, err
	}
	var errs validate.Errors
	u.ManagedClusters = []string{}
	for i, c := range in.ManagedClusters {
		cl, err := s.store.GetCluster(ctx, c)
		if errors.Is(err, store.ErrNotFound) {
			errs.Add(fmt.Sprintf("managed_clusters[%d]", i), validate.NotFound)
			continue
		} else if err != nil {
			return u, err
		}
		u.ManagedClusters = append(u.ManagedClusters, cl.ID)
	}
	if in.OrganisationID != nil {
		u.OrganisationID = ""
		if org := strings.TrimSpace(*in.OrganisationID); org != "" {
			o, err := s.store.GetOrganisation(systemCtx(ctx), org)
			switch {
			case errors.Is(err, store.ErrNotFound):
				errs.Add("organisation_id", validate.NotFound)
			case err != nil:
				return u, err
			default:
				u.OrganisationID = o.ID
			}
		}
	}
	if in.OrganisationAdmin && u.OrganisationID == "" {
		errs.Add("organisation_admin", validate.InvalidChoice, "choices", "false without an organisation")
	}
	if err := errs.Err(); err != nil {
		return u, err
	}
	u.AllianceAdmin, u.OrgAdmin, u.Disabled = in.AllianceAdmin, in.OrganisationAdmin, in.Disabled
	if err := s.store.UpdateUser(ctx, &u); err != nil {
		return u, err
	}
	return s.store.GetUser(ctx, u.ID)
}

// ReadAudit returns entries of the audit log, for the alliance
// administrator.
func (s *Service) ReadAudit(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	if !access.CanReadAudit(access.ViewerFrom(ctx)) {
		return nil, forbidden("read the audit log")
	}
	return s.store.AuditLog(ctx, f)
}

// Audit appends an entry for the edge (a refused cross-site request).
func (s *Service) Audit(ctx context.Context, action, entity, entityID, detail string) error {
	return s.audit.Audit(ctx, action, entity, entityID, detail)
}
