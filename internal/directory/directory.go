// Package directory holds the alliance directory: clusters, organisations,
// people, their memberships and the capability taxonomy. It defines the
// types, the rules that input must satisfy, and the Store an engine
// implements; it does no I/O of its own.
package directory

import (
	"context"
	"time"

	"github.com/escnet/escnet/internal/listing"
)

// Date is a calendar day without a time zone, written as YYYY-MM-DD.
type Date = string

// Cluster is a regional safety and security innovation cluster.
type Cluster struct {
	ID          string     `json:"id"`
	Slug        string     `json:"slug"`
	Name        string     `json:"name"`
	Country     string     `json:"country"`
	Region      string     `json:"region,omitempty"` // NUTS code
	City        string     `json:"city,omitempty"`
	Website     string     `json:"website,omitempty"`
	Description string     `json:"description,omitempty"`
	Themes      []string   `json:"themes"` // capability codes
	Joined      Date       `json:"joined,omitempty"`
	Commitment  Commitment `json:"commitment"`
	MemberCount int        `json:"member_count"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Commitment is the state of a cluster's letter of commitment to the
// alliance.
type Commitment struct {
	Signed   bool `json:"signed"`
	SignedOn Date `json:"signed_on,omitempty"`
}

// Organisation kinds, following the CORDIS activity types.
const (
	KindCompany         = "company"
	KindResearch        = "research"
	KindHigherEducation = "higher_education"
	KindPublicBody      = "public_body"
	KindOther           = "other"
)

// Kinds lists the organisation kinds in display order.
var Kinds = []string{KindCompany, KindResearch, KindHigherEducation, KindPublicBody, KindOther}

// KindFromCORDIS maps a CORDIS activity type (PRC, REC, HES, PUB, OTH).
func KindFromCORDIS(activity string) (string, bool) {
	switch activity {
	case "PRC":
		return KindCompany, true
	case "REC":
		return KindResearch, true
	case "HES":
		return KindHigherEducation, true
	case "PUB":
		return KindPublicBody, true
	case "OTH":
		return KindOther, true
	}
	return "", false
}

// Practitioner roles an organisation can play as an end user.
const (
	RolePolice           = "police"
	RoleBorderGuard      = "border_guard"
	RoleCustoms          = "customs"
	RoleFirstResponder   = "first_responder"
	RoleMedicalEmergency = "medical_emergency"
	RoleCivilProtection  = "civil_protection"
	// RoleDisasterRisk: an authority in charge of disaster risk
	// management or crisis communication (a safety region, a regional
	// crisis centre) that is not a civil protection service itself.
	RoleDisasterRisk           = "disaster_risk"
	RolePublicProcurer         = "public_procurer"
	RoleCriticalInfrastructure = "critical_infrastructure"
	RoleOtherEndUser           = "other_end_user"
)

// PractitionerRoles lists the practitioner roles in display order.
var PractitionerRoles = []string{RolePolice, RoleBorderGuard, RoleCustoms, RoleFirstResponder,
	RoleMedicalEmergency, RoleCivilProtection, RoleDisasterRisk, RolePublicProcurer, RoleCriticalInfrastructure, RoleOtherEndUser}

// Membership roles of an organisation in a cluster.
const (
	MemberRoleMember  = "member"
	MemberRoleFounder = "founder"
	MemberRolePartner = "partner"
)

// MembershipRoles lists the membership roles.
var MembershipRoles = []string{MemberRoleMember, MemberRoleFounder, MemberRolePartner}

// Organisation is a company, knowledge institution, public body or
// practitioner organisation.
type Organisation struct {
	ID                string       `json:"id"`
	Slug              string       `json:"slug"`
	Name              string       `json:"name"`
	ShortName         string       `json:"short_name,omitempty"`
	Kind              string       `json:"kind"`
	SME               bool         `json:"sme"`
	PractitionerRoles []string     `json:"practitioner_roles"`
	Country           string       `json:"country"`
	City              string       `json:"city,omitempty"`
	Website           string       `json:"website,omitempty"`
	PIC               string       `json:"pic,omitempty"`
	VAT               string       `json:"vat,omitempty"`
	Description       string       `json:"description,omitempty"`
	Capabilities      []string     `json:"capabilities"`
	Memberships       []Membership `json:"memberships"`
	Visibility        string       `json:"visibility"`
	TLP               string       `json:"tlp"`
	Version           int          `json:"version"`
	CreatedAt         time.Time    `json:"created_at"`
	UpdatedAt         time.Time    `json:"updated_at"`
}

// Membership ties an organisation to a cluster.
type Membership struct {
	ClusterID   string `json:"cluster_id"`
	ClusterSlug string `json:"cluster_slug,omitempty"`
	ClusterName string `json:"cluster_name,omitempty"`
	Role        string `json:"role"`
	Since       Date   `json:"since,omitempty"`
}

// Person is someone working at a member organisation.
type Person struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	Email            string    `json:"email,omitempty"`
	OrganisationID   string    `json:"organisation_id"`
	OrganisationName string    `json:"organisation_name,omitempty"`
	OrganisationSlug string    `json:"organisation_slug,omitempty"`
	Title            string    `json:"title,omitempty"`
	Expertise        []string  `json:"expertise"`
	Languages        []string  `json:"languages"`
	Listed           bool      `json:"listed"`
	Visibility       string    `json:"visibility"`
	TLP              string    `json:"tlp"`
	Version          int       `json:"version"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Nature says whether a capability concerns safety (accidental harm),
// security (intentional harm) or both.
const (
	NatureSafety   = "safety"
	NatureSecurity = "security"
	NatureBoth     = "both"
)

// Natures lists the natures of a capability.
var Natures = []string{NatureSafety, NatureSecurity, NatureBoth}

// Languages are the interface languages; capability labels exist in each.
var Languages = []string{"en", "nl", "fr", "de"}

// Capability is a node of the security capability taxonomy.
type Capability struct {
	Code      string            `json:"code"`
	Parent    string            `json:"parent,omitempty"`
	Labels    map[string]string `json:"labels"` // language → label
	Nature    string            `json:"nature"`
	Source    string            `json:"source,omitempty"` // e.g. "JRC cybersecurity taxonomy"
	Position  int               `json:"position"`
	Version   int               `json:"version"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Label returns the capability's label in lang, falling back to English.
func (c Capability) Label(lang string) string {
	if l := c.Labels[lang]; l != "" {
		return l
	}
	return c.Labels["en"]
}

// Facility is a shared testing or training facility: the catalogue record.
// Its bookable resources, availability and bookings are the facilities
// package's.
type Facility struct {
	ID               string   `json:"id"`
	Slug             string   `json:"slug"`
	Name             string   `json:"name"`
	Kind             string   `json:"kind"`
	OrganisationID   string   `json:"organisation_id"`
	OrganisationName string   `json:"organisation_name,omitempty"`
	ClusterID        string   `json:"cluster_id,omitempty"`
	ClusterName      string   `json:"cluster_name,omitempty"`
	Country          string   `json:"country"`
	City             string   `json:"city,omitempty"`
	Website          string   `json:"website,omitempty"`
	Description      string   `json:"description,omitempty"`
	Capabilities     []string `json:"capabilities"`
	// Address and coordinates (WGS 84 degrees) place the facility for the
	// search by distance; TimeZone (IANA, defaulting from the country) is
	// the zone its opening hours and bookings are given in.
	Address   string   `json:"address,omitempty"`
	Latitude  *float64 `json:"latitude,omitempty"`
	Longitude *float64 `json:"longitude,omitempty"`
	TimeZone  string   `json:"time_zone"`
	Capacity  int      `json:"capacity,omitempty"` // people at once
	// Uses says what can be tested or trained there.
	Uses             string   `json:"uses,omitempty"`
	Certifications   []string `json:"certifications"`
	Restrictions     []string `json:"restrictions"` // FacilityRestrictions
	AccessConditions string   `json:"access_conditions,omitempty"`
	PriceModel       string   `json:"price_model"`           // FacilityPriceModels
	PriceCents       int64    `json:"price_cents,omitempty"` // euro cents, for a fixed price
	PriceUnit        string   `json:"price_unit,omitempty"`  // hour, day or booking, for a fixed price

	Visibility string    `json:"visibility"`
	TLP        string    `json:"tlp"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Facility kinds.
var FacilityKinds = []string{"test_range", "training_ground", "laboratory", "cyber_range", "campus", "other"}

// FacilityRestrictions are the kinds of restriction a facility may be
// under: controlled airspace, explosives, classified work, chemical,
// biological or radiological agents, live fire, radio transmission,
// export control, escorted access.
var FacilityRestrictions = []string{"airspace", "explosives", "classified", "cbrn", "live_fire", "radio", "export_control", "escort"}

// FacilityPriceModels: free of charge, a fixed price per PriceUnit, or a
// price on request.
var FacilityPriceModels = []string{"free", "fixed", "on_request"}

// FacilityPriceUnits are what a fixed price is per.
var FacilityPriceUnits = []string{"hour", "day", "booking"}

// Filter narrows a list. Every field is optional; Limit defaults to 50.
type Filter struct {
	Query      string // words that must all appear in the record's text
	Country    string
	Kind       string
	Cluster    string // cluster id or slug
	Capability string // capability code; matches the node and its descendants
	Role       string // practitioner role (organisations)
	// NoCounts leaves out clusters' member counts (MemberCount is 0), for
	// menus that only need names: counting members is the expensive part.
	NoCounts bool
	// Organisation narrows people and facilities to one organisation (id
	// or slug).
	Organisation string
	// Membership narrows organisations to members of the alliance (in at
	// least one cluster, MembershipMembers), to those known only from EU
	// records (MembershipOutsiders), or not (MembershipAll, ""). Lists
	// shown to people default to members (the web layer's choice).
	Membership string
	Limit      int
	Cursor     string // opaque, from Page.Next
}

// Values of Filter.Membership.
const (
	MembershipMembers   = "members"
	MembershipOutsiders = "outsiders"
	MembershipAll       = "all"
)

// MembershipChoices lists the values of Filter.Membership, the default first.
var MembershipChoices = []string{MembershipMembers, MembershipOutsiders, MembershipAll}

// Page is one page of a list in a stable order (by name, then id): the
// list page every paged list shares (internal/listing).
type Page[T any] = listing.Page[T]

// Facet is one value of a facet and how many records have it.
type Facet struct {
	Value string `json:"value"`
	Label string `json:"label,omitempty"`
	Count int    `json:"count"`
}

// Facets are the counts of a search, by field.
type Facets struct {
	Country    []Facet `json:"country"`
	Kind       []Facet `json:"kind"`
	Cluster    []Facet `json:"cluster"`
	Capability []Facet `json:"capability"` // top-level taxonomy nodes
}

// Store is what the directory needs from a storage engine. Reads apply the
// access scope in the context (access.ScopeFrom): lists and counts include
// only what the viewer may see, and Get methods return an error wrapping
// store.ErrNotFound for a record that is missing or hidden. Writes return
// *store.ConflictError for duplicate identifiers and references in use.
type Store interface {
	ListClusters(ctx context.Context, f Filter) (Page[Cluster], error)
	GetCluster(ctx context.Context, idOrSlug string) (Cluster, error)
	CreateCluster(ctx context.Context, c *Cluster) error
	UpdateCluster(ctx context.Context, c *Cluster) error
	DeleteCluster(ctx context.Context, id string) error

	ListOrganisations(ctx context.Context, f Filter) (Page[Organisation], error)
	GetOrganisation(ctx context.Context, idOrSlug string) (Organisation, error)
	CreateOrganisation(ctx context.Context, o *Organisation) error
	UpdateOrganisation(ctx context.Context, o *Organisation) error
	DeleteOrganisation(ctx context.Context, id string) error

	ListPeople(ctx context.Context, f Filter) (Page[Person], error)
	GetPerson(ctx context.Context, id string) (Person, error)
	CreatePerson(ctx context.Context, p *Person) error
	UpdatePerson(ctx context.Context, p *Person) error
	DeletePerson(ctx context.Context, id string) error

	ListCapabilities(ctx context.Context) ([]Capability, error)
	GetCapability(ctx context.Context, code string) (Capability, error)
	CreateCapability(ctx context.Context, c *Capability) error
	UpdateCapability(ctx context.Context, c *Capability) error
	DeleteCapability(ctx context.Context, code string) error

	// OrganisationFacets counts the organisations matching f by country,
	// kind, cluster and capability, for search facets.
	OrganisationFacets(ctx context.Context, f Filter) (Facets, error)
	// OrganisationCountries counts the organisations matching f by
	// country alone (for maps).
	OrganisationCountries(ctx context.Context, f Filter) ([]Facet, error)

	ListFacilities(ctx context.Context, f Filter) (Page[Facility], error)
	GetFacility(ctx context.Context, idOrSlug string) (Facility, error)
	CreateFacility(ctx context.Context, f *Facility) error
	UpdateFacility(ctx context.Context, f *Facility) error
	DeleteFacility(ctx context.Context, id string) error
}
