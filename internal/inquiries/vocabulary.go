package inquiries

import "github.com/escnet/escnet/internal/textindex"

type words = map[textindex.Lang]string

// vocabulary lists, per capability, the words people use when they ask
// about it, in the four languages. The taxonomy's labels are short; these
// let a question in plain words ("who can test our sensor near an
// airport?") find its capabilities. Tuned on the tuning set only.
var vocabulary = map[string]words{
	"crisis-management": {
		"en": "crisis emergency disaster exercise scenario plan contingency response coordination",
		"nl": "crisis noodsituatie ramp oefening scenario draaiboek rampenplan crisisoefening coördinatie",
		"fr": "crise urgence catastrophe exercice scénario plan gestion coordination",
		"de": "Krise Notfall Katastrophe Übung Szenario Plan Katastrophenschutz Koordination"},
	"crisis-management.early-warning": {
		"en": "warning alert alarm forecast siren early",
		"nl": "waarschuwing alarm alarmering voorspelling sirene",
		"fr": "alerte alarme prévision sirène avertissement",
		"de": "Warnung Alarm Vorhersage Sirene Warnsystem"},
	"crisis-management.emergency-communication": {
		"en": "communication public information radio messaging media population",
		"nl": "crisiscommunicatie communicatie voorlichting bevolking berichten media",
		"fr": "communication information population message médias radio",
		"de": "Kommunikation Krisenkommunikation Bevölkerung Information Medien Funk"},
	"crisis-management.natural-hazards": {
		"en": "flood flooding storm wildfire forest fire earthquake heatwave drought climate river",
		"nl": "overstroming wateroverlast storm natuurbrand bosbrand aardbeving hittegolf droogte klimaat rivier",
		"fr": "inondation crue tempête feux forêt incendie séisme canicule sécheresse climat",
		"de": "Hochwasser Überschwemmung Sturm Waldbrand Erdbeben Hitzewelle Dürre Klima Fluss"},
	"crisis-management.industrial-accidents": {
		"en": "chemical plant industrial accident leak seveso hazardous spill",
		"nl": "chemisch bedrijf industrieel ongeval lek seveso gevaarlijke stoffen",
		"fr": "accident industriel usine chimique fuite seveso matières dangereuses",
		"de": "Industrieunfall Chemie Anlage Leck Seveso Gefahrstoffe Störfall"},
	"crisis-management.situational-awareness": {
		"en": "situational awareness dashboard common operational picture monitoring",
		"nl": "situationeel beeld dashboard operationeel beeld monitoring",
		"fr": "situation tableau bord image opérationnelle surveillance",
		"de": "Lagebild Lagebewusstsein Dashboard Überwachung"},
	"crime-terrorism.radicalisation": {
		"en": "radicalisation extremism terrorism prevention jihadism",
		"nl": "radicalisering extremisme terrorisme preventie",
		"fr": "radicalisation extrémisme terrorisme prévention",
		"de": "Radikalisierung Extremismus Terrorismus Prävention"},
	"crime-terrorism.organised-crime": {
		"en": "organised crime drugs trafficking money laundering undermining",
		"nl": "georganiseerde misdaad drugs ondermijning witwassen mensenhandel",
		"fr": "crime organisé drogue trafic blanchiment",
		"de": "organisierte Kriminalität Drogen Menschenhandel Geldwäsche"},
	"crime-terrorism.cybercrime": {
		"en": "cybercrime ransomware phishing fraud hacking extortion",
		"nl": "cybercriminaliteit ransomware phishing fraude hack afpersing",
		"fr": "cybercriminalité rançongiciel hameçonnage fraude piratage",
		"de": "Cyberkriminalität Ransomware Phishing Betrug Hacker Erpressung"},
	"crime-terrorism.public-spaces": {
		"en": "public space event festival crowd camera surveillance cctv square stadium business park",
		"nl": "openbare ruimte evenement festival publiek menigte camera cameratoezicht plein stadion bedrijventerrein",
		"fr": "espace public événement festival foule caméra vidéosurveillance place stade",
		"de": "öffentlicher Raum Veranstaltung Festival Menschenmenge Kamera Videoüberwachung Platz Stadion"},
	"crime-terrorism.intelligence-analysis": {
		"en": "intelligence analysis osint investigation data analysis",
		"nl": "inlichtingen analyse osint onderzoek",
		"fr": "renseignement analyse osint enquête",
		"de": "Aufklärung Analyse OSINT Ermittlung"},
	"border-security": {
		"en": "border control border guard",
		"nl": "grens grenscontrole grensbewaking",
		"fr": "frontière contrôle frontalier",
		"de": "Grenze Grenzkontrolle Grenzschutz"},
	"border-security.surveillance": {
		"en": "border surveillance radar satellite coast",
		"nl": "grensbewaking radar satelliet kust",
		"fr": "surveillance frontières radar satellite côte",
		"de": "Grenzüberwachung Radar Satellit Küste"},
	"border-security.maritime": {
		"en": "maritime port harbour ship vessel sea offshore",
		"nl": "maritiem haven schip zee offshore",
		"fr": "maritime port navire mer",
		"de": "maritim Hafen Schiff See Offshore"},
	"border-security.customs": {
		"en": "customs supply chain container cargo smuggling",
		"nl": "douane logistieke keten container vracht smokkel",
		"fr": "douane chaîne logistique conteneur fret contrebande",
		"de": "Zoll Lieferkette Container Fracht Schmuggel"},
	"critical-infrastructure.energy": {
		"en": "energy grid electricity power plant substation blackout",
		"nl": "energie stroomnet elektriciteit centrale stroomstoring",
		"fr": "énergie réseau électrique électricité centrale panne",
		"de": "Energie Stromnetz Strom Kraftwerk Umspannwerk Stromausfall"},
	"critical-infrastructure.transport": {
		"en": "transport airport railway rail road traffic mobility tunnel bridge",
		"nl": "transport luchthaven vliegveld spoor weg verkeer mobiliteit tunnel brug",
		"fr": "transport aéroport ferroviaire route trafic mobilité tunnel pont",
		"de": "Verkehr Flughafen Bahn Straße Mobilität Tunnel Brücke"},
	"critical-infrastructure.water": {
		"en": "water drinking water dike dam sewage",
		"nl": "water drinkwater dijk dam riolering",
		"fr": "eau potable digue barrage assainissement",
		"de": "Wasser Trinkwasser Deich Damm Abwasser"},
	"critical-infrastructure.resilience": {
		"en": "resilience continuity vulnerability dependency critical",
		"nl": "weerbaarheid continuïteit kwetsbaarheid vitale infrastructuur",
		"fr": "résilience continuité vulnérabilité infrastructure critique",
		"de": "Resilienz Kontinuität Verwundbarkeit kritische Infrastruktur"},
	"cybersecurity": {
		"en": "cyber security hacking attack it security",
		"nl": "cyber beveiliging cyberaanval informatiebeveiliging",
		"fr": "cyber sécurité attaque informatique",
		"de": "Cyber Sicherheit Angriff IT-Sicherheit"},
	"cybersecurity.education-training": {
		"en": "cyber training exercise range awareness course",
		"nl": "cybertraining cyberoefening training cursus bewustwording",
		"fr": "formation cyber exercice entraînement sensibilisation",
		"de": "Cyber-Training Übung Schulung Sensibilisierung"},
	"cybersecurity.cryptology": {
		"en": "encryption cryptography quantum keys",
		"nl": "encryptie versleuteling cryptografie quantum",
		"fr": "chiffrement cryptographie quantique clés",
		"de": "Verschlüsselung Kryptographie Quanten Schlüssel"},
	"cybersecurity.identity-management": {
		"en": "identity authentication login access management",
		"nl": "identiteit authenticatie inloggen toegangsbeheer",
		"fr": "identité authentification accès",
		"de": "Identität Authentifizierung Anmeldung Zugangsverwaltung"},
	"cybersecurity.incident-handling-forensics": {
		"en": "incident response breach recovery",
		"nl": "incident respons datalek herstel",
		"fr": "incident réponse violation",
		"de": "Vorfall Reaktion Datenpanne"},
	"cybersecurity.network-distributed-systems": {
		"en": "network 5g telecom wireless distributed systems",
		"nl": "netwerk 5g telecom draadloos",
		"fr": "réseau 5g télécommunications sans fil",
		"de": "Netzwerk 5G Telekommunikation drahtlos"},
	"cybersecurity.software-hardware-security": {
		"en": "software hardware chip embedded iot vulnerability penetration test",
		"nl": "software hardware chip embedded iot kwetsbaarheid pentest",
		"fr": "logiciel matériel puce embarqué iot vulnérabilité",
		"de": "Software Hardware Chip eingebettet IoT Schwachstelle Penetrationstest"},
	"drones": {
		"en": "drone drones uav unmanned",
		"nl": "drone drones onbemand",
		"fr": "drone drones sans pilote",
		"de": "Drohne Drohnen unbemannt"},
	"drones.testing": {
		"en": "test flight test range airspace trial certify",
		"nl": "testen testvlucht testcentrum luchtruim proef",
		"fr": "essai vol test espace aérien",
		"de": "Test Testflug Testgelände Luftraum Erprobung"},
	"drones.counter-drone": {
		"en": "counter-drone detection jamming intercept sensor rogue",
		"nl": "drone detectie detecteren onderscheppen sensor storen",
		"fr": "anti-drone détection brouillage interception capteur",
		"de": "Drohnenabwehr Detektion Erkennung Störsender Sensor"},
	"drones.autonomy": {
		"en": "autonomous navigation robot robotics swarm",
		"nl": "autonoom navigatie robot robotica zwerm",
		"fr": "autonome navigation robot robotique essaim",
		"de": "autonom Navigation Roboter Robotik Schwarm"},
	"cbrne.detection": {
		"en": "chemical biological radiological detection sensor toxic",
		"nl": "chemisch biologisch radiologisch detectie giftig",
		"fr": "chimique biologique radiologique détection toxique",
		"de": "chemisch biologisch radiologisch Detektion giftig"},
	"cbrne.decontamination": {
		"en": "decontamination contamination hazmat",
		"nl": "decontaminatie ontsmetting besmetting",
		"fr": "décontamination contamination",
		"de": "Dekontamination Kontamination Gefahrgut"},
	"cbrne.explosives": {
		"en": "explosives bomb ied blast",
		"nl": "explosieven bom springstof",
		"fr": "explosifs bombe",
		"de": "Sprengstoff Bombe Explosion"},
	"forensics.digital": {
		"en": "digital forensics evidence phone laptop seized data recovery",
		"nl": "digitaal forensisch bewijs telefoon laptop gegevens",
		"fr": "criminalistique numérique preuve téléphone données",
		"de": "digitale Forensik Beweise Telefon Daten"},
	"forensics.crime-scene": {
		"en": "crime scene traces investigation evidence",
		"nl": "plaats delict sporen sporenonderzoek",
		"fr": "scène de crime traces enquête",
		"de": "Tatort Spuren Spurensicherung"},
	"first-responders.firefighting": {
		"en": "fire brigade firefighters firefighting fire",
		"nl": "brandweer brand blussen brandbestrijding",
		"fr": "pompiers incendie sapeurs",
		"de": "Feuerwehr Brand Brandbekämpfung Löschen"},
	"first-responders.medical": {
		"en": "ambulance medical hospital casualties injured triage",
		"nl": "ambulance medisch ziekenhuis slachtoffers gewonden spoedgevallen",
		"fr": "ambulance médical hôpital victimes blessés urgences",
		"de": "Rettungsdienst medizinisch Krankenhaus Verletzte Notaufnahme"},
	"first-responders.training": {
		"en": "training exercise drill simulation practice first responders",
		"nl": "training oefening oefenen simulatie hulpdiensten opleiding",
		"fr": "formation exercice entraînement simulation secours",
		"de": "Training Übung Ausbildung Simulation Einsatzkräfte"},
	"first-responders.equipment": {
		"en": "equipment protective gear suit helmet wearable",
		"nl": "uitrusting beschermende kleding pak helm",
		"fr": "équipement protection tenue casque",
		"de": "Ausrüstung Schutzkleidung Anzug Helm"},
	"privacy-identity.biometrics": {
		"en": "biometrics face recognition fingerprint access control",
		"nl": "biometrie gezichtsherkenning vingerafdruk toegangscontrole",
		"fr": "biométrie reconnaissance faciale empreinte contrôle accès",
		"de": "Biometrie Gesichtserkennung Fingerabdruck Zutrittskontrolle"},
	"privacy-identity.data-protection": {
		"en": "privacy gdpr personal data protection",
		"nl": "privacy avg persoonsgegevens gegevensbescherming",
		"fr": "vie privée rgpd données personnelles protection",
		"de": "Datenschutz DSGVO personenbezogene Daten"},
	"societal-ethics.ethics": {
		"en": "ethics ethical legal acceptability",
		"nl": "ethiek ethisch juridisch",
		"fr": "éthique juridique acceptabilité",
		"de": "Ethik ethisch rechtlich"},
	"societal-ethics.resilience": {
		"en": "community resilience citizens volunteers neighbourhood",
		"nl": "zelfredzaamheid burgers vrijwilligers buurt weerbaarheid",
		"fr": "résilience citoyens bénévoles quartier",
		"de": "Resilienz Bürger Freiwillige Nachbarschaft"},
	"societal-ethics.trust": {
		"en": "trust acceptance public opinion",
		"nl": "vertrouwen draagvlak acceptatie",
		"fr": "confiance acceptation opinion",
		"de": "Vertrauen Akzeptanz Öffentlichkeit"},
}
