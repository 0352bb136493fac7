package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/storetest"
)

// threeNodes starts three applications, each with its own pools and
// change feed, over one fresh PostgreSQL schema, opening (and migrating)
// at once as three escnet serve processes would, and serves each on its
// own loopback port. The demo alliance is loaded through the first.
func threeNodes(t *testing.T) []*testEnv {
	base := storetest.PostgresDSN(t)
	ctx := context.Background()
	admin, err := engine.Open(ctx, base)
	if err != nil {
		t.Fatalf("PostgreSQL does not answer: %v", err)
	}
	schema := fmt.Sprintf("t_nodes_%d", os.Getpid())
	admin.SQL().ExecContext(ctx, `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`)
	if _, err := admin.SQL().ExecContext(ctx, `CREATE SCHEMA "`+schema+`"`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.SQL().ExecContext(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`)
		admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	dsn := base + sep + "search_path=" + schema
	text, err := MailText()
	if err != nil {
		t.Fatal(err)
	}
	apps := make([]*app.App, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			apps[i], _, errs[i] = app.Open(ctx, dsn, app.Config{Accounts: accounts.Config{Params: fastParams}, Text: text,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("node %d: open and migrate with the others at once: %v", i, err)
		}
		t.Cleanup(func() { apps[i].Close() })
	}
	if _, err := demo.Load(ctx, directory.NewService(apps[0].DB)); err != nil {
		t.Fatal(err)
	}
	envs := make([]*testEnv, 3)
	for i, a := range apps {
		a.Start()
		s, err := New(a, Config{Version: "test", Logger: a.Log})
		if err != nil {
			t.Fatal(err)
		}
		envs[i] = &testEnv{t: t, db: a.DB, server: s, tokens: map[string]string{}}
		envs[i].srv = httptest.NewServer(s.Handler())
		t.Cleanup(envs[i].srv.Close)
	}
	if err := demo.LoadAccounts(ctx, apps[0].DB, envs[0].server.Accounts()); err != nil {
		t.Fatal(err)
	}
	u, err := apps[0].DB.GetUserByEmail(ctx, "admin@example.org")
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := envs[0].server.Accounts().CreateToken(ctx, u, "test", accounts.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range envs {
		e.admin = secret
	}
	return envs
}

// within polls cond every 20 ms for at most d and says how long it took.
func within(d time.Duration, cond func() bool) (time.Duration, bool) {
	start := time.Now()
	for {
		if cond() {
			return time.Since(start), true
		}
		if time.Since(start) > d {
			return time.Since(start), false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestThreeNodesConverge: three nodes over one PostgreSQL. A write
// through one is seen within 2 s by the others' partner finder (the
// change feed's LISTEN/NOTIFY wakes them), cluster member counts and
// lists; a session made on one node is valid on the others, and failed
// sign-ins on all three count together toward the throttle. Needs
// ESCNET_TEST_POSTGRES.
func TestThreeNodesConverge(t *testing.T) {
	nodes := threeNodes(t)
	for i, n := range nodes {
		if _, ok := within(10*time.Second, func() bool { return n.do("GET", "/readyz", nil).status == 200 }); !ok {
			t.Fatalf("node %d never became ready", i)
		}
	}
	memberCount := func(n *testEnv) int {
		var c directory.Cluster
		json.Unmarshal(n.do("GET", "/api/v1/clusters/hsd", nil).body, &c)
		return c.MemberCount
	}
	partners := func(n *testEnv) string {
		return string(n.do("POST", "/api/v1/partners", `{"text": "quasiquantum hyperspectral drone forensics"}`, "Authorization", "").body)
	}
	before := memberCount(nodes[1])
	if strings.Contains(partners(nodes[1]), "quasiquantum-labs") {
		t.Fatal("the new organisation is already a partner before it was written")
	}
	in := map[string]any{"slug": "quasiquantum-labs", "name": "Quasiquantum Labs", "kind": "company", "country": "NL",
		"description": "Quasiquantum hyperspectral drone forensics.", "visibility": "public", "tlp": "CLEAR",
		"memberships": []map[string]string{{"cluster_id": "hsd", "role": "member"}}}
	written := time.Now()
	if r := nodes[0].do("POST", "/api/v1/organisations", in); r.status != http.StatusCreated {
		t.Fatalf("write on node 0: %d %s", r.status, r.body)
	}
	for i, n := range nodes[1:] {
		checks := []struct {
			what string
			cond func() bool
		}{
			{"cluster's members", func() bool { return memberCount(n) == before+1 }},
			{"organisations list", func() bool {
				return strings.Contains(string(n.do("GET", "/api/v1/organisations?q=quasiquantum", nil).body), "quasiquantum-labs")
			}},
			{"organisation page", func() bool { return n.do("GET", "/organisations/quasiquantum-labs", nil).status == 200 }},
			{"partner finder", func() bool { return strings.Contains(partners(n), "quasiquantum-labs") }},
		}
		for _, c := range checks {
			what := c.what
			_, ok := within(2*time.Second-time.Since(written), c.cond)
			if !ok {
				t.Errorf("node %d: the %s did not show the write of node 0 within 2 s", i+1, what)
			} else {
				t.Logf("node %d: the %s showed the write %s after it", i+1, what, time.Since(written).Round(time.Millisecond))
			}
		}
	}

	// A session made on node 0 is valid on nodes 1 and 2; signing out
	// on node 2 ends it on every node.
	cookie := nodes[0].login(t, "member.tno@example.org", demo.Password)
	for i, n := range nodes {
		if r := n.get("/api/v1/me", cookie); r.status != 200 {
			t.Errorf("node %d: the session of node 0: %d, want 200", i, r.status)
		}
	}
	nodes[2].post("/logout", "", cookie)
	for i, n := range nodes {
		if r := n.get("/api/v1/me", cookie); r.status != 401 {
			t.Errorf("node %d after signing out on node 2: %d, want 401", i, r.status)
		}
	}

	// Five failed sign-ins spread over the three nodes throttle the
	// account on every node.
	for i := range 5 {
		nodes[i%3].post("/login", form("email", "admin.tno@example.org", "password", "wrong password!"), "")
	}
	for i, n := range nodes {
		if r := n.post("/login", form("email", "admin.tno@example.org", "password", demo.Password), ""); r.status != http.StatusTooManyRequests {
			t.Errorf("node %d after 5 failures spread over the nodes: %d, want 429", i, r.status)
		}
	}
}
