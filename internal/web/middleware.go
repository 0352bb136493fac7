package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/audit"
)

type ctxKey int

const requestIDKey ctxKey = iota

// RequestID returns the id of the request in ctx.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestID takes a sane X-Request-Id from the client or makes one.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

// statusWriter remembers the status for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request and records its metrics by route pattern (not
// by path, so ids don't explode the label space).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		holder := &routeHolder{}
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, holder))
		defer func() {
			if p := recover(); p != nil {
				s.log.ErrorContext(r.Context(), "panic", "panic", p, "path", loggedPath(r.URL.Path, holder.pattern))
				if sw.status == 0 {
					writeProblem(sw, r, Problem{Type: "about:blank", Title: "Internal error", Status: 500})
				}
			}
			route := holder.pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
			s.metrics.duration.WithLabelValues(route).Observe(d.Seconds())
			s.log.LogAttrs(r.Context(), requestLevel(sw.status), "request",
				slog.String("id", RequestID(r.Context())), slog.String("method", r.Method),
				slog.String("path", loggedPath(r.URL.Path, route)), slog.Int("status", sw.status),
				slog.Int("bytes", sw.bytes), slog.Duration("took", d))
		}()
		next.ServeHTTP(sw, r)
	})
}

// requestLevel is the level a request is logged at: successful ones at
// debug (logging each at info cost about 7% of /healthz's throughput;
// the metrics count them anyway), refused ones at info, failed ones at
// warn.
func requestLevel(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelWarn
	case status >= 400:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}

// contentSecurityPolicy allows only the site's own styles, scripts and
// images; no inline code anywhere.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// Handler returns the complete HTTP handler: routes wrapped in the
// middleware chain, outermost first.
func (s *Server) Handler() http.Handler {
	mux := s.mux()
	var h http.Handler = s.guard(mux)
	h = s.authenticate(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.refuseCrossOrigin))
	h = cop.Handler(h)
	h = securityHeaders(h)
	h = s.observe(h)
	h = withRequestID(h)
	return h
}

// refuseCrossOrigin answers a state-changing request that came from another
// site, and records it: it is either a forged request or a misconfigured
// client.
func (s *Server) refuseCrossOrigin(w http.ResponseWriter, r *http.Request) {
	ctx := audit.WithActor(r.Context(), audit.Actor{Label: "anonymous", IP: clientIP(r), RequestID: RequestID(r.Context())})
	detail := r.Method + " " + r.URL.Path + " from " + r.Header.Get("Origin")
	if err := s.accounts.Audit(ctx, "request.cross_origin_refused", "", "", detail); err != nil {
		s.log.ErrorContext(ctx, "audit", "err", err)
	}
	writeProblem(w, r, Problem{Type: "about:blank", Title: "Forbidden", Status: http.StatusForbidden,
		Detail: "Cross-site requests may not change anything here."})
}

// routeHolder carries the matched route pattern back out to observe:
// middleware below it replaces the request, so r.Pattern is not visible
// there.
type routeHolder struct{ pattern string }

type routeKey struct{}

// tagRoute records the route pattern for metrics and logs.
func tagRoute(pattern string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if holder, ok := r.Context().Value(routeKey{}).(*routeHolder); ok {
			holder.pattern = pattern
		}
		h.ServeHTTP(w, r)
	})
}

// loggedPath keeps secrets out of the log: addresses that carry a one-time
// link or a feed token are logged by their route pattern.
func loggedPath(path, route string) string {
	if strings.Contains(route, "{token}") {
		if _, pattern, ok := strings.Cut(route, " "); ok {
			return pattern
		}
		return route
	}
	return path
}
