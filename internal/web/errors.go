package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// handlerFunc is an HTTP handler that returns its error, so that one place
// maps errors to statuses.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// httpError is an error with a status and a message safe to show.
type httpError struct {
	status int
	title  string
	detail string
	fields validate.Errors
}

func (e *httpError) Error() string { return e.title + ": " + e.detail }

func errBadRequest(detail string, fields validate.Errors) error {
	return &httpError{status: http.StatusBadRequest, title: "Bad request", detail: detail, fields: fields}
}

func errUnauthorized(detail string) error {
	return &httpError{status: http.StatusUnauthorized, title: "Unauthorized", detail: detail}
}

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Errors   []ProblemField `json:"errors,omitempty"`
}

// ProblemField names one bad field of a request.
type ProblemField struct {
	Field  string         `json:"field"`
	Code   string         `json:"code"`
	Detail string         `json:"detail"`
	Args   map[string]any `json:"args,omitempty"`
}

// toProblem maps an error to a status and a problem a client may see;
// internal errors are logged and replaced by a generic message.
func toProblem(r *http.Request, err error) Problem {
	p := Problem{Type: "about:blank", Instance: r.URL.Path}
	var he *httpError
	var ve validate.Errors
	var ce *store.ConflictError
	switch {
	case errors.As(err, &he):
		p.Status, p.Title, p.Detail = he.status, he.title, he.detail
		p.Errors = fieldsOf(he.fields)
	case errors.As(err, &ve):
		p.Status, p.Title = http.StatusUnprocessableEntity, "Invalid input"
		p.Detail = "One or more fields are invalid; nothing was changed."
		p.Errors = fieldsOf(ve)
	case errors.As(err, &ce):
		p.Status, p.Title = http.StatusConflict, "Conflict"
		p.Detail = "The change conflicts with existing records; nothing was changed."
		if ce.Field != "" {
			p.Errors = fieldsOf(validate.Errors{{Field: ce.Field, Code: ce.Code}})
		}
	case errors.Is(err, store.ErrNotFound):
		p.Status, p.Title, p.Detail = http.StatusNotFound, "Not found", "No such record."
	case errors.Is(err, store.ErrForbidden) && viewerFrom(r.Context()).Anonymous():
		// A service refuses an anonymous visitor like anyone else; the
		// visitor is asked to sign in.
		p.Status, p.Title, p.Detail = http.StatusUnauthorized, "Unauthorized", "Sign in (or send an API token) to do this."
	case errors.Is(err, store.ErrForbidden) && !viewerFrom(r.Context()).WriteAllowed:
		p.Status, p.Title, p.Detail = http.StatusForbidden, "Forbidden", "This API token is read-only."
	case errors.Is(err, store.ErrForbidden):
		switch v := viewerFrom(r.Context()); {
		case v.Anonymous():
			p.Status, p.Title, p.Detail = http.StatusUnauthorized, "Unauthorized", "Sign in (or send an API token) to do this."
		case v.ReadOnlyToken():
			p.Status, p.Title, p.Detail = http.StatusForbidden, "Forbidden", "This API token is read-only; nothing was changed."
		default:
			p.Status, p.Title, p.Detail = http.StatusForbidden, "Forbidden", "You may not make this change; nothing was changed."
		}
	case errors.Is(err, store.ErrStale):
		p.Status, p.Title, p.Detail = http.StatusPreconditionFailed, "Changed meanwhile", "Someone else changed this record since you read it; nothing was changed. Read it again and repeat your change."
	case errors.Is(err, live.ErrNotReady):
		p.Status, p.Title, p.Detail = http.StatusServiceUnavailable, "Starting", "The partner finder is still building its index; try again in a few seconds."
	case errors.Is(err, accounts.ErrBusy):
		p.Status, p.Title, p.Detail = http.StatusServiceUnavailable, "Busy", "Too many passwords are being checked at once; nothing was changed. Try again in a moment."
	case errors.Is(err, store.ErrUnavailable):
		p.Status, p.Title, p.Detail = http.StatusServiceUnavailable, "Service unavailable", "The database does not answer; try again shortly."
	default:
		p.Status, p.Title, p.Detail = http.StatusInternalServerError, "Internal error", "Something went wrong on our side; it has been logged."
	}
	if p.Status >= 500 && !errors.Is(err, live.ErrNotReady) { // starting: expected, not an error
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", loggedPath(r.URL.Path, r.Pattern), "err", err)
	}
	return p
}

func fieldsOf(errs validate.Errors) []ProblemField {
	out := make([]ProblemField, len(errs))
	for i, fe := range errs {
		out[i] = ProblemField{Field: fe.Field, Code: fe.Code, Detail: fe.Field + " " + validate.Message(fe), Args: fe.Args}
	}
	return out
}

// api adapts a handler for the JSON API: errors become problem+json.
func api(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			notReady(w, err)
			writeProblem(w, r, toProblem(r, err))
		}
	})
}

// retryBusy is the Retry-After (seconds) of an answer to a request the
// server was too busy to take.
const retryBusy = "2"

func writeProblem(w http.ResponseWriter, r *http.Request, p Problem) {
	if p.Status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retryBusy)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		slog.WarnContext(r.Context(), "write problem", "err", err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
