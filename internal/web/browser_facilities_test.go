package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/escnet/escnet/internal/access"
)

// TestBrowserFacilityFlow walks issue 16's facility flow in the browser:
// an organisation administrator creates a facility with a resource and an
// approver, books it weekly for four weeks, and sees the bookings in the
// week grid, which is screenshot and checked with axe-core at 390 px and
// 1366 px, without sideways scrolling.
func TestBrowserFacilityFlow(t *testing.T) {
	b := newBrowser(t)
	axe := axeSource(t)
	b.signIn(t, "admin.tno@example.org")
	tue := nextWeekday(time.Tuesday)
	day, _ := time.Parse(time.DateOnly, tue)
	steps := []struct {
		name    string
		actions []chromedp.Action[chromedp.Void]
	}{
		{"create the facility", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(b.base + "/facilities/new"),
			chromedp.WaitVisible(chromedp.CSS(`#name`)),
			chromedp.SendKeys(chromedp.CSS(`#name`), "TNO Browser Lab"),
			chromedp.SendKeys(chromedp.CSS(`#slug`), "tno-browser-lab"),
			chromedp.SetValue(chromedp.CSS(`#country`), "NL"),
			chromedp.SendKeys(chromedp.CSS(`#city`), "Delft"),
			chromedp.Submit(chromedp.CSS(`#name`)),
			chromedp.WaitVisible(chromedp.CSS(`#resources`)),
		}},
		{"add a resource", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`a[href="/facilities/tno-browser-lab/resource"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#max_hours`)),
			chromedp.SendKeys(chromedp.CSS(`#name`), "Sensor lab"),
			chromedp.SendKeys(chromedp.CSS(`#slug`), "sensor-lab"),
			chromedp.SetValue(chromedp.CSS(`#approval`), "auto"),
			chromedp.SendKeys(chromedp.CSS(`#max_hours`), "4"),
			chromedp.Submit(chromedp.CSS(`#name`)),
			chromedp.WaitVisible(chromedp.CSS(`#approvers-list`)),
		}},
		{"set an approver", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.CSS(`#approvers-list`), "member.tno@example.org"),
			chromedp.Submit(chromedp.CSS(`#approvers-list`)),
			// The edit page comes back: let the redirect land.
			chromedp.Sleep(1500 * time.Millisecond),
			chromedp.WaitVisible(chromedp.CSS(`#approvers-list`)),
		}},
		{"book weekly for four weeks", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(b.base + "/facilities/tno-browser-lab/book"),
			chromedp.WaitVisible(chromedp.CSS(`#weeks`)),
			chromedp.SetValue(chromedp.CSS(`#starts_at`), tue+"T10:00"),
			chromedp.SetValue(chromedp.CSS(`#ends_at`), tue+"T12:00"),
			chromedp.SetValue(chromedp.CSS(`#weeks`), "4"),
			chromedp.Submit(chromedp.CSS(`#weeks`)),
			chromedp.WaitVisible(chromedp.CSS(`dl.facts .status`)), // the booking's page
		}},
	}
	for _, s := range steps {
		if err := chromedp.Do(b.ctx, s.actions...); err != nil {
			html, _ := chromedp.Run(b.ctx, chromedp.OuterHTML(chromedp.CSS(`main`)))
			t.Fatalf("%s: %v\n%.1500s", s.name, err, html)
		}
	}
	if as, err := b.server.fac.Approvers(access.AsSystem(context.Background()), "tno-browser-lab"); err != nil || len(as) != 1 {
		t.Errorf("approvers after the form: %+v %v, want member.tno@example.org", as, err)
	}
	for _, w := range []struct {
		name          string
		width, height int64
	}{{"390", 390, 844}, {"1366", 1366, 900}} {
		for i := range 4 {
			week := isoWeek(day.AddDate(0, 0, 7*i))
			err := chromedp.Do(b.ctx,
				chromedp.EmulateViewport(w.width, w.height),
				chromedp.Navigate(b.base+"/facilities/tno-browser-lab/week?resource=sensor-lab&week="+week),
				chromedp.WaitVisible(chromedp.CSS(`ol.week`)),
			)
			if err != nil {
				t.Fatalf("week grid %s at %s px: %v", week, w.name, err)
			}
			taken, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(".slot-taken")).map(e => e.innerText).join("|")`))
			if !strings.Contains(taken, "10:00–12:00") {
				t.Errorf("week %d (%s) at %s px: taken %q, want 10:00–12:00", i+1, week, w.name, taken)
			}
			scroll, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
			if scroll {
				t.Errorf("week grid at %s px scrolls sideways", w.name)
			}
			if i == 0 {
				b.checkAccessible(t, axe, "week grid at "+w.name)
				b.screenshot(t, "facility-week-"+w.name)
			}
		}
		for _, page := range []string{"/facilities/tno-browser-lab/edit", "/facilities/tno-browser-lab/resource", "/facilities/tno-browser-lab/book"} {
			if err := chromedp.Do(b.ctx, chromedp.Navigate(b.base+page), chromedp.WaitVisible(chromedp.CSS(`h1`))); err != nil {
				t.Fatalf("%s: %v", page, err)
			}
			b.checkAccessible(t, axe, page+" at "+w.name)
			scroll, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
			if scroll {
				t.Errorf("%s at %s px scrolls sideways", page, w.name)
			}
			b.screenshot(t, strings.ReplaceAll(strings.Trim(page, "/"), "/", "-")+"-"+w.name)
		}
	}
}
