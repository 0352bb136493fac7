package demo

import (
	"context"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/governance"
)

// PendingApplication is the demonstration's application to join, from a
// fictitious cluster: it meets the criteria on members and helices but
// not on staff (0.4 of a full-time equivalent, where 0.5 is asked).
func PendingApplication() governance.Application {
	return governance.Application{Kind: governance.KindCluster, Name: "Adriatic Resilience Cluster (fictitious)", Slug: "adriatic-resilience",
		Country: "HR", City: "Split", Description: "A fictitious cluster for the demonstration: ports, coastal tourism and civil protection working on resilience to floods, fires and cyber attacks.",
		Themes: []string{}, Organisation: "Adriatic Resilience Association (fictitious)",
		Members:  governance.Members{Companies: 14, SMEs: 11, Knowledge: 3, Government: 2, Practitioners: 2, Total: 21},
		StaffFTE: 40, Contact: governance.Contact{Name: "Ana Kovač", Email: "ana.kovac@adriatic-resilience.example"},
		Letter: "The Adriatic Resilience Cluster intends to join the European alliance of safety & security clusters, to share test facilities and prepare joint EU proposals on coastal resilience."}
}

// Letter is the demonstration's Letter of Commitment. Its wording is not
// the original's (which is not in the sources): it restates what the
// sources say the founders committed to.
func Letter() governance.LetterVersion {
	return governance.LetterVersion{Title: "Letter of Commitment of the European alliance of safety & security clusters", PublishedOn: "2016-06-01",
		Texts: []governance.LetterText{
			{Lang: "en", Text: "Demonstration text. The undersigned innovation clusters for safety and security commit to work together as a European network: to develop a joint roadmap for common (lobby) activities, to strengthen their visibility in the EU with respect to the smart specialisation strategies of their regions, to win a larger share of EU innovation funding for security together, and to explore a joint application for a Knowledge and Innovation Community (KIC) Security."},
			{Lang: "nl", Text: "Demonstratietekst. De ondertekenende innovatieclusters voor veiligheid verbinden zich om samen te werken als Europees netwerk: een gezamenlijke roadmap voor (lobby)activiteiten te ontwikkelen, hun zichtbaarheid in de EU te vergroten rond de slimme specialisatiestrategieën van hun regio's, samen een groter aandeel van de EU-innovatiebudgetten voor veiligheid te verwerven, en een gezamenlijke aanvraag voor een Knowledge and Innovation Community (KIC) Security te verkennen."},
		}}
}

// LoadGovernance publishes the letter with the signatures of the founding
// clusters (those the directory shows as signed), recorded from paper as
// signed on 2 June 2016 at the HSD Campus in The Hague, and submits the
// pending application. It returns how many applications it stored.
func LoadGovernance(ctx context.Context, gov *governance.Service, dir directory.Store) (int, error) {
	ctx = access.AsSystem(ctx)
	v := Letter()
	if err := gov.PublishLetter(ctx, &v); err != nil {
		return 0, err
	}
	cs, err := dir.ListClusters(ctx, directory.Filter{Limit: directory.MaxListLimit})
	if err != nil {
		return 0, err
	}
	for _, c := range cs.Items {
		if !c.Commitment.Signed {
			continue
		}
		in := governance.SignInput{ClusterID: c.ID, SignerName: c.Name, Place: "HSD Campus, The Hague", Paper: true,
			SignedOn: letterOfCommitment, ScanRef: "Paper original signed at the second international meeting, 1–2 June 2016"}
		if _, err := gov.Sign(ctx, v.ID, in); err != nil {
			return 0, err
		}
	}
	if err := loadRoadmap(ctx, gov, cs.Items); err != nil {
		return 0, err
	}
	a := PendingApplication()
	if _, err := gov.Submit(ctx, &a); err != nil {
		return 0, err
	}
	return 1, nil
}

// loadRoadmap adds the goals the sources name for the joint roadmap:
// visibility in the EU and a larger share of EU innovation funding,
// possibly through a joint KIC Security bid after 2018.
func loadRoadmap(ctx context.Context, gov *governance.Service, cs []directory.Cluster) error {
	id := map[string]string{}
	for _, c := range cs {
		id[c.Slug] = c.ID
	}
	visibility := governance.Item{Kind: governance.ItemGoal, Title: "Visibility of the clusters in the EU"}
	funding := governance.Item{Kind: governance.ItemGoal, Title: "A larger share of EU innovation funding for security"}
	for _, g := range []*governance.Item{&visibility, &funding} {
		if err := gov.AddItem(ctx, g); err != nil {
			return err
		}
	}
	lobby := governance.Item{Kind: governance.ItemAction, ParentID: visibility.ID, Title: "Joint lobby on the smart specialisation strategies of the regions",
		Owners: []string{id["hsd"], id["safe-cluster"]}, Starts: "2016-09-01", Ends: "2017-12-31", Status: governance.StatusRunning}
	kic := governance.Item{Kind: governance.ItemAction, ParentID: funding.ID, Title: "Explore a joint application for a KIC Security",
		Owners: []string{id["hsd"], id["kit"], id["censec"]}, Starts: "2017-01-01", Ends: "2019-12-31"}
	for _, a := range []*governance.Item{&lobby, &kic} {
		if err := gov.AddItem(ctx, a); err != nil {
			return err
		}
	}
	for _, m := range []governance.Item{
		{Kind: governance.ItemMilestone, ParentID: lobby.ID, Title: "Joint position paper to the European Commission", Owners: []string{id["hsd"]}, Due: "2017-03-31"},
		{Kind: governance.ItemMilestone, ParentID: kic.ID, Title: "Partners and lead for a KIC Security bid agreed", Owners: []string{id["kit"]}, Due: "2018-12-31"},
	} {
		if err := gov.AddItem(ctx, &m); err != nil {
			return err
		}
	}
	return nil
}
