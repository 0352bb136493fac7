package calls

import (
	"context"
	"slices"

	"github.com/escnet/escnet/internal/directory"
)

// Filter narrows the list of calls. Every field is optional; Limit
// defaults to 50.
type Filter struct {
	Query      string // words that must all appear in the call's id, title, keywords or description
	Programme  string // exactly, e.g. "Horizon Europe"
	ActionType string // short form: RIA, IA, CSA, PCP, PPI, ...
	// DeadlineAfter keeps calls whose deadline is on or after this day
	// (a call closing that day is still open); calls without a deadline
	// are left out.
	DeadlineAfter directory.Date
	// Status keeps the calls of one status (StatusFilters): "current"
	// (the default) the open and forthcoming ones, "all" every call with
	// the closed ones last.
	Status string
	// OpenFrom and Today are the service's clock for the store: the first
	// deadline day still open (OpenFrom) and the Brussels calendar day;
	// set by Service.List.
	OpenFrom directory.Date
	Today    directory.Date
	Limit    int
	Cursor   string // opaque, from Page.Next
}

// Counts says what an import did with its calls.
type Counts struct {
	New       int `json:"new"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// ManualKept counts the rules a person wrote (origin manual) that an
	// update from a changed topic kept in place of what the parser read.
	ManualKept int `json:"manual_kept"`
}

// Choices are the values the stored calls use, for the filters of a list.
type Choices struct {
	Programmes  []string
	ActionTypes []string
}

// Store is what calls need from a storage engine. ListCalls applies
// Filter.Status with Filter.OpenFrom and Filter.Today (never "all": the
// service lists the open and closed parts in turn). Calls are public
// records: reads need no scope. Lists are ordered by deadline, soonest
// first (calls without one last), then by title. GetCall returns an error
// wrapping store.ErrNotFound for a missing call; CreateCall returns
// *store.ConflictError{Field: "id"} when the topic is already stored.
// Writes append to the change feed (entity "call") and the audit log.
type Store interface {
	ListCalls(ctx context.Context, f Filter) (directory.Page[Call], error)
	GetCall(ctx context.Context, id string) (Call, error)
	CreateCall(ctx context.Context, c *Call) error
	// UpdateCall and DeleteCall take the version the writer read (0: no
	// check) and return store.ErrStale when it is no longer current;
	// UpdateCall sets c.Version to the new one.
	UpdateCall(ctx context.Context, c *Call, version int) error
	DeleteCall(ctx context.Context, id string, version int) error
	// UpsertCalls stores imported calls in one transaction: a topic not
	// yet stored is new; one whose content is the same as at its last
	// import is unchanged and not written at all, so a second import
	// changes nothing and appends nothing to the change feed; any other
	// is updated through MergeImported, keeping what a person wrote.
	UpsertCalls(ctx context.Context, cs []Call) (Counts, error)
	CallChoices(ctx context.Context) (Choices, error)
}

// MergeImported is what an import writes over a stored call whose topic
// changed on the portal: the portal's fields and freshly parsed rules,
// except that rules a person wrote (origin manual) stay, replacing the
// parsed rules and unparsed sentences read from the same sentence. It
// returns the merged call and how many manual rules it kept.
func MergeImported(imported, stored Call) (Call, int) {
	var manual []Rule
	sources := map[string]bool{}
	for _, r := range stored.Rules {
		if r.Origin == OriginManual {
			manual = append(manual, r)
			if r.Source != "" {
				sources[r.Source] = true
			}
		}
	}
	out := imported
	out.Rules = slices.DeleteFunc(slices.Clone(imported.Rules), func(r Rule) bool {
		return r.Origin != OriginManual && sources[r.Source]
	})
	out.Rules = append(out.Rules, manual...)
	out.Unparsed = slices.DeleteFunc(slices.Clone(imported.Unparsed), func(u Unparsed) bool { return sources[u.Sentence] })
	if out.Rules == nil {
		out.Rules = []Rule{}
	}
	if out.Unparsed == nil {
		out.Unparsed = []Unparsed{}
	}
	out.CreatedAt = stored.CreatedAt
	return out, len(manual)
}

// ReadConditions sets the call's rules to the general rule of its action
// type followed by the rules parsed from its conditions, and its
// unparsed sentences, as an import does; for a call typed in without
// rules.
func (c *Call) ReadConditions() {
	parsed, unparsed := ParseConditions(c.Conditions)
	c.Rules = append([]Rule{GeneralRule(NormalizeActionType(c.ActionType))}, parsed...)
	c.Unparsed = unparsed
}

// Reasons lists why a sentence is left unparsed.
var Reasons = []string{ReasonNotUnderstood, ReasonNotChecked, ReasonCannotBeMet}
