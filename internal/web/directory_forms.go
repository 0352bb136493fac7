package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
)

// The edit pages are the HTML face of the same updates as the API: they
// read a form into the API's input types and go through the same checks.

// organisationForm is the data of the organisation edit page.
type organisationForm struct {
	layout
	New          bool
	Action       string
	Organisation directory.Organisation
	In           OrganisationInput
	Errors       []ProblemField
	Clusters     []directory.Cluster
	Capabilities []directory.Capability
	Countries    []string
	Kinds        []string
	Roles        []string
	Actors       []string // actor types, stated with the roles
	Levels       []string
	TLPs         []string
	MemberRoles  []string
	viewer       access.Viewer
	Offer        entryOffer // EU records it may be (linking_pages.go)
}

// MayChange reports whether the viewer changes memberships of cluster c
// directly (its managers, the alliance administrator); for everyone else
// the form shows them without letting them change, and they ask to join.
func (f organisationForm) MayChange(c directory.Cluster) bool {
	return directory.MayChangeMembership(f.viewer, c.ID)
}

// Has reports whether list holds v (for checkboxes and selections).
func (organisationForm) Has(list []string, v string) bool { return slices.Contains(list, v) }

// MembershipRole is the organisation's role in cluster c in the form.
func (f organisationForm) MembershipRole(c directory.Cluster) string {
	for _, m := range f.In.Memberships {
		if m.Cluster == c.ID || m.Cluster == c.Slug {
			return m.Role
		}
	}
	return ""
}

func organisationInputOf(o directory.Organisation) OrganisationInput {
	in := OrganisationInput{Slug: o.Slug, Name: o.Name, ShortName: o.ShortName, Kind: o.Kind, SME: o.SME,
		PractitionerRoles: o.PractitionerRoles, Country: o.Country, City: o.City, Website: o.Website, PIC: o.PIC, VAT: o.VAT,
		Description: o.Description, Capabilities: o.Capabilities, Visibility: o.Visibility, TLP: o.TLP}
	for _, m := range o.Memberships {
		in.Memberships = append(in.Memberships, MembershipInput{Cluster: m.ClusterID, Role: m.Role, Since: m.Since})
	}
	return in
}

// organisationInputFromForm reads the edit form.
func organisationInputFromForm(f url.Values, clusters []directory.Cluster, cur directory.Organisation) OrganisationInput {
	in := OrganisationInput{Slug: f.Get("slug"), Name: f.Get("name"), ShortName: f.Get("short_name"), Kind: f.Get("kind"),
		SME: f.Get("sme") == "on", PractitionerRoles: f["practitioner_roles"], Country: f.Get("country"), City: f.Get("city"),
		Website: f.Get("website"), PIC: f.Get("pic"), VAT: f.Get("vat"), Description: f.Get("description"),
		Capabilities: f["capabilities"], Visibility: f.Get("visibility"), TLP: f.Get("tlp")}
	for _, c := range clusters {
		values, posted := f["membership_"+c.ID]
		if !posted {
			// Not in the form (shown but not the viewer's to change):
			// the membership stays as it is.
			for _, old := range cur.Memberships {
				if old.ClusterID == c.ID {
					in.Memberships = append(in.Memberships, MembershipInput{Cluster: c.ID, Role: old.Role, Since: old.Since})
				}
			}
			continue
		}
		role := values[0]
		if role == "" {
			continue
		}
		m := MembershipInput{Cluster: c.ID, Role: role}
		for _, old := range cur.Memberships {
			if old.ClusterID == c.ID {
				m.Since = old.Since
			}
		}
		in.Memberships = append(in.Memberships, m)
	}
	return in
}

func (s *Server) organisationFormData(r *http.Request, title string) (organisationForm, error) {
	data := organisationForm{layout: s.layout(r, title, "organisations"), Kinds: directory.Kinds, Roles: directory.PractitionerRoles, Actors: directory.ActorTypes,
		Levels: access.Levels, TLPs: access.TLPs, MemberRoles: directory.MembershipRoles, Countries: countryChoices,
		viewer: viewerFrom(r.Context())}
	cl, err := s.dir.ListClusters(r.Context(), directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	if err != nil {
		return data, err
	}
	data.Clusters = cl.Items
	_, data.Capabilities, err = s.capabilityMap(r)
	return data, err
}

// countryChoices are the countries the forms offer: the EU, the EEA and
// the Horizon Europe associated countries most clusters deal with.
var countryChoices = []string{"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE",
	"IL", "IS", "IT", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "TR", "UA"}

func (s *Server) pageEditOrganisation(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.dir.EditableOrganisation(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	data, err := s.organisationFormData(r, cur.Name)
	if err != nil {
		return err
	}
	data.Organisation, data.In, data.Action = cur, organisationInputOf(cur), "/organisations/"+cur.Slug+"/edit"
	return s.render(w, http.StatusOK, "organisation_edit", data)
}

func (s *Server) postEditOrganisation(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.dir.EditableOrganisation(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	data, err := s.organisationFormData(r, cur.Name)
	if err != nil {
		return err
	}
	in := organisationInputFromForm(r.PostForm, data.Clusters, cur)
	o := in.organisation(cur.ID)
	o.Version = formVersion(r)
	if err := s.dir.UpdateOrganisation(r.Context(), o); err != nil {
		return s.formError(w, err, "organisation_edit", func(fe []ProblemField) any {
			data.Organisation, data.In, data.Errors, data.Action = cur, in, fe, "/organisations/"+cur.Slug+"/edit"
			return data
		})
	}
	http.Redirect(w, r, "/organisations/"+in.Slug, http.StatusSeeOther)
	return nil
}

func (s *Server) pageNewOrganisation(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	if !directory.MayCreateOrganisation(v) {
		return errForbidden(v)
	}
	data, err := s.organisationFormData(r, "title.new_organisation")
	if err != nil {
		return err
	}
	data.New, data.Action = true, "/organisations/new"
	data.In = OrganisationInput{Kind: directory.KindCompany, Visibility: access.Public, TLP: access.TLPClear}
	for _, c := range v.ManagedClusters {
		data.In.Memberships = append(data.In.Memberships, MembershipInput{Cluster: c, Role: directory.MemberRoleMember})
	}
	return s.render(w, http.StatusOK, "organisation_edit", data)
}

func (s *Server) postNewOrganisation(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	data, err := s.organisationFormData(r, "title.new_organisation")
	if err != nil {
		return err
	}
	in := organisationInputFromForm(r.PostForm, data.Clusters, directory.Organisation{})
	o := in.organisation("")
	if r.PostForm.Get("create_anyway") == "" {
		// An organisation known already from EU records: offer to claim
		// it instead of entering a twin.
		if data.Offer, err = s.entryOffer(r, o); err != nil {
			return err
		}
		if len(data.Offer.Records) > 0 {
			data.New, data.In, data.Action = true, in, "/organisations/new"
			return s.render(w, http.StatusOK, "organisation_edit", data)
		}
	}
	var offered entryOffer
	if r.PostForm.Get("create_anyway") != "" {
		if offered, err = s.entryOffer(r, o); err != nil {
			return err
		}
	}
	if err := s.dir.CreateOrganisation(r.Context(), o); err != nil {
		return s.formError(w, err, "organisation_edit", func(fe []ProblemField) any {
			data.New, data.In, data.Errors, data.Action = true, in, fe, "/organisations/new"
			return data
		})
	}
	// Entered anyway: none of the records offered is it.
	if err := s.proj.NotTheseRecords(r.Context(), o.ID, offered.Records); err != nil {
		return err
	}
	http.Redirect(w, r, "/organisations/"+o.Slug, http.StatusSeeOther)
	return nil
}

// formError shows a form again with its problems when err is about the
// input (validation, duplicates, unknown references); other errors go to
// the error page.
func (s *Server) formError(w http.ResponseWriter, err error, template string, data func([]ProblemField) any) error {
	p := toProblem(&http.Request{URL: &url.URL{}}, err)
	if p.Status == http.StatusPreconditionFailed {
		// Someone else saved the record since the form was shown: say so,
		// keep what was typed, and let the next save go through on purpose.
		p.Errors = []ProblemField{{Field: "version", Code: "error.stale"}}
		return s.render(w, p.Status, template, data(p.Errors))
	}
	switch p.Status {
	case http.StatusUnprocessableEntity, http.StatusConflict, http.StatusBadRequest:
		if len(p.Errors) == 0 {
			return err
		}
		return s.render(w, p.Status, template, data(p.Errors))
	}
	return err
}

// personForm is the data of the person edit page.
type personForm struct {
	layout
	Person       directory.Person
	In           PersonInput
	Errors       []ProblemField
	Capabilities []directory.Capability
	Levels       []string
	TLPs         []string
}

// Has reports whether list holds v.
func (personForm) Has(list []string, v string) bool { return slices.Contains(list, v) }

// LanguagesText is the person's languages as typed in the form.
func (f personForm) LanguagesText() string { return strings.Join(f.In.Languages, ", ") }

func (s *Server) personFormData(r *http.Request, p directory.Person) (personForm, error) {
	data := personForm{layout: s.layout(r, p.Name, "people"), Person: p, Levels: access.Levels, TLPs: access.TLPs}
	var err error
	_, data.Capabilities, err = s.capabilityMap(r)
	return data, err
}

func (s *Server) pageEditPerson(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.dir.EditablePerson(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	data, err := s.personFormData(r, cur)
	if err != nil {
		return err
	}
	data.In = PersonInput{Name: cur.Name, Email: cur.Email, Organisation: cur.OrganisationID, Title: cur.Title, Expertise: cur.Expertise,
		Languages: cur.Languages, Listed: cur.Listed, Visibility: cur.Visibility, TLP: cur.TLP}
	return s.render(w, http.StatusOK, "person_edit", data)
}

func (s *Server) postEditPerson(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.dir.EditablePerson(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := PersonInput{Name: f.Get("name"), Email: f.Get("email"), Organisation: cur.OrganisationID, Title: f.Get("title"),
		Expertise: f["expertise"], Listed: f.Get("listed") == "on", Visibility: f.Get("visibility"), TLP: f.Get("tlp")}
	for _, l := range strings.FieldsFunc(f.Get("languages"), func(r rune) bool { return r == ',' || r == ' ' }) {
		in.Languages = append(in.Languages, l)
	}
	p := in.person(cur.ID)
	p.Version = formVersion(r)
	if err := s.dir.UpdatePerson(r.Context(), p); err != nil {
		data, derr := s.personFormData(r, cur)
		if derr != nil {
			return derr
		}
		return s.formError(w, err, "person_edit", func(fe []ProblemField) any {
			data.In, data.Errors = in, fe
			return data
		})
	}
	http.Redirect(w, r, "/people/"+cur.ID, http.StatusSeeOther)
	return nil
}

// clusterForm is the data of the cluster edit page.
type clusterForm struct {
	layout
	Cluster      directory.Cluster
	In           ClusterInput
	Errors       []ProblemField
	Capabilities []directory.Capability
	Countries    []string
}

// Has reports whether list holds v.
func (clusterForm) Has(list []string, v string) bool { return slices.Contains(list, v) }

func (s *Server) clusterFormData(r *http.Request, c directory.Cluster, in ClusterInput) (clusterForm, error) {
	data := clusterForm{layout: s.layout(r, c.Name, "clusters"), Cluster: c, In: in, Countries: countryChoices}
	var err error
	_, data.Capabilities, err = s.capabilityMap(r)
	return data, err
}

func (s *Server) pageEditCluster(w http.ResponseWriter, r *http.Request) error {
	c, err := s.dir.EditableCluster(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	in := ClusterInput{Slug: c.Slug, Name: c.Name, Country: c.Country, Region: c.Region, City: c.City, Website: c.Website,
		Description: c.Description, Themes: c.Themes, Joined: c.Joined, Commitment: c.Commitment}
	data, err := s.clusterFormData(r, c, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "cluster_edit", data)
}

func (s *Server) postEditCluster(w http.ResponseWriter, r *http.Request) error {
	c, err := s.dir.EditableCluster(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := ClusterInput{Slug: f.Get("slug"), Name: f.Get("name"), Country: f.Get("country"), Region: f.Get("region"), City: f.Get("city"),
		Website: f.Get("website"), Description: f.Get("description"), Themes: f["themes"], Joined: f.Get("joined"),
		Commitment: directory.Commitment{Signed: f.Get("signed") == "on", SignedOn: f.Get("signed_on")}}
	next := in.cluster(c.ID)
	next.Version = formVersion(r)
	if err := s.dir.UpdateCluster(r.Context(), next); err != nil {
		data, derr := s.clusterFormData(r, c, in)
		if derr != nil {
			return derr
		}
		return s.formError(w, err, "cluster_edit", func(fe []ProblemField) any {
			data.Errors = fe
			return data
		})
	}
	http.Redirect(w, r, "/clusters/"+in.Slug, http.StatusSeeOther)
	return nil
}
