package demo

import "github.com/escnet/escnet/internal/directory"

func member(cluster, role string, since directory.Date) directory.Membership {
	return directory.Membership{ClusterID: cluster, Role: role, Since: since}
}

const (
	founder = directory.MemberRoleFounder
	regular = directory.MemberRoleMember
	partner = directory.MemberRolePartner
)

func organisations() []directory.Organisation {
	var out []directory.Organisation
	for _, part := range [][]directory.Organisation{organisations1(), organisations2(), organisations3(), organisations4(), organisations5(), organisations6()} {
		out = append(out, part...)
	}
	return out
}

func organisations1() []directory.Organisation {
	return []directory.Organisation{
		// The Hague Security Delta
		{
			Slug: "hsd-foundation", Name: "Stichting The Hague Security Delta", ShortName: "HSD",
			Kind: directory.KindOther, PractitionerRoles: []string{},
			Country: "NL", City: "The Hague", Website: "https://securitydelta.nl",
			Description: "Foundation that runs the HSD cluster office and the HSD Campus, and coordinates the " +
				"cooperation between European security clusters.",
			Capabilities: []string{"cybersecurity", "critical-infrastructure", "forensics"},
			Memberships:  []directory.Membership{member("hsd", founder, "2013-01-01")},
		},
		{
			Slug: "tno", Name: "Netherlands Organisation for Applied Scientific Research TNO", ShortName: "TNO",
			Kind: directory.KindResearch, PractitionerRoles: []string{},
			Country: "NL", City: "The Hague", Website: "https://www.tno.nl",
			Description: "Independent Dutch research organisation with a large defence, safety and security " +
				"unit in The Hague. Co-financier of the European cluster cooperation and part of the delegation " +
				"that visited Pôle Risques in 2015.",
			Capabilities: []string{"cybersecurity", "cbrne.detection", "critical-infrastructure.resilience",
				"crisis-management.situational-awareness", "forensics"},
			Memberships: []directory.Membership{
				member("hsd", founder, "2013-01-01"),
				member("safe-cluster", partner, "2015-09-15"),
			},
		},
		{
			Slug: "kpn", Name: "KPN", ShortName: "KPN",
			Kind: directory.KindCompany, PractitionerRoles: []string{directory.RoleCriticalInfrastructure},
			Country: "NL", City: "Rotterdam", Website: "https://www.kpn.com",
			Description: "Dutch telecommunications and IT provider operating national fixed and mobile networks, " +
				"including networks used by emergency services.",
			Capabilities: []string{"cybersecurity.network-distributed-systems", "cybersecurity.incident-handling-forensics",
				"critical-infrastructure", "crisis-management.emergency-communication"},
			Memberships: []directory.Membership{member("hsd", founder, "2013-01-01")},
		},
		{
			Slug: "tu-delft", Name: "Delft University of Technology", ShortName: "TU Delft",
			Kind: directory.KindHigherEducation, PractitionerRoles: []string{},
			Country: "NL", City: "Delft", Website: "https://www.tudelft.nl",
			Description: "Technical university with research on cyber security, the resilience of infrastructures " +
				"and the governance of security.",
			Capabilities: []string{"cybersecurity.software-hardware-security", "cybersecurity.security-management-governance",
				"critical-infrastructure.resilience", "societal-ethics.ethics"},
			Memberships: []directory.Membership{member("hsd", founder, "2013-01-01")},
		},
		{
			Slug: "gemeente-den-haag", Name: "Gemeente Den Haag", ShortName: "Den Haag",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePublicProcurer, directory.ActorLocalAuthority},
			Country: "NL", City: "The Hague", Website: "https://www.denhaag.nl",
			Description: "Municipality of The Hague, one of the three initiators of the European cluster cooperation " +
				"and co-financier of the follow-up from 2016.",
			Capabilities: []string{"crime-terrorism.public-spaces", "crisis-management", "societal-ethics.trust"},
			Memberships:  []directory.Membership{member("hsd", founder, "2013-01-01")},
		},
		{
			Slug: "ministerie-van-justitie-en-veiligheid", Name: "Ministerie van Justitie en Veiligheid", ShortName: "JenV",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePublicProcurer},
			Country: "NL", City: "The Hague", Website: "https://www.rijksoverheid.nl/ministeries/ministerie-van-justitie-en-veiligheid",
			Description: "Dutch Ministry of Justice and Security, responsible for police, crisis management and " +
				"national counter-terrorism policy.",
			Capabilities: []string{"crisis-management", "crime-terrorism", "cybersecurity.security-management-governance"},
			Memberships:  []directory.Membership{member("hsd", regular, "2014-03-01")},
		},
		{
			Slug: "voorbeeld-forensics", Name: "Voorbeeld Forensics B.V.",
			Kind: directory.KindCompany, SME: true, PractitionerRoles: []string{},
			Country: "NL", City: "The Hague", Website: "https://voorbeeld-forensics.example",
			Description: "Fictitious demonstration SME offering digital forensics and incident response for " +
				"municipalities and small businesses.",
			Capabilities: []string{"forensics.digital", "cybersecurity.incident-handling-forensics", "crime-terrorism.cybercrime"},
			Memberships:  []directory.Membership{member("hsd", regular, "2016-09-01")},
		},

		// SAFE Cluster
		{
			Slug: "region-sud", Name: "Région Sud Provence-Alpes-Côte d'Azur", ShortName: "Région Sud",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePublicProcurer, directory.ActorLocalAuthority},
			Country: "FR", City: "Marseille", Website: "https://www.maregionsud.fr",
			Description: "Regional council of Provence-Alpes-Côte d'Azur, which supports the safety and security " +
				"cluster as part of its smart specialisation strategy.",
			Capabilities: []string{"crisis-management.natural-hazards", "crisis-management", "critical-infrastructure"},
			Memberships:  []directory.Membership{member("safe-cluster", founder, "2005-07-12")},
		},
	}
}

func organisations2() []directory.Organisation {
	return []directory.Organisation{
		{
			Slug: "sdis-13", Name: "Service départemental d'incendie et de secours des Bouches-du-Rhône", ShortName: "SDIS 13",
			Kind:              directory.KindPublicBody,
			PractitionerRoles: []string{directory.RoleFirstResponder, directory.RoleCivilProtection},
			Country:           "FR", City: "Marseille", Website: "https://www.sdis13.fr",
			Description: "Fire and rescue service of the Bouches-du-Rhône department, fighting forest fires and " +
				"responding to industrial accidents.",
			Capabilities: []string{"first-responders.firefighting", "crisis-management.natural-hazards",
				"first-responders.training"},
			Memberships: []directory.Membership{member("safe-cluster", regular, "2010-01-01")},
		},
		{
			Slug: "aix-marseille-universite", Name: "Aix-Marseille Université", ShortName: "AMU",
			Kind: directory.KindHigherEducation, PractitionerRoles: []string{},
			Country: "FR", City: "Marseille", Website: "https://www.univ-amu.fr",
			Description: "Large multidisciplinary university with research on natural hazards, risk management and " +
				"computer security.",
			Capabilities: []string{"crisis-management.natural-hazards", "crisis-management.early-warning",
				"cybersecurity.cryptology"},
			Memberships: []directory.Membership{member("safe-cluster", founder, "2005-07-12")},
		},
		{
			Slug: "exemple-drones", Name: "Exemple Drones SAS",
			Kind: directory.KindCompany, SME: true, PractitionerRoles: []string{},
			Country: "FR", City: "Aix-en-Provence", Website: "https://exemple-drones.example",
			Description: "Fictitious demonstration SME building drones for forest-fire monitoring and damage " +
				"assessment after floods.",
			Capabilities: []string{"drones", "drones.autonomy", "crisis-management.situational-awareness"},
			Memberships:  []directory.Membership{member("safe-cluster", regular, "2014-04-01")},
		},
		{
			Slug: "exemple-reseaux", Name: "Exemple Réseaux SA",
			Kind: directory.KindCompany, PractitionerRoles: []string{directory.RoleCriticalInfrastructure},
			Country: "FR", City: "Marseille", Website: "https://exemple-reseaux.example",
			Description: "Fictitious demonstration operator of regional electricity and water networks.",
			Capabilities: []string{"critical-infrastructure.energy", "critical-infrastructure.water",
				"critical-infrastructure.resilience"},
			Memberships: []directory.Membership{member("safe-cluster", regular, "2012-06-01")},
		},

		// CenSec
		{
			Slug: "eksempel-maritime", Name: "Eksempel Maritime ApS",
			Kind: directory.KindCompany, SME: true, PractitionerRoles: []string{},
			Country: "DK", City: "Esbjerg", Website: "https://eksempel-maritime.example",
			Description:  "Fictitious demonstration SME making radar and camera systems for coastal and offshore surveillance.",
			Capabilities: []string{"border-security.maritime", "border-security.surveillance"},
			Memberships:  []directory.Membership{member("censec", founder, "2009-01-01")},
		},
		{
			Slug: "eksempel-robotics", Name: "Eksempel Robotics A/S",
			Kind: directory.KindCompany, SME: true, PractitionerRoles: []string{},
			Country: "DK", City: "Karup", Website: "https://eksempel-robotics.example",
			Description: "Fictitious demonstration SME developing unmanned ground and aerial vehicles for " +
				"reconnaissance in hazardous environments.",
			Capabilities: []string{"drones", "drones.testing", "cbrne.detection", "first-responders.equipment"},
			Memberships:  []directory.Membership{member("censec", regular, "2012-05-01")},
		},
		{
			Slug: "aarhus-university", Name: "Aarhus University", ShortName: "AU",
			Kind: directory.KindHigherEducation, PractitionerRoles: []string{},
			Country: "DK", City: "Aarhus", Website: "https://www.au.dk",
			Description:  "University with research in engineering, computer science and security of cyber-physical systems.",
			Capabilities: []string{"cybersecurity.cryptology", "cybersecurity.software-hardware-security", "drones.autonomy"},
			Memberships:  []directory.Membership{member("censec", regular, "2011-01-01")},
		},
		{
			Slug: "viborg-kommune", Name: "Viborg Kommune",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePublicProcurer, directory.ActorLocalAuthority},
			Country: "DK", City: "Viborg", Website: "https://viborg.dk",
			Description:  "Municipality in Central Denmark that includes Karup and supports the cluster's business development.",
			Capabilities: []string{"crisis-management", "critical-infrastructure"},
			Memberships:  []directory.Membership{member("censec", founder, "2009-01-01")},
		},
		{
			Slug: "beredskabsstyrelsen", Name: "Beredskabsstyrelsen", ShortName: "DEMA",
			Kind:              directory.KindPublicBody,
			PractitionerRoles: []string{directory.RoleCivilProtection, directory.RoleFirstResponder},
			Country:           "DK", City: "Birkerød", Website: "https://www.brs.dk",
			Description: "Danish Emergency Management Agency, responsible for national civil protection and rescue " +
				"preparedness, including CBRN response.",
			Capabilities: []string{"cbrne", "cbrne.decontamination", "first-responders", "crisis-management"},
			Memberships:  []directory.Membership{member("censec", partner, "2016-10-01")},
		},
	}
}

func organisations3() []directory.Organisation {
	return []directory.Organisation{
		{
			Slug: "region-midtjylland", Name: "Region Midtjylland", ShortName: "Central Denmark Region",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RoleMedicalEmergency, directory.ActorLocalAuthority},
			Country: "DK", City: "Viborg", Website: "https://www.rm.dk",
			Description:  "Regional authority of Central Denmark, which runs hospitals and prehospital emergency care.",
			Capabilities: []string{"first-responders.medical", "crisis-management.emergency-communication"},
			Memberships:  []directory.Membership{member("censec", regular, "2014-02-01")},
		},

		// Tampere Safety and Security
		{
			Slug: "tampere-university", Name: "Tampere University", ShortName: "TAU",
			Kind: directory.KindHigherEducation, PractitionerRoles: []string{},
			Country: "FI", City: "Tampere", Website: "https://www.tuni.fi",
			Description: "University with research on public safety communications, industrial cyber security " +
				"and crisis management.",
			Capabilities: []string{"crisis-management.emergency-communication", "cybersecurity.network-distributed-systems",
				"cybersecurity.education-training"},
			Memberships: []directory.Membership{member("tampere-safety-security", founder, "2014-01-01")},
		},
		{
			Slug: "vtt", Name: "VTT Technical Research Centre of Finland", ShortName: "VTT",
			Kind: directory.KindResearch, PractitionerRoles: []string{},
			Country: "FI", City: "Tampere", Website: "https://www.vttresearch.com",
			Description: "Finnish state-owned research organisation with a site in Tampere working on industrial " +
				"safety, situational awareness and security of critical infrastructure.",
			Capabilities: []string{"crisis-management.situational-awareness", "critical-infrastructure.resilience",
				"cybersecurity.software-hardware-security"},
			Memberships: []directory.Membership{member("tampere-safety-security", founder, "2014-01-01")},
		},
		{
			Slug: "city-of-tampere", Name: "City of Tampere", ShortName: "Tampereen kaupunki",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePublicProcurer, directory.ActorLocalAuthority},
			Country: "FI", City: "Tampere", Website: "https://www.tampere.fi",
			Description:  "Municipality of Tampere, buyer of smart-city and public safety solutions.",
			Capabilities: []string{"crime-terrorism.public-spaces", "crisis-management"},
			Memberships:  []directory.Membership{member("tampere-safety-security", founder, "2014-01-01")},
		},
		{
			Slug: "pirkanmaa-rescue-department", Name: "Pirkanmaa Rescue Department", ShortName: "Pirkanmaan pelastuslaitos",
			Kind:              directory.KindPublicBody,
			PractitionerRoles: []string{directory.RoleFirstResponder, directory.RoleCivilProtection},
			Country:           "FI", City: "Tampere", Website: "https://www.pirkanmaanpelastuslaitos.fi",
			Description:  "Regional fire and rescue service of the Pirkanmaa region.",
			Capabilities: []string{"first-responders.firefighting", "first-responders.training", "first-responders.equipment"},
			Memberships:  []directory.Membership{member("tampere-safety-security", regular, "2015-03-01")},
		},
		{
			Slug: "esimerkki-secure", Name: "Esimerkki Secure Oy",
			Kind: directory.KindCompany, SME: true, PractitionerRoles: []string{},
			Country: "FI", City: "Tampere", Website: "https://esimerkki-secure.example",
			Description: "Fictitious demonstration SME running cyber exercises and protecting industrial control systems.",
			Capabilities: []string{"cybersecurity.education-training", "cybersecurity.incident-handling-forensics",
				"critical-infrastructure.energy"},
			Memberships: []directory.Membership{member("tampere-safety-security", regular, "2015-09-01")},
		},
		{
			Slug: "finnish-customs", Name: "Finnish Customs", ShortName: "Tulli",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RoleCustoms},
			Country: "FI", City: "Helsinki", Website: "https://tulli.fi",
			Description:  "National customs authority, interested in detection technology and document checks.",
			Capabilities: []string{"border-security.document-fraud", "cbrne.detection", "crime-terrorism.intelligence-analysis"},
			Memberships:  []directory.Membership{member("tampere-safety-security", partner, "2017-02-01")},
		},

		// KIT
		{
			Slug: "karlsruhe-institute-of-technology", Name: "Karlsruhe Institute of Technology", ShortName: "KIT",
			Kind: directory.KindHigherEducation, PractitionerRoles: []string{},
			Country: "DE", City: "Karlsruhe", Website: "https://www.kit.edu",
			Description: "University and national research centre of the Helmholtz Association; its security " +
				"research centre represents the Karlsruhe region in the alliance.",
			Capabilities: []string{"critical-infrastructure.resilience", "crisis-management.early-warning",
				"crisis-management.natural-hazards", "cybersecurity.cryptology", "societal-ethics.ethics"},
			Memberships: []directory.Membership{member("kit", founder, "2015-01-01")},
		},
	}
}

func organisations4() []directory.Organisation {
	return []directory.Organisation{
		{
			Slug: "fraunhofer", Name: "Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.", ShortName: "Fraunhofer",
			Kind: directory.KindResearch, PractitionerRoles: []string{},
			Country: "DE", City: "Munich", Website: "https://www.fraunhofer.de", PIC: "999984059",
			Description: "Applied research organisation headquartered in Munich, with security institutes in " +
				"the Munich and Karlsruhe regions.",
			Capabilities: []string{"cybersecurity", "cybersecurity.software-hardware-security",
				"crisis-management.situational-awareness", "border-security.surveillance"},
			Memberships: []directory.Membership{
				member("munich-security-cluster", founder, "2014-01-01"),
				member("kit", regular, "2015-01-01"),
			},
		},
		{
			Slug: "stadt-karlsruhe", Name: "Stadt Karlsruhe",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePublicProcurer, directory.ActorLocalAuthority},
			Country: "DE", City: "Karlsruhe", Website: "https://www.karlsruhe.de",
			Description:  "City of Karlsruhe, which procures safety solutions for public spaces and events.",
			Capabilities: []string{"crime-terrorism.public-spaces", "critical-infrastructure.transport"},
			Memberships:  []directory.Membership{member("kit", regular, "2015-06-01")},
		},
		{
			Slug: "branddirektion-karlsruhe", Name: "Branddirektion Karlsruhe", ShortName: "Feuerwehr Karlsruhe",
			Kind:              directory.KindPublicBody,
			PractitionerRoles: []string{directory.RoleFirstResponder, directory.RoleMedicalEmergency},
			Country:           "DE", City: "Karlsruhe", Website: "https://www.karlsruhe.de",
			Description:  "Fire and rescue service of the city of Karlsruhe, partner in field trials of new equipment.",
			Capabilities: []string{"first-responders.firefighting", "first-responders.equipment", "cbrne.decontamination"},
			Memberships:  []directory.Membership{member("kit", regular, "2015-06-01")},
		},
		{
			Slug: "beispiel-sensorik", Name: "Beispiel Sensorik GmbH",
			Kind: directory.KindCompany, SME: true, PractitionerRoles: []string{},
			Country: "DE", City: "Karlsruhe", Website: "https://beispiel-sensorik.example",
			Description:  "Fictitious demonstration SME, a spin-off making portable sensors for hazardous substances.",
			Capabilities: []string{"cbrne.detection", "cbrne.explosives"},
			Memberships:  []directory.Membership{member("kit", regular, "2016-01-15")},
		},
		{
			Slug: "beispiel-energie", Name: "Beispiel Energie AG",
			Kind: directory.KindCompany, PractitionerRoles: []string{directory.RoleCriticalInfrastructure},
			Country: "DE", City: "Karlsruhe", Website: "https://beispiel-energie.example",
			Description:  "Fictitious demonstration energy utility operating power grids in Baden-Württemberg.",
			Capabilities: []string{"critical-infrastructure.energy", "critical-infrastructure.resilience"},
			Memberships:  []directory.Membership{member("kit", partner, "2016-03-01")},
		},

		// Munich Security Cluster
		{
			Slug: "unibw-muenchen", Name: "Universität der Bundeswehr München", ShortName: "UniBw M",
			Kind: directory.KindHigherEducation, PractitionerRoles: []string{},
			Country: "DE", City: "Neubiberg", Website: "https://www.unibw.de",
			Description: "University of the German Armed Forces near Munich, with a research institute for cyber " +
				"defence and smart data.",
			Capabilities: []string{"cybersecurity", "cybersecurity.network-distributed-systems",
				"crime-terrorism.intelligence-analysis"},
			Memberships: []directory.Membership{member("munich-security-cluster", founder, "2014-01-01")},
		},
		{
			Slug: "landeshauptstadt-muenchen", Name: "Landeshauptstadt München",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePublicProcurer, directory.ActorLocalAuthority},
			Country: "DE", City: "Munich", Website: "https://stadt.muenchen.de",
			Description:  "City of Munich, which organises security for large events and protects its municipal infrastructure.",
			Capabilities: []string{"crime-terrorism.public-spaces", "critical-infrastructure"},
			Memberships:  []directory.Membership{member("munich-security-cluster", regular, "2014-06-01")},
		},
		{
			Slug: "polizeipraesidium-muenchen", Name: "Polizeipräsidium München",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePolice},
			Country: "DE", City: "Munich", Website: "https://www.polizei.bayern.de",
			Description:  "Munich police headquarters of the Bavarian State Police.",
			Capabilities: []string{"crime-terrorism", "forensics.crime-scene", "crime-terrorism.cybercrime"},
			Memberships:  []directory.Membership{member("munich-security-cluster", regular, "2015-01-01")},
		},
		{
			Slug: "muster-cyber", Name: "Muster Cyber GmbH",
			Kind: directory.KindCompany, SME: true, PractitionerRoles: []string{},
			Country: "DE", City: "Munich", Website: "https://muster-cyber.example",
			Description: "Fictitious demonstration SME offering identity management and encryption products.",
			Capabilities: []string{"cybersecurity.identity-management", "cybersecurity.cryptology",
				"privacy-identity.data-protection"},
			Memberships: []directory.Membership{member("munich-security-cluster", regular, "2015-04-01")},
		},
	}
}

func organisations5() []directory.Organisation {
	return []directory.Organisation{
		{
			Slug: "muster-aerospace", Name: "Muster Aerospace AG",
			Kind: directory.KindCompany, PractitionerRoles: []string{},
			Country: "DE", City: "Ottobrunn", Website: "https://muster-aerospace.example",
			Description: "Fictitious demonstration aerospace company building secure satellite communications and " +
				"airborne surveillance.",
			Capabilities: []string{"border-security.surveillance", "crisis-management.emergency-communication",
				"drones.counter-drone"},
			Memberships: []directory.Membership{member("munich-security-cluster", founder, "2014-01-01")},
		},

		// Flanders.ISSN
		{
			Slug: "innos", Name: "INNOS – Innovation Center for Security", ShortName: "INNOS",
			Kind: directory.KindOther, PractitionerRoles: []string{},
			Country: "BE", Website: "https://innos-center.be",
			Description: "Non-profit innovation centre founded in 2014 by companies, government and knowledge " +
				"institutions to improve the security sector and public safety; co-founder of Flanders.ISSN.",
			Capabilities: []string{"crime-terrorism.public-spaces", "societal-ethics.trust", "critical-infrastructure"},
			Memberships:  []directory.Membership{member("flanders-issn", founder, "2016-01-08")},
		},
		{
			Slug: "stad-genk", Name: "Stad Genk", ShortName: "Genk",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePublicProcurer, directory.ActorLocalAuthority, directory.ActorTrainingCentre},
			Country: "BE", City: "Genk", Website: "https://www.genk.be",
			Description:  "City of Genk, which initiated the Veiligheidscampus Zwartberg together with the Province of Limburg.",
			Capabilities: []string{"first-responders.training", "crime-terrorism.public-spaces"},
			Memberships:  []directory.Membership{member("flanders-issn", founder, "2016-01-08")},
		},
		{
			Slug: "provincie-limburg", Name: "Provincie Limburg", ShortName: "Limburg (BE)",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.ActorLocalAuthority},
			Country: "BE", City: "Hasselt", Website: "https://www.limburg.be",
			Description:  "Province of Limburg (Belgium), co-initiator of the Veiligheidscampus Zwartberg.",
			Capabilities: []string{"first-responders.training", "crisis-management"},
			Memberships:  []directory.Membership{member("flanders-issn", founder, "2016-01-08")},
		},
		{
			Slug: "uhasselt", Name: "Hasselt University", ShortName: "UHasselt",
			Kind: directory.KindHigherEducation, PractitionerRoles: []string{},
			Country: "BE", City: "Hasselt", Website: "https://www.uhasselt.be",
			Description:  "University in Limburg with research on mobility, data science and the safety of transport.",
			Capabilities: []string{"critical-infrastructure.transport", "privacy-identity.data-protection"},
			Memberships:  []directory.Membership{member("flanders-issn", regular, "2016-06-01")},
		},
		{
			Slug: "ziekenhuis-oost-limburg", Name: "Ziekenhuis Oost-Limburg", ShortName: "ZOL",
			Kind: directory.KindOther, PractitionerRoles: []string{directory.RoleMedicalEmergency},
			Country: "BE", City: "Genk", Website: "https://www.zol.be",
			Description:  "Hospital in Genk with an emergency department and mobile emergency care team.",
			Capabilities: []string{"first-responders.medical", "crisis-management"},
			Memberships:  []directory.Membership{member("flanders-issn", regular, "2016-09-01")},
		},
		{
			Slug: "voorbeeld-beveiliging", Name: "Voorbeeld Beveiliging NV",
			Kind: directory.KindCompany, SME: true, PractitionerRoles: []string{},
			Country: "BE", City: "Genk", Website: "https://voorbeeld-beveiliging.example",
			Description: "Fictitious demonstration SME installing camera surveillance and access control for " +
				"business parks.",
			Capabilities: []string{"crime-terrorism.public-spaces", "privacy-identity.biometrics",
				"privacy-identity.data-protection"},
			Memberships: []directory.Membership{member("flanders-issn", regular, "2016-03-01")},
		},
		{
			Slug: "federale-politie", Name: "Federale Politie", ShortName: "Police fédérale",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePolice, directory.RoleBorderGuard},
			Country: "BE", City: "Brussels", Website: "https://www.politie.be",
			Description:  "Belgian Federal Police, including border and airport police.",
			Capabilities: []string{"crime-terrorism", "crime-terrorism.radicalisation", "border-security"},
			Memberships:  []directory.Membership{member("flanders-issn", partner, "2017-01-16")},
		},

		// Twente Safety & Security
		{
			Slug: "university-of-twente", Name: "University of Twente", ShortName: "UT",
			Kind: directory.KindHigherEducation, PractitionerRoles: []string{},
			Country: "NL", City: "Enschede", Website: "https://www.utwente.nl",
			Description: "Technical university with research on robotics, drones, cyber security and the " +
				"governance of safety.",
			Capabilities: []string{"drones.autonomy", "cybersecurity.network-distributed-systems",
				"societal-ethics.ethics", "crisis-management"},
			Memberships: []directory.Membership{member("twente-safety-security", founder, "2014-01-01")},
		},
	}
}

func organisations6() []directory.Organisation {
	return []directory.Organisation{
		{
			Slug: "twente-airport", Name: "Twente Airport",
			Kind: directory.KindCompany, PractitionerRoles: []string{directory.RoleCriticalInfrastructure},
			Country: "NL", City: "Enschede", Website: "https://www.twenteairport.nl",
			Description: "Former air base turned regional airport and development area, home of the Twente Safety " +
				"Campus and the drone test and training centre.",
			Capabilities: []string{"drones.testing", "critical-infrastructure.transport"},
			Memberships:  []directory.Membership{member("twente-safety-security", founder, "2014-01-01")},
		},
		{
			Slug: "gemeente-enschede", Name: "Gemeente Enschede", ShortName: "Enschede",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.RolePublicProcurer, directory.ActorLocalAuthority},
			Country: "NL", City: "Enschede", Website: "https://www.enschede.nl",
			Description:  "Municipality of Enschede, which set up the regional top team together with the province.",
			Capabilities: []string{"crime-terrorism.public-spaces", "societal-ethics.resilience"},
			Memberships:  []directory.Membership{member("twente-safety-security", founder, "2014-01-01")},
		},
		{
			Slug: "provincie-overijssel", Name: "Provincie Overijssel", ShortName: "Overijssel",
			Kind: directory.KindPublicBody, PractitionerRoles: []string{directory.ActorLocalAuthority},
			Country: "NL", City: "Zwolle", Website: "https://www.overijssel.nl",
			Description: "Province of Overijssel, supporting the safety and security cluster as part of its " +
				"regional innovation policy.",
			Capabilities: []string{"societal-ethics.resilience", "crisis-management"},
			Memberships:  []directory.Membership{member("twente-safety-security", founder, "2014-01-01")},
		},
		{
			Slug: "veiligheidsregio-twente", Name: "Veiligheidsregio Twente", ShortName: "VRT",
			Kind: directory.KindPublicBody,
			PractitionerRoles: []string{directory.RoleFirstResponder, directory.RoleCivilProtection,
				directory.RoleMedicalEmergency, directory.RoleDisasterRisk, directory.ActorTrainingCentre},
			Country: "NL", City: "Enschede", Website: "https://www.vrtwente.nl",
			Description: "Safety region of Twente, bringing together the fire brigade, medical emergency " +
				"coordination and crisis management; operator of the Riskfactory.",
			Capabilities: []string{"first-responders.firefighting", "first-responders.training",
				"crisis-management", "societal-ethics.resilience"},
			Memberships: []directory.Membership{member("twente-safety-security", regular, "2014-06-01")},
		},
		{
			Slug: "lysias", Name: "Lysias Advies", ShortName: "Lysias",
			Kind: directory.KindCompany, SME: true, PractitionerRoles: []string{},
			Country: "NL", City: "Amersfoort", Website: "https://www.lysias.nl",
			Description: "Consultancy asked in 2018, together with Qanbridge, to speed up the development of the " +
				"safety and security cluster in Twente.",
			Capabilities: []string{"societal-ethics", "drones"},
			Memberships:  []directory.Membership{member("twente-safety-security", regular, "2018-01-01")},
		},
		{
			Slug: "proef-drones", Name: "Proef Drones B.V.",
			Kind: directory.KindCompany, SME: true, PractitionerRoles: []string{},
			Country: "NL", City: "Enschede", Website: "https://proef-drones.example",
			Description:  "Fictitious demonstration SME testing drone detection and counter-drone systems at Twente Airport.",
			Capabilities: []string{"drones.counter-drone", "drones.testing", "crime-terrorism.public-spaces"},
			Memberships: []directory.Membership{
				member("twente-safety-security", regular, "2018-09-01"),
				member("hsd", partner, "2019-03-01"),
			},
		},
	}
}
