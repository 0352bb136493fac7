// Package inquiries is the alliance's one contact point: a company, a city,
// a police unit or a lab asks a question on a public page; escnet proposes
// the experts, organisations and facilities across all clusters that fit
// (with reasons); the desk of the cluster that received the question
// triages it, experts answer, the requester follows the case through a
// private link, rates the answer and closes it.
//
// The package holds the types, the rules (validation, the state machine,
// spam protection, reply deadlines), the routing (Router, over an in-memory
// snapshot of the directory, no I/O), the statistics and the Service,
// whose every method takes the viewer from the context and decides what
// they may do. The Store interface is what the service needs from an
// engine (store/sqlstore implements it).
package inquiries

import (
	"context"
	"time"

	"github.com/escnet/escnet/internal/store/feed"
)

// States of a case.
const (
	StateNew      = "new"      // asked, not yet looked at by the desk
	StateTriaged  = "triaged"  // the desk has looked at it (tagged, accepted from another cluster)
	StateAssigned = "assigned" // one or more experts are assigned
	StateAnswered = "answered" // an expert or the desk has answered
	StateClosed   = "closed"   // finished: by the requester, the desk, a merge or as spam
)

// States lists the states in their order.
var States = []string{StateNew, StateTriaged, StateAssigned, StateAnswered, StateClosed}

// Requester kinds.
var Kinds = []string{"company", "government", "knowledge_institution", "practitioner", "citizen"}

// Urgencies, each with its own deadline for a first answer.
var Urgencies = []string{"low", "normal", "high"}

// Assignment states.
const (
	AssignPending  = "pending"
	AssignAccepted = "accepted"
	AssignDeclined = "declined"
)

// Author kinds of a message.
const (
	AuthorRequester = "requester"
	AuthorExpert    = "expert"
	AuthorDesk      = "desk"
)

// Close reasons.
const (
	CloseDone   = "done"   // answered and finished
	CloseSpam   = "spam"   // not a real question
	CloseMerged = "merged" // a duplicate of another case
)

// Inquiry is one case.
type Inquiry struct {
	ID             string       `json:"id"`
	Number         int          `json:"number"`
	ClusterID      string       `json:"cluster_id"`
	ClusterName    string       `json:"cluster_name,omitempty"`
	HandoffTo      string       `json:"handoff_to,omitempty"`
	State          string       `json:"state"`
	Question       string       `json:"question"`
	Lang           string       `json:"lang"`
	RequesterName  string       `json:"requester_name"`
	RequesterEmail string       `json:"requester_email"`
	RequesterOrg   string       `json:"requester_organisation,omitempty"`
	RequesterKind  string       `json:"requester_kind"`
	Country        string       `json:"country"`
	Urgency        string       `json:"urgency"`
	Consent        bool         `json:"consent"`
	TLP            string       `json:"tlp"`
	Capabilities   []string     `json:"capabilities"`
	Domain         string       `json:"domain,omitempty"`
	MergedInto     string       `json:"merged_into,omitempty"`
	Handoffs       int          `json:"handoffs"`
	Rating         int          `json:"rating,omitempty"`
	RatingComment  string       `json:"rating_comment,omitempty"`
	CloseReason    string       `json:"close_reason,omitempty"`
	FirstAnswerAt  *time.Time   `json:"first_answer_at,omitempty"`
	RemindedAt     *time.Time   `json:"reminded_at,omitempty"`
	EscalatedAt    *time.Time   `json:"escalated_at,omitempty"`
	ClosedAt       *time.Time   `json:"closed_at,omitempty"`
	Anonymised     bool         `json:"anonymised"`
	Version        int          `json:"version"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
	Assignments    []Assignment `json:"assignments"`
}

// Assignment is an expert asked to answer a case.
type Assignment struct {
	PersonID         string     `json:"person_id"`
	PersonName       string     `json:"person_name,omitempty"`
	OrganisationName string     `json:"organisation_name,omitempty"`
	ClusterName      string     `json:"cluster_name,omitempty"`
	State            string     `json:"state"`
	Reason           string     `json:"reason,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	DecidedAt        *time.Time `json:"decided_at,omitempty"`
}

// Active reports whether the expert is still on the case.
func (a Assignment) Active() bool { return a.State != AssignDeclined }

// Message is one entry of a case's thread. Internal notes are for the
// desk and the experts; the requester never sees them.
type Message struct {
	ID          string       `json:"id"`
	InquiryID   string       `json:"inquiry_id"`
	AuthorKind  string       `json:"author_kind"`
	AuthorID    string       `json:"-"`
	AuthorName  string       `json:"author_name"`
	Body        string       `json:"body"`
	Internal    bool         `json:"internal"`
	CreatedAt   time.Time    `json:"created_at"`
	Attachments []Attachment `json:"attachments"`
}

// Attachment is a file sent with a message, kept outside the web root.
type Attachment struct {
	ID          string    `json:"id"`
	InquiryID   string    `json:"inquiry_id"`
	MessageID   string    `json:"message_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	StoredName  string    `json:"-"`
	Internal    bool      `json:"-"` // part of an internal note
	CreatedAt   time.Time `json:"created_at"`
}

// Submission is one use of the public form, kept (hashed) for throttling.
type Submission struct {
	IPHash, EmailHash, Outcome string
	At                         time.Time
}

// Step is what a change to a case writes besides the case itself: the
// audit action, and a message with its attachments.
type Step struct {
	Action      string
	Detail      string
	Message     *Message
	Attachments []Attachment
}

// Filter selects cases for a list.
type Filter struct {
	Clusters []string // cases held by, or offered to, these clusters
	PersonID string   // or assigned to this expert
	All      bool     // every case (alliance administrator, statistics)
	State    string
	Email    string // the requester's address (export, erasure)
	Limit    int
}

// DeskMember is a person named to a cluster's desk.
type DeskMember struct {
	UserID string `json:"user_id"`
	Email  string `json:"email"`
	Name   string `json:"name"`
}

// Store is what the service needs from an engine. Reads are not filtered
// by the viewer: the service decides.
type Store interface {
	// CreateInquiry writes a new case, numbers it and logs the submission,
	// in one transaction.
	CreateInquiry(ctx context.Context, q *Inquiry, tokenHash string, sub Submission) error
	LogSubmission(ctx context.Context, sub Submission) error
	CountSubmissions(ctx context.Context, ipHash, emailHash string, since time.Time) (byIP, byEmail int, err error)
	PruneSubmissions(ctx context.Context, before time.Time) error
	GetInquiry(ctx context.Context, id string) (Inquiry, error)
	InquiryByToken(ctx context.Context, tokenHash string) (Inquiry, error)
	InquiryIDByNumber(ctx context.Context, number int) (string, error)
	ListInquiries(ctx context.Context, f Filter) ([]Inquiry, error)
	// ChangeInquiry reads the case in a transaction, lets change modify it,
	// and writes it (state, fields, assignments) with the step, checking
	// the version (0 = no check) and auditing the step's action.
	ChangeInquiry(ctx context.Context, id string, version int, change func(*Inquiry) (Step, error)) (Inquiry, error)
	Messages(ctx context.Context, inquiryID string, internal bool) ([]Message, error)
	GetInquiryAttachment(ctx context.Context, id string) (Attachment, error)

	DeskClusters(ctx context.Context, userID string) ([]string, error)
	ListDesk(ctx context.Context, clusterID string) ([]DeskMember, error)
	// SetDesk replaces the list when it is at version expected (0: no
	// check; else store.ErrStale) and returns the new version;
	// DeskVersion reads it (1 until first set).
	SetDesk(ctx context.Context, clusterID string, userIDs []string, expected int) (int, error)
	DeskVersion(ctx context.Context, clusterID string) (int, error)
	UserIDByEmail(ctx context.Context, email string) (string, error)
	// DeskEmails returns the addresses of a cluster's managers and desk
	// staff; ManagerEmails only the managers'.
	DeskEmails(ctx context.Context, clusterID string) ([]string, error)
	ManagerEmails(ctx context.Context, clusterID string) ([]string, error)
	// PersonEmail is the address of an expert: their account's, else their
	// directory entry's.
	PersonEmail(ctx context.Context, personID string) (string, error)

	SetExpert(ctx context.Context, personID string, on bool, summary string) error
	RoutingData(ctx context.Context) (Snapshot, error)
	// Feed is the change feed the routing snapshot follows (nil: none;
	// the snapshot is then reread every Config.RouterTTL).
	Feed() *feed.Feed
	ClusterExists(ctx context.Context, idOrSlug string) (string, error)

	// AnonymiseClosed strips the requester's data from cases closed
	// before the time; EraseRequester from every case of an address.
	AnonymiseClosed(ctx context.Context, before time.Time) (int, error)
	EraseRequester(ctx context.Context, email string) (int, error)
}
