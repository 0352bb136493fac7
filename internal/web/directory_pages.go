package web

import (
	"net/http"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
)

// The directory's pages: home, clusters, organisations, people and the
// capability taxonomy. Each reads through the directory service, which
// shows only what the viewer may see.

// ---- clusters

type clustersPage struct {
	layout
	Form filterForm
	Page directory.Page[directory.Cluster]
	Caps map[string]directory.Capability
	Map  *mapView
}

func (s *Server) pageClusters(w http.ResponseWriter, r *http.Request) error {
	form, err := s.readFilterForm(r, nil, "q", "country", "capability")
	if err != nil {
		return err
	}
	p, err := s.dir.ListClusters(r.Context(), form.Filter)
	if err != nil {
		return err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	form.NextURL = nextURL(r, p.Next)
	data := clustersPage{layout: s.layoutQ(r, "title.clusters", "clusters", form.Filter.Query), Form: form, Page: p, Caps: caps}
	countries, err := s.dir.OrganisationCountries(r.Context(), directory.Filter{})
	if err != nil {
		return err
	}
	data.Map = s.directoryMap(r, data.L, "clusters-map", facetCounts(countries), p.Items)
	return s.render(w, http.StatusOK, "clusters", data)
}

type clusterPage struct {
	layout
	Network    *networkView
	CanEdit    bool
	CanDecide  bool // may accept or refuse requests to join
	Cluster    directory.Cluster
	Members    directory.Page[directory.Organisation]
	Facilities []directory.Facility
	Caps       map[string]directory.Capability
	Letter     *letterStatus // governance_pages.go
}

func (s *Server) pageCluster(w http.ResponseWriter, r *http.Request) error {
	c, err := s.dir.GetCluster(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	members, err := s.dir.ListOrganisations(r.Context(), directory.Filter{Cluster: c.ID, Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	fac, err := s.dir.ListFacilities(r.Context(), directory.Filter{Cluster: c.ID, Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	data := clusterPage{layout: s.layout(r, c.Name, "clusters"), Cluster: c, Members: members, Facilities: fac.Items, Caps: caps}
	acts := s.dir.ClusterActions(r.Context(), c)
	data.CanEdit, data.CanDecide = acts.Edit, acts.Decide
	if data.Letter, err = s.clusterLetter(r, c.ID); err != nil {
		return err
	}
	var focus []string
	for _, m := range members.Items {
		focus = append(focus, m.ID)
	}
	if data.Network, err = s.collaborationNetwork(r, data.L, "cluster-network", data.L.T("network.heading")+": "+c.Name, focus); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "cluster", data)
}

// ---- organisations

type organisationsPage struct {
	layout
	CanAdd      bool
	Form        filterForm
	Page        directory.Page[directory.Organisation]
	Map         *mapView
	ExportQuery string
	Membership  []toggleChoice // members, outsiders, all (linking_pages.go)
}

func (s *Server) pageOrganisations(w http.ResponseWriter, r *http.Request) error {
	form, err := s.readFilterForm(r, directory.Kinds, "q", "country", "kind", "cluster", "capability", "role", "membership")
	if err != nil {
		return err
	}
	form.Filter.Membership = membersByDefault(form.Filter.Membership)
	p, err := s.dir.ListOrganisations(r.Context(), form.Filter)
	if err != nil {
		return err
	}
	form.NextURL = nextURL(r, p.Next)
	data := organisationsPage{layout: s.layoutQ(r, "title.organisations", "organisations", form.Filter.Query), Form: form, Page: p,
		Membership: membershipToggle(r, form.Filter.Membership)}
	countries, err := s.dir.OrganisationCountries(r.Context(), form.Filter)
	if err != nil {
		return err
	}
	data.Map = s.directoryMap(r, data.L, "organisations-map", facetCounts(countries), form.Clusters)
	v := viewerFrom(r.Context())
	data.CanAdd = v.WriteAllowed && (v.AllianceAdmin || len(v.ManagedClusters) > 0)
	if q := r.URL.Query(); len(q) > 0 {
		q.Del("cursor")
		data.ExportQuery = "?" + q.Encode()
	}
	return s.render(w, http.StatusOK, "organisations", data)
}

type organisationPage struct {
	layout
	CanInvite    bool
	CanEdit      bool
	CanAsk       bool                // may ask for it to join a cluster
	Joinable     []directory.Cluster // clusters it may ask to join
	MemberRoles  []string
	Pending      []directory.MembershipRequest // open requests to join
	Organisation directory.Organisation
	People       []directory.Person
	Facilities   []directory.Facility
	Caps         map[string]directory.Capability
	Track        *trackView // EU projects (pages_projects.go)
	Network      *networkView
	Linking      orgLinking // known only from EU records: claim, invite (linking_pages.go)
}

func (s *Server) pageOrganisation(w http.ResponseWriter, r *http.Request) error {
	data, err := s.organisationData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "organisation", data)
}

func (s *Server) organisationData(r *http.Request) (data organisationPage, err error) {
	o, err := s.dir.GetOrganisation(r.Context(), r.PathValue("slug"))
	if err != nil {
		return data, err
	}
	people, err := s.dir.ListPeople(r.Context(), directory.Filter{Organisation: o.ID, Limit: directory.MaxListLimit})
	if err != nil {
		return data, err
	}
	fac, err := s.dir.ListFacilities(r.Context(), directory.Filter{Organisation: o.ID, Limit: directory.MaxListLimit})
	if err != nil {
		return data, err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return data, err
	}
	data = organisationPage{layout: s.layout(r, o.Name, "organisations"), Organisation: o, People: people.Items, Facilities: fac.Items, Caps: caps}
	acts := s.dir.OrganisationActions(r.Context(), o)
	data.CanInvite, data.CanEdit, data.CanAsk = acts.Invite, acts.Edit, acts.AskToJoin
	if data.CanAsk {
		if err := s.joinChoices(r, &data); err != nil {
			return data, err
		}
	}
	if data.Linking, err = s.orgLinking(r, o); err != nil { // linking_pages.go
		return data, err
	}
	if data.Track, err = s.trackRecord(r, o); err != nil {
		return data, err
	}
	if data.Network, err = s.collaborationNetwork(r, data.L, "org-network", data.L.T("network.heading")+": "+o.Name, []string{o.ID}); err != nil {
		return data, err
	}
	return data, nil
}

// ---- people

type peoplePage struct {
	layout
	Form filterForm
	Page directory.Page[directory.Person]
}

func (s *Server) pagePeople(w http.ResponseWriter, r *http.Request) error {
	form, err := s.readFilterForm(r, nil, "q", "country", "cluster", "capability")
	if err != nil {
		return err
	}
	p, err := s.dir.ListPeople(r.Context(), form.Filter)
	if err != nil {
		return err
	}
	form.NextURL = nextURL(r, p.Next)
	return s.render(w, http.StatusOK, "people", peoplePage{layout: s.layoutQ(r, "title.people", "people", form.Filter.Query), Form: form, Page: p})
}

type personPage struct {
	layout
	CanEdit bool
	Person  directory.Person
	Caps    map[string]directory.Capability
}

func (s *Server) pagePerson(w http.ResponseWriter, r *http.Request) error {
	p, err := s.dir.GetPerson(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	data := personPage{layout: s.layout(r, p.Name, "people"), Person: p, Caps: caps}
	data.CanEdit = s.dir.PersonActions(r.Context(), p).Edit
	return s.render(w, http.StatusOK, "person", data)
}

// ---- capabilities

type capabilityNode struct {
	directory.Capability
	Children []directory.Capability
}

type capabilitiesPage struct {
	layout
	Tree []capabilityNode
}

func (s *Server) pageCapabilities(w http.ResponseWriter, r *http.Request) error {
	_, list, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	var tree []capabilityNode
	index := map[string]int{}
	for _, c := range list {
		if c.Parent == "" {
			index[c.Code] = len(tree)
			tree = append(tree, capabilityNode{Capability: c})
		}
	}
	for _, c := range list {
		if i, ok := index[c.Parent]; ok {
			tree[i].Children = append(tree[i].Children, c)
		}
	}
	return s.render(w, http.StatusOK, "capabilities", capabilitiesPage{layout: s.layout(r, "title.capabilities", "capabilities"), Tree: tree})
}

type capabilityPage struct {
	layout
	Capability    directory.Capability
	Parent        *directory.Capability
	Children      []directory.Capability
	Organisations directory.Page[directory.Organisation]
}

func (s *Server) pageCapability(w http.ResponseWriter, r *http.Request) error {
	caps, list, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	c, ok := caps[r.PathValue("code")]
	if !ok {
		return store.ErrNotFound
	}
	data := capabilityPage{layout: s.layout(r, c.Label("en"), "capabilities"), Capability: c}
	if p, ok := caps[c.Parent]; ok {
		data.Parent = &p
	}
	for _, x := range list {
		if x.Parent == c.Code {
			data.Children = append(data.Children, x)
		}
	}
	data.Organisations, err = s.dir.ListOrganisations(r.Context(), directory.Filter{Capability: c.Code, Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "capability", data)
}

// ---- facilities

// joinChoices fills the form that asks for an organisation to join a
// cluster: the clusters it is not in and has not asked to join yet.
func (s *Server) joinChoices(r *http.Request, data *organisationPage) error {
	o := data.Organisation
	cl, err := s.dir.ListClusters(r.Context(), directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	if err != nil {
		return err
	}
	pending, err := s.dir.ListMembershipRequests(r.Context(), directory.RequestFilter{Organisation: o.ID, State: directory.RequestOpen})
	if err != nil {
		return err
	}
	taken := map[string]bool{}
	for _, m := range o.Memberships {
		taken[m.ClusterID] = true
	}
	for _, p := range pending {
		taken[p.ClusterID] = true
	}
	for _, c := range cl.Items {
		if !taken[c.ID] {
			data.Joinable = append(data.Joinable, c)
		}
	}
	data.Pending, data.MemberRoles = pending, directory.MembershipRoles
	return nil
}

// postRequestMembership is the organisation page's form asking for it to
// join a cluster.
func (s *Server) postRequestMembership(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	req := &directory.MembershipRequest{ClusterID: f.Get("cluster_id"), Role: f.Get("role"), Note: f.Get("note")}
	if err := s.dir.RequestMembership(r.Context(), r.PathValue("slug"), req); err != nil {
		return err
	}
	http.Redirect(w, r, "/organisations/"+req.OrganisationSlug+"#join", http.StatusSeeOther)
	return nil
}

// membershipRequestsPage lists the requests to join clusters that the
// viewer may see; those they may decide on carry the buttons.
type membershipRequestsPage struct {
	layout
	Requests []membershipRequestRow
	State    string
	States   []string
}

type membershipRequestRow struct {
	directory.MembershipRequest
	CanDecide bool
}

func (s *Server) pageMembershipRequests(w http.ResponseWriter, r *http.Request) error {
	state := r.URL.Query().Get("state")
	if state == "" {
		state = directory.RequestOpen
	}
	list, err := s.dir.ListMembershipRequests(r.Context(), directory.RequestFilter{State: state})
	if err != nil {
		return err
	}
	data := membershipRequestsPage{layout: s.layout(r, "title.membership_requests", "clusters"), State: state, States: directory.RequestStates}
	for _, m := range list {
		decide := m.State == directory.RequestOpen && s.dir.ClusterActions(r.Context(), directory.Cluster{ID: m.ClusterID}).Decide
		data.Requests = append(data.Requests, membershipRequestRow{m, decide})
	}
	return s.render(w, http.StatusOK, "membership_requests", data)
}

// postDecideMembershipRequest accepts or refuses a request from the list.
func (s *Server) postDecideMembershipRequest(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	accept, err := decision(r.PostForm.Get("decision"))
	if err != nil {
		return err
	}
	if _, err := s.dir.DecideMembershipRequest(r.Context(), r.PathValue("id"), accept); err != nil {
		return err
	}
	http.Redirect(w, r, "/membership-requests", http.StatusSeeOther)
	return nil
}
