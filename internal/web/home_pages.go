package web

import (
	"net/http"
	"time"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/practices"
)

// The home page: for visitors, what the alliance is, its clusters on the
// map, upcoming events, open calls, recent practices and how to ask or
// join; for a signed-in member also what needs them and what is new since
// their previous visit. Every list reads through its capability's service,
// so it holds only what the viewer may see.

// homeListSize is how many items each short list on the home page shows;
// each list links to its whole.
const homeListSize = 5

type homePage struct {
	layout
	Clusters      []directory.Cluster
	Organisations int // members of the alliance
	Outsiders     int // organisations known only from EU records
	People        int
	Facilities    int
	Map           *mapView
	Events        []homeItem
	Calls         []homeItem
	Practices     []homeItem
	// Signed in only.
	Member     bool
	Since      time.Time // the previous sign-in; zero on the first
	ToDecide   int       // bookings waiting for the viewer's decision
	Questions  []homeItem
	MyBookings []homeItem
}

// homeList is what the home-list template shows: the items, or the
// sentence for an empty list.
type homeList struct {
	L     *Localizer
	Items []homeItem
	Empty string
}

// homeItem is one line of a short list: a linked title, when, and whether
// it is new since the member's previous visit.
type homeItem struct {
	URL, Title, When, Note string
	New                    bool
}

func (s *Server) pageHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	data := homePage{layout: s.layout(r, "title.home", "home")}
	if err := s.homeDirectory(r, &data); err != nil {
		return err
	}
	if u, ok := userFrom(ctx); ok {
		data.Member = true
		if u.PreviousLoginAt != nil {
			data.Since = *u.PreviousLoginAt
		}
	}
	now := time.Now()
	evs, err := s.ev.ListEvents(ctx, events.Filter{From: now, Limit: homeListSize})
	if err != nil {
		return err
	}
	for _, e := range evs {
		row := s.eventRowOf(r, data.L, e)
		data.Events = append(data.Events, homeItem{URL: "/events/" + e.Slug, Title: row.Title, When: row.When, Note: row.Where, New: data.isNew(e.CreatedAt)})
	}
	open, err := s.calls.List(ctx, calls.Filter{DeadlineAfter: now.Format(time.DateOnly), Limit: homeListSize})
	if err != nil {
		return err
	}
	for _, c := range open.Items {
		data.Calls = append(data.Calls, homeItem{URL: "/calls/" + c.ID, Title: c.Title, When: data.L.Date(c.Deadline), Note: c.ID, New: data.isNew(c.CreatedAt)})
	}
	recent, err := s.practices.Search(ctx, practices.Filter{Limit: homeListSize})
	if err != nil {
		return err
	}
	for _, e := range recent.Items {
		t := e.In(data.L.Lang)
		data.Practices = append(data.Practices, homeItem{URL: "/practices/" + e.ID, Title: t.Title, When: data.L.Date(e.UpdatedAt), Note: e.OrganisationName, New: data.isNew(e.UpdatedAt)})
	}
	if data.Member {
		if err := s.homeNeeds(r, &data, now); err != nil {
			return err
		}
	}
	return s.render(w, http.StatusOK, "home", data)
}

// isNew says whether something dated t is new since the previous visit.
func (d homePage) isNew(t time.Time) bool {
	return d.Member && !d.Since.IsZero() && t.After(d.Since)
}

// homeDirectory fills the alliance's figures, its clusters and their map.
func (s *Server) homeDirectory(r *http.Request, data *homePage) error {
	ctx := r.Context()
	cl, err := s.dir.ListClusters(ctx, directory.Filter{Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	orgs, err := s.dir.ListOrganisations(ctx, directory.Filter{Limit: 1, Membership: directory.MembershipMembers})
	if err != nil {
		return err
	}
	outsiders, err := s.dir.ListOrganisations(ctx, directory.Filter{Limit: 1, Membership: directory.MembershipOutsiders})
	if err != nil {
		return err
	}
	people, err := s.dir.ListPeople(ctx, directory.Filter{Limit: 1})
	if err != nil {
		return err
	}
	fac, err := s.dir.ListFacilities(ctx, directory.Filter{Limit: 1})
	if err != nil {
		return err
	}
	countries, err := s.dir.OrganisationCountries(ctx, directory.Filter{})
	if err != nil {
		return err
	}
	data.Clusters, data.Organisations, data.Outsiders, data.People, data.Facilities = cl.Items, orgs.Total, outsiders.Total, people.Total, fac.Total
	data.Map = s.directoryMap(r, data.L, "home-map", facetCounts(countries), cl.Items)
	return nil
}

// homeNeeds fills what needs the signed-in member: bookings to decide,
// open questions on their desk or assigned to them, their next bookings.
func (s *Server) homeNeeds(r *http.Request, data *homePage, now time.Time) error {
	ctx := r.Context()
	decide, err := s.fac.Bookings(ctx, facilities.RoleApprover, "", "")
	if err != nil {
		return err
	}
	for _, b := range decide {
		if b.Status == facilities.StatusRequested || b.Status == facilities.StatusWaitlisted {
			data.ToDecide++
		}
	}
	mine, err := s.fac.Bookings(ctx, facilities.RoleRequester, "", "")
	if err != nil {
		return err
	}
	for _, b := range mine {
		if b.EndsAt.After(now) && facilities.Holds(b.Status) && len(data.MyBookings) < homeListSize {
			data.MyBookings = append(data.MyBookings, homeItem{URL: "/bookings/" + b.ID, Title: b.ResourceName + " · " + b.FacilityName, When: b.Local(),
				Note: data.L.T("booking_status." + b.Status)})
		}
	}
	cases, err := s.inq.List(ctx, inquiries.Filter{Limit: 50})
	if err != nil {
		return err
	}
	for _, c := range cases {
		if c.State == inquiries.StateClosed || len(data.Questions) >= homeListSize {
			continue
		}
		data.Questions = append(data.Questions, homeItem{URL: "/inquiries/" + c.ID, Title: data.L.T("inquiries.case_title", "number", c.Number),
			When: data.L.Date(c.CreatedAt), Note: data.L.T("inquiries.state." + c.State), New: data.isNew(c.CreatedAt)})
	}
	return nil
}
