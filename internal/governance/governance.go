// Package governance runs the alliance itself: clusters and regions that
// apply to join (item 4 of issue 15), judged against criteria that the
// alliance administrator keeps as data. Every decision about who may do
// what is a method of Service, taken from the viewer in the context.
package governance

import (
	"context"
	"time"
)

// Application states.
const (
	StateSubmitted = "submitted" // waiting for the alliance administrators
	StateMoreInfo  = "more_info" // the administrators asked the applicant for more
	StateAccepted  = "accepted"  // the cluster was created and its managers invited
	StateRefused   = "refused"   // refused, with the reason told to the applicant
)

// States lists the application states in order.
var States = []string{StateSubmitted, StateMoreInfo, StateAccepted, StateRefused}

// Applicant kinds.
const (
	KindCluster = "cluster"
	KindRegion  = "region"
)

// Members counts an applicant's members by helix. Companies includes the
// SMEs; Total is what the applicant says the members add up to.
type Members struct {
	Companies     int `json:"companies"`
	SMEs          int `json:"smes"`
	Knowledge     int `json:"knowledge_institutions"`
	Government    int `json:"government"`
	Practitioners int `json:"practitioners"`
	Total         int `json:"total"`
}

// Sum is the members of the four helices together.
func (m Members) Sum() int { return m.Companies + m.Knowledge + m.Government + m.Practitioners }

// Helices is how many of the four helices have at least one member.
func (m Members) Helices() int {
	n := 0
	for _, c := range []int{m.Companies, m.Knowledge, m.Government, m.Practitioners} {
		if c > 0 {
			n++
		}
	}
	return n
}

// Contact is the person who speaks for the applicant.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"`
}

// Application is a cluster's or region's request to join the alliance.
type Application struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	Name        string   `json:"name"`
	Slug        string   `json:"slug"`
	Country     string   `json:"country"`
	City        string   `json:"city,omitempty"`
	Website     string   `json:"website,omitempty"`
	Description string   `json:"description"`
	Themes      []string `json:"themes"`
	Members     Members  `json:"members"`
	// StaffFTE is the cluster management's staff in hundredths of a
	// full-time equivalent (50 = 0.5 FTE), so that it compares exactly.
	StaffFTE int `json:"staff_fte_hundredths"`
	// Organisation is the legal body that runs the cluster; on acceptance
	// it becomes the organisation of the managers' accounts.
	Organisation string  `json:"organisation"`
	Contact      Contact `json:"contact"`
	// Managers are the addresses invited to manage the cluster once
	// accepted (the contact when empty).
	Managers  []string  `json:"managers"`
	Letter    string    `json:"letter_of_intent"`
	State     string    `json:"state"`
	Reason    string    `json:"reason,omitempty"`
	ClusterID string    `json:"cluster_id,omitempty"`
	Notes     []Note    `json:"notes"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// TokenHash is the hash of the applicant's private link.
	TokenHash string `json:"-"`
}

// Note kinds.
const (
	NoteComment  = "comment"  // among the administrators only
	NoteAsk      = "ask"      // a question to the applicant
	NoteReply    = "reply"    // the applicant's answer
	NoteDecision = "decision" // acceptance or refusal
)

// Note is one entry of an application's history.
type Note struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
}

// Public reports whether the applicant sees the note.
func (n Note) Public() bool { return n.Kind != NoteComment }

// Range is a bound on one measure: at least Min and, when Max is above 0,
// at most Max.
type Range struct {
	Min int `json:"min"`
	Max int `json:"max,omitempty"`
}

// Criteria are what the alliance asks of an applicant; the alliance
// administrator sets them.
type Criteria struct {
	Members Range `json:"members"`
	Helices Range `json:"helices"`
	// StaffFTE is in hundredths of a full-time equivalent.
	StaffFTE  Range     `json:"staff_fte_hundredths"`
	SMEs      Range     `json:"smes"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// DefaultCriteria are those of the European Cluster Collaboration
// Platform: at least 15 members, from at least three helices, and at least
// half a full-time equivalent of staff.
var DefaultCriteria = Criteria{Members: Range{Min: 15}, Helices: Range{Min: 3}, StaffFTE: Range{Min: 50}}

// Measures names the criteria in order (also their message keys).
var Measures = []string{"members", "helices", "staff_fte_hundredths", "smes"}

// Result says whether an application meets one criterion.
type Result struct {
	Measure string `json:"measure"`
	Range   Range  `json:"range"`
	Got     int    `json:"got"`
	Met     bool   `json:"met"`
}

func (c Criteria) ranges() []Range { return []Range{c.Members, c.Helices, c.StaffFTE, c.SMEs} }

// Check returns, for every criterion that asks anything, whether a meets
// it.
func (c Criteria) Check(a Application) []Result {
	got := []int{a.Members.Sum(), a.Members.Helices(), a.StaffFTE, a.Members.SMEs}
	out := []Result{}
	for i, r := range c.ranges() {
		if r.Min == 0 && r.Max == 0 {
			continue
		}
		out = append(out, Result{Measure: Measures[i], Range: r, Got: got[i],
			Met: got[i] >= r.Min && (r.Max == 0 || got[i] <= r.Max)})
	}
	return out
}

// MeetsAll reports whether every result is met.
func MeetsAll(rs []Result) bool {
	for _, r := range rs {
		if !r.Met {
			return false
		}
	}
	return true
}

// Store reads and writes what governance keeps. It checks no permission.
type Store interface {
	Criteria(ctx context.Context) (Criteria, error)
	// SetCriteria replaces the criteria when expected is 0 or the current
	// version (else store.ErrStale).
	SetCriteria(ctx context.Context, c *Criteria, expected int) error
	CreateJoinApplication(ctx context.Context, a *Application) error
	GetJoinApplication(ctx context.Context, id string) (Application, error)
	JoinApplicationByToken(ctx context.Context, hash string) (Application, error)
	ListJoinApplications(ctx context.Context, state string) ([]Application, error)
	// UpdateJoinApplication writes a's state, reason and cluster and appends
	// note (when its kind is set) when expected is 0 or the current version.
	UpdateJoinApplication(ctx context.Context, a *Application, expected int, note Note) error
}
