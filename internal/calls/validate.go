package calls

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/validate"
)

// MaxRuleCount bounds a rule's count: no Horizon Europe consortium comes
// near it, so a larger number is a typo or a misreading.
const MaxRuleCount = 100

// isoCountryCount bounds distinct countries for ScopeAny (ISO 3166-1
// has 249 assigned codes).
const isoCountryCount = 249

// countriesIn is how many countries a scope admits, the most distinct
// countries a rule in that scope can ever see.
func countriesIn(scope string) int {
	switch scope {
	case ScopeMember:
		return len(MemberStates())
	case ScopeMemberOrAssociated:
		return len(MemberStates()) + len(AssociatedCountries())
	}
	return isoCountryCount
}

func rangeChoice(lo, hi int) string { return fmt.Sprintf("%d..%d", lo, hi) }

// Normalize trims the rule's text and puts its types in display order;
// min_partners, max_partners and all_in_scope count legal entities.
func (r *Rule) Normalize() {
	r.Kind = strings.TrimSpace(r.Kind)
	r.CountryScope = strings.TrimSpace(r.CountryScope)
	r.Origin = strings.TrimSpace(r.Origin)
	r.Qualifier = strings.TrimSpace(r.Qualifier)
	r.Source = strings.TrimSpace(r.Source)
	for i := range r.Types {
		r.Types[i] = strings.TrimSpace(r.Types[i])
	}
	r.Types = normalizeTypes(r.Types)
	switch r.Kind {
	case KindMinPartners, KindMaxPartners, KindAllInScope:
		if len(r.Types) == 0 {
			r.Types = []string{TypeLegalEntity}
		}
	}
}

// Validate reports every field of the rule that is wrong or that makes
// the rule impossible to satisfy, with message keys, so the page and the
// API that let a person correct a parsed rule say the same thing.
func (r Rule) Validate() validate.Errors {
	var errs validate.Errors
	errs.Choice("kind", r.Kind, true, Kinds...)
	errs.Choice("country_scope", r.CountryScope, true, Scopes...)
	errs.Choice("origin", r.Origin, true, Origins...)
	errs.Text("source", r.Source, false, 5000)
	errs.Text("qualifier", r.Qualifier, false, 1000)

	all := PartnerTypes()
	allowed := all
	switch r.Kind {
	case KindMinPartners, KindMaxPartners, KindAllInScope:
		allowed = []string{TypeLegalEntity}
	case KindMinPractitioners:
		allowed = PractitionerTypes()
	case KindMinEntitiesOfType, KindMinBudgetShare, KindMaxBudgetShare:
		allowed = all[1:] // a legal entity of any kind is min_partners
	}
	if len(r.Types) == 0 && r.Kind != KindMaxPartners && r.Kind != KindAllInScope {
		errs.Add("types", validate.Required)
	}
	for i, t := range r.Types {
		field := fmt.Sprintf("types[%d]", i)
		switch {
		case slices.Contains(r.Types[:i], t):
			errs.Add(field, validate.Duplicate)
		case !slices.Contains(allowed, t):
			errs.Add(field, validate.InvalidChoice, "choices", strings.Join(allowed, ", "))
		}
	}

	if IsBudgetRule(r) {
		r.validateBudget(&errs)
		return errs
	}
	if r.Percent != 0 {
		errs.Add("percent", validate.InvalidChoice, "choices", "0")
	}
	switch r.Kind {
	case KindAllInScope:
		if r.Count != 0 {
			errs.Add("count", validate.InvalidChoice, "choices", "0")
		}
		if r.CountryScope == ScopeAny {
			errs.Add("country_scope", validate.InvalidChoice, "choices", ScopeMemberOrAssociated+", "+ScopeMember)
		}
		if r.MinCountries != 0 {
			errs.Add("min_countries", validate.InvalidChoice, "choices", "0")
		}
		if r.MinInMemberState != 0 {
			errs.Add("min_in_member_state", validate.InvalidChoice, "choices", "0")
		}
		return errs
	case KindMaxPartners:
		if r.Count < 1 || r.Count > MaxRuleCount {
			errs.Add("count", validate.InvalidChoice, "choices", rangeChoice(1, MaxRuleCount))
		}
		if r.MinCountries != 0 {
			errs.Add("min_countries", validate.InvalidChoice, "choices", "0")
		}
		if r.MinInMemberState != 0 {
			errs.Add("min_in_member_state", validate.InvalidChoice, "choices", "0")
		}
		return errs
	case KindMinCountries:
		if r.Count < 0 || r.Count > MaxRuleCount {
			errs.Add("count", validate.InvalidChoice, "choices", rangeChoice(0, MaxRuleCount))
		}
		if r.MinCountries < 1 {
			errs.Add("min_countries", validate.Required)
		}
	default:
		if r.Count < 1 || r.Count > MaxRuleCount {
			errs.Add("count", validate.InvalidChoice, "choices", rangeChoice(1, MaxRuleCount))
		}
	}
	// More countries than members, or than the scope has, cannot be met.
	maxCountries := countriesIn(r.CountryScope)
	if r.Count > 0 && r.Count < maxCountries {
		maxCountries = r.Count
	}
	if r.MinCountries < 0 || r.MinCountries > maxCountries {
		errs.Add("min_countries", validate.InvalidChoice, "choices", rangeChoice(0, maxCountries))
	}
	maxInMS := max(r.Count, r.MinCountries)
	if r.MinInMemberState < 0 || r.MinInMemberState > maxInMS {
		errs.Add("min_in_member_state", validate.InvalidChoice, "choices", rangeChoice(0, maxInMS))
	}
	return errs
}

// validateBudget checks the fields of a budget rule: a percent that can
// bind (a minimum of 1 to 100, a maximum of 0 to 99) and no member counts.
func (r Rule) validateBudget(errs *validate.Errors) {
	lo, hi := 1, 100
	if r.Kind == KindMaxBudgetShare {
		lo, hi = 0, 99
	}
	if r.Percent < lo || r.Percent > hi {
		errs.Add("percent", validate.InvalidChoice, "choices", rangeChoice(lo, hi))
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"count", r.Count}, {"min_countries", r.MinCountries}, {"min_in_member_state", r.MinInMemberState}} {
		if f.v != 0 {
			errs.Add(f.name, validate.InvalidChoice, "choices", "0")
		}
	}
	if r.Independent {
		errs.Add("independent", validate.InvalidChoice, "choices", "false")
	}
}

var (
	topicIDPattern    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	actionTypePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]*$`)
)

// Stages of submission.
var Stages = []string{"single-stage", "two-stage"}

// ValidateCall normalises c and reports every bad field at once,
// including rules that contradict each other (a call whose rules no
// consortium can meet).
func ValidateCall(c *Call) error {
	var errs validate.Errors
	trim(&c.ID, &c.Title, &c.Description, &c.Programme, &c.CallIdentifier, &c.ActionType,
		&c.Stage, &c.Deadline, &c.PortalURL, &c.Conditions)
	c.ActionType = NormalizeActionType(c.ActionType)
	switch {
	case c.ID == "":
		errs.Add("id", validate.Required)
	case len(c.ID) > 120:
		errs.Add("id", validate.TooLong, "max", 120)
	case !topicIDPattern.MatchString(c.ID):
		errs.Add("id", validate.InvalidFormat)
	}
	errs.Text("title", c.Title, true, 500)
	errs.Text("description", c.Description, false, 200000)
	errs.Text("programme", c.Programme, false, 200)
	errs.Text("call_identifier", c.CallIdentifier, false, 120)
	if c.ActionType != "" && (len(c.ActionType) > 40 || !actionTypePattern.MatchString(c.ActionType)) {
		errs.Add("action_type", validate.InvalidFormat)
	}
	errs.Choice("stage", c.Stage, false, Stages...)
	if c.Deadline != "" {
		if _, err := time.Parse(time.DateOnly, c.Deadline); err != nil {
			errs.Add("deadline", validate.InvalidDate)
		}
	}
	if c.Opens != "" {
		if _, err := time.Parse(time.DateOnly, c.Opens); err != nil {
			errs.Add("opens", validate.InvalidDate)
		} else if c.Deadline != "" && c.Opens > c.Deadline {
			errs.Add("opens", validate.InvalidChoice, "choices", "a day on or before the deadline "+c.Deadline)
		}
	}
	c.PortalStatus = strings.ToLower(strings.TrimSpace(c.PortalStatus))
	errs.Choice("portal_status", c.PortalStatus, false, Statuses...)
	if c.BudgetMin < 0 {
		errs.Add("budget_min", validate.InvalidFormat)
	}
	if c.BudgetMax < 0 {
		errs.Add("budget_max", validate.InvalidFormat)
	}
	if c.BudgetMin > 0 && c.BudgetMax > 0 && c.BudgetMin > c.BudgetMax {
		errs.Add("budget_min", validate.InvalidChoice, "choices", fmt.Sprintf("0..%d", c.BudgetMax))
	}
	if c.ExpectedGrants < 0 {
		errs.Add("expected_grants", validate.InvalidFormat)
	}
	c.Keywords = dedupe(c.Keywords)
	if len(c.Keywords) > 100 {
		errs.Add("keywords", validate.TooLong, "max", 100)
	}
	for i, k := range c.Keywords {
		errs.Text(fmt.Sprintf("keywords[%d]", i), k, true, 200)
	}
	errs.URL("portal_url", c.PortalURL)
	errs.Text("conditions", c.Conditions, false, 200000)
	if c.Rules == nil {
		c.Rules = []Rule{}
	}
	if c.Unparsed == nil {
		c.Unparsed = []Unparsed{}
	}
	for i := range c.Rules {
		c.Rules[i].Normalize()
		for _, fe := range c.Rules[i].Validate() {
			fe.Field = fmt.Sprintf("rules[%d].%s", i, fe.Field)
			errs = append(errs, fe)
		}
	}
	checkFeasible(&errs, c.Rules)
	checkBudget(&errs, c.Rules)
	return errs.Err()
}

// checkFeasible reports rules that ask for more partners or countries
// than a max_partners rule of the same call allows.
func checkFeasible(errs *validate.Errors, rules []Rule) {
	limit := 0
	for _, r := range rules {
		if r.Kind == KindMaxPartners && r.Count > 0 && (limit == 0 || r.Count < limit) {
			limit = r.Count
		}
	}
	if limit == 0 {
		return
	}
	for i, r := range rules {
		if r.Kind == KindMaxPartners || r.Kind == KindAllInScope {
			continue
		}
		if r.Count > limit {
			errs.Add(fmt.Sprintf("rules[%d].count", i), validate.InvalidChoice, "choices", rangeChoice(0, limit))
		}
		if r.MinCountries > limit {
			errs.Add(fmt.Sprintf("rules[%d].min_countries", i), validate.InvalidChoice, "choices", rangeChoice(0, limit))
		}
	}
}

func trim(ps ...*string) {
	for _, p := range ps {
		*p = strings.TrimSpace(*p)
	}
}

func dedupe(in []string) []string {
	out := make([]string, 0, len(in))
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, v) }) {
			out = append(out, v)
		}
	}
	return out
}
