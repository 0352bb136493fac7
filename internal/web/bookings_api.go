package web

import (
	"net/http"
	"strings"

	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/validate"
)

// The bookings' API: requests and their steps, and the calendar feeds.
// Every handler decodes, calls one method of the facilities service
// (which decides what the viewer may do) and encodes.

// ActionInput is the body of a step on a booking.
type ActionInput struct {
	Reason string `json:"reason"`
}

// BookingList is a list of bookings.
type BookingList struct {
	Items []facilities.Booking `json:"items"`
}

// CalendarInput asks for a secret calendar feed address.
type CalendarInput = facilities.CalendarInput

// NewCalendar is a created feed with its address, shown once.
type NewCalendar = facilities.NewCalendar

// CalendarList is the user's feeds.
type CalendarList struct {
	Items []facilities.CalendarToken `json:"items"`
}

// signedIn refuses an anonymous request with 401: bookings are between
// signed-in people.
func signedIn(r *http.Request, what string) error {
	if viewerFrom(r.Context()).Anonymous() {
		return errUnauthorized("Sign in (or send an API token) to " + what + ".")
	}
	return nil
}

func (s *Server) apiListBookings(w http.ResponseWriter, r *http.Request) error {
	if err := signedIn(r, "see bookings"); err != nil {
		return err
	}
	q := r.URL.Query()
	if errs := onlyParams(q, "role", "status", "facility"); len(errs) > 0 {
		return errBadRequest("Unknown query parameters.", errs)
	}
	var errs validate.Errors
	role := q.Get("role")
	if role == "" {
		role = facilities.RoleRequester
	}
	errs.Choice("role", role, true, facilities.BookingRoles...)
	errs.Choice("status", q.Get("status"), false, facilities.Statuses...)
	if len(errs) > 0 {
		return errBadRequest("Invalid query parameters.", errs)
	}
	list, err := s.fac.Bookings(r.Context(), role, q.Get("status"), q.Get("facility"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, BookingList{Items: list})
}

func (s *Server) apiGetBooking(w http.ResponseWriter, r *http.Request) error {
	if err := signedIn(r, "see bookings"); err != nil {
		return err
	}
	bv, err := s.fac.Booking(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, bv.Booking)
}

func (s *Server) apiCreateBooking(w http.ResponseWriter, r *http.Request) error {
	if err := signedIn(r, "book"); err != nil {
		return err
	}
	var in facilities.RequestInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := s.fac.Request(withLang(r.Context(), requestLanguage(r)), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/bookings/"+b.ID)
	return writeJSON(w, http.StatusCreated, b)
}

func (s *Server) apiBookingAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := signedIn(r, "do this"); err != nil {
			return err
		}
		var in ActionInput
		if r.ContentLength != 0 {
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
		}
		b, err := s.fac.Act(withLang(r.Context(), requestLanguage(r)), r.PathValue("id"), action, in.Reason)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, b)
	}
}

// ---- calendar feeds

func (s *Server) apiCreateCalendar(w http.ResponseWriter, r *http.Request) error {
	if err := signedIn(r, "do this"); err != nil {
		return err
	}
	var in CalendarInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	nc, err := s.fac.CreateCalendar(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, nc)
}

func (s *Server) apiListCalendars(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	list, err := s.fac.Calendars(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, CalendarList{Items: list})
}

func (s *Server) apiRevokeCalendar(w http.ResponseWriter, r *http.Request) error {
	if err := signedIn(r, "do this"); err != nil {
		return err
	}
	if err := s.fac.RevokeCalendar(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleCalendarFeed serves a feed to whoever holds its secret address
// (the service decides what its owner may see now).
func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	secret := strings.TrimSuffix(r.PathValue("token"), ".ics")
	feed, err := s.fac.Feed(r.Context(), secret, s.catalog.localizer("en").T)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err = w.Write([]byte(feed))
	return err
}

// Facilities returns the booking service (for the command line and tests).
func (s *Server) Facilities() *facilities.Service { return s.fac }
