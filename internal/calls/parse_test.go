package calls

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// r builds an expected rule for the parser tests.
func r(kind string, count int, types []string, countries int, scope string) want {
	return want{kind: kind, count: count, types: types, countries: countries, scope: scope}
}

func TestParseConditionsPhrasings(t *testing.T) {
	anyc, msac, mem := ScopeAny, ScopeMemberOrAssociated, ScopeMember
	tests := []struct {
		name string
		in   string
		want []want
	}{
		{"digits and a country count",
			"This topic requires the active involvement, as beneficiaries, of at least 2 Police Authorities from at least 2 different EU Member States or Associated Countries.",
			[]want{r(KindMinPractitioners, 2, police, 2, msac)}},
		{"number words",
			"This topic requires the participation of at least three police authorities from at least two different Member States or Associated Countries.",
			[]want{r(KindMinPractitioners, 3, police, 2, msac)}},
		{"word with digits in brackets", "A minimum of three (3) partners.",
			[]want{r(KindMinPartners, 3, []string{TypeLegalEntity}, 0, anyc)}},
		{"ASCII apostrophe", "at least 3 first responders' organisations.",
			[]want{r(KindMinPractitioners, 3, []string{"first_responder"}, 0, anyc)}},
		{"no country clause", "This topic requires the active involvement, as beneficiaries, of at least 3 first responders’ organisations.",
			[]want{r(KindMinPractitioners, 3, []string{"first_responder"}, 0, anyc)}},
		{"and-list with a bare second count",
			"This topic requires the participation, as beneficiaries, of at least 3 practitioners and 3 public procurers.",
			[]want{r(KindMinPractitioners, 3, practTypes, 0, anyc), r(KindMinPractitioners, 3, procurer, 0, anyc)}},
		{"'as well as' list", "The consortium must include at least 6 end-user organisations as well as at least 3 public procurers.",
			[]want{r(KindMinPractitioners, 6, practTypes, 0, anyc), r(KindMinPractitioners, 3, procurer, 0, anyc)}},
		{"shared country clause binds the list",
			"This topic requires at least two first responders’ organisations or agencies, and one representative of local or regional authorities in charge of disaster response, from at least 3 different EU Member States or Associated Countries.",
			[]want{r(KindMinPractitioners, 2, []string{"first_responder"}, 0, msac),
				{kind: KindMinEntitiesOfType, count: 1, types: []string{TypeLocalAuthority}, scope: msac, qual: "in charge of disaster response"},
				r(KindMinCountries, 0, []string{"first_responder", TypeLocalAuthority}, 3, msac)}},
		{"border, coast guard or customs", "at least 2 Border, Coast Guard or Customs Authorities from at least 2 different EU Member States or Associated countries.",
			[]want{r(KindMinPractitioners, 2, []string{"border_guard", "customs"}, 2, msac)}},
		{"border guards", "at least 2 border guard authorities.", []want{r(KindMinPractitioners, 2, borderGuard, 0, anyc)}},
		{"customs", "at least 2 Customs Authorities.", []want{r(KindMinPractitioners, 2, []string{"customs"}, 0, anyc)}},
		{"civil protection", "at least 2 Civil Protection authorities located in EU Member States.",
			[]want{r(KindMinPractitioners, 2, []string{"civil_protection"}, 0, mem)}},
		{"medical emergency services", "at least 2 medical emergency services.", []want{r(KindMinPractitioners, 2, []string{"medical_emergency"}, 0, anyc)}},
		{"operators of critical infrastructure", "at least 2 operators of critical infrastructure.",
			[]want{r(KindMinPractitioners, 2, []string{"critical_infrastructure"}, 0, anyc)}},
		{"law enforcement", "at least 1 law enforcement agency.", []want{r(KindMinPractitioners, 1, police, 0, anyc)}},
		{"fire brigades", "at least 2 fire brigades.", []want{r(KindMinPractitioners, 2, []string{"first_responder"}, 0, anyc)}},
		{"practitioners from ...", "at least 3 practitioners from EU Member States or Associated Countries.",
			[]want{r(KindMinPractitioners, 3, practTypes, 0, msac)}},
		{"specific type wins over practitioner", "at least 2 practitioner organisations (first responders).",
			[]want{r(KindMinPractitioners, 2, []string{"first_responder"}, 0, anyc)}},
		{"alternatives in one item", "at least 3 first responders or authorities in charge of disaster risk from at least 3 different EU Member States or Associated Countries.",
			[]want{r(KindMinPractitioners, 3, []string{"first_responder", "civil_protection", "disaster_risk"}, 3, msac)}},
		{"SMEs from Member States only", "At least 2 SMEs from 2 different Member States.",
			[]want{r(KindMinEntitiesOfType, 2, []string{TypeSME}, 2, mem)}},
		{"RTO", "at least 1 Research and Technology Organisation (RTO).", []want{r(KindMinEntitiesOfType, 1, []string{TypeResearch}, 0, anyc)}},
		{"NGOs", "at least 2 NGOs.", []want{r(KindMinEntitiesOfType, 2, civilSoc, 0, anyc)}},
		{"training centres", "at least 2 Training Centres.", []want{r(KindMinEntitiesOfType, 2, []string{TypeTrainingCentre}, 0, anyc)}},
		{"youth NGOs", "at least 2 NGOs representing young people or youth organisations.", []want{r(KindMinEntitiesOfType, 2, []string{TypeYouth}, 0, anyc)}},
		{"youth organisations", "at least 1 youth organisation.", []want{r(KindMinEntitiesOfType, 1, []string{TypeYouth}, 0, anyc)}},
		{"crisis communication", "at least 2 authorities responsible for crisis communication.", []want{r(KindMinPractitioners, 2, []string{"civil_protection", "disaster_risk"}, 0, anyc)}},
		{"range of partners", "A minimum of three (3) to a maximum of seven (7) partners.",
			[]want{r(KindMinPartners, 3, []string{TypeLegalEntity}, 0, anyc), r(KindMaxPartners, 7, []string{TypeLegalEntity}, 0, anyc)}},
		{"independent with a Member State",
			"Among the public procurers, minimum two must be independent legal entities that are public procurers, each established in a different Member State or Associated Country and with at least one of them established in a Member State.",
			[]want{{kind: KindMinPractitioners, count: 2, types: procurer, countries: 2, scope: msac, inMS: 1, indep: true}}},
		{"limited participation", "Participation is limited to legal entities established in EU Member States.",
			[]want{{kind: KindAllInScope, types: []string{TypeLegalEntity}, scope: mem}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, unparsed := ParseConditions(tt.in)
			if len(unparsed) > 0 {
				t.Errorf("unparsed = %+v, want none", unparsed)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d rules, want %d:\n%s", len(got), len(tt.want), describeAll(got))
			}
			for i := range got {
				w := tt.want[i]
				w.src = strings.TrimSpace(got[i].Source) // the sentence itself: checked below
				checkRule(t, i, got[i], w, cleanText(tt.in))
			}
		})
	}
}

func TestParseConditionsBackReference(t *testing.T) {
	in := "This topic requires the participation of at least 3 practitioners and 3 public procurers. " +
		"One organisation can have the role of practitioner and public procurer simultaneously, both counting for the overall number of organisations required for eligibility. " +
		"These beneficiaries must be from at least three different EU Member States or Associated Countries."
	got, unparsed := ParseConditions(in)
	if len(unparsed) != 0 || len(got) != 3 {
		t.Fatalf("got %d rules %v and unparsed %v, want 3 rules", len(got), describeAll(got), unparsed)
	}
	joint := got[2]
	if joint.Kind != KindMinCountries || joint.MinCountries != 3 || !slices.Equal(joint.Types, []string{TypePractitioner, "public_procurer"}) {
		t.Errorf("joint rule = %+v", joint)
	}
	if want := "These beneficiaries must be from at least three different EU Member States or Associated Countries."; joint.Source != want {
		t.Errorf("source = %q, want %q", joint.Source, want)
	}
	// Without a counting sentence before it, the reference is left to a person.
	_, unparsed = ParseConditions("These beneficiaries must be from at least 3 different EU Member States or Associated Countries.")
	if len(unparsed) != 1 || unparsed[0].Reason != ReasonNotUnderstood {
		t.Errorf("dangling reference: unparsed = %+v, want one not_understood", unparsed)
	}
}

func TestParseConditionsPortfolio(t *testing.T) {
	lead := "This topic requires involvement as beneficiaries of at least 3 relevant practitioners from EU Member States or Associated Countries. "
	tests := []struct {
		name     string
		list     string
		types    []string
		unparsed int
	}{
		{"known portfolios", "critical infrastructure operator, civil protection authority, law enforcement",
			[]string{"police", "civil_protection", "critical_infrastructure"}, 0},
		{"an unknown portfolio leaves the rule alone", "critical infrastructure operator, universities",
			[]string{TypePractitioner}, 1},
		{"a portfolio that is no practitioner: SMEs", "critical infrastructure operator, SMEs",
			[]string{"critical_infrastructure", TypeSME}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := lead + "Depending on the proposal, these practitioners should represent one or several of the following portfolios: " + tt.list + "."
			got, unparsed := ParseConditions(in)
			if len(got) != 1 || !slices.Equal(got[0].Types, tt.types) {
				t.Fatalf("rules = %s, want one with types %v", describeAll(got), tt.types)
			}
			if len(unparsed) != tt.unparsed {
				t.Errorf("unparsed = %+v, want %d", unparsed, tt.unparsed)
			}
			if tt.unparsed == 0 && !strings.HasSuffix(got[0].Source, tt.list+".") {
				t.Errorf("source %q should hold the portfolio sentence", got[0].Source)
			}
		})
	}
}

func TestParseConditionsUnparsed(t *testing.T) {
	tests := []struct {
		name, in, reason string
	}{
		{"budget share of no named kind", "At least 50% of the proposed budget must be allocated to activities in the field.", ReasonNotChecked},
		{"budget share of any partner", "At least 50% of the proposed budget must be allocated to partners.", ReasonNotChecked},
		{"ownership control", "Entities controlled by China are not eligible to participate in the action.", ReasonNotChecked},
		{"activity location", "Open market consultations must take place in at least 3 EU Member States or Associated Countries.", ReasonNotChecked},
		{"unknown partner type", "This topic requires at least 2 universities.", ReasonNotUnderstood},
		{"a maximum of a type", "At most 2 SMEs may take part.", ReasonNotUnderstood},
		{"requirement without a count", "Consortia must include a police authority.", ReasonNotUnderstood},
		{"more countries than partners", "at least 2 police authorities from at least 3 different Member States.", ReasonCannotBeMet},
		{"absurd count", "at least 500 partners.", ReasonCannotBeMet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, unparsed := ParseConditions(tt.in)
			if len(got) != 0 {
				t.Errorf("rules = %s, want none", describeAll(got))
			}
			if len(unparsed) != 1 || unparsed[0].Reason != tt.reason || unparsed[0].Sentence != tt.in {
				t.Errorf("unparsed = %+v, want [{%q %s}]", unparsed, tt.in, tt.reason)
			}
		})
	}
}

func TestParseConditionsSkips(t *testing.T) {
	for _, in := range []string{
		"If projects use satellite-based earth observation, positioning, navigation and/or related timing data and services, beneficiaries must make use of Copernicus and/or Galileo/EGNOS (other data and services may additionally be used).",
		"For these participants, applicants must fill in the table “Information about security practitioners” in the application form.",
		"The Joint Research Centre (JRC) may participate as member of the consortium.",
		"Consortia must include, as beneficiaries:",
		"",
	} {
		got, unparsed := ParseConditions(in)
		if len(got) != 0 || len(unparsed) != 0 {
			t.Errorf("ParseConditions(%q) = %v, %v; want nothing", in, got, unparsed)
		}
	}
}

// TestParseConditionsNoise feeds the same requirement wrapped in the
// debris the portal's export leaves, and expects the same rule and a
// clean source sentence.
func TestParseConditionsNoise(t *testing.T) {
	const clean = "This topic requires the active involvement, as beneficiaries, of at least 2 Police Authorities from at least 2 different EU Member States or Associated Countries."
	tests := []struct{ name, in string }{
		{"footnote", "This topic requires the active involvement, as beneficiaries, of at least 2 Police Authorities[[In the context of this Destination, ‘Police Authorities’ means public authorities.]] from at least 2 different EU Member States or Associated Countries."},
		{"html tags and entities", "<p>This topic requires the active involvement, as beneficiaries, of at least 2 <strong>Police Authorities</strong> from at least 2&nbsp;different EU Member States or Associated Countries.</p>"},
		{"attribute remnant and heading", "\">General conditions1. Admissibility Conditions: at least 50 pages.3. Other Eligible ConditionsThe following additional eligibility criteria apply:" + clean + "described in Annex B of the Work Programme General Annexes.4. Financial and operational capacity and exclusion: at least also to the two highest ranked proposals."},
		{"bullet", "The following additional eligibility criteria apply: • " + clean},
		{"mojibake nearby", clean + " For these participants, applicants must fill in the table “Information about security practitionersâ€\u009d in the application form."},
		{"line breaks and tabs", strings.ReplaceAll(clean, " ", "\n\t ")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, unparsed := ParseConditions(tt.in)
			if len(unparsed) != 0 {
				t.Errorf("unparsed = %+v", unparsed)
			}
			if len(got) != 1 {
				t.Fatalf("got %d rules, want 1: %s", len(got), describeAll(got))
			}
			checkRule(t, 0, got[0], r(KindMinPractitioners, 2, police, 2, ScopeMemberOrAssociated), cleanText(tt.in))
			if got[0].Source != clean {
				t.Errorf("source = %q, want %q", got[0].Source, clean)
			}
		})
	}
}

func TestParseConditionsBulletList(t *testing.T) {
	in := "Consortia must include, as beneficiaries:- A minimum of three (3) to a maximum of seven (7) partners.- At least 2 SMEs from 2 different Member States.- At least 1 end-user organisation."
	got, unparsed := ParseConditions(in)
	var kinds []string
	for _, r := range got {
		kinds = append(kinds, r.Kind)
	}
	want := []string{KindMinPartners, KindMaxPartners, KindMinEntitiesOfType, KindMinPractitioners}
	if !slices.Equal(kinds, want) || len(unparsed) != 0 {
		t.Errorf("kinds = %v, unparsed = %v; want %v and none", kinds, unparsed, want)
	}
	if len(got) == 4 && got[3].Source != "At least 1 end-user organisation." {
		t.Errorf("bullet source = %q", got[3].Source)
	}
}

func TestEligibilitySection(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1. Admissibility at least 3.3. Other Eligible ConditionsONLY THIS.4. Financial and operational capacity", "ONLY THIS."},
		{"3. Other eligibility conditions: ONLY THIS 5a. Evaluation and award: at least", " ONLY THIS "},
		{"no headings: everything", "no headings: everything"},
		{"at least 3 police authorities. Other eligibility conditions: none.", "at least 3 police authorities. Other eligibility conditions: none."},
	}
	for _, tt := range tests {
		if got := EligibilitySection(tt.in); got != tt.want {
			t.Errorf("EligibilitySection(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"One sentence (e.g. this one) ends here. Two starts.", []string{"One sentence (e.g. this one) ends here.", "Two starts."}},
		{"Glued.Next one", []string{"Glued.", "Next one"}},
		{"See Annex B.Due to scope", []string{"See Annex B.", "Due to scope"}},
		{"apply: This topic", []string{"apply:", "This topic"}},
		{"at least 1 X, namely: Option A", []string{"at least 1 X, namely: Option A"}},
		{"list:- first.- second", []string{"list:", "first.", "second"}},
		{"portfolios: a, b, For these participants, fill", []string{"portfolios: a, b", "For these participants, fill"}},
		{"a • b", []string{"a", "b"}},
		{"Version 1.5 is here.", []string{"Version 1.5 is here."}},
		{"beyond the state of the art. Proposals must", []string{"beyond the state of the art.", "Proposals must"}},
	}
	for _, tt := range tests {
		if got := splitSentences(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("splitSentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzParseConditions checks that no text makes the parser panic or emit
// a rule that fails validation.
func FuzzParseConditions(f *testing.F) {
	for _, s := range []string{
		"This topic requires the active involvement, as beneficiaries, of at least 2 Police Authorities from at least 2 different EU Member States or Associated Countries.",
		"of at least 3 organisations from at least 3 different EU Member States or Associated Countries as follows: (i) at least one civil society organisation (CSO); (ii) at least one authority in charge of disaster risk (iii) at least one organisation representing local or regional authorities.",
		"This topic requires involvement as beneficiaries of at least 3 relevant practitioners from EU Member States or Associated Countries. Depending on the specific proposal submitted, these practitioners should represent one or several of the following portfolios:critical infrastructure operator,law enforcement",
		"Consortia must include, as beneficiaries:- A minimum of three (3) to a maximum of seven (7) partners.- At least 2 SMEs from 2 different Member States.",
		"of at least 3 practitioners and 3 public procurers. These beneficiaries must be from at least 3 different EU Member States or Associated Countries.",
		"Among the public procurers, minimum two must be independent legal entities that are public procurers, each established in a different Member State or Associated Country and with at least one of them established in a Member State.",
		"[[unclosed footnote at least 2 police", "<li>at least 9999 partners</li>", "â€\u009d\xff\xfe", ": - . • ,", "at least  and  from at least 0 different countries",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rules, unparsed := ParseConditions(s)
		for _, r := range rules {
			if errs := r.Validate(); len(errs) > 0 {
				t.Errorf("ParseConditions(%q) gave an invalid rule %+v: %v", s, r, errs)
			}
			if r.Source == "" || !utf8.ValidString(r.Source) || r.Origin != OriginTopic {
				t.Errorf("rule %+v: bad source or origin", r)
			}
			_ = r.Describe()
		}
		for _, u := range unparsed {
			if u.Sentence == "" || !slices.Contains([]string{ReasonNotUnderstood, ReasonNotChecked, ReasonCannotBeMet}, u.Reason) {
				t.Errorf("unparsed %+v", u)
			}
		}
	})
}
