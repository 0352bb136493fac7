package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/postings"
	"github.com/escnet/escnet/internal/validate"
)

// demoPosting is a posting of the organisation with slug Org; Interested
// lists the slugs of organisations that express interest, with a message.
type demoPosting struct {
	Org        string
	Posting    postings.Posting
	Interested map[string]string
}

func demoPostings() []demoPosting {
	return []demoPosting{
		{Org: "tno", Posting: postings.Posting{Kind: postings.KindSeek, CallID: "DEMO-CL3-2027-01-DRS-01",
			Title: "Fire brigades and police for an early-warning pilot",
			Text: "TNO coordinates a proposal on early warning and crisis communication for cross-border floods and wildfires. " +
				"We seek two practitioner organisations from different countries to run the pilots, and an SME with situational-awareness software.",
			Roles:        []string{directory.RoleFirstResponder, directory.RolePolice, directory.KindCompany},
			Capabilities: []string{"crisis-management.early-warning", "crisis-management.situational-awareness"},
			Countries:    []string{"BE", "DE", "FR", "EL"}, Visibility: access.Alliance},
			Interested: map[string]string{
				"branddirektion-karlsruhe":    "The Karlsruhe fire service would run a wildfire pilot in the Black Forest and bring its control room.",
				"pirkanmaa-rescue-department": "We have run cross-border exercises with Sweden and can host a pilot in Pirkanmaa.",
			}},
		{Org: "muster-aerospace", Posting: postings.Posting{Kind: postings.KindSeek, CallID: "DEMO-CL3-2027-01-BM-01",
			Title:        "Border guard and test range wanted for counter-drone detection",
			Text:         "Muster Aerospace builds counter-drone detection and looks for a border authority as end user and a drone test range for trials.",
			Roles:        []string{directory.RoleBorderGuard, directory.KindResearch},
			Capabilities: []string{"drones.counter-drone", "border-security.surveillance", "drones.testing"},
			Visibility:   access.Public}},
		{Org: "fraunhofer", Posting: postings.Posting{Kind: postings.KindOffer, CallID: "DEMO-CL3-2027-01-FCT-01",
			Title:        "CBRN detection and decontamination research for fighting-crime topics",
			Text:         "Fraunhofer offers its laboratories and research on the detection of chemical and explosive threats as a partner in proposals like this topic.",
			Roles:        []string{directory.KindResearch},
			Capabilities: []string{"cbrne.detection", "cbrne.explosives"}, Visibility: access.Public}},
		{Org: "university-of-twente", Posting: postings.Posting{Kind: postings.KindOffer,
			Title:        "Ethics and societal impact work package",
			Text:         "The University of Twente leads ethics, privacy and societal-impact work packages in security research and joins consortia that need one.",
			Roles:        []string{directory.KindHigherEducation},
			Capabilities: []string{"societal-ethics.ethics", "privacy-identity.data-protection"}, Visibility: access.Cluster}},
	}
}

// LoadPostings publishes the demonstration postings for the organisations
// they name, and the interests of other members in them, through the
// postings' rules (the notices go where svc sends them). A seek posting
// whose demo call has closed by now is left out.
func LoadPostings(ctx context.Context, svc *postings.Service, dir directory.Store) (int, error) {
	sys := audit.WithActor(access.AsSystem(ctx), audit.Actor{Label: "demo"})
	scope := access.WithScope(sys, access.System)
	n := 0
	for _, d := range demoPostings() {
		org, err := dir.GetOrganisation(scope, d.Org)
		if err != nil {
			return n, fmt.Errorf("demo posting of %s: %w", d.Org, err)
		}
		p := d.Posting
		p.OrganisationID = org.ID
		created, err := svc.Create(sys, p)
		var errs validate.Errors
		if errors.As(err, &errs) && len(errs) == 1 && errs[0].Code == postings.CallClosed {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("demo posting %q: %w", p.Title, err)
		}
		n++
		for slug, msg := range d.Interested {
			o, err := dir.GetOrganisation(scope, slug)
			if err != nil {
				return n, fmt.Errorf("demo interest of %s: %w", slug, err)
			}
			v := access.Viewer{UserID: "demo", OrganisationID: o.ID, WriteAllowed: true}
			as := access.WithScope(access.WithViewer(sys, v), access.System)
			if _, err := svc.ExpressInterest(as, created.ID, msg); err != nil {
				return n, fmt.Errorf("demo interest of %s: %w", slug, err)
			}
		}
	}
	return n, nil
}
