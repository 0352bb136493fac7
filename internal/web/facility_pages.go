package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// facilityExtras is what the facility page shows of bookings: the
// resources, and what the viewer may do.
type facilityExtras struct {
	Resources []facilities.Resource
	CanBook   bool
	CanManage bool
	Approver  bool
	Weekdays  []int
}

func (s *Server) facilityExtras(r *http.Request, f directory.Facility) (facilityExtras, error) {
	ctx := r.Context()
	x := facilityExtras{Weekdays: []int{1, 2, 3, 4, 5, 6, 0}}
	var err error
	if x.Resources, err = s.db.ListResources(ctx, f.ID); err != nil {
		return x, err
	}
	v := viewerFrom(ctx)
	x.CanBook = !v.Anonymous() && len(x.Resources) > 0
	if pf, err := s.facilityPolicy(ctx, f); err == nil {
		x.CanManage = access.CanEditOrganisationRecord(v, pf.Record)
	}
	x.Approver, err = s.mayApprove(ctx, f)
	return x, err
}

// ---- booking form

type bookPage struct {
	formPage
	Facility     directory.Facility
	Resources    []facilities.Resource
	Availability Availability
}

func (s *Server) bookPageData(r *http.Request, f directory.Facility) (bookPage, error) {
	d := bookPage{formPage: formPage{layout: s.layout(r, f.Name, "facilities")}, Facility: f}
	var err error
	if d.Resources, err = s.db.ListResources(r.Context(), f.ID); err != nil {
		return d, err
	}
	loc, err := schedule.Location(f.TimeZone)
	if err != nil {
		return d, err
	}
	from, to, _ := dayRange(url.Values{}, loc, s.fac.Now(), 14, 14)
	d.Availability, err = s.availability(r.Context(), f, from, to)
	return d, err
}

func (s *Server) pageBook(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	f, err := s.db.GetFacility(r.Context(), r.PathValue("slug"))
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
	f, err := s.db.GetFacility(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	participants, _ := strconv.Atoi(r.PostForm.Get("participants"))
	in := facilities.RequestInput{Resource: r.PostForm.Get("resource_id"), Organisation: r.PostForm.Get("organisation_id"), StartsAt: r.PostForm.Get("starts_at"), EndsAt: r.PostForm.Get("ends_at"),
		TimeZone: r.PostForm.Get("time_zone"), Purpose: r.PostForm.Get("purpose"), Participants: participants, Waitlist: r.PostForm.Get("waitlist") != ""}
	if res, err := s.db.GetResource(r.Context(), in.Resource); err == nil && res.FacilityID != f.ID {
		in.Resource = ""
	}
	b, err := s.requestBooking(withLang(r.Context(), requestLanguage(r)), in)
	if err == nil {
		http.Redirect(w, r, "/bookings/"+b.ID, http.StatusSeeOther)
		return nil
	}
	fe, ok := fieldErrors(err)
	var ce *store.ConflictError
	status := http.StatusUnprocessableEntity
	if !ok && errors.As(err, &ce) {
		fe, ok, status = fieldsOf(validateConflict(ce)), true, http.StatusConflict
	}
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
	ToDecide   []facilities.Booking
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
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	d := bookingsPage{layout: s.layout(r, "title.bookings", "bookings"), Statuses: facilities.Statuses}
	if d.Mine, err = s.bookingsFor(ctx, v, "requester", "", ""); err != nil {
		return err
	}
	all, err := s.bookingsFor(ctx, v, "approver", "", "")
	if err != nil {
		return err
	}
	for _, b := range all {
		if b.Status == facilities.StatusRequested || b.Status == facilities.StatusWaitlisted || (facilities.Holds(b.Status) && b.EndsAt.After(s.fac.Now())) {
			d.ToDecide = append(d.ToDecide, b)
		}
	}
	if v.OrgAdmin {
		d.ShowOfOrgs = true
		if d.OfOrg, err = s.bookingsFor(ctx, v, "organisation", "", ""); err != nil {
			return err
		}
	}
	if d.Calendars, err = s.db.ListCalendarTokens(ctx, u.ID); err != nil {
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

func (s *Server) bookingPageData(r *http.Request, b facilities.Booking, f directory.Facility, approver bool) bookingPage {
	d := bookingPage{layout: s.layout(r, b.ResourceName+" · "+f.Name, "bookings"), Booking: b, Facility: f}
	if loc, err := schedule.Location(b.TimeZone); err == nil {
		d.Local = b.StartsAt.In(loc).Format("2006-01-02 15:04") + " – " + b.EndsAt.In(loc).Format("2006-01-02 15:04")
	}
	v := viewerFrom(r.Context())
	for _, a := range facilities.Actions {
		if facilities.Allowed(a, b.Status) && mayAct(v, a, b, approver) == nil {
			d.Actions = append(d.Actions, a)
		}
	}
	return d
}

func (s *Server) pageBooking(w http.ResponseWriter, r *http.Request) error {
	b, f, approver, err := s.visibleBooking(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "booking", s.bookingPageData(r, b, f, approver))
}

func (s *Server) postBookingAction(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	_, err := s.act(r, r.PathValue("id"), r.PostForm.Get("action"), r.PostForm.Get("reason"))
	if err == nil {
		http.Redirect(w, r, "/bookings/"+r.PathValue("id"), http.StatusSeeOther)
		return nil
	}
	fe, ok := fieldErrors(err)
	var ce *store.ConflictError
	status := http.StatusUnprocessableEntity
	if !ok && errors.As(err, &ce) {
		fe, ok, status = fieldsOf(validateConflict(ce)), true, http.StatusConflict
	}
	if !ok {
		return err
	}
	b, f, approver, verr := s.visibleBooking(r.Context(), r.PathValue("id"))
	if verr != nil {
		return verr
	}
	d := s.bookingPageData(r, b, f, approver)
	d.Errors = fe
	return s.render(w, status, "booking", d)
}

// ---- usage

// usageChart is a bar chart of use by month, drawn as SVG by the
// template: one bar of available hours per month, with the booked hours
// stacked inside it by the booking organisation's cluster.
type usageChart struct {
	Width, Height int
	Months        []chartMonth
	Legend        []chartKey
	Max           float64
	AxisY         int
}

type chartMonth struct {
	Label          string
	X, Width       int
	LabelY         int
	AvailY, AvailH int
	Available      float64
	Booked         float64
	Segments       []chartSegment
}

type chartSegment struct {
	Y, H    int
	Fill    string
	Cluster string
	Hours   float64
}

type chartKey struct {
	Fill, Name string
	Home       bool
}

// palette colours the clusters: the home cluster first, then others, all
// distinguishable for colour-blind readers (Okabe–Ito).
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

func buildChart(u facilities.Usage) usageChart {
	c := usageChart{Width: 720, Height: 260, AxisY: 230}
	// Clusters in order: home ones, then by hours.
	total := map[string]float64{}
	for _, m := range u.Months {
		for id, h := range m.ByCluster {
			total[id] += h
		}
		c.Max = max(c.Max, m.AvailableHours, m.BookedHours)
	}
	ids := make([]string, 0, len(total))
	for id := range total {
		ids = append(ids, id)
	}
	home := func(id string) bool {
		for _, h := range u.HomeClusters {
			if h == id {
				return true
			}
		}
		return false
	}
	sort.Slice(ids, func(i, j int) bool {
		if home(ids[i]) != home(ids[j]) {
			return home(ids[i])
		}
		return total[ids[i]] > total[ids[j]]
	})
	fill := map[string]string{}
	for i, id := range ids {
		fill[id] = palette[i%len(palette)]
		name := u.Clusters[id]
		if name == "" {
			name = "?"
		}
		c.Legend = append(c.Legend, chartKey{Fill: fill[id], Name: name, Home: home(id)})
	}
	if c.Max == 0 {
		c.Max = 1
	}
	n := max(len(u.Months), 1)
	slot := (c.Width - 60) / n
	scale := func(h float64) int { return int(h / c.Max * 200) }
	for i, m := range u.Months {
		t, _ := time.Parse("2006-01", m.Month)
		cm := chartMonth{Label: t.Format("01/06"), X: 50 + i*slot + slot/8, Width: slot * 3 / 4, Available: m.AvailableHours, Booked: m.BookedHours}
		cm.LabelY = c.AxisY + 18
		cm.AvailH = scale(m.AvailableHours)
		cm.AvailY = c.AxisY - cm.AvailH
		y := c.AxisY
		for _, id := range ids {
			h := m.ByCluster[id]
			if h == 0 {
				continue
			}
			px := max(scale(h), 1)
			y -= px
			cm.Segments = append(cm.Segments, chartSegment{Y: y, H: px, Fill: fill[id], Cluster: u.Clusters[id], Hours: h})
		}
		c.Months = append(c.Months, cm)
	}
	return c
}

type usagePage struct {
	layout
	Subject    string
	SubjectURL string
	CSVURL     string
	Usage      facilities.Usage
	Chart      usageChart
	AcrossPct  int
}

func (s *Server) renderUsage(w http.ResponseWriter, r *http.Request, name, subjectURL, csvURL string, u facilities.Usage) error {
	d := usagePage{layout: s.layout(r, name, "facilities"), Subject: name, SubjectURL: subjectURL, CSVURL: csvURL, Usage: u,
		Chart: buildChart(u), AcrossPct: int(u.AcrossClusters*100 + 0.5)}
	if q := r.URL.Query(); len(q) > 0 {
		d.CSVURL += "?" + q.Encode()
	}
	return s.render(w, http.StatusOK, "facility_usage", d)
}

func (s *Server) pageFacilityUsage(w http.ResponseWriter, r *http.Request) error {
	f, u, err := s.facilityUsage(r, r.Context())
	if err != nil {
		return err
	}
	return s.renderUsage(w, r, f.Name, "/facilities/"+f.Slug, "/api/v1/facilities/"+f.ID+"/usage.csv", u)
}

func (s *Server) pageClusterUsage(w http.ResponseWriter, r *http.Request) error {
	c, u, err := s.clusterUsage(r, r.Context())
	if err != nil {
		return err
	}
	return s.renderUsage(w, r, c.Name, "/clusters/"+c.Slug, "/api/v1/clusters/"+c.ID+"/usage.csv", u)
}

// ---- free slots

type slotsPage struct {
	layout
	Values       url.Values
	Searched     bool
	Slots        []facilities.Slot
	Errors       []ProblemField
	Kinds        []string
	Places       []string
	Capabilities []directory.Capability
}

func (f slotsPage) Value(name string) string { return f.Values.Get(name) }

func (s *Server) pageSlots(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for k, v := range q {
		if len(v) == 1 && v[0] == "" {
			q.Del(k)
		}
	}
	d := slotsPage{layout: s.layout(r, "title.slots", "facilities"), Values: q, Kinds: directory.FacilityKinds, Places: facilities.Places()}
	var err error
	if _, d.Capabilities, err = s.capabilityMap(r); err != nil {
		return err
	}
	if len(q) == 0 {
		return s.render(w, http.StatusOK, "slots", d)
	}
	d.Searched = true
	ss, errs := parseSlotSearch(q, s.fac.Now())
	if len(errs) > 0 {
		d.Errors = fieldsOf(errs)
		return s.render(w, http.StatusBadRequest, "slots", d)
	}
	if d.Slots, err = s.searchSlots(r.Context(), ss); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "slots", d)
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
	nc, err := s.createCalendar(r.Context(), CalendarInput{Kind: r.PostForm.Get("kind"), Target: r.PostForm.Get("target_id")})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, http.StatusOK, "booking_calendar", calendarPage{layout: s.layout(r, "title.calendar", "bookings"), URL: nc.URL, Name: nc.Calendar.Name})
}

// validateConflict turns a conflict into the field error a form shows.
func validateConflict(ce *store.ConflictError) validate.Errors {
	return validate.Errors{{Field: ce.Field, Code: ce.Code}}
}

// Euros writes an amount of euro cents as euros with two decimals.
func (facilityExtras) Euros(cents int64) string {
	return strconv.FormatInt(cents/100, 10) + "." + fmt.Sprintf("%02d", cents%100)
}
