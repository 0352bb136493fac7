package calls

import (
	"slices"
	"testing"

	"github.com/escnet/escnet/internal/directory"
)

// memberStating is an organisation that states partner type t the way
// the directory lets it (StatedBy), or false when nothing can.
func memberStating(t string) (Member, bool) {
	m := Member{ID: "x", Country: "NL", Kind: directory.KindOther}
	switch StatedBy(t) {
	case "any":
	case "roles":
		r := t
		if t == TypePractitioner {
			r = directory.RoleOtherEndUser
		}
		if !slices.Contains(directory.Roles, r) {
			return m, false
		}
		m.Roles = []string{r}
	case "sme":
		m.Kind, m.SME = directory.KindCompany, true
	case "kind":
		m.Kind = directory.KindResearch
		if t == TypeNonSMEIndustry {
			m.Kind = directory.KindCompany
		}
	default:
		return m, false
	}
	return m, true
}

// TestRealTopicsActorTypes reads every rule parsed from the 45 real
// topics and checks that each type it names is one an organisation can
// state in the directory (a kind, the SME flag, a practitioner role or an
// actor type) and that an organisation stating it counts toward the rule.
func TestRealTopicsActorTypes(t *testing.T) {
	calls := loadRealTopics(t)
	seen := map[string]int{}
	for _, c := range calls {
		for i, r := range c.Rules {
			for _, ty := range r.Types {
				seen[ty]++
				m, ok := memberStating(ty)
				if !ok {
					t.Errorf("%s rule[%d] %q asks for %q, which no organisation can state", c.ID, i, r.Describe(), ty)
					continue
				}
				if !m.Has(ty) {
					t.Errorf("%s rule[%d]: an organisation stating %q does not count as one", c.ID, i, ty)
				}
			}
		}
	}
	// The actor types the issue names must all be among those the topics
	// ask for and so checked above.
	for _, ty := range []string{TypeCivilSociety, TypeYouth, TypeLocalAuthority, TypeTrainingCentre, directory.RoleDisasterRisk,
		TypeResearch, TypePractitioner, directory.RolePublicProcurer, TypeSME, TypeNonSMEIndustry} {
		if seen[ty] == 0 {
			t.Errorf("no rule of the real topics asks for %q", ty)
		}
	}
}

// TestEveryPartnerTypeStatable: every type a rule may name (typed by a
// person) can be stated by an organisation.
func TestEveryPartnerTypeStatable(t *testing.T) {
	for _, ty := range PartnerTypes() {
		m, ok := memberStating(ty)
		if !ok || !m.Has(ty) {
			t.Errorf("partner type %q cannot be stated by an organisation", ty)
		}
	}
}

func TestMemberHasActorTypes(t *testing.T) {
	youth := Member{Roles: []string{directory.ActorYouth}}
	if !youth.Has(TypeCivilSociety) || !youth.Has(TypeYouth) {
		t.Error("a youth organisation counts as a civil society organisation and a youth organisation")
	}
	if youth.Has(TypePractitioner) {
		t.Error("a youth organisation is not a practitioner")
	}
	town := Member{Kind: directory.KindPublicBody, Roles: []string{directory.ActorLocalAuthority}}
	if town.Has(TypePractitioner) || !town.Has(TypeLocalAuthority) {
		t.Error("a municipality is a local authority, not a practitioner")
	}
	cso := Member{Roles: []string{directory.ActorCivilSociety}}
	if cso.Has(TypeYouth) {
		t.Error("a civil society organisation is not a youth organisation unless it says so")
	}
	big := Member{Kind: directory.KindCompany}
	if !big.Has(TypeNonSMEIndustry) || (Member{Kind: directory.KindCompany, SME: true}).Has(TypeNonSMEIndustry) {
		t.Error("non-SME industry is a company without the SME flag")
	}
}
