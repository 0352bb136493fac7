package projects

import (
	"slices"
	"testing"
)

// TestLinkerExamples: the examples, each with the evidence that
// must decide it.
func TestLinkerExamples(t *testing.T) {
	t.Parallel()
	c := NewLinkCorpus([]LinkRecord{
		{ID: "t1", Website: "www.thalesgroup.com"}, {ID: "t2", Website: "www.thalesgroup.com"},
	})
	tests := []struct {
		name          string
		entered, rec  LinkRecord
		verdict       string
		reason, value string // a reason the evidence must hold
	}{
		{"TNO across languages",
			LinkRecord{Name: "Netherlands Organisation for Applied Scientific Research TNO", ShortName: "TNO", Country: "NL", City: "The Hague", Website: "https://www.tno.nl", Kind: "research"},
			LinkRecord{Name: "NEDERLANDSE ORGANISATIE VOOR TOEGEPAST NATUURWETENSCHAPPELIJK ONDERZOEK TNO", ShortName: "NETHERLANDS ORGANISATION FORAPPLIED SCIENTIFIC RESEARCH", Country: "NL", City: "DEN HAAG", Website: "www.tno.nl", Kind: "research"},
			LinkAuto, ReasonSameCity, "DEN HAAG"},
		{"Aarhus University, Aarhus Universitet",
			LinkRecord{Name: "Aarhus University", ShortName: "AU", Country: "DK", City: "Aarhus", Website: "https://www.au.dk"},
			LinkRecord{Name: "AARHUS UNIVERSITET", ShortName: "AU", Country: "DK", City: "AARHUS C", Website: "www.au.dk"},
			LinkAuto, ReasonSameName, "AARHUS UNIVERSITET"},
		{"VTT, another legal form and city",
			LinkRecord{Name: "VTT Technical Research Centre of Finland", ShortName: "VTT", Country: "FI", City: "Tampere", Kind: "research"},
			LinkRecord{Name: "Teknologian tutkimuskeskus VTT Oy", ShortName: "VTT", Country: "FI", City: "Espoo", Kind: "research"},
			LinkAuto, ReasonOtherCity, "Espoo"},
		{"Köln, Koeln, Cologne and EL/GR-free",
			LinkRecord{Name: "German Aerospace Center", ShortName: "DLR", Country: "DE", City: "Cologne", Website: "https://www.dlr.de", Kind: "research"},
			LinkRecord{Name: "DEUTSCHES ZENTRUM FUER LUFT - UND RAUMFAHRT EV", ShortName: "DLR", Country: "DE", City: "KOELN", Website: "www.dlr.de", Kind: "research"},
			LinkAuto, ReasonSameCity, "KOELN"},
		{"EL is GR",
			LinkRecord{Name: "Center for Security Studies", ShortName: "KEMEA", Country: "GR", City: "Athens", Website: "https://www.kemea.gr"},
			LinkRecord{Name: "KENTRO MELETON ASFALEIAS", ShortName: "KEMEA", Country: "EL", City: "ATHINA", Website: "www.kemea.gr"},
			LinkAuto, ReasonSameName, "KENTRO MELETON ASFALEIAS"},
		{"UK is GB",
			LinkRecord{Name: "Police Service of Northern Ireland", ShortName: "PSNI", Country: "GB", City: "Belfast"},
			LinkRecord{Name: "Police Service of Northern Ireland", ShortName: "PSNI", Country: "UK", City: "Belfast"},
			LinkAuto, ReasonSameName, "Police Service of Northern Ireland"},
		{"the same VAT number",
			LinkRecord{Name: "Acme", Country: "NL", VAT: "NL 8001.74656.B01"},
			LinkRecord{Name: "Something Else B.V.", Country: "NL", VAT: "NL800174656B01"},
			LinkAuto, ReasonVAT, "NL800174656B01"},
		{"a local police zone under the federal police",
			LinkRecord{Name: "Federale Politie", ShortName: "Police fédérale", Country: "BE", City: "Brussels", Kind: "public_body"},
			LinkRecord{Name: "POLITIEZONE BRECHT-MALLE-SCHILDE-ZOERSEL", ShortName: "LOKALE POLITIE PZ VOORKEMPEN", Country: "BE", City: "BRECHT", Kind: "public_body"},
			LinkNone, ReasonOtherCity, "BRECHT"},
		{"a subsidiary with the group's name and website",
			LinkRecord{Name: "Thales SA", ShortName: "Thales", Country: "FR", City: "Courbevoie", Website: "https://www.thalesgroup.com", Kind: "company"},
			LinkRecord{ID: "t2", Name: "THALES SECURITY SOLUTIONS & SERVICES SAS", ShortName: "THALES", Country: "FR", City: "VELIZY-VILLACOUBLAY", Website: "www.thalesgroup.com", Kind: "company"},
			LinkNone, ReasonGroupWebsite, "thalesgroup.com"},
		{"a foundation and its company",
			LinkRecord{Name: "SINTEF Foundation", ShortName: "SINTEF", Country: "NO", City: "Trondheim", Kind: "research"},
			LinkRecord{Name: "SINTEF AS", ShortName: "SINTEF", Country: "NO", City: "TRONDHEIM", Kind: "research"},
			LinkCandidate, ReasonOtherForm, "company"},
		{"the same words translated, another university",
			LinkRecord{Name: "Vrije Universiteit Brussel", ShortName: "VUB", Country: "BE", City: "Brussels", Website: "https://www.vub.be"},
			LinkRecord{Name: "UNIVERSITE LIBRE DE BRUXELLES", ShortName: "ULB", Country: "BE", City: "BRUXELLES", Website: "www.ulb.ac.be"},
			LinkNone, ReasonOtherAcronym, "ULB"},
		{"another country",
			LinkRecord{Name: "Airbus Defence and Space SAS", Country: "FR"},
			LinkRecord{Name: "AIRBUS DEFENCE AND SPACE GMBH", Country: "DE"},
			LinkNone, ReasonOtherCountry, "DE"},
	}
	for _, tt := range tests {
		ev := c.Compare(tt.entered, tt.rec)
		if ev.Verdict != tt.verdict {
			t.Errorf("%s: verdict %s (%.1f, %v), want %s", tt.name, ev.Verdict, ev.Score, ev.Reasons, tt.verdict)
		}
		if !slices.Contains(ev.Reasons, LinkReason{tt.reason, tt.value}) {
			t.Errorf("%s: reasons %v lack %s=%s", tt.name, ev.Reasons, tt.reason, tt.value)
		}
	}
}

// TestPlanLinks: an entered organisation is linked to the CORDIS-only
// record strong evidence ties it to; a member never to another member;
// pairs skipped stay apart; a record two organisations claim as strongly
// goes to neither.
func TestPlanLinks(t *testing.T) {
	t.Parallel()
	key := func(id, name, short string, member, cordis bool) LinkKey {
		return LinkKey{LinkRecord: LinkRecord{ID: id, Slug: id, Name: name, ShortName: short, Country: "NL", City: "Enschede", Kind: "higher_education"},
			Member: member, CORDIS: cordis}
	}
	keys := []LinkKey{
		key("ut", "University of Twente", "UT", true, false),
		key("ut-rec", "UNIVERSITEIT TWENTE", "UT", false, true),
		key("ut-twin", "University of Twente", "UT", true, false), // a second member of the same name
		key("other", "Saxion University of Applied Sciences", "Saxion", true, false),
	}
	links, cands := PlanLinks(keys, nil, nil)
	if len(links) != 0 || len(cands) != 2 {
		t.Errorf("two members as strongly tied to one record: links %v, candidates %d", links, len(cands))
	}
	keys = keys[:2]
	links, _ = PlanLinks(keys, nil, nil)
	if len(links) != 1 || links[0].Entered.ID != "ut" || links[0].Record.ID != "ut-rec" {
		t.Errorf("links %+v", links)
	}
	if links, cands := PlanLinks(keys, map[[2]string]bool{PairKey("ut", "ut-rec"): true}, nil); len(links)+len(cands) != 0 {
		t.Errorf("a skipped pair: links %v candidates %v", links, cands)
	}
	if links, _ := PlanLinks(keys, nil, map[string]bool{"someone-else": true}); len(links) != 0 {
		t.Errorf("only another organisation: links %v", links)
	}
}
