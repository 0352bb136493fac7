package facilities

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
)

// ResourceAvailability is one resource's time: when it is open, and the
// parts of that which blackouts and bookings take.
type ResourceAvailability struct {
	ResourceID   string     `json:"resource_id"`
	ResourceName string     `json:"resource_name"`
	Open         []Interval `json:"open"`
	Busy         []Interval `json:"busy"`
	Blackouts    []Blackout `json:"blackouts"`
}

// Availability is a facility's time between two instants.
type Availability struct {
	FacilityID string                 `json:"facility_id"`
	TimeZone   string                 `json:"time_zone"`
	From       time.Time              `json:"from"`
	To         time.Time              `json:"to"`
	Resources  []ResourceAvailability `json:"resources"`
}

// Availability shows when facility f's resources are open and taken
// between from and to: anyone who may see the facility sees that a slot
// is taken, not by whom.
func (s *Service) Availability(ctx context.Context, f directory.Facility, from, to time.Time) (Availability, error) {
	ctx = s.stay(ctx)
	a := Availability{FacilityID: f.ID, TimeZone: f.TimeZone, From: from.UTC(), To: to.UTC(), Resources: []ResourceAvailability{}}
	loc, err := schedule.Location(f.TimeZone)
	if err != nil {
		return a, err
	}
	rs, err := s.store.ListResources(ctx, f.ID)
	if err != nil {
		return a, err
	}
	blackouts, err := s.store.ListBlackouts(ctx, f.ID, from, to)
	if err != nil {
		return a, err
	}
	bookings, err := s.store.ListBookings(ctx, Filter{FacilityID: f.ID, From: from, To: to, Limit: 5000})
	if err != nil {
		return a, err
	}
	for _, r := range rs {
		ra := ResourceAvailability{ResourceID: r.ID, ResourceName: r.Name, Open: []Interval{}, Busy: []Interval{}, Blackouts: []Blackout{}}
		if r.Active {
			ra.Open = append(ra.Open, schedule.OpenIntervals(r.OpeningHours, loc, from, to)...)
		}
		for _, b := range bookings {
			if b.ResourceID == r.ID && Holds(b.Status) {
				ra.Busy = append(ra.Busy, Interval{Start: b.StartsAt, End: b.EndsAt})
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

// Booking list roles.
const (
	RoleRequester    = "requester"    // the viewer's own requests
	RoleApprover     = "approver"     // of the facilities the viewer decides on
	RoleOrganisation = "organisation" // of the viewer's organisation, for its administrators
)

// BookingRoles lists them.
var BookingRoles = []string{RoleRequester, RoleApprover, RoleOrganisation}

// Bookings lists the bookings the viewer made (requester), may decide on
// (approver) or, as an administrator, of the viewer's organisation;
// optionally of one status and one facility.
func (s *Service) Bookings(ctx context.Context, role, status, facility string) ([]Booking, error) {
	ctx = s.stay(ctx)
	v := access.ViewerFrom(ctx)
	if v.Anonymous() {
		return []Booking{}, nil
	}
	f := Filter{Status: status, Limit: 1000}
	if facility != "" {
		fac, err := s.dir.GetFacility(ctx, facility)
		if errors.Is(err, store.ErrNotFound) {
			return []Booking{}, nil
		} else if err != nil {
			return nil, err
		}
		f.FacilityID = fac.ID
	}
	switch role {
	case RoleApprover:
		ids, err := s.store.ApprovableFacilities(ctx, v)
		if err != nil {
			return nil, err
		}
		f.FacilityIDs = ids
	case RoleOrganisation:
		if (!v.OrgAdmin && !v.AllianceAdmin) || v.OrganisationID == "" {
			return []Booking{}, nil
		}
		f.Organisation = v.OrganisationID
	default:
		f.RequesterID = v.UserID
	}
	return s.store.ListBookings(ctx, f)
}

// SlotSearch is a search for free slots across the facilities the viewer
// may see, optionally near a point.
type SlotSearch struct {
	Filter   directory.Filter
	Lat, Lon *float64
	WithinKm float64
	Query    SlotQuery
	Limit    int
}

// SearchSlots finds free slots, earliest first (nearest first among
// equal starts), at most ss.Limit.
func (s *Service) SearchSlots(ctx context.Context, ss SlotSearch) ([]Slot, error) {
	ctx = s.stay(ctx)
	now := s.cfg.Now()
	f := ss.Filter
	f.Limit = directory.MaxListLimit
	var out []Slot
	for {
		p, err := s.dir.ListFacilities(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, fac := range p.Items {
			slots, err := s.facilitySlots(ctx, fac, ss, now)
			if err != nil {
				return nil, err
			}
			out = append(out, slots...)
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	dist := func(s Slot) float64 {
		if s.DistanceKm == nil {
			return 0
		}
		return *s.DistanceKm
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].StartsAt.Equal(out[j].StartsAt) {
			return out[i].StartsAt.Before(out[j].StartsAt)
		}
		return dist(out[i]) < dist(out[j])
	})
	if ss.Limit > 0 && len(out) > ss.Limit {
		out = out[:ss.Limit]
	}
	if out == nil {
		out = []Slot{}
	}
	return out, nil
}

// facilitySlots is the part of a slot search in one facility.
func (s *Service) facilitySlots(ctx context.Context, fac directory.Facility, ss SlotSearch, now time.Time) ([]Slot, error) {
	var dist *float64
	if ss.Lat != nil {
		if fac.Latitude == nil {
			if ss.WithinKm > 0 {
				return nil, nil
			}
		} else {
			d := DistanceKm(*ss.Lat, *ss.Lon, *fac.Latitude, *fac.Longitude)
			if ss.WithinKm > 0 && d > ss.WithinKm {
				return nil, nil
			}
			d = float64(int(d*10+0.5)) / 10
			dist = &d
		}
	}
	rs, err := s.store.ListResources(ctx, fac.ID)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	q := ss.Query
	lo, hi := q.From.Add(-24*time.Hour), q.To.Add(48*time.Hour)
	blackouts, err := s.store.ListBlackouts(ctx, fac.ID, lo, hi)
	if err != nil {
		return nil, err
	}
	bookings, err := s.store.ListBookings(ctx, Filter{FacilityID: fac.ID, From: lo, To: hi, Limit: 5000})
	if err != nil {
		return nil, err
	}
	var out []Slot
	for _, r := range rs {
		for _, sl := range FreeSlots(fac, r, blackouts, bookings, q, now) {
			sl.DistanceKm = dist
			out = append(out, sl)
		}
	}
	return out, nil
}

// facilityData reads what the usage of f between two months needs.
func (s *Service) facilityData(ctx context.Context, f directory.Facility, from, to time.Time) (FacilityData, error) {
	d := FacilityData{Facility: f}
	var err error
	lo, hi := from.AddDate(0, 0, -1), to.AddDate(0, 1, 1)
	if d.Resources, err = s.store.ListResources(ctx, f.ID); err != nil {
		return d, err
	}
	if d.Blackouts, err = s.store.ListBlackouts(ctx, f.ID, lo, hi); err != nil {
		return d, err
	}
	d.Bookings, err = s.store.ListBookings(ctx, Filter{FacilityID: f.ID, From: lo, To: hi, Limit: 5000})
	return d, err
}

// usageOf computes the use of the given facilities, naming the clusters.
func (s *Service) usageOf(ctx context.Context, facs []directory.Facility, from, to time.Time) (Usage, error) {
	var data []FacilityData
	for _, f := range facs {
		d, err := s.facilityData(ctx, f, from, to)
		if err != nil {
			return Usage{}, err
		}
		data = append(data, d)
	}
	u := ComputeUsage(data, from, to)
	clusters, err := s.dir.ListClusters(ctx, directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	if err != nil {
		return u, err
	}
	for _, c := range clusters.Items {
		u.Clusters[c.ID] = c.Name
	}
	return u, nil
}

// FacilityUsage is the use of facility key by month from the month of
// from to the month of to, for anyone who may see the facility (hours,
// not who booked). export asks for the bulk scope (no RED record) and an
// audit entry, for a download.
func (s *Service) FacilityUsage(ctx context.Context, key string, from, to time.Time, export bool) (directory.Facility, Usage, error) {
	if export {
		ctx = access.WithScope(ctx, access.ScopeFrom(ctx).ForBulk())
	}
	f, err := s.dir.GetFacility(ctx, key)
	if err != nil {
		return f, Usage{}, err
	}
	u, err := s.usageOf(ctx, []directory.Facility{f}, from, to)
	if err == nil && export {
		err = s.store.Audit(ctx, "export.usage", "facility", f.ID, from.Format("2006-01")+".."+to.Format("2006-01"))
	}
	return f, u, err
}

// ClusterUsage is the use of the facilities of cluster key, as
// FacilityUsage.
func (s *Service) ClusterUsage(ctx context.Context, key string, from, to time.Time, export bool) (directory.Cluster, Usage, error) {
	if export {
		ctx = access.WithScope(ctx, access.ScopeFrom(ctx).ForBulk())
	}
	c, err := s.dir.GetCluster(ctx, key)
	if err != nil {
		return c, Usage{}, err
	}
	facs, err := s.dir.ListFacilities(ctx, directory.Filter{Cluster: c.ID, Limit: directory.MaxListLimit})
	if err != nil {
		return c, Usage{}, err
	}
	u, err := s.usageOf(ctx, facs.Items, from, to)
	if err == nil && export {
		err = s.store.Audit(ctx, "export.usage", "cluster", c.ID, from.Format("2006-01")+".."+to.Format("2006-01"))
	}
	return c, u, err
}
