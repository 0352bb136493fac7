package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/csvexport"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// ---- inputs and outputs

// ResourceInput is the writable part of a resource.
type ResourceInput struct {
	Slug          string               `json:"slug"`
	Name          string               `json:"name"`
	Kind          string               `json:"kind"`
	Description   string               `json:"description"`
	Capacity      int                  `json:"capacity"`
	Approval      string               `json:"approval"`
	MinMinutes    int                  `json:"min_minutes"`
	MaxMinutes    int                  `json:"max_minutes"`
	LeadMinutes   int                  `json:"lead_minutes"`
	BufferMinutes int                  `json:"buffer_minutes"`
	OpeningHours  []facilities.Opening `json:"opening_hours"`
	Quotas        []facilities.Quota   `json:"quotas"`
	Active        *bool                `json:"active"`
}

func (in ResourceInput) resource(id string) *facilities.Resource {
	r := &facilities.Resource{ID: id, Slug: in.Slug, Name: in.Name, Kind: in.Kind, Description: in.Description, Capacity: in.Capacity,
		Approval: in.Approval, MinMinutes: in.MinMinutes, MaxMinutes: in.MaxMinutes, LeadMinutes: in.LeadMinutes, BufferMinutes: in.BufferMinutes,
		OpeningHours: in.OpeningHours, Quotas: in.Quotas, Active: true}
	if in.Active != nil {
		r.Active = *in.Active
	}
	return r
}

// ResourceList is a facility's resources.
type ResourceList struct {
	Items []facilities.Resource `json:"items"`
}

// ApproversInput names a facility's approvers by e-mail address.
type ApproversInput struct {
	Approvers []string `json:"approvers"`
}

// ApproverList is a facility's named approvers.
type ApproverList struct {
	Items []facilities.Approver `json:"items"`
}

// ActionInput is the body of a step on a booking.
type ActionInput struct {
	Reason string `json:"reason"`
}

// BookingList is a list of bookings.
type BookingList struct {
	Items []facilities.Booking `json:"items"`
}

// ResourceAvailability is one resource's time: when it is open, and the
// parts of that which blackouts and bookings take.
type ResourceAvailability struct {
	ResourceID   string                `json:"resource_id"`
	ResourceName string                `json:"resource_name"`
	Open         []facilities.Interval `json:"open"`
	Busy         []facilities.Interval `json:"busy"`
	Blackouts    []facilities.Blackout `json:"blackouts"`
}

// Availability is a facility's time between two days.
type Availability struct {
	FacilityID string                 `json:"facility_id"`
	TimeZone   string                 `json:"time_zone"`
	From       time.Time              `json:"from"`
	To         time.Time              `json:"to"`
	Resources  []ResourceAvailability `json:"resources"`
}

// SlotList is the result of a search for free slots.
type SlotList struct {
	Items []facilities.Slot `json:"items"`
	Total int               `json:"total"`
}

// CalendarInput asks for a secret calendar feed address.
type CalendarInput struct {
	Kind   string `json:"kind"`
	Target string `json:"target_id"`
	Name   string `json:"name"`
}

// NewCalendar is a created feed with its address, shown once.
type NewCalendar struct {
	Calendar facilities.CalendarToken `json:"calendar"`
	URL      string                   `json:"url"`
}

// CalendarList is the user's feeds.
type CalendarList struct {
	Items []facilities.CalendarToken `json:"items"`
}

// ---- policy helpers

func (s *Server) facilityPolicy(ctx context.Context, f directory.Facility) (access.Facility, error) {
	rec, err := s.orgRecord(ctx, f.OrganisationID, f.Visibility, f.TLP)
	return access.Facility{Record: rec, ID: f.ID, ClusterID: f.ClusterID}, err
}

// mayChangeFacility checks the right to change facility f's resources,
// blackouts and approvers: the right to change the facility.
func (s *Server) mayChangeFacility(ctx context.Context, f directory.Facility) error {
	pf, err := s.facilityPolicy(ctx, f)
	if err != nil {
		return err
	}
	if v := viewerFrom(ctx); !access.CanEditOrganisationRecord(v, pf.Record) {
		return errForbidden(v)
	}
	return nil
}

// mayApprove reports whether the viewer decides on f's bookings.
func (s *Server) mayApprove(ctx context.Context, f directory.Facility) (bool, error) {
	v := viewerFrom(ctx)
	if v.Anonymous() {
		return false, nil
	}
	pf, err := s.facilityPolicy(ctx, f)
	if err != nil {
		return false, err
	}
	named, err := s.db.IsNamedApprover(ctx, f.ID, v.UserID)
	if err != nil {
		return false, err
	}
	return access.CanApproveBookings(v, pf, named), nil
}

// visibleBooking returns a booking the viewer may see, with its facility
// and whether the viewer decides on it; others get 404.
func (s *Server) visibleBooking(ctx context.Context, id string) (facilities.Booking, directory.Facility, bool, error) {
	v := viewerFrom(ctx)
	if v.Anonymous() {
		return facilities.Booking{}, directory.Facility{}, false, errUnauthorized("Sign in (or send an API token) to see bookings.")
	}
	b, err := s.db.GetBooking(ctx, id)
	if err != nil {
		return b, directory.Facility{}, false, err
	}
	f, err := s.db.GetFacility(ctx, b.FacilityID)
	if err != nil {
		return b, f, false, err
	}
	approver, err := s.mayApprove(ctx, f)
	if err != nil {
		return b, f, false, err
	}
	if !access.CanSeeBooking(v, party(b), approver) {
		return b, f, false, fmt.Errorf("booking %q: %w", id, store.ErrNotFound)
	}
	return b, f, approver, nil
}

func party(b facilities.Booking) access.BookingParty {
	return access.BookingParty{RequesterID: b.RequesterID, OrganisationID: b.OrganisationID}
}

// mayAct checks the viewer's right to take action on booking b.
func mayAct(v access.Viewer, action string, b facilities.Booking, approver bool) error {
	ok := false
	switch action {
	case facilities.ActionApprove, facilities.ActionDecline, facilities.ActionComplete:
		ok = approver
	case facilities.ActionConfirm:
		ok = access.CanConfirmOrCancel(v, party(b))
	case facilities.ActionCancel:
		ok = approver || access.CanConfirmOrCancel(v, party(b))
	}
	if !ok || !v.WriteAllowed {
		return errForbidden(v)
	}
	return nil
}

// ---- resources, blackouts, approvers

func (s *Server) apiListResources(w http.ResponseWriter, r *http.Request) error {
	f, err := s.db.GetFacility(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	rs, err := s.db.ListResources(r.Context(), f.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ResourceList{Items: rs})
}

func (s *Server) apiCreateResource(w http.ResponseWriter, r *http.Request) error {
	f, err := s.db.GetFacility(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.mayChangeFacility(r.Context(), f); err != nil {
		return err
	}
	var in ResourceInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	res := in.resource("")
	if err := s.fac.CreateResource(r.Context(), f.ID, res); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/resources/"+res.ID)
	return writeJSON(w, http.StatusCreated, res)
}

func (s *Server) apiUpdateResource(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.db.GetResource(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := s.db.GetFacility(r.Context(), cur.FacilityID)
	if err != nil {
		return err
	}
	if err := s.mayChangeFacility(r.Context(), f); err != nil {
		return err
	}
	var in ResourceInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	res := in.resource(cur.ID)
	if err := s.fac.UpdateResource(r.Context(), res); err != nil {
		return err
	}
	updated, err := s.db.GetResource(r.Context(), cur.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, updated)
}

func (s *Server) apiCreateBlackout(w http.ResponseWriter, r *http.Request) error {
	f, err := s.db.GetFacility(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.mayChangeFacility(r.Context(), f); err != nil {
		return err
	}
	var in facilities.BlackoutInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := s.fac.CreateBlackout(r.Context(), f, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/blackouts/"+b.ID)
	return writeJSON(w, http.StatusCreated, b)
}

func (s *Server) apiDeleteBlackout(w http.ResponseWriter, r *http.Request) error {
	b, err := s.db.GetBlackout(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := s.db.GetFacility(r.Context(), b.FacilityID)
	if err != nil {
		return err
	}
	if err := s.mayChangeFacility(r.Context(), f); err != nil {
		return err
	}
	if err := s.db.DeleteBlackout(r.Context(), b.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiListApprovers(w http.ResponseWriter, r *http.Request) error {
	f, err := s.db.GetFacility(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	// Who approves is known to those who decide with them.
	if ok, err := s.mayApprove(r.Context(), f); err != nil {
		return err
	} else if !ok {
		return errForbidden(viewerFrom(r.Context()))
	}
	list, err := s.db.ListApprovers(r.Context(), f.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ApproverList{Items: list})
}

func (s *Server) apiSetApprovers(w http.ResponseWriter, r *http.Request) error {
	f, err := s.db.GetFacility(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.mayChangeFacility(r.Context(), f); err != nil {
		return err
	}
	var in ApproversInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.fac.SetApprovers(r.Context(), f, in.Approvers); err != nil {
		return err
	}
	list, err := s.db.ListApprovers(r.Context(), f.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ApproverList{Items: list})
}

// ---- availability

// dayRange reads from and to (YYYY-MM-DD, local days of loc) with
// defaults, refusing spans longer than maxDays.
func dayRange(q url.Values, loc *time.Location, now time.Time, defDays, maxDays int) (time.Time, time.Time, validate.Errors) {
	var errs validate.Errors
	l := now.In(loc)
	from := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	to := from.AddDate(0, 0, defDays)
	if v := q.Get("from"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			errs.Add("from", validate.InvalidDate)
		}
		from = t
		if q.Get("to") == "" {
			to = from.AddDate(0, 0, defDays)
		}
	}
	if v := q.Get("to"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			errs.Add("to", validate.InvalidDate)
		}
		to = t.AddDate(0, 0, 1) // inclusive
	}
	if len(errs) == 0 && !to.After(from) {
		errs.Add("to", schedule.NotAfterStart)
	}
	if len(errs) == 0 && to.Sub(from) > time.Duration(maxDays)*24*time.Hour {
		errs.Add("to", validate.InvalidChoice, "choices", fmt.Sprintf("at most %d days after from", maxDays))
	}
	return from, to, errs
}

func onlyParams(q url.Values, allowed ...string) validate.Errors {
	var errs validate.Errors
	for k := range q {
		if !slices.Contains(allowed, k) {
			errs.Add(k, validate.UnknownField)
		}
	}
	return errs
}

func (s *Server) availability(ctx context.Context, f directory.Facility, from, to time.Time) (Availability, error) {
	a := Availability{FacilityID: f.ID, TimeZone: f.TimeZone, From: from.UTC(), To: to.UTC(), Resources: []ResourceAvailability{}}
	loc, err := schedule.Location(f.TimeZone)
	if err != nil {
		return a, err
	}
	rs, err := s.db.ListResources(ctx, f.ID)
	if err != nil {
		return a, err
	}
	blackouts, err := s.db.ListBlackouts(ctx, f.ID, from, to)
	if err != nil {
		return a, err
	}
	bookings, err := s.db.ListBookings(ctx, facilities.Filter{FacilityID: f.ID, From: from, To: to, Limit: 5000})
	if err != nil {
		return a, err
	}
	for _, r := range rs {
		ra := ResourceAvailability{ResourceID: r.ID, ResourceName: r.Name, Open: orNone(schedule.OpenIntervals(r.OpeningHours, loc, from, to)),
			Busy: []facilities.Interval{}, Blackouts: []facilities.Blackout{}}
		if !r.Active {
			ra.Open = []facilities.Interval{}
		}
		for _, b := range bookings {
			if b.ResourceID == r.ID && facilities.Holds(b.Status) {
				ra.Busy = append(ra.Busy, facilities.Interval{Start: b.StartsAt, End: b.EndsAt})
			}
		}
		for _, bo := range blackouts {
			if bo.ResourceID == "" || bo.ResourceID == r.ID {
				ra.Blackouts = append(ra.Blackouts, bo)
			}
		}
		a.Resources = append(a.Resources, ra)
	}
	return a, nil
}

func orNone(iv []facilities.Interval) []facilities.Interval {
	if iv == nil {
		return []facilities.Interval{}
	}
	return iv
}

func (s *Server) apiAvailability(w http.ResponseWriter, r *http.Request) error {
	f, err := s.db.GetFacility(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	loc, err := schedule.Location(f.TimeZone)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	errs := onlyParams(q, "from", "to")
	from, to, derrs := dayRange(q, loc, s.fac.Now(), 14, 92)
	if errs = append(errs, derrs...); len(errs) > 0 {
		return errBadRequest("Invalid query parameters.", errs)
	}
	a, err := s.availability(r.Context(), f, from, to)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

// ---- bookings

func (s *Server) apiListBookings(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	if v.Anonymous() {
		return errUnauthorized("Sign in (or send an API token) to see bookings.")
	}
	q := r.URL.Query()
	if errs := onlyParams(q, "role", "status", "facility"); len(errs) > 0 {
		return errBadRequest("Unknown query parameters.", errs)
	}
	var errs validate.Errors
	role := q.Get("role")
	if role == "" {
		role = "requester"
	}
	errs.Choice("role", role, true, "requester", "approver", "organisation")
	errs.Choice("status", q.Get("status"), false, facilities.Statuses...)
	if len(errs) > 0 {
		return errBadRequest("Invalid query parameters.", errs)
	}
	list, err := s.bookingsFor(r.Context(), v, role, q.Get("status"), q.Get("facility"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, BookingList{Items: list})
}

// bookingsFor lists the bookings v made (requester), may decide on
// (approver) or, as an administrator, of v's organisation.
func (s *Server) bookingsFor(ctx context.Context, v access.Viewer, role, status, facility string) ([]facilities.Booking, error) {
	f := facilities.Filter{Status: status, Limit: 1000}
	if facility != "" {
		fac, err := s.db.GetFacility(ctx, facility)
		if errors.Is(err, store.ErrNotFound) {
			return []facilities.Booking{}, nil
		} else if err != nil {
			return nil, err
		}
		f.FacilityID = fac.ID
	}
	switch role {
	case "approver":
		ids, err := s.db.ApprovableFacilities(ctx, v)
		if err != nil {
			return nil, err
		}
		f.FacilityIDs = ids
	case "organisation":
		if !v.OrgAdmin && !v.AllianceAdmin {
			return []facilities.Booking{}, nil
		}
		if v.OrganisationID == "" {
			return []facilities.Booking{}, nil
		}
		f.Organisation = v.OrganisationID
	default:
		f.RequesterID = v.UserID
	}
	return s.db.ListBookings(ctx, f)
}

func (s *Server) apiGetBooking(w http.ResponseWriter, r *http.Request) error {
	b, _, _, err := s.visibleBooking(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

// requestBooking checks the right to book and books.
func (s *Server) requestBooking(ctx context.Context, in facilities.RequestInput) (facilities.Booking, error) {
	v := viewerFrom(ctx)
	if v.Anonymous() {
		return facilities.Booking{}, errUnauthorized("Sign in (or send an API token) to book.")
	}
	var errs validate.Errors
	if in.Resource == "" {
		errs.Add("resource_id", validate.Required)
	}
	if in.Organisation == "" {
		in.Organisation = v.OrganisationID
	}
	if in.Organisation == "" {
		errs.Add("organisation_id", validate.Required)
	}
	if len(errs) > 0 {
		return facilities.Booking{}, errs
	}
	res, err := s.db.GetResource(ctx, in.Resource)
	if errors.Is(err, store.ErrNotFound) {
		return facilities.Booking{}, validate.Errors{{Field: "resource_id", Code: validate.NotFound}}
	} else if err != nil {
		return facilities.Booking{}, err
	}
	f, err := s.db.GetFacility(ctx, res.FacilityID)
	if err != nil {
		return facilities.Booking{}, err
	}
	org, err := s.db.GetOrganisation(system(ctx), in.Organisation)
	if errors.Is(err, store.ErrNotFound) {
		return facilities.Booking{}, validate.Errors{{Field: "organisation_id", Code: validate.NotFound}}
	} else if err != nil {
		return facilities.Booking{}, err
	}
	if !access.CanBook(v, org.ID, recordOf(org, "", "").OwnerClusters) {
		if v.WriteAllowed && org.ID != v.OrganisationID {
			return facilities.Booking{}, validate.Errors{{Field: "organisation_id", Code: facilities.BookingOrganisation}}
		}
		return facilities.Booking{}, errForbidden(v)
	}
	b, _, err := s.fac.Request(ctx, f, res, org, v.UserID, in)
	return b, err
}

func (s *Server) apiCreateBooking(w http.ResponseWriter, r *http.Request) error {
	if v := viewerFrom(r.Context()); v.Anonymous() {
		return errUnauthorized("Sign in (or send an API token) to book.")
	}
	var in facilities.RequestInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := s.requestBooking(withLang(r.Context(), requestLanguage(r)), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/bookings/"+b.ID)
	return writeJSON(w, http.StatusCreated, b)
}

// act takes action on booking id for the request's viewer.
func (s *Server) act(r *http.Request, id, action, reason string) (facilities.Booking, error) {
	ctx := withLang(r.Context(), requestLanguage(r))
	b, f, approver, err := s.visibleBooking(ctx, id)
	if err != nil {
		return b, err
	}
	v := viewerFrom(ctx)
	if err := mayAct(v, action, b, approver); err != nil {
		return b, err
	}
	nb, _, err := s.fac.Act(ctx, f, b.ID, action, v.UserID, reason)
	return nb, err
}

func (s *Server) apiBookingAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if v := viewerFrom(r.Context()); v.Anonymous() {
			return errUnauthorized("Sign in (or send an API token) to do this.")
		}
		var in ActionInput
		if r.ContentLength != 0 {
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
		}
		b, err := s.act(r, r.PathValue("id"), action, in.Reason)
		if err != nil {
			return err
		}
		full, err := s.db.GetBooking(r.Context(), b.ID)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, full)
	}
}

// ---- free slots

// slotSearch is a parsed search for free slots.
type slotSearch struct {
	Filter    directory.Filter
	Near      string
	Lat, Lon  *float64
	WithinKm  float64
	Query     facilities.SlotQuery
	Limit     int
	FromInput string
	ToInput   string
	Length    string
}

func parseSlotSearch(q url.Values, now time.Time) (slotSearch, validate.Errors) {
	var errs validate.Errors
	errs = append(errs, onlyParams(q, "kind", "capability", "cluster", "country", "near", "lat", "lon", "within_km", "from", "to", "duration", "days", "limit")...)
	ss := slotSearch{Filter: directory.Filter{Kind: q.Get("kind"), Capability: q.Get("capability"), Cluster: q.Get("cluster"), Country: q.Get("country")},
		Near: strings.TrimSpace(q.Get("near")), Limit: 20, FromInput: q.Get("from"), ToInput: q.Get("to"), Length: q.Get("duration")}
	errs.Choice("kind", ss.Filter.Kind, false, directory.FacilityKinds...)
	num := func(field string) *float64 {
		v := q.Get(field)
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs.Add(field, validate.WrongType, "expected", "number")
			return nil
		}
		return &f
	}
	ss.Lat, ss.Lon = num("lat"), num("lon")
	if ss.Near != "" {
		p, ok := facilities.LookupPlace(ss.Near)
		if !ok {
			errs.Add("near", validate.InvalidChoice, "choices", strings.Join(facilities.Places(), ", "))
		} else {
			ss.Lat, ss.Lon = &p.Latitude, &p.Longitude
		}
	}
	if (ss.Lat == nil) != (ss.Lon == nil) {
		errs.Add("lon", validate.Required)
	}
	if ss.Lat != nil && (*ss.Lat < -90 || *ss.Lat > 90) {
		errs.Add("lat", validate.InvalidChoice, "choices", "-90..90")
	}
	if ss.Lon != nil && (*ss.Lon < -180 || *ss.Lon > 180) {
		errs.Add("lon", validate.InvalidChoice, "choices", "-180..180")
	}
	if km := num("within_km"); km != nil {
		if *km <= 0 || *km > 5000 {
			errs.Add("within_km", validate.InvalidChoice, "choices", "1..5000")
		} else if ss.Lat == nil {
			errs.Add("near", validate.Required)
		} else {
			ss.WithinKm = *km
		}
	}
	from, to, derrs := dayRange(q, time.UTC, now, 31, 366)
	errs = append(errs, derrs...)
	ss.Query.From, ss.Query.To = from, to
	switch d := q.Get("days"); {
	case d != "" && ss.Length != "":
		errs.Add("days", validate.InvalidChoice, "choices", "days or duration, not both")
	case d != "":
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 31 {
			errs.Add("days", validate.InvalidChoice, "choices", "1..31")
		}
		ss.Query.Days = n
	case ss.Length != "":
		l, ok := schedule.ParseLength(ss.Length)
		if !ok {
			errs.Add("duration", schedule.InvalidDuration)
		}
		ss.Query.Length = l
	default:
		ss.Query.Length = 2 * time.Hour
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			errs.Add("limit", validate.InvalidChoice, "choices", "1..100")
		}
		ss.Limit = n
	}
	if f, err := directory.NormalizeFilter(ss.Filter); err != nil {
		var ve validate.Errors
		errors.As(err, &ve)
		errs = append(errs, ve...)
	} else {
		ss.Filter = f
	}
	return ss, errs
}

// searchSlots finds free slots across the facilities the viewer may see.
func (s *Server) searchSlots(ctx context.Context, ss slotSearch) ([]facilities.Slot, error) {
	now := s.fac.Now()
	f := ss.Filter
	f.Limit = directory.MaxListLimit
	var out []facilities.Slot
	for {
		p, err := s.db.ListFacilities(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, fac := range p.Items {
			var dist *float64
			if ss.Lat != nil {
				if fac.Latitude == nil {
					if ss.WithinKm > 0 {
						continue
					}
				} else {
					d := facilities.DistanceKm(*ss.Lat, *ss.Lon, *fac.Latitude, *fac.Longitude)
					if ss.WithinKm > 0 && d > ss.WithinKm {
						continue
					}
					d = float64(int(d*10+0.5)) / 10
					dist = &d
				}
			}
			rs, err := s.db.ListResources(ctx, fac.ID)
			if err != nil {
				return nil, err
			}
			if len(rs) == 0 {
				continue
			}
			q := ss.Query
			blackouts, err := s.db.ListBlackouts(ctx, fac.ID, q.From.Add(-24*time.Hour), q.To.Add(48*time.Hour))
			if err != nil {
				return nil, err
			}
			bookings, err := s.db.ListBookings(ctx, facilities.Filter{FacilityID: fac.ID, From: q.From.Add(-24 * time.Hour), To: q.To.Add(48 * time.Hour), Limit: 5000})
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				for _, sl := range facilities.FreeSlots(fac, r, blackouts, bookings, q, now) {
					sl.DistanceKm = dist
					out = append(out, sl)
				}
			}
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].StartsAt.Equal(out[j].StartsAt) {
			return out[i].StartsAt.Before(out[j].StartsAt)
		}
		di, dj := 0.0, 0.0
		if out[i].DistanceKm != nil {
			di = *out[i].DistanceKm
		}
		if out[j].DistanceKm != nil {
			dj = *out[j].DistanceKm
		}
		return di < dj
	})
	if len(out) > ss.Limit {
		out = out[:ss.Limit]
	}
	if out == nil {
		out = []facilities.Slot{}
	}
	return out, nil
}

func (s *Server) apiSearchSlots(w http.ResponseWriter, r *http.Request) error {
	ss, errs := parseSlotSearch(r.URL.Query(), s.fac.Now())
	if len(errs) > 0 {
		return errBadRequest("Invalid query parameters.", errs)
	}
	slots, err := s.searchSlots(r.Context(), ss)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, SlotList{Items: slots, Total: len(slots)})
}

// ---- usage

// monthRange reads from and to (YYYY-MM) with defaults: the last five
// months to six ahead.
func monthRange(q url.Values, now time.Time) (time.Time, time.Time, validate.Errors) {
	errs := onlyParams(q, "from", "to")
	m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	from, to := m.AddDate(0, -5, 0), m.AddDate(0, 6, 0)
	for _, p := range []struct {
		field string
		t     *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := q.Get(p.field); v != "" {
			t, err := time.Parse("2006-01", v)
			if err != nil {
				errs.Add(p.field, validate.InvalidFormat)
				continue
			}
			*p.t = t
		}
	}
	if len(errs) == 0 && to.Before(from) {
		errs.Add("to", schedule.NotAfterStart)
	}
	if len(errs) == 0 && to.Sub(from) > 3*366*24*time.Hour {
		errs.Add("to", validate.InvalidChoice, "choices", "at most 36 months after from")
	}
	return from, to, errs
}

func (s *Server) facilityData(ctx context.Context, f directory.Facility, from, to time.Time) (facilities.FacilityData, error) {
	d := facilities.FacilityData{Facility: f}
	var err error
	lo, hi := from.AddDate(0, 0, -1), to.AddDate(0, 1, 1)
	if d.Resources, err = s.db.ListResources(ctx, f.ID); err != nil {
		return d, err
	}
	if d.Blackouts, err = s.db.ListBlackouts(ctx, f.ID, lo, hi); err != nil {
		return d, err
	}
	d.Bookings, err = s.db.ListBookings(ctx, facilities.Filter{FacilityID: f.ID, From: lo, To: hi, Limit: 5000})
	return d, err
}

// usageOf computes the use of the given facilities, naming the clusters.
func (s *Server) usageOf(ctx context.Context, facs []directory.Facility, from, to time.Time) (facilities.Usage, error) {
	var data []facilities.FacilityData
	for _, f := range facs {
		d, err := s.facilityData(ctx, f, from, to)
		if err != nil {
			return facilities.Usage{}, err
		}
		data = append(data, d)
	}
	u := facilities.ComputeUsage(data, from, to)
	clusters, err := s.db.ListClusters(ctx, directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	if err != nil {
		return u, err
	}
	for _, c := range clusters.Items {
		u.Clusters[c.ID] = c.Name
	}
	return u, nil
}

func (s *Server) facilityUsage(r *http.Request, ctx context.Context) (directory.Facility, facilities.Usage, error) {
	f, err := s.db.GetFacility(ctx, r.PathValue(pathKeyOf(r)))
	if err != nil {
		return f, facilities.Usage{}, err
	}
	from, to, errs := monthRange(r.URL.Query(), s.fac.Now())
	if len(errs) > 0 {
		return f, facilities.Usage{}, errBadRequest("Invalid query parameters.", errs)
	}
	u, err := s.usageOf(ctx, []directory.Facility{f}, from, to)
	return f, u, err
}

func pathKeyOf(r *http.Request) string {
	if r.PathValue("slug") != "" {
		return "slug"
	}
	return "id"
}

func (s *Server) clusterUsage(r *http.Request, ctx context.Context) (directory.Cluster, facilities.Usage, error) {
	c, err := s.db.GetCluster(ctx, r.PathValue(pathKeyOf(r)))
	if err != nil {
		return c, facilities.Usage{}, err
	}
	from, to, errs := monthRange(r.URL.Query(), s.fac.Now())
	if len(errs) > 0 {
		return c, facilities.Usage{}, errBadRequest("Invalid query parameters.", errs)
	}
	facs, err := s.db.ListFacilities(ctx, directory.Filter{Cluster: c.ID, Limit: directory.MaxListLimit})
	if err != nil {
		return c, facilities.Usage{}, err
	}
	u, err := s.usageOf(ctx, facs.Items, from, to)
	return c, u, err
}

func (s *Server) apiFacilityUsage(w http.ResponseWriter, r *http.Request) error {
	_, u, err := s.facilityUsage(r, r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

func (s *Server) apiClusterUsage(w http.ResponseWriter, r *http.Request) error {
	_, u, err := s.clusterUsage(r, r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

// writeUsageCSV writes one row per month and booking cluster; a month
// without bookings has one row without a cluster.
func writeUsageCSV(w http.ResponseWriter, name string, u facilities.Usage) error {
	cw := csvexport.ForDownload(w, "escnet-usage-"+name+".csv")
	cw.Write("month", "available_hours", "booked_hours", "cluster_id", "cluster_name", "cluster_hours", "other_cluster")
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
	for _, m := range u.Months {
		row := []string{m.Month, num(m.AvailableHours), num(m.BookedHours)}
		if len(m.ByCluster) == 0 {
			cw.Write(append(row, "", "", "0.0", "")...)
			continue
		}
		ids := make([]string, 0, len(m.ByCluster))
		for id := range m.ByCluster {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			other := strconv.FormatBool(!slices.Contains(u.HomeClusters, id))
			cw.Write(append(slices.Clone(row), id, u.Clusters[id], num(m.ByCluster[id]), other)...)
		}
	}
	return cw.Flush()
}

// bulk is the request's context for an export: RED records never appear.
func bulk(r *http.Request) context.Context {
	return access.WithScope(r.Context(), access.ScopeFrom(r.Context()).ForBulk())
}

func (s *Server) apiFacilityUsageCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := bulk(r)
	f, u, err := s.facilityUsage(r, ctx)
	if err != nil {
		return err
	}
	if err := s.db.Audit(ctx, "export.usage", "facility", f.ID, r.URL.RawQuery); err != nil {
		return err
	}
	return writeUsageCSV(w, f.Slug, u)
}

func (s *Server) apiClusterUsageCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := bulk(r)
	c, u, err := s.clusterUsage(r, ctx)
	if err != nil {
		return err
	}
	if err := s.db.Audit(ctx, "export.usage", "cluster", c.ID, r.URL.RawQuery); err != nil {
		return err
	}
	return writeUsageCSV(w, c.Slug, u)
}

// ---- calendar feeds

// calendarSecretPrefix marks escnet feed secrets.
const calendarSecretPrefix = "cal_"

func hashCalendarSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// createCalendar makes a secret feed address for the viewer.
func (s *Server) createCalendar(ctx context.Context, in CalendarInput) (NewCalendar, error) {
	v := viewerFrom(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return NewCalendar{}, errForbidden(v)
	}
	var errs validate.Errors
	errs.Choice("kind", in.Kind, true, facilities.CalendarKinds...)
	errs.Text("name", in.Name, false, 100)
	if len(errs) > 0 {
		return NewCalendar{}, errs
	}
	t := facilities.CalendarToken{UserID: v.UserID, Kind: in.Kind, Name: strings.TrimSpace(in.Name)}
	switch in.Kind {
	case "facility":
		f, err := s.db.GetFacility(ctx, in.Target)
		if errors.Is(err, store.ErrNotFound) || in.Target == "" {
			return NewCalendar{}, validate.Errors{{Field: "target_id", Code: validate.NotFound}}
		} else if err != nil {
			return NewCalendar{}, err
		}
		t.TargetID = f.ID
		if t.Name == "" {
			t.Name = f.Name
		}
	case "resource":
		res, err := s.db.GetResource(ctx, in.Target)
		if errors.Is(err, store.ErrNotFound) || in.Target == "" {
			return NewCalendar{}, validate.Errors{{Field: "target_id", Code: validate.NotFound}}
		} else if err != nil {
			return NewCalendar{}, err
		}
		t.TargetID = res.ID
		if t.Name == "" {
			t.Name = res.Name
		}
	default:
		if in.Target != "" {
			return NewCalendar{}, validate.Errors{{Field: "target_id", Code: validate.InvalidChoice, Args: map[string]any{"choices": "empty for kind user"}}}
		}
		if t.Name == "" {
			t.Name = "escnet"
		}
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return NewCalendar{}, err
	}
	secret := calendarSecretPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t.Hash = hashCalendarSecret(secret)
	if err := s.db.CreateCalendarToken(ctx, &t); err != nil {
		return NewCalendar{}, err
	}
	return NewCalendar{Calendar: t, URL: s.accounts.Config().BaseURL + "/calendar/" + secret + ".ics"}, nil
}

func (s *Server) apiCreateCalendar(w http.ResponseWriter, r *http.Request) error {
	if v := viewerFrom(r.Context()); v.Anonymous() {
		return errUnauthorized("Sign in (or send an API token) to do this.")
	}
	var in CalendarInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	nc, err := s.createCalendar(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, nc)
}

func (s *Server) apiListCalendars(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	list, err := s.db.ListCalendarTokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, CalendarList{Items: list})
}

func (s *Server) apiRevokeCalendar(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	if v.Anonymous() || !v.WriteAllowed {
		return errForbidden(v)
	}
	if err := s.db.RevokeCalendarToken(r.Context(), v.UserID, r.PathValue("id"), time.Now().UTC()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleCalendarFeed serves a feed to whoever holds its secret address,
// with what its owner may see now: a narrowed facility or a lost role
// shows in the next fetch. Feeds are bulk: RED records never appear.
func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	secret := strings.TrimSuffix(r.PathValue("token"), ".ics")
	notFound := fmt.Errorf("calendar: %w", store.ErrNotFound)
	if !strings.HasPrefix(secret, calendarSecretPrefix) || len(secret) > 100 {
		return notFound
	}
	ctx := r.Context()
	t, err := s.db.CalendarTokenByHash(ctx, hashCalendarSecret(secret))
	if err != nil {
		return err
	}
	u, err := s.db.GetUser(ctx, t.UserID)
	if err != nil || u.Disabled {
		return notFound
	}
	v, err := s.viewerOf(ctx, u)
	if err != nil {
		return err
	}
	ctx = context.WithValue(ctx, viewerKey{}, v)
	ctx = access.WithScope(ctx, access.ScopeOf(v).ForBulk())
	now := s.fac.Now()
	from, to := now.AddDate(0, -1, 0), now.AddDate(1, 0, 0)
	l := s.catalog.localizer("en")
	var entries []facilities.FeedEntry
	name, zone := t.Name, ""
	switch t.Kind {
	case "facility", "resource":
		facilityID, resourceID := t.TargetID, ""
		if t.Kind == "resource" {
			res, err := s.db.GetResource(ctx, t.TargetID)
			if err != nil {
				return err
			}
			facilityID, resourceID = res.FacilityID, res.ID
		}
		f, err := s.db.GetFacility(ctx, facilityID)
		if err != nil {
			return err
		}
		zone = f.TimeZone
		approver, err := s.mayApprove(ctx, f)
		if err != nil {
			return err
		}
		bookings, err := s.db.ListBookings(ctx, facilities.Filter{FacilityID: f.ID, ResourceID: resourceID, From: from, To: to, Limit: 5000})
		if err != nil {
			return err
		}
		for _, b := range bookings {
			if !facilities.Holds(b.Status) && b.Status != facilities.StatusCompleted && !(approver && b.Status == facilities.StatusRequested) {
				continue
			}
			e := facilities.FeedEntry{UID: b.ID + "@escnet", Start: b.StartsAt, End: b.EndsAt, Status: b.Status, Location: f.Name, Updated: b.UpdatedAt,
				Summary: l.T("message.calendar.busy", "resource", b.ResourceName)}
			if access.CanSeeBooking(v, party(b), approver) {
				e.Summary = l.T("message.calendar.booking", "resource", b.ResourceName, "organisation", b.OrganisationName, "status", l.T("booking_status."+b.Status))
				e.Description = b.Purpose
				e.URL = s.accounts.Config().BaseURL + "/bookings/" + b.ID
			}
			entries = append(entries, e)
		}
		blackouts, err := s.db.ListBlackouts(ctx, f.ID, from, to)
		if err != nil {
			return err
		}
		for _, bo := range blackouts {
			if resourceID != "" && bo.ResourceID != "" && bo.ResourceID != resourceID {
				continue
			}
			entries = append(entries, facilities.FeedEntry{UID: bo.ID + "@escnet", Start: bo.StartsAt, End: bo.EndsAt, Location: f.Name,
				Status: facilities.StatusConfirmed, Summary: l.T("message.calendar.closed", "kind", l.T("blackout_kind."+bo.Kind), "reason", bo.Reason)})
		}
	default:
		bookings, err := s.db.ListBookings(ctx, facilities.Filter{RequesterID: u.ID, From: from, To: to, Limit: 5000})
		if err != nil {
			return err
		}
		for _, b := range bookings {
			if b.Status == facilities.StatusDeclined {
				continue
			}
			entries = append(entries, facilities.FeedEntry{UID: b.ID + "@escnet", Start: b.StartsAt, End: b.EndsAt, Status: b.Status,
				Location: b.FacilityName, Updated: b.UpdatedAt, Description: b.Purpose, URL: s.accounts.Config().BaseURL + "/bookings/" + b.ID,
				Summary: l.T("message.calendar.booking", "resource", b.ResourceName, "organisation", b.OrganisationName, "status", l.T("booking_status."+b.Status))})
		}
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	feed, err := facilities.Calendar(name, zone, entries, now)
	if err != nil {
		return err
	}
	_, err = w.Write([]byte(feed))
	return err
}

// Facilities returns the booking service (for the command line and tests).
func (s *Server) Facilities() *facilities.Service { return s.fac }
