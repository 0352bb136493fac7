package demo

import "github.com/escnet/escnet/internal/directory"

func facilities() []directory.Facility {
	var out []directory.Facility
	for _, part := range [][]directory.Facility{facilities1()} {
		out = append(out, part...)
	}
	return out
}

func facilities1() []directory.Facility {
	return []directory.Facility{
		{
			Slug: "hsd-campus", Name: "HSD Campus", Kind: "campus",
			OrganisationID: "hsd-foundation", ClusterID: "hsd",
			Country: "NL", City: "The Hague", Website: "https://securitydelta.nl",
			Description: "Meeting and working place of the Dutch security cluster in The Hague, with offices, " +
				"meeting rooms and labs for partners. Venue of the second international meeting of the " +
				"European security clusters on 1–2 June 2016.",
			Capabilities: []string{"cybersecurity", "forensics", "cybersecurity.education-training"},
		},
		{
			Slug: "twente-airport-drone-centre", Name: "Drone test and training centre Twente Airport", Kind: "test_range",
			OrganisationID: "twente-airport", ClusterID: "twente-safety-security",
			Country: "NL", City: "Enschede", Website: "https://www.twenteairport.nl",
			Description: "(Inter)national research, development, test and training centre for drone applications " +
				"and drone safety and security on the grounds of Twente Airport.",
			Capabilities: []string{"drones.testing", "drones.counter-drone", "drones.autonomy", "first-responders.training"},
		},
		{
			Slug: "riskfactory-twente", Name: "Riskfactory Twente", Kind: "training_ground",
			OrganisationID: "veiligheidsregio-twente", ClusterID: "twente-safety-security",
			Country: "NL", City: "Enschede", Website: "https://www.vrtwente.nl",
			Description: "Safety-awareness experience centre of the fire brigade on the Twente Safety Campus, " +
				"where school children and adults learn to recognise and handle everyday risks in realistic scenes.",
			Capabilities: []string{"societal-ethics.resilience", "first-responders.training", "crisis-management"},
		},
		{
			Slug: "veiligheidscampus-zwartberg", Name: "Veiligheidscampus Zwartberg", Kind: "training_ground",
			OrganisationID: "stad-genk", ClusterID: "flanders-issn",
			Country: "BE", City: "Genk", Website: "https://www.genk.be",
			Description: "Safety campus and expertise centre in Genk, developed in 2014–2015 on the initiative of the " +
				"city of Genk and the Province of Limburg, with training grounds for fire brigade and police.",
			Capabilities: []string{"first-responders.training", "first-responders.firefighting",
				"crime-terrorism.public-spaces"},
		},
		{
			Slug: "esimerkki-cyber-range", Name: "Esimerkki Cyber Range", Kind: "cyber_range",
			OrganisationID: "esimerkki-secure", ClusterID: "tampere-safety-security",
			Country: "FI", City: "Tampere", Website: "https://esimerkki-secure.example",
			Description: "Fictitious demonstration cyber range with replicas of industrial control systems for " +
				"exercises by operators and public safety authorities.",
			Capabilities: []string{"cybersecurity.education-training", "cybersecurity.incident-handling-forensics",
				"critical-infrastructure.energy"},
		},
		{
			Slug: "kit-energy-lab", Name: "Energy Lab 2.0", Kind: "laboratory",
			OrganisationID: "karlsruhe-institute-of-technology", ClusterID: "kit",
			Country: "DE", City: "Eggenstein-Leopoldshafen", Website: "https://www.kit.edu",
			Description: "Research infrastructure at KIT Campus North for testing how smart energy systems and " +
				"grids cope with disturbances.",
			Capabilities: []string{"critical-infrastructure.energy", "critical-infrastructure.resilience"},
		},
		{
			Slug: "eksempel-drone-test-field", Name: "Eksempel Drone Test Field", Kind: "test_range",
			OrganisationID: "eksempel-robotics", ClusterID: "censec",
			Country: "DK", City: "Karup", Website: "https://eksempel-robotics.example",
			Description: "Fictitious demonstration outdoor test field for unmanned ground and aerial vehicles, " +
				"including scenarios with simulated hazardous substances.",
			Capabilities: []string{"drones.testing", "cbrne.detection"},
		},
	}
}
