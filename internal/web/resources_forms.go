package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// The resource form: name, capacity, opening hours per weekday in the
// facility's local time, the length of a booking in hours, the lead time
// and buffer in hours or days, and a quota. Durations are typed and shown
// in hours and days; the service keeps minutes.

type resourceForm struct {
	layout
	Facility  directory.Facility
	Resource  facilities.Resource
	New       bool
	Values    url.Values
	Errors    []ProblemField
	Stale     bool
	Kinds     []string
	Approvals []string
	Weekdays  []int
	Periods   []string
	Units     []string
}

func (f resourceForm) Value(name string) string { return f.Values.Get(name) }

// Opens and Closes are a weekday's opening time in the form.
func (f resourceForm) Opens(day int) string  { return f.Values.Get("opens_" + strconv.Itoa(day)) }
func (f resourceForm) Closes(day int) string { return f.Values.Get("closes_" + strconv.Itoa(day)) }

// hoursText writes minutes as hours for a form field ("1.5", "48").
func hoursText(min int) string {
	if min == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(min)/60, 'f', -1, 64)
}

// resourceValues are the form's fields for resource r.
func resourceValues(r facilities.Resource) url.Values {
	v := url.Values{"name": {r.Name}, "slug": {r.Slug}, "kind": {r.Kind}, "description": {r.Description}, "approval": {r.Approval},
		"min_hours": {hoursText(r.MinMinutes)}, "max_hours": {hoursText(r.MaxMinutes)}, "buffer_hours": {hoursText(r.BufferMinutes)},
		"version": {strconv.Itoa(r.Version)}}
	if r.Capacity > 0 {
		v.Set("capacity", strconv.Itoa(r.Capacity))
	}
	if r.LeadMinutes > 0 && r.LeadMinutes%(24*60) == 0 {
		v.Set("lead", strconv.Itoa(r.LeadMinutes/(24*60)))
		v.Set("lead_unit", "days")
	} else {
		v.Set("lead", hoursText(r.LeadMinutes))
		v.Set("lead_unit", "hours")
	}
	for _, o := range r.OpeningHours {
		v.Set("opens_"+strconv.Itoa(o.Day), o.Opens)
		v.Set("closes_"+strconv.Itoa(o.Day), o.Closes)
	}
	if len(r.Quotas) > 0 {
		q := r.Quotas[0]
		v.Set("quota_limit", strconv.Itoa(q.Limit))
		v.Set("quota_unit", q.Unit)
		v.Set("quota_period", q.Period)
	}
	if r.Active {
		v.Set("active", "on")
	}
	return v
}

// hoursField reads a number of hours (or days, with perDay) as minutes,
// accepting a decimal comma.
func hoursField(errs *validate.Errors, v url.Values, field, apiField string, unit int) int {
	s := strings.TrimSpace(strings.Replace(v.Get(field), ",", ".", 1))
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 10000 {
		errs.Add(apiField, validate.InvalidFormat)
		return 0
	}
	return int(math.Round(f * float64(unit)))
}

// resourceFromForm reads the form into r (which keeps its id and version).
func resourceFromForm(v url.Values, r facilities.Resource) (facilities.Resource, error) {
	var errs validate.Errors
	r.Name, r.Slug, r.Kind = strings.TrimSpace(v.Get("name")), strings.TrimSpace(v.Get("slug")), v.Get("kind")
	r.Description, r.Approval = strings.TrimSpace(v.Get("description")), v.Get("approval")
	r.Capacity = 0
	if c := strings.TrimSpace(v.Get("capacity")); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			errs.Add("capacity", validate.InvalidFormat)
		}
		r.Capacity = n
	}
	r.MinMinutes = hoursField(&errs, v, "min_hours", "min_minutes", 60)
	r.MaxMinutes = hoursField(&errs, v, "max_hours", "max_minutes", 60)
	r.BufferMinutes = hoursField(&errs, v, "buffer_hours", "buffer_minutes", 60)
	unit := 60
	if v.Get("lead_unit") == "days" {
		unit = 24 * 60
	}
	r.LeadMinutes = hoursField(&errs, v, "lead", "lead_minutes", unit)
	r.OpeningHours = nil
	for d := range 7 {
		o, c := v.Get("opens_"+strconv.Itoa(d)), v.Get("closes_"+strconv.Itoa(d))
		switch {
		case o == "" && c == "":
		case o == "" || c == "":
			errs.Add("opening_hours", validate.Required)
		default:
			r.OpeningHours = append(r.OpeningHours, facilities.Opening{Day: d, Opens: o, Closes: c})
		}
	}
	r.Quotas = nil
	if l := strings.TrimSpace(v.Get("quota_limit")); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			errs.Add("quotas", validate.InvalidFormat)
		}
		r.Quotas = []facilities.Quota{{Period: v.Get("quota_period"), Unit: v.Get("quota_unit"), Limit: n}}
	}
	r.Active = v.Get("active") != ""
	return r, errs.Err()
}

func (s *Server) resourceFormData(r *http.Request, f directory.Facility, res facilities.Resource, isNew bool) resourceForm {
	title := f.Name
	if !isNew {
		title = res.Name + " · " + f.Name
	}
	return resourceForm{layout: s.layout(r, title, "facilities"), Facility: f, Resource: res, New: isNew,
		Kinds: facilities.ResourceKinds, Approvals: facilities.Approvals, Weekdays: []int{1, 2, 3, 4, 5, 6, 0},
		Periods: []string{facilities.PeriodWeek, facilities.PeriodMonth}, Units: []string{facilities.UnitHours, facilities.UnitBookings}}
}

// resourceOf is the facility of the path and the resource of the query
// or form ("id"; empty for a new one), if the viewer may change them.
func (s *Server) resourceOf(r *http.Request, id string) (directory.Facility, facilities.Resource, error) {
	f, err := s.editableFacility(r)
	if err != nil || id == "" {
		return f, facilities.Resource{}, err
	}
	res, err := s.fac.Resource(r.Context(), id)
	if err == nil && res.FacilityID != f.ID {
		err = store.ErrNotFound
	}
	return f, res, err
}

func (s *Server) pageResourceForm(w http.ResponseWriter, r *http.Request) error {
	id := r.URL.Query().Get("id")
	f, res, err := s.resourceOf(r, id)
	if err != nil {
		return err
	}
	d := s.resourceFormData(r, f, res, id == "")
	if d.New {
		d.Values = url.Values{"kind": {"room"}, "approval": {facilities.ApprovalApprovers}, "active": {"on"}, "lead_unit": {"hours"}}
		for day := 1; day <= 5; day++ {
			d.Values.Set("opens_"+strconv.Itoa(day), "08:00")
			d.Values.Set("closes_"+strconv.Itoa(day), "18:00")
		}
	} else {
		d.Values = resourceValues(res)
	}
	return s.render(w, http.StatusOK, "resource_edit", d)
}

func (s *Server) postResourceForm(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PostForm.Get("id")
	f, cur, err := s.resourceOf(r, id)
	if err != nil {
		return err
	}
	res, err := resourceFromForm(r.PostForm, cur)
	if err == nil {
		if id == "" {
			err = s.fac.CreateResource(r.Context(), f.ID, &res)
		} else {
			res.Version = formVersion(r)
			err = s.fac.UpdateResource(r.Context(), &res)
		}
	}
	if err == nil {
		http.Redirect(w, r, "/facilities/"+f.Slug+"/edit#resources", http.StatusSeeOther)
		return nil
	}
	d := s.resourceFormData(r, f, cur, id == "")
	d.Values = r.PostForm
	if errors.Is(err, store.ErrStale) {
		d.Stale = true
		return s.render(w, http.StatusPreconditionFailed, "resource_edit", d)
	}
	fe, status, ok := formProblem(err)
	if !ok {
		return err
	}
	d.Errors = fe
	return s.render(w, status, "resource_edit", d)
}
