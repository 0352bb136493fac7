package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	fac "github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
)

// profiles adds the catalogue fields to the demonstration facilities:
// where they are, their zones, what can be done there and on what terms.
func profiles(fs []directory.Facility) []directory.Facility {
	type profile struct {
		address      string
		lat, lon     float64
		capacity     int
		uses         string
		certs        []string
		restrictions []string
		conditions   string
		price        string
		cents        int64
		unit         string
	}
	p := map[string]profile{
		"hsd-campus": {"Wilhelmina van Pruisenweg 104, 2595 AN The Hague", 52.0675, 4.3240, 120,
			"Workshops, hackathons and demonstrations of security innovations; small lab experiments.", nil, nil,
			"Partners of the cluster and their guests; register visitors a day ahead.", "free", 0, ""},
		"twente-airport-drone-centre": {"Vliegveldweg 333, 7524 PT Enschede", 52.2758, 6.8903, 60,
			"Beyond-visual-line-of-sight flights, drone detection and counter-drone trials, training of drone pilots of police and fire brigades.",
			[]string{"Designated UAS test area (ILT)"}, []string{"airspace", "radio"},
			"A NOTAM is filed for each booking; pilots hold an EU operator registration; the airport's safety briefing is mandatory.", "fixed", 45000, "day"},
		"riskfactory-twente": {"Haaksbergerstraat 1, 7545 GG Enschede", 52.2129, 6.8770, 30,
			"Safety-awareness training for school classes, elderly people and professionals in realistic scenes (kitchen fire, traffic, smoke).",
			nil, nil, "Groups of up to 30 with a guide of the fire brigade.", "fixed", 25000, "booking"},
		"veiligheidscampus-zwartberg": {"Zwartbergsesteenweg, 3600 Genk", 51.0130, 5.5105, 200,
			"Live fire training, hazardous materials incidents, urban search and rescue, police tactics in a training village.",
			[]string{"Recognised training centre of the Flemish government"}, []string{"live_fire", "cbrn", "explosives"},
			"Instructors of the campus run live-fire exercises; personal protective equipment is required.", "on_request", 0, ""},
		"esimerkki-cyber-range": {"Hermiankatu 1, 33720 Tampere", 61.4500, 23.8520, 40,
			"Red and blue team exercises on replicas of energy and water control systems.",
			[]string{"ISO/IEC 27001"}, []string{"classified", "export_control"}, "Participants sign a non-disclosure agreement.", "fixed", 120000, "day"},
		"kit-energy-lab": {"Hermann-von-Helmholtz-Platz 1, 76344 Eggenstein-Leopoldshafen", 49.0950, 8.4330, 15,
			"Tests of how smart grids and energy systems behave under disturbances and attacks.", nil, []string{"escort"},
			"Guests are escorted on KIT Campus North.", "on_request", 0, ""},
		"eksempel-drone-test-field": {"Karup Lufthavn, 7470 Karup", 56.2970, 9.1240, 25,
			"Unmanned ground and aerial vehicles in open terrain, with simulated hazardous substances.", nil, []string{"airspace", "cbrn"},
			"Flights coordinated with the air traffic service.", "fixed", 30000, "day"},
	}
	for i := range fs {
		x, ok := p[fs[i].Slug]
		if !ok {
			continue
		}
		lat, lon := x.lat, x.lon
		fs[i].Address, fs[i].Latitude, fs[i].Longitude, fs[i].Capacity, fs[i].Uses = x.address, &lat, &lon, x.capacity, x.uses
		fs[i].Certifications, fs[i].Restrictions, fs[i].AccessConditions = x.certs, x.restrictions, x.conditions
		fs[i].PriceModel, fs[i].PriceCents, fs[i].PriceUnit = x.price, x.cents, x.unit
	}
	return fs
}

// demoResource is a bookable part of a demonstration facility.
type demoResource struct {
	facility string
	fac.Resource
}

func hours(days []int, opens, closes string) []fac.Opening {
	var out []fac.Opening
	for _, d := range days {
		out = append(out, fac.Opening{Day: d, Opens: opens, Closes: closes})
	}
	return out
}

var (
	weekdays   = []int{1, 2, 3, 4, 5}
	monToSat   = []int{1, 2, 3, 4, 5, 6}
	everyDay   = []int{0, 1, 2, 3, 4, 5, 6}
	approvers  = fac.ApprovalApprovers
	automatic  = fac.ApprovalAuto
	twoDays    = 2 * 24 * 60
	threeDays  = 3 * 24 * 60
	fiveDays   = 5 * 24 * 60
	oneWeekday = 10 * 60
)

func demoResources() []demoResource {
	r := func(facility, slug, name, kind, approval string, min, max, lead, buffer int, open []fac.Opening, quotas ...fac.Quota) demoResource {
		return demoResource{facility, fac.Resource{Slug: slug, Name: name, Kind: kind, Approval: approval, MinMinutes: min, MaxMinutes: max,
			LeadMinutes: lead, BufferMinutes: buffer, OpeningHours: open, Quotas: quotas, Active: true}}
	}
	return []demoResource{
		r("twente-airport-drone-centre", "test-range", "Test range (segregated airspace)", "range", approvers, 120, threeDays, 48*60, 60,
			hours(monToSat, "08:00", "20:00"), fac.Quota{Period: fac.PeriodMonth, Unit: fac.UnitHours, Limit: 60}),
		r("twente-airport-drone-centre", "drone-hall", "Indoor drone hall", "room", automatic, 60, oneWeekday, 0, 0, hours(weekdays, "08:00", "18:00")),
		r("riskfactory-twente", "experience-route", "Experience route", "room", automatic, 90, 240, 24*60, 30, hours(weekdays, "09:00", "16:00")),
		r("veiligheidscampus-zwartberg", "fire-ground", "Fire training ground", "ground", approvers, 180, twoDays, 7*24*60, 120,
			hours(monToSat, "07:00", "22:00"), fac.Quota{Period: fac.PeriodMonth, Unit: fac.UnitBookings, Limit: 4}),
		r("veiligheidscampus-zwartberg", "training-village", "Police training village", "ground", approvers, 120, twoDays, 3*24*60, 60, hours(monToSat, "07:00", "22:00")),
		r("hsd-campus", "delta-room", "Meeting room Delta", "room", automatic, 30, 480, 0, 15, hours(weekdays, "08:00", "20:00")),
		r("hsd-campus", "innovation-lab", "Innovation lab", "lab", approvers, 120, fiveDays, 24*60, 0, hours(weekdays, "08:00", "18:00")),
		r("esimerkki-cyber-range", "ics-range", "Industrial control systems range", "network", approvers, 240, fiveDays, 3*24*60, 240,
			hours(everyDay, "00:00", "24:00"), fac.Quota{Period: fac.PeriodMonth, Unit: fac.UnitBookings, Limit: 2}),
		r("kit-energy-lab", "grid-bench", "Grid test bench", "instrument", approvers, 240, threeDays, 7*24*60, 60, hours(weekdays, "07:00", "19:00")),
		r("eksempel-drone-test-field", "outdoor-field", "Outdoor test field", "range", approvers, 120, twoDays, 48*60, 30, hours(weekdays, "08:00", "18:00")),
	}
}

// demoBooking is a booking of the demonstration: days from this week's
// Monday, a local start and a length, by an organisation.
type demoBooking struct {
	facility, resource, org string
	week, weekday           int // weeks from this week (negative: past), 1 Monday … 6 Saturday
	start                   string
	minutes                 int
	status                  string
	purpose                 string
}

// demoBookings are use across clusters: the drone centre serves fire
// brigades from Marseille and Karlsruhe, the campus in Genk trains crews
// from Twente and Finland.
func demoBookings() []demoBooking {
	c, done, req, wait := fac.StatusConfirmed, fac.StatusCompleted, fac.StatusRequested, fac.StatusWaitlisted
	return []demoBooking{
		{"twente-airport-drone-centre", "test-range", "proef-drones", -10, 2, "09:00", 8 * 60, done, "Counter-drone sensor calibration"},
		{"twente-airport-drone-centre", "test-range", "sdis-13", -8, 3, "08:00", 36 * 60, done, "Wildfire reconnaissance with drones: pilot training"},
		{"twente-airport-drone-centre", "test-range", "university-of-twente", -7, 1, "10:00", 6 * 60, done, "Autonomous landing experiments"},
		{"twente-airport-drone-centre", "test-range", "branddirektion-karlsruhe", -5, 4, "08:00", 10 * 60, done, "Thermal imaging from drones over a fire"},
		{"twente-airport-drone-centre", "test-range", "eksempel-robotics", -3, 2, "09:00", 8 * 60, done, "Detection of drones carrying payloads"},
		{"twente-airport-drone-centre", "test-range", "proef-drones", -1, 5, "08:00", 12 * 60, done, "Demonstration for the police"},
		{"twente-airport-drone-centre", "test-range", "tno", 1, 2, "09:00", 8 * 60, c, "Drone swarm detection trial"},
		{"twente-airport-drone-centre", "test-range", "sdis-13", 2, 3, "08:00", 36 * 60, c, "Follow-up pilot training"},
		{"twente-airport-drone-centre", "test-range", "karlsruhe-institute-of-technology", 3, 1, "10:00", 4 * 60, req, "Radar cross-section measurements"},
		{"twente-airport-drone-centre", "test-range", "fraunhofer", 1, 2, "11:00", 4 * 60, wait, "Jamming resistance tests"},
		{"twente-airport-drone-centre", "drone-hall", "university-of-twente", -2, 3, "09:00", 4 * 60, done, "Student drone course"},
		{"twente-airport-drone-centre", "drone-hall", "veiligheidsregio-twente", 1, 4, "13:00", 3 * 60, c, "Indoor flight training"},
		{"riskfactory-twente", "experience-route", "veiligheidsregio-twente", -6, 2, "09:00", 180, done, "School class, group 8"},
		{"riskfactory-twente", "experience-route", "pirkanmaa-rescue-department", -4, 3, "10:00", 240, done, "Study visit: safety education methods"},
		{"riskfactory-twente", "experience-route", "ziekenhuis-oost-limburg", -2, 4, "09:30", 180, done, "Elderly fall prevention programme"},
		{"riskfactory-twente", "experience-route", "gemeente-enschede", 2, 2, "09:00", 180, c, "Neighbourhood safety evening (daytime rehearsal)"},
		{"veiligheidscampus-zwartberg", "fire-ground", "stad-genk", -9, 2, "08:00", 8 * 60, done, "Fire brigade zone training"},
		{"veiligheidscampus-zwartberg", "fire-ground", "veiligheidsregio-twente", -6, 4, "08:00", 30 * 60, done, "Cross-border industrial fire exercise"},
		{"veiligheidscampus-zwartberg", "fire-ground", "branddirektion-karlsruhe", -3, 2, "09:00", 8 * 60, done, "Tank fire tactics"},
		{"veiligheidscampus-zwartberg", "fire-ground", "pirkanmaa-rescue-department", 2, 3, "08:00", 10 * 60, c, "Hazardous materials drill"},
		{"veiligheidscampus-zwartberg", "training-village", "innos", -1, 3, "09:00", 6 * 60, done, "Crowd management scenario"},
		{"veiligheidscampus-zwartberg", "training-village", "polizeipraesidium-muenchen", 3, 2, "08:00", 8 * 60, req, "Joint police training"},
		{"hsd-campus", "delta-room", "tno", -4, 2, "10:00", 180, done, "Consortium meeting"},
		{"hsd-campus", "delta-room", "region-sud", -2, 4, "13:00", 240, done, "Alliance working group on facilities"},
		{"hsd-campus", "delta-room", "voorbeeld-forensics", 1, 3, "09:00", 120, c, "Partner meeting"},
		{"hsd-campus", "innovation-lab", "muster-cyber", 2, 1, "09:00", 3 * 24 * 60 / 2, req, "Secure messaging demonstrator"},
		{"esimerkki-cyber-range", "ics-range", "tampere-university", -5, 1, "09:00", 48 * 60, done, "Students' blue team exercise"},
		{"esimerkki-cyber-range", "ics-range", "tno", -2, 2, "08:00", 24 * 60, done, "Water utility attack simulation"},
		{"esimerkki-cyber-range", "ics-range", "muster-cyber", 2, 2, "08:00", 72 * 60, c, "Red team exercise for an energy operator"},
		{"kit-energy-lab", "grid-bench", "fraunhofer", -3, 2, "08:00", 10 * 60, done, "Grid resilience test"},
		{"kit-energy-lab", "grid-bench", "esimerkki-secure", 3, 3, "08:00", 8 * 60, req, "Protection relay attack detection"},
		{"eksempel-drone-test-field", "outdoor-field", "aarhus-university", -4, 2, "09:00", 6 * 60, done, "Ground robot navigation"},
		{"eksempel-drone-test-field", "outdoor-field", "proef-drones", 2, 4, "09:00", 8 * 60, c, "Counter-drone trial in open terrain"},
	}
}

// LoadBookings adds the demonstration resources and bookings to the
// demonstration facilities, dated relative to now so that they stay
// realistic: completed bookings in past weeks, confirmed, requested and
// waiting ones in the weeks ahead. Future bookings go through the booking
// rules like any request; past ones are written as history. It does
// nothing when the facilities already have resources.
func LoadBookings(ctx context.Context, dir directory.Store, svc *fac.Service, now time.Time) (int, error) {
	ctx = access.AsSystem(ctx)
	ctx = audit.WithActor(ctx, audit.Actor{Label: "demo"})
	res := map[string]fac.Resource{}
	facs := map[string]directory.Facility{}
	for _, dr := range demoResources() {
		f, err := dir.GetFacility(ctx, dr.facility)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return 0, err
		}
		facs[dr.facility] = f
		existing, err := svc.Store().ListResources(ctx, f.ID)
		if err != nil {
			return 0, err
		}
		if len(existing) > 0 && len(res) == 0 {
			return 0, nil // loaded before
		}
		r := dr.Resource
		if err := svc.CreateResource(ctx, f.ID, &r); err != nil {
			return 0, fmt.Errorf("demo resource %s/%s: %w", dr.facility, dr.Slug, err)
		}
		res[dr.facility+"/"+dr.Slug] = r
	}
	// Closed for maintenance one day next month.
	if f, ok := facs["twente-airport-drone-centre"]; ok {
		day := now.AddDate(0, 1, 0).Format(time.DateOnly)
		if _, err := svc.CreateBlackout(ctx, f.ID, fac.BlackoutInput{Kind: "maintenance", StartsAt: day + "T00:00", EndsAt: day + "T23:59",
			Reason: "Runway inspection"}); err != nil {
			return 0, fmt.Errorf("demo blackout: %w", err)
		}
	}
	n := 0
	for _, db := range demoBookings() {
		f, ok := facs[db.facility]
		r, ok2 := res[db.facility+"/"+db.resource]
		if !ok || !ok2 {
			continue
		}
		org, err := dir.GetOrganisation(ctx, db.org)
		if err != nil {
			return n, fmt.Errorf("demo booking by %s: %w", db.org, err)
		}
		loc, err := schedule.Location(f.TimeZone)
		if err != nil {
			return n, err
		}
		l := now.In(loc)
		monday := time.Date(l.Year(), l.Month(), l.Day()-(int(l.Weekday())+6)%7, 0, 0, 0, 0, loc)
		day := monday.AddDate(0, 0, 7*db.week+db.weekday-1)
		start, _ := schedule.ParseLocal(day.Format(time.DateOnly)+"T"+db.start, loc)
		end := start.Add(time.Duration(db.minutes) * time.Minute)
		if db.status == fac.StatusCompleted {
			b := &fac.Booking{ResourceID: r.ID, FacilityID: f.ID, OrganisationID: org.ID, StartsAt: start, EndsAt: end,
				TimeZone: f.TimeZone, Purpose: db.purpose, ClusterID: clusterOf(org, f)}
			_, err := svc.Store().CreateBooking(ctx, b, func(nb fac.Booking, _ fac.Snapshot) ([]fac.Step, error) {
				nb.Status, nb.BlockedUntil = fac.StatusCompleted, nb.EndsAt.Add(time.Duration(r.BufferMinutes)*time.Minute)
				return []fac.Step{{Booking: nb, Action: "request"}}, nil
			})
			if err != nil {
				return n, fmt.Errorf("demo booking %s %s: %w", db.facility, db.purpose, err)
			}
			n++
			continue
		}
		in := fac.RequestInput{Resource: r.ID, Organisation: org.ID, StartsAt: start.Format(time.RFC3339), EndsAt: end.Format(time.RFC3339),
			Purpose: db.purpose, Waitlist: db.status == fac.StatusWaitlisted}
		b, err := svc.Request(ctx, in)
		if err != nil {
			// A week ahead may fall in the lead time or on a closed day
			// near a month's end; the demo skips what the rules refuse.
			continue
		}
		if db.status == fac.StatusConfirmed && b.Status == fac.StatusRequested {
			if b, err = svc.Act(ctx, b.ID, fac.ActionApprove, ""); err == nil {
				_, err = svc.Act(ctx, b.ID, fac.ActionConfirm, "")
			}
			if err != nil {
				continue
			}
		}
		n++
	}
	return n, nil
}

// clusterOf is the cluster a historic booking's use counts for: the
// facility's own when the organisation is in it, else the organisation's
// first.
func clusterOf(org directory.Organisation, f directory.Facility) string {
	for _, m := range org.Memberships {
		if m.ClusterID == f.ClusterID {
			return m.ClusterID
		}
	}
	if len(org.Memberships) > 0 {
		return org.Memberships[0].ClusterID
	}
	return ""
}
