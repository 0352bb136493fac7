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
		"Δήμος Αθηναίων", "Harku vald", "Conseil départemental des Bouches-du-Rhône"}
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
	}
	for _, c := range notLocal {
		if got := RolesFromCORDIS(c.kind, c.name); len(got) != 0 {
			t.Errorf("RolesFromCORDIS(%s, %q) = %v, want none", c.kind, c.name, got)
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
