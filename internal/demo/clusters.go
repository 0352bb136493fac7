package demo

import "github.com/escnet/escnet/internal/directory"

// letterOfCommitment is the day the Letter of Commitment was signed at the
// second international meeting of the clusters at the HSD Campus (1–2 June
// 2016).
const letterOfCommitment = "2016-06-02"

func signed() directory.Commitment {
	return directory.Commitment{Signed: true, SignedOn: letterOfCommitment}
}

func clusters() []directory.Cluster {
	var out []directory.Cluster
	for _, part := range [][]directory.Cluster{clusters1(), clusters2()} {
		out = append(out, part...)
	}
	return out
}

func clusters1() []directory.Cluster {
	return []directory.Cluster{
		{
			Slug:    "hsd",
			Name:    "The Hague Security Delta",
			Country: "NL",
			Region:  "NL33",
			City:    "The Hague",
			Website: "https://securitydelta.nl",
			Description: "The Hague Security Delta (HSD) is the Dutch security cluster in which businesses, " +
				"governments and knowledge institutions work together on innovation in cyber security, " +
				"national and urban security, critical infrastructure and forensics. HSD took the initiative " +
				"to connect regions in Europe that are strong in safety and security, and hosted the second " +
				"international meeting of the clusters at the HSD Campus on 1–2 June 2016, where the Letter " +
				"of Commitment was signed.",
			Themes: []string{"cybersecurity", "critical-infrastructure", "crime-terrorism.public-spaces",
				"forensics", "crime-terrorism.intelligence-analysis"},
			Joined:     "2015-11-26",
			Commitment: signed(),
		},
		{
			Slug:    "safe-cluster",
			Name:    "SAFE Cluster",
			Country: "FR",
			Region:  "FRL0",
			City:    "Aix-en-Provence",
			Website: "https://www.safecluster.com",
			Description: "SAFE Cluster, formerly Pôle Risques, is the French safety and security cluster of the " +
				"Provence-Alpes-Côte d'Azur region, with offices in Aix-en-Provence and Marseille. It brings " +
				"companies, research and public authorities together on natural and technological risks, " +
				"crisis management and the security of territories. Pôle Risques sent a delegation to the " +
				"international workshop in The Hague in November 2015 and helped recruit further partners.",
			Themes: []string{"crisis-management", "crisis-management.natural-hazards", "critical-infrastructure",
				"drones", "first-responders"},
			Joined:     "2015-11-26",
			Commitment: signed(),
		},
		{
			Slug:    "censec",
			Name:    "CenSec",
			Country: "DK",
			Region:  "DK04",
			City:    "Karup",
			Website: "https://censec.dk",
			Description: "CenSec is the Danish business network for defence, security and safety, based in Karup " +
				"in Central Denmark. It helps its mostly small and medium-sized member companies develop " +
				"products together with emergency services, armed forces and international partners. " +
				"Denmark was among the first regions connected in the cooperation between European security clusters.",
			Themes: []string{"border-security.maritime", "drones", "cbrne", "first-responders.equipment",
				"cybersecurity"},
			Joined:     "2016-06-02",
			Commitment: signed(),
		},
		{
			Slug:    "tampere-safety-security",
			Name:    "Tampere Safety and Security",
			Country: "FI",
			Region:  "FI19",
			City:    "Tampere",
			Website: "https://businesstampere.com",
			Description: "The Tampere Region safety and security cluster connects companies, universities and " +
				"public safety authorities in western Finland. Its strengths are public safety communications, " +
				"emergency services, situational awareness and industrial cyber security. The Tampere Region " +
				"was one of the first partners in the cooperation initiated by The Hague Security Delta.",
			Themes: []string{"crisis-management.emergency-communication", "crisis-management.situational-awareness",
				"first-responders", "cybersecurity"},
			Joined:     "2016-06-02",
			Commitment: signed(),
		},
		{
			Slug:    "kit",
			Name:    "KIT",
			Country: "DE",
			Region:  "DE12",
			City:    "Karlsruhe",
			Website: "https://www.kit.edu",
			Description: "The Karlsruhe Institute of Technology takes part in the alliance through its security " +
				"research centre, which bundles research on the resilience of critical infrastructures, " +
				"disaster management, early warning and IT security. With research institutes, the city and " +
				"regional companies it links security research in Karlsruhe to practitioners and industry.",
			Themes: []string{"critical-infrastructure.resilience", "crisis-management.early-warning",
				"cbrne.detection", "cybersecurity", "societal-ethics"},
			Joined:     "2016-06-02",
			Commitment: signed(),
		},
	}
}

func clusters2() []directory.Cluster {
	return []directory.Cluster{
		{
			Slug:    "munich-security-cluster",
			Name:    "Munich Security Cluster",
			Country: "DE",
			Region:  "DE21",
			City:    "Munich",
			Website: "https://munich-security-cluster.example",
			Description: "The Munich Security Cluster brings together companies, research institutes and public " +
				"authorities in the Munich region working on security technology. Its focus includes cyber " +
				"security, secure communications, the protection of critical infrastructure and intelligence analysis.",
			Themes: []string{"cybersecurity", "critical-infrastructure", "crime-terrorism.intelligence-analysis",
				"privacy-identity"},
			Joined:     "2016-06-02",
			Commitment: signed(),
		},
		{
			Slug:    "flanders-issn",
			Name:    "Flanders.ISSN",
			Country: "BE",
			Region:  "BE22",
			City:    "Genk",
			Website: "https://flanders-issn.example",
			Description: "Flanders.ISSN (Flanders Innovation Security Safety Network) was set up by INNOS and the " +
				"Veiligheidscampus Zwartberg in Genk as a network of companies, organisations, federations, " +
				"knowledge institutions and individuals. It offers businesses, governments and knowledge " +
				"institutions a single point of contact, backed by the expertise centre at Zwartberg. " +
				"Safety en security worden samengebracht, met in beide gevallen de klemtoon op preventie.",
			Themes: []string{"crime-terrorism.public-spaces", "first-responders.training", "crisis-management",
				"societal-ethics.resilience"},
			Joined:     "2017-01-16",
			Commitment: directory.Commitment{},
		},
		{
			Slug:    "twente-safety-security",
			Name:    "Twente Safety & Security",
			Country: "NL",
			Region:  "NL21",
			City:    "Enschede",
			Website: "https://twente-safety-security.example",
			Description: "Twente Safety & Security (TS&S) started in 2014 as a partnership of governments, " +
				"businesses and knowledge institutions that aims to build an (inter)national safety and " +
				"security cluster around Twente Airport. Twente is one of the three partners carrying out the " +
				"National Innovation Agenda for Security, and its flagship is a research, test and training " +
				"centre for drone applications and drone safety and security at Twente Airport, next to the " +
				"Twente Safety Campus with the Riskfactory.",
			Themes: []string{"drones.testing", "drones.counter-drone", "first-responders.training",
				"societal-ethics.resilience"},
			Joined:     "2018-06-19",
			Commitment: directory.Commitment{},
		},
	}
}
