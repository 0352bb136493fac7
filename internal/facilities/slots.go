package facilities

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/schedule"
)

// Place is a named point for the search by distance.
type Place struct {
	Name      string
	Country   string
	Latitude  float64
	Longitude float64
}

// gazetteer holds the cities people search from; anything else is given
// as coordinates.
var gazetteer = []Place{
	{"Amsterdam", "NL", 52.3676, 4.9041}, {"Rotterdam", "NL", 51.9244, 4.4777}, {"The Hague", "NL", 52.0705, 4.3007},
	{"Eindhoven", "NL", 51.4416, 5.4697}, {"Enschede", "NL", 52.2215, 6.8937}, {"Utrecht", "NL", 52.0907, 5.1214},
	{"Brussels", "BE", 50.8503, 4.3517}, {"Antwerp", "BE", 51.2194, 4.4025}, {"Genk", "BE", 50.9650, 5.5008},
	{"Ghent", "BE", 51.0543, 3.7174}, {"Liège", "BE", 50.6326, 5.5797}, {"Luxembourg", "LU", 49.6116, 6.1319},
	{"Paris", "FR", 48.8566, 2.3522}, {"Marseille", "FR", 43.2965, 5.3698}, {"Lyon", "FR", 45.7640, 4.8357},
	{"Toulouse", "FR", 43.6047, 1.4442}, {"Lille", "FR", 50.6292, 3.0573}, {"Aix-en-Provence", "FR", 43.5297, 5.4474},
	{"Berlin", "DE", 52.5200, 13.4050}, {"Munich", "DE", 48.1351, 11.5820}, {"Karlsruhe", "DE", 49.0069, 8.4037},
	{"Hamburg", "DE", 53.5511, 9.9937}, {"Cologne", "DE", 50.9375, 6.9603}, {"Frankfurt", "DE", 50.1109, 8.6821},
	{"Copenhagen", "DK", 55.6761, 12.5683}, {"Aarhus", "DK", 56.1629, 10.2039}, {"Herning", "DK", 56.1393, 8.9738},
	{"Karup", "DK", 56.3069, 9.1686}, {"Helsinki", "FI", 60.1699, 24.9384}, {"Tampere", "FI", 61.4978, 23.7610},
	{"Stockholm", "SE", 59.3293, 18.0686}, {"Oslo", "NO", 59.9139, 10.7522}, {"Vienna", "AT", 48.2082, 16.3738},
	{"Madrid", "ES", 40.4168, -3.7038}, {"Barcelona", "ES", 41.3874, 2.1686}, {"Lisbon", "PT", 38.7223, -9.1393},
	{"Rome", "IT", 41.9028, 12.4964}, {"Milan", "IT", 45.4642, 9.1900}, {"Warsaw", "PL", 52.2297, 21.0122},
	{"Prague", "CZ", 50.0755, 14.4378}, {"Tallinn", "EE", 59.4370, 24.7536}, {"Dublin", "IE", 53.3498, -6.2603},
	{"London", "GB", 51.5072, -0.1276}, {"Zurich", "CH", 47.3769, 8.5417}, {"Athens", "GR", 37.9838, 23.7275},
}

// LookupPlace finds a city of the gazetteer by name (case and accents
// ignored).
func LookupPlace(name string) (Place, bool) {
	want := directory.Fold(strings.TrimSpace(name))
	for _, p := range gazetteer {
		if directory.Fold(p.Name) == want {
			return p, true
		}
	}
	return Place{}, false
}

// Places lists the gazetteer's names, for forms.
func Places() []string {
	out := make([]string, len(gazetteer))
	for i, p := range gazetteer {
		out[i] = p.Name
	}
	sort.Strings(out)
	return out
}

// DistanceKm is the great-circle (haversine) distance between two points
// on a sphere of the Earth's mean radius.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// SlotQuery is a search for free time: either Length of continuous time,
// or Days whole consecutive days (from opening on the first to closing on
// the last), between From and To.
type SlotQuery struct {
	From, To time.Time
	Length   time.Duration
	Days     int
	// PerResource caps the slots returned for one resource.
	PerResource int
}

// Slot is a free span of a resource.
type Slot struct {
	FacilityID   string    `json:"facility_id"`
	FacilitySlug string    `json:"facility_slug"`
	FacilityName string    `json:"facility_name"`
	ResourceID   string    `json:"resource_id"`
	ResourceName string    `json:"resource_name"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`
	TimeZone     string    `json:"time_zone"`
	StartsLocal  string    `json:"starts_local"`
	EndsLocal    string    `json:"ends_local"`
	DistanceKm   *float64  `json:"distance_km,omitempty"`
}

// FreeSlots finds up to q.PerResource slots of resource r of facility f
// that a booking could take at now: inside opening hours, outside
// blackouts and the spans held by bookings (with buffers), after the lead
// time, and within the resource's length limits. Slots start on the
// quarter hour.
func FreeSlots(f directory.Facility, r Resource, blackouts []Blackout, bookings []Booking, q SlotQuery, now time.Time) []Slot {
	loc, err := schedule.Location(f.TimeZone)
	if err != nil || !r.Active {
		return nil
	}
	earliest := now.Add(time.Duration(r.LeadMinutes) * time.Minute)
	from := q.From
	if from.Before(earliest) {
		from = earliest
	}
	buf := time.Duration(r.BufferMinutes) * time.Minute
	var busy []Interval
	for _, bo := range blackouts {
		if bo.ResourceID == "" || bo.ResourceID == r.ID {
			busy = append(busy, Interval{Start: bo.StartsAt, End: bo.EndsAt})
		}
	}
	for _, b := range bookings {
		if b.ResourceID == r.ID && Holds(b.Status) {
			// A new booking must end a buffer before b starts and start
			// after b's own buffer.
			busy = append(busy, Interval{Start: b.StartsAt.Add(-buf), End: b.BlockedUntil})
		}
	}
	spans := schedule.FreeSlots(r.OpeningHours, loc, busy, schedule.Query{From: from, To: q.To, Length: q.Length, Days: q.Days,
		Min: time.Duration(r.MinMinutes) * time.Minute, Max: time.Duration(r.MaxMinutes) * time.Minute, Limit: q.PerResource})
	var out []Slot
	for _, iv := range spans {
		out = append(out, Slot{FacilityID: f.ID, FacilitySlug: f.Slug, FacilityName: f.Name, ResourceID: r.ID, ResourceName: r.Name,
			StartsAt: iv.Start.UTC(), EndsAt: iv.End.UTC(), TimeZone: f.TimeZone,
			StartsLocal: iv.Start.In(loc).Format("2006-01-02T15:04"), EndsLocal: iv.End.In(loc).Format("2006-01-02T15:04")})
	}
	return out
}
