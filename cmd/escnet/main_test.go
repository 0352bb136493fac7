package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestCommandLine(t *testing.T) {
	notSQLite := filepath.Join(t.TempDir(), "not.db")
	if err := os.WriteFile(notSQLite, bytes.Repeat([]byte("this is not sqlite "), 20), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // substring of the error; "usage" for errUsage
		wantOut string
	}{
		{"no command", nil, nil, "usage", ""},
		{"unknown command", []string{"frobnicate"}, nil, "usage", ""},
		{"help", []string{"help"}, nil, "", "Commands:"},
		{"help serve", []string{"help", "serve"}, nil, "", "--demo"},
		{"serve -h lists env vars", []string{"serve", "-h"}, nil, "", "$ESCNET_DB"},
		{"migrate -h", []string{"migrate", "-h"}, nil, "", "--db"},
		{"version", []string{"version"}, nil, "", "escnet "},
		{"unknown flag", []string{"migrate", "--colour"}, nil, "usage", ""},
		{"stray argument", []string{"migrate", "extra"}, nil, "unexpected argument", ""},
		{"not a database", []string{"migrate", "--db", notSQLite}, nil, "not a SQLite database", ""},
		{"env var names the database", []string{"migrate"}, map[string]string{"ESCNET_DB": notSQLite}, "not a SQLite database", ""},
		{"unsupported engine", []string{"migrate", "--db", "mysql://x@y/z"}, nil, "unsupported database", ""},
		{"postgres down", []string{"migrate", "--db", "postgres://postgres@127.0.0.1:1/none?connect_timeout=2"}, nil, "database unavailable", ""},
		{"bad log level", []string{"serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--log-level", "loud"}, nil, "--log-level", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			err := run(context.Background(), tt.args, &out, &errOut)
			switch {
			case tt.wantErr == "usage":
				if !errors.Is(err, errUsage) {
					t.Errorf("err = %v, want usage error", err)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if err != nil && strings.Contains(err.Error(), "\n") {
					t.Errorf("error spans lines: %q", err)
				}
			default:
				if err != nil && !errors.Is(err, flag.ErrHelp) {
					t.Errorf("err = %v", err)
				}
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("stdout = %q, want it to contain %q", out.String(), tt.wantOut)
			}
		})
	}
}

func TestMigratePrintsVersion(t *testing.T) {
	var out bytes.Buffer
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	for range 2 {
		out.Reset()
		if err := run(context.Background(), []string{"migrate", "--db", dsn}, &out, &out); err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^schema version [1-9]\d* \(sqlite\)\n$`).MatchString(out.String()) {
			t.Errorf("output %q", out.String())
		}
	}
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

// startServe runs `escnet serve` until the test ends and returns its URL
// and output.
func startServe(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...), out, out)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			return m[1], out
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not print its address:\n%s", out.String())
	return "", nil
}

func TestServeDemo(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "demo.db")
	url, out := startServe(t, "--db", dsn, "--demo")
	if !strings.Contains(out.String(), "Loaded the demonstration alliance: 8 clusters") {
		t.Errorf("output does not report the demo load:\n%s", out.String())
	}
	for _, who := range []string{"admin@example.org", "manager.hsd@example.org", "admin.tno@example.org", "member.tno@example.org", "escnet-demo-2026"} {
		if !strings.Contains(out.String(), who) {
			t.Errorf("output does not say how to sign in as %s:\n%s", who, out.String())
		}
	}
	res, err := http.Get(url + "/api/v1/clusters")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page struct {
		Total int `json:"total"`
		Items []struct {
			Slug string `json:"slug"`
		} `json:"items"`
	}
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	if page.Total != 8 || len(page.Items) != 8 {
		t.Errorf("demo serves %d clusters, want 8", page.Total)
	}
}

func TestServeDemoLeavesDataAlone(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "demo.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--db", dsn}, &out, &out); err != nil {
		t.Fatal(err)
	}
	// First serve loads; a second --demo on the same file must not.
	func() {
		t.Run("first", func(t *testing.T) { startServe(t, "--db", dsn, "--demo") })
	}()
	_, second := startServe(t, "--db", dsn, "--demo")
	if !strings.Contains(second.String(), "already holds data") || strings.Contains(second.String(), "Loaded the demonstration") {
		t.Errorf("second --demo output:\n%s", second.String())
	}
}

func TestUserCommands(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "users.db")
	var out bytes.Buffer
	ctx := context.Background()
	if err := run(ctx, []string{"serve", "--help"}, &out, &out); err != nil && !errors.Is(err, flag.ErrHelp) {
		t.Fatal(err)
	}
	// Load the demo so that organisations and clusters exist.
	startServeOnce(t, dsn)
	t.Setenv("ESCNET_PASSWORD", "a long enough password")
	steps := []struct {
		args    []string
		wantErr string
		wantOut string
	}{
		{[]string{"user", "add", "--db", dsn, "--email", "Ada@Example.org", "--name", "Ada", "--org", "tno"}, "", "created ada@example.org (member)"},
		{[]string{"user", "add", "--db", dsn, "--email", "ada@example.org"}, "conflict", ""},
		{[]string{"user", "add", "--db", dsn, "--email", "bad"}, "email", ""},
		{[]string{"user", "set-role", "--db", dsn, "--email", "ada@example.org", "--role", "cluster-manager", "--cluster", "hsd"}, "", "is now cluster_manager"},
		{[]string{"user", "set-role", "--db", dsn, "--email", "ada@example.org", "--role", "wizard"}, "--role", ""},
		{[]string{"user", "set-role", "--db", dsn, "--email", "nobody@example.org", "--role", "member"}, "no account", ""},
		{[]string{"user", "list", "--db", dsn}, "", "ada@example.org"},
		{[]string{"user", "reset-password", "--db", dsn, "--email", "ada@example.org"}, "", "/reset/"},
		{[]string{"user", "frobnicate", "--db", dsn}, "usage", ""},
	}
	for _, st := range steps {
		out.Reset()
		err := run(ctx, st.args, &out, &out)
		switch {
		case st.wantErr == "usage":
			if !errors.Is(err, errUsage) {
				t.Errorf("%v: err = %v, want usage", st.args, err)
			}
		case st.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), st.wantErr) {
				t.Errorf("%v: err = %v, want %q", st.args, err, st.wantErr)
			}
		case err != nil:
			t.Errorf("%v: %v", st.args, err)
		}
		if !strings.Contains(out.String(), st.wantOut) {
			t.Errorf("%v: output %q, want %q", st.args, out.String(), st.wantOut)
		}
	}
}

// startServeOnce runs serve --demo until it listens, then stops it.
func startServeOnce(t *testing.T, dsn string) {
	t.Run("demo", func(t *testing.T) { startServe(t, "--db", dsn, "--demo") })
}

var profilesAt = regexp.MustCompile(`profiles \(pprof\) on (http://\S+)/debug/pprof/`)

// TestServeReadyAndProfiles: serve builds the partner index in the
// background (/readyz turns 200, the log says how long it took); the
// profiles are on --pprof-addr only, not on the public address.
func TestServeReadyAndProfiles(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "demo.db")
	url, out := startServe(t, "--db", dsn, "--demo", "--pprof-addr", "127.0.0.1:0", "--log-level", "info")
	m := profilesAt.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("serve did not print the profiles' address:\n%s", out.String())
	}
	get := func(u string) int {
		t.Helper()
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := get(m[1] + "/debug/pprof/"); got != 200 {
		t.Errorf("profiles' address: %d, want 200", got)
	}
	if got := get(m[1] + "/debug/pprof/heap"); got != 200 {
		t.Errorf("heap profile: %d, want 200", got)
	}
	if got := get(url + "/debug/pprof/"); got != 404 {
		t.Errorf("/debug/pprof/ on the public address: %d, want 404", got)
	}
	deadline := time.Now().Add(15 * time.Second)
	for get(url+"/readyz") != 200 {
		if time.Now().After(deadline) {
			t.Fatalf("/readyz did not turn 200:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "partner index ready") || !strings.Contains(out.String(), "took=") {
		t.Errorf("the log does not report the index build with its duration:\n%s", out.String())
	}
}
