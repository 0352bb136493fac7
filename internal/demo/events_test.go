package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestLoadEvents: the seed events are there with their dates and venues,
// and the brokerage day holds 60 fictitious attendees, their requests and
// a plan with nobody in two places.
func TestLoadEvents(t *testing.T) {
	db := storetest.NewSQLite(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	n, err := demo.LoadEvents(ctx, db, now)
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("%d events loaded, want 5", n)
	}
	sys := access.WithScope(ctx, access.System)
	for slug, start := range map[string]string{
		"workshop-strengthening-cooperation":    "2015-10-13 14:00",
		"international-workshop-the-hague-2015": "2015-11-26 09:30",
		"second-international-meeting-2016":     "2016-06-01 09:00",
	} {
		e, err := db.GetEvent(sys, slug)
		if err != nil {
			t.Errorf("%s: %v", slug, err)
			continue
		}
		if got := e.StartsAt.In(e.Location()).Format("2006-01-02 15:04"); got != start {
			t.Errorf("%s starts %s (%s), want %s", slug, got, e.TimeZone, start)
		}
	}
	b, err := db.GetEvent(sys, "security-brokerage-day")
	if err != nil {
		t.Fatal(err)
	}
	if b.Confirmed != 60 || !b.StartsAt.After(now) {
		t.Errorf("brokerage day: %d confirmed, starts %v; want 60 upcoming", b.Confirmed, b.StartsAt)
	}
	ms, err := db.ListMeetings(sys, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	held, accepted := 0, 0
	busy := map[[2]string]bool{}
	for _, m := range ms {
		if m.Status != events.MeetingAccepted {
			continue
		}
		accepted++
		if m.StartsAt == nil {
			continue
		}
		held++
		for _, who := range []string{m.FromID, m.ToID} {
			k := [2]string{who, m.StartsAt.String()}
			if busy[k] {
				t.Errorf("%s in two meetings at %v", who, m.StartsAt)
			}
			busy[k] = true
		}
	}
	if len(ms) < 150 || accepted < 100 || held < accepted*9/10 {
		t.Errorf("%d requests, %d accepted, %d scheduled; want at least 150, 100 and 90%% scheduled", len(ms), accepted, held)
	}
}
