package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// The bookings' pages: the booking form of a facility, the list of the
// viewer's bookings, one booking with the steps the viewer may take, and
// the calendar addresses.

// ---- booking form

type bookPage struct {
	formPage
	Facility     directory.Facility
	Resources    []facilities.Resource
	Availability Availability
	// OnBehalf lists the organisations an alliance administrator or a
	// cluster manager may book for (the service decides; the form only
	// offers the choice). Empty: the viewer books for their own.
	OnBehalf []directory.Organisation
}

func (s *Server) bookPageData(r *http.Request, f directory.Facility) (bookPage, error) {
	d := bookPage{formPage: formPage{layout: s.layout(r, f.Name, "facilities")}, Facility: f}
	var err error
	if _, d.Resources, err = s.fac.Resources(r.Context(), f.ID); err != nil {
		return d, err
	}
	from, to, _ := dayRange(url.Values{}, schedule.LocationOrUTC(f.TimeZone), s.fac.Now(), 28, 28)
	if d.Availability, err = s.fac.Availability(r.Context(), f, from, to); err != nil {
		return d, err
	}
	if v := viewerFrom(r.Context()); v.AllianceAdmin || len(v.ManagedClusters) > 0 {
		orgs, err := s.dir.ListOrganisations(r.Context(), directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
		if err != nil {
			return d, err
		}
		d.OnBehalf = orgs.Items
	}
	return d, nil
}

func (s *Server) pageBook(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	f, err := s.fac.Facility(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	d, err := s.bookPageData(r, f)
	if err != nil {
		return err
	}
	d.Values = r.URL.Query()
	return s.render(w, http.StatusOK, "facility_book", d)
}

func (s *Server) postBook(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f, err := s.fac.Facility(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	participants, _ := strconv.Atoi(r.PostForm.Get("participants"))
	in := facilities.RequestInput{Resource: r.PostForm.Get("resource_id"), Organisation: r.PostForm.Get("organisation_id"), StartsAt: r.PostForm.Get("starts_at"), EndsAt: r.PostForm.Get("ends_at"),
		TimeZone: r.PostForm.Get("time_zone"), Purpose: r.PostForm.Get("purpose"), Participants: participants, Waitlist: r.PostForm.Get("waitlist") != "",
		Facility: f.ID}
	if wk := r.PostForm.Get("weeks"); wk != "" {
		if in.Weeks, err = strconv.Atoi(wk); err != nil {
			in.Weeks = -1 // refused by the service, naming the field
		}
	}
	b, err := s.fac.Request(withLang(r.Context(), requestLanguage(r)), in)
	if err == nil {
		http.Redirect(w, r, "/bookings/"+b.ID, http.StatusSeeOther)
		return nil
	}
	fe, status, ok := formProblem(err)
	if !ok {
		return err
	}
	d, derr := s.bookPageData(r, f)
	if derr != nil {
		return derr
	}
	d.Values, d.Errors = r.PostForm, fe
	return s.render(w, status, "facility_book", d)
}

// ---- bookings

type bookingsPage struct {
	layout
	Mine       []facilities.Booking
	ToDecide   []facilities.Booking // requested or waitlisted: waiting for the viewer's decision
	Approved   []facilities.Booking // coming bookings the viewer decided on or may still cancel
	OfOrg      []facilities.Booking
	Calendars  []facilities.CalendarToken
	Statuses   []string
	ShowOfOrgs bool
}

// bookingRows is a table of bookings with the page's localizer.
type bookingRows struct {
	L     *Localizer
	Items []facilities.Booking
}

// Rows hands a list of bookings to the table template.
func (p bookingsPage) Rows(items []facilities.Booking) bookingRows { return bookingRows{p.L, items} }

func (s *Server) pageBookings(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	d := bookingsPage{layout: s.layout(r, "title.bookings", "bookings"), Statuses: facilities.Statuses}
	var err error
	if d.Mine, err = s.fac.Bookings(ctx, facilities.RoleRequester, "", ""); err != nil {
		return err
	}
	all, err := s.fac.Bookings(ctx, facilities.RoleApprover, "", "")
	if err != nil {
		return err
	}
	for _, b := range all {
		switch {
		case b.Status == facilities.StatusRequested || b.Status == facilities.StatusWaitlisted:
			d.ToDecide = append(d.ToDecide, b)
		case facilities.Holds(b.Status) && b.EndsAt.After(s.fac.Now()):
			d.Approved = append(d.Approved, b)
		}
	}
	if v.OrgAdmin {
		d.ShowOfOrgs = true
		if d.OfOrg, err = s.fac.Bookings(ctx, facilities.RoleOrganisation, "", ""); err != nil {
			return err
		}
	}
	if d.Calendars, err = s.fac.Calendars(ctx); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "bookings", d)
}

type bookingPage struct {
	layout
	Booking  facilities.Booking
	Facility directory.Facility
	Local    string // start and end in the booking's zone
	Actions  []string
	Errors   []ProblemField
}

func (s *Server) bookingPageData(r *http.Request, bv facilities.BookingView) bookingPage {
	b, f := bv.Booking, bv.Facility
	return bookingPage{layout: s.layout(r, b.ResourceName+" · "+f.Name, "bookings"), Booking: b, Facility: f, Local: b.Local(), Actions: bv.Actions}
}

func (s *Server) pageBooking(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	bv, err := s.fac.Booking(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "booking", s.bookingPageData(r, bv))
}

func (s *Server) postBookingAction(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	_, err := s.fac.Act(withLang(r.Context(), requestLanguage(r)), r.PathValue("id"), r.PostForm.Get("action"), r.PostForm.Get("reason"))
	if err == nil {
		http.Redirect(w, r, "/bookings/"+r.PathValue("id"), http.StatusSeeOther)
		return nil
	}
	fe, status, ok := formProblem(err)
	if !ok {
		return err
	}
	bv, verr := s.fac.Booking(r.Context(), r.PathValue("id"))
	if verr != nil {
		return verr
	}
	d := s.bookingPageData(r, bv)
	d.Errors = fe
	return s.render(w, status, "booking", d)
}

// formProblem turns the error of a form's write into the field errors
// the form shows and its status: 422 for bad input, 409 for a conflict
// (a taken slot, a step the state does not allow).
func formProblem(err error) ([]ProblemField, int, bool) {
	if fe, ok := fieldErrors(err); ok {
		return fe, http.StatusUnprocessableEntity, true
	}
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		return fieldsOf(validate.Errors{{Field: ce.Field, Code: ce.Code}}), http.StatusConflict, true
	}
	return nil, 0, false
}

// ---- calendar addresses

type calendarPage struct {
	layout
	URL  string
	Name string
}

func (s *Server) postCalendar(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	nc, err := s.fac.CreateCalendar(r.Context(), CalendarInput{Kind: r.PostForm.Get("kind"), Target: r.PostForm.Get("target_id")})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, http.StatusOK, "booking_calendar", calendarPage{layout: s.layout(r, "title.calendar", "bookings"), URL: nc.URL, Name: nc.Calendar.Name})
}
