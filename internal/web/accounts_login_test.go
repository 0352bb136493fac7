package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	rtmetrics "runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestParallelGuessesLocked sends 40 sign-ins for one account at once, 39
// wrong and the 40th right: the attempts are counted before any password
// is checked, so at most the limit (5) get an answer on their password and
// the rest are throttled (429 with Retry-After), on both engines.
func TestParallelGuessesLocked(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		const n = 40
		statuses := make([]int, n)
		retry := make([]string, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				password := "wrong password!"
				if i == n-1 {
					password = demo.Password
				}
				<-start
				r := env.post("/login", form("email", "member.tno@example.org", "password", password), "")
				statuses[i], retry[i] = r.status, r.header.Get("Retry-After")
			}()
		}
		close(start)
		wg.Wait()
		failed, signedIn, throttled := 0, 0, 0
		for i, st := range statuses {
			switch st {
			case http.StatusUnauthorized:
				failed++
			case http.StatusSeeOther:
				signedIn++
			case http.StatusTooManyRequests:
				throttled++
				if retry[i] == "" {
					t.Errorf("attempt %d: 429 without Retry-After", i)
				}
			default:
				t.Errorf("attempt %d: status %d", i, st)
			}
		}
		// At most five wrong passwords are checked; the right one signs in
		// only when it came in within the limit (its attempt is then taken
		// back, so one more wrong guess may be checked in its place).
		if failed > 5 || failed+signedIn > 6 {
			t.Errorf("%d wrong passwords checked, %d signed in, %d throttled; want at most 5 checked: %v", failed, signedIn, throttled, statuses)
		}
		// After the burst the account stays locked, also for the right
		// password.
		if r := env.post("/login", form("email", "member.tno@example.org", "password", demo.Password), ""); r.status != http.StatusTooManyRequests {
			t.Errorf("right password after the burst: %d, want 429", r.status)
		}
		if got := env.auditCount(t, "login.failed"); got > 5 {
			t.Errorf("%d failed sign-ins checked, want at most 5", got)
		}
	})
}

// TestSuccessDoesNotCount: sign-ins that succeed take their attempt back,
// so a person who signs in often is never locked out.
func TestSuccessDoesNotCount(t *testing.T) {
	env, _, _ := accountEnv(t)
	for range 8 {
		env.login(t, "member.tno@example.org", demo.Password)
	}
	for range 4 {
		env.post("/login", form("email", "member.tno@example.org", "password", "wrong password!"), "")
	}
	env.login(t, "member.tno@example.org", demo.Password)
}

// rssBytes is the resident memory of this process (the test and the
// server in it), from /proc/self/status.
func rssBytes(t *testing.T) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	t.Skip("no VmRSS")
	return 0
}

// TestSignInBurstMemory sends 100 sign-ins at once to a server that hashes
// with the production cost (argon2id, 19 MiB each): hashing is capped, so
// the process stays under 300 MB resident, and the sign-ins beyond the
// queue are answered 503 with Retry-After instead of all hashing at once.
func TestSignInBurstMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("hashes 100 passwords at the production cost")
	}
	db := storetest.NewSQLite(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	// Many addresses would come from many clients; the test has one, so
	// the per-address limit is lifted to see the hashing cap alone.
	text, err := MailText()
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, app.Config{Accounts: accounts.Config{Params: accounts.DefaultParams, MaxPerIP: 1000}, Logger: logger, Text: text, Version: "test"})
	s, err := New(a, Config{Version: "test", Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	sample := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peakRSS, peakHeap atomic.Uint64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		for {
			if rss := rssBytes(t); rss > peakRSS.Load() {
				peakRSS.Store(rss)
			}
			rtmetrics.Read(sample)
			if h := sample[0].Value.Uint64(); h > peakHeap.Load() {
				peakHeap.Store(h)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	before := rssBytes(t)
	const n = 100
	statuses := make([]int, n)
	retry := make([]string, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			body := form("email", fmt.Sprintf("burst-%d@example.org", i), "password", "wrong password!")
			req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i], retry[i] = res.StatusCode, res.Header.Get("Retry-After")
		}()
	}
	close(start)
	wg.Wait()
	close(stop)
	sampler.Wait()
	counts := map[int]int{}
	for i, st := range statuses {
		counts[st]++
		if (st == http.StatusServiceUnavailable || st == http.StatusTooManyRequests) && retry[i] == "" {
			t.Errorf("sign-in %d: %d without Retry-After", i, st)
		}
	}
	t.Logf("resident %d MB before, peak %d MB; peak heap %d MB; answers %v", before>>20, peakRSS.Load()>>20, peakHeap.Load()>>20, counts)
	if peakRSS.Load() >= 300<<20 {
		t.Errorf("peak resident memory %d MB, want under 300 MB", peakRSS.Load()>>20)
	}
	if counts[http.StatusServiceUnavailable]+counts[http.StatusTooManyRequests] == 0 {
		t.Errorf("no sign-in was turned away: %v", counts)
	}
	if counts[http.StatusUnauthorized] == 0 {
		t.Errorf("no sign-in was checked at all: %v", counts)
	}
}

// TestResetEndsOtherLinks: using one reset link, or changing the password
// any other way, ends every other outstanding link of the account.
func TestResetEndsOtherLinks(t *testing.T) {
	env, smtp, _ := accountEnv(t)
	for range 3 {
		if r := env.post("/reset", form("email", "member.tno@example.org"), ""); r.status != 200 {
			t.Fatalf("reset request: %d", r.status)
		}
	}
	var links []string
	for i := 1; i <= 3; i++ {
		links = append(links, linkPattern.FindStringSubmatch(smtp.Wait(t, i).Data)[1])
	}
	if r := env.post(links[1], form("password", "the first new password"), ""); r.status != 200 {
		t.Fatalf("reset with the second link: %d %s", r.status, r.body)
	}
	for _, i := range []int{0, 2} {
		if r := env.post(links[i], form("password", "an attacker's password"), ""); r.status != http.StatusGone {
			t.Errorf("link %d after another was used: %d, want 410", i+1, r.status)
		}
	}
	env.login(t, "member.tno@example.org", "the first new password")

	// A password set directly (the command line, later the account page)
	// ends the links too.
	env.post("/reset", form("email", "member.tno@example.org"), "")
	late := linkPattern.FindStringSubmatch(smtp.Wait(t, 4).Data)[1]
	ctx := context.Background()
	u, err := env.db.GetUserByEmail(ctx, "member.tno@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.server.Accounts().SetPassword(ctx, u.ID, "the second new password"); err != nil {
		t.Fatal(err)
	}
	if r := env.post(late, form("password", "an attacker's password"), ""); r.status != http.StatusGone {
		t.Errorf("link mailed before a password change: %d, want 410", r.status)
	}
	env.login(t, "member.tno@example.org", "the second new password")
}

// TestAcceptEndsOtherInvitations: once an address has an account, its
// other invitations end (410), instead of failing on the duplicate.
func TestAcceptEndsOtherInvitations(t *testing.T) {
	env, smtp, _ := accountEnv(t)
	orgAdmin := env.login(t, "admin.tno@example.org", demo.Password)
	for range 2 {
		if r := env.post("/organisations/tno/invite", form("email", "twice@example.org"), orgAdmin); r.status != 200 {
			t.Fatalf("invite: %d", r.status)
		}
	}
	first := linkPattern.FindStringSubmatch(smtp.Wait(t, 1).Data)[1]
	second := linkPattern.FindStringSubmatch(smtp.Wait(t, 2).Data)[1]
	if r := env.post(first, form("name", "Twice", "password", "a good long password"), ""); r.status != 200 {
		t.Fatalf("accept: %d", r.status)
	}
	if r := env.get(second, ""); r.status != http.StatusGone {
		t.Errorf("second invitation after the first was accepted: %d, want 410", r.status)
	}
	if r := env.post(second, form("name", "Twice again", "password", "another long password"), ""); r.status != http.StatusGone {
		t.Errorf("accepting the second invitation: %d, want 410", r.status)
	}
}

// TestPersonalDataHasBookings: the download of one's own data holds the
// bookings one requested (with their purpose) and one's calendar feeds
// (without the secret address); erasure ends the feeds and keeps the
// booking with the organisation.
func TestPersonalDataHasBookings(t *testing.T) {
	env := newBookingEnv(t, storetest.NewSQLite(t))
	var weekdays []map[string]any
	for d := 1; d <= 5; d++ {
		weekdays = append(weekdays, map[string]any{"day": d, "opens": "08:00", "closes": "18:00"})
	}
	r := env.do("POST", "/api/v1/facilities/hsd-campus/resources", map[string]any{"slug": "export-room", "name": "Export room", "kind": "room",
		"min_minutes": 60, "max_minutes": 480, "opening_hours": weekdays}, env.as(env.admin)...)
	if r.status != http.StatusCreated {
		t.Fatalf("create resource: %d %s", r.status, r.body)
	}
	room := decode[facilities.Resource](t, r)
	tue := nextWeekday(time.Tuesday)
	r = env.do("POST", "/api/v1/bookings", map[string]any{"resource_id": room.ID, "starts_at": tue + "T10:00", "ends_at": tue + "T12:00",
		"purpose": "Drone trial for Ms Example"}, env.as(env.kit)...)
	if r.status != http.StatusCreated {
		t.Fatalf("book: %d %s", r.status, r.body)
	}
	booking := decode[facilities.Booking](t, r)
	r = env.do("POST", "/api/v1/calendars", map[string]any{"kind": "user", "name": "My bookings"}, env.as(env.kit)...)
	if r.status != http.StatusCreated {
		t.Fatalf("calendar: %d %s", r.status, r.body)
	}
	feed := decode[NewCalendar](t, r)
	r = env.do("GET", "/api/v1/me/export", nil, env.as(env.kit)...)
	if r.status != 200 {
		t.Fatalf("export: %d %s", r.status, r.body)
	}
	var got struct {
		Records struct {
			Bookings      []facilities.Booking       `json:"bookings"`
			CalendarFeeds []facilities.CalendarToken `json:"calendar_feeds"`
		} `json:"records"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Records.Bookings) != 1 || got.Records.Bookings[0].ID != booking.ID || got.Records.Bookings[0].Purpose != "Drone trial for Ms Example" {
		t.Errorf("bookings in the download = %+v", got.Records.Bookings)
	}
	if len(got.Records.CalendarFeeds) != 1 || got.Records.CalendarFeeds[0].Name != "My bookings" {
		t.Errorf("calendar feeds in the download = %+v", got.Records.CalendarFeeds)
	}
	if secret := strings.TrimSuffix(feed.URL[strings.LastIndex(feed.URL, "/")+1:], ".ics"); strings.Contains(string(r.body), secret) {
		t.Error("the download holds the feed's secret address")
	}
	if r := env.do("DELETE", "/api/v1/me", nil, env.as(env.kit)...); r.status != http.StatusNoContent {
		t.Fatalf("erase: %d %s", r.status, r.body)
	}
	if r := env.get(strings.TrimPrefix(feed.URL, "http://escnet.test"), ""); r.status != http.StatusNotFound {
		t.Errorf("calendar feed after erasure: %d, want 404", r.status)
	}
	ctx := access.AsSystem(context.Background())
	if b, err := env.db.GetBooking(ctx, booking.ID); err != nil || b.OrganisationID == "" {
		t.Errorf("booking after erasure: %+v, %v (it stays with the organisation)", b, err)
	}
}
