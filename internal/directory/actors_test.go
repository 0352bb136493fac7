package directory

import (
	"slices"
	"testing"
)

func TestRolesFromCORDIS(t *testing.T) {
	t.Parallel()
	local := []string{"Gemeente Enschede", "GEMEENTE DEN HAAG", "Ayuntamiento de Madrid", "AYUNTAMIENTO DE VALENCIA", "Comune di Torino",
		"Stadt Karlsruhe", "Landeshauptstadt München", "Ville de Paris", "Viborg Kommune", "Region Hovedstaden", "Stad Genk",
		"City of Tampere", "Tampereen kaupunki", "Provincie Limburg", "Diputación de Barcelona", "Regione Lombardia",
		"Ajuntament de Barcelona", "Câmara Municipal de Lisboa", "Gmina Miasto Gdańsk", "Municipality of Piraeus",
		"Δήμος Αθηναίων", "Harku vald", "Conseil départemental des Bouches-du-Rhône",
		"CITTA DI LECCE*COMUNE DI LECCE", "LONDON BOROUGH OF ISLINGTON", "OLDHAM METROPOLITAN BOROUGH COUNCIL",
		"THE CITY OF EDINBURGH COUNCIL", "STADTGEMEINDE SALZBURG", "METROPOLE NICE COTE D'AZUR", "HLAVNE MESTO SLOVENSKEJ REPUBLIKY BRATISLAVA"}
	for _, name := range local {
		if got := RolesFromCORDIS(KindPublicBody, name); !slices.Equal(got, []string{ActorLocalAuthority}) {
			t.Errorf("RolesFromCORDIS(PUB, %q) = %v, want local_authority", name, got)
		}
	}
	notLocal := []struct{ kind, name string }{
		{KindPublicBody, "Federale Politie"},
		{KindPublicBody, "Ministerie van Justitie en Veiligheid"},
		{KindPublicBody, "Bundesamt für Bevölkerungsschutz und Katastrophenhilfe"},
		{KindCompany, "Stadtwerke München GmbH"},    // a company, whatever its name
		{KindOther, "Gemeente Enschede"},            // not a public body in CORDIS: left to people
		{KindPublicBody, "Stadtwerke Karlsruhe"},    // "Stadt" is not the word
		{KindPublicBody, "Villeneuve Research Lab"}, // "Ville" is not the word
		{KindResearch, "Region Research Institute"},
		{KindPublicBody, "AGENZIA REGIONALE PER LA SALUTE ED IL SOCIALE"}, // an agency of a region
		{KindPublicBody, "CHAMBRE DE COMMERCE ET D'INDUSTRIE DE REGION PARIS ILE-DE-FRANCE"},
		{KindPublicBody, "MINISTERIUM FUER INNERES UND KOMMUNALES NORDRHEIN-WESTFALEN"},
		{KindPublicBody, "Department of Homeland Security"},
	}
	for _, c := range notLocal {
		if got := RolesFromCORDIS(c.kind, c.name); slices.Contains(got, ActorLocalAuthority) {
			t.Errorf("RolesFromCORDIS(%s, %q) = %v, want no local authority", c.kind, c.name, got)
		}
	}
}

func TestRolesListsEveryActorType(t *testing.T) {
	t.Parallel()
	for _, r := range append(slices.Clone(PractitionerRoles), ActorTypes...) {
		if !slices.Contains(Roles, r) {
			t.Errorf("Roles lacks %q", r)
		}
	}
	for _, a := range ActorTypes {
		if IsPractitionerRole(a) {
			t.Errorf("actor type %q is a practitioner role", a)
		}
	}
}

func TestPractitionerRolesFromCORDIS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want []string
	}{
		{"VEILIGHEIDSREGIO ZUID-HOLLAND ZUID", []string{RoleDisasterRisk}},
		{"CLEVELAND FIRE AUTHORITY", []string{RoleFirstResponder}},
		{"Branddirektion Karlsruhe", []string{RoleFirstResponder}},
		{"Prefecture de Police", []string{RolePolice}},
		{"PROVINCIAL POLICE HEADQUARTERS IN GDANSK", []string{RolePolice}},
		{"Federale Politie", []string{RolePolice}},
		{"Ministry of Transport", nil},
	}
	for _, tt := range tests {
		if got := RolesFromCORDIS(KindPublicBody, tt.name); !slices.Equal(got, tt.want) {
			t.Errorf("RolesFromCORDIS(PUB, %q) = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := RolesFromCORDIS(KindCompany, "Fire Service Equipment Ltd"); got != nil {
		t.Errorf("a company named after fire services got %v", got)
	}
}
