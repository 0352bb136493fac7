package demo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// The demonstration events: the three meetings the alliance grew from
// (the North America Room workshop, the international workshop in The
// Hague on 26 November 2015, the second international meeting at the HSD
// Campus on 1–2 June 2016), a training at the Riskfactory with recurring
// sessions, and an upcoming brokerage day with 60 fictitious attendees
// and their meeting requests.

var allClusters = []string{"hsd", "safe-cluster", "censec", "tampere-safety-security", "kit", "munich-security-cluster"}

func seedEvents() []events.EventInput {
	return []events.EventInput{
		{Slug: "workshop-strengthening-cooperation", Kind: events.KindWorkshop, Language: "en",
			Title: "Workshop: Strengthening cooperation between European Security Clusters",
			Description: "The Hague Security Delta and the clusters in France (SAFE Cluster), Denmark (CenSec), Finland (Tampere), " +
				"and Germany (KIT, Munich) explain the goals, aims and activities of their cooperation; other clusters, regions and " +
				"stakeholders are invited to join the discussion on how they can take part and enlarge the initiative. " +
				"(The source gives the time and the room; the date shown here is illustrative.)",
			Organisers: allClusters, VenueKind: events.VenueAddress, Venue: "North America Room", TimeZone: "Europe/Amsterdam",
			StartsAt: "2015-10-13T14:00", EndsAt: "2015-10-13T15:00", Visibility: "public", Capabilities: []string{}},
		{Slug: "international-workshop-the-hague-2015", Kind: events.KindWorkshop, Language: "en",
			Title:       "International workshop of European security clusters",
			Description: "International workshop in The Hague; Pôle Risques sent a delegation and recruited further partners, among them from Denmark. (Times illustrative.)",
			Translations: map[string]events.Text{"nl": {Title: "Internationale workshop van Europese veiligheidsclusters",
				Description: "Internationale workshop in Den Haag; Pôle Risques stuurde een afvaardiging en wierf verdere partners, onder meer uit Denemarken."}},
			Organisers: []string{"hsd"}, VenueKind: events.VenueAddress, Venue: "The Hague", TimeZone: "Europe/Amsterdam",
			StartsAt: "2015-11-26T09:30", EndsAt: "2015-11-26T17:00", Visibility: "public"},
		{Slug: "second-international-meeting-2016", Kind: events.KindMeeting, Language: "en",
			Title:       "Second international meeting of the European security clusters",
			Description: "French, German, Finnish, Danish and Estonian innovation clusters met at the HSD Campus, signed a Letter of Commitment and developed a roadmap for joint (lobby) activities.",
			Translations: map[string]events.Text{"nl": {Title: "Tweede internationale meeting van de Europese veiligheidsclusters",
				Description: "Franse, Duitse, Finse, Deense en Estse innovatieclusters kwamen bijeen op de HSD Campus, tekenden een Letter of Commitment en ontwikkelden een roadmap voor gezamenlijke (lobby)activiteiten."}},
			Organisers: []string{"hsd"}, VenueKind: events.VenueFacility, FacilityID: "hsd-campus",
			StartsAt: "2016-06-01T09:00", EndsAt: "2016-06-02T16:00", Visibility: "public"},
	}
}

// demoAttendees is the number of fictitious attendees of the brokerage day.
const demoAttendees = 60

// fictitious answers the brokerage attendees' names: they are not
// accounts, and are obviously made up.
type fictitious struct{ accounts events.Users }

func attendeeID(i int) string { return fmt.Sprintf("demo-attendee-%02d", i+1) }

func (f fictitious) GetUser(ctx context.Context, id string) (accounts.User, error) {
	var n int
	if _, err := fmt.Sscanf(id, "demo-attendee-%d", &n); err == nil {
		return accounts.User{ID: id, Name: fmt.Sprintf("Demo Attendee %02d (fictitious)", n), Email: fmt.Sprintf("attendee%02d@example.org", n)}, nil
	}
	return f.accounts.GetUser(ctx, id)
}

// LoadEvents writes the demonstration events through the events rules;
// now dates the upcoming ones. Notices go nowhere.
func LoadEvents(ctx context.Context, db *sqlstore.DB, now time.Time) (int, error) {
	ctx = audit.WithActor(access.AsSystem(ctx), audit.Actor{Label: "demo"})
	svc := events.NewService(db, db, fictitious{db}, mail.Log{Logger: slog.New(slog.DiscardHandler)}, events.Config{Now: func() time.Time { return now }})
	n := 0
	for _, in := range seedEvents() {
		e, err := svc.CreateEvent(ctx, in)
		if err != nil {
			return n, fmt.Errorf("demo event %s: %w", in.Slug, err)
		}
		n++
		if e.Slug == "second-international-meeting-2016" {
			for _, s := range []events.SessionInput{
				{Title: "Signing of the Letter of Commitment", StartsAt: "2016-06-01T11:00", EndsAt: "2016-06-01T12:00",
					Speakers: []events.Speaker{{Name: "Representatives of the clusters"}}},
				{Title: "Roadmap for joint (lobby) activities", StartsAt: "2016-06-02T09:30", EndsAt: "2016-06-02T12:30"},
			} {
				if _, err := svc.AddSession(ctx, e.ID, s); err != nil {
					return n, fmt.Errorf("demo session %s: %w", s.Title, err)
				}
			}
		}
	}
	if err := loadTraining(ctx, svc, now); err != nil {
		return n, err
	}
	n++
	if err := loadBrokerage(ctx, db, svc, now); err != nil {
		return n, err
	}
	return n + 1, nil
}

// day returns the date of the first weekday at least d days after now.
func day(now time.Time, d int) time.Time {
	t := now.AddDate(0, 0, d)
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func loadTraining(ctx context.Context, svc *events.Service, now time.Time) error {
	first := day(now, 14)
	last := first.AddDate(0, 0, 21)
	e, err := svc.CreateEvent(ctx, events.EventInput{Slug: "riskfactory-safety-awareness-training", Kind: events.KindTraining, Language: "nl",
		Title:       "Veiligheidsbewustzijn in de Riskfactory",
		Description: "Training voor professionals in realistische scènes (keukenbrand, verkeer, rook), met een begeleider van de brandweer.",
		Translations: map[string]events.Text{"en": {Title: "Safety awareness at the Riskfactory",
			Description: "Training for professionals in realistic scenes (kitchen fire, traffic, smoke), guided by the fire brigade."}},
		Organisers: []string{"twente-safety-security"}, VenueKind: events.VenueFacility, FacilityID: "riskfactory-twente",
		StartsAt: first.Format("2006-01-02") + "T09:00", EndsAt: last.Format("2006-01-02") + "T12:00", Visibility: "alliance",
		Capacity: 30, Waitlist: true, Audience: "Professionals of municipalities, care and education", Level: "introductory",
		Questions: []events.Question{{ID: "organisation-type", Label: "Type of organisation", Choices: []string{"municipality", "care", "education", "other"}}}})
	if err != nil {
		return fmt.Errorf("demo training: %w", err)
	}
	// A weekly session, four times: one repeating session.
	d := first.Format("2006-01-02")
	if _, err := svc.AddSession(ctx, e.ID, events.SessionInput{Title: "Session", Room: "Riskfactory",
		StartsAt: d + "T09:00", EndsAt: d + "T12:00", Capacity: 30, Repeat: &events.Repeat{Freq: events.RepeatWeekly, Count: 4}}); err != nil {
		return fmt.Errorf("demo training session: %w", err)
	}
	return nil
}

// loadBrokerage makes the upcoming brokerage day: 60 fictitious attendees,
// each asking three others for a meeting; most are accepted, some
// declined, some still open; the scheduler has run once.
func loadBrokerage(ctx context.Context, db *sqlstore.DB, svc *events.Service, now time.Time) error {
	d := day(now, 45).Format("2006-01-02")
	e, err := svc.CreateEvent(ctx, events.EventInput{Slug: "security-brokerage-day", Kind: events.KindMeeting, Language: "en",
		Title:       "Security innovation brokerage day (demonstration)",
		Description: "1:1 meetings between companies, knowledge institutions and practitioners of the alliance's clusters. Every attendee here is fictitious.",
		Organisers:  []string{"hsd", "twente-safety-security"}, VenueKind: events.VenueFacility, FacilityID: "hsd-campus",
		StartsAt: d + "T09:00", EndsAt: d + "T17:30", Visibility: "alliance", Capacity: 120, Waitlist: true,
		Brokerage: &events.Brokerage{Days: []events.MeetingDay{{Date: d, Start: "09:30", End: "17:00"}}, SlotMinutes: 30,
			Breaks: []events.Break{{Start: "12:30", End: "13:30"}}, Tables: 12, Cap: 8}})
	if err != nil {
		return fmt.Errorf("demo brokerage day: %w", err)
	}
	// The fictitious attendees act for organisations of the demonstration
	// directory, so that the partner finder can suggest whom to meet.
	orgs, err := db.ListOrganisations(ctx, directory.Filter{Limit: demoAttendees, NoCounts: true})
	if err != nil {
		return fmt.Errorf("demo brokerage organisations: %w", err)
	}
	offers := []string{"drone detection", "cyber range exercises", "crowd monitoring", "forensic data analysis", "secure communications", "CBRN sensors"}
	regs := make([]events.Registration, demoAttendees)
	as := func(i int) context.Context {
		v := access.Viewer{UserID: attendeeID(i), WriteAllowed: true}
		if len(orgs.Items) > 0 {
			v.OrganisationID = orgs.Items[i%len(orgs.Items)].ID
		}
		return access.WithViewer(ctx, v)
	}
	for i := range demoAttendees {
		r, err := svc.Register(as(i), e.ID, events.RegisterInput{ShareOrg: i%2 == 0, Offer: offers[i%len(offers)], Seek: offers[(i+2)%len(offers)]})
		if err != nil {
			return fmt.Errorf("demo attendee %d: %w", i+1, err)
		}
		regs[i] = r
	}
	for i := range demoAttendees {
		for k, step := range []int{7, 19, 31} {
			j := (i + step) % demoAttendees
			m, err := svc.RequestMeeting(as(i), e.ID, events.MeetingInput{To: regs[j].ID, Message: "Shall we talk about " + offers[j%len(offers)] + "?"})
			if err != nil {
				continue // the pair already asked the other way round
			}
			status := events.MeetingAccepted
			switch (i + k) % 6 {
			case 4:
				status = events.MeetingDeclined
			case 5:
				continue // still open
			}
			if _, err := svc.RespondMeeting(as(j), m.ID, status, 0); err != nil {
				continue // the other side already holds as many meetings as the day allows
			}
		}
	}
	if _, err := svc.Schedule(ctx, e.ID); err != nil {
		return fmt.Errorf("demo brokerage schedule: %w", err)
	}
	return nil
}
