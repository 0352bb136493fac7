// Package demo holds the demonstration alliance: the eight European safety
// and security innovation clusters named in the founding documents, with a
// handful of member organisations, fictitious people and shared facilities
// each. The loader turns the slugs used as references here into record IDs.
//
// Real public institutions appear under their own names; every company whose
// name contains Voorbeeld, Exemple, Eksempel, Esimerkki, Beispiel, Muster or
// Proef ("example" or "trial" in the local language) is invented, and every
// person is fictitious.
package demo

import "github.com/escnet/escnet/internal/directory"

// Data is the demonstration alliance. References between records use slugs:
// Membership.ClusterID holds a cluster slug, Person.OrganisationID and
// Facility.OrganisationID hold an organisation slug, Facility.ClusterID a cluster slug.
type Data struct {
	Clusters      []directory.Cluster
	Organisations []directory.Organisation
	People        []directory.Person
	Facilities    []directory.Facility
}

// CapabilityCodes lists the capability codes the demonstration data may use
// as cluster themes, organisation and facility capabilities and personal
// expertise. It must be a subset of the capability taxonomy.
var CapabilityCodes = []string{
	"crisis-management",
	"crime-terrorism",
	"border-security",
	"critical-infrastructure",
	"cybersecurity",
	"drones",
	"cbrne",
	"forensics",
	"first-responders",
	"privacy-identity",
	"societal-ethics",
	"crisis-management.early-warning",
	"crisis-management.emergency-communication",
	"crisis-management.natural-hazards",
	"crisis-management.situational-awareness",
	"crime-terrorism.radicalisation",
	"crime-terrorism.cybercrime",
	"crime-terrorism.public-spaces",
	"crime-terrorism.intelligence-analysis",
	"border-security.surveillance",
	"border-security.maritime",
	"border-security.document-fraud",
	"critical-infrastructure.energy",
	"critical-infrastructure.transport",
	"critical-infrastructure.water",
	"critical-infrastructure.resilience",
	"drones.testing",
	"drones.counter-drone",
	"drones.autonomy",
	"cbrne.detection",
	"cbrne.decontamination",
	"cbrne.explosives",
	"forensics.digital",
	"forensics.crime-scene",
	"first-responders.firefighting",
	"first-responders.medical",
	"first-responders.training",
	"first-responders.equipment",
	"privacy-identity.biometrics",
	"privacy-identity.data-protection",
	"societal-ethics.ethics",
	"societal-ethics.resilience",
	"societal-ethics.trust",
	"cybersecurity.cryptology",
	"cybersecurity.data-security-privacy",
	"cybersecurity.education-training",
	"cybersecurity.identity-management",
	"cybersecurity.incident-handling-forensics",
	"cybersecurity.network-distributed-systems",
	"cybersecurity.software-hardware-security",
	"cybersecurity.security-management-governance",
}

// Alliance returns the demonstration alliance. Every call builds the data
// afresh, so callers may modify the result freely.
func Alliance() Data {
	return Data{
		Clusters:      clusters(),
		Organisations: organisations(),
		People:        people(),
		Facilities:    profiles(facilities()),
	}
}
