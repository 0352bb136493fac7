package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/validate"
)

// The pages of accounts: sign-in, resets, invitations, the account page,
// users and roles, the audit log. Each decodes the form, calls the
// accounts service and renders.

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
// so next must be one slash followed by plain URL characters, and no
// percent-decoding of it may begin with "//" or hold a backslash or a
// control character.
func sameSitePath(next string) bool {
	if len(next) > 2000 || !strings.HasPrefix(next, "/") {
		return false
	}
	for _, c := range next {
		if c <= ' ' || c > '~' || c == '\\' {
			return false
		}
	}
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
		return busy(w, err)
	}
	data.Message = "message.password_changed"
	return s.render(w, http.StatusOK, "message", data)
}

// busy adds Retry-After to an answer the server was too busy to give.
func busy(w http.ResponseWriter, err error) error {
	if errors.Is(err, accounts.ErrBusy) {
		w.Header().Set("Retry-After", retryBusy)
	}
	return err
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
		return busy(w, err)
	}
	data.Message = "message.account_ready"
	return s.render(w, http.StatusOK, "message", data)
}

type invitePage struct {
	formPage
	Organisation directory.Organisation
}

func (s *Server) pageInvite(w http.ResponseWriter, r *http.Request) error {
	o, err := s.accounts.InviteTarget(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	data := invitePage{formPage{layout: s.layout(r, "", "organisations")}, o}
	data.Title = data.L.T("title.invite", "name", o.Name)
	return s.render(w, http.StatusOK, "invite", data)
}

func (s *Server) postInvite(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	o, err := s.accounts.InviteTarget(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	data := invitePage{formPage{layout: s.layout(r, "", "organisations"), Values: r.PostForm}, o}
	data.Title = data.L.T("title.invite", "name", o.Name)
	_, err = s.accounts.Invite(r.Context(), InvitationInput{Email: r.PostForm.Get("email"), OrganisationID: o.ID, OrganisationAdmin: r.PostForm.Get("organisation_admin") == "on"})
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

func (s *Server) accountData(r *http.Request) (accountPage, error) {
	a, err := s.accounts.MyAccount(r.Context())
	if err != nil {
		return accountPage{}, err
	}
	return accountPage{layout: s.layout(r, "title.account", "account"), User: a.User, Tokens: a.Tokens, Role: a.Role, OrgName: a.OrganisationName}, nil
}

func (s *Server) pageAccount(w http.ResponseWriter, r *http.Request) error {
	if viewerFrom(r.Context()).Anonymous() {
		http.Redirect(w, r, "/login?next=/account", http.StatusSeeOther)
		return nil
	}
	data, err := s.accountData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "account", data)
}

func (s *Server) postAccountToken(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	_, secret, err := s.accounts.CreateMyToken(r.Context(), r.PostForm.Get("name"), r.PostForm.Get("scope"))
	fe, invalid := fieldErrors(err)
	if err != nil && !invalid {
		return err
	}
	data, err := s.accountData(r)
	if err != nil {
		return err
	}
	if invalid {
		data.Errors = fe
		return s.render(w, http.StatusUnprocessableEntity, "account", data)
	}
	// Shown once: the secret is not stored, only its hash.
	data.NewToken = secret
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, http.StatusOK, "account", data)
}

func (s *Server) postRevokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.accounts.RevokeMyToken(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

func (s *Server) postDeleteAccount(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	data, err := s.accountData(r)
	if err != nil {
		return err
	}
	// Typing one's address in is the page's safeguard against a slip.
	if r.PostForm.Get("confirm") != data.User.Email {
		data.Errors = fieldsOf(validate.Errors{{Field: "confirm", Code: "error.confirm_email"}})
		return s.render(w, http.StatusUnprocessableEntity, "account", data)
	}
	if err := s.accounts.EraseMyAccount(r.Context()); err != nil {
		return err
	}
	clearSessionCookie(w)
	return s.render(w, http.StatusOK, "message", formPage{layout: s.layout(r, "title.account_deleted", ""),
		Message: "message.account_deleted"})
}

// ---- administration

type usersPage struct {
	layout
	Users    []accounts.User
	Clusters []directory.Cluster
	Errors   []ProblemField
}

func (s *Server) pageUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.accounts.ListUsers(r.Context())
	if err != nil {
		return err
	}
	cl, err := s.accounts.RoleChoices(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "users", usersPage{layout: s.layout(r, "title.users", "admin"), Users: users, Clusters: cl})
}

func (s *Server) postUserRoles(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	// The form does not move people between organisations: it keeps the
	// account's own (OrganisationID nil).
	in := RolesInput{AllianceAdmin: r.PostForm.Get("alliance_admin") == "on", OrganisationAdmin: r.PostForm.Get("organisation_admin") == "on",
		ManagedClusters: r.PostForm["managed_clusters"], Disabled: r.PostForm.Get("disabled") == "on"}
	if _, err := s.accounts.SetRoles(r.Context(), r.PathValue("id"), in); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	return nil
}

type auditPage struct {
	layout
	List    AuditList
	NextURL string
	Action  string
}

// auditIDPattern finds the record ids inside an audit entry's detail.
var auditIDPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// detailPart is a piece of an audit entry's detail: text, or the id of a
// record, which the page shows as a link to that record's entries rather
// than as a raw id.
type detailPart struct {
	Text string
	ID   string
}

// words makes the snake_case codes in an audit detail (reasons such as
// "same_name") readable.
func words(s string) string { return strings.ReplaceAll(s, "_", " ") }

// auditDetail splits an audit detail into text and record ids.
func auditDetail(detail string) []detailPart {
	var parts []detailPart
	last := 0
	for _, m := range auditIDPattern.FindAllStringIndex(detail, -1) {
		if m[0] > last {
			parts = append(parts, detailPart{Text: words(detail[last:m[0]])})
		}
		parts = append(parts, detailPart{ID: detail[m[0]:m[1]]})
		last = m[1]
	}
	if last < len(detail) {
		parts = append(parts, detailPart{Text: words(detail[last:])})
	}
	return parts
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
