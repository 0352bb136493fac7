package directory

import (
	"regexp"
	"slices"
)

// Actor types: what an organisation is besides its kind, in the words
// the calls use. They are stated with the practitioner roles (the
// organisation's PractitionerRoles list holds both) but do not make an
// organisation a practitioner: a municipality is a public body and a
// local authority; a youth NGO is a civil society organisation.
const (
	// ActorLocalAuthority: a local or regional authority (municipality,
	// province, region, county).
	ActorLocalAuthority = "local_authority"
	// ActorCivilSociety: a civil society organisation or NGO.
	ActorCivilSociety = "civil_society"
	// ActorYouth: an organisation representing young people (a youth
	// NGO); it counts as a civil society organisation too.
	ActorYouth = "youth_organisation"
	// ActorTrainingCentre: a training centre for practitioners (a police
	// academy, a fire brigade's or CBRN training centre).
	ActorTrainingCentre = "training_centre"
)

// ActorTypes lists the actor types in display order.
var ActorTypes = []string{ActorLocalAuthority, ActorCivilSociety, ActorYouth, ActorTrainingCentre}

// Roles lists everything an organisation may state in its
// PractitionerRoles: the practitioner roles, then the actor types.
var Roles = append(slices.Clone(PractitionerRoles), ActorTypes...)

// IsPractitionerRole reports whether r makes an organisation a
// practitioner (an end user), as opposed to an actor type.
func IsPractitionerRole(r string) bool { return slices.Contains(PractitionerRoles, r) }

// localAuthorityName recognises the names local and regional authorities
// go by in CORDIS, in the languages of the member states: "Gemeente
// Enschede", "Ayuntamiento de Madrid", "Comune di Torino", "Stadt
// Karlsruhe", "Ville de Paris", "Viborg Kommune", "Region Hovedstaden".
// Only a public body (CORDIS PUB) with such a name is taken for one: a
// company called "Stadtwerke ..." or an association of cities is not.
var localAuthorityName = regexp.MustCompile(`(?i)^(?:gemeente|ayuntamiento|ajuntament|concello|comune|municipio|munic[ií]pio|c[aâ]mara\s+municipal|mairie|ville|commune|stadt|landeshauptstadt|gemeinde|marktgemeinde|stad|city\s+of|municipality\s+of|county\s+council|provincie|province|provincia|diputaci[oó]n|regione|region|r[eé]gion|comunidad\s+aut[oó]noma|landkreis|kreis|bezirk|d[eé]partement|conseil\s+d[eé]partemental|conseil\s+r[eé]gional|dimos|dimou|perifereia|gmina|miasto|urz[aą]d\s+miasta|mesto|m[eě]sto|obcina|grad|opcina|savivaldyb[eė]|pa[sš]vald[iī]ba|vald|linn|kaupunki|kunta|kommun|kommune|municipiul|prim[aă]ria|consiliul\s+jude[tț]ean)\b|\b(?:kommune|kommun|kaupunki|kunta|municipality|city\s+council|county\s+council|gemeinde|savivaldyb[eė]|vald|linn|region)$|(?:^|\s)(?:δήμος|δημος|περιφέρεια|περιφερεια)(?:\s|$)`)

// RolesFromCORDIS returns the actor types a CORDIS participant's record
// shows beyond doubt: a public body (kind as mapped by KindFromCORDIS)
// whose legal name is that of a municipality or region is a local or
// regional authority. Anything less clear is left to people.
func RolesFromCORDIS(kind, name string) []string {
	if kind == KindPublicBody && localAuthorityName.MatchString(name) {
		return []string{ActorLocalAuthority}
	}
	return nil
}
