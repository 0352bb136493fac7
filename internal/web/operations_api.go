package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/match/live"
)

// Readiness is the body of /readyz.
type Readiness = app.Readiness

// handleReady answers 200 when the server can serve every request at
// once (the database answers, the partner index is built), else 503 with
// what is not ready. A load balancer sends traffic only to ready nodes.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	rd := s.health.Ready(ctx)
	if !rd.Ready {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		return writeJSON(w, http.StatusServiceUnavailable, rd)
	}
	return writeJSON(w, http.StatusOK, rd)
}

// retryAfterSeconds is what a request refused while the server starts is
// told to wait.
const retryAfterSeconds = 2

// notReady says whether err means "still starting"; if so it sets
// Retry-After on w.
func notReady(w http.ResponseWriter, err error) bool {
	if !errors.Is(err, live.ErrNotReady) {
		return false
	}
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	return true
}
