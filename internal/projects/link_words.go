package projects

import "strings"

// The vocabulary the CORDIS linker (link.go) reads names with: words of
// organisation names in the languages of the alliance's countries mapped
// to one concept each (a compound to several), the words that say
// nothing about which organisation it is, and the other names of cities.

// concepts maps a folded word (umlauts written out as in "muenchen" are
// folded too, see foldUmlauts) to the concepts it stands for.
var concepts = buildConcepts(map[string]string{
	"university":     "university universiteit universitet universite universitat universidad universita universidade uniwersytet yliopisto univerza egyetem universitatea univerzita universiteti universities",
	"tech":           "tech technische technisch technical technology technologies technological technologie technologique technologiques tecnologia tecnologias tecnologie tecnologico technologia technologikis teknologian teknologi teknisk teknik technik tecnico tecnica techniques",
	"polytech":       "polytechnic politecnico politecnica polytechnique polytechnika politechnika",
	"research":       "research onderzoek forschung recherche recherches ricerca ricerche investigacion investigacao tutkimus forskning forsknings erevnas erevna arastirma badawcza investigaciones",
	"centre":         "centre center centrum centro zentrum keskus kentro centres centers",
	"institute":      "institute institut instituut istituto instituto institutt instytut institutet",
	"applied":        "applied toegepast toegepaste angewandte angewandten appliquee appliquees applicata applicate aplicada",
	"science":        "science sciences wetenschap wetenschappen wissenschaft wissenschaften scienza scienze ciencia ciencias tiede",
	"scientific":     "scientific natuurwetenschappelijk wetenschappelijk wissenschaftlich wissenschaftliche scientifique scientifica cientifica tieteellinen bilimsel",
	"organisation":   "organisation organization organisatie organizzazione organizacion organisasjon organisme kurumu",
	"ministry":       "ministry ministerie ministerium ministere ministero ministerio ministerstvo ministerstwo ministeriet bundesministerium",
	"interior":       "interior interieur inneres innern binnenlandse interno interna internal",
	"justice":        "justice justitie justiz giustizia justicia justica",
	"security":       "security veiligheid sicherheit securite sicurezza seguridad seguranca turvallisuus asfaleias sakerhet",
	"defence":        "defence defense defensie verteidigung defesa difesa defensa forsvar puolustus forsvarets",
	"police":         "police politie polizei polizia policia policja politi poliisi politia polisen polis",
	"federal":        "federal federale federaal foderale bundes",
	"city":           "city municipality gemeente stad stadt ville comune ayuntamiento ajuntament kommune kaupunki citta municipio concello gmina miasto landeshauptstadt stadtgemeinde magistrat",
	"region":         "region regio regione provincie province provinz provincia regional",
	"national":       "national ethniko ethnikon nationaal nationale nazionale nacional narodowy kansallinen ethniko",
	"foundation":     "foundation stichting stiftung fondation fondazione fundacion fundacao stiftelsen saatio idryma",
	"aerospace":      "aerospace aerospatiale aerospatiales aeroespacial aerospaziale luft raumfahrt aerospazio",
	"hospital":       "hospital ziekenhuis krankenhaus hopital ospedale hospitalier sairaala klinikum hospitalario",
	"fire":           "fire brandweer feuerwehr pompiers incendie bomberos",
	"rescue":         "rescue redding rettung secours pelastus",
	"school":         "school schule ecole scuola escuela skola szkola",
	"college":        "college opisto hogeschool",
	"academy":        "academy academie akademie accademia academia akademia",
	"office":         "office amt bureau ufficio oficina",
	"criminal":       "criminal kriminal criminel criminale criminalistique",
	"commission":     "commission commissie kommission commissione comision commissariat",
	"energy":         "energy energie energia energies",
	"atomic":         "atomic atomique atomica atom",
	"alternative":    "alternative alternatives alternatives alternativa",
	"peace":          "peace vrede frieden paix pace paz",
	"studies":        "studies study etudes studien studi estudios meleton",
	"communication":  "communication communications kommunikation communicatie comunicazione",
	"computer":       "computer computers informatique informatica",
	"system":         "system systems systeme systemes sistemi sistemas systemen",
	"engineering":    "engineering ingenierie ingegneria ingenieria",
	"council2":       "council raad rat conseil consiglio consejo",
	"red":            "red rode rotes rouge rosso roja",
	"cross":          "cross kruis kreuz croix croce cruz",
	"service":        "service services dienst diensten servizio servicio servicios",
	"forensic":       "forensic forensisch forensische forensique forense",
	"civil":          "civil civile civiele",
	"guard":          "guard guardia garde wacht",
	"kingdom":        "kingdom koninkrijk koninkrijksrelaties",
	"relations":      "relations relaties",
	"catholic":       "catholic katholieke katholische catholique cattolica catolica",
	"communications": "telecomunicazioni telecommunications telecomunicaciones",
	"education":      "education onderwijs bildung enseignement istruzione educacion",
	"development":    "development ontwikkeling entwicklung developpement sviluppo desarrollo anaptyxis anaptyxi kehitys",
	"public":         "public publieke offentlichen offentliche publique pubblica publica",
})

// compounds are words that stand for several concepts.
var compounds = map[string][]string{
	"tutkimuskeskus":         {"research", "centre"},
	"forschungszentrum":      {"research", "centre"},
	"onderzoekscentrum":      {"research", "centre"},
	"forskningsinstitut":     {"research", "institute"},
	"forskninginstitutt":     {"research", "institute"},
	"forskningsinstitutt":    {"research", "institute"},
	"fredsforskning":         {"peace", "research"},
	"totalforsvarets":        {"defence"},
	"ammattikorkeakoulu":     {"university", "applied", "science"},
	"fachhochschule":         {"university", "applied", "science"},
	"hogeschool":             {"university", "applied", "science"},
	"hochschule":             {"university"},
	"bundeskriminalamt":      {"federal", "criminal", "police", "office"},
	"politiezone":            {"police", "zone"},
	"politieregio":           {"police", "region"},
	"politieacademie":        {"police", "academy"},
	"polizeiprasident":       {"police", "president"},
	"polizeiprasidium":       {"police", "presidium"},
	"pelastusopisto":         {"rescue", "college"},
	"rijksuniversiteit":      {"university"},
	"veiligheidsregio":       {"security", "region"},
	"brandweer":              {"fire"},
	"sisaministerio":         {"interior", "ministry"},
	"rikspolisstyrelsen":     {"national", "police", "board"},
	"natuurwetenschappelijk": {"scientific"},
	"wissenschaftszentrum":   {"science", "centre"},
	"technologieforschung":   {"tech", "research"},
	"sicherheitsforschung":   {"security", "research"},
	"kompetenzzentrum":       {"centre"},
	"landespolizei":          {"police"},
	"bundespolizei":          {"federal", "police"},
	"bundeswehruniversitat":  {"bundeswehr", "university"},
	"feuerwehrschule":        {"fire", "school"},
}

// generic concepts say little about which organisation it is: many
// organisations share them. They count, but less than a distinctive word.
var generic = setOf("university tech polytech research centre institute applied science scientific organisation " +
	"ministry interior justice security defence police federal city region national foundation aerospace " +
	"hospital fire rescue school college academy office criminal commission energy atomic alternative studies " +
	"communication computer system engineering council service forensic civil guard public education " +
	"european europe international group company association society agency department general directorate " +
	"inspectorate authority board development innovation solutions management information network laboratory lab labs " +
	"free joint main higher state federation union institutions zone president presidium kingdom relations " +
	"catholic communications new advanced integrated global")

// linkForms are legal-form words besides legalForms (candidates.go)
// that the linker drops: "S.p.A." written out, Spanish state companies'
// "SA-SME MP", Portuguese "Lda".
var linkForms = setOf("societa azioni sme mp lda ltda aisbl ug se sae ikе pc anonymos anonymi etaireia etaireia eteria")

// foundationForms and associationForms are the words of those legal
// forms; a name with one and another with a company's form are two
// entities (SINTEF, the foundation, and SINTEF AS).
var foundationForms = setOf("foundation stichting stiftung fondation fondazione fundacion fundacao stiftelsen saatio idryma")
var associationForms = setOf("ev vzw asbl aisbl association vereniging verein")

// stopWords are the little words of names in the alliance's languages.
var stopWords = setOf("of the for and de der die das des du la le les el di del della dell degli delle dei " +
	"voor van en et und y e zur zum fur in an am at da do dos das i og och ja per lo a al au aux " +
	"het een den im vom bei sur pour para por con with on to ve kai tis ton ta tou v na z w pro")

// demonyms are country names and adjectives: an organisation's name may
// carry its country or not ("VTT Technical Research Centre of Finland" and
// "Teknologian tutkimuskeskus VTT Oy"); the country is compared apart.
var demonyms = setOf("netherlands nederland nederlandse nederlands dutch holland finland finnish suomen suomi " +
	"belgian belgie belgique belge belgium belgien germany deutsch deutsche deutsches deutschen deutschland german " +
	"france french francaise francais spain spanish espana espanola espanol espanyol italy italian italia italiana italiano " +
	"austria austrian osterreich osterreichische sweden swedish sverige svenska norway norwegian norge norsk norske " +
	"denmark danish danmark dansk greece greek hellas hellenic ellados elliniki portugal portuguese portuguesa poland polish polska polski " +
	"ireland irish eireann britain british united uk turkey turkiye romania romanian romana romaniei luxembourg " +
	"cyprus cypriot israel israeli slovenia slovenian slovenije estonia estonian latvia lithuania czech hungary hungarian " +
	"switzerland swiss schweiz suisse svizzera bulgaria bulgarian croatia croatian slovakia slovak")

// cityNames maps other names of a city (exonyms, spellings with and
// without umlauts) to one name, for the city field and for city words in
// names ("Technical University of Munich", "Technische Universität München").
var cityNames = buildAliases(map[string]string{
	"koln":          "koln koeln cologne colonia keulen",
	"munchen":       "munchen muenchen munich monaco",
	"den haag":      "den haag the hague s gravenhage gravenhage la haye haag hague",
	"wien":          "wien vienna vienne wenen",
	"brussels":      "brussels bruxelles brussel bruselas bruxelas",
	"athens":        "athens athina athinai athenes athen",
	"rome":          "rome roma rom",
	"turin":         "turin torino",
	"milan":         "milan milano mailand",
	"lisbon":        "lisbon lisboa lissabon lisbonne",
	"warsaw":        "warsaw warszawa warschau varsovie",
	"prague":        "prague praha prag",
	"copenhagen":    "copenhagen kobenhavn kopenhagen copenhague copenhaguen",
	"hannover":      "hannover hanover",
	"nurnberg":      "nurnberg nuernberg nuremberg",
	"geneva":        "geneva geneve genf ginevra",
	"antwerp":       "antwerp antwerpen anvers",
	"ghent":         "ghent gent gand",
	"liege":         "liege luik luttich",
	"bucharest":     "bucharest bucuresti bukarest",
	"heraklion":     "heraklion iraklio irakleio iraklion",
	"thessaloniki":  "thessaloniki salonica thessalonique",
	"gothenburg":    "gothenburg goteborg",
	"naples":        "naples napoli neapel",
	"florence":      "florence firenze florenz",
	"venice":        "venice venezia venedig",
	"seville":       "seville sevilla",
	"zurich":        "zurich zuerich",
	"helsinki":      "helsinki helsingfors",
	"turku":         "turku abo",
	"munster":       "munster muenster",
	"dusseldorf":    "dusseldorf duesseldorf",
	"frankfurt":     "frankfurt francfort",
	"strasbourg":    "strasbourg strassburg",
	"san sebastian": "san sebastian donostia",
	"valencia":      "valencia valencia",
	"piraeus":       "piraeus peiraias pireas",
	"nicosia":       "nicosia lefkosia",
})

// cityWords are the one-word city names of cityNames, for names.
var cityWords = func() map[string]string {
	out := map[string]string{}
	for k, v := range cityNames {
		if !strings.Contains(k, " ") {
			out[k] = v
		}
	}
	return out
}()

func buildConcepts(m map[string]string) map[string]string {
	out := map[string]string{}
	for c, words := range m {
		for _, w := range strings.Fields(words) {
			out[w] = strings.TrimSuffix(c, "2")
		}
	}
	return out
}

func buildAliases(m map[string]string) map[string]string {
	out := map[string]string{}
	for c, names := range m {
		out[c] = c
		// Names of several words are listed with single spaces in one
		// string: split on the known multi-word ones first.
		for _, n := range splitAliases(names) {
			out[n] = c
		}
	}
	return out
}

// splitAliases splits a list of city names where multi-word names are
// the ones starting with a known particle ("den haag", "the hague",
// "s gravenhage", "la haye", "san sebastian").
func splitAliases(s string) []string {
	ws := strings.Fields(s)
	var out []string
	for i := 0; i < len(ws); i++ {
		switch ws[i] {
		case "den", "the", "s", "la", "san":
			if i+1 < len(ws) {
				out = append(out, ws[i]+" "+ws[i+1])
				i++
				continue
			}
		}
		out = append(out, ws[i])
	}
	return out
}

func setOf(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(s) {
		out[w] = true
	}
	return out
}
