package calls

import (
	"fmt"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/directory"
)

// Member is one organisation in a proposed consortium, as the rules see
// it.
type Member struct {
	ID      string
	Country string   // ISO 3166-1 alpha-2 (EL and UK accepted)
	Roles   []string // practitioner roles and actor types (directory.Roles)
	Kind    string   // organisation kind (directory.Kinds)
	SME     bool
	// Types are further partner types the directory does not derive
	// from kind and roles: civil_society, local_authority,
	// training_centre.
	Types []string
	// IndependentGroup names the set of entities that are not
	// independent of each other (e.g. a parent and its affiliates); empty
	// means the member stands alone.
	IndependentGroup string
}

// Has reports whether the member is a partner of type t.
func (m Member) Has(t string) bool {
	switch t {
	case TypeLegalEntity:
		return true
	case TypePractitioner:
		return slices.ContainsFunc(m.Roles, directory.IsPractitionerRole) ||
			slices.ContainsFunc(m.Types, directory.IsPractitionerRole)
	case TypeSME:
		return m.SME
	case TypeNonSMEIndustry:
		return m.Kind == directory.KindCompany && !m.SME
	case TypeResearch:
		return m.Kind == directory.KindResearch || slices.Contains(m.Types, t)
	case TypeCivilSociety:
		// A youth organisation is a civil society organisation.
		return m.has(TypeCivilSociety) || m.has(TypeYouth)
	}
	return m.has(t)
}

func (m Member) has(t string) bool { return slices.Contains(m.Roles, t) || slices.Contains(m.Types, t) }

func (m Member) hasAny(types []string) bool {
	if len(types) == 0 {
		return true
	}
	return slices.ContainsFunc(types, m.Has)
}

// Result is how a consortium stands against one rule.
type Result struct {
	Rule      Rule `json:"rule"`
	Satisfied bool `json:"satisfied"`
	// Have counts the members that qualify (independent groups once);
	// for max_partners it is the consortium's size, for all_in_scope the
	// members inside the scope.
	Have          int `json:"have"`
	Need          int `json:"need"`
	Countries     int `json:"countries"` // distinct countries the counted members can cover
	NeedCountries int `json:"need_countries"`
	InMemberState int `json:"in_member_state"`
	// Contributors are the IDs of the members that count toward the
	// rule, in the consortium's order, so a page can show what each
	// partner brings.
	Contributors []string `json:"contributors"`
	// Missing says in English what kind of partner would satisfy the
	// rule, or which member breaks it; empty when satisfied.
	Missing string `json:"missing,omitempty"`
}

// CheckAll checks members against every rule, in the rules' order.
func CheckAll(rules []Rule, members []Member) []Result {
	out := make([]Result, len(rules))
	for i, r := range rules {
		out[i] = r.Check(members)
	}
	return out
}

// Satisfied reports whether every result is satisfied.
func Satisfied(results []Result) bool {
	return !slices.ContainsFunc(results, func(r Result) bool { return !r.Satisfied })
}

// Check says whether members satisfy the rule and, if not, what is
// missing.
func (r Rule) Check(members []Member) Result {
	res := Result{Rule: r, Contributors: []string{}}
	switch r.Kind {
	case KindMaxPartners:
		res.Have, res.Need = units(members, r.Independent), r.Count
		res.Satisfied = res.Have <= r.Count
		if !res.Satisfied {
			res.Missing = fmt.Sprintf("%d %s too many: the call allows at most %d",
				res.Have-r.Count, plural(res.Have-r.Count, "partner", "partners"), r.Count)
		}
		return res
	case KindAllInScope:
		var outside []string
		for _, m := range members {
			if InScope(m.Country, r.CountryScope) {
				res.Have++
				res.Contributors = append(res.Contributors, m.ID)
			} else {
				outside = append(outside, fmt.Sprintf("%s (%s)", m.ID, orUnknown(m.Country)))
			}
		}
		res.Need = len(members)
		res.Satisfied = len(outside) == 0
		if !res.Satisfied {
			res.Missing = fmt.Sprintf("%s %s not established in a %s; only partners from %s may take part",
				joinWords(outside, "and"), plural(len(outside), "is", "are"),
				scopeWords(r.CountryScope, false), scopeWords(r.CountryScope, true))
		}
		return res
	case KindMinBudgetShare, KindMaxBudgetShare:
		return r.checkBudgetRoom(members)
	case KindMinPartners, KindMinPractitioners, KindMinEntitiesOfType, KindMinCountries:
	default:
		res.Missing = fmt.Sprintf("unknown rule kind %q", r.Kind)
		return res
	}

	var counted []Member
	for _, m := range members {
		if m.hasAny(r.Types) && InScope(m.Country, r.CountryScope) {
			counted = append(counted, m)
			res.Contributors = append(res.Contributors, m.ID)
		}
	}
	groups := groupCountries(counted, r.Independent)
	res.Have = len(groups)
	res.Need = r.Count
	res.NeedCountries = r.MinCountries
	res.Countries = maxMatching(groups)
	for _, cs := range groups {
		if slices.ContainsFunc(cs, IsMemberState) {
			res.InMemberState++
		}
	}
	res.Satisfied = res.Have >= res.Need && res.Countries >= res.NeedCountries && res.InMemberState >= r.MinInMemberState
	if !res.Satisfied {
		res.Missing = missing(r, res, counted)
	}
	return res
}

// groupCountries returns, per counted unit (an independent group, or a
// member when independence does not matter), the countries its members
// are established in.
func groupCountries(ms []Member, independent bool) [][]string {
	var keys []string
	byKey := map[string][]string{}
	for i, m := range ms {
		key := fmt.Sprintf("#%d", i)
		if independent {
			key = "g:" + m.IndependentGroup
			if m.IndependentGroup == "" {
				key = "m:" + m.ID
				if m.ID == "" {
					key = fmt.Sprintf("#%d", i)
				}
			}
		}
		if _, ok := byKey[key]; !ok {
			keys = append(keys, key)
			byKey[key] = []string{}
		}
		if c, ok := country.Normalize(m.Country); ok && !slices.Contains(byKey[key], c) {
			byKey[key] = append(byKey[key], c)
		}
	}
	out := make([][]string, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}

func units(ms []Member, independent bool) int { return len(groupCountries(ms, independent)) }

// maxMatching is how many distinct countries the units can cover when
// each unit counts in one country only: a group with members in NL and DE
// is one entity, not two countries. It is a bipartite matching (Kuhn's
// augmenting paths), small enough for any consortium.
func maxMatching(groups [][]string) int {
	owner := map[string]int{} // country -> unit
	var try func(u int, seen map[string]bool) bool
	try = func(u int, seen map[string]bool) bool {
		for _, c := range groups[u] {
			if seen[c] {
				continue
			}
			seen[c] = true
			if o, taken := owner[c]; !taken || try(o, seen) {
				owner[c] = u
				return true
			}
		}
		return false
	}
	n := 0
	for u := range groups {
		if try(u, map[string]bool{}) {
			n++
		}
	}
	return n
}

// missing says what kind of partner the rule still needs: "1 more police
// authority from a Member State or Associated Country other than NL".
func missing(r Rule, res Result, counted []Member) string {
	more := max(res.Need-res.Have, 0)
	moreCountries := max(res.NeedCountries-res.Countries, 0)
	moreMS := max(r.MinInMemberState-res.InMemberState, 0)
	extra := max(more, moreCountries, moreMS)
	if extra == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d more ", extra)
	if r.Independent {
		b.WriteString("independent ")
	}
	b.WriteString(nouns(r.Types, extra != 1, "or"))
	if r.Qualifier != "" {
		b.WriteString(" " + r.Qualifier)
	}
	var have []string
	for _, m := range counted {
		if c, ok := country.Normalize(m.Country); ok && !slices.Contains(have, c) {
			have = append(have, c)
		}
	}
	slices.Sort(have)
	otherThan := ""
	if len(have) > 0 {
		otherThan = " other than " + joinWords(have, "and")
	}
	switch {
	case moreCountries > 0:
		where := scopeWords(r.CountryScope, false)
		if moreMS >= extra {
			where = "Member State"
		}
		if extra == 1 {
			fmt.Fprintf(&b, " from a %s%s", where, otherThan)
		} else {
			fmt.Fprintf(&b, ", each from a different %s%s", where, otherThan)
		}
		if moreMS > 0 && moreMS < extra {
			fmt.Fprintf(&b, ", at least %d of them in a Member State", moreMS)
		}
	case moreMS > 0 && moreMS >= extra:
		if extra == 1 {
			b.WriteString(" from a Member State")
		} else {
			b.WriteString(" from Member States")
		}
	case moreMS > 0:
		fmt.Fprintf(&b, " from %s, at least %d of them in a Member State", scopeWords(r.CountryScope, true), moreMS)
	case r.CountryScope != ScopeAny && r.CountryScope != "":
		if extra == 1 {
			fmt.Fprintf(&b, " from a %s", scopeWords(r.CountryScope, false))
		} else {
			fmt.Fprintf(&b, " from %s", scopeWords(r.CountryScope, true))
		}
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func orUnknown(c string) string {
	if c == "" {
		return "no country"
	}
	return c
}
