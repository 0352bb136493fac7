package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// testCallStatus lists calls by status at a fixed moment (16:30 in
// Brussels on the day one of them closes at 17:00): the default list has
// the open and forthcoming calls, "closed" the others, and "all" every
// call with the closed ones last, pages included.
func testCallStatus(t *testing.T, db *sqlstore.DB) {
	fixtures := []calls.Call{
		testCall(t, "T-CLOSED-1", "Closed long ago", "2026-09-15", "IA"),
		testCall(t, "T-CLOSED-2", "Closed last month", "2026-11-05", "IA"),
		testCall(t, "T-TODAY", "Closes today at five", "2026-12-02", "IA"),
		testCall(t, "T-SOON", "Forthcoming topic", "2027-11-04", "RIA"),
		testCall(t, "T-OPENS", "Opens in May", "2027-09-15", "RIA"),
		testCall(t, "T-NODATE", "No deadline", "", "CSA"),
	}
	fixtures[3].PortalStatus = calls.StatusForthcoming
	fixtures[4].Opens = "2027-05-12"
	for i := range fixtures {
		must(t, db.CreateCall(ctx, &fixtures[i]))
	}
	svc := calls.NewService(db)
	at := func(s string) func() time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, calls.Brussels)
		if err != nil {
			t.Fatal(err)
		}
		return func() time.Time { return tm }
	}
	svc.Now = at("2026-12-02 16:30")
	list := func(f calls.Filter) (string, string, int) {
		t.Helper()
		var ids, st []string
		total := 0
		for range 10 {
			p, err := svc.List(ctx, f)
			must(t, err)
			total = p.Total
			for _, c := range p.Items {
				ids, st = append(ids, c.ID), append(st, c.Status)
			}
			if f.Cursor = p.Next; f.Cursor == "" {
				break
			}
		}
		return strings.Join(ids, ","), strings.Join(st, ","), total
	}
	tests := []struct {
		status, ids, statuses string
	}{
		{"", "T-TODAY,T-OPENS,T-SOON,T-NODATE", "open,forthcoming,forthcoming,open"},
		{calls.StatusOpen, "T-TODAY,T-NODATE", "open,open"},
		{calls.StatusForthcoming, "T-OPENS,T-SOON", "forthcoming,forthcoming"},
		{calls.StatusClosed, "T-CLOSED-1,T-CLOSED-2", "closed,closed"},
		{calls.StatusAll, "T-TODAY,T-OPENS,T-SOON,T-NODATE,T-CLOSED-1,T-CLOSED-2", "open,forthcoming,forthcoming,open,closed,closed"},
	}
	for _, tt := range tests {
		for _, limit := range []int{1, 3, 4, 50} {
			ids, st, total := list(calls.Filter{Status: tt.status, Limit: limit})
			if ids != tt.ids || st != tt.statuses || total != strings.Count(tt.ids, ",")+1 {
				t.Errorf("status %q, pages of %d: %s (%s, total %d)\nwant %s (%s)", tt.status, limit, ids, st, total, tt.ids, tt.statuses)
			}
		}
	}
	// At five the call of the day closes.
	svc.Now = at("2026-12-02 17:00")
	if ids, _, _ := list(calls.Filter{}); ids != "T-OPENS,T-SOON,T-NODATE" {
		t.Errorf("at 17:00 Brussels the list is %s, want the call of the day closed", ids)
	}
	c, err := svc.Get(ctx, "T-TODAY")
	must(t, err)
	if c.Status != calls.StatusClosed {
		t.Errorf("T-TODAY at 17:00 has status %q, want closed", c.Status)
	}
	// The opening day passes.
	svc.Now = at("2027-05-12 09:00")
	if c, _ := svc.Get(ctx, "T-OPENS"); c.Status != calls.StatusOpen {
		t.Errorf("T-OPENS on its opening day has status %q, want open", c.Status)
	}
	if _, err := svc.List(ctx, calls.Filter{Status: "expired"}); err == nil {
		t.Error("an unknown status filter was accepted")
	}
}
