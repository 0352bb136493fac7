package live

import (
	"context"
	"errors"
	"time"
)

// ErrNotReady is the answer to a request that comes, after Start, before
// the first index is built: the caller answers "try again shortly"
// rather than waiting for the build.
var ErrNotReady = errors.New("partner finder: the index is still being built")

// Readiness says whether the first index is built.
type Readiness struct {
	Ready bool `json:"ready"`
	// Since is when the build began (Start), Took how long it took.
	Since time.Time     `json:"-"`
	Took  time.Duration `json:"-"`
	// Organisations and Projects the index holds.
	Organisations int `json:"organisations,omitempty"`
	Projects      int `json:"projects,omitempty"`
	// Err is the last failed attempt's error, while not ready.
	Err string `json:"error,omitempty"`
}

// startRetry is the pause between two failed first builds.
const startRetry = 2 * time.Second

// Start builds the first index in the background (a server calls it at
// start); until it is built, Partners and Consortium return ErrNotReady
// at once instead of building it in the request. A failed build is
// retried every few seconds until Close. done, when not nil, is called
// once with the built view. Without Start the first request builds the
// index (the command line and tests).
func (s *Service) Start(done func(*View)) {
	s.readyMu.Lock()
	if s.started {
		s.readyMu.Unlock()
		return
	}
	s.started, s.since = true, time.Now()
	s.readyMu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			v, err := s.first(s.stopped)
			if err == nil {
				if done != nil {
					done(v)
				}
				return
			}
			if s.stopped.Err() != nil {
				return
			}
			s.readyMu.Lock()
			s.startErr = err.Error()
			s.readyMu.Unlock()
			s.opt.Logger.Warn("partner finder: building the index failed; retrying", "err", err)
			select {
			case <-time.After(startRetry):
			case <-s.stopped.Done():
				return
			}
		}
	}()
}

// Ready reports whether the first index is built. A service that was not
// started is ready: its first request builds the index.
func (s *Service) Ready() Readiness {
	s.readyMu.Lock()
	r := Readiness{Since: s.since, Err: s.startErr}
	started := s.started
	s.readyMu.Unlock()
	v := s.cur.Load()
	if v == nil {
		r.Ready = !started
		return r
	}
	r.Ready, r.Err = true, ""
	r.Took, r.Organisations, r.Projects = v.Took, v.Orgs(), v.Projects()
	return r
}

// notReady tells View to refuse rather than build: Start was called and
// the first index is not there yet.
func (s *Service) notReady() bool {
	s.readyMu.Lock()
	defer s.readyMu.Unlock()
	return s.started && s.cur.Load() == nil
}

// waitStarted is for callers that want the index however long it takes
// (Refresh): the first build, by whoever does it.
func (s *Service) waitStarted(ctx context.Context) (*View, error) {
	return s.first(ctx)
}
