// Package calls holds EU funding calls (Funding & Tenders topics) and the
// eligibility rules a consortium must satisfy: the Horizon Europe default
// rule and the extra conditions parsed from a topic's text, each kept next
// to the sentence it came from so a person can check and correct it. It
// checks a proposed consortium against those rules and says what is
// missing. It does no I/O of its own: DecodeTopics reads from any
// io.Reader the caller opens.
package calls

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/directory"
)

// Call is one call topic, e.g. HORIZON-CL3-2026-01-FCT-01.
type Call struct {
	ID             string         `json:"id"` // the topic identifier
	Title          string         `json:"title"`
	Description    string         `json:"description,omitempty"`
	Programme      string         `json:"programme,omitempty"`
	CallIdentifier string         `json:"call_identifier,omitempty"`
	ActionType     string         `json:"action_type,omitempty"` // RIA, IA, CSA, PCP, PPI, ...
	Stage          string         `json:"stage,omitempty"`       // single-stage or two-stage
	Deadline       directory.Date `json:"deadline,omitempty"`
	// Opens is the day the call opens for submission, when known.
	Opens directory.Date `json:"opens,omitempty"`
	// PortalStatus is the status the portal gave at the last import
	// ("open", "forthcoming", "closed"; empty for a call typed in): it
	// says a call is forthcoming when no opening day is known.
	PortalStatus string `json:"portal_status,omitempty"`
	// Status is the call's status now (StatusAt), set when it is read;
	// it is not stored.
	Status string `json:"status,omitempty"`
	// BudgetMin and BudgetMax are the EU contribution per project the
	// topic expects, in euro cents.
	BudgetMin      int64    `json:"budget_min"`
	BudgetMax      int64    `json:"budget_max"`
	ExpectedGrants int      `json:"expected_grants"`
	Keywords       []string `json:"keywords"`
	PortalURL      string   `json:"portal_url,omitempty"`
	// Conditions is the topic's conditions text as published (after
	// repair of mis-encoded characters); the rules are parsed from it.
	Conditions string     `json:"conditions,omitempty"`
	Rules      []Rule     `json:"rules"`
	Unparsed   []Unparsed `json:"unparsed"`
	// TextRepaired records that some text arrived double-encoded (UTF-8
	// read as Windows-1252) and was repaired on the way in, so a person
	// knows to compare it with the portal if a word looks odd.
	TextRepaired bool `json:"text_repaired"`
	// CreatedAt and UpdatedAt are set by the store; a call just decoded
	// from a file has neither.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// Version is 1 when stored and grows by one with every update (the
	// ETag; an update naming an older one fails with store.ErrStale).
	Version   int       `json:"version,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Rule kinds. Each says how a rule counts the consortium's members.
const (
	// KindMinPartners: at least Count legal entities (the general rule).
	KindMinPartners = "min_partners"
	// KindMaxPartners: at most Count legal entities in all.
	KindMaxPartners = "max_partners"
	// KindMinPractitioners: at least Count members with one of Types,
	// all of which are practitioner roles.
	KindMinPractitioners = "min_practitioners"
	// KindMinEntitiesOfType: at least Count members of one of Types that
	// are not (only) practitioner roles: SMEs, civil society, ...
	KindMinEntitiesOfType = "min_entities_of_type"
	// KindMinCountries: the members of Types together come from at
	// least MinCountries countries (and number at least Count, if set).
	// It carries a country condition that a topic states once for
	// several kinds of partner ("2 X and 2 Y from at least 3 countries").
	KindMinCountries = "min_countries"
	// KindAllInScope: every member is established in CountryScope.
	KindAllInScope = "all_in_scope"
	// KindMinBudgetShare: the members of Types together receive at least
	// Percent of the consortium's budget (e.g. 50% to SMEs).
	KindMinBudgetShare = "min_budget_share"
	// KindMaxBudgetShare: the members of Types together receive at most
	// Percent of the budget (e.g. non-SME industry and RTOs capped at 15%).
	KindMaxBudgetShare = "max_budget_share"
)

// Kinds lists the rule kinds.
var Kinds = []string{KindMinPartners, KindMaxPartners, KindMinPractitioners,
	KindMinEntitiesOfType, KindMinCountries, KindAllInScope, KindMinBudgetShare, KindMaxBudgetShare}

// Partner types a rule can ask for, besides the practitioner roles of the
// directory (directory.PractitionerRoles). The actor types are the
// directory's (directory.ActorTypes): an organisation states them with its
// roles.
const (
	TypeLegalEntity    = "legal_entity"                // any participant
	TypePractitioner   = "practitioner"                // any practitioner role
	TypeSME            = "sme"                         // small or medium-sized enterprise
	TypeResearch       = "research_organisation"       // research and technology organisation (RTO)
	TypeCivilSociety   = directory.ActorCivilSociety   // civil society organisation or NGO
	TypeYouth          = directory.ActorYouth          // organisation representing young people
	TypeLocalAuthority = directory.ActorLocalAuthority // local or regional authority
	TypeTrainingCentre = directory.ActorTrainingCentre // training centre for practitioners
	TypeNonSMEIndustry = "non_sme_industry"            // a company that is not an SME
)

// PartnerTypes lists every partner type in display order; rule types are
// kept in this order.
func PartnerTypes() []string {
	out := []string{TypeLegalEntity, TypePractitioner}
	out = append(out, directory.PractitionerRoles...)
	return append(out, TypeSME, TypeNonSMEIndustry, TypeResearch, TypeCivilSociety, TypeYouth, TypeLocalAuthority, TypeTrainingCentre)
}

// PractitionerTypes lists the types that count as practitioners: the
// directory's roles and "practitioner" itself.
func PractitionerTypes() []string {
	return append([]string{TypePractitioner}, directory.PractitionerRoles...)
}

// StatedBy says how an organisation comes to have partner type t: "any"
// (every participant), "roles" (one of its practitioner roles or actor
// types), "sme" (its SME flag), "kind" (its organisation kind, research
// for an RTO, company without the SME flag for non-SME industry), or ""
// when nothing an organisation records can give it the type.
func StatedBy(t string) string {
	switch {
	case t == TypeLegalEntity:
		return "any"
	case t == TypePractitioner, slices.Contains(directory.Roles, t):
		return "roles"
	case t == TypeSME:
		return "sme"
	case t == TypeResearch, t == TypeNonSMEIndustry:
		return "kind"
	}
	return ""
}

func isPractitionerType(t string) bool {
	return t == TypePractitioner || slices.Contains(directory.PractitionerRoles, t)
}

// Country scopes: where the members a rule counts must be established.
const (
	ScopeAny                = "any"
	ScopeMemberOrAssociated = "member_or_associated"
	ScopeMember             = "member"
)

// Scopes lists the country scopes.
var Scopes = []string{ScopeAny, ScopeMemberOrAssociated, ScopeMember}

// Origins of a rule.
const (
	OriginGeneral = "general" // the programme's default rule (GeneralRule)
	OriginTopic   = "topic"   // parsed from the topic's conditions
	OriginManual  = "manual"  // added by a person
)

// Origins lists the rule origins.
var Origins = []string{OriginGeneral, OriginTopic, OriginManual}

// Rule is one structured eligibility requirement on a consortium.
type Rule struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
	// Types are the partner types that count; a member counts when it
	// has any of them.
	Types []string `json:"types"`
	// Qualifier is the part of the source phrase the types do not
	// capture ("representing young people or youth organisations"); it
	// is shown, not checked.
	Qualifier    string `json:"qualifier,omitempty"`
	MinCountries int    `json:"min_countries"` // distinct countries among the counted members
	CountryScope string `json:"country_scope"`
	// MinInMemberState is how many of the counted members must be
	// established in an EU Member State.
	MinInMemberState int `json:"min_in_member_state"`
	// Percent is the share of the budget of a budget rule (0..100).
	Percent int `json:"percent,omitempty"`
	// Independent: members of one IndependentGroup count once.
	Independent bool   `json:"independent"`
	Source      string `json:"source"` // the sentence the rule was read from
	Origin      string `json:"origin"`
}

// Unparsed is a sentence that reads like a requirement but did not become
// a rule, so that a person checks it by hand.
type Unparsed struct {
	Sentence string `json:"sentence"`
	Reason   string `json:"reason"`
}

// Reasons a sentence is left unparsed.
const (
	// ReasonNotUnderstood: the parser does not know the phrasing.
	ReasonNotUnderstood = "not_understood"
	// ReasonNotChecked: an eligibility condition the platform cannot
	// check from what it knows of organisations (ownership control,
	// budget shares, where activities take place).
	ReasonNotChecked = "not_checked"
	// ReasonCannotBeMet: the sentence reads as a rule no consortium can
	// satisfy (e.g. more countries than partners), so it was not kept.
	ReasonCannotBeMet = "cannot_be_met"
)

var typeNouns = map[string][2]string{
	TypeLegalEntity:                      {"legal entity", "legal entities"},
	TypePractitioner:                     {"practitioner", "practitioners"},
	directory.RolePolice:                 {"police authority", "police authorities"},
	directory.RoleBorderGuard:            {"border or coast guard authority", "border or coast guard authorities"},
	directory.RoleCustoms:                {"customs authority", "customs authorities"},
	directory.RoleFirstResponder:         {"first responders' organisation", "first responders' organisations"},
	directory.RoleMedicalEmergency:       {"medical emergency service", "medical emergency services"},
	directory.RoleCivilProtection:        {"civil protection authority", "civil protection authorities"},
	directory.RoleDisasterRisk:           {"authority in charge of disaster risk or crisis communication", "authorities in charge of disaster risk or crisis communication"},
	directory.RolePublicProcurer:         {"public procurer", "public procurers"},
	directory.RoleCriticalInfrastructure: {"critical infrastructure operator", "critical infrastructure operators"},
	directory.RoleOtherEndUser:           {"other end-user organisation", "other end-user organisations"},
	TypeSME:                              {"SME", "SMEs"},
	TypeResearch:                         {"research and technology organisation", "research and technology organisations"},
	TypeNonSMEIndustry:                   {"non-SME company", "non-SME companies"},
	TypeCivilSociety:                     {"civil society organisation", "civil society organisations"},
	TypeYouth:                            {"youth organisation", "youth organisations"},
	TypeLocalAuthority:                   {"local or regional authority", "local or regional authorities"},
	TypeTrainingCentre:                   {"training centre", "training centres"},
}

// typeNoun names one partner type in English, singular or plural.
func typeNoun(t string, plural bool) string {
	n, ok := typeNouns[t]
	if !ok {
		n = [2]string{t, t}
	}
	if plural {
		return n[1]
	}
	return n[0]
}

// nouns names a list of alternative types: "police authorities or
// customs authorities".
func nouns(types []string, plural bool, conj string) string {
	if len(types) == 0 {
		types = []string{TypeLegalEntity}
	}
	words := make([]string, len(types))
	for i, t := range types {
		words[i] = typeNoun(t, plural)
	}
	return joinWords(words, conj)
}

func joinWords(words []string, conj string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}

func scopeWords(scope string, plural bool) string {
	switch {
	case scope == ScopeMember && plural:
		return "Member States"
	case scope == ScopeMember:
		return "Member State"
	case scope == ScopeMemberOrAssociated && plural:
		return "Member States or Associated Countries"
	case scope == ScopeMemberOrAssociated:
		return "Member State or Associated Country"
	case plural:
		return "countries"
	}
	return "country"
}

// Describe says in English what the rule requires, for the pages and the
// CLI; it is derived from the fields, so a corrected rule reads right.
func (r Rule) Describe() string {
	var b strings.Builder
	switch r.Kind {
	case KindMinBudgetShare:
		return fmt.Sprintf("At least %d%% of the budget to %s", r.Percent, nouns(r.Types, true, "and"))
	case KindMaxBudgetShare:
		return fmt.Sprintf("At most %d%% of the budget to %s together", r.Percent, nouns(r.Types, true, "and"))
	case KindMaxPartners:
		fmt.Fprintf(&b, "At most %d %s", r.Count, nouns(r.Types, r.Count != 1, "or"))
		return b.String()
	case KindAllInScope:
		return "All participants must be established in " + scopeWords(r.CountryScope, true)
	case KindMinCountries:
		b.WriteString("Together, ")
		if r.Count > 0 {
			fmt.Fprintf(&b, "at least %d ", r.Count)
			if r.Independent {
				b.WriteString("independent ")
			}
			b.WriteString(nouns(r.Types, r.Count != 1, "or"))
		} else {
			b.WriteString("the ")
			if r.Independent {
				b.WriteString("independent ")
			}
			b.WriteString(nouns(r.Types, true, "and"))
			b.WriteString(" come")
		}
	default:
		fmt.Fprintf(&b, "At least %d ", r.Count)
		if r.Independent {
			b.WriteString("independent ")
		}
		b.WriteString(nouns(r.Types, r.Count != 1, "or"))
		if r.Qualifier != "" {
			b.WriteString(" " + r.Qualifier)
		}
	}
	switch {
	case r.MinCountries > 1:
		fmt.Fprintf(&b, " from at least %d different %s", r.MinCountries, scopeWords(r.CountryScope, true))
	case r.MinCountries == 1 || r.CountryScope != ScopeAny && r.CountryScope != "":
		b.WriteString(" from " + scopeWords(r.CountryScope, true))
	}
	switch {
	case r.MinInMemberState == 1:
		b.WriteString(", at least one of them in a Member State")
	case r.MinInMemberState > 1:
		fmt.Fprintf(&b, ", at least %d of them in Member States", r.MinInMemberState)
	}
	return b.String()
}

// normalizeTypes removes duplicates and puts types in display order;
// unknown types are kept at the end so validation can name them.
func normalizeTypes(types []string) []string {
	order := PartnerTypes()
	out := make([]string, 0, len(types))
	for _, t := range order {
		if slices.Contains(types, t) {
			out = append(out, t)
		}
	}
	for _, t := range types {
		if !slices.Contains(order, t) && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
