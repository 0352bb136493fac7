package loadtest

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCountsRequestsAndErrors(t *testing.T) {
	var n atomic.Int64
	base, stop, err := Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 0 {
			http.Error(w, "no", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	res, err := Run(context.Background(), base, Route{Name: "x", Path: "/"}, 4, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests < 10 || res.Errors == 0 || res.Errors > res.Requests || !strings.Contains(res.FirstError, "503") {
		t.Errorf("result %+v: want requests, about half of them errors naming 503", res)
	}
	if res.P50 <= 0 || res.P99 < res.P50 || res.PerSecond() <= 0 {
		t.Errorf("latencies p50 %s p99 %s, %.0f/s", res.P50, res.P99, res.PerSecond())
	}
	if got := int64(res.Requests); got > n.Load() {
		t.Errorf("counted %d requests, the server saw %d", got, n.Load())
	}
}

func TestRunRefusesUnboundedOrRemoteRuns(t *testing.T) {
	for _, c := range []struct {
		base    string
		clients int
		d       time.Duration
		want    string
	}{
		{"http://192.0.2.1:80", 1, time.Second, "not a loopback"},
		{"http://example.org", 1, time.Second, "not a loopback"},
		{"http://127.0.0.1:1", 0, time.Second, "clients"},
		{"http://127.0.0.1:1", MaxClients + 1, time.Second, "clients"},
		{"http://127.0.0.1:1", 1, MaxDuration + time.Second, "duration"},
	} {
		_, err := Run(context.Background(), c.base, Route{Path: "/"}, c.clients, c.d)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Run(%s, %d, %s) = %v, want an error about %s", c.base, c.clients, c.d, err, c.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i))
	}
	for p, want := range map[float64]time.Duration{50: 50, 99: 99, 100: 100, 1: 1} {
		if got := Percentile(ds, p); got != want {
			t.Errorf("p%.0f = %d, want %d", p, got, want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("the percentile of nothing should be 0")
	}
}
