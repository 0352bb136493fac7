package demo

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/directory"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

func validDate(s string) bool {
	if len(s) != len("2006-01-02") {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func TestClusters(t *testing.T) {
	want := []string{"hsd", "safe-cluster", "censec", "tampere-safety-security", "kit",
		"munich-security-cluster", "flanders-issn", "twente-safety-security"}
	d := Alliance()
	var got []string
	signed, unsigned := 0, 0
	for _, c := range d.Clusters {
		got = append(got, c.Slug)
		if c.Name == "" || c.City == "" || c.Website == "" || c.Description == "" || c.Region == "" {
			t.Errorf("cluster %s: missing name, city, website, description or region", c.Slug)
		}
		if !strings.HasPrefix(c.Region, c.Country) {
			t.Errorf("cluster %s: NUTS region %q does not start with country %q", c.Slug, c.Region, c.Country)
		}
		if !validDate(c.Joined) {
			t.Errorf("cluster %s: joined %q is not YYYY-MM-DD", c.Slug, c.Joined)
		}
		if c.Commitment.Signed {
			signed++
			if !validDate(c.Commitment.SignedOn) {
				t.Errorf("cluster %s: signed_on %q is not YYYY-MM-DD", c.Slug, c.Commitment.SignedOn)
			}
		} else {
			unsigned++
			if c.Commitment.SignedOn != "" {
				t.Errorf("cluster %s: unsigned commitment has signed_on %q", c.Slug, c.Commitment.SignedOn)
			}
		}
		if len(c.Themes) == 0 {
			t.Errorf("cluster %s: no themes", c.Slug)
		}
		if c.ID != "" || c.MemberCount != 0 || !c.CreatedAt.IsZero() || !c.UpdatedAt.IsZero() {
			t.Errorf("cluster %s: ID, member count or timestamps set", c.Slug)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("cluster slugs = %v, want %v", got, want)
	}
	if signed == 0 || unsigned == 0 || unsigned > 2 {
		t.Errorf("%d clusters signed, %d not: want most signed and one or two not", signed, unsigned)
	}
}

func TestSlugsUnique(t *testing.T) {
	d := Alliance()
	check := func(kind string, slugs []string) {
		t.Helper()
		seen := map[string]bool{}
		for _, s := range slugs {
			if !slugPattern.MatchString(s) || len(s) > 80 {
				t.Errorf("%s slug %q is not lower-case letters, digits and single dashes", kind, s)
			}
			if seen[s] {
				t.Errorf("%s slug %q is used twice", kind, s)
			}
			seen[s] = true
		}
	}
	var cs, os, fs []string
	for _, c := range d.Clusters {
		cs = append(cs, c.Slug)
	}
	for _, o := range d.Organisations {
		os = append(os, o.Slug)
	}
	for _, f := range d.Facilities {
		fs = append(fs, f.Slug)
	}
	check("cluster", cs)
	check("organisation", os)
	check("facility", fs)

	pics := map[string]string{}
	for _, o := range d.Organisations {
		if o.PIC == "" {
			continue
		}
		if prev, ok := pics[o.PIC]; ok {
			t.Errorf("PIC %s used by %s and %s", o.PIC, prev, o.Slug)
		}
		pics[o.PIC] = o.Slug
		if o.VAT != "" {
			t.Errorf("organisation %s: VAT should be empty", o.Slug)
		}
	}
}

func TestReferencesResolve(t *testing.T) {
	d := Alliance()
	clusters := map[string]bool{}
	for _, c := range d.Clusters {
		clusters[c.Slug] = true
	}
	orgs := map[string]bool{}
	for _, o := range d.Organisations {
		orgs[o.Slug] = true
	}
	for _, o := range d.Organisations {
		if len(o.Memberships) == 0 {
			t.Errorf("organisation %s has no membership", o.Slug)
		}
		seen := map[string]bool{}
		for _, m := range o.Memberships {
			if !clusters[m.ClusterID] {
				t.Errorf("organisation %s: membership of unknown cluster %q", o.Slug, m.ClusterID)
			}
			if seen[m.ClusterID] {
				t.Errorf("organisation %s: two memberships of %s", o.Slug, m.ClusterID)
			}
			seen[m.ClusterID] = true
			if !slices.Contains(directory.MembershipRoles, m.Role) {
				t.Errorf("organisation %s: membership role %q", o.Slug, m.Role)
			}
			if !validDate(m.Since) {
				t.Errorf("organisation %s: since %q is not YYYY-MM-DD", o.Slug, m.Since)
			}
			if m.ClusterSlug != "" || m.ClusterName != "" {
				t.Errorf("organisation %s: membership display fields set", o.Slug)
			}
		}
	}
	for _, p := range d.People {
		if !orgs[p.OrganisationID] {
			t.Errorf("person %s: unknown organisation %q", p.Name, p.OrganisationID)
		}
	}
	for _, f := range d.Facilities {
		if !orgs[f.OrganisationID] {
			t.Errorf("facility %s: unknown organisation %q", f.Slug, f.OrganisationID)
		}
		if !clusters[f.ClusterID] {
			t.Errorf("facility %s: unknown cluster %q", f.Slug, f.ClusterID)
		}
	}
}

func TestEveryHelixInEveryCluster(t *testing.T) {
	d := Alliance()
	type helix struct{ company, knowledge, public, practitioner, founder bool }
	got := map[string]*helix{}
	for _, c := range d.Clusters {
		got[c.Slug] = &helix{}
	}
	for _, o := range d.Organisations {
		for _, m := range o.Memberships {
			h := got[m.ClusterID]
			if h == nil {
				continue // reported by TestReferencesResolve
			}
			switch o.Kind {
			case directory.KindCompany:
				h.company = true
			case directory.KindResearch, directory.KindHigherEducation:
				h.knowledge = true
			case directory.KindPublicBody:
				h.public = true
			}
			if len(o.PractitionerRoles) > 0 {
				h.practitioner = true
			}
			if m.Role == directory.MemberRoleFounder {
				h.founder = true
			}
		}
	}
	for slug, h := range got {
		if !h.company || !h.knowledge || !h.public || !h.practitioner || !h.founder {
			t.Errorf("cluster %s: company %v, research/higher education %v, public body %v, practitioner %v, founder %v",
				slug, h.company, h.knowledge, h.public, h.practitioner, h.founder)
		}
	}
}

func TestOrganisations(t *testing.T) {
	d := Alliance()
	if n := len(d.Organisations); n < 40 || n > 60 {
		t.Errorf("%d organisations, want about 45", n)
	}
	multi, smes := 0, 0
	for _, o := range d.Organisations {
		if o.Name == "" || o.Description == "" || o.Website == "" {
			t.Errorf("organisation %s: missing name, description or website", o.Slug)
		}
		if !slices.Contains(directory.Kinds, o.Kind) {
			t.Errorf("organisation %s: kind %q", o.Slug, o.Kind)
		}
		if o.PractitionerRoles == nil || o.Capabilities == nil || len(o.Capabilities) == 0 {
			t.Errorf("organisation %s: nil practitioner roles or no capabilities", o.Slug)
		}
		for _, r := range o.PractitionerRoles {
			if !slices.Contains(directory.Roles, r) {
				t.Errorf("organisation %s: practitioner role %q", o.Slug, r)
			}
		}
		if o.SME && o.Kind != directory.KindCompany {
			t.Errorf("organisation %s: SME but kind %s", o.Slug, o.Kind)
		}
		if o.SME {
			smes++
		}
		if len(o.Memberships) > 1 {
			multi++
		}
		if o.ID != "" || !o.CreatedAt.IsZero() || !o.UpdatedAt.IsZero() {
			t.Errorf("organisation %s: ID or timestamps set", o.Slug)
		}
	}
	if multi < 2 {
		t.Errorf("%d organisations belong to more than one cluster, want a few", multi)
	}
	if smes < 8 {
		t.Errorf("%d SMEs, want at least 8", smes)
	}
}

func TestCapabilityCodes(t *testing.T) {
	known := map[string]bool{}
	for _, c := range CapabilityCodes {
		if known[c] {
			t.Errorf("capability %q listed twice", c)
		}
		known[c] = true
		if i := strings.LastIndexByte(c, '.'); i >= 0 && !slices.Contains(CapabilityCodes, c[:i]) {
			t.Errorf("capability %q has no parent %q in the list", c, c[:i])
		}
	}
	d := Alliance()
	check := func(what string, codes []string) {
		t.Helper()
		if codes == nil {
			t.Errorf("%s: nil list", what)
		}
		for _, c := range codes {
			if !known[c] {
				t.Errorf("%s: unknown capability %q", what, c)
			}
		}
	}
	for _, c := range d.Clusters {
		check("cluster "+c.Slug+" themes", c.Themes)
	}
	for _, o := range d.Organisations {
		check("organisation "+o.Slug, o.Capabilities)
	}
	for _, p := range d.People {
		check("person "+p.Name, p.Expertise)
	}
	for _, f := range d.Facilities {
		check("facility "+f.Slug, f.Capabilities)
	}
}

func TestCountries(t *testing.T) {
	d := Alliance()
	check := func(what, code string) {
		t.Helper()
		if len(code) != 2 || strings.ToUpper(code) != code || code == "EL" || code == "UK" || !country.Valid(code) {
			t.Errorf("%s: country %q is not an ISO 3166-1 alpha-2 code", what, code)
		}
	}
	for _, c := range d.Clusters {
		check("cluster "+c.Slug, c.Country)
	}
	for _, o := range d.Organisations {
		check("organisation "+o.Slug, o.Country)
	}
	for _, f := range d.Facilities {
		check("facility "+f.Slug, f.Country)
	}
}

var exampleDomain = regexp.MustCompile(`(^|\.)(example\.(org|com|net|[a-z]{2})|[a-z0-9-]+\.example)$`)

func TestPeople(t *testing.T) {
	d := Alliance()
	if n := len(d.People); n < 16 || n > 24 {
		t.Errorf("%d people, want about 20", n)
	}
	perCluster := map[string]int{}
	clusterOf := map[string][]string{}
	for _, o := range d.Organisations {
		for _, m := range o.Memberships {
			clusterOf[o.Slug] = append(clusterOf[o.Slug], m.ClusterID)
		}
	}
	unlisted := 0
	emails := map[string]bool{}
	for _, p := range d.People {
		at := strings.LastIndexByte(p.Email, '@')
		if at <= 0 || !exampleDomain.MatchString(p.Email[at+1:]) {
			t.Errorf("person %s: e-mail %q is not at an example domain", p.Name, p.Email)
		}
		if emails[p.Email] {
			t.Errorf("person %s: e-mail %q used twice", p.Name, p.Email)
		}
		emails[p.Email] = true
		if p.Title == "" || len(p.Expertise) == 0 || len(p.Languages) == 0 {
			t.Errorf("person %s: missing title, expertise or languages", p.Name)
		}
		for _, l := range p.Languages {
			if len(l) != 2 || strings.ToLower(l) != l {
				t.Errorf("person %s: language %q is not an ISO 639-1 code", p.Name, l)
			}
		}
		if !p.Listed {
			unlisted++
		}
		for _, c := range clusterOf[p.OrganisationID] {
			perCluster[c]++
		}
		if p.ID != "" || p.OrganisationName != "" || p.OrganisationSlug != "" || !p.CreatedAt.IsZero() {
			t.Errorf("person %s: ID, display fields or timestamps set", p.Name)
		}
	}
	if unlisted < 2 || unlisted > 3 {
		t.Errorf("%d people unlisted, want two or three", unlisted)
	}
	for _, c := range d.Clusters {
		if perCluster[c.Slug] < 2 {
			t.Errorf("cluster %s has %d people, want at least 2", c.Slug, perCluster[c.Slug])
		}
	}
}

func TestFacilities(t *testing.T) {
	d := Alliance()
	for _, want := range []string{"Twente Airport", "Riskfactory", "Zwartberg", "HSD Campus"} {
		found := false
		for _, f := range d.Facilities {
			if strings.Contains(f.Name, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("no facility named like %q", want)
		}
	}
	for _, f := range d.Facilities {
		if !slices.Contains(directory.FacilityKinds, f.Kind) {
			t.Errorf("facility %s: kind %q", f.Slug, f.Kind)
		}
		if f.Name == "" || f.City == "" || f.Description == "" || f.Capabilities == nil {
			t.Errorf("facility %s: missing name, city, description or capabilities", f.Slug)
		}
		if f.ID != "" || f.OrganisationName != "" || f.ClusterName != "" || !f.CreatedAt.IsZero() {
			t.Errorf("facility %s: ID, display fields or timestamps set", f.Slug)
		}
	}
}

func TestAllianceReturnsCopies(t *testing.T) {
	before := Alliance()
	a := Alliance()
	if !reflect.DeepEqual(before, a) {
		t.Fatal("two calls to Alliance differ")
	}
	a.Clusters[0].Name = "changed"
	a.Clusters[0].Themes[0] = "changed"
	a.Clusters = append(a.Clusters[:1], a.Clusters[2:]...)
	a.Organisations[0].Capabilities[0] = "changed"
	a.Organisations[0].Memberships[0].ClusterID = "changed"
	a.Organisations[1].PractitionerRoles = append(a.Organisations[1].PractitionerRoles, "changed")
	a.People[0].Expertise[0] = "changed"
	a.People[0].Languages[0] = "xx"
	a.Facilities[0].Capabilities[0] = "changed"
	a.Facilities[0].OrganisationID = "changed"
	after := Alliance()
	if !reflect.DeepEqual(before, after) {
		t.Error("modifying one result of Alliance changed the next")
	}
}
