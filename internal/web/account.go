package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/csvexport"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// maxForm bounds form bodies.
const maxForm = 64 << 10

func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return errBadRequest("The form could not be read.", validate.Errors{{Field: "body", Code: validate.Malformed}})
	}
	return nil
}

// requireUser returns the signed-in account or an error asking to sign in.
func requireUser(r *http.Request) (accounts.User, error) {
	u, ok := userFrom(r.Context())
	if !ok {
		return u, errUnauthorized("Sign in (or send an API token) to do this.")
	}
	return u, nil
}

// formPage is a page with a form: the values to show again and the
// problems to report.
type formPage struct {
	layout
	Values  url.Values
	Errors  []ProblemField
	Message string // a message key
	Sent    string
	Token   string
}

func (f formPage) Value(name string) string { return f.Values.Get(name) }

func fieldErrors(err error) ([]ProblemField, bool) {
	var ve validate.Errors
	if errors.As(err, &ve) {
		return fieldsOf(ve), true
	}
	return nil, false
}

// ---- sign in and out

func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "login", formPage{layout: s.layout(r, "title.sign_in", "login"), Values: url.Values{"next": {safeNext(r.URL.Query().Get("next"))}}})
}

// safeNext keeps redirects after sign-in and the language switch on this
// site: it returns next only when it is a path of this site, and /account
// otherwise.
func safeNext(next string) string {
	if sameSitePath(next) {
		return next
	}
	return "/account"
}

// sameSitePath reports whether next can only lead to a page of this site.
// Browsers forgive a lot in a Location header — they drop tabs and line
// breaks, read a backslash as a slash and a leading "//" as another host —
// so next must be one slash followed by plain URL characters, and neither
// it nor any percent-decoding of it may turn into something else.
func sameSitePath(next string) bool {
	if len(next) > 2000 || !strings.HasPrefix(next, "/") {
		return false
	}
	for _, c := range next {
		if c <= ' ' || c > '~' || c == '\\' {
			return false
		}
	}
	// Decoded once, twice, thrice: still no second slash, backslash or
	// control character where a browser might act on it.
	for dec, i := next, 0; ; i++ {
		if strings.HasPrefix(dec, "//") {
			return false
		}
		for _, c := range dec {
			if c < ' ' || c == 0x7f || c == '\\' {
				return false
			}
		}
		d, err := url.PathUnescape(dec)
		if err != nil || i == 3 {
			return false
		}
		if d == dec {
			break
		}
		dec = d
	}
	u, err := url.Parse(next)
	return err == nil && u.Scheme == "" && u.Host == "" && u.Opaque == "" && u.User == nil && strings.HasPrefix(u.Path, "/")
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	email, password := r.PostForm.Get("email"), r.PostForm.Get("password")
	u, token, err := s.accounts.Login(r.Context(), email, password, r.UserAgent())
	if errors.Is(err, accounts.ErrInvalidCredentials) || errors.Is(err, accounts.ErrThrottled) || errors.Is(err, accounts.ErrBusy) {
		status, msg := http.StatusUnauthorized, "login.invalid"
		switch {
		case errors.Is(err, accounts.ErrThrottled):
			status, msg = http.StatusTooManyRequests, "login.throttled"
			w.Header().Set("Retry-After", strconv.Itoa(int(s.accounts.Config().FailureWindow.Seconds())))
		case errors.Is(err, accounts.ErrBusy):
			status, msg = http.StatusServiceUnavailable, "login.busy"
			w.Header().Set("Retry-After", retryBusy)
		}
		vals := url.Values{"email": {email}, "next": {safeNext(r.PostForm.Get("next"))}}
		return s.render(w, status, "login", formPage{layout: s.layout(r, "title.sign_in", "login"), Values: vals, Message: msg})
	}
	if err != nil {
		return err
	}
	setSessionCookie(w, token, int(s.accounts.Config().AbsoluteTimeout.Seconds()))
	s.log.InfoContext(r.Context(), "signed in", "user", u.ID)
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
	return nil
}

func (s *Server) postLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.accounts.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	clearSessionCookie(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// ---- password reset

func (s *Server) pageResetRequest(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "reset_request", formPage{layout: s.layout(r, "title.reset_request", "login")})
}

// resetSent is said whether or not the address has an account.
const resetSent = "message.reset_sent"

func (s *Server) postResetRequest(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	err := s.accounts.RequestReset(r.Context(), r.PostForm.Get("email"))
	if fe, ok := fieldErrors(err); ok {
		return s.render(w, http.StatusUnprocessableEntity, "reset_request", formPage{layout: s.layout(r, "title.reset_request", "login"), Values: r.PostForm, Errors: fe})
	}
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "message", formPage{layout: s.layout(r, "title.check_mail", "login"), Message: resetSent})
}

func (s *Server) pageReset(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "reset", formPage{layout: s.layout(r, "title.reset", "login"), Token: r.PathValue("token")})
}

func (s *Server) postReset(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	err := s.accounts.ResetPassword(r.Context(), r.PathValue("token"), r.PostForm.Get("password"))
	data := formPage{layout: s.layout(r, "title.reset", "login"), Token: r.PathValue("token")}
	if fe, ok := fieldErrors(err); ok {
		data.Errors = fe
		return s.render(w, http.StatusUnprocessableEntity, "reset", data)
	}
	if errors.Is(err, accounts.ErrLinkInvalid) {
		data.Message = "link.invalid"
		return s.render(w, http.StatusGone, "message", data)
	}
	if err != nil {
		return err
	}
	data.Message = "message.password_changed"
	return s.render(w, http.StatusOK, "message", data)
}

// ---- invitations

func (s *Server) pageInvitation(w http.ResponseWriter, r *http.Request) error {
	inv, err := s.accounts.Invitation(r.Context(), r.PathValue("token"))
	data := formPage{layout: s.layout(r, "title.join", "login"), Token: r.PathValue("token")}
	if errors.Is(err, accounts.ErrLinkInvalid) {
		data.Message = "link.invalid"
		return s.render(w, http.StatusGone, "message", data)
	}
	if err != nil {
		return err
	}
	data.Values = url.Values{"email": {inv.Email}}
	return s.render(w, http.StatusOK, "invitation", data)
}

func (s *Server) postInvitation(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	data := formPage{layout: s.layout(r, "title.join", "login"), Token: r.PathValue("token"), Values: r.PostForm}
	_, err := s.accounts.AcceptInvitation(r.Context(), r.PathValue("token"), r.PostForm.Get("name"), r.PostForm.Get("password"))
	if fe, ok := fieldErrors(err); ok {
		data.Errors = fe
		return s.render(w, http.StatusUnprocessableEntity, "invitation", data)
	}
	if errors.Is(err, accounts.ErrLinkInvalid) {
		data.Message = "link.invalid"
		return s.render(w, http.StatusGone, "message", data)
	}
	if err != nil {
		return err
	}
	data.Message = "message.account_ready"
	return s.render(w, http.StatusOK, "message", data)
}

// InvitationInput is the body of an invitation request.
type InvitationInput struct {
	Email             string `json:"email"`
	OrganisationID    string `json:"organisation_id"`
	OrganisationAdmin bool   `json:"organisation_admin"`
}

// invite checks the inviter's right over the organisation and sends the
// invitation.
func (s *Server) invite(ctx context.Context, in InvitationInput) (accounts.Invitation, error) {
	u, ok := userFrom(ctx)
	v := viewerFrom(ctx)
	if !ok || !v.WriteAllowed {
		return accounts.Invitation{}, errForbidden(v)
	}
	o, err := s.db.GetOrganisation(ctx, in.OrganisationID)
	if errors.Is(err, store.ErrNotFound) {
		return accounts.Invitation{}, validate.Errors{{Field: "organisation_id", Code: validate.NotFound}}
	}
	if err != nil {
		return accounts.Invitation{}, err
	}
	if !access.CanInvite(v, o.ID, recordOf(o, "", "").OwnerClusters) {
		return accounts.Invitation{}, errForbidden(v)
	}
	return s.accounts.Invite(ctx, u, in.Email, o.ID, o.Name, in.OrganisationAdmin)
}

func (s *Server) apiCreateInvitation(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	var in InvitationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	inv, err := s.invite(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, inv)
}

type invitePage struct {
	formPage
	Organisation directory.Organisation
}

func (s *Server) pageInvite(w http.ResponseWriter, r *http.Request) error {
	o, err := s.db.GetOrganisation(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	if !access.CanInvite(v, o.ID, recordOf(o, "", "").OwnerClusters) {
		return errForbidden(v)
	}
	data := invitePage{formPage{layout: s.layout(r, "", "organisations")}, o}
	data.Title = data.L.T("title.invite", "name", o.Name)
	return s.render(w, http.StatusOK, "invite", data)
}

func (s *Server) postInvite(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	o, err := s.db.GetOrganisation(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	data := invitePage{formPage{layout: s.layout(r, "", "organisations"), Values: r.PostForm}, o}
	data.Title = data.L.T("title.invite", "name", o.Name)
	_, err = s.invite(r.Context(), InvitationInput{Email: r.PostForm.Get("email"), OrganisationID: o.ID, OrganisationAdmin: r.PostForm.Get("organisation_admin") == "on"})
	if fe, ok := fieldErrors(err); ok {
		data.Errors = fe
		return s.render(w, http.StatusUnprocessableEntity, "invite", data)
	}
	if err != nil {
		return err
	}
	data.Values = nil
	data.Message, data.Sent = "message.invitation_sent", r.PostForm.Get("email")
	return s.render(w, http.StatusOK, "invite", data)
}

// ---- account

type accountPage struct {
	layout
	User     accounts.User
	Tokens   []accounts.APIToken
	NewToken string
	Errors   []ProblemField
	OrgName  string
	Role     string
}

func (s *Server) accountData(r *http.Request, u accounts.User) (accountPage, error) {
	tokens, err := s.db.ListTokens(r.Context(), u.ID)
	if err != nil {
		return accountPage{}, err
	}
	data := accountPage{layout: s.layout(r, "title.account", "account"), User: u, Tokens: tokens, Role: viewerFrom(r.Context()).Role()}
	if u.OrganisationID != "" {
		if o, err := s.db.GetOrganisation(system(r.Context()), u.OrganisationID); err == nil {
			data.OrgName = o.Name
		}
	}
	return data, nil
}

func (s *Server) pageAccount(w http.ResponseWriter, r *http.Request) error {
	u, ok := userFrom(r.Context())
	if !ok {
		http.Redirect(w, r, "/login?next=/account", http.StatusSeeOther)
		return nil
	}
	data, err := s.accountData(r, u)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "account", data)
}

func (s *Server) postAccountToken(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	_, secret, err := s.accounts.CreateToken(r.Context(), u, r.PostForm.Get("name"), r.PostForm.Get("scope"))
	data, derr := s.accountData(r, u)
	if derr != nil {
		return derr
	}
	if fe, ok := fieldErrors(err); ok {
		data.Errors = fe
		return s.render(w, http.StatusUnprocessableEntity, "account", data)
	}
	if err != nil {
		return err
	}
	// Shown once: the secret is not stored, only its hash.
	data.NewToken = secret
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, http.StatusOK, "account", data)
}

func (s *Server) postRevokeToken(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeToken(r.Context(), u, r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// PersonalData is everything escnet holds about an account holder.
type PersonalData struct {
	ExportedAt time.Time           `json:"exported_at"`
	Account    accounts.User       `json:"account"`
	Person     *directory.Person   `json:"person,omitempty"`
	Tokens     []accounts.APIToken `json:"api_tokens"`
	Activity   []audit.Entry       `json:"activity"`
}

func (s *Server) personalData(ctx context.Context, u accounts.User) (PersonalData, error) {
	d := PersonalData{ExportedAt: time.Now().UTC(), Account: u}
	if u.PersonID != "" {
		p, err := s.db.GetPerson(system(ctx), u.PersonID)
		if err == nil {
			d.Person = &p
		} else if !errors.Is(err, store.ErrNotFound) {
			return d, err
		}
	}
	var err error
	if d.Tokens, err = s.db.ListTokens(ctx, u.ID); err != nil {
		return d, err
	}
	d.Activity, err = s.db.AuditLog(ctx, audit.Filter{UserID: u.ID, Limit: 500})
	if err != nil {
		return d, err
	}
	byEmail, err := s.db.AuditLog(ctx, audit.Filter{EntityID: u.Email, Limit: 500})
	d.Activity = append(d.Activity, byEmail...)
	return d, err
}

// exportPersonal answers the download of one's own data (GDPR art. 15/20).
func (s *Server) exportPersonal(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	d, err := s.personalData(r.Context(), u)
	if err != nil {
		return err
	}
	if err := s.db.Audit(r.Context(), "export.personal_data", "user", u.ID, ""); err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="escnet-personal-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, d)
}

func (s *Server) eraseAccount(ctx context.Context, u accounts.User) error {
	if err := s.db.EraseUser(ctx, u.ID); err != nil {
		return err
	}
	return s.db.Audit(ctx, "account.erased", "user", u.ID, "")
}

func (s *Server) postDeleteAccount(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if r.PostForm.Get("confirm") != u.Email {
		data, derr := s.accountData(r, u)
		if derr != nil {
			return derr
		}
		data.Errors = fieldsOf(validate.Errors{{Field: "confirm", Code: "error.confirm_email"}})
		return s.render(w, http.StatusUnprocessableEntity, "account", data)
	}
	if err := s.eraseAccount(r.Context(), u); err != nil {
		return err
	}
	clearSessionCookie(w)
	return s.render(w, http.StatusOK, "message", formPage{layout: s.layout(r, "title.account_deleted", ""),
		Message: "message.account_deleted"})
}

// ---- JSON API for accounts

// Me is the signed-in account with its effective role.
type Me struct {
	accounts.User
	Role     string   `json:"role"`
	Clusters []string `json:"clusters"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	return writeJSON(w, http.StatusOK, Me{User: u, Role: v.Role(), Clusters: orEmpty(v.Clusters)})
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) apiDeleteMe(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	if v := viewerFrom(r.Context()); !v.WriteAllowed {
		return errForbidden(v)
	}
	if err := s.eraseAccount(r.Context(), u); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// TokenInput asks for a new API token.
type TokenInput struct {
	Name  string `json:"name"`
	Scope string `json:"scope"`
}

// NewToken is a created token with its secret, shown once.
type NewToken struct {
	accounts.APIToken
	Token string `json:"token"`
}

// TokenList is a user's tokens.
type TokenList struct {
	Items []accounts.APIToken `json:"items"`
}

func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	tokens, err := s.db.ListTokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, TokenList{Items: tokens})
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	if v := viewerFrom(r.Context()); !v.WriteAllowed {
		return errForbidden(v)
	}
	var in TokenInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, secret, err := s.accounts.CreateToken(r.Context(), u, in.Name, in.Scope)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, NewToken{APIToken: t, Token: secret})
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	if v := viewerFrom(r.Context()); !v.WriteAllowed {
		return errForbidden(v)
	}
	if err := s.accounts.RevokeToken(r.Context(), u, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- administration

// UserList is every account.
type UserList struct {
	Items []accounts.User `json:"items"`
}

func (s *Server) requireAllianceAdmin(r *http.Request) error {
	if v := viewerFrom(r.Context()); !v.AllianceAdmin {
		return errForbidden(v)
	}
	return nil
}

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAllianceAdmin(r); err != nil {
		return err
	}
	users, err := s.db.ListUsers(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, UserList{Items: users})
}

// RolesInput sets an account's roles.
type RolesInput struct {
	AllianceAdmin     bool     `json:"alliance_admin"`
	OrganisationAdmin bool     `json:"organisation_admin"`
	ManagedClusters   []string `json:"managed_clusters"`
	OrganisationID    string   `json:"organisation_id"`
	Disabled          bool     `json:"disabled"`
}

// setRoles applies a role change; only alliance administrators may.
func (s *Server) setRoles(ctx context.Context, id string, in RolesInput) (accounts.User, error) {
	if v := viewerFrom(ctx); !access.CanManageAlliance(v) {
		return accounts.User{}, errForbidden(v)
	}
	u, err := s.db.GetUser(ctx, id)
	if err != nil {
		return u, err
	}
	var errs validate.Errors
	u.ManagedClusters = []string{}
	for i, c := range in.ManagedClusters {
		cl, err := s.db.GetCluster(ctx, c)
		if errors.Is(err, store.ErrNotFound) {
			errs.Add(fmt.Sprintf("managed_clusters[%d]", i), validate.NotFound)
			continue
		} else if err != nil {
			return u, err
		}
		u.ManagedClusters = append(u.ManagedClusters, cl.ID)
	}
	u.OrganisationID = ""
	if in.OrganisationID != "" {
		o, err := s.db.GetOrganisation(system(ctx), in.OrganisationID)
		if errors.Is(err, store.ErrNotFound) {
			errs.Add("organisation_id", validate.NotFound)
		} else if err != nil {
			return u, err
		} else {
			u.OrganisationID = o.ID
		}
	}
	if in.OrganisationAdmin && in.OrganisationID == "" {
		errs.Add("organisation_admin", validate.InvalidChoice, "choices", "false without an organisation")
	}
	if err := errs.Err(); err != nil {
		return u, err
	}
	u.AllianceAdmin, u.OrgAdmin, u.Disabled = in.AllianceAdmin, in.OrganisationAdmin, in.Disabled
	if err := s.db.UpdateUser(ctx, &u); err != nil {
		return u, err
	}
	return s.db.GetUser(ctx, u.ID)
}

func (s *Server) apiSetRoles(w http.ResponseWriter, r *http.Request) error {
	var in RolesInput
	if err := s.requireAllianceAdmin(r); err != nil {
		return err
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := s.setRoles(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

type usersPage struct {
	layout
	Users    []accounts.User
	Clusters []directory.Cluster
	Errors   []ProblemField
}

func (s *Server) pageUsers(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAllianceAdmin(r); err != nil {
		return err
	}
	users, err := s.db.ListUsers(r.Context())
	if err != nil {
		return err
	}
	cl, err := s.db.ListClusters(r.Context(), directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "users", usersPage{layout: s.layout(r, "title.users", "admin"), Users: users, Clusters: cl.Items})
}

func (s *Server) postUserRoles(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAllianceAdmin(r); err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	u, err := s.db.GetUser(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	in := RolesInput{AllianceAdmin: r.PostForm.Get("alliance_admin") == "on", OrganisationAdmin: r.PostForm.Get("organisation_admin") == "on",
		ManagedClusters: r.PostForm["managed_clusters"], OrganisationID: u.OrganisationID, Disabled: r.PostForm.Get("disabled") == "on"}
	if _, err := s.setRoles(r.Context(), u.ID, in); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	return nil
}

// AuditList is a page of the audit log, newest first.
type AuditList struct {
	Items  []audit.Entry `json:"items"`
	Before int64         `json:"before,omitempty"` // cursor for the next page
}

func (s *Server) auditList(r *http.Request) (AuditList, error) {
	if err := s.requireAllianceAdmin(r); err != nil {
		return AuditList{}, err
	}
	q := r.URL.Query()
	var errs validate.Errors
	for k := range q {
		switch k {
		case "action", "user", "entity", "before", "limit":
		default:
			errs.Add(k, validate.UnknownField)
		}
	}
	f := audit.Filter{Action: q.Get("action"), UserID: q.Get("user"), EntityID: q.Get("entity"), Limit: 100}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"before", &f.Before}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				errs.Add(p.name, validate.WrongType, "expected", "integer")
			}
			*p.dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			errs.Add("limit", validate.InvalidChoice, "choices", "1..500")
		}
		f.Limit = n
	}
	if len(errs) > 0 {
		return AuditList{}, errBadRequest("Invalid query parameters.", errs)
	}
	items, err := s.db.AuditLog(r.Context(), f)
	if err != nil {
		return AuditList{}, err
	}
	out := AuditList{Items: items}
	if len(items) == f.Limit {
		out.Before = items[len(items)-1].ID
	}
	return out, nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	l, err := s.auditList(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

type auditPage struct {
	layout
	List    AuditList
	NextURL string
	Action  string
}

func (s *Server) pageAudit(w http.ResponseWriter, r *http.Request) error {
	l, err := s.auditList(r)
	if err != nil {
		return err
	}
	data := auditPage{layout: s.layout(r, "title.audit", "admin"), List: l, Action: r.URL.Query().Get("action")}
	if l.Before > 0 {
		q := r.URL.Query()
		q.Set("before", strconv.FormatInt(l.Before, 10))
		data.NextURL = "/admin/audit?" + q.Encode()
	}
	return s.render(w, http.StatusOK, "audit", data)
}

// ---- export

// exportOrganisations writes the organisations the viewer may see as CSV.
// It is a bulk export: RED records never appear, and the export is
// audited.
func (s *Server) exportOrganisations(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r.URL.Query(), "q", "country", "kind", "cluster", "capability", "role")
	if err != nil {
		return err
	}
	if err := checkKind(f, directory.Kinds); err != nil {
		return err
	}
	ctx := access.WithScope(r.Context(), access.ScopeFrom(r.Context()).ForBulk())
	if err := s.db.Audit(ctx, "export.organisations", "organisation", "", r.URL.RawQuery); err != nil {
		return err
	}
	cw := csvexport.ForDownload(w, "escnet-organisations.csv")
	cw.Write("id", "slug", "name", "short_name", "kind", "sme", "practitioner_roles", "country", "city", "website", "pic", "vat", "clusters", "capabilities", "visibility", "tlp")
	f.Limit = directory.MaxListLimit
	for {
		p, err := s.db.ListOrganisations(ctx, f)
		if err != nil {
			return err
		}
		for _, o := range p.Items {
			var clusters []string
			for _, m := range o.Memberships {
				clusters = append(clusters, m.ClusterSlug)
			}
			cw.Write(o.ID, o.Slug, o.Name, o.ShortName, o.Kind, strconv.FormatBool(o.SME), strings.Join(o.PractitionerRoles, " "),
				o.Country, o.City, o.Website, o.PIC, o.VAT, strings.Join(clusters, " "), strings.Join(o.Capabilities, " "), o.Visibility, o.TLP)
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	return cw.Flush()
}
