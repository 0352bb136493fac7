package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/storetest"
)

type noUsers struct{}

func (noUsers) GetUser(context.Context, string) (accounts.User, error) {
	return accounts.User{}, store.ErrNotFound
}

// TestEventReminderLoop runs serve's reminder loop with a fake clock (the
// event starts in 20 hours) and a loopback SMTP server: each attendee
// gets one reminder although the loop ticks many times.
func TestEventReminderLoop(t *testing.T) {
	db := storetest.NewSQLite(t)
	sys := access.AsSystem(context.Background())
	c := &directory.Cluster{Slug: "hsd", Name: "The Hague Security Delta", Country: "NL", Themes: []string{"cybersecurity"}}
	if err := directory.NewService(db).CreateCluster(sys, c); err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t)
	start := time.Date(2030, 5, 6, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return start.Add(-20 * time.Hour) }
	text := func(_ context.Context, key string, _ ...any) string { return key }
	svc := events.NewService(db, db, noUsers{}, mail.SMTP{Addr: srv.Addr, From: "events@escnet.test"}, events.Config{Text: text, Now: now})
	e, err := svc.CreateEvent(sys, events.EventInput{Slug: "loop", Kind: events.KindWebinar, Title: "Loop", Language: "en", Organisers: []string{"hsd"},
		VenueKind: events.VenueOnline, OnlineURL: "https://meet.example.test/loop", TimeZone: "Europe/London", StartsAt: "2030-05-06T10:00",
		EndsAt: "2030-05-06T11:00", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		ctx := access.WithViewer(context.Background(), access.Viewer{UserID: fmt.Sprint("u", i), Email: fmt.Sprintf("u%d@example.test", i), WriteAllowed: true})
		if _, err := svc.Register(ctx, e.ID, events.RegisterInput{}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	runEventReminders(ctx, svc, 20*time.Millisecond, 24*time.Hour, slog.New(slog.DiscardHandler))
	reminders := 0
	for _, m := range srv.Messages() {
		if strings.Contains(m.Data, "mail.event.reminder") {
			reminders++
		}
	}
	if reminders != 2 {
		t.Errorf("%d reminders after many ticks, want 2 (one per attendee)", reminders)
	}
}
