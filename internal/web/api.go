package web

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

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

func checkKind(f directory.Filter, kinds []string) error {
	if f.Kind != "" && !slices.Contains(kinds, f.Kind) {
		var errs validate.Errors
		errs.Choice("kind", f.Kind, false, kinds...)
		return errBadRequest("Invalid query parameters.", errs)
	}
	return nil
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

// ---- facilities

func (s *Server) apiListFacilities(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r.URL.Query(), "q", "country", "kind", "cluster", "capability", "organisation")
	if err != nil {
		return err
	}
	if err := checkKind(f, directory.FacilityKinds); err != nil {
		return err
	}
	p, err := s.db.ListFacilities(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetFacility(w http.ResponseWriter, r *http.Request) error {
	return getJSON(w, r, http.StatusOK, s.db.GetFacility, r.PathValue("id"))
}

func (s *Server) apiCreateFacility(w http.ResponseWriter, r *http.Request) error {
	var in FacilityInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	f := in.facility("")
	if err := s.mayAddOwned(r.Context(), f.OrganisationID); err != nil {
		return err
	}
	if err := s.dir.CreateFacility(r.Context(), f); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/facilities/"+f.ID)
	return s.respondFacility(w, r, http.StatusCreated, f.ID)
}

func (s *Server) respondFacility(w http.ResponseWriter, r *http.Request, status int, id string) error {
	return getJSON(w, r, status, s.db.GetFacility, id)
}

func (s *Server) apiUpdateFacility(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.db.GetFacility(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	rec, err := s.orgRecord(r.Context(), cur.OrganisationID, cur.Visibility, cur.TLP)
	if err != nil {
		return err
	}
	if !access.CanEditOrganisationRecord(v, rec) {
		return errForbidden(v)
	}
	var in FacilityInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	keepSharing(&in.Visibility, &in.TLP, cur.Visibility, cur.TLP)
	if err := checkWiden(v, rec, cur.Visibility, cur.TLP, in.Visibility, in.TLP); err != nil {
		return err
	}
	if in.Organisation != "" && in.Organisation != cur.OrganisationID {
		if err := s.canEditOwned(r.Context(), in.Organisation); err != nil {
			return err
		}
	}
	if err := s.dir.UpdateFacility(r.Context(), in.facility(cur.ID)); err != nil {
		return err
	}
	return s.respondFacility(w, r, http.StatusOK, cur.ID)
}

func (s *Server) apiDeleteFacility(w http.ResponseWriter, r *http.Request) error {
	return deleteBy(w, r, s.db.GetFacility, func(ctx context.Context, f directory.Facility) error {
		if err := s.canEditOwned(ctx, f.OrganisationID); err != nil {
			return err
		}
		return s.db.DeleteFacility(ctx, f.ID)
	})
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
