package web

import (
	"context"
	"net/url"
	"sync"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/events"
)

// eventVisibility maps an authorization level to an event's visibility:
// events have no organisation level, so it is tested as a cluster event.
func eventVisibility(level string) string {
	if level == access.Organisation {
		return "cluster"
	}
	return level
}

// eventFixture makes the events the authorization cases act on: each is
// organised by the fixture's cluster hsd.
type eventFixture struct {
	mu   sync.Mutex
	read map[string]events.Event // one read-only event per level
}

var eventFixtures sync.Map // *authzFixture → *eventFixture

func eventInputFor(slug, level string) events.EventInput {
	return events.EventInput{Slug: slug, Kind: events.KindMeeting, Title: "Authz event " + slug, Language: "en", Organisers: []string{"hsd"},
		VenueKind: events.VenueAddress, Venue: "HSD Campus", TimeZone: "Europe/Amsterdam", StartsAt: "2031-06-02T09:00",
		EndsAt: "2031-06-02T17:00", Visibility: eventVisibility(level), Waitlist: true,
		Brokerage: &events.Brokerage{Days: []events.MeetingDay{{Date: "2031-06-02", Start: "10:00", End: "12:00"}}, SlotMinutes: 30, Tables: 5}}
}

// newEvent creates an event of the level with one session, as the system.
func newEvent(t *testing.T, fx *authzFixture, level string) (events.Event, events.Session) {
	t.Helper()
	sys := access.AsSystem(context.Background())
	e, err := fx.env.server.ev.CreateEvent(sys, eventInputFor(fx.unique("authz-ev"), level))
	if err != nil {
		t.Fatal(err)
	}
	ses, err := fx.env.server.ev.AddSession(sys, e.ID, events.SessionInput{Title: "Opening", StartsAt: "2031-06-02T09:00", EndsAt: "2031-06-02T09:30"})
	if err != nil {
		t.Fatal(err)
	}
	return e, ses
}

func readEvent(t *testing.T, fx *authzFixture, level string) events.Event {
	v, _ := eventFixtures.LoadOrStore(fx, &eventFixture{read: map[string]events.Event{}})
	ef := v.(*eventFixture)
	ef.mu.Lock()
	defer ef.mu.Unlock()
	if e, ok := ef.read[level]; ok {
		return e
	}
	e, _ := newEvent(t, fx, level)
	ef.read[level] = e
	return e
}

func userOf(fx *authzFixture, who persona, level string) (accounts.User, bool) {
	if u, ok := fx.users[who][level]; ok {
		return u, true
	}
	u, ok := fx.users[who][""]
	return u, ok
}

// registerAs registers the persona's account for e (as that account).
func registerAs(t *testing.T, fx *authzFixture, e events.Event, who persona, level string) events.Registration {
	t.Helper()
	u, ok := userOf(fx, who, level)
	if !ok {
		t.Fatalf("no account for %s", who)
	}
	v, err := fx.env.server.viewerOf(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	v.WriteAllowed = true
	r, err := fx.env.server.ev.Register(access.WithViewer(context.Background(), v), e.ID, events.RegisterInput{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// guest registers a fictitious third person, for the routes that act on
// someone else's registration.
func guest(t *testing.T, fx *authzFixture, e events.Event) events.Registration {
	t.Helper()
	id := fx.unique("guest")
	ctx := access.WithViewer(context.Background(), access.Viewer{UserID: id, Email: id + "@example.test", AllianceAdmin: true, WriteAllowed: true})
	r, err := fx.env.server.ev.Register(ctx, e.ID, events.RegisterInput{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// eventExpectations are the matrix's expectations for the events routes
// (docs/access.md, "Events").
func eventExpectations(t *testing.T, pol policy) map[string]expectation {
	sees := func(who persona, level string) bool { return pol.sees[who][eventVisibility(level)] }
	organises := func(who persona) bool { return pol.may(t, "organise events", who) }
	signedIn := func(who persona) bool { return who != anonymous }
	// organiserOnly: hidden → 404; organisers → ok; else 401 / 403.
	organiserOnly := func(method string, path func(fx *authzFixture, level string) string, body func(fx *authzFixture, level string) any, form url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx, level), form: form, want: denied(who)}
			if body != nil {
				c.body = body(fx, level)
			}
			switch {
			case !sees(who, level):
				c.want = 404
			case organises(who):
				c.want = ok
			}
			return c
		}
	}
	// othersRecord: acting on a guest's registration or meeting: organisers
	// who see the event → ok, everyone else → 404.
	othersRecord := func(method string, path func(fx *authzFixture, level string) string, body any, form url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx, level), body: body, form: form, want: 404}
			if sees(who, level) && organises(who) {
				c.want = ok
			}
			return c
		}
	}
	// attendee: a route for someone registered: hidden → 404, anonymous →
	// 401, signed in → registered first, then ok.
	attendee := func(method string, path func(fx *authzFixture, level string, e events.Event) string, body func(fx *authzFixture, e events.Event) any, form func(fx *authzFixture, e events.Event) url.Values, ok int, register bool) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			e, _ := newEvent(t, fx, level)
			c := authzCase{method: method, path: path(fx, level, e), want: ok}
			if body != nil {
				c.body = body(fx, e)
			}
			if form != nil {
				c.form = form(fx, e)
			}
			switch {
			case !signedIn(who) && sees(who, level):
				c.want = 401
			case !sees(who, level):
				c.want = 404
			case register:
				registerAs(t, fx, e, who, level)
			}
			return c
		}
	}
	read := func(path func(fx *authzFixture, level string) string) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: path(fx, level), want: 404}
			if sees(who, level) {
				c.want = 200
			}
			return c
		}
	}
	always := func(method, path string, want int) expectation {
		return func(*authzFixture, persona, string) authzCase {
			return authzCase{method: method, path: path, want: want}
		}
	}
	signed := func(method, path string, body any, ok int) expectation {
		return func(_ *authzFixture, who persona, _ string) authzCase {
			c := authzCase{method: method, path: path, body: body, want: 401}
			if signedIn(who) {
				c.want = ok
			}
			return c
		}
	}
	readPath := func(suffix string) func(*authzFixture, string) string {
		return func(fx *authzFixture, level string) string {
			return "/api/v1/events/" + readEvent(t, fx, level).Slug + suffix
		}
	}
	pagePath := func(suffix string) func(*authzFixture, string) string {
		return func(fx *authzFixture, level string) string { return "/events/" + readEvent(t, fx, level).Slug + suffix }
	}
	fresh := func(prefix, suffix string) func(*authzFixture, string) string {
		return func(fx *authzFixture, level string) string {
			e, _ := newEvent(t, fx, level)
			return prefix + e.Slug + suffix
		}
	}
	session := func(fx *authzFixture, level string) string {
		e, ses := newEvent(t, fx, level)
		return "/api/v1/events/" + e.Slug + "/sessions/" + ses.ID
	}
	sessionCal := func(fx *authzFixture, level string) string {
		e := readEvent(t, fx, level)
		full, err := fx.env.server.ev.GetEvent(access.AsSystem(context.Background()), e.ID)
		if err != nil || len(full.Sessions) == 0 {
			t.Fatalf("event without its session: %v", err)
		}
		return "/api/v1/events/" + e.Slug + "/sessions/" + full.Sessions[0].ID + "/calendar.ics"
	}
	guestReg := func(prefix, suffix string) func(*authzFixture, string) string {
		return func(fx *authzFixture, level string) string {
			e, _ := newEvent(t, fx, level)
			return prefix + guest(t, fx, e).ID + suffix
		}
	}
	guestMeeting := func(prefix string, pageSlug bool) func(*authzFixture, string) string {
		return func(fx *authzFixture, level string) string {
			e, _ := newEvent(t, fx, level)
			a, b := guest(t, fx, e), guest(t, fx, e)
			ctx := access.WithViewer(context.Background(), access.Viewer{UserID: a.UserID, Email: a.Email, AllianceAdmin: true, WriteAllowed: true})
			m, err := fx.env.server.ev.RequestMeeting(ctx, e.ID, events.MeetingInput{To: b.ID})
			if err != nil {
				t.Fatal(err)
			}
			if pageSlug {
				return "/events/" + e.Slug + "/meetings/" + m.ID
			}
			return prefix + m.ID + "/step"
		}
	}
	guestAttendee := func(fx *authzFixture, level string) string {
		e, _ := newEvent(t, fx, level)
		return "/events/" + e.Slug + "/attendees/" + guest(t, fx, e).ID
	}
	eventBody := func(fx *authzFixture, level string) any { return eventInputFor(fx.unique("authz-api-ev"), level) }
	sessionBody := func(*authzFixture, string) any {
		return events.SessionInput{Title: "Panel", StartsAt: "2031-06-02T14:00", EndsAt: "2031-06-02T15:00"}
	}
	evPath := func(prefix, suffix string) func(*authzFixture, string, events.Event) string {
		return func(_ *authzFixture, _ string, e events.Event) string { return prefix + e.Slug + suffix }
	}
	meetingBody := func(fx *authzFixture, e events.Event) any { return events.MeetingInput{To: guest(t, fx, e).ID} }
	meetingForm := func(fx *authzFixture, e events.Event) url.Values { return url.Values{"to": {guest(t, fx, e).ID}} }
	empty := url.Values{}
	return map[string]expectation{
		"GET /api/v1/events": always("GET", "/api/v1/events?from=2031-01-01", 200),
		"POST /api/v1/events": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/api/v1/events", body: eventBody(fx, level), want: denied(who)}
			if organises(who) {
				c.want = 201
			}
			return c
		},
		"GET /api/v1/events/{id}": read(readPath("")),
		"PUT /api/v1/events/{id}": organiserOnly("PUT", fresh("/api/v1/events/", ""), func(fx *authzFixture, level string) any {
			in := eventInputFor(fx.unique("authz-put"), level)
			return in
		}, nil, 200),
		"POST /api/v1/events/{id}/sessions":                       organiserOnly("POST", fresh("/api/v1/events/", "/sessions"), sessionBody, nil, 201),
		"PUT /api/v1/events/{id}/sessions/{session}":              organiserOnly("PUT", session, sessionBody, nil, 200),
		"GET /api/v1/events/{id}/calendar.ics":                    read(readPath("/calendar.ics")),
		"GET /api/v1/events/{id}/sessions/{session}/calendar.ics": read(sessionCal),
		"POST /api/v1/events/{id}/registrations": attendee("POST", evPath("/api/v1/events/", "/registrations"),
			func(*authzFixture, events.Event) any { return events.RegisterInput{} }, nil, 201, false),
		"GET /api/v1/events/{id}/registrations": organiserOnly("GET", readPath("/registrations"), nil, nil, 200),
		"GET /api/v1/events/{id}/registration": func(fx *authzFixture, who persona, level string) authzCase {
			c := attendee("GET", evPath("/api/v1/events/", "/registration"), nil, nil, 200, true)(fx, who, level)
			if who == anonymous {
				c.want = 401 // asked to sign in before anything is looked up
			}
			return c
		},
		"GET /api/v1/events/{id}/attendees.csv": organiserOnly("GET", readPath("/attendees.csv"), nil, nil, 200),
		"GET /api/v1/events/{id}/figures.csv":   organiserOnly("GET", readPath("/figures.csv"), nil, nil, 200),
		"GET /events/{slug}/figures":            organiserOnly("GET", pagePath("/figures"), nil, nil, 200),
		"GET /api/v1/events/{id}/participants":  attendee("GET", evPath("/api/v1/events/", "/participants"), nil, nil, 200, true),
		"POST /api/v1/registrations/{id}/step": othersRecord("POST", guestReg("/api/v1/registrations/", "/step"),
			RegistrationStep{Action: "check_in"}, nil, 200),
		"PUT /api/v1/registrations/{id}/unavailable": othersRecord("PUT", guestReg("/api/v1/registrations/", "/unavailable"),
			map[string]any{"times": []map[string]string{{"starts_at": "2031-06-02T08:00:00Z", "ends_at": "2031-06-02T09:00:00Z"}}}, nil, 204),
		"POST /api/v1/events/{id}/meetings": attendee("POST", evPath("/api/v1/events/", "/meetings"), meetingBody, nil, 201, true),
		"GET /api/v1/events/{id}/meetings": func(fx *authzFixture, who persona, level string) authzCase {
			c := attendee("GET", evPath("/api/v1/events/", "/meetings"), nil, nil, 200, true)(fx, who, level)
			if who == anonymous {
				c.want = 401
			}
			return c
		},
		"POST /api/v1/meetings/{id}/step":   othersRecord("POST", guestMeeting("/api/v1/meetings/", false), MeetingStep{Status: "cancelled"}, nil, 200),
		"POST /api/v1/events/{id}/schedule": organiserOnly("POST", fresh("/api/v1/events/", "/schedule"), func(*authzFixture, string) any { return map[string]any{} }, nil, 200),
		"GET /api/v1/agenda.ics":            signed("GET", "/api/v1/agenda.ics", nil, 200),
		"POST /api/v1/agenda/feed":          signed("POST", "/api/v1/agenda/feed", map[string]any{}, 201),
		"GET /agenda/{token}":               always("GET", "/agenda/not-a-real-token-for-anyone.ics", 404),

		"GET /events":          always("GET", "/events", 200),
		"GET /events/calendar": always("GET", "/events/calendar?month=2031-06", 200),
		"GET /events/{slug}":   read(pagePath("")),
		"POST /events/{slug}/register": attendee("POST", evPath("/events/", "/register"), nil,
			func(*authzFixture, events.Event) url.Values { return url.Values{} }, 303, false),
		"POST /events/{slug}/cancel": func(fx *authzFixture, who persona, level string) authzCase {
			c := attendee("POST", evPath("/events/", "/cancel"), nil, func(*authzFixture, events.Event) url.Values { return url.Values{} }, 303, true)(fx, who, level)
			if who == anonymous {
				c.want = 404 // an anonymous visitor holds no registration
			}
			return c
		},
		"GET /events/{slug}/participants": attendee("GET", evPath("/events/", "/participants"), nil, nil, 200, true),
		"POST /events/{slug}/meetings":    attendee("POST", evPath("/events/", "/meetings"), nil, meetingForm, 303, true),
		"GET /events/{slug}/meetings": func(fx *authzFixture, who persona, level string) authzCase {
			c := attendee("GET", evPath("/events/", "/meetings"), nil, nil, 200, false)(fx, who, level)
			if who == anonymous {
				c.want = 401
			}
			return c
		},
		"POST /events/{slug}/meetings/{id}":  othersRecord("POST", guestMeeting("", true), nil, url.Values{"status": {"cancelled"}}, 303),
		"POST /events/{slug}/schedule":       organiserOnly("POST", fresh("/events/", "/schedule"), nil, empty, 200),
		"GET /events/{slug}/attendees":       organiserOnly("GET", pagePath("/attendees"), nil, nil, 200),
		"POST /events/{slug}/attendees/{id}": othersRecord("POST", guestAttendee, nil, url.Values{"action": {"check_in"}}, 303),
	}
}

// eventFormExpectations are the matrix's expectations for the organisers'
// forms, the unavailable times, outcomes and suggestions.
func eventFormExpectations(t *testing.T, pol policy) map[string]expectation {
	sees := func(who persona, level string) bool { return pol.sees[who][eventVisibility(level)] }
	organises := func(who persona) bool { return pol.may(t, "organise events", who) }
	eventForm := func(slug, level string) url.Values {
		return url.Values{"slug": {slug}, "kind": {"meeting"}, "title": {"Form event " + slug}, "language": {"en"}, "organisers": {"hsd"},
			"venue_kind": {"address"}, "venue": {"HSD Campus"}, "time_zone": {"Europe/Amsterdam"}, "starts_at": {"2031-06-02T09:00"},
			"ends_at": {"2031-06-02T17:00"}, "visibility": {eventVisibility(level)}, "brokerage": {"on"}, "days": {"2031-06-02 10:00-12:00"},
			"slot_minutes": {"30"}, "tables": {"5"}}
	}
	sessionForm := url.Values{"title": {"Panel"}, "starts_at": {"2031-06-02T14:00"}, "ends_at": {"2031-06-02T15:00"}}
	// organiser: hidden → 404; organisers → ok; else 401 / 403.
	organiser := func(method string, path func(fx *authzFixture, level string) (string, events.Event), form func(fx *authzFixture, level string, e events.Event) url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			p, e := path(fx, level)
			c := authzCase{method: method, path: p, want: denied(who)}
			if form != nil {
				c.form = form(fx, level, e)
			}
			switch {
			case !sees(who, level):
				c.want = 404
			case organises(who):
				c.want = ok
			}
			return c
		}
	}
	fresh := func(suffix string) func(fx *authzFixture, level string) (string, events.Event) {
		return func(fx *authzFixture, level string) (string, events.Event) {
			e, _ := newEvent(t, fx, level)
			return "/events/" + e.Slug + suffix, e
		}
	}
	sessionPath := func(fx *authzFixture, level string) (string, events.Event) {
		e, ses := newEvent(t, fx, level)
		return "/events/" + e.Slug + "/sessions/" + ses.ID, e
	}
	guestUnavailable := func(method string, form url.Values, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			e, _ := newEvent(t, fx, level)
			c := authzCase{method: method, path: "/events/" + e.Slug + "/registrations/" + guest(t, fx, e).ID + "/unavailable", form: form, want: 404}
			if sees(who, level) && organises(who) {
				c.want = ok
			}
			return c
		}
	}
	return map[string]expectation{
		"GET /events/new": func(_ *authzFixture, who persona, _ string) authzCase {
			c := authzCase{method: "GET", path: "/events/new", want: denied(who)}
			if organises(who) {
				c.want = 200
			}
			return c
		},
		"POST /events/new": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/events/new", form: eventForm(fx.unique("authz-form-ev"), level), want: denied(who)}
			if organises(who) {
				c.want = 303
			}
			return c
		},
		"GET /events/{slug}/edit": organiser("GET", fresh("/edit"), nil, 200),
		"POST /events/{slug}/edit": organiser("POST", fresh("/edit"), func(_ *authzFixture, level string, e events.Event) url.Values {
			return eventForm(e.Slug, level)
		}, 303),
		"POST /events/{slug}/sessions":                       organiser("POST", fresh("/sessions"), func(*authzFixture, string, events.Event) url.Values { return sessionForm }, 303),
		"POST /events/{slug}/sessions/{id}":                  organiser("POST", sessionPath, func(*authzFixture, string, events.Event) url.Values { return sessionForm }, 303),
		"GET /events/{slug}/registrations/{id}/unavailable":  guestUnavailable("GET", nil, 200),
		"POST /events/{slug}/registrations/{id}/unavailable": guestUnavailable("POST", url.Values{"times": {"2031-06-02 10:00-11:00"}}, 303),
		// Only the two sides record an outcome: someone else's meeting is
		// not found, for organisers too.
		"POST /events/{slug}/meetings/{id}/outcome": func(fx *authzFixture, who persona, level string) authzCase {
			e, _ := newEvent(t, fx, level)
			a, b := guest(t, fx, e), guest(t, fx, e)
			ctx := access.WithViewer(context.Background(), access.Viewer{UserID: a.UserID, Email: a.Email, AllianceAdmin: true, WriteAllowed: true})
			m, err := fx.env.server.ev.RequestMeeting(ctx, e.ID, events.MeetingInput{To: b.ID})
			if err != nil {
				t.Fatal(err)
			}
			return authzCase{method: "POST", path: "/events/" + e.Slug + "/meetings/" + m.ID + "/outcome", form: url.Values{"outcome": {"follow_up"}}, want: 404}
		},
		// A confirmed attendee gets suggestions; hidden → 404, anonymous → 401.
		"GET /api/v1/events/{id}/suggestions": func(fx *authzFixture, who persona, level string) authzCase {
			e, _ := newEvent(t, fx, level)
			c := authzCase{method: "GET", path: "/api/v1/events/" + e.Slug + "/suggestions", want: 200}
			switch {
			case !sees(who, level):
				c.want = 404
			case who == anonymous:
				c.want = 401
			default:
				registerAs(t, fx, e, who, level)
			}
			return c
		},
	}
}
