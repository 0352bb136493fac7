package governance

import (
	"fmt"
	"strings"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/validate"
)

// ValidateApplication normalises a and reports every bad field: a missing
// contact, member counts that do not add up (more SMEs than companies, a
// total that is not the sum of the helices), negative counts.
func ValidateApplication(a *Application) error {
	var errs validate.Errors
	for _, p := range []*string{&a.Kind, &a.Name, &a.Slug, &a.Country, &a.City, &a.Website, &a.Description, &a.Organisation,
		&a.Contact.Name, &a.Contact.Email, &a.Contact.Phone, &a.Letter} {
		*p = strings.TrimSpace(*p)
	}
	if a.Kind == "" {
		a.Kind = KindCluster
	}
	errs.Choice("kind", a.Kind, true, KindCluster, KindRegion)
	errs.Text("name", a.Name, true, 200)
	a.Slug = strings.ToLower(a.Slug)
	if a.Slug == "" {
		a.Slug = slugOf(a.Name)
	}
	errs.Slug("slug", a.Slug)
	if a.Country == "" {
		errs.Add("country", validate.Required)
	} else if c, ok := country.Normalize(a.Country); !ok {
		errs.Add("country", validate.InvalidCountry)
	} else {
		a.Country = c
	}
	errs.Text("city", a.City, false, 120)
	errs.URL("website", a.Website)
	errs.Text("description", a.Description, true, 10000)
	errs.Text("organisation", a.Organisation, true, 300)
	errs.Text("contact.name", a.Contact.Name, true, 200)
	a.Contact.Email = accounts.NormalizeEmail(a.Contact.Email)
	errs.Email("contact.email", a.Contact.Email, true)
	errs.Text("contact.phone", a.Contact.Phone, false, 40)
	errs.Text("letter_of_intent", a.Letter, true, 20000)
	checkMembers(&errs, a.Members)
	if a.StaffFTE < 0 {
		errs.Add("staff_fte_hundredths", validate.Negative)
	}
	managers := []string{}
	for i, m := range a.Managers {
		m = accounts.NormalizeEmail(m)
		if m == "" {
			continue
		}
		errs.Email(fmt.Sprintf("managers[%d]", i), m, true)
		managers = append(managers, m)
	}
	if len(managers) == 0 && a.Contact.Email != "" {
		managers = []string{a.Contact.Email}
	}
	a.Managers = managers
	if a.Themes == nil {
		a.Themes = []string{}
	}
	return errs.Err()
}

func checkMembers(errs *validate.Errors, m Members) {
	neg := false
	for _, f := range []struct {
		name string
		n    int
	}{{"members.companies", m.Companies}, {"members.smes", m.SMEs}, {"members.knowledge_institutions", m.Knowledge},
		{"members.government", m.Government}, {"members.practitioners", m.Practitioners}, {"members.total", m.Total}} {
		if f.n < 0 {
			errs.Add(f.name, validate.Negative)
			neg = true
		}
	}
	if neg {
		return
	}
	if m.SMEs > m.Companies {
		errs.Add("members.smes", validate.SMEsOverCompanies, "companies", m.Companies)
	}
	if m.Total != m.Sum() {
		errs.Add("members.total", validate.TotalMismatch, "total", m.Total, "sum", m.Sum())
	}
}

// ValidateCriteria reports criteria that cannot hold: negative bounds, a
// minimum above its maximum, more than four helices.
func ValidateCriteria(c Criteria) error {
	var errs validate.Errors
	for i, r := range c.ranges() {
		field := Measures[i]
		switch {
		case r.Min < 0:
			errs.Add(field+".min", validate.Negative)
		case r.Max < 0:
			errs.Add(field+".max", validate.Negative)
		case r.Max > 0 && r.Min > r.Max:
			errs.Add(field+".min", validate.MinOverMax, "min", r.Min, "max", r.Max)
		}
	}
	if c.Helices.Min > 4 {
		errs.Add("helices.min", validate.TooManyHelices)
	} else if c.Helices.Max > 4 {
		errs.Add("helices.max", validate.TooManyHelices)
	}
	if c.SMEs.Min > 0 && c.Members.Max > 0 && c.SMEs.Min > c.Members.Max {
		errs.Add("smes.min", validate.MinOverMax, "min", c.SMEs.Min, "max", c.Members.Max)
	}
	return errs.Err()
}

// slugOf makes a URL slug of a name.
func slugOf(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if len(s) > 80 {
		s = strings.TrimSuffix(s[:80], "-")
	}
	return s
}
