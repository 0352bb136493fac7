package demo

import "github.com/escnet/escnet/internal/directory"

func people() []directory.Person {
	var out []directory.Person
	for _, part := range [][]directory.Person{people1(), people2()} {
		out = append(out, part...)
	}
	return out
}

func people1() []directory.Person {
	return []directory.Person{
		// The Hague Security Delta
		{
			Name: "Jan Voorbeeld", Email: "jan.voorbeeld@example.org", OrganisationID: "hsd-foundation",
			Title: "Cluster manager", Expertise: []string{"cybersecurity", "critical-infrastructure"},
			Languages: []string{"nl", "en"}, Listed: true,
		},
		{
			Name: "Demo Person", Email: "demo.person@example.org", OrganisationID: "tno",
			Title: "Senior researcher", Expertise: []string{"cbrne.detection", "crisis-management.situational-awareness"},
			Languages: []string{"nl", "en", "de"}, Listed: true,
		},
		{
			Name: "Anna Testpersoon", Email: "anna.testpersoon@example.org", OrganisationID: "voorbeeld-forensics",
			Title: "Digital forensic investigator", Expertise: []string{"forensics.digital", "crime-terrorism.cybercrime"},
			Languages: []string{"nl", "en"}, Listed: false,
		},

		// SAFE Cluster
		{
			Name: "Marie Exemple", Email: "marie.exemple@example.org", OrganisationID: "region-sud",
			Title: "Innovation officer", Expertise: []string{"crisis-management.natural-hazards", "crisis-management"},
			Languages: []string{"fr", "en"}, Listed: true,
		},
		{
			Name: "Pierre Exemple", Email: "pierre.exemple@example.org", OrganisationID: "sdis-13",
			Title: "Fire officer", Expertise: []string{"first-responders.firefighting", "drones"},
			Languages: []string{"fr"}, Listed: true,
		},

		// CenSec
		{
			Name: "Jens Eksempel", Email: "jens.eksempel@example.org", OrganisationID: "eksempel-maritime",
			Title: "Business developer", Expertise: []string{"border-security.maritime", "border-security.surveillance"},
			Languages: []string{"da", "en"}, Listed: true,
		},
		{
			Name: "Karen Eksempel", Email: "karen.eksempel@example.org", OrganisationID: "aarhus-university",
			Title: "Associate professor", Expertise: []string{"cybersecurity.cryptology", "drones.autonomy"},
			Languages: []string{"da", "en", "de"}, Listed: true,
		},

		// Tampere Safety and Security
		{
			Name: "Matti Meikäläinen", Email: "matti.meikalainen@example.org", OrganisationID: "pirkanmaa-rescue-department",
			Title: "Fire officer", Expertise: []string{"first-responders.firefighting", "first-responders.training"},
			Languages: []string{"fi", "sv", "en"}, Listed: true,
		},
		{
			Name: "Maija Meikäläinen", Email: "maija.meikalainen@example.org", OrganisationID: "tampere-university",
			Title: "Researcher", Expertise: []string{"crisis-management.emergency-communication"},
			Languages: []string{"fi", "en"}, Listed: true,
		},
		{
			Name: "Teemu Testaaja", Email: "teemu.testaaja@example.com", OrganisationID: "esimerkki-secure",
			Title: "Chief technology officer", Expertise: []string{"cybersecurity.education-training", "critical-infrastructure.energy"},
			Languages: []string{"fi", "en"}, Listed: false,
		},

		// KIT
		{
			Name: "Erika Mustermann", Email: "erika.mustermann@example.org", OrganisationID: "karlsruhe-institute-of-technology",
			Title: "Researcher", Expertise: []string{"critical-infrastructure.resilience", "crisis-management.early-warning"},
			Languages: []string{"de", "en"}, Listed: true,
		},
		{
			Name: "Max Mustermann", Email: "max.mustermann@example.org", OrganisationID: "branddirektion-karlsruhe",
			Title: "Fire officer", Expertise: []string{"first-responders.firefighting", "cbrne.decontamination"},
			Languages: []string{"de"}, Listed: true,
		},

		// Munich Security Cluster
		{
			Name: "Moritz Muster", Email: "moritz.muster@example.org", OrganisationID: "fraunhofer",
			Title: "Research group leader", Expertise: []string{"cybersecurity.software-hardware-security"},
			Languages: []string{"de", "en"}, Listed: true,
		},
		{
			Name: "Otto Normalverbraucher", Email: "otto.normalverbraucher@example.org", OrganisationID: "polizeipraesidium-muenchen",
			Title: "Police innovation officer", Expertise: []string{"crime-terrorism.cybercrime", "forensics.crime-scene"},
			Languages: []string{"de", "en"}, Listed: true,
		},
	}
}

func people2() []directory.Person {
	return []directory.Person{
		{
			Name: "Hans Beispiel", Email: "hans.beispiel@example.com", OrganisationID: "muster-cyber",
			Title: "Security engineer", Expertise: []string{"cybersecurity.identity-management", "cybersecurity.cryptology"},
			Languages: []string{"de", "en", "fr"}, Listed: true,
		},

		// Flanders.ISSN
		{
			Name: "Lies Voorbeeld", Email: "lies.voorbeeld@example.org", OrganisationID: "innos",
			Title: "Cluster coordinator", Expertise: []string{"crime-terrorism.public-spaces", "societal-ethics.trust"},
			Languages: []string{"nl", "fr", "en"}, Listed: true,
		},
		{
			Name: "Jef Proef", Email: "jef.proef@example.org", OrganisationID: "ziekenhuis-oost-limburg",
			Title: "Emergency physician", Expertise: []string{"first-responders.medical"},
			Languages: []string{"nl", "en"}, Listed: true,
		},

		// Twente Safety & Security
		{
			Name: "Jane Doe", Email: "jane.doe@example.org", OrganisationID: "twente-airport",
			Title: "Drone programme manager", Expertise: []string{"drones.testing", "drones.counter-drone"},
			Languages: []string{"en", "nl"}, Listed: true,
		},
		{
			Name: "John Doe", Email: "john.doe@example.net", OrganisationID: "university-of-twente",
			Title: "PhD researcher", Expertise: []string{"drones.autonomy", "societal-ethics.ethics"},
			Languages: []string{"en"}, Listed: false,
		},
		{
			Name: "Kees Proefpersoon", Email: "kees.proefpersoon@example.org", OrganisationID: "veiligheidsregio-twente",
			Title: "Fire officer", Expertise: []string{"first-responders.training", "societal-ethics.resilience"},
			Languages: []string{"nl", "de"}, Listed: true,
		},
	}
}
