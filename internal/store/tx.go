package store

import (
	"context"
	"sync"
)

// Transactor runs a unit of work that spans several services in one
// transaction: every store write made with the context fn receives joins
// it, so that a failure midway leaves nothing half-written.
type Transactor interface {
	// InTransaction runs fn, committing when it returns nil and rolling
	// back otherwise. fn may run again when the engine reports a
	// transient conflict. Inside a transaction it just runs fn.
	InTransaction(ctx context.Context, fn func(ctx context.Context) error) error
}

type hooksKey struct{}

// CommitHooks are what runs once a transaction commits: what must not
// happen before it does (an e-mail that names a record).
type CommitHooks struct {
	mu  sync.Mutex
	fns []func()
}

// WithCommitHooks returns ctx carrying a fresh list of hooks, for an
// engine that starts a transaction.
func WithCommitHooks(ctx context.Context) (context.Context, *CommitHooks) {
	h := &CommitHooks{}
	return context.WithValue(ctx, hooksKey{}, h), h
}

// Run runs the hooks in the order they were added, once.
func (h *CommitHooks) Run() {
	if h == nil {
		return
	}
	h.mu.Lock()
	fns := h.fns
	h.fns = nil
	h.mu.Unlock()
	for _, f := range fns {
		f()
	}
}

// OnCommit adds f to the hooks of the transaction ctx belongs to and
// reports true; a rolled-back transaction drops f. Outside a transaction
// it does nothing and reports false, so that the caller acts at once.
func OnCommit(ctx context.Context, f func()) bool {
	h, _ := ctx.Value(hooksKey{}).(*CommitHooks)
	if h == nil {
		return false
	}
	h.mu.Lock()
	h.fns = append(h.fns, f)
	h.mu.Unlock()
	return true
}
