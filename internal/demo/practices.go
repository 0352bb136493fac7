package demo

import (
	"context"
	"fmt"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/practices"
)

// The demonstration practices library: lessons of every kind and label
// from several clusters, some in two languages, two with shareable
// summaries. They are fictitious — every title says "(demo)" — and
// describe no real event.

type demoPractice struct {
	org, kind, axis, visibility, tlp string
	caps                             []string
	texts                            []practices.Text
	summary                          *practices.SummaryInput
}

func demoPractices() []demoPractice {
	return []demoPractice{
		{org: "gemeente-den-haag", kind: "lesson_learned", axis: "safety", visibility: access.Cluster, tlp: access.TLPAmber, caps: []string{"crisis-management.natural-hazards", "first-responders"},
			texts: []practices.Text{
				{Lang: "nl", Original: true, Title: "Evacuatie van een wijk bij hoogwater (demo)", Summary: "Wat een fictieve oefening leerde over het evacueren van een wijk bij overstromingen.",
					Body: "## Wat ging goed\n\n- De brandweer en de gemeente deelden **één** situatiebeeld.\n- Bewoners kregen een sms in drie talen.\n\n## Wat beter kan\n\nDe zandzakken lagen op de verkeerde plek. Zie de [richtlijn](https://example.org/richtlijn)."},
				{Lang: "en", Title: "Evacuating a district during high water (demo)", Summary: "What a fictitious exercise taught about evacuating a district in a flood.",
					Body: "## What went well\n\n- Fire brigade and city shared **one** situational picture.\n- Residents received a text message in three languages.\n\n## What to improve\n\nThe sandbags were in the wrong place."}},
			summary: &practices.SummaryInput{TLP: access.TLPGreen, Lang: "en", Title: "Flood evacuation of a district: lessons available (demo)",
				Abstract: "The City of The Hague holds lessons from a district evacuation exercise in high water. Ask the crisis team for the full entry."}},
		{org: "sdis-13", kind: "exercise_report", axis: "safety", visibility: access.Alliance, tlp: access.TLPGreen, caps: []string{"first-responders.firefighting", "crisis-management.natural-hazards"},
			texts: []practices.Text{{Lang: "fr", Original: true, Title: "Exercice feux de forêt en interface urbaine (démo)", Summary: "Compte rendu d'un exercice fictif de lutte contre les feux de forêt près des habitations.",
				Body: "L'exercice a réuni **trois** centres de secours. Le point faible : la coordination radio entre les colonnes."}}},
		{org: "branddirektion-karlsruhe", kind: "guideline", axis: "safety", visibility: access.Public, tlp: access.TLPClear, caps: []string{"first-responders.training"},
			texts: []practices.Text{
				{Lang: "de", Original: true, Title: "Leitfaden: Drohnen bei Großbränden einsetzen (Demo)", Summary: "Ein fiktiver Leitfaden für den Einsatz von Drohnen zur Lageerkundung.",
					Body: "1. Luftraum freigeben lassen.\n2. Wärmebild an die Einsatzleitung streamen.\n3. Nach dem Einsatz Daten löschen."},
				{Lang: "en", Title: "Guideline: using drones at large fires (demo)", Summary: "A fictitious guideline for using drones to survey a fire.",
					Body: "1. Have the airspace cleared.\n2. Stream thermal images to incident command.\n3. Delete the data afterwards."}}},
		{org: "tno", kind: "project_result", axis: "security", visibility: access.Public, tlp: access.TLPClear, caps: []string{"drones.counter-drone"},
			texts: []practices.Text{{Lang: "en", Original: true, Title: "Counter-drone sensor comparison in a city centre (demo)", Summary: "Fictitious results of testing three sensor types against small drones between buildings.",
				Body: "| sensor | detection range |\n|---|---|\n| radar | 800 m |\n| RF | 1200 m |\n| acoustic | 150 m |\n\nReflections between buildings halved the radar's range."}}},
		{org: "pirkanmaa-rescue-department", kind: "case_study", axis: "safety", visibility: access.Cluster, tlp: access.TLPAmberStrict, caps: []string{"first-responders.medical"},
			texts: []practices.Text{{Lang: "en", Original: true, Title: "Mass-casualty triage on a frozen lake (demo)", Summary: "A fictitious case study of triage in extreme cold.",
				Body: "Batteries of the triage tablets failed after 40 minutes at −25 °C; paper tags were the fallback."}}},
		{org: "stad-genk", kind: "position_paper", axis: "both", visibility: access.Alliance, tlp: access.TLPGreen, caps: []string{"crisis-management", "societal-ethics"},
			texts: []practices.Text{{Lang: "nl", Original: true, Title: "Positie: kennisdeling tussen safety en security (demo)", Summary: "Een fictief standpunt over het samenbrengen van safety en security in één veiligheidscampus.",
				Body: "Safety kent een accidenteel ontstaan, security is het gevolg van intentioneel handelen; beide leggen de klemtoon op **preventie**."}}},
		{org: "beredskabsstyrelsen", kind: "lesson_learned", axis: "security", visibility: access.Organisation, tlp: access.TLPRed, caps: []string{"critical-infrastructure.energy"},
			texts: []practices.Text{{Lang: "en", Original: true, Title: "Substation intrusion drill: what failed (demo)", Summary: "A fictitious red-team drill at an electricity substation.",
				Body: "The fence sensors were silenced for maintenance and nobody re-armed them."}},
			summary: &practices.SummaryInput{TLP: access.TLPGreen, Lang: "en", Title: "Substation intrusion drill: lessons available (demo)",
				Abstract: "DEMA ran a red-team drill at a substation and holds the lessons. Ask DEMA's infrastructure team."}},
		{org: "tno", kind: "exercise_report", axis: "security", visibility: access.Organisation, tlp: access.TLPAmber, caps: []string{"cybersecurity.incident-handling-forensics"},
			texts: []practices.Text{{Lang: "nl", Original: true, Title: "Ransomware-oefening bij een waterschap (demo)", Summary: "Verslag van een fictieve ransomware-oefening.",
				Body: "De back-ups waren er, maar niemand wist het wachtwoord van de kluis."}}},
	}
}

// loadPractices writes the demonstration practices through the
// library's service, each as an administrator of its organisation.
func loadPractices(ctx context.Context, ps practices.Store) (int, error) {
	var viewer access.Viewer
	svc := practices.NewService(ps, practices.DirBlobs{Dir: ""}, practices.Config{Viewer: func(context.Context) access.Viewer { return viewer }})
	n := 0
	for _, p := range demoPractices() {
		o, err := ps.OrganisationRef(ctx, p.org)
		if err != nil {
			return n, fmt.Errorf("demo practice of %s: %w", p.org, err)
		}
		viewer = access.Viewer{UserID: "demo", OrganisationID: o.ID, OrgAdmin: true, WriteAllowed: true}
		vis, tlp := p.visibility, p.tlp
		e, err := svc.Create(ctx, practices.EntryInput{Kind: p.kind, OrganisationID: o.ID, Axis: p.axis, Visibility: &vis, TLP: &tlp, Capabilities: p.caps, Texts: p.texts})
		if err != nil {
			return n, fmt.Errorf("demo practice %q: %w", p.texts[0].Title, err)
		}
		if p.summary != nil {
			if _, err := svc.PublishSummary(ctx, e.ID, *p.summary); err != nil {
				return n, fmt.Errorf("demo summary of %q: %w", p.texts[0].Title, err)
			}
		}
		n++
	}
	return n, nil
}
