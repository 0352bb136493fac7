package demo

import (
	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/exchanges"
)

// demoOffer is an offer of the demo and the account that publishes it.
type demoOffer struct {
	key, host string
	exchanges.Offer
}

func demoOffers(day func(int) string) []demoOffer {
	return []demoOffer{
		{"genk", "host.genk@example.org", exchanges.Offer{Kind: "job_shadowing", Topic: "Joint fire and police training at the safety campus (demo)",
			Description:  "Shadow the trainers of a fictitious joint exercise week of fire brigade and police on the Zwartberg training ground.",
			Capabilities: []string{"first-responders.training", "crisis-management"}, Language: "nl", StartsOn: day(-60), EndsOn: day(180), Weeks: 3,
			Place: "Genk", Country: "BE", Facilities: []string{"veiligheidscampus-zwartberg"}, Visibility: access.Alliance}},
		{"kit", "host.kit@example.org", exchanges.Offer{Kind: "visiting_researcher", Topic: "Grid resilience experiments in the energy lab (demo)",
			Description:  "A fictitious research stay on testing how a regional grid recovers after an attack on its control systems.",
			Capabilities: []string{"critical-infrastructure.energy"}, Language: "en", StartsOn: day(-150), EndsOn: day(240), Weeks: 12,
			Place: "Karlsruhe", Country: "DE", Facilities: []string{"kit-energy-lab"}, Visibility: access.Alliance}},
		{"twente", "host.twente@example.org", exchanges.Offer{Kind: "traineeship", Topic: "Safety awareness trainer traineeship (demo)",
			Description:  "Learn to run the fictitious safety-awareness scenes for school classes and adults.",
			Capabilities: []string{"societal-ethics.resilience", "first-responders.training"}, Language: "nl", StartsOn: day(20), EndsOn: day(200), Weeks: 8,
			Place: "Enschede", Country: "NL", Facilities: []string{"riskfactory-twente"}, Visibility: access.Alliance}},
		{"tno", Accounts[2].Email, exchanges.Offer{Kind: "secondment", Topic: "Counter-drone field trials secondment (demo)",
			Description:  "Join a fictitious series of counter-drone sensor trials in a city centre.",
			Capabilities: []string{"drones.counter-drone"}, Language: "en", StartsOn: day(-200), EndsOn: day(300), Weeks: 10,
			Place: "Den Haag", Country: "NL", Visibility: access.Alliance}},
	}
}

// demoRequest is a request of the demo and the account that asks.
type demoRequest struct {
	by string
	exchanges.Request
}

func demoRequests(day func(int) string) []demoRequest {
	return []demoRequest{
		{"guest.sdis13@example.org", exchanges.Request{Topic: "Learn how fire and police train together (demo)", Capabilities: []string{"first-responders.training"},
			Language: "nl", Country: "BE", StartsOn: day(-10), EndsOn: day(60), Visibility: access.Alliance}},
		{"guest.pirkanmaa@example.org", exchanges.Request{Topic: "Bring cold-weather triage experience to a training centre (demo)",
			Capabilities: []string{"first-responders.medical", "first-responders.training"}, Language: "en", StartsOn: day(30), EndsOn: day(120), Visibility: access.Alliance}},
		{Accounts[3].Email, exchanges.Request{Topic: "Test grid recovery after a cyber attack (demo)", Capabilities: []string{"critical-infrastructure.energy"},
			Language: "en", Country: "DE", StartsOn: day(40), EndsOn: day(130), Visibility: access.Cluster}},
	}
}

// demoStay is one application of the demo and how far it went.
type demoStay struct {
	offer, guest, home, host string
	from, to                 int // days from now
	records                  bool
	stage                    int // 0 requested, 1 approved, 2 signed, 3 reported, 4 made into a practices entry
	tasks, supervisor        string
	guestReport, hostReport  string
}

func demoStays() []demoStay {
	return []demoStay{
		{offer: "twente", guest: "guest.pirkanmaa@example.org", home: "admin.pirkanmaa@example.org", host: "host.twente@example.org", from: 40, to: 95, records: true,
			stage: 0, tasks: "Run two safety-awareness scenes; compare them with winter safety training at home.", supervisor: "Demo Trainer Twente"},
		{offer: "kit", guest: Accounts[3].Email, home: Accounts[2].Email, host: "host.kit@example.org", from: 60, to: 140, records: true,
			stage: 1, tasks: "Prepare and run two grid recovery experiments; write up the method.", supervisor: "Demo Researcher KIT"},
		{offer: "genk", guest: "guest.sdis13@example.org", home: "admin.sdis13@example.org", host: "host.genk@example.org", from: -5, to: 16, records: true,
			stage: 2, tasks: "Shadow the trainers of the joint exercise week; take part in the debriefings.", supervisor: "Demo Trainer Genk"},
		{offer: "kit", guest: "guest.sdis13@example.org", home: "admin.sdis13@example.org", host: "host.kit@example.org", from: -120, to: -60, records: true,
			stage: 4, tasks: "Study how the lab's grid model fails over; bring the fire service's view of a blackout.", supervisor: "Demo Researcher KIT",
			guestReport: "The fictitious grid recovered in 40 minutes; the fire service's blackout plan assumed four hours. We adjusted the plan.",
			hostReport:  "The guest's questions about street lighting and water pumps added two scenarios we had not modelled."},
		{offer: "tno", guest: "guest.pirkanmaa@example.org", home: "admin.pirkanmaa@example.org", host: Accounts[2].Email, from: -180, to: -110,
			stage: 3, tasks: "Take part in three counter-drone trials; report how rescue drones can be told apart.", supervisor: "Demo Scientist TNO",
			guestReport: "Our rescue drones were detected by all three sensors; one mistook them for a threat until they sent their identification.",
			hostReport:  "The guest's rescue-drone flights gave the trials realistic friendly traffic."},
	}
}
