package web

import (
	"net/http"
	"strconv"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/validate"
)

// The JSON API of accounts: each handler decodes, calls one method of the
// accounts service (which decides for the viewer) and encodes.

// Me is the signed-in account with its effective role.
type Me struct {
	accounts.User
	Role     string   `json:"role"`
	Clusters []string `json:"clusters"`
}

// The API's bodies are the service's own types.
type (
	// InvitationInput is the body of an invitation request.
	InvitationInput = accounts.InvitationInput
	// RolesInput sets an account's roles.
	RolesInput = accounts.RolesInput
	// PersonalData is everything escnet holds about an account holder.
	PersonalData = accounts.PersonalData
)

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accounts.MyAccount(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, Me{User: a.User, Role: a.Role, Clusters: a.Clusters})
}

func (s *Server) apiDeleteMe(w http.ResponseWriter, r *http.Request) error {
	if err := s.accounts.EraseMyAccount(r.Context()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// exportPersonal answers the download of one's own data (GDPR art. 15/20),
// from the API and the account page alike.
func (s *Server) exportPersonal(w http.ResponseWriter, r *http.Request) error {
	d, err := s.accounts.ExportMyData(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="escnet-personal-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, d)
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
	tokens, err := s.accounts.MyTokens(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, TokenList{Items: tokens})
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	var in TokenInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, secret, err := s.accounts.CreateMyToken(r.Context(), in.Name, in.Scope)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, NewToken{APIToken: t, Token: secret})
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.accounts.RevokeMyToken(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiCreateInvitation(w http.ResponseWriter, r *http.Request) error {
	var in InvitationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	inv, err := s.accounts.Invite(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, inv)
}

// UserList is every account.
type UserList struct {
	Items []accounts.User `json:"items"`
}

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.accounts.ListUsers(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, UserList{Items: users})
}

func (s *Server) apiSetRoles(w http.ResponseWriter, r *http.Request) error {
	var in RolesInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := s.accounts.SetRoles(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

// AuditList is a page of the audit log, newest first.
type AuditList struct {
	Items  []audit.Entry `json:"items"`
	Before int64         `json:"before,omitempty"` // cursor for the next page
}

// auditQuery reads the audit log's query parameters.
func auditQuery(r *http.Request) (audit.Filter, error) {
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
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			errs.Add("before", validate.WrongType, "expected", "integer")
		}
		f.Before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			errs.Add("limit", validate.InvalidChoice, "choices", "1..500")
		}
		f.Limit = n
	}
	if len(errs) > 0 {
		return f, errBadRequest("Invalid query parameters.", errs)
	}
	return f, nil
}

func (s *Server) auditList(r *http.Request) (AuditList, error) {
	f, err := auditQuery(r)
	if err != nil {
		// Only those who may read the log learn that a filter is wrong.
		if _, aerr := s.accounts.ReadAudit(r.Context(), audit.Filter{Limit: 1}); aerr != nil {
			return AuditList{}, aerr
		}
		return AuditList{}, err
	}
	items, err := s.accounts.ReadAudit(r.Context(), f)
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
