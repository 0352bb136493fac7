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
var localAuthorityName = regexp.MustCompile(`(?i)^(?:gemeente|ayuntamiento|ajuntament|concello|comune|municipio|munic[ií]pio|c[aâ]mara\s+municipal|mairie|ville|commune|stadt|landeshauptstadt|gemeinde|marktgemeinde|stad|city\s+of|municipality\s+of|county\s+council|provincie|province|provincia|diputaci[oó]n|regione|region|r[eé]gion|comunidad\s+aut[oó]noma|landkreis|kreis|bezirk|d[eé]partement|conseil\s+d[eé]partemental|conseil\s+r[eé]gional|dimos|dimou|perifereia|gmina|miasto|urz[aą]d\s+miasta|mesto|m[eě]sto|obcina|grad|opcina|savivaldyb[eė]|pa[sš]vald[iī]ba|vald|linn|kaupunki|kunta|kommun|kommune|municipiul|prim[aă]ria|consiliul\s+jude[tț]ean|citt[aà]\s+di|hlavn[eé]\s+mesto|london\s+borough\s+of|m[eé]tropole|stadtgemeinde|council\s+of\s+the\s+borough\s+of|(?:the\s+)?city\s+of\s+\S+(?:\s+\S+)?\s+council$)\b|\b(?:borough\s+council)$|\b(?:kommune|kommun|kaupunki|kunta|municipality|city\s+council|county\s+council|gemeinde|savivaldyb[eė]|vald|linn|region)$|(?:^|\s)(?:δήμος|δημος|περιφέρεια|περιφερεια)(?:\s|$)`)

// Names of public bodies whose practitioner role they say: a Dutch
// safety region is in charge of disaster risk and crisis management; a
// fire brigade is a first responder; a police force is the police.
var (
	safetyRegionName = regexp.MustCompile(`(?i)^veiligheidsregio\b`)
	fireName         = regexp.MustCompile(`(?i)\b(?:brandweer|feuerwehr|berufsfeuerwehr|branddirektion|bomberos|bombers|pompiers|sapeurs-pompiers|vigili\s+del\s+fuoco|fire\s+(?:and\s+rescue\s+)?(?:service|brigade|authority|department)|pelastuslaitos|brannvesen|r[aä]ddningstj[aä]nst|beredskab)\b`)
	policeName       = regexp.MustCompile(`(?i)\b(?:police|politie|polizei|polizeipr[aä]sidium|polic[ií]a|polizia|poliisi|politi|policja|policie|policia|gendarmerie|guardia\s+civil|carabinieri)\b`)
)

// RolesFromCORDIS returns the actor types and practitioner roles a
// CORDIS participant's record shows beyond doubt: a public body (kind as
// mapped by KindFromCORDIS) whose legal name is that of a municipality or
// region is a local or regional authority ("Gemeente Enschede",
// "Ayuntamiento de Madrid", "London Borough of Islington"); one named a
// safety region is a disaster-risk authority, a fire brigade a first
// responder, a police force the police. Anything less clear — other kinds,
// agencies "of" a region, a company named after a city — is left to
// people.
func RolesFromCORDIS(kind, name string) []string {
	if kind != KindPublicBody {
		return nil
	}
	var out []string
	if localAuthorityName.MatchString(name) {
		out = append(out, ActorLocalAuthority)
	}
	if safetyRegionName.MatchString(name) {
		out = append(out, RoleDisasterRisk)
	}
	if fireName.MatchString(name) {
		out = append(out, RoleFirstResponder)
	}
	if policeName.MatchString(name) {
		out = append(out, RolePolice)
	}
	return out
}
