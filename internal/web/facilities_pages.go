package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
)

// The facilities' pages: the catalogue, a facility with its resources,
// usage charts and the search for free slots.

// ---- facilities

type facilitiesPage struct {
	layout
	Form filterForm
	Page directory.Page[directory.Facility]
}

func (s *Server) pageFacilities(w http.ResponseWriter, r *http.Request) error {
	form, err := s.readFilterForm(r, directory.FacilityKinds, "q", "country", "kind", "cluster", "capability")
	if err != nil {
		return err
	}
	p, err := s.fac.Facilities(r.Context(), form.Filter)
	if err != nil {
		return err
	}
	form.NextURL = nextURL(r, p.Next)
	return s.render(w, http.StatusOK, "facilities", facilitiesPage{layout: s.layoutQ(r, "title.facilities", "facilities", form.Filter.Query), Form: form, Page: p})
}

type facilityPage struct {
	layout
	Facility directory.Facility
	Caps     map[string]directory.Capability
	Booking  facilityExtras // resources and what the viewer may do (facility_pages.go)
}

func (s *Server) pageFacility(w http.ResponseWriter, r *http.Request) error {
	f, err := s.fac.Facility(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	extras, err := s.facilityExtras(r, f)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "facility", facilityPage{layout: s.layout(r, f.Name, "facilities"), Facility: f, Caps: caps, Booking: extras})
}

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
	if _, x.Resources, err = s.fac.Resources(ctx, f.ID); err != nil {
		return x, err
	}
	x.CanBook = !viewerFrom(ctx).Anonymous() && len(x.Resources) > 0
	x.CanManage = s.fac.MayChange(ctx, f)
	x.Approver, err = s.fac.MayApprove(ctx, f)
	return x, err
}

// Euros writes an amount of euro cents as euros with two decimals.
func (facilityExtras) Euros(cents int64) string {
	return strconv.FormatInt(cents/100, 10) + "." + fmt.Sprintf("%02d", cents%100)
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
	f, u, err := s.facilityUsage(r, false)
	if err != nil {
		return err
	}
	return s.renderUsage(w, r, f.Name, "/facilities/"+f.Slug, "/api/v1/facilities/"+f.ID+"/usage.csv", u)
}

func (s *Server) pageClusterUsage(w http.ResponseWriter, r *http.Request) error {
	c, u, err := s.clusterUsage(r, false)
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
	if d.Slots, err = s.fac.SearchSlots(r.Context(), ss.service()); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "slots", d)
}
