package calls

import "strings"

// NormalizeActionType turns the portal's action type ("HORIZON-PCP",
// "HORIZON-RIA", "csa") into its short upper-case form ("PCP", "RIA",
// "CSA").
func NormalizeActionType(t string) string {
	t = strings.ToUpper(strings.TrimSpace(t))
	return strings.TrimPrefix(t, "HORIZON-")
}

// The wording shown as the source of the general rules. They paraphrase
// Regulation (EU) 2021/695 (the Horizon Europe Regulation), Article 22,
// repeated in General Annex B of the Work Programme:
//
//   - Article 22(2): unless the work programme says otherwise, a
//     consortium includes at least three legal entities independent of
//     each other, each established in a different Member State or
//     Associated Country, and at least one of them in a Member State.
//     This holds for Research and Innovation Actions, Innovation Actions
//     and the PCP/PPI actions; the extra PCP/PPI condition on the buyers
//     group (public procurers from different countries, General Annex H)
//     is restated in every such Cluster 3 topic and parsed from there.
//   - Article 22(6): Coordination and Support Actions may be carried out
//     by one or more legal entities, which may be established in a
//     Member State, an Associated Country or, exceptionally, another
//     third country.
//
// Other schemes with their own minimums (ERC, MSCA, EIC, co-fund) are not
// Cluster 3 action types; they get the default rule, which a person can
// correct.
const (
	generalSource = "General Annex B (Regulation (EU) 2021/695, Art. 22(2)): unless the topic says otherwise, " +
		"the consortium must include as beneficiaries at least three legal entities independent of each other, " +
		"each established in a different Member State or Associated Country, at least one of them in a Member State."
	generalCSASource = "General Annex B (Regulation (EU) 2021/695, Art. 22(6)): coordination and support actions " +
		"may be carried out by one or more legal entities."
)

// GeneralRule returns the Horizon Europe default consortium rule for an
// action type: one legal entity for a CSA, otherwise three independent
// legal entities from three different Member States or Associated
// Countries, at least one of them in a Member State.
func GeneralRule(actionType string) Rule {
	if NormalizeActionType(actionType) == "CSA" {
		return Rule{Kind: KindMinPartners, Count: 1, Types: []string{TypeLegalEntity},
			CountryScope: ScopeAny, Source: generalCSASource, Origin: OriginGeneral}
	}
	return Rule{Kind: KindMinPartners, Count: 3, Types: []string{TypeLegalEntity},
		MinCountries: 3, CountryScope: ScopeMemberOrAssociated, MinInMemberState: 1,
		Independent: true, Source: generalSource, Origin: OriginGeneral}
}
