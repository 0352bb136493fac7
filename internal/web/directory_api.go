package web

import (
	"net/http"
	"slices"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/validate"
)

// The directory's JSON API: each handler decodes, calls one method of the
// directory service (which decides what the viewer may do) and encodes.
// Editable records carry their version as an ETag; an update sent with a
// stale If-Match is refused with 412.

// ClusterInput is the writable part of a cluster.
type ClusterInput struct {
	Slug        string               `json:"slug"`
	Name        string               `json:"name"`
	Country     string               `json:"country"`
	Region      string               `json:"region"`
	City        string               `json:"city"`
	Website     string               `json:"website"`
	Description string               `json:"description"`
	Themes      []string             `json:"themes"`
	Joined      string               `json:"joined"`
	Commitment  directory.Commitment `json:"commitment"`
}

func (in ClusterInput) cluster(id string) *directory.Cluster {
	return &directory.Cluster{ID: id, Slug: in.Slug, Name: in.Name, Country: in.Country, Region: in.Region, City: in.City,
		Website: in.Website, Description: in.Description, Themes: in.Themes, Joined: in.Joined, Commitment: in.Commitment}
}

// MembershipInput ties an organisation to a cluster (id or slug).
type MembershipInput struct {
	Cluster string `json:"cluster_id"`
	Role    string `json:"role"`
	Since   string `json:"since"`
}

// OrganisationInput is the writable part of an organisation.
type OrganisationInput struct {
	Slug              string            `json:"slug"`
	Name              string            `json:"name"`
	ShortName         string            `json:"short_name"`
	Kind              string            `json:"kind"`
	SME               bool              `json:"sme"`
	PractitionerRoles []string          `json:"practitioner_roles"`
	Country           string            `json:"country"`
	City              string            `json:"city"`
	Website           string            `json:"website"`
	PIC               string            `json:"pic"`
	VAT               string            `json:"vat"`
	Description       string            `json:"description"`
	Capabilities      []string          `json:"capabilities"`
	Memberships       []MembershipInput `json:"memberships"`
	Visibility        string            `json:"visibility"`
	TLP               string            `json:"tlp"`
}

func (in OrganisationInput) organisation(id string) *directory.Organisation {
	o := &directory.Organisation{ID: id, Slug: in.Slug, Name: in.Name, ShortName: in.ShortName, Kind: in.Kind, SME: in.SME,
		PractitionerRoles: in.PractitionerRoles, Country: in.Country, City: in.City, Website: in.Website, PIC: in.PIC, VAT: in.VAT,
		Description: in.Description, Capabilities: in.Capabilities, Visibility: in.Visibility, TLP: in.TLP}
	for _, m := range in.Memberships {
		o.Memberships = append(o.Memberships, directory.Membership{ClusterID: m.Cluster, Role: m.Role, Since: m.Since})
	}
	return o
}

// PersonInput is the writable part of a person.
type PersonInput struct {
	Name         string   `json:"name"`
	Email        string   `json:"email"`
	Organisation string   `json:"organisation_id"`
	Title        string   `json:"title"`
	Expertise    []string `json:"expertise"`
	Languages    []string `json:"languages"`
	Listed       bool     `json:"listed"`
	Visibility   string   `json:"visibility"`
	TLP          string   `json:"tlp"`
}

func (in PersonInput) person(id string) *directory.Person {
	return &directory.Person{ID: id, Name: in.Name, Email: in.Email, OrganisationID: in.Organisation, Title: in.Title,
		Expertise: in.Expertise, Languages: in.Languages, Listed: in.Listed, Visibility: in.Visibility, TLP: in.TLP}
}

// CapabilityInput is the writable part of a taxonomy node.
type CapabilityInput struct {
	Code   string            `json:"code"`
	Parent string            `json:"parent"`
	Labels map[string]string `json:"labels"`
	Nature string            `json:"nature"`
	Source string            `json:"source"`
}

// checkKind refuses a kind filter outside kinds (400).
func checkKind(f directory.Filter, kinds []string) error {
	if f.Kind != "" && !slices.Contains(kinds, f.Kind) {
		var errs validate.Errors
		errs.Choice("kind", f.Kind, false, kinds...)
		return errBadRequest("Invalid query parameters.", errs)
	}
	return nil
}

// ---- clusters

func (s *Server) apiListClusters(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r.URL.Query(), "q", "country", "capability")
	if err != nil {
		return err
	}
	p, err := s.dir.ListClusters(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetCluster(w http.ResponseWriter, r *http.Request) error {
	return s.respondCluster(w, r, http.StatusOK, r.PathValue("id"))
}

func (s *Server) respondCluster(w http.ResponseWriter, r *http.Request, status int, key string) error {
	c, err := s.dir.GetCluster(r.Context(), key)
	if err != nil {
		return err
	}
	setETag(w, c.Version)
	return writeJSON(w, status, c)
}

func (s *Server) apiCreateCluster(w http.ResponseWriter, r *http.Request) error {
	var in ClusterInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c := in.cluster("")
	if err := s.dir.CreateCluster(r.Context(), c); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/clusters/"+c.ID)
	return s.respondCluster(w, r, http.StatusCreated, c.ID)
}

func (s *Server) apiUpdateCluster(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in ClusterInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c := in.cluster(r.PathValue("id"))
	c.Version = version
	if err := s.dir.UpdateCluster(r.Context(), c); err != nil {
		return err
	}
	return s.respondCluster(w, r, http.StatusOK, c.ID)
}

func (s *Server) apiDeleteCluster(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.dir.DeleteCluster(r.Context(), r.PathValue("id")))
}

// noContent answers 204 after a successful delete.
func noContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- organisations

func (s *Server) apiListOrganisations(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r.URL.Query(), "q", "country", "kind", "cluster", "capability", "role", "membership")
	if err != nil {
		return err
	}
	if err := checkKind(f, directory.Kinds); err != nil {
		return err
	}
	f.Membership = membersByDefault(f.Membership)
	p, err := s.dir.ListOrganisations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetOrganisation(w http.ResponseWriter, r *http.Request) error {
	return s.respondOrganisation(w, r, http.StatusOK, r.PathValue("id"))
}

func (s *Server) respondOrganisation(w http.ResponseWriter, r *http.Request, status int, key string) error {
	o, err := s.dir.GetOrganisation(r.Context(), key)
	if err != nil {
		return err
	}
	setETag(w, o.Version)
	return writeJSON(w, status, o)
}

func (s *Server) apiCreateOrganisation(w http.ResponseWriter, r *http.Request) error {
	var in OrganisationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	o := in.organisation("")
	if err := s.dir.CreateOrganisation(r.Context(), o); err != nil {
		return err
	}
	// Entered: linked at once to the EU record strong evidence ties it to
	// (linking_service.go); the answer shows it with the record's PIC.
	if _, err := s.proj.LinkEntered(r.Context(), o.ID); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/organisations/"+o.ID)
	return s.respondOrganisation(w, r, http.StatusCreated, o.ID)
}

func (s *Server) apiUpdateOrganisation(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in OrganisationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	o := in.organisation(r.PathValue("id"))
	o.Version = version
	if err := s.dir.UpdateOrganisation(r.Context(), o); err != nil {
		return err
	}
	return s.respondOrganisation(w, r, http.StatusOK, o.ID)
}

func (s *Server) apiDeleteOrganisation(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.dir.DeleteOrganisation(r.Context(), r.PathValue("id")))
}

// ---- people

func (s *Server) apiListPeople(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r.URL.Query(), "q", "country", "kind", "cluster", "capability", "organisation")
	if err != nil {
		return err
	}
	if err := checkKind(f, directory.Kinds); err != nil {
		return err
	}
	p, err := s.dir.ListPeople(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetPerson(w http.ResponseWriter, r *http.Request) error {
	return s.respondPerson(w, r, http.StatusOK, r.PathValue("id"))
}

func (s *Server) respondPerson(w http.ResponseWriter, r *http.Request, status int, id string) error {
	p, err := s.dir.GetPerson(r.Context(), id)
	if err != nil {
		return err
	}
	setETag(w, p.Version)
	return writeJSON(w, status, p)
}

func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request) error {
	var in PersonInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p := in.person("")
	if err := s.dir.CreatePerson(r.Context(), p); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/people/"+p.ID)
	return s.respondPerson(w, r, http.StatusCreated, p.ID)
}

func (s *Server) apiUpdatePerson(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in PersonInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p := in.person(r.PathValue("id"))
	p.Version = version
	if err := s.dir.UpdatePerson(r.Context(), p); err != nil {
		return err
	}
	return s.respondPerson(w, r, http.StatusOK, p.ID)
}

func (s *Server) apiDeletePerson(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.dir.DeletePerson(r.Context(), r.PathValue("id")))
}

// ---- capabilities

// CapabilityList is the taxonomy in display order.
type CapabilityList struct {
	Items []directory.Capability `json:"items"`
	Total int                    `json:"total"`
}

func (s *Server) apiListCapabilities(w http.ResponseWriter, r *http.Request) error {
	var errs validate.Errors
	for k := range r.URL.Query() {
		if k != "q" {
			errs.Add(k, validate.UnknownField)
		}
	}
	if len(errs) > 0 {
		return errBadRequest("Unknown query parameters.", errs)
	}
	caps, err := s.dir.ListCapabilities(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, CapabilityList{Items: caps, Total: len(caps)})
}

func (s *Server) apiGetCapability(w http.ResponseWriter, r *http.Request) error {
	return s.respondCapability(w, r, http.StatusOK, r.PathValue("code"))
}

func (s *Server) respondCapability(w http.ResponseWriter, r *http.Request, status int, code string) error {
	c, err := s.dir.GetCapability(r.Context(), code)
	if err != nil {
		return err
	}
	setETag(w, c.Version)
	return writeJSON(w, status, c)
}

func (s *Server) apiCreateCapability(w http.ResponseWriter, r *http.Request) error {
	var in CapabilityInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c := &directory.Capability{Code: in.Code, Parent: in.Parent, Labels: in.Labels, Nature: in.Nature, Source: in.Source}
	if err := s.dir.CreateCapability(r.Context(), c); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/capabilities/"+c.Code)
	return s.respondCapability(w, r, http.StatusCreated, c.Code)
}

func (s *Server) apiUpdateCapability(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in CapabilityInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c := &directory.Capability{Code: in.Code, Parent: in.Parent, Labels: in.Labels, Nature: in.Nature, Source: in.Source, Version: version}
	if err := s.dir.UpdateCapability(r.Context(), r.PathValue("code"), c); err != nil {
		return err
	}
	return s.respondCapability(w, r, http.StatusOK, c.Code)
}

func (s *Server) apiDeleteCapability(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.dir.DeleteCapability(r.Context(), r.PathValue("code")))
}

// ---- requests to join a cluster

// MembershipRequestInput asks for an organisation to join a cluster (id or
// slug) in a role.
type MembershipRequestInput struct {
	Cluster string `json:"cluster_id"`
	Role    string `json:"role"`
	Note    string `json:"note"`
}

// MembershipRequestList is the requests the viewer may see, newest first.
type MembershipRequestList struct {
	Items []directory.MembershipRequest `json:"items"`
	Total int                           `json:"total"`
}

func (s *Server) apiRequestMembership(w http.ResponseWriter, r *http.Request) error {
	var in MembershipRequestInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	req := &directory.MembershipRequest{ClusterID: in.Cluster, Role: in.Role, Note: in.Note}
	if err := s.dir.RequestMembership(r.Context(), r.PathValue("id"), req); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/membership-requests/"+req.ID)
	return writeJSON(w, http.StatusCreated, req)
}

func (s *Server) apiListMembershipRequests(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var errs validate.Errors
	for k := range q {
		if k != "cluster" && k != "organisation" && k != "state" {
			errs.Add(k, validate.UnknownField)
		}
	}
	if len(errs) > 0 {
		return errBadRequest("Unknown query parameters.", errs)
	}
	list, err := s.dir.ListMembershipRequests(r.Context(), directory.RequestFilter{Cluster: q.Get("cluster"), Organisation: q.Get("organisation"), State: q.Get("state")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, MembershipRequestList{Items: list, Total: len(list)})
}

func (s *Server) apiGetMembershipRequest(w http.ResponseWriter, r *http.Request) error {
	req, err := s.dir.GetMembershipRequest(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, req)
}

// DecisionInput accepts or refuses a request.
type DecisionInput struct {
	Decision string `json:"decision"`
}

func (s *Server) apiDecideMembershipRequest(w http.ResponseWriter, r *http.Request) error {
	var in DecisionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	accept, err := decision(in.Decision)
	if err != nil {
		return err
	}
	req, err := s.dir.DecideMembershipRequest(r.Context(), r.PathValue("id"), accept)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, req)
}

// decision reads "accept" or "refuse".
func decision(v string) (bool, error) {
	switch v {
	case "accept":
		return true, nil
	case "refuse":
		return false, nil
	}
	return false, validate.Errors{{Field: "decision", Code: validate.InvalidChoice, Args: map[string]any{"choices": "accept, refuse"}}}
}
