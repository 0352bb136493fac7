// Package postings is the partner search of the alliance, as on the EU
// Funding & Tenders portal and the ECCP: an organisation publishes that it
// seeks partners for a call topic (the roles, capabilities and countries
// it wants, and a text) or offers its expertise for calls like one; other
// organisations express interest with a message, and the author is told by
// e-mail and on the posting's page. A posting is a record of its
// organisation with a visibility (internal/access) and an expiry date.
//
// The Service takes every decision from the viewer in the context; the
// Store reads (limited to the scope in the context) and writes.
package postings

import (
	"context"
	"time"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/validate"
)

// Kinds of postings.
const (
	KindSeek  = "seek"  // seeks partners for a call topic
	KindOffer = "offer" // offers its expertise for calls like one
)

// Kinds lists the kinds of postings.
var Kinds = []string{KindSeek, KindOffer}

// Message keys of the posting rules.
const (
	CallClosed      = "error.posting.call_closed"
	ExpiryPast      = "error.posting.expiry_past"
	ExpiryTooFar    = "error.posting.expiry_too_far"
	Expired         = "error.posting.expired"
	OwnPosting      = "error.posting.own"
	AlreadyInterest = "error.posting.already_interested"
)

func init() {
	validate.Define(map[string]string{
		CallClosed:      "has closed: its deadline has passed",
		ExpiryPast:      "lies in the past",
		ExpiryTooFar:    "lies more than two years ahead",
		Expired:         "has expired",
		OwnPosting:      "is your own organisation's posting",
		AlreadyInterest: "already has your organisation's interest",
	})
}

// Posting is a partner search or an offer of expertise.
type Posting struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisation_id"`
	// OrganisationName and OrganisationSlug name the author's
	// organisation (read only).
	OrganisationName string `json:"organisation_name,omitempty"`
	OrganisationSlug string `json:"organisation_slug,omitempty"`
	Kind             string `json:"kind"`
	// CallID is the call topic the posting is for (required when
	// seeking; an example of the calls meant when offering).
	CallID    string `json:"call_id,omitempty"`
	CallTitle string `json:"call_title,omitempty"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	// Roles are organisation kinds and practitioner roles wanted
	// (seeking) or held (offering).
	Roles []string `json:"roles"`
	// Capabilities are codes of the capability taxonomy.
	Capabilities []string `json:"capabilities"`
	// Countries are the countries wanted (ISO 3166-1 alpha-2).
	Countries  []string       `json:"countries"`
	Visibility string         `json:"visibility"`
	ExpiresOn  directory.Date `json:"expires_on"`
	// CreatedBy is the account that published it; it receives the
	// notices of interest.
	CreatedBy string    `json:"-"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	// Interests is how many organisations expressed interest; Expired
	// says whether the expiry date has passed (both read only).
	Interests int  `json:"interests"`
	Expired   bool `json:"expired"`
}

// Interest is an organisation's interest in a posting, with its message.
type Interest struct {
	ID               string    `json:"id"`
	PostingID        string    `json:"posting_id"`
	OrganisationID   string    `json:"organisation_id"`
	OrganisationName string    `json:"organisation_name,omitempty"`
	OrganisationSlug string    `json:"organisation_slug,omitempty"`
	UserID           string    `json:"-"`
	UserName         string    `json:"user_name,omitempty"`
	Message          string    `json:"message"`
	CreatedAt        time.Time `json:"created_at"`
}

// Detail is a posting with the interests the viewer may see: all of them
// for the author's organisation and the alliance administrator, the
// viewer's own organisation's otherwise.
type Detail struct {
	Posting
	InterestList []Interest `json:"interest_list"`
	// MayInterest says whether the viewer may express interest now.
	MayInterest bool `json:"may_express_interest"`
	// Mine says whether the viewer acts for the author's organisation.
	Mine bool `json:"mine"`
}

// Filter selects postings.
type Filter struct {
	CallID         string
	Kind           string
	OrganisationID string
	// Today is the date (Europe/Brussels) before which a posting has
	// expired; empty lists expired postings too.
	Today string
}

// Author is the account that published a posting.
type Author struct {
	Email, Name string
}

// Store is what postings need from a storage engine.
type Store interface {
	OrganisationRef(ctx context.Context, key string) (directory.Organisation, error)
	GetCall(ctx context.Context, id string) (calls.Call, error)
	// CapabilityExists reports whether the taxonomy has code.
	CapabilityExists(ctx context.Context, code string) (bool, error)
	PostingCreate(ctx context.Context, p *Posting) error
	// PostingGet returns a posting the scope in ctx may see.
	PostingGet(ctx context.Context, id string) (Posting, error)
	// PostingList lists the postings the scope may see, newest first.
	PostingList(ctx context.Context, f Filter) ([]Posting, error)
	// PostingInterestCreate stores an interest; a second one of the same
	// organisation is a conflict on organisation_id.
	PostingInterestCreate(ctx context.Context, in *Interest) error
	// PostingInterests lists a posting's interests, oldest first; with
	// org set, only that organisation's.
	PostingInterests(ctx context.Context, postingID, org string) ([]Interest, error)
	// PostingRecipients returns who is told of an interest: the enabled
	// account userID, or when there is none (the account is gone, or the
	// posting was loaded by the system) the enabled administrators of
	// organisation org.
	PostingRecipients(ctx context.Context, userID, org string) ([]Author, error)
}
