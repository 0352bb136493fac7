package facilities

import (
	"slices"
	"time"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/schedule"
)

// UsageRow is one month of one facility's use: hours available (opening
// hours of its active resources less blackouts) and hours booked (the
// part of approved, confirmed and completed bookings inside opening
// hours), the booked hours split by the booking organisation's cluster.
type UsageRow struct {
	Month          string             `json:"month"` // YYYY-MM
	AvailableHours float64            `json:"available_hours"`
	BookedHours    float64            `json:"booked_hours"`
	ByCluster      map[string]float64 `json:"by_cluster"` // cluster id ("" unknown) → hours
}

// Usage is a facility's (or a cluster's facilities') use by month.
type Usage struct {
	From   string     `json:"from"` // YYYY-MM
	To     string     `json:"to"`   // YYYY-MM, inclusive
	Months []UsageRow `json:"months"`
	// HomeClusters are the clusters of the facilities counted: use from
	// any other cluster is use across clusters.
	HomeClusters []string `json:"home_clusters"`
	// Clusters names every cluster id appearing in ByCluster.
	Clusters map[string]string `json:"clusters"`
	// AcrossClusters is the share (0–1) of booked hours from organisations
	// of other clusters than the facility's own.
	AcrossClusters float64 `json:"across_clusters"`
}

// counts reports whether a booking in status s is use.
func counts(s string) bool { return Holds(s) || s == StatusCompleted }

// FacilityData is what the usage of one facility is computed from.
type FacilityData struct {
	Facility  directory.Facility
	Resources []Resource
	Blackouts []Blackout
	Bookings  []Booking
}

// ComputeUsage adds up the use of the given facilities for each month from
// the month of from to the month of to, in each facility's own time zone.
func ComputeUsage(data []FacilityData, from, to time.Time) Usage {
	u := Usage{From: from.Format("2006-01"), To: to.Format("2006-01"), HomeClusters: []string{}, Clusters: map[string]string{}}
	rows := map[string]*UsageRow{}
	var order []string
	for _, m := range schedule.MonthsBetween(from, to, time.UTC) {
		k := m.Format("2006-01")
		rows[k] = &UsageRow{Month: k, ByCluster: map[string]float64{}}
		order = append(order, k)
	}
	var across, total float64
	for _, d := range data {
		loc, err := schedule.Location(d.Facility.TimeZone)
		if err != nil {
			continue
		}
		home := d.Facility.ClusterID
		if home != "" && !slices.Contains(u.HomeClusters, home) {
			u.HomeClusters = append(u.HomeClusters, home)
		}
		for _, key := range order {
			m, _ := time.ParseInLocation("2006-01", key, loc)
			end := m.AddDate(0, 1, 0)
			row := rows[key]
			for _, r := range d.Resources {
				if !r.Active {
					continue
				}
				open := schedule.OpenIntervals(r.OpeningHours, loc, m, end)
				avail := schedule.Overlap(open, m, end)
				for _, bo := range d.Blackouts {
					if bo.ResourceID == "" || bo.ResourceID == r.ID {
						avail -= schedule.Overlap(open, bo.StartsAt, bo.EndsAt)
					}
				}
				if avail > 0 {
					row.AvailableHours += avail.Hours()
				}
				for _, b := range d.Bookings {
					if b.ResourceID != r.ID || !counts(b.Status) {
						continue
					}
					h := schedule.Overlap(open, b.StartsAt, b.EndsAt).Hours()
					if h == 0 {
						continue
					}
					row.BookedHours += h
					row.ByCluster[b.ClusterID] += h
					total += h
					if home != "" && b.ClusterID != home {
						across += h
					}
				}
			}
		}
	}
	for _, k := range order {
		r := rows[k]
		r.AvailableHours, r.BookedHours = round1(r.AvailableHours), round1(r.BookedHours)
		for c, h := range r.ByCluster {
			r.ByCluster[c] = round1(h)
		}
		u.Months = append(u.Months, *r)
	}
	if total > 0 {
		u.AcrossClusters = float64(int(across/total*1000+0.5)) / 1000
	}
	return u
}

func round1(h float64) float64 { return float64(int(h*10+0.5)) / 10 }
