package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

// heldStore is the database with the partner finder's first read held
// back until release is closed: a slow index build at start.
type heldStore struct {
	*sqlstore.DB
	release chan struct{}
}

func (h heldStore) MatchData(ctx context.Context) (live.Data, error) {
	select {
	case <-h.release:
	case <-ctx.Done():
		return live.Data{}, ctx.Err()
	}
	return h.DB.MatchData(ctx)
}

// startingEnv is a server started as escnet serve starts it (the index
// built in the background) whose first index build waits for release.
func startingEnv(t *testing.T) (*testEnv, chan struct{}) {
	db := storetest.NewSQLite(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, db, envConfig{})
	a.Match.Close()
	release := make(chan struct{})
	a.Match = live.New(heldStore{DB: db, release: release}, live.Options{Logger: a.Log})
	t.Cleanup(a.Match.Close)
	a.Start()
	s, err := New(a, Config{Version: "test", Logger: a.Log})
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{t: t, db: db, server: s}
	env.srv = httptest.NewServer(s.Handler())
	t.Cleanup(env.srv.Close)
	return env, release
}

// TestReadyAndPartnersWhileStarting: until the partner index is built,
// /readyz is 503 naming what is not ready, and partner and consortium
// queries answer 503 with Retry-After at once (API: problem+json; page:
// the message in the visitor's language); once built, all answer.
func TestReadyAndPartnersWhileStarting(t *testing.T) {
	env, release := startingEnv(t)
	if r := env.do("GET", "/healthz", nil); r.status != 200 {
		t.Errorf("/healthz while starting: %d, want 200 (alive, only not ready)", r.status)
	}
	r := env.do("GET", "/readyz", nil)
	var rd Readiness
	if err := json.Unmarshal(r.body, &rd); err != nil {
		t.Fatalf("/readyz body %s: %v", r.body, err)
	}
	if r.status != 503 || rd.Ready || rd.Checks["partner_index"].Ready || !rd.Checks["database"].Ready ||
		!strings.Contains(rd.Checks["partner_index"].Detail, "building") {
		t.Errorf("/readyz while starting: %d %s", r.status, r.body)
	}

	start := time.Now()
	for _, c := range []struct{ path, body string }{
		{"/api/v1/partners", `{"text": "drone detection"}`},
		{"/api/v1/consortia", `{"call": "HORIZON-CL3-2024-FCT-01-01"}`},
	} {
		r := env.do("POST", c.path, c.body, "Authorization", "")
		if r.status != 503 || r.header.Get("Retry-After") != "2" ||
			r.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(r.body), "still building") {
			t.Errorf("POST %s while starting: %d, Retry-After %q, %s %s", c.path, r.status, r.header.Get("Retry-After"),
				r.header.Get("Content-Type"), r.body)
		}
	}
	for lang, want := range map[string]string{"en": "try again in a few seconds", "nl": "Probeer het over enkele seconden",
		"fr": "réessayer dans quelques secondes", "de": "in einigen Sekunden erneut"} {
		r := env.do("GET", "/partners?text=drone", nil, "Accept-Language", lang)
		if r.status != 503 || r.header.Get("Retry-After") != "2" || !strings.Contains(string(r.body), want) {
			t.Errorf("GET /partners (%s) while starting: %d, Retry-After %q, body lacks %q", lang, r.status, r.header.Get("Retry-After"), want)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the refusals took %s; they must not wait for the index", d)
	}

	close(release)
	deadline := time.Now().Add(10 * time.Second)
	for env.do("GET", "/readyz", nil).status != 200 {
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not become 200 after the index was built")
		}
		time.Sleep(20 * time.Millisecond)
	}
	r = env.do("GET", "/readyz", nil)
	rd = Readiness{}
	if err := json.Unmarshal(r.body, &rd); err != nil || !rd.Ready || !strings.Contains(rd.Checks["partner_index"].Detail, "built in") {
		t.Errorf("/readyz when ready: %s (%v)", r.body, err)
	}
	if r := env.do("POST", "/api/v1/partners", `{"text": "drone detection"}`, "Authorization", ""); r.status != 200 {
		t.Errorf("POST /api/v1/partners when ready: %d %s", r.status, r.body)
	}
	if r := env.do("GET", "/partners?text=drone", nil); r.status != 200 {
		t.Errorf("GET /partners when ready: %d", r.status)
	}
}

// TestNoProfilerOnThePublicHandler: /debug/pprof is served only on the
// operators' address (escnet serve --pprof-addr), never by the public
// handler.
func TestNoProfilerOnThePublicHandler(t *testing.T) {
	env, release := startingEnv(t)
	close(release)
	for _, p := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/profile?seconds=1", "/debug/pprof/cmdline"} {
		if r := env.do("GET", p, nil); r.status != http.StatusNotFound {
			t.Errorf("GET %s on the public handler: %d, want 404", p, r.status)
		}
	}
}
