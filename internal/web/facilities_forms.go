package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/store"
)

// The facilities' management forms: create and edit a facility, its
// closures and its approvers. Each form calls one method of the
// facilities service, which decides what the viewer may do; on an error
// nothing is saved and the form comes back with the fields named.

// facilityForm is the data of the facility edit page.
type facilityForm struct {
	layout
	New           bool
	Action        string
	Facility      directory.Facility
	In            directory.Facility
	Errors        []ProblemField
	Stale         bool
	Organisations []directory.Organisation
	Clusters      []directory.Cluster
	Kinds         []string
	Countries     []string
	Levels        []string
	// The edit page also lists the resources, closures and approvers.
	Resources []facilities.Resource
	Closures  []facilities.Blackout
	Approvers string
}

func (s *Server) facilityFormData(r *http.Request, title string) (facilityForm, error) {
	d := facilityForm{layout: s.layout(r, title, "facilities"), Kinds: directory.FacilityKinds, Countries: countryChoices, Levels: access.Levels}
	ctx := r.Context()
	cl, err := s.dir.ListClusters(ctx, directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	if err != nil {
		return d, err
	}
	d.Clusters = cl.Items
	orgs, err := s.dir.ListOrganisations(ctx, directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	if err != nil {
		return d, err
	}
	d.Organisations = orgs.Items
	return d, nil
}

// facilityFromForm copies the form's fields over f (the fields the form
// does not show keep their values).
func facilityFromForm(f url.Values, into directory.Facility) directory.Facility {
	into.Name, into.Slug = strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("slug"))
	into.OrganisationID, into.ClusterID, into.Kind = f.Get("organisation_id"), f.Get("cluster_id"), f.Get("kind")
	into.Country, into.City, into.TimeZone = f.Get("country"), strings.TrimSpace(f.Get("city")), strings.TrimSpace(f.Get("time_zone"))
	into.Description, into.Visibility = strings.TrimSpace(f.Get("description")), f.Get("visibility")
	return into
}

// editableFacility returns the facility of the path, if the viewer may
// change it (404 if they may not see it, 403 if they may not change it).
func (s *Server) editableFacility(r *http.Request) (directory.Facility, error) {
	f, err := s.fac.Facility(r.Context(), r.PathValue("slug"))
	if err != nil {
		return f, err
	}
	if !s.fac.MayChange(r.Context(), f) {
		return f, errForbidden(viewerFrom(r.Context()))
	}
	return f, nil
}

func (s *Server) pageNewFacility(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	if v.Anonymous() || !v.WriteAllowed {
		return errForbidden(v)
	}
	d, err := s.facilityFormData(r, "title.new_facility")
	if err != nil {
		return err
	}
	d.New, d.Action = true, "/facilities/new"
	d.In = directory.Facility{OrganisationID: v.OrganisationID, Kind: directory.FacilityKinds[0], Visibility: access.Public}
	return s.render(w, http.StatusOK, "facility_edit", d)
}

func (s *Server) postNewFacility(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	if v.Anonymous() || !v.WriteAllowed {
		return errForbidden(v)
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := facilityFromForm(r.PostForm, directory.Facility{TLP: access.TLPClear})
	in := f
	if err := s.fac.CreateFacility(r.Context(), &f); err != nil {
		d, derr := s.facilityFormData(r, "title.new_facility")
		if derr != nil {
			return derr
		}
		d.New, d.Action, d.In = true, "/facilities/new", in
		return s.facilityFormError(w, err, d)
	}
	http.Redirect(w, r, "/facilities/"+f.Slug+"/edit", http.StatusSeeOther)
	return nil
}

// facilityFormError shows the form again with what went wrong: the
// fields named, or that someone else changed the record meanwhile.
func (s *Server) facilityFormError(w http.ResponseWriter, err error, d facilityForm) error {
	if errors.Is(err, store.ErrStale) {
		d.Stale = true
		return s.render(w, http.StatusPreconditionFailed, "facility_edit", d)
	}
	fe, status, ok := formProblem(err)
	if !ok {
		return err
	}
	d.Errors = fe
	return s.render(w, status, "facility_edit", d)
}

func (s *Server) editFacilityData(r *http.Request, cur directory.Facility) (facilityForm, error) {
	d, err := s.facilityFormData(r, cur.Name)
	if err != nil {
		return d, err
	}
	d.Facility, d.In, d.Action = cur, cur, "/facilities/"+cur.Slug+"/edit"
	ctx := r.Context()
	if _, d.Resources, err = s.fac.Resources(ctx, cur.ID); err != nil {
		return d, err
	}
	now := s.fac.Now()
	a, err := s.fac.Availability(ctx, cur, now.AddDate(0, 0, -1), now.AddDate(2, 0, 0))
	if err != nil {
		return d, err
	}
	seen := map[string]bool{}
	for _, ra := range a.Resources {
		for _, b := range ra.Blackouts {
			if !seen[b.ID] {
				seen[b.ID] = true
				d.Closures = append(d.Closures, b)
			}
		}
	}
	as, err := s.fac.Approvers(ctx, cur.ID)
	if err != nil && !errors.Is(err, store.ErrForbidden) {
		return d, err
	}
	var emails []string
	for _, a := range as {
		emails = append(emails, a.Email)
	}
	d.Approvers = strings.Join(emails, "\n")
	return d, nil
}

func (s *Server) pageEditFacility(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.editableFacility(r)
	if err != nil {
		return err
	}
	d, err := s.editFacilityData(r, cur)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "facility_edit", d)
}

func (s *Server) postEditFacility(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.editableFacility(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := facilityFromForm(r.PostForm, cur)
	f.Version = formVersion(r)
	in := f
	if err := s.fac.UpdateFacility(r.Context(), &f); err != nil {
		d, derr := s.editFacilityData(r, cur)
		if derr != nil {
			return derr
		}
		d.In = in
		return s.facilityFormError(w, err, d)
	}
	http.Redirect(w, r, "/facilities/"+f.Slug, http.StatusSeeOther)
	return nil
}

// postFacilityClosures adds a closure (action "add") or removes one
// (action "delete", with its id).
func (s *Server) postFacilityClosures(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.editableFacility(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	p := r.PostForm
	if p.Get("action") == "delete" {
		err = s.fac.DeleteBlackout(r.Context(), p.Get("id"))
	} else {
		_, err = s.fac.CreateBlackout(r.Context(), cur.ID, facilities.BlackoutInput{Resource: p.Get("resource_id"), Kind: p.Get("kind"),
			StartsAt: p.Get("starts_at"), EndsAt: p.Get("ends_at"), Reason: strings.TrimSpace(p.Get("reason"))})
	}
	if err != nil {
		d, derr := s.editFacilityData(r, cur)
		if derr != nil {
			return derr
		}
		return s.facilityFormError(w, err, d)
	}
	http.Redirect(w, r, "/facilities/"+cur.Slug+"/edit#closures", http.StatusSeeOther)
	return nil
}

// postFacilityApprovers sets the approvers: e-mail addresses, one a line
// (or separated by commas).
func (s *Server) postFacilityApprovers(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.editableFacility(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	text := r.PostForm.Get("approvers")
	emails := strings.FieldsFunc(text, func(c rune) bool { return c == ',' || c == ';' || c == '\n' || c == '\r' || c == ' ' || c == '\t' })
	if _, err := s.fac.SetApprovers(r.Context(), cur.ID, emails); err != nil {
		d, derr := s.editFacilityData(r, cur)
		if derr != nil {
			return derr
		}
		d.Approvers = text
		return s.facilityFormError(w, err, d)
	}
	http.Redirect(w, r, "/facilities/"+cur.Slug+"/edit#approvers", http.StatusSeeOther)
	return nil
}
