package directory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Service applies the directory's rules around a Store: it normalises and
// validates input, resolves references and reports every bad field at once.
type Service struct {
	store Store
}

// NewService returns a Service over s.
func NewService(s Store) *Service { return &Service{store: s} }

// Store returns the underlying store for reads.
func (s *Service) Store() Store { return s.store }

// MaxListLimit is the largest page a list returns.
const MaxListLimit = 200

// NormalizeFilter applies defaults and checks a filter.
func NormalizeFilter(f Filter) (Filter, error) {
	var errs validate.Errors
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > MaxListLimit {
		errs.Add("limit", validate.InvalidChoice, "choices", fmt.Sprintf("1..%d", MaxListLimit))
	}
	errs.Text("q", f.Query, false, 200)
	if f.Country != "" {
		c, ok := country.Normalize(f.Country)
		if !ok {
			errs.Add("country", validate.InvalidCountry)
		}
		f.Country = c
	}
	if f.Capability != "" && !ValidCapabilityCode(f.Capability) {
		errs.Add("capability", validate.InvalidFormat)
	}
	if len(f.Cluster) > 80 {
		errs.Add("cluster", validate.TooLong, "max", 80)
	}
	if f.Role != "" {
		errs.Choice("role", f.Role, false, Roles...)
	}
	errs.Choice("membership", f.Membership, false, MembershipChoices...)
	return f, errs.Err()
}

func (s *Service) capabilitySet(ctx context.Context) (map[string]bool, error) {
	caps, err := s.store.ListCapabilities(ctx)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(caps))
	for _, c := range caps {
		set[c.Code] = true
	}
	return set, nil
}

func (s *Service) checkCodes(ctx context.Context, errs *validate.Errors, field string, codes []string) []string {
	codes = dedupe(codes)
	if len(codes) == 0 {
		return []string{}
	}
	set, err := s.capabilitySet(ctx)
	if err != nil {
		return codes
	}
	for i, c := range codes {
		if !set[c] {
			errs.Add(fmt.Sprintf("%s[%d]", field, i), validate.NotFound)
		}
	}
	return codes
}

func dedupe(in []string) []string {
	out := make([]string, 0, len(in))
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func checkCountry(errs *validate.Errors, field string, v *string) {
	if *v == "" {
		errs.Add(field, validate.Required)
		return
	}
	c, ok := country.Normalize(*v)
	if !ok {
		errs.Add(field, validate.InvalidCountry)
		return
	}
	*v = c
}

// checkSharing fills in the default visibility and TLP and checks both.
func checkSharing(errs *validate.Errors, visibility, tlp *string, def string) {
	if *visibility == "" {
		*visibility = def
	}
	if *tlp == "" {
		*tlp = access.TLPClear
	}
	*tlp = strings.ToUpper(*tlp)
	errs.Choice("visibility", *visibility, true, access.Levels...)
	errs.Choice("tlp", *tlp, true, access.TLPs...)
}

func checkDate(errs *validate.Errors, field, v string) {
	if v == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		errs.Add(field, validate.InvalidDate)
	}
}

func trim(ps ...*string) {
	for _, p := range ps {
		*p = strings.TrimSpace(*p)
	}
}

// ValidateCluster normalises c and reports every bad field.
func (s *Service) ValidateCluster(ctx context.Context, c *Cluster) error {
	var errs validate.Errors
	trim(&c.Slug, &c.Name, &c.Region, &c.City, &c.Website, &c.Description)
	c.Slug = strings.ToLower(c.Slug)
	errs.Slug("slug", c.Slug)
	errs.Text("name", c.Name, true, 200)
	checkCountry(&errs, "country", &c.Country)
	c.Region = strings.ToUpper(c.Region)
	if c.Region != "" && (len(c.Region) < 2 || len(c.Region) > 5 || c.Region[:2] != countryToNUTS(c.Country)) {
		errs.Add("region", validate.InvalidFormat)
	}
	errs.Text("city", c.City, false, 120)
	errs.URL("website", c.Website)
	errs.Text("description", c.Description, false, 10000)
	checkDate(&errs, "joined", c.Joined)
	checkDate(&errs, "commitment.signed_on", c.Commitment.SignedOn)
	if c.Commitment.SignedOn != "" && !c.Commitment.Signed {
		errs.Add("commitment.signed_on", validate.InvalidFormat)
	}
	c.Themes = s.checkCodes(ctx, &errs, "themes", c.Themes)
	return errs.Err()
}

// countryToNUTS maps an ISO code to the NUTS prefix (Greece is EL in NUTS).
func countryToNUTS(iso string) string {
	switch iso {
	case "GR":
		return "EL"
	case "GB":
		return "UK"
	}
	return iso
}

// ValidateOrganisation normalises o, resolves its memberships and reports
// every bad field.
func (s *Service) ValidateOrganisation(ctx context.Context, o *Organisation) error {
	var errs validate.Errors
	trim(&o.Slug, &o.Name, &o.ShortName, &o.City, &o.Website, &o.Description, &o.PIC, &o.VAT)
	o.Slug = strings.ToLower(o.Slug)
	errs.Slug("slug", o.Slug)
	errs.Text("name", o.Name, true, 300)
	errs.Text("short_name", o.ShortName, false, 60)
	errs.Choice("kind", o.Kind, true, Kinds...)
	if o.SME && o.Kind != KindCompany {
		errs.Add("sme", validate.InvalidChoice, "choices", "false unless kind is company")
	}
	o.PractitionerRoles = dedupe(o.PractitionerRoles)
	for i, r := range o.PractitionerRoles {
		errs.Choice(fmt.Sprintf("practitioner_roles[%d]", i), r, true, Roles...)
	}
	checkCountry(&errs, "country", &o.Country)
	errs.Text("city", o.City, false, 120)
	errs.URL("website", o.Website)
	if o.PIC != "" && !isDigits(o.PIC, 9) {
		errs.Add("pic", validate.InvalidFormat)
	}
	o.VAT = strings.ToUpper(strings.ReplaceAll(o.VAT, " ", ""))
	if o.VAT != "" && (len(o.VAT) < 4 || len(o.VAT) > 20 || !isAlnum(o.VAT)) {
		errs.Add("vat", validate.InvalidFormat)
	}
	errs.Text("description", o.Description, false, 10000)
	o.Capabilities = s.checkCodes(ctx, &errs, "capabilities", o.Capabilities)
	checkSharing(&errs, &o.Visibility, &o.TLP, access.Public)
	seen := map[string]bool{}
	for i := range o.Memberships {
		m := &o.Memberships[i]
		field := fmt.Sprintf("memberships[%d]", i)
		errs.Choice(field+".role", m.Role, true, MembershipRoles...)
		checkDate(&errs, field+".since", m.Since)
		if m.ClusterID == "" {
			errs.Add(field+".cluster_id", validate.Required)
			continue
		}
		c, err := s.store.GetCluster(ctx, m.ClusterID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs.Add(field+".cluster_id", validate.NotFound)
			continue
		case err != nil:
			return err
		}
		if seen[c.ID] {
			errs.Add(field+".cluster_id", validate.Duplicate)
		}
		seen[c.ID] = true
		m.ClusterID, m.ClusterSlug, m.ClusterName = c.ID, c.Slug, c.Name
	}
	if o.Memberships == nil {
		o.Memberships = []Membership{}
	}
	return errs.Err()
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// ValidatePerson normalises p, resolves its organisation and reports every
// bad field.
func (s *Service) ValidatePerson(ctx context.Context, p *Person) error {
	var errs validate.Errors
	trim(&p.Name, &p.Email, &p.Title, &p.OrganisationID)
	p.Email = strings.ToLower(p.Email)
	errs.Text("name", p.Name, true, 200)
	errs.Email("email", p.Email, false)
	errs.Text("title", p.Title, false, 200)
	p.Expertise = s.checkCodes(ctx, &errs, "expertise", p.Expertise)
	checkSharing(&errs, &p.Visibility, &p.TLP, access.Alliance)
	p.Languages = dedupe(p.Languages)
	for i, l := range p.Languages {
		p.Languages[i] = strings.ToLower(l)
		if len(l) != 2 || !isLower(p.Languages[i]) {
			errs.Add(fmt.Sprintf("languages[%d]", i), validate.InvalidFormat)
		}
	}
	if p.OrganisationID == "" {
		errs.Add("organisation_id", validate.Required)
	} else {
		o, err := s.store.GetOrganisation(ctx, p.OrganisationID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs.Add("organisation_id", validate.NotFound)
		case err != nil:
			return err
		default:
			p.OrganisationID, p.OrganisationName, p.OrganisationSlug = o.ID, o.Name, o.Slug
		}
	}
	return errs.Err()
}

func isLower(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// ValidateCapability normalises c and reports every bad field.
func (s *Service) ValidateCapability(ctx context.Context, c *Capability) error {
	var errs validate.Errors
	trim(&c.Code, &c.Parent, &c.Source)
	if c.Code == "" {
		errs.Add("code", validate.Required)
	} else if !ValidCapabilityCode(c.Code) {
		errs.Add("code", validate.InvalidFormat)
	}
	for _, lang := range Languages {
		errs.Text("labels."+lang, c.Labels[lang], true, 200)
	}
	for k := range c.Labels {
		if !slices.Contains(Languages, k) {
			errs.Add("labels."+k, validate.UnknownField)
		}
	}
	errs.Choice("nature", c.Nature, true, Natures...)
	errs.Text("source", c.Source, false, 200)
	if c.Parent != "" {
		switch {
		case c.Parent == c.Code || strings.HasPrefix(c.Parent, c.Code+"."):
			errs.Add("parent", validate.InvalidChoice, "choices", "a node outside this one's subtree")
		default:
			_, err := s.store.GetCapability(ctx, c.Parent)
			if errors.Is(err, store.ErrNotFound) {
				errs.Add("parent", validate.NotFound)
			} else if err != nil {
				return err
			}
		}
	}
	return errs.Err()
}

// ValidateFacility normalises f, resolves its owner and reports every bad
// field.
func (s *Service) ValidateFacility(ctx context.Context, f *Facility) error {
	var errs validate.Errors
	trim(&f.Slug, &f.Name, &f.City, &f.Website, &f.Description, &f.OrganisationID, &f.ClusterID)
	f.Slug = strings.ToLower(f.Slug)
	errs.Slug("slug", f.Slug)
	errs.Text("name", f.Name, true, 200)
	errs.Choice("kind", f.Kind, true, FacilityKinds...)
	checkCountry(&errs, "country", &f.Country)
	errs.Text("city", f.City, false, 120)
	errs.URL("website", f.Website)
	errs.Text("description", f.Description, false, 10000)
	f.Capabilities = s.checkCodes(ctx, &errs, "capabilities", f.Capabilities)
	checkFacilityProfile(&errs, f)
	checkSharing(&errs, &f.Visibility, &f.TLP, access.Alliance)
	if f.OrganisationID == "" {
		errs.Add("organisation_id", validate.Required)
	} else if o, err := s.store.GetOrganisation(ctx, f.OrganisationID); errors.Is(err, store.ErrNotFound) {
		errs.Add("organisation_id", validate.NotFound)
	} else if err != nil {
		return err
	} else {
		f.OrganisationID, f.OrganisationName = o.ID, o.Name
	}
	if f.ClusterID != "" {
		if c, err := s.store.GetCluster(ctx, f.ClusterID); errors.Is(err, store.ErrNotFound) {
			errs.Add("cluster_id", validate.NotFound)
		} else if err != nil {
			return err
		} else {
			f.ClusterID, f.ClusterName = c.ID, c.Name
		}
	}
	return errs.Err()
}

// CreateFacility validates and stores a new facility.
func (s *Service) CreateFacility(ctx context.Context, f *Facility) error {
	if err := s.ValidateFacility(ctx, f); err != nil {
		return err
	}
	return s.store.CreateFacility(ctx, f)
}

// UpdateFacility validates and replaces facility f.ID.
func (s *Service) UpdateFacility(ctx context.Context, f *Facility) error {
	if err := s.ValidateFacility(ctx, f); err != nil {
		return err
	}
	return s.store.UpdateFacility(ctx, f)
}
