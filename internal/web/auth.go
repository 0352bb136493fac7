package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
)

// sessionCookie is the session cookie's name. The __Host- prefix makes
// browsers insist on Secure, Path=/ and no Domain.
const sessionCookie = "__Host-escnet_session"

// viewerKey is the key under which the services find the viewer
// (access.ViewerFrom).
type viewerKey = access.ViewerKey

// viewerFrom returns the viewer of a request (anonymous if none).
func viewerFrom(ctx context.Context) access.Viewer { return access.ViewerFrom(ctx) }

type userKey struct{}

// requireUser returns the signed-in account or an error asking to sign in.
func requireUser(r *http.Request) (accounts.User, error) {
	u, ok := userFrom(r.Context())
	if !ok {
		return u, errUnauthorized("Sign in (or send an API token) to do this.")
	}
	return u, nil
}

// userFrom returns the signed-in account, if any.
func userFrom(ctx context.Context) (accounts.User, bool) {
	u, ok := ctx.Value(userKey{}).(accounts.User)
	return u, ok
}

// clientIP is the peer address. Behind a proxy, set it in the proxy's
// access log instead: trusting X-Forwarded-For from anyone would let a
// client pick the address its failed sign-ins are throttled under.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// authenticate resolves the session cookie or API token into a viewer, and
// puts the viewer, its access scope and the audit actor into the context.
// A bad API token is refused outright; a stale session cookie is dropped
// and the request continues anonymously.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := audit.Actor{Label: "anonymous", IP: clientIP(r), RequestID: RequestID(ctx)}
		ctx = audit.WithActor(ctx, actor)
		ctx = withLang(ctx, requestLanguage(r))
		var user accounts.User
		var viewer access.Viewer
		signedIn := false
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				writeProblem(w, r, Problem{Type: "about:blank", Title: "Unauthorized", Status: http.StatusUnauthorized,
					Detail: "Send an API token as Authorization: Bearer <token>."})
				return
			}
			u, t, err := s.accounts.AuthenticateToken(ctx, token)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="escnet", error="invalid_token"`)
				status, detail := http.StatusUnauthorized, accounts.ErrTokenInvalid.Error()
				if !errors.Is(err, accounts.ErrTokenInvalid) {
					status, detail = http.StatusServiceUnavailable, "The database does not answer; try again shortly."
					s.log.ErrorContext(ctx, "token check failed", "err", err)
				}
				writeProblem(w, r, Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail})
				return
			}
			user, signedIn = u, true
			viewer.WriteAllowed = t.Scope == accounts.ScopeWrite
		} else if c, err := r.Cookie(sessionCookie); err == nil {
			u, err := s.accounts.Authenticate(ctx, c.Value)
			switch {
			case err == nil:
				user, signedIn = u, true
				viewer.WriteAllowed = true
			case errors.Is(err, accounts.ErrSessionInvalid):
				clearSessionCookie(w)
			default:
				s.log.ErrorContext(ctx, "session check failed", "err", err)
			}
		}
		if signedIn {
			v, err := s.viewerOf(ctx, user)
			if err != nil {
				s.log.ErrorContext(ctx, "viewer", "err", err)
				writeProblem(w, r, Problem{Type: "about:blank", Title: "Service unavailable", Status: http.StatusServiceUnavailable})
				return
			}
			v.WriteAllowed = viewer.WriteAllowed
			viewer = v
			actor.UserID, actor.Label = user.ID, user.Email
			ctx = audit.WithActor(ctx, actor)
			ctx = context.WithValue(ctx, userKey{}, user)
		}
		ctx = access.WithViewer(ctx, viewer)
		ctx = access.WithScope(ctx, access.ScopeOf(viewer))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// viewerOf builds the policy's view of an account (the accounts service
// decides what it holds).
func (s *Server) viewerOf(ctx context.Context, u accounts.User) (access.Viewer, error) {
	return s.accounts.ViewerOf(ctx, u, true)
}

func setSessionCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// Errors of authorization: anonymous visitors are asked to sign in;
// signed-in users without the right are refused.
func errForbidden(v access.Viewer) error {
	if v.Anonymous() {
		return errUnauthorized("Sign in (or send an API token) to do this.")
	}
	if !v.WriteAllowed {
		return &httpError{status: http.StatusForbidden, title: "Forbidden", detail: "This API token is read-only."}
	}
	return &httpError{status: http.StatusForbidden, title: "Forbidden", detail: "Your role does not allow this change."}
}

// system is ctx with the application's own scope, for lookups that a
// rule needs regardless of what the viewer may see (an owner's clusters).
func system(ctx context.Context) context.Context { return access.WithScope(ctx, access.System) }

func recordOf(o directory.Organisation, visibility, tlp string) access.Record {
	r := access.Record{OwnerOrg: o.ID, Visibility: visibility, TLP: tlp}
	for _, m := range o.Memberships {
		r.OwnerClusters = append(r.OwnerClusters, m.ClusterID)
	}
	return r
}

// checkWiden refuses a change of visibility or TLP that lets more people
// see a record, unless the viewer is its owner. Unknown values are left for
// validation to report.
func checkWiden(v access.Viewer, rec access.Record, oldVis, oldTLP, newVis, newTLP string) error {
	if access.LevelReach(newVis) < 0 || !slices.Contains(access.TLPs, strings.ToUpper(newTLP)) {
		return nil
	}
	from, to := access.EffectiveReach(oldVis, oldTLP), access.EffectiveReach(newVis, strings.ToUpper(newTLP))
	if access.CanWiden(v, rec, from, to) {
		return nil
	}
	return &httpError{status: http.StatusForbidden, title: "Forbidden",
		detail: "Only the owning organisation's administrators may widen who sees this record."}
}
