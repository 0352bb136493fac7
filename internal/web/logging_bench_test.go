package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/store/storetest"
)

// BenchmarkRequestLogging measures GET /healthz through the whole
// handler with each request written to the log (as every request was,
// at info, before; here: --log-level debug) and without (successful
// requests at debug, the server at info). docs/benchmarks.md records it:
//
//	go test -run '^$' -bench BenchmarkRequestLogging -benchtime 20000x -count 3 ./internal/web/
func BenchmarkRequestLogging(b *testing.B) {
	db := storetest.NewSQLite(b)
	for _, c := range []struct {
		name  string
		level slog.Level
	}{{"logged", slog.LevelDebug}, {"not-logged", slog.LevelInfo}} {
		b.Run(c.name, func(b *testing.B) {
			log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: c.level}))
			s, err := New(newApp(b, db, envConfig{Logger: log}), Config{Logger: log})
			if err != nil {
				b.Fatal(err)
			}
			h := s.Handler()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("/healthz: %d", rec.Code)
				}
			}
		})
	}
}

// TestRequestLogLevels: successful requests are logged at debug, refused
// ones at info, so that an info-level log holds what needs a look.
func TestRequestLogLevels(t *testing.T) {
	db := storetest.NewSQLite(t)
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s, err := New(newApp(t, db, envConfig{Logger: log}), Config{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	for _, p := range []string{"/healthz", "/no-such-page"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil))
	}
	out := buf.String()
	if strings.Contains(out, "path=/healthz") {
		t.Errorf("a successful request was logged at info:\n%s", out)
	}
	if !strings.Contains(out, "msg=request") || !strings.Contains(out, "status=404") {
		t.Errorf("a refused request (404) was not logged at info:\n%s", out)
	}
	for status, want := range map[int]slog.Level{200: slog.LevelDebug, 304: slog.LevelDebug, 404: slog.LevelInfo, 503: slog.LevelWarn} {
		if got := requestLevel(status); got != want {
			t.Errorf("requestLevel(%d) = %v, want %v", status, got, want)
		}
	}
}
