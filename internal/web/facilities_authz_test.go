package web

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/facilities"
)

// The booking routes' part of the authorization matrix, checked against
// the booking rows of docs/access.md.

// bookingFixture is, for each level, a resource of the matrix's facility
// at that level, decided by approvers and open around the clock.
type bookingFixture struct {
	res map[string]facilities.Resource
	cal map[string]string // level → a facility feed secret
}

var (
	bookingFixturesMu sync.Mutex
	bookingFixtures   = map[*authzFixture]*bookingFixture{}
)

func (fx *authzFixture) bookings(t *testing.T) *bookingFixture {
	bookingFixturesMu.Lock()
	defer bookingFixturesMu.Unlock()
	if bf, ok := bookingFixtures[fx]; ok {
		return bf
	}
	ctx := access.AsSystem(context.Background())
	bf := &bookingFixture{res: map[string]facilities.Resource{}, cal: map[string]string{}}
	var week []facilities.Opening
	for d := range 7 {
		week = append(week, facilities.Opening{Day: d, Opens: "00:00", Closes: "24:00"})
	}
	for _, level := range access.Levels {
		r := &facilities.Resource{Slug: "range", Name: "Range " + level, Kind: "range", Approval: facilities.ApprovalApprovers,
			MaxMinutes: 7 * 24 * 60, OpeningHours: week, Active: true}
		if err := fx.env.server.fac.CreateResource(ctx, fx.facs[level].ID, r); err != nil {
			t.Fatal(err)
		}
		bf.res[level] = *r
		u := fx.user(colleague, level)
		v, err := fx.env.server.viewerOf(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		v.WriteAllowed = true
		vctx := access.WithViewer(ctx, v)
		nc, err := fx.env.server.fac.CreateCalendar(vctx, CalendarInput{Kind: "facility", Target: fx.facs[level].ID})
		if err != nil {
			t.Fatal(err)
		}
		bf.cal[level] = nc.URL[len(fx.env.server.accounts.Config().BaseURL):]
	}
	bookingFixtures[fx] = bf
	return bf
}

// slot returns a fresh two-hour slot in the future, so that bookings of
// the matrix never meet.
func (fx *authzFixture) slot() (time.Time, time.Time) {
	s := time.Now().UTC().Truncate(time.Hour).Add(48*time.Hour + time.Duration(fx.counter.Add(1))*3*time.Hour)
	return s, s.Add(2 * time.Hour)
}

// book makes a booking of the level's resource requested by who (for
// their organisation), then takes it to status.
func (fx *authzFixture) book(t *testing.T, who persona, level, status string) facilities.Booking {
	ctx := access.AsSystem(context.Background())
	bf := fx.bookings(t)
	f := fx.facs[level]
	u := fx.user(who, level)
	org, err := fx.env.db.GetOrganisation(ctx, u.OrganisationID)
	if err != nil {
		t.Fatal(err)
	}
	s, e := fx.slot()
	if status == facilities.StatusConfirmed {
		// A booking that has ended, to be completed: written past the rules.
		e = time.Now().UTC().Truncate(time.Hour).Add(-time.Duration(fx.counter.Add(1)) * 3 * time.Hour)
		s = e.Add(-2 * time.Hour)
		b := &facilities.Booking{ResourceID: bf.res[level].ID, FacilityID: f.ID, OrganisationID: org.ID, RequesterID: u.ID, StartsAt: s, EndsAt: e, TimeZone: f.TimeZone}
		steps, err := fx.env.db.CreateBooking(ctx, b, func(nb facilities.Booking, _ facilities.Snapshot) ([]facilities.Step, error) {
			nb.Status, nb.BlockedUntil = facilities.StatusConfirmed, nb.EndsAt
			return []facilities.Step{{Booking: nb, Action: "request"}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return steps[0].Booking
	}
	v, err := fx.env.server.viewerOf(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	v.WriteAllowed = true
	b, err := fx.env.server.fac.Request(access.WithScope(access.WithViewer(ctx, v), access.System), facilities.RequestInput{
		Resource: bf.res[level].ID, Organisation: org.ID, StartsAt: s.Format(time.RFC3339), EndsAt: e.Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	if status == facilities.StatusApproved {
		if b, err = fx.env.server.fac.Act(access.AsSystem(ctx), b.ID, facilities.ActionApprove, ""); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func bookingExpectations(t *testing.T, pol policy) map[string]expectation {
	sees := func(who persona, level string) bool { return pol.sees[who][level] }
	mayChange := func(who persona) bool { return pol.may(t, "change a record of an organisation", who) }
	mayBook := func(who persona) bool { return pol.may(t, "book a resource", who) }
	mayDecide := func(who persona) bool { return pol.may(t, "decide on the bookings", who) }
	mayOwn := func(who persona) bool { return pol.may(t, "confirm or cancel their own", who) }
	// seesBooking: a colleague's booking is seen by the colleague (its
	// requester) and by those who decide, if they see the facility.
	seesBooking := func(who persona, level string) bool {
		return sees(who, level) && (who == colleague || mayDecide(who))
	}
	always := func(method, path string, want int) expectation {
		return func(*authzFixture, persona, string) authzCase {
			return authzCase{method: method, path: path, want: want}
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
	change := func(method string, path func(fx *authzFixture, level string) string, body func(fx *authzFixture, level string) any, ok int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, path: path(fx, level)}
			if body != nil {
				c.body = body(fx, level)
			}
			switch {
			case !sees(who, level):
				c.want = 404
			case mayChange(who):
				c.want = ok
			default:
				c.want = denied(who)
			}
			return c
		}
	}
	own := func(method string, path func(fx *authzFixture, who persona, level string) string, body any, ok, anon int) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: method, body: body, path: path(fx, who, level), want: ok}
			if who == anonymous {
				c.want = anon
			}
			return c
		}
	}
	facID := func(fx *authzFixture, l string) string { return fx.facs[l].ID }
	resBody := func(fx *authzFixture, l string) any {
		return map[string]any{"slug": "range", "name": "Range " + l, "kind": "range", "max_minutes": 7 * 24 * 60,
			"opening_hours": fx.bookings(t).res[l].OpeningHours}
	}
	// decide: a step for those who decide, on a colleague's booking.
	decide := func(action, status string, form bool) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			b := fx.book(t, colleague, level, status)
			c := authzCase{method: "POST", path: "/api/v1/bookings/" + b.ID + "/" + action, body: map[string]string{"reason": "matrix"}}
			ok := 200
			if form {
				c = authzCase{method: "POST", path: "/bookings/" + b.ID, form: url.Values{"action": {action}, "reason": {"matrix"}}}
				ok = 303
			}
			switch {
			case who == anonymous:
				c.want = 401
			case !seesBooking(who, level):
				c.want = 404
			case mayDecide(who):
				c.want = ok
			default:
				c.want = 403
			}
			return c
		}
	}
	// ownStep: a step on the persona's own booking.
	ownStep := func(action, status string) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", body: map[string]string{}}
			switch {
			case who == anonymous:
				c.path, c.want = "/api/v1/bookings/00000000-0000-0000-0000-000000000000/"+action, 401
			case !sees(who, level) || who == allianceAdmin:
				// Without sight of the facility there is no own booking;
				// the alliance administrator has no organisation of its
				// own, so it acts on a colleague's.
				b := fx.book(t, colleague, level, status)
				c.path, c.want = "/api/v1/bookings/"+b.ID+"/"+action, 404
				if who == allianceAdmin {
					c.want = 200
				}
			default:
				b := fx.book(t, who, level, status)
				c.path, c.want = "/api/v1/bookings/"+b.ID+"/"+action, 403
				if mayOwn(who) {
					c.want = 200
				}
			}
			return c
		}
	}
	// bookAs: a request by the persona for their organisation (the
	// alliance administrator names one).
	bookAs := func(path string, form bool) expectation {
		return func(fx *authzFixture, who persona, level string) authzCase {
			s, e := fx.slot()
			fields := map[string]string{"resource_id": fx.bookings(t).res[level].ID, "starts_at": s.Format(time.RFC3339), "ends_at": e.Format(time.RFC3339)}
			if who == allianceAdmin {
				fields["organisation_id"] = fx.orgs[level].ID
			}
			c := authzCase{method: "POST", path: path}
			ok := 201
			if form {
				c.path = "/facilities/" + fx.facs[level].Slug + "/book"
				c.form = url.Values{}
				for k, v := range fields {
					c.form.Set(k, v)
				}
				ok = 303
			} else {
				c.body = fields
			}
			switch {
			case who == anonymous:
				c.want = 401
			case !sees(who, level):
				c.want = 422 // the resource is an unknown reference
				if form {
					c.want = 404 // the form's facility is hidden
				}
			case mayBook(who):
				c.want = ok
			default:
				c.want = denied(who)
			}
			return c
		}
	}
	return map[string]expectation{
		"GET /api/v1/facilities/{id}/resources": read(func(fx *authzFixture, l string) string { return "/api/v1/facilities/" + facID(fx, l) + "/resources" }),
		"POST /api/v1/facilities/{id}/resources": change("POST", func(fx *authzFixture, l string) string { return "/api/v1/facilities/" + facID(fx, l) + "/resources" },
			func(fx *authzFixture, l string) any {
				return map[string]any{"slug": fx.unique("room"), "name": "Room", "kind": "room"}
			}, 201),
		"PUT /api/v1/resources/{id}": change("PUT", func(fx *authzFixture, l string) string { return "/api/v1/resources/" + fx.bookings(t).res[l].ID }, resBody, 200),
		"POST /api/v1/facilities/{id}/blackouts": change("POST", func(fx *authzFixture, l string) string { return "/api/v1/facilities/" + facID(fx, l) + "/blackouts" },
			func(fx *authzFixture, l string) any {
				return map[string]any{"starts_at": "2040-01-01T08:00", "ends_at": "2040-01-01T18:00", "kind": "maintenance", "reason": "matrix"}
			}, 201),
		"DELETE /api/v1/resources/{id}": change("DELETE", func(fx *authzFixture, l string) string {
			r := &facilities.Resource{Slug: fx.unique("spare"), Name: "Spare room", Kind: "room"}
			if err := fx.env.server.fac.CreateResource(access.AsSystem(context.Background()), fx.facs[l].ID, r); err != nil {
				t.Fatal(err)
			}
			return "/api/v1/resources/" + r.ID
		}, nil, 204),
		"DELETE /api/v1/blackouts/{id}": change("DELETE", func(fx *authzFixture, l string) string {
			b, err := fx.env.server.fac.CreateBlackout(access.AsSystem(context.Background()), fx.facs[l].ID,
				facilities.BlackoutInput{StartsAt: "2041-01-01T08:00", EndsAt: "2041-01-01T09:00"})
			if err != nil {
				t.Fatal(err)
			}
			return "/api/v1/blackouts/" + b.ID
		}, nil, 204),
		"GET /api/v1/facilities/{id}/approvers": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "GET", path: "/api/v1/facilities/" + facID(fx, level) + "/approvers"}
			switch {
			case !sees(who, level):
				c.want = 404
			case mayDecide(who):
				c.want = 200
			default:
				c.want = denied(who)
			}
			return c
		},
		"PUT /api/v1/facilities/{id}/approvers": change("PUT", func(fx *authzFixture, l string) string { return "/api/v1/facilities/" + facID(fx, l) + "/approvers" },
			func(*authzFixture, string) any { return map[string]any{"approvers": []string{}} }, 200),
		"GET /api/v1/facilities/{id}/availability": read(func(fx *authzFixture, l string) string { return "/api/v1/facilities/" + facID(fx, l) + "/availability" }),
		"GET /api/v1/facilities/{id}/usage":        read(func(fx *authzFixture, l string) string { return "/api/v1/facilities/" + facID(fx, l) + "/usage" }),
		"GET /api/v1/facilities/{id}/usage.csv":    read(func(fx *authzFixture, l string) string { return "/api/v1/facilities/" + facID(fx, l) + "/usage.csv" }),
		"GET /api/v1/clusters/{id}/usage":          always("GET", "/api/v1/clusters/hsd/usage", 200),
		"GET /api/v1/clusters/{id}/usage.csv":      always("GET", "/api/v1/clusters/hsd/usage.csv", 200),
		"GET /api/v1/slots":                        always("GET", "/api/v1/slots?days=1&to="+time.Now().AddDate(0, 0, 3).Format(time.DateOnly), 200),
		"GET /api/v1/bookings":                     own("GET", func(*authzFixture, persona, string) string { return "/api/v1/bookings" }, nil, 200, 401),
		"POST /api/v1/bookings":                    bookAs("/api/v1/bookings", false),
		"GET /api/v1/bookings/{id}": func(fx *authzFixture, who persona, level string) authzCase {
			b := fx.book(t, colleague, level, facilities.StatusRequested)
			c := authzCase{method: "GET", path: "/api/v1/bookings/" + b.ID, want: 404}
			switch {
			case who == anonymous:
				c.want = 401
			case seesBooking(who, level):
				c.want = 200
			}
			return c
		},
		"POST /api/v1/bookings/{id}/approve":  decide("approve", facilities.StatusRequested, false),
		"POST /api/v1/bookings/{id}/decline":  decide("decline", facilities.StatusRequested, false),
		"POST /api/v1/bookings/{id}/complete": decide("complete", facilities.StatusConfirmed, false),
		"POST /api/v1/bookings/{id}/confirm":  ownStep("confirm", facilities.StatusApproved),
		"POST /api/v1/bookings/{id}/cancel":   ownStep("cancel", facilities.StatusRequested),
		"GET /api/v1/calendars":               own("GET", func(*authzFixture, persona, string) string { return "/api/v1/calendars" }, nil, 200, 401),
		"POST /api/v1/calendars":              own("POST", func(*authzFixture, persona, string) string { return "/api/v1/calendars" }, map[string]string{"kind": "user"}, 201, 401),
		"DELETE /api/v1/calendars/{id}": func(fx *authzFixture, who persona, level string) authzCase {
			if who == anonymous {
				return authzCase{method: "DELETE", path: "/api/v1/calendars/00000000-0000-0000-0000-000000000000", want: 401}
			}
			u := fx.user(who, level)
			tok := &facilities.CalendarToken{UserID: u.ID, Kind: "user", Name: "matrix", Hash: fx.unique("hash")}
			if err := fx.env.db.CreateCalendarToken(context.Background(), tok); err != nil {
				t.Fatal(err)
			}
			return authzCase{method: "DELETE", path: "/api/v1/calendars/" + tok.ID, want: 204}
		},
		// The secret address is the credential: whoever holds it reads
		// the feed, with its owner's sight.
		"GET /calendar/{token}": func(fx *authzFixture, who persona, level string) authzCase {
			return authzCase{method: "GET", path: fx.bookings(t).cal[level], want: 200}
		},

		"GET /facilities/{slug}/book": func(fx *authzFixture, who persona, level string) authzCase {
			c := read(func(fx *authzFixture, l string) string { return "/facilities/" + fx.facs[l].Slug + "/book" })(fx, who, level)
			if who == anonymous {
				c.want = 303 // to the sign-in page
			}
			return c
		},
		"POST /facilities/{slug}/book": bookAs("", true),
		"GET /facilities/{slug}/usage": read(func(fx *authzFixture, l string) string { return "/facilities/" + fx.facs[l].Slug + "/usage" }),
		"GET /clusters/{slug}/usage":   always("GET", "/clusters/hsd/usage", 200),
		"GET /slots":                   always("GET", "/slots?days=1&to="+time.Now().AddDate(0, 0, 3).Format(time.DateOnly), 200),
		"GET /bookings":                own("GET", func(*authzFixture, persona, string) string { return "/bookings" }, nil, 200, 303),
		"GET /bookings/{id}": func(fx *authzFixture, who persona, level string) authzCase {
			b := fx.book(t, colleague, level, facilities.StatusRequested)
			c := authzCase{method: "GET", path: "/bookings/" + b.ID, want: 404}
			switch {
			case who == anonymous:
				c.want = 303
			case seesBooking(who, level):
				c.want = 200
			}
			return c
		},
		"POST /bookings/{id}": decide("approve", facilities.StatusRequested, true),
		"POST /calendars": func(fx *authzFixture, who persona, level string) authzCase {
			c := authzCase{method: "POST", path: "/calendars", form: url.Values{"kind": {"user"}}, want: 200}
			if who == anonymous {
				c.want = 401
			}
			return c
		},
	}
}
