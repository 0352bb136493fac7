package live

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestStartAnswersNotReadyUntilBuilt: after Start, a request that comes
// while the first index is being built gets ErrNotReady at once (no
// wait), Ready says so; once built, requests are answered and Ready
// reports the build.
func TestStartAnswersNotReadyUntilBuilt(t *testing.T) {
	st := newFake(t, "organisation")
	hold := make(chan struct{})
	st.hold = hold
	svc := New(st, Options{Interval: time.Millisecond, Logger: quiet()})
	defer svc.Close()
	if r := svc.Ready(); !r.Ready {
		t.Fatalf("before Start (lazy mode): %+v, want ready", r)
	}
	built := make(chan *View, 1)
	svc.Start(func(v *View) { built <- v })
	ctx := context.Background()
	if r := svc.Ready(); r.Ready || r.Since.IsZero() {
		t.Fatalf("while building: %+v, want not ready with a start time", r)
	}
	start := time.Now()
	_, err := svc.Partners(ctx, PartnerRequest{Text: "drone detection"})
	if !errors.Is(err, ErrNotReady) {
		t.Fatalf("Partners while building: %v, want ErrNotReady", err)
	}
	if _, err := svc.Consortium(ctx, ConsortiumRequest{Call: "X"}); !errors.Is(err, ErrNotReady) {
		t.Fatalf("Consortium while building: %v, want ErrNotReady", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("the refusals took %s: they should not wait for the build", d)
	}
	st.mu.Lock()
	st.hold = nil
	st.mu.Unlock()
	close(hold)
	select {
	case v := <-built:
		if v.Orgs() != 3 {
			t.Errorf("built view holds %d organisations, want 3", v.Orgs())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the background build did not finish")
	}
	r := svc.Ready()
	if !r.Ready || r.Organisations != 3 || r.Took <= 0 {
		t.Errorf("after the build: %+v", r)
	}
	res, err := svc.Partners(ctx, PartnerRequest{Text: "drone detection"})
	if err != nil || len(res.Partners) == 0 {
		t.Errorf("Partners after the build: %v, %d partners", err, len(res.Partners))
	}
}

// TestStartRetriesAFailedBuild: a first build that fails is reported by
// Ready and retried.
func TestStartRetriesAFailedBuild(t *testing.T) {
	st := newFake(t, "organisation")
	st.fail = errors.New("database gone")
	svc := New(st, Options{Interval: time.Millisecond, Logger: quiet()})
	defer svc.Close()
	svc.Start(nil)
	eventually(t, "the failure to be reported", func() bool { return svc.Ready().Err != "" })
	if r := svc.Ready(); r.Ready {
		t.Fatalf("after a failed build: %+v, want not ready", r)
	}
	st.mu.Lock()
	st.fail = nil
	st.mu.Unlock()
	eventually(t, "the retried build", func() bool { return svc.Ready().Ready })
	if r := svc.Ready(); r.Err != "" {
		t.Errorf("ready but still an error: %+v", r)
	}
}
