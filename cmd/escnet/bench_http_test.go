package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestBenchHTTP runs the harness briefly on SQLite at demo size: a row
// per route with requests/s, p50, p99, no errors and the ratio to
// hello-world.
func TestBenchHTTP(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"bench", "http", "--duration", "300ms", "--connections", "2", "--tmp", t.TempDir()}, &out, &errOut)
	if err != nil {
		t.Fatalf("bench http: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	row := regexp.MustCompile(`(?m)^\| (.+?) \| (\d+) \| ([\d.]+) ms \| ([\d.]+) ms \| (\d+) \| ([\d.]+)% \|$`)
	got := map[string][]string{}
	for _, m := range row.FindAllStringSubmatch(out.String(), -1) {
		got[m[1]] = m
	}
	for _, name := range []string{"hello-world", "GET /healthz", "GET /api/v1/organisations", "GET /organisations", "GET /search?q=drone", "POST /api/v1/partners"} {
		m, ok := got[name]
		if !ok {
			t.Errorf("no row for %s in:\n%s", name, out.String())
			continue
		}
		if m[2] == "0" || m[5] != "0" {
			t.Errorf("%s: %s requests/s, %s errors (want some, none):\n%s", name, m[2], m[5], errOut.String())
		}
	}
	if !strings.Contains(out.String(), "Machine: ") || !strings.Contains(out.String(), "load average") {
		t.Errorf("the output does not say where it was measured:\n%s", out.String())
	}
}

func TestBenchHTTPRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--engine", "oracle"},
		{"--engine", "postgres"},
		{"--connections", "0"},
		{"--connections", "100000"},
		{"--duration", "1h"},
		{"--orgs", "-1"},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"bench", "http"}, args...), &out, &out); err == nil {
			t.Errorf("bench http %v: no error", args)
		}
	}
}
