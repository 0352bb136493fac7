// Package practices is the practices library: entries in which the
// clusters' members share what they learned (lessons learned, case
// studies, guidelines, exercise reports, project results, position
// papers), each with a visibility and a TLP label that internal/access
// applies on every read path, language versions, authors, capability tags,
// a revision history, comments, attachments checked by their content, and
// shareable summaries of restricted entries.
//
// The Service takes every decision about who may do what from the viewer
// in the context; the Store only reads (already limited to what the
// scope in the context may see) and writes.
package practices

import (
	"context"
	"io"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
)

// Kinds of entries.
var Kinds = []string{"lesson_learned", "case_study", "guideline", "exercise_report", "project_result", "position_paper"}

// Axes: safety (accidental), security (intentional), or both.
var Axes = []string{"safety", "security", "both"}

// Langs are the languages an entry may be written in.
var Langs = []string{"en", "nl", "fr", "de"}

// Text is one language version of an entry.
type Text struct {
	Lang     string `json:"lang"`
	Original bool   `json:"original"`
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	// Body is Markdown; pages render it with RenderMarkdown.
	Body      string    `json:"body"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Author is a directory person credited on an entry.
type Author struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Entry is one piece of shared knowledge.
type Entry struct {
	ID                string   `json:"id"`
	Kind              string   `json:"kind"`
	OrganisationID    string   `json:"organisation_id"`
	OrganisationName  string   `json:"organisation_name,omitempty"`
	OrganisationSlug  string   `json:"organisation_slug,omitempty"`
	OrganisationClust []string `json:"-"`
	Axis              string   `json:"axis"`
	Visibility        string   `json:"visibility"`
	TLP               string   `json:"tlp"`
	Capabilities      []string `json:"capabilities"`
	Authors           []Author `json:"authors"`
	RelatedProjects   []string `json:"related_projects"`
	RelatedFacilities []string `json:"related_facilities"`
	RelatedEvents     []string `json:"related_events"`
	Texts             []Text   `json:"texts"`
	// Summary is the published shareable summary, if any.
	Summary     *Summary     `json:"summary,omitempty"`
	Attachments []Attachment `json:"attachments"`
	CreatedBy   string       `json:"-"`
	Version     int          `json:"version"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Original returns the original language version (or the first).
func (e Entry) Original() Text {
	for _, t := range e.Texts {
		if t.Original {
			return t
		}
	}
	if len(e.Texts) > 0 {
		return e.Texts[0]
	}
	return Text{}
}

// In returns the version in lang, or the original.
func (e Entry) In(lang string) Text {
	for _, t := range e.Texts {
		if t.Lang == lang {
			return t
		}
	}
	return e.Original()
}

// Record is what the access policy needs to know about e.
func (e Entry) Record() access.Record {
	return access.Record{OwnerOrg: e.OrganisationID, OwnerClusters: e.OrganisationClust, Visibility: e.Visibility, TLP: e.TLP}
}

// Revision is one version of an entry: who changed which fields.
type Revision struct {
	Version  int       `json:"version"`
	UserID   string    `json:"-"`
	UserName string    `json:"user_name"`
	Fields   []string  `json:"fields"`
	At       time.Time `json:"at"`
}

// Comment is a remark on an entry by someone who may see it.
type Comment struct {
	ID        string    `json:"id"`
	UserID    string    `json:"-"`
	UserName  string    `json:"user_name"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Attachment is a file of an entry, stored on disk with its checksum.
type Attachment struct {
	ID        string    `json:"id"`
	EntryID   string    `json:"entry_id"`
	Name      string    `json:"name"`
	MediaType string    `json:"media_type"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	Path      string    `json:"-"`
	CreatedBy string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	// Text is the extracted text, for search (not sent).
	Text string `json:"-"`
}

// Summary is a reviewed GREEN or CLEAR abstract of an AMBER or RED
// entry: the rest of the alliance learns that the lesson exists and whom
// to ask, without seeing it.
type Summary struct {
	ID               string     `json:"id"`
	EntryID          string     `json:"entry_id,omitempty"`
	OrganisationID   string     `json:"organisation_id"`
	OrganisationName string     `json:"organisation_name,omitempty"`
	Visibility       string     `json:"visibility"`
	TLP              string     `json:"tlp"`
	Lang             string     `json:"lang"`
	Title            string     `json:"title"`
	Abstract         string     `json:"abstract"`
	ContactID        string     `json:"contact_id,omitempty"`
	ContactName      string     `json:"contact_name,omitempty"`
	ReviewedBy       string     `json:"reviewed_by"`
	CreatedAt        time.Time  `json:"created_at"`
	WithdrawnAt      *time.Time `json:"withdrawn_at,omitempty"`
}

// Filter selects entries for a list or a search.
type Filter struct {
	Query        string
	Kind         string
	Capability   string
	Lang         string
	Organisation string // id or slug
	Cluster      string // id or slug
	Limit        int
	Cursor       string
	// UpdatedSince limits to entries changed after it (feeds).
	UpdatedSince time.Time
}

// Facets count the matching entries by kind, capability, language,
// organisation and cluster.
type Facets struct {
	Kind         []directory.Facet `json:"kind"`
	Capability   []directory.Facet `json:"capability"`
	Lang         []directory.Facet `json:"lang"`
	Organisation []directory.Facet `json:"organisation"`
	Cluster      []directory.Facet `json:"cluster"`
}

// Results is a page of entries with their facets and the summaries that
// match the same query.
type Results struct {
	directory.Page[Entry]
	Facets    Facets    `json:"facets"`
	Summaries []Summary `json:"summaries"`
}

// Store is what the practices library needs from a storage engine. Reads
// return only what access.ScopeFrom(ctx) may see; a hidden entry is
// store.ErrNotFound.
type Store interface {
	// OrganisationRef returns a visible organisation with its
	// memberships (store.ErrNotFound if it is hidden or unknown).
	OrganisationRef(ctx context.Context, key string) (directory.Organisation, error)
	// PersonRef returns a visible person.
	PersonRef(ctx context.Context, id string) (directory.Person, error)
	CapabilityExists(ctx context.Context, code string) (bool, error)

	SearchEntries(ctx context.Context, f Filter, terms [][]string) (Results, error)
	GetEntry(ctx context.Context, id string) (Entry, error)
	// CreateEntry stores e with its texts, authors and capabilities; terms
	// are the entry's analysed search terms.
	CreateEntry(ctx context.Context, e *Entry, by Revision, terms []string) error
	// UpdateEntry replaces e's fields if expected (when not 0) is the
	// current version (store.ErrStale otherwise), and withdraws the
	// summaries when withdrawSummaries is set.
	UpdateEntry(ctx context.Context, e *Entry, expected int, by Revision, terms []string, withdrawSummaries bool) error
	// AddText adds a language version; one in a language already present
	// is a store.ConflictError on "lang".
	AddText(ctx context.Context, entryID string, t Text, by Revision, terms []string) error
	DeleteEntry(ctx context.Context, id string) error
	History(ctx context.Context, entryID string) ([]Revision, error)

	ListComments(ctx context.Context, entryID string) ([]Comment, error)
	AddComment(ctx context.Context, entryID string, c *Comment) error

	AddAttachment(ctx context.Context, a *Attachment, terms []string) error
	GetAttachment(ctx context.Context, entryID, id string) (Attachment, error)
	AttachmentTexts(ctx context.Context, entryID string) ([]string, error)

	PublishSummary(ctx context.Context, s *Summary, terms []string) error
	WithdrawSummary(ctx context.Context, entryID string) error
	GetSummary(ctx context.Context, id string) (Summary, error)

	// ListForExport returns every entry the scope may see, for exports
	// and feeds (the scope is a bulk one: RED never appears).
	ListForExport(ctx context.Context, f Filter) ([]Entry, error)
}

// Blobs keeps attachment files: streamed in, checksummed, streamed out.
type Blobs interface {
	// Create opens a new file under a new name and returns the name.
	Create() (name string, w io.WriteCloser, err error)
	Open(name string) (io.ReadSeekCloser, error)
	Remove(name string) error
}
