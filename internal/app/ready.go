package app

import (
	"context"
	"time"

	"github.com/escnet/escnet/internal/match/live"
)

// Start begins what serving needs in the background: the partner
// finder's first index and the practices search index. It logs the
// builds with their duration. Until it is
// done, Ready says so and partner queries answer live.ErrNotReady. The
// command line does not call it (its first query builds the index).
func (a *App) Start() {
	a.Match.Start(func(v *live.View) {
		a.Log.Info("partner index ready", "organisations", v.Orgs(), "projects", v.Projects(),
			"took", v.Took.Round(time.Millisecond))
	})
	// The practices search index too, so that the first search does not
	// wait for it (a search meanwhile waits for the build instead).
	go func() {
		start := time.Now()
		if err := a.Practices.WarmIndex(context.Background()); err != nil {
			a.Log.Warn("practices index not built; the first search builds it", "err", err)
			return
		}
		a.Log.Info("practices index ready", "took", time.Since(start).Round(time.Millisecond))
	}()
}

// Check is one part of the readiness answer.
type Check struct {
	Ready  bool   `json:"ready"`
	Detail string `json:"detail,omitempty"`
}

// Readiness is the answer of the readiness check: ready when every check is.
type Readiness struct {
	Ready  bool             `json:"ready"`
	Checks map[string]Check `json:"checks"`
}

// Ready checks that the database answers and the partner index is built.
func (h *Health) Ready(ctx context.Context) Readiness {
	r := Readiness{Ready: true, Checks: map[string]Check{}}
	db := Check{Ready: true}
	if _, err := h.db.SchemaVersion(ctx); err != nil {
		db = Check{Detail: "the database does not answer"}
	}
	r.Checks["database"] = db
	ix := Check{Ready: true}
	if h.app != nil && h.app.Match != nil {
		m := h.app.Match.Ready()
		switch {
		case m.Ready && m.Took > 0:
			ix.Detail = "built in " + m.Took.Round(time.Millisecond).String()
		case !m.Ready && m.Err != "":
			ix = Check{Detail: "building failed; retrying (the log says why)"}
		case !m.Ready:
			ix = Check{Detail: "building since " + time.Since(m.Since).Round(100*time.Millisecond).String()}
		}
	}
	r.Checks["partner_index"] = ix
	for _, c := range r.Checks {
		r.Ready = r.Ready && c.Ready
	}
	return r
}
