// Package audit describes the append-only record of writes, logins, role
// changes and exports: who did what, when, and from where. The application
// offers no way to change or delete an entry.
package audit

import (
	"context"
	"time"
)

// Actor is who causes a write: a signed-in user, a command-line run, or
// the system itself.
type Actor struct {
	UserID    string `json:"user_id,omitempty"`
	Label     string `json:"label"` // e-mail, "cli", "system", "anonymous"
	IP        string `json:"ip,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

type ctxKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// ActorFrom returns the actor in ctx, or the system actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(ctxKey{}).(Actor); ok {
		return a
	}
	return Actor{Label: "system"}
}

// Entry is one line of the audit log.
type Entry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    Actor     `json:"actor"`
	Action   string    `json:"action"` // e.g. "organisation.update", "login.failed", "export"
	Entity   string    `json:"entity,omitempty"`
	EntityID string    `json:"entity_id,omitempty"`
	Detail   string    `json:"detail,omitempty"`
}

// Filter narrows a read of the log; newest first.
type Filter struct {
	Action   string // prefix, e.g. "login"
	EntityID string
	UserID   string
	Before   int64 // entries with an id below this (cursor)
	Limit    int
}
