// Package match ranks organisations as partners for a call or a project
// idea and searches for consortia that satisfy a call's eligibility rules.
// It works on an in-memory Snapshot that the caller builds (from the
// database, or straight from CORDIS files for the evaluation) and does no
// I/O: an organisation is known by what it did (its projects: titles,
// objectives, topics, subjects, partners) and by what it declares (its
// description and capabilities), so a member without any EU project can
// still be found.
package match

import (
	"errors"
	"fmt"
	"strings"

	"github.com/escnet/escnet/internal/validate"
)

// Org is an organisation as the matcher sees it.
type Org struct {
	ID        string
	Name      string
	ShortName string
	Kind      string // directory.Kinds
	SME       bool
	// Roles are practitioner roles (directory.PractitionerRoles).
	Roles []string
	// Types are further partner types the rules of a call may ask for
	// (calls.TypeCivilSociety, calls.TypeLocalAuthority, ...).
	Types   []string
	Country string // ISO 3166-1 alpha-2
	// Clusters names the clusters the organisation is a member of (as the
	// caller wants them shown and filtered: slugs or names).
	Clusters     []string
	Description  string
	Capabilities []Capability
	// IndependentGroup names a group of entities that are not independent
	// of each other (calls.Member.IndependentGroup).
	IndependentGroup string
}

// Capability is a declared capability with its labels per language
// ("en", "nl", "fr", "de"), so that a query in any of them finds it.
type Capability struct {
	Code   string
	Labels map[string]string
}

// Project is a past project and its consortium.
type Project struct {
	ID        string
	Acronym   string
	Title     string
	Objective string
	Start     string // YYYY-MM-DD; empty when unknown
	// Scheme is the funding scheme as exported (RIA, IA, CSA, CP-FP, ...).
	Scheme       string
	Call         string // the call identifier
	Topics       []Topic
	Subjects     []string
	Participants []Participant // in consortium order
}

// Topic is a call topic of a project.
type Topic struct {
	Code     string
	Title    string
	CallName string // the name of the call the topic belongs to
}

// Participant is an organisation's part in a project.
type Participant struct {
	OrgID string
	Role  string // coordinator, participant, partner, third_party, ...
}

// RoleCoordinator is the role of a project's coordinator.
const RoleCoordinator = "coordinator"

// Snapshot is everything the matcher knows: organisations and projects.
// Participants may name organisations missing from Orgs; they are then
// known by their projects only.
type Snapshot struct {
	Orgs     []Org
	Projects []Project
}

// ErrInvalidQuery is wrapped by every *QueryError.
var ErrInvalidQuery = errors.New("invalid query")

// QueryError names the field of a query (or consortium request) that is
// wrong and why. Code is a validate message key so the web layer can map
// it to a 422 with a translated message.
type QueryError struct {
	Field   string
	Code    string
	Message string // English, for logs and the CLI
}

func (e *QueryError) Error() string { return e.Field + ": " + e.Message }

// Unwrap makes errors.Is(err, ErrInvalidQuery) hold.
func (e *QueryError) Unwrap() error { return ErrInvalidQuery }

// Validation returns the error as validate.Errors for the HTTP layer.
func (e *QueryError) Validation() validate.Errors {
	return validate.Errors{{Field: e.Field, Code: e.Code, Args: map[string]any{"detail": e.Message}}}
}

func queryErr(field, code, format string, args ...any) *QueryError {
	return &QueryError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrInfeasible is wrapped by *InfeasibleError.
var ErrInfeasible = errors.New("no consortium satisfies the rules")

// InfeasibleError says which rule no consortium of the known
// organisations can satisfy, and what kind of partner is missing.
type InfeasibleError struct {
	Rule    string // the rule in words (calls.Rule.Describe)
	Missing string // what kind of partner would satisfy it
	Reason  string // why: no such organisation known, or not enough room
}

func (e *InfeasibleError) Error() string {
	var b strings.Builder
	b.WriteString("no consortium satisfies the rule \"" + e.Rule + "\"")
	if e.Missing != "" {
		b.WriteString(": missing " + e.Missing)
	}
	if e.Reason != "" {
		b.WriteString(" (" + e.Reason + ")")
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrInfeasible) hold.
func (e *InfeasibleError) Unwrap() error { return ErrInfeasible }
