// Package projects holds the EU research projects that alliance members
// took part in, as imported from CORDIS: projects, participations, the
// track record of each organisation, and the duplicate organisations an
// import may reveal (merge candidates, merges and their undoing). It
// defines the types, the rules and the Store an engine implements, and
// does no I/O of its own beyond reading the sources it is handed.
package projects

import (
	"context"
	"time"

	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/directory"
)

// Project is an EU research project. Money is in euro cents; an unknown
// amount (the export left it empty) is nil and absent from JSON, which is
// not zero.
type Project struct {
	ID                  string   `json:"id"` // CORDIS project id (grant agreement number)
	RCN                 string   `json:"rcn,omitempty"`
	Acronym             string   `json:"acronym"`
	Title               string   `json:"title"`
	Objective           string   `json:"objective,omitempty"` // only on a single project
	Status              string   `json:"status,omitempty"`
	Framework           string   `json:"framework,omitempty"`
	Programmes          []string `json:"programmes"`
	Topics              []Topic  `json:"topics"`
	Call                string   `json:"call,omitempty"`
	FundingScheme       string   `json:"funding_scheme,omitempty"`
	StartDate           string   `json:"start_date,omitempty"`
	EndDate             string   `json:"end_date,omitempty"`
	Website             string   `json:"website,omitempty"`
	TotalCostCents      *int64   `json:"total_cost_cents,omitempty"`
	EUContributionCents *int64   `json:"eu_contribution_cents,omitempty"`
	Subjects            []string `json:"subjects"`
	// Participants is filled on a single project, in consortium order
	// (coordinator first).
	Participants []Participation `json:"participants,omitempty"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

// Topic is a call topic, with its title when the topics reference file was
// imported.
type Topic struct {
	Code  string `json:"code"`
	Title string `json:"title,omitempty"`
}

// Participation is an organisation's part in a project.
type Participation struct {
	ProjectID           string `json:"project_id"`
	ProjectAcronym      string `json:"project_acronym,omitempty"`
	PIC                 string `json:"pic"` // as CORDIS names the participant
	OrganisationID      string `json:"organisation_id"`
	OrganisationSlug    string `json:"organisation_slug"`
	OrganisationName    string `json:"organisation_name"`
	Country             string `json:"country"`
	Role                string `json:"role"`
	EUContributionCents *int64 `json:"eu_contribution_cents,omitempty"`
	Terminated          bool   `json:"terminated"`
}

// TrackRecord is what an organisation did in EU research.
type TrackRecord struct {
	OrganisationID string `json:"organisation_id"`
	Projects       int    `json:"projects"`
	Coordinated    int    `json:"coordinated"`
	// EUContributionCents sums the known contributions; Unknown counts
	// participations whose contribution the export left empty.
	EUContributionCents int64         `json:"eu_contribution_cents"`
	UnknownAmounts      int           `json:"unknown_amounts"`
	ByYear              []YearCount   `json:"by_year"`
	Roles               []RoleCount   `json:"roles"`
	Topics              []TopicCount  `json:"topics"`
	Subjects            []NameCount   `json:"subjects"`
	Partners            []Partner     `json:"partners"`
	Recent              []ProjectRole `json:"recent"`
}

// YearCount is the projects started in a year and the EU funding they
// brought the organisation.
type YearCount struct {
	Year                int   `json:"year"`
	Projects            int   `json:"projects"`
	EUContributionCents int64 `json:"eu_contribution_cents"`
}

// RoleCount counts participations in a role.
type RoleCount struct {
	Role  string `json:"role"`
	Count int    `json:"count"`
}

// TopicCount counts projects under a call topic.
type TopicCount struct {
	Code     string `json:"code"`
	Title    string `json:"title,omitempty"`
	Projects int    `json:"projects"`
}

// NameCount counts projects with a subject.
type NameCount struct {
	Name     string `json:"name"`
	Projects int    `json:"projects"`
}

// Partner is an organisation worked with, and in how many projects.
type Partner struct {
	OrganisationID string `json:"organisation_id"`
	Slug           string `json:"slug"`
	Name           string `json:"name"`
	Country        string `json:"country"`
	Projects       int    `json:"projects"`
}

// ProjectRole is a project seen from one participant.
type ProjectRole struct {
	ProjectID           string `json:"project_id"`
	Acronym             string `json:"acronym"`
	Title               string `json:"title"`
	StartDate           string `json:"start_date,omitempty"`
	Role                string `json:"role"`
	EUContributionCents *int64 `json:"eu_contribution_cents,omitempty"`
}

// Limits of a track record's lists.
const (
	MaxPartners = 10
	MaxTopics   = 15
	MaxRecent   = 20
)

// Filter narrows the project list.
type Filter struct {
	Query        string // words that must all appear in acronym, title, call or topics
	Organisation string // participant id or slug
	Topic        string // topic code
	Framework    string // FP7, H2020, HORIZON
	Limit        int
	Cursor       string
}

// Reasons why two organisations look like the same one.
const (
	ReasonVAT         = "same_vat"
	ReasonNameCity    = "same_name_city"
	ReasonNameWebsite = "same_name_website"
	// ReasonEvidence: the linker's evidence that an organisation entered
	// in the directory is a CORDIS record (MergeCandidate.Evidence).
	ReasonEvidence = "cordis_evidence"
)

// OrgRef names an organisation in a candidate pair or a merge.
type OrgRef struct {
	ID      string `json:"id"`
	Slug    string `json:"slug"`
	Name    string `json:"name"`
	Country string `json:"country"`
	City    string `json:"city,omitempty"`
	PIC     string `json:"pic,omitempty"`
	VAT     string `json:"vat,omitempty"`
}

// MergeCandidate is a pair of organisations that may be one.
type MergeCandidate struct {
	A      OrgRef `json:"a"`
	B      OrgRef `json:"b"`
	Reason string `json:"reason"`
	// Evidence is the linker's, for and against, when A was entered in the
	// directory and B is known only from CORDIS.
	Evidence []LinkReason `json:"evidence,omitempty"`
}

// Merge records that From was merged into Into: what moved, so that undo
// restores it.
type Merge struct {
	ID       string     `json:"id"`
	Into     OrgRef     `json:"into"`
	From     OrgRef     `json:"from"`
	Actor    string     `json:"actor"`
	MergedAt time.Time  `json:"merged_at"`
	UndoneAt *time.Time `json:"undone_at,omitempty"`
	UndoneBy string     `json:"undone_by,omitempty"`
	Moved    MergeMoved `json:"moved"`
}

// MergeMoved counts what a merge moved to the organisation kept.
type MergeMoved struct {
	Participations int `json:"participations"`
	People         int `json:"people"`
	Facilities     int `json:"facilities"`
	Memberships    int `json:"memberships"` // added where the kept organisation had none in that cluster
	Identifiers    int `json:"identifiers"` // PICs and VAT numbers kept as identifiers
}

// OrgKey is what candidate detection reads of an organisation.
type OrgKey struct {
	OrgRef
	Website string
	// VATs holds the organisation's VAT number and any others recorded
	// for it (from CORDIS rows that could not hold the column).
	VATs []string
}

// Checkpoint is how far the import of one file got: the file's content
// hash, and the line of the last row of the last committed batch. A
// resumed import skips rows up to that line.
type Checkpoint struct {
	Hash   string
	Name   string
	Layout string
	Line   int
	Done   bool
}

// Counts counts records by what an import did to them.
type Counts struct {
	New       int `json:"new"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Add adds c2 to c.
func (c *Counts) Add(c2 Counts) {
	c.New += c2.New
	c.Updated += c2.Updated
	c.Unchanged += c2.Unchanged
}

// Changed is the number of records written.
func (c Counts) Changed() int { return c.New + c.Updated }

// BatchResult is what storing a batch of participation rows did.
type BatchResult struct {
	Organisations  Counts
	Linked         int // organisations matched to a directory record by PIC or VAT
	Participations Counts
	// MissingProject lists the indexes of rows whose project is not in
	// the database; they were not stored.
	MissingProject []int
}

// Store is what projects need from a storage engine.
type Store interface {
	ListProjects(ctx context.Context, f Filter) (directory.Page[Project], error)
	GetProject(ctx context.Context, id string) (Project, error)
	TrackRecord(ctx context.Context, organisation string) (TrackRecord, error)

	// ImportTopics, ImportProjects and ImportParticipations store a batch
	// in one transaction together with the checkpoint, compare before
	// writing (an unchanged row writes nothing), and append what changed
	// to the change feed. A row whose export is older (Updated) than the
	// stored one is left alone.
	ImportTopics(ctx context.Context, batch []cordis.Topic, cp Checkpoint) (Counts, error)
	ImportProjects(ctx context.Context, batch []cordis.Project, cp Checkpoint) (Counts, error)
	ImportParticipations(ctx context.Context, batch []cordis.Participation, cp Checkpoint) (BatchResult, error)
	// KnownProjects returns which of ids are stored.
	KnownProjects(ctx context.Context, ids []string) (map[string]bool, error)
	// ImportCheckpoint returns the checkpoint of a file (zero if none).
	ImportCheckpoint(ctx context.Context, hash string) (Checkpoint, error)
	// FinishImport marks a file done and, when the run changed anything,
	// records the run in the audit log with detail.
	FinishImport(ctx context.Context, cp Checkpoint, changed bool, detail string) error

	OrganisationKeys(ctx context.Context) ([]OrgKey, error)
	DistinctPairs(ctx context.Context) (map[[2]string]bool, error)
	MergeOrganisations(ctx context.Context, into, from string) (Merge, error)
	UndoMerge(ctx context.Context, mergeID string) (Merge, error)
	ListMerges(ctx context.Context, limit int) ([]Merge, error)
	MarkDistinct(ctx context.Context, a, b string) error
}
