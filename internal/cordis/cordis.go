// Package cordis reads the CSV exports of CORDIS, the European Commission's
// record of EU-funded research: projects, the organisations that took part
// in them, and the reference list of call topics. It streams: a Reader
// holds one record at a time, however large the file.
//
// Two layouts exist and both are read. The H2020/FP7 exports
// (cordis-h2020projects.csv, cordis-fp7organizations.csv, ...) and the
// newer ones of Horizon Europe and the H2020 re-exports since 2022
// (project.csv, organization.csv). A Reader recognises the layout from the
// header, maps columns by name, and turns each row into a typed record or a
// RowError that names the file, the line, the column and the problem.
//
// Decisions on messy input, made once here:
//   - Amounts are integer euro cents, rounded half away from zero from the
//     decimal text (the exports print binary floats such as
//     36263.800000000003). An empty amount is unknown, not zero.
//   - Countries are ISO 3166-1 alpha-2; the EU's EL and UK become GR and GB.
//     An unknown code rejects the row.
//   - Text that went through a UTF-8 → Windows-1252 → UTF-8 double encoding
//     ("Ã©" for "é", "â€™" for "’") is repaired when reversing the double
//     encoding gives plausible text, and the repair is reported as a
//     warning; the row is kept. Mojibake that cannot be reversed, bytes
//     that are not UTF-8 and NUL bytes reject the row: the text would be
//     stored wrong. The shipped security exports contain none of these.
//   - CORDIS omits trailing empty fields, so a row may be shorter than the
//     header as long as it reaches the last column the layout needs; a row
//     longer than the header is refused (a wrong delimiter or an unquoted
//     ';').
//   - VAT placeholders such as "MISSING" count as no VAT number.
package cordis

import (
	"fmt"
	"strconv"
)

// Layout is the kind of file a Reader recognised from its header.
type Layout int

const (
	// LegacyProjects is cordis-h2020projects.csv / cordis-fp7projects.csv.
	LegacyProjects Layout = iota + 1
	// LegacyOrganisations is cordis-h2020organizations.csv / cordis-fp7organizations.csv.
	LegacyOrganisations
	// Projects is project.csv of the exports since 2022.
	Projects
	// Organisations is organization.csv of the exports since 2022.
	Organisations
	// Topics is cordisref-topics.csv: topic code → title.
	Topics
)

func (l Layout) String() string {
	switch l {
	case LegacyProjects:
		return "projects (H2020/FP7 layout)"
	case LegacyOrganisations:
		return "organisations (H2020/FP7 layout)"
	case Projects:
		return "project.csv"
	case Organisations:
		return "organization.csv"
	case Topics:
		return "topics"
	}
	return "unknown"
}

// Name is a short stable name for the layout, for logs and state records.
func (l Layout) Name() string {
	switch l {
	case LegacyProjects:
		return "legacy-projects"
	case LegacyOrganisations:
		return "legacy-organisations"
	case Projects:
		return "projects"
	case Organisations:
		return "organisations"
	case Topics:
		return "topics"
	}
	return "unknown"
}

// HoldsProjects reports whether the layout's rows are projects.
func (l Layout) HoldsProjects() bool { return l == LegacyProjects || l == Projects }

// HoldsParticipations reports whether the layout's rows are participations.
func (l Layout) HoldsParticipations() bool { return l == LegacyOrganisations || l == Organisations }

// Amount is a sum of money in euro cents that may be unknown (an empty
// field in the export).
type Amount struct {
	Cents int64
	Known bool
}

// Cents returns a known amount.
func Cents(c int64) Amount { return Amount{Cents: c, Known: true} }

func (a Amount) String() string {
	if !a.Known {
		return "unknown"
	}
	sign := ""
	c := a.Cents
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%s.%02d", sign, strconv.FormatInt(c/100, 10), c%100)
}

// Project is one EU research project.
type Project struct {
	ID        string // the CORDIS project id (grant agreement number), digits
	RCN       string // CORDIS record number
	Acronym   string
	Title     string
	Objective string
	Status    string
	// Framework is the framework programme: FP7, H2020, HORIZON.
	Framework string
	// Programmes are the specific programmes (legal bases), e.g.
	// FP7-SECURITY or H2020-EU.3.7.5.
	Programmes    []string
	Topics        []string // call topic codes
	Call          string
	FundingScheme string
	StartDate     string // YYYY-MM-DD or empty
	EndDate       string
	Website       string
	TotalCost     Amount
	EUMax         Amount // the EU's maximum contribution
	Subjects      []string
	// Updated is the export's contentUpdateDate (newer layout only); a
	// record with an older date does not overwrite a newer one.
	Updated string
}

// Participation is one organisation's part in one project, with what the
// export says about the organisation.
type Participation struct {
	ProjectID string
	PIC       string // the participant identification code, 9 digits
	Role      string // one of Roles
	Name      string
	ShortName string
	Activity  string // CORDIS activity type as exported (PRC, REC, ...)
	Kind      string // directory kind derived from Activity
	SME       bool
	Country   string // ISO 3166-1 alpha-2
	City      string
	Website   string
	VAT       string // normalised: upper case, no spaces; empty when unknown
	// EUContribution is the EU's contribution to this participant.
	EUContribution Amount
	// Terminated is CORDIS's endOfParticipation: the participant left the
	// project before its end.
	Terminated bool
	Order      int    // position in the consortium (newer layout), 0 if unknown
	Updated    string // contentUpdateDate (newer layout)
}

// Topic is a call topic from the reference file.
type Topic struct {
	Code          string
	Title         string
	CallName      string
	WorkProgramme string
}

// Participation roles, normalised from the exports' spellings.
const (
	RoleCoordinator          = "coordinator"
	RoleParticipant          = "participant"
	RolePartner              = "partner"
	RoleThirdParty           = "third_party"
	RoleAssociatedPartner    = "associated_partner"
	RoleInternationalPartner = "international_partner"
)

// Roles lists the participation roles.
var Roles = []string{RoleCoordinator, RoleParticipant, RolePartner, RoleThirdParty, RoleAssociatedPartner, RoleInternationalPartner}

// Record is one row of a file: exactly one of Project, Participation and
// Topic is set. Warnings name fields that were repaired or dropped while
// the row was kept.
type Record struct {
	Line          int
	Project       *Project
	Participation *Participation
	Topic         *Topic
	Warnings      []RowError
}

// RowError is a problem with a file, a row or a field. Line 0 means the
// file as a whole; Field is empty when the problem is the row's.
type RowError struct {
	File    string
	Line    int
	Field   string
	Problem string
}

func (e *RowError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Problem
}
