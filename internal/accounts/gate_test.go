package accounts

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestHashGate: one slot and a queue of one: the second caller waits for
// the slot, the third is turned away at once, and a waiter gives up after
// the maximum wait.
func TestHashGate(t *testing.T) {
	g := newHashGate(1, 1, 200*time.Millisecond)
	ctx := context.Background()
	leaveA, err := g.enter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		leave, err := g.enter(ctx)
		if err == nil {
			leave()
		}
		got <- err
	}()
	time.Sleep(20 * time.Millisecond) // let B queue
	start := time.Now()
	if _, err := g.enter(ctx); !errors.Is(err, ErrBusy) {
		t.Errorf("third caller: %v, want ErrBusy", err)
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Errorf("third caller waited %s; it should be turned away at once", d)
	}
	leaveA()
	if err := <-got; err != nil {
		t.Errorf("queued caller: %v, want the slot", err)
	}
	// A waiter that outlasts the maximum wait is busy too.
	leave, _ := g.enter(ctx)
	start = time.Now()
	if _, err := g.enter(ctx); !errors.Is(err, ErrBusy) || time.Since(start) < 150*time.Millisecond {
		t.Errorf("waiter past the maximum wait: %v after %s", err, time.Since(start))
	}
	leave()
	if n := g.queued.Load(); n != 0 {
		t.Errorf("%d still counted in the gate", n)
	}
}
