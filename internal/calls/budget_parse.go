package calls

import (
	"regexp"
	"slices"
)

// Reading budget rules from a topic's conditions, and the narrower kinds
// of partner (youth organisations, non-SME industry) whose words hold a
// broader one ("NGOs", "SME").

var (
	// "At least 50% of the proposed budget must be allocated to SMEs."
	budgetShareRE = regexp.MustCompile(`(?i)\b(at\s+least|a\s+minimum\s+of|minimum(?:\s+of)?|no\s+less\s+than|not\s+less\s+than|at\s+most|a\s+maximum\s+of|maximum(?:\s+of)?|up\s+to|no\s+more\s+than|not\s+more\s+than)\s+(\d{1,3})\s*(?:%|percent|per\s+cent)\s+of\s+the\s+(?:proposed\s+|total\s+|requested\s+|overall\s+|eu\s+)?(?:budget|eu\s+contribution|funding|grant)\b(.*)$`)
	// "Participation of non-SME industries and RTOs is not excluded, but
	// it must be limited to 15% of the proposed budget."
	budgetCapRE   = regexp.MustCompile(`(?i)^(?:the\s+)?(?:participation|share|budget)\s+of\s+(.+?)\s+(?:is\s+not\s+excluded,?\s+but\s+(?:it|their\s+participation|their\s+share)\s+)?(?:must|shall|should|will|is\s+to)\s+(?:be\s+)?(?:limited|capped|restricted)\s+to\s+(?:a\s+maximum\s+of\s+|at\s+most\s+)?(\d{1,3})\s*(?:%|percent|per\s+cent)\s+of\s+the\s+(?:proposed\s+|total\s+|requested\s+|overall\s+)?(?:budget|eu\s+contribution|funding)\b`)
	allocatedToRE = regexp.MustCompile(`(?i)\b(?:allocated|attributed|assigned|dedicated|devoted|going|go)\s+to\b`)
)

// budget reads a sentence that shares the budget into a budget rule, and
// reports whether it did (a budget sentence whose kind of partner it
// cannot name is left for a person).
func (p *parser) budget(s string) bool {
	var r Rule
	if m := budgetCapRE.FindStringSubmatch(s); m != nil {
		types, _ := findTypes(m[1])
		r = Rule{Kind: KindMaxBudgetShare, Percent: parseNum(m[2]), Types: types}
	} else if m := budgetShareRE.FindStringSubmatch(s); m != nil {
		rest := m[3]
		loc := allocatedToRE.FindStringIndex(rest)
		if loc == nil {
			return false
		}
		types, _ := findTypes(rest[loc[1]:])
		r = Rule{Kind: KindMinBudgetShare, Percent: parseNum(m[2]), Types: types}
		if maxQuantRE.MatchString(m[1]) {
			r.Kind = KindMaxBudgetShare
		}
	} else {
		return false
	}
	if len(r.Types) == 0 || slices.Contains(r.Types, TypeLegalEntity) {
		p.unread(s)
		return true
	}
	r.CountryScope, r.Source, r.Origin = ScopeAny, s, OriginTopic
	p.add(s, []Rule{r})
	return true
}

// youthRE names organisations of young people: "NGOs representing young
// people or youth organisations" asks for those, not for any NGO.
var youthRE = regexp.MustCompile(`(?i)\b(?:(?:ngos?|csos?|civil\s+society\s+organi[sz]ations?|organi[sz]ations?)\s+representing\s+(?:young\s+people|youth)(?:\s+(?:or|and)\s+youth\s+organi[sz]ations?)?|youth\s+(?:organi[sz]ations?|ngos?))`)

// nonSMERE names industry that is not an SME: "non-SME industries",
// "large enterprises".
var nonSMERE = regexp.MustCompile(`(?i)\bnon-?\s?smes?(?:\s+(?:industr(?:y|ies)|companies|enterprises|industrial\s+partners|partners))?|\blarge\s+(?:industr(?:y|ies)|companies|enterprises)|\bbig\s+industr(?:y|ies)|\bbig\s+industrial\s+players`)
