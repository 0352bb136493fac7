// Package exchanges is the exchange of people between the clusters'
// members: host organisations offer places (a visiting researcher, a
// secondment, job shadowing, a traineeship), people request them, escnet
// matches the two (capability, language, country, dates, and whether the
// move crosses sectors, as MSCA Staff Exchanges require), and an
// application goes through approval by the guest's own organisation and
// by the host, a plan both sign, a stay during which the guest may use
// the host records the plan names, and reports that can become an entry
// of the practices library.
//
// The Service takes every decision from the viewer in the context; the
// Store reads (limited to the scope in the context) and writes.
package exchanges

import (
	"context"
	"time"

	"github.com/escnet/escnet/internal/directory"
)

// Kinds of places.
var Kinds = []string{"visiting_researcher", "secondment", "job_shadowing", "traineeship"}

// Message keys of the exchange rules.
const (
	EndsBeforeStart = "error.exchange.ends_before_start"
	NoApprover      = "error.exchange.no_approver"
	OutsideOffer    = "error.exchange.outside_offer"
	NotDecider      = "error.exchange.not_decider"
	WrongStep       = "error.exchange.wrong_step"
	NotAHostRecord  = "error.exchange.not_host_record"
	NotHostFacility = "error.exchange.not_host_facility"
)

// Offer is a place a host organisation offers.
type Offer struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	HostName       string    `json:"host_name,omitempty"`
	HostKind       string    `json:"-"`
	HostClusters   []string  `json:"-"`
	Kind           string    `json:"kind"`
	Topic          string    `json:"topic"`
	Description    string    `json:"description"`
	Capabilities   []string  `json:"capabilities"`
	Language       string    `json:"language"`
	StartsOn       string    `json:"starts_on"`
	EndsOn         string    `json:"ends_on"`
	Weeks          int       `json:"weeks"`
	Place          string    `json:"place"`
	Country        string    `json:"country"`
	Facilities     []string  `json:"facilities"` // facility ids the guest may use
	Visibility     string    `json:"visibility"`
	CreatedAt      time.Time `json:"created_at"`
}

// Request is what a person wants to learn or bring.
type Request struct {
	ID             string    `json:"id"`
	UserID         string    `json:"-"`
	OrganisationID string    `json:"organisation_id"`
	OrgKind        string    `json:"-"`
	Topic          string    `json:"topic"`
	Capabilities   []string  `json:"capabilities"`
	Language       string    `json:"language"`
	Country        string    `json:"country"`
	StartsOn       string    `json:"starts_on"`
	EndsOn         string    `json:"ends_on"`
	Visibility     string    `json:"visibility"`
	CreatedAt      time.Time `json:"created_at"`
}

// Match is an offer ranked for a request, with its reasons.
type Match struct {
	Offer       Offer    `json:"offer"`
	Score       int      `json:"-"`
	Shared      []string `json:"shared_capabilities"`
	Language    bool     `json:"same_language"`
	Country     bool     `json:"wanted_country"`
	Overlap     bool     `json:"dates_overlap"`
	CrossSector bool     `json:"cross_sector"`
}

// Application is a person's application for an offer, its plan and its
// course.
type Application struct {
	ID             string     `json:"id"`
	OfferID        string     `json:"offer_id"`
	UserID         string     `json:"-"`
	GuestOrgID     string     `json:"guest_organisation_id"`
	Tasks          string     `json:"tasks"`
	Supervisor     string     `json:"supervisor"`
	StartsOn       string     `json:"starts_on"`
	EndsOn         string     `json:"ends_on"`
	Records        []string   `json:"records"` // host facility ids the guest may use during the stay
	CrossSector    bool       `json:"cross_sector"`
	HomeApprovedBy string     `json:"-"`
	HostApprovedBy string     `json:"-"`
	GuestSignedAt  *time.Time `json:"guest_signed_at,omitempty"`
	HostSignedAt   *time.Time `json:"host_signed_at,omitempty"`
	GuestReport    string     `json:"guest_report"`
	HostReport     string     `json:"host_report"`
	ReportEntryID  string     `json:"report_entry_id,omitempty"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	Status         string     `json:"status"`
}

// Statuses of an application, in order.
const (
	StatusRequested = "requested" // waiting for both organisations
	StatusApproved  = "approved"  // both approved; waiting for signatures
	StatusSigned    = "signed"    // plan signed by guest and host
	StatusReported  = "reported"  // both reports written
)

// status derives an application's status from its fields.
func (a Application) status() string {
	switch {
	case a.GuestReport != "" && a.HostReport != "":
		return StatusReported
	case a.GuestSignedAt != nil && a.HostSignedAt != nil:
		return StatusSigned
	case a.HomeApprovedBy != "" && a.HostApprovedBy != "":
		return StatusApproved
	}
	return StatusRequested
}

// Store is what exchanges need from a storage engine.
type Store interface {
	OrganisationRef(ctx context.Context, key string) (directory.Organisation, error)
	// OrgAdminCount counts the accounts that administer an organisation:
	// those who approve its exchanges.
	OrgAdminCount(ctx context.Context, orgID string) (int, error)
	CreateOffer(ctx context.Context, o *Offer) error
	GetOffer(ctx context.Context, id string) (Offer, error)
	ListOffers(ctx context.Context) ([]Offer, error)
	CreateRequest(ctx context.Context, r *Request) error
	GetRequest(ctx context.Context, id string) (Request, error)
	ListRequests(ctx context.Context) ([]Request, error)
	CreateApplication(ctx context.Context, a *Application) error
	GetApplication(ctx context.Context, id string) (Application, error)
	ListApplications(ctx context.Context) ([]Application, error)
	// UpdateApplication writes a's course if expected is its version.
	UpdateApplication(ctx context.Context, a *Application, expected int) error
	// ExchangeApplicationsOfUser lists the applications of one guest.
	ExchangeApplicationsOfUser(ctx context.Context, userID string) ([]Application, error)
	// ExchangeUserNames returns the names of accounts by id.
	ExchangeUserNames(ctx context.Context, ids []string) (map[string]string, error)
	// GetFacility returns a facility by id or slug (within the scope).
	GetFacility(ctx context.Context, key string) (directory.Facility, error)
	// ExchangeHostFacilities lists an organisation's facilities.
	ExchangeHostFacilities(ctx context.Context, orgID string) ([]directory.Facility, error)
}
