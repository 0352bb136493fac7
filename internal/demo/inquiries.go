package demo

import (
	"context"
	"fmt"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/inquiries"
)

// demoCase is a question of the demonstration and how far it has got.
type demoCase struct {
	in      inquiries.AskInput
	experts []string // names of the experts asked
	answer  string
	rating  int
	handoff string // cluster slug it is offered to
	state   string // the state to reach
}

func demoCases() []demoCase {
	ask := func(cluster, lang, country, kind, name, q string) inquiries.AskInput {
		return inquiries.AskInput{Question: q, Name: name, Email: fmt.Sprintf("asker.%s@example.org", cluster), Kind: kind,
			Country: country, Lang: lang, Urgency: "normal", Consent: true, Cluster: cluster, Address: "demo-" + cluster + "-" + name}
	}
	return []demoCase{
		{in: ask("hsd", "en", "NL", "company", "Port Example B.V.", "Who can advise us on protecting the operational network of our port terminal against cyber attacks?"),
			state: inquiries.StateNew},
		{in: ask("flanders-issn", "nl", "BE", "government", "Gemeente Voorbeeld", "Wij willen een crisisoefening organiseren voor een overstroming in Limburg, met communicatie naar de bevolking. Wie kan helpen?"),
			state: inquiries.StateTriaged},
		{in: ask("twente-safety-security", "en", "NL", "company", "Sensor Example", "Who can test our counter-drone sensor near an airport, in controlled airspace?"),
			experts: []string{"Jane Doe"}, state: inquiries.StateAssigned},
		{in: ask("kit", "de", "DE", "government", "Stadtwerke Beispiel", "Wir suchen Partner, um die Resilienz unseres Stromnetzes gegen lange Stromausfälle zu prüfen."),
			experts: []string{"Erika Mustermann"}, answer: "Das KIT Energy Lab 2.0 kann Ihr Szenario nachstellen; wir schlagen ein erstes Gespräch vor.",
			state: inquiries.StateAnswered},
		{in: ask("safe-cluster", "fr", "FR", "practitioner", "SDIS Exemple", "Quels partenaires utilisent des drones pour surveiller les feux de forêt ?"),
			experts: []string{"Pierre Exemple"}, answer: "Le SDIS 13 et Exemple Drones partagent volontiers leur retour d'expérience.", rating: 5,
			state: inquiries.StateClosed},
		{in: ask("tampere-safety-security", "en", "FI", "government", "Coast Example", "We need radar and camera surveillance for a stretch of coast and an offshore wind farm."),
			handoff: "censec", state: inquiries.StateTriaged},
		{in: ask("munich-security-cluster", "en", "DE", "citizen", "Spam Example", "Buy cheap watches now, best prices, click the link in our profile."),
			state: "spam"},
	}
}

// LoadInquiries lists the demonstration's listed people as experts and
// asks a handful of questions in every state, across clusters, through
// the contact point's rules.
func LoadInquiries(ctx context.Context, svc *inquiries.Service, dir directory.Store) (int, error) {
	ctx = audit.WithActor(access.WithScope(ctx, access.System), audit.Actor{Label: "demo"})
	people, err := dir.ListPeople(ctx, directory.Filter{Limit: 1000})
	if err != nil {
		return 0, err
	}
	byName := map[string]string{}
	for _, p := range people.Items {
		if !p.Listed {
			continue
		}
		if err := svc.SetExpert(ctx, p.ID, true, p.Title); err != nil {
			return 0, fmt.Errorf("demo expert %s: %w", p.Name, err)
		}
		byName[p.Name] = p.ID
	}
	admin := access.WithViewer(ctx, access.Viewer{UserID: "demo", AllianceAdmin: true, WriteAllowed: true})
	n := 0
	for _, c := range demoCases() {
		if err := loadCase(admin, svc, c, byName); err != nil {
			return n, fmt.Errorf("demo question %q: %w", c.in.Name, err)
		}
		n++
	}
	return n, nil
}

func loadCase(ctx context.Context, svc *inquiries.Service, c demoCase, byName map[string]string) error {
	q, err := svc.Ask(ctx, c.in)
	if err != nil {
		return err
	}
	if c.state == inquiries.StateNew {
		return nil
	}
	if c.state == "spam" {
		_, err := svc.Spam(ctx, q.ID)
		return err
	}
	if _, err := svc.Triage(ctx, q.ID, 0, nil); err != nil {
		return err
	}
	if c.handoff != "" {
		_, err := svc.Handoff(ctx, q.ID, 0, c.handoff)
		return err
	}
	var ids []string
	for _, name := range c.experts {
		ids = append(ids, byName[name])
	}
	if len(ids) > 0 {
		if _, err := svc.Assign(ctx, q.ID, 0, ids); err != nil {
			return err
		}
	}
	if c.answer != "" {
		if _, err := svc.Post(ctx, q.ID, inquiries.MessageInput{Body: c.answer}); err != nil {
			return err
		}
	}
	if c.state == inquiries.StateClosed {
		if c.rating > 0 {
			token, err := svc.TokenFor(ctx, q.ID)
			if err != nil {
				return err
			}
			if _, err := svc.Rate(ctx, token, c.rating, ""); err != nil {
				return err
			}
		}
		_, err := svc.Close(ctx, q.ID)
		return err
	}
	return nil
}
