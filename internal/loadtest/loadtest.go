// Package loadtest drives HTTP routes on the loopback interface with a
// bounded number of concurrent clients for a bounded time, and reports
// requests per second and latency percentiles: the load harness of
// `escnet bench http`.
package loadtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Bounds of a run: the harness is for one machine, never a load on
// anybody else.
const (
	MaxClients  = 256
	MaxDuration = 5 * time.Minute
	// maxSamples bounds the latencies kept per run (memory); the count
	// of requests is not bounded by it.
	maxSamples = 2_000_000
)

// Route is a request to repeat.
type Route struct {
	Name   string
	Method string
	Path   string
	Body   string // JSON, for POST
}

// Result is what one route did.
type Result struct {
	Route    Route
	Requests int
	Errors   int // transport errors and statuses other than 2xx
	Elapsed  time.Duration
	P50, P99 time.Duration
	// FirstError describes the first error, if any.
	FirstError string
}

// PerSecond is the throughput.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Run sends rt to base (a loopback URL) from clients concurrent clients,
// each waiting for its answer before the next request, for d.
func Run(ctx context.Context, base string, rt Route, clients int, d time.Duration) (Result, error) {
	if err := checkBounds(base, clients, d); err != nil {
		return Result{}, err
	}
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// Requests in flight at the deadline finish (and count): cutting them
	// off would make the server log errors that are the harness's own.
	deadline := time.Now().Add(d)
	type worker struct {
		n, errs int
		lat     []time.Duration
		first   string
	}
	ws := make([]worker, clients)
	perWorker := maxSamples / clients
	var wg sync.WaitGroup
	start := time.Now()
	for i := range ws {
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				err := once(ctx, client, base, rt)
				w.n++
				if len(w.lat) < perWorker {
					w.lat = append(w.lat, time.Since(t0))
				}
				if err != nil {
					w.errs++
					if w.first == "" {
						w.first = err.Error()
					}
				}
			}
		}(&ws[i])
	}
	wg.Wait()
	res := Result{Route: rt, Elapsed: time.Since(start)}
	var all []time.Duration
	for _, w := range ws {
		res.Requests += w.n
		res.Errors += w.errs
		all = append(all, w.lat...)
		if res.FirstError == "" {
			res.FirstError = w.first
		}
	}
	res.P50, res.P99 = Percentile(all, 50), Percentile(all, 99)
	return res, nil
}

func once(ctx context.Context, client *http.Client, base string, rt Route) error {
	var body io.Reader
	if rt.Body != "" {
		body = bytes.NewReader([]byte(rt.Body))
	}
	method := rt.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, base+rt.Path, body)
	if err != nil {
		return err
	}
	if rt.Body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("%s %s: status %d", method, rt.Path, res.StatusCode)
	}
	return nil
}

// checkBounds refuses anything but a loopback address and bounded runs.
func checkBounds(base string, clients int, d time.Duration) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	ip := net.ParseIP(u.Hostname())
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("loadtest: %s is not a loopback address; the harness only drives servers on this machine", u.Host)
	}
	if clients < 1 || clients > MaxClients {
		return fmt.Errorf("loadtest: %d clients; use 1 to %d", clients, MaxClients)
	}
	if d <= 0 || d > MaxDuration {
		return fmt.Errorf("loadtest: duration %s; use more than 0 and at most %s", d, MaxDuration)
	}
	return nil
}

// Percentile returns the p-th percentile (nearest rank) of ds; ds is
// sorted in place.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	if !slices.IsSorted(ds) {
		slices.Sort(ds)
	}
	i := int(float64(len(ds))*p/100+0.999999) - 1
	i = max(0, min(i, len(ds)-1))
	return ds[i]
}

// Hello is the hello-world handler the routes are compared with.
func Hello() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "Hello, world!\n")
	})
}

// Serve serves h on a free loopback port until the returned stop is
// called; base is its URL.
func Serve(h http.Handler) (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("loadtest: serve:", err)
		}
	}()
	return "http://" + ln.Addr().String(), func() { srv.Close(); <-done }, nil
}
