package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/csvexport"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/validate"
)

// The facilities' API: the catalogue record, resources, closures,
// approvers, availability, free slots and usage. Every handler decodes,
// calls one method of the facilities service (which decides what the
// viewer may do) and encodes.

// FacilityInput is the writable part of a facility.
type FacilityInput struct {
	Slug         string   `json:"slug"`
	Name         string   `json:"name"`
	Kind         string   `json:"kind"`
	Organisation string   `json:"organisation_id"`
	Cluster      string   `json:"cluster_id"`
	Country      string   `json:"country"`
	City         string   `json:"city"`
	Website      string   `json:"website"`
	Description  string   `json:"description"`
	Capabilities []string `json:"capabilities"`
	Visibility   string   `json:"visibility"`
	TLP          string   `json:"tlp"`
	// The catalogue fields (see directory.Facility).
	Address          string   `json:"address"`
	Latitude         *float64 `json:"latitude"`
	Longitude        *float64 `json:"longitude"`
	TimeZone         string   `json:"time_zone"`
	Capacity         int      `json:"capacity"`
	Uses             string   `json:"uses"`
	Certifications   []string `json:"certifications"`
	Restrictions     []string `json:"restrictions"`
	AccessConditions string   `json:"access_conditions"`
	PriceModel       string   `json:"price_model"`
	PriceCents       int64    `json:"price_cents"`
	PriceUnit        string   `json:"price_unit"`
}

func (in FacilityInput) facility(id string) *directory.Facility {
	return &directory.Facility{ID: id, Slug: in.Slug, Name: in.Name, Kind: in.Kind, OrganisationID: in.Organisation,
		ClusterID: in.Cluster, Country: in.Country, City: in.City, Website: in.Website, Description: in.Description,
		Capabilities: in.Capabilities, Visibility: in.Visibility, TLP: in.TLP,
		Address: in.Address, Latitude: in.Latitude, Longitude: in.Longitude, TimeZone: in.TimeZone, Capacity: in.Capacity, Uses: in.Uses,
		Certifications: in.Certifications, Restrictions: in.Restrictions, AccessConditions: in.AccessConditions,
		PriceModel: in.PriceModel, PriceCents: in.PriceCents, PriceUnit: in.PriceUnit}
}

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

// Availability is a facility's time between two days (facilities').
type Availability = facilities.Availability

// ResourceAvailability is one resource's part of it.
type ResourceAvailability = facilities.ResourceAvailability

// SlotList is the result of a search for free slots.
type SlotList struct {
	Items []facilities.Slot `json:"items"`
	Total int               `json:"total"`
}

// ---- the catalogue record

func (s *Server) apiListFacilities(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r.URL.Query(), "q", "country", "kind", "cluster", "capability", "organisation")
	if err != nil {
		return err
	}
	if err := checkKind(f, directory.FacilityKinds); err != nil {
		return err
	}
	p, err := s.fac.Facilities(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetFacility(w http.ResponseWriter, r *http.Request) error {
	f, err := s.fac.Facility(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	setETag(w, f.Version)
	return writeJSON(w, http.StatusOK, f)
}

func (s *Server) apiCreateFacility(w http.ResponseWriter, r *http.Request) error {
	var in FacilityInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	f := in.facility("")
	if err := s.fac.CreateFacility(r.Context(), f); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/facilities/"+f.ID)
	created, err := s.fac.Facility(r.Context(), f.ID)
	if err != nil {
		return err
	}
	setETag(w, created.Version)
	return writeJSON(w, http.StatusCreated, created)
}

func (s *Server) apiUpdateFacility(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in FacilityInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	f := in.facility(r.PathValue("id"))
	f.Version = version
	if err := s.fac.UpdateFacility(r.Context(), f); err != nil {
		return err
	}
	setETag(w, f.Version)
	return writeJSON(w, http.StatusOK, f)
}

func (s *Server) apiDeleteFacility(w http.ResponseWriter, r *http.Request) error {
	if err := s.fac.DeleteFacility(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- resources, blackouts, approvers

func (s *Server) apiListResources(w http.ResponseWriter, r *http.Request) error {
	_, rs, err := s.fac.Resources(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ResourceList{Items: rs})
}

func (s *Server) apiCreateResource(w http.ResponseWriter, r *http.Request) error {
	var in ResourceInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	res := in.resource("")
	if err := s.fac.CreateResource(r.Context(), r.PathValue("id"), res); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/resources/"+res.ID)
	setETag(w, res.Version)
	return writeJSON(w, http.StatusCreated, res)
}

func (s *Server) apiUpdateResource(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in ResourceInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	res := in.resource(r.PathValue("id"))
	res.Version = version
	if err := s.fac.UpdateResource(r.Context(), res); err != nil {
		return err
	}
	setETag(w, res.Version)
	return writeJSON(w, http.StatusOK, res)
}

func (s *Server) apiDeleteResource(w http.ResponseWriter, r *http.Request) error {
	if err := s.fac.DeleteResource(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiCreateBlackout(w http.ResponseWriter, r *http.Request) error {
	var in facilities.BlackoutInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := s.fac.CreateBlackout(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/blackouts/"+b.ID)
	return writeJSON(w, http.StatusCreated, b)
}

func (s *Server) apiDeleteBlackout(w http.ResponseWriter, r *http.Request) error {
	if err := s.fac.DeleteBlackout(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiListApprovers(w http.ResponseWriter, r *http.Request) error {
	list, err := s.fac.Approvers(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ApproverList{Items: list})
}

func (s *Server) apiSetApprovers(w http.ResponseWriter, r *http.Request) error {
	var in ApproversInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	list, err := s.fac.SetApprovers(r.Context(), r.PathValue("id"), in.Approvers)
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

func (s *Server) apiAvailability(w http.ResponseWriter, r *http.Request) error {
	f, err := s.fac.Facility(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	errs := onlyParams(q, "from", "to")
	from, to, derrs := dayRange(q, schedule.LocationOrUTC(f.TimeZone), s.fac.Now(), 14, 92)
	if errs = append(errs, derrs...); len(errs) > 0 {
		return errBadRequest("Invalid query parameters.", errs)
	}
	a, err := s.fac.Availability(r.Context(), f, from, to)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
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

// service is the search as the facilities service takes it.
func (ss slotSearch) service() facilities.SlotSearch {
	return facilities.SlotSearch{Filter: ss.Filter, Lat: ss.Lat, Lon: ss.Lon, WithinKm: ss.WithinKm, Query: ss.Query, Limit: ss.Limit}
}

func (s *Server) apiSearchSlots(w http.ResponseWriter, r *http.Request) error {
	ss, errs := parseSlotSearch(r.URL.Query(), s.fac.Now())
	if len(errs) > 0 {
		return errBadRequest("Invalid query parameters.", errs)
	}
	slots, err := s.fac.SearchSlots(r.Context(), ss.service())
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

// usageMonths reads the months of a usage request.
func (s *Server) usageMonths(r *http.Request) (time.Time, time.Time, error) {
	from, to, errs := monthRange(r.URL.Query(), s.fac.Now())
	if len(errs) > 0 {
		return from, to, errBadRequest("Invalid query parameters.", errs)
	}
	return from, to, nil
}

// facilityUsage answers the usage of the facility in the path (id or
// slug); export is a download.
func (s *Server) facilityUsage(r *http.Request, export bool) (directory.Facility, facilities.Usage, error) {
	from, to, err := s.usageMonths(r)
	if err != nil {
		return directory.Facility{}, facilities.Usage{}, err
	}
	return s.fac.FacilityUsage(r.Context(), r.PathValue(pathKeyOf(r)), from, to, export)
}

// clusterUsage answers the usage of the cluster in the path.
func (s *Server) clusterUsage(r *http.Request, export bool) (directory.Cluster, facilities.Usage, error) {
	from, to, err := s.usageMonths(r)
	if err != nil {
		return directory.Cluster{}, facilities.Usage{}, err
	}
	return s.fac.ClusterUsage(r.Context(), r.PathValue(pathKeyOf(r)), from, to, export)
}

func pathKeyOf(r *http.Request) string {
	if r.PathValue("slug") != "" {
		return "slug"
	}
	return "id"
}

func (s *Server) apiFacilityUsage(w http.ResponseWriter, r *http.Request) error {
	_, u, err := s.facilityUsage(r, false)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

func (s *Server) apiClusterUsage(w http.ResponseWriter, r *http.Request) error {
	_, u, err := s.clusterUsage(r, false)
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

func (s *Server) apiFacilityUsageCSV(w http.ResponseWriter, r *http.Request) error {
	f, u, err := s.facilityUsage(r, true)
	if err != nil {
		return err
	}
	return writeUsageCSV(w, f.Slug, u)
}

func (s *Server) apiClusterUsageCSV(w http.ResponseWriter, r *http.Request) error {
	c, u, err := s.clusterUsage(r, true)
	if err != nil {
		return err
	}
	return writeUsageCSV(w, c.Slug, u)
}
