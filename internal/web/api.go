package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

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
	p, err := s.db.ListClusters(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetCluster(w http.ResponseWriter, r *http.Request) error {
	return getJSON(w, r, http.StatusOK, s.db.GetCluster, r.PathValue("id"))
}

func (s *Server) apiCreateCluster(w http.ResponseWriter, r *http.Request) error {
	if v := viewerFrom(r.Context()); !access.CanManageAlliance(v) {
		return errForbidden(v)
	}
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

func (s *Server) respondCluster(w http.ResponseWriter, r *http.Request, status int, id string) error {
	return getJSON(w, r, status, s.db.GetCluster, id)
}

func (s *Server) apiUpdateCluster(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.db.GetCluster(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if v := viewerFrom(r.Context()); !access.CanEditCluster(v, cur.ID) {
		return errForbidden(v)
	}
	var in ClusterInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.dir.UpdateCluster(r.Context(), in.cluster(cur.ID)); err != nil {
		return err
	}
	return s.respondCluster(w, r, http.StatusOK, cur.ID)
}

func (s *Server) apiDeleteCluster(w http.ResponseWriter, r *http.Request) error {
	if v := viewerFrom(r.Context()); !access.CanManageAlliance(v) {
		if _, err := s.db.GetCluster(r.Context(), r.PathValue("id")); err != nil {
			return err
		}
		return errForbidden(v)
	}
	return deleteBy(w, r, s.db.GetCluster, func(ctx context.Context, c directory.Cluster) error { return s.db.DeleteCluster(ctx, c.ID) })
}

// deleteBy resolves an id or slug, then deletes, answering 204.
func deleteBy[T any](w http.ResponseWriter, r *http.Request, get func(context.Context, string) (T, error), del func(context.Context, T) error) error {
	v, err := get(r.Context(), r.PathValue(pathKey(r)))
	if err != nil {
		return err
	}
	if err := del(r.Context(), v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func pathKey(r *http.Request) string {
	if r.PathValue("code") != "" {
		return "code"
	}
	return "id"
}

// ---- organisations

func (s *Server) apiListOrganisations(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r.URL.Query(), "q", "country", "kind", "cluster", "capability", "role")
	if err != nil {
		return err
	}
	if err := checkKind(f, directory.Kinds); err != nil {
		return err
	}
	p, err := s.db.ListOrganisations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetOrganisation(w http.ResponseWriter, r *http.Request) error {
	return getJSON(w, r, http.StatusOK, s.db.GetOrganisation, r.PathValue("id"))
}

func (s *Server) apiCreateOrganisation(w http.ResponseWriter, r *http.Request) error {
	var in OrganisationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	o, err := s.createOrganisation(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/organisations/"+o.ID)
	return s.respondOrganisation(w, r, http.StatusCreated, o.ID)
}

// createOrganisation adds an organisation if the viewer may: alliance
// administrators, and managers of a cluster it joins.
func (s *Server) createOrganisation(ctx context.Context, in OrganisationInput) (*directory.Organisation, error) {
	o := in.organisation("")
	if v := viewerFrom(ctx); !access.CanCreateOrganisation(v, s.clusterIDs(ctx, o.Memberships)) {
		return nil, errForbidden(v)
	}
	return o, s.dir.CreateOrganisation(ctx, o)
}

func (s *Server) respondOrganisation(w http.ResponseWriter, r *http.Request, status int, id string) error {
	return getJSON(w, r, status, s.db.GetOrganisation, id)
}

func (s *Server) apiUpdateOrganisation(w http.ResponseWriter, r *http.Request) error {
	cur, rec, err := s.editableOrganisation(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	var in OrganisationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.updateOrganisation(r.Context(), cur, rec, in); err != nil {
		return err
	}
	return s.respondOrganisation(w, r, http.StatusOK, cur.ID)
}

// editableOrganisation returns the organisation if the viewer may see and
// change it: hidden → not found, visible but not theirs to change →
// forbidden.
func (s *Server) editableOrganisation(ctx context.Context, key string) (directory.Organisation, access.Record, error) {
	cur, err := s.db.GetOrganisation(ctx, key)
	if err != nil {
		return cur, access.Record{}, err
	}
	rec := recordOf(cur, cur.Visibility, cur.TLP)
	if v := viewerFrom(ctx); !access.CanEditOrganisationRecord(v, rec) {
		return cur, rec, errForbidden(v)
	}
	return cur, rec, nil
}

// updateOrganisation applies an update that the viewer may make: leaving
// out the sharing keeps it; widening it needs the owner.
func (s *Server) updateOrganisation(ctx context.Context, cur directory.Organisation, rec access.Record, in OrganisationInput) error {
	keepSharing(&in.Visibility, &in.TLP, cur.Visibility, cur.TLP)
	if err := checkWiden(viewerFrom(ctx), rec, cur.Visibility, cur.TLP, in.Visibility, in.TLP); err != nil {
		return err
	}
	return s.dir.UpdateOrganisation(ctx, in.organisation(cur.ID))
}

func (s *Server) apiDeleteOrganisation(w http.ResponseWriter, r *http.Request) error {
	return deleteBy(w, r, s.db.GetOrganisation, func(ctx context.Context, o directory.Organisation) error {
		if v := viewerFrom(ctx); !access.CanEditOrganisationRecord(v, recordOf(o, o.Visibility, o.TLP)) {
			return errForbidden(v)
		}
		return s.db.DeleteOrganisation(ctx, o.ID)
	})
}

// ---- people

// mayAddOwned checks that the viewer may add a record (a person, a
// facility) to organisation org; without one, validation names the
// missing field.
func (s *Server) mayAddOwned(ctx context.Context, org string) error {
	if org != "" {
		return s.canEditOwned(ctx, org)
	}
	if v := viewerFrom(ctx); v.Anonymous() {
		return errForbidden(v)
	}
	return nil
}

// canEditOwned checks that the viewer may change records of organisation
// org (id or slug), which the viewer must be able to see.
func (s *Server) canEditOwned(ctx context.Context, org string) error {
	if v := viewerFrom(ctx); v.Anonymous() || !v.WriteAllowed {
		return errForbidden(v)
	}
	o, err := s.db.GetOrganisation(ctx, org)
	if errors.Is(err, store.ErrNotFound) {
		return validate.Errors{{Field: "organisation_id", Code: validate.NotFound}}
	}
	if err != nil {
		return err
	}
	if v := viewerFrom(ctx); !access.CanEditOrganisationRecord(v, recordOf(o, o.Visibility, o.TLP)) {
		return errForbidden(v)
	}
	return nil
}

func (s *Server) apiListPeople(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r.URL.Query(), "q", "country", "kind", "cluster", "capability", "organisation")
	if err != nil {
		return err
	}
	if err := checkKind(f, directory.Kinds); err != nil {
		return err
	}
	p, err := s.db.ListPeople(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetPerson(w http.ResponseWriter, r *http.Request) error {
	return getJSON(w, r, http.StatusOK, s.db.GetPerson, r.PathValue("id"))
}

func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request) error {
	var in PersonInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p := in.person("")
	if err := s.mayAddOwned(r.Context(), p.OrganisationID); err != nil {
		return err
	}
	if err := s.dir.CreatePerson(r.Context(), p); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/people/"+p.ID)
	return s.respondPerson(w, r, http.StatusCreated, p.ID)
}

func (s *Server) respondPerson(w http.ResponseWriter, r *http.Request, status int, id string) error {
	return getJSON(w, r, status, s.db.GetPerson, id)
}

func (s *Server) apiUpdatePerson(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.db.GetPerson(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	rec, err := s.orgRecord(r.Context(), cur.OrganisationID, cur.Visibility, cur.TLP)
	if err != nil {
		return err
	}
	rec.PersonID = cur.ID
	if !access.CanEditPerson(v, rec) {
		return errForbidden(v)
	}
	var in PersonInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	keepSharing(&in.Visibility, &in.TLP, cur.Visibility, cur.TLP)
	if err := checkWiden(v, rec, cur.Visibility, cur.TLP, in.Visibility, in.TLP); err != nil {
		return err
	}
	if in.Organisation != "" && in.Organisation != cur.OrganisationID && in.Organisation != cur.OrganisationSlug {
		// Moving a person to another organisation needs the right there too.
		if err := s.canEditOwned(r.Context(), in.Organisation); err != nil {
			return err
		}
	}
	if err := s.dir.UpdatePerson(r.Context(), in.person(cur.ID)); err != nil {
		return err
	}
	return s.respondPerson(w, r, http.StatusOK, cur.ID)
}

func (s *Server) apiDeletePerson(w http.ResponseWriter, r *http.Request) error {
	return deleteBy(w, r, s.db.GetPerson, func(ctx context.Context, p directory.Person) error {
		if err := s.canEditOwned(ctx, p.OrganisationID); err != nil {
			return err
		}
		return s.db.DeletePerson(ctx, p.ID)
	})
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
	caps, err := s.db.ListCapabilities(r.Context())
	if err != nil {
		return err
	}
	if q := r.URL.Query().Get("q"); q != "" {
		caps = filterCapabilities(caps, q)
	}
	return writeJSON(w, http.StatusOK, CapabilityList{Items: caps, Total: len(caps)})
}

// filterCapabilities keeps nodes whose code or any label contains every
// word of q.
func filterCapabilities(caps []directory.Capability, q string) []directory.Capability {
	words := directory.Words(q)
	out := []directory.Capability{}
	for _, c := range caps {
		text := directory.SearchText(c.Code, c.Labels["en"], c.Labels["nl"], c.Labels["fr"], c.Labels["de"])
		ok := true
		for _, w := range words {
			if !strings.Contains(text, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) apiGetCapability(w http.ResponseWriter, r *http.Request) error {
	return getJSON(w, r, http.StatusOK, s.db.GetCapability, r.PathValue("code"))
}

func (s *Server) apiCreateCapability(w http.ResponseWriter, r *http.Request) error {
	if v := viewerFrom(r.Context()); !access.CanManageAlliance(v) {
		return errForbidden(v)
	}
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

func (s *Server) respondCapability(w http.ResponseWriter, r *http.Request, status int, code string) error {
	return getJSON(w, r, status, s.db.GetCapability, code)
}

func (s *Server) apiUpdateCapability(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.db.GetCapability(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	if v := viewerFrom(r.Context()); !access.CanManageAlliance(v) {
		return errForbidden(v)
	}
	var in CapabilityInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Code != "" && in.Code != cur.Code {
		return errBadRequest("The code of a capability cannot change.", validate.Errors{{Field: "code", Code: validate.InvalidChoice, Args: map[string]any{"choices": cur.Code}}})
	}
	c := &directory.Capability{Code: cur.Code, Parent: in.Parent, Labels: in.Labels, Nature: in.Nature, Source: in.Source}
	if err := s.dir.UpdateCapability(r.Context(), c); err != nil {
		return err
	}
	return s.respondCapability(w, r, http.StatusOK, cur.Code)
}

func (s *Server) apiDeleteCapability(w http.ResponseWriter, r *http.Request) error {
	return deleteBy(w, r, s.db.GetCapability, func(ctx context.Context, c directory.Capability) error {
		if v := viewerFrom(ctx); !access.CanManageAlliance(v) {
			return errForbidden(v)
		}
		return s.db.DeleteCapability(ctx, c.Code)
	})
}

// clusterIDs resolves the clusters named in memberships (id or slug); names
// that resolve to nothing are left for validation to report.
func (s *Server) clusterIDs(ctx context.Context, ms []directory.Membership) []string {
	var ids []string
	for _, m := range ms {
		if c, err := s.db.GetCluster(ctx, m.ClusterID); err == nil {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// keepSharing keeps a record's visibility and TLP when an update leaves
// them out, so that omitting a field never widens a record.
func keepSharing(visibility, tlp *string, curVisibility, curTLP string) {
	if *visibility == "" {
		*visibility = curVisibility
	}
	if *tlp == "" {
		*tlp = curTLP
	}
}

// getJSON answers with one record read by key; a missing or hidden record
// is the getter's ErrNotFound (404).
func getJSON[T any](w http.ResponseWriter, r *http.Request, status int, get func(context.Context, string) (T, error), key string) error {
	v, err := get(r.Context(), key)
	if err != nil {
		return err
	}
	return writeJSON(w, status, v)
}
