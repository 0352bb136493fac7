package accounts

import (
	"context"
	"sync/atomic"
	"time"
)

// hashGate bounds the password hashing that runs at once. Each argon2id
// check takes its memory cost (19 MiB by default) for its duration, so a
// burst of sign-ins would otherwise take the server's memory with it: a
// few checks run, a short queue waits for a slot, and the rest are turned
// away at once with ErrBusy.
type hashGate struct {
	slots   chan struct{}
	queued  atomic.Int32 // waiting or running
	maxWait time.Duration
	limit   int32 // slots + queue
}

func newHashGate(slots, queue int, maxWait time.Duration) *hashGate {
	return &hashGate{slots: make(chan struct{}, slots), maxWait: maxWait, limit: int32(slots + queue)}
}

// enter waits for a slot; the returned function gives it back.
func (g *hashGate) enter(ctx context.Context) (func(), error) {
	if g.queued.Add(1) > g.limit {
		g.queued.Add(-1)
		return nil, ErrBusy
	}
	timer := time.NewTimer(g.maxWait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots; g.queued.Add(-1) }, nil
	case <-timer.C:
		g.queued.Add(-1)
		return nil, ErrBusy
	case <-ctx.Done():
		g.queued.Add(-1)
		return nil, ctx.Err()
	}
}

// hash hashes a new password inside the gate.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	leave, err := s.gate.enter(ctx)
	if err != nil {
		return "", err
	}
	defer leave()
	return HashPassword(password, s.cfg.Params)
}

// check compares a password with a stored hash inside the gate.
func (s *Service) check(ctx context.Context, encoded, password string) (bool, error) {
	leave, err := s.gate.enter(ctx)
	if err != nil {
		return false, err
	}
	defer leave()
	ok, _ := CheckPassword(encoded, password)
	return ok, nil
}
