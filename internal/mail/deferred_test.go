package mail_test

import (
	"context"
	"errors"
	"testing"

	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
)

type recorder struct{ sent []string }

func (r *recorder) Send(_ context.Context, m mail.Message) error {
	r.sent = append(r.sent, m.To)
	if m.To == "refuse@example.org" {
		return errors.New("refused")
	}
	return nil
}

// TestDeferred: outside a transaction a message goes at once (and its
// error comes back); inside, it waits for the commit hooks, and a
// transaction that never runs them (a rollback) sends nothing.
func TestDeferred(t *testing.T) {
	t.Parallel()
	r := &recorder{}
	d := mail.Deferred{Sender: r}
	if err := d.Send(context.Background(), mail.Message{To: "refuse@example.org"}); err == nil || len(r.sent) != 1 {
		t.Fatalf("outside a transaction: %v, %d sent", err, len(r.sent))
	}
	ctx, hooks := store.WithCommitHooks(context.Background())
	if err := d.Send(ctx, mail.Message{To: "a@example.org"}); err != nil || len(r.sent) != 1 {
		t.Fatalf("inside a transaction: %v, %d sent before the commit", err, len(r.sent))
	}
	hooks.Run()
	if len(r.sent) != 2 || r.sent[1] != "a@example.org" {
		t.Fatalf("after the commit: %v", r.sent)
	}
	hooks.Run()
	if len(r.sent) != 2 {
		t.Fatalf("hooks ran twice: %v", r.sent)
	}
	rolledBack, _ := store.WithCommitHooks(context.Background())
	if err := d.Send(rolledBack, mail.Message{To: "b@example.org"}); err != nil || len(r.sent) != 2 {
		t.Fatalf("rolled back: %v, %v", err, r.sent)
	}
}
