package calls

import (
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/escnet/escnet/internal/directory"
)

// ParseConditions reads the extra eligibility conditions of a topic into
// rules (Origin "topic"), each with the sentence it came from. When the
// text has the portal's numbered sections, only "Other eligibility
// conditions" is read: award, budget and subcontracting sections also
// say "at least" but bind the project, not the consortium. Sentences
// that read like requirements but did not become rules are returned as
// Unparsed so a person checks them; procedural sentences (fill in the
// practitioners table, use Copernicus/Galileo data) are skipped.
//
// The general Horizon Europe rule is not included: see GeneralRule.
func ParseConditions(text string) ([]Rule, []Unparsed) {
	p := parser{rules: []Rule{}, unparsed: []Unparsed{}}
	for _, s := range splitSentences(cleanText(EligibilitySection(text))) {
		p.sentence(s)
	}
	return p.rules, p.unparsed
}

var (
	// The portal numbers its sections ("3. Other eligible conditions");
	// requiring the number keeps a typed sentence that merely mentions
	// other conditions from cutting the text.
	sectionStartRE = regexp.MustCompile(`(?i)\b\d\.\s*other\s+eligib(?:le|ility)\s+conditions\s*:?`)
	sectionEndRE   = regexp.MustCompile(`(?i)(?:\b\d[a-z]?\.\s*)?(?:financial\s+and\s+operational\s+capacity|evaluation\s+and\s+award|legal\s+and\s+financial\s+set-up|specific\s+conditions\b)`)
)

// EligibilitySection returns the "Other eligibility conditions" section
// of a topic's conditions text, or the whole text when it has no such
// heading (a text a person typed in).
func EligibilitySection(text string) string {
	loc := sectionStartRE.FindStringIndex(text)
	if loc == nil {
		return text
	}
	rest := text[loc[1]:]
	if end := sectionEndRE.FindStringIndex(rest); end != nil {
		rest = rest[:end[0]]
	}
	return rest
}

var (
	footnoteRE   = regexp.MustCompile(`(?s)\[\[.*?\]\]`)
	listItemRE   = regexp.MustCompile(`(?i)<li\b[^<>]*>`)
	tagRE        = regexp.MustCompile(`</?[a-zA-Z][^<>]*>`)
	attrTailRE   = regexp.MustCompile(`^\s*"?\s*>`)
	annexRefRE   = regexp.MustCompile(`(?i)(?:are\s+)?described\s+in\s+(?:Annex|Part)\s+[A-H](?:\s+and\s+(?:Annex\s+)?[A-H])?\s+of\s+the\s+(?:Horizon\s+Europe\s+)?Work\s+Programme\s+General\s+Annexes(?:\s+and\s+the\s+Online\s+Manual)?\.?`)
	gluedAndRE   = regexp.MustCompile(`\b(and|or)(at least|a minimum|minimum|[A-Z][a-z])`)
	gluedPunctRE = regexp.MustCompile(`([:;,])([A-Za-z“"‘(])`)
	gluedQuoteRE = regexp.MustCompile(`([’”])([A-Z])`)
	spaceBefore  = regexp.MustCompile(`\s+([,.;:])`)
)

// cleanText removes what the portal's HTML export leaves behind: mis-
// encoded characters, footnotes ([[...]]), tags and entities, the
// "described in Annex B" references glued to sentences, and words glued
// together where list items were.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s, _ = RepairText(s)
	s = footnoteRE.ReplaceAllString(s, " ")
	s = listItemRE.ReplaceAllString(s, " • ")
	s = tagRE.ReplaceAllString(s, " ")
	s = attrTailRE.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = annexRefRE.ReplaceAllString(s, " ")
	s = gluedAndRE.ReplaceAllString(s, "$1 $2")
	s = gluedPunctRE.ReplaceAllString(s, "$1 $2")
	s = gluedQuoteRE.ReplaceAllString(s, "$1 $2")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	return spaceBefore.ReplaceAllString(s, "$1")
}

const bullets = "•·▪◦●"

var (
	// A comma where a list item's markup ended before a new sentence.
	commaSentenceRE = regexp.MustCompile(`^,\s+For\s+(?:these|participants)\b`)
	countMarkRE     = regexp.MustCompile(`(?i)\b(?:at least|minimum|maximum)\b|\d`)
	// Abbreviations that never end a sentence; "etc." and "art." often do.
	abbrevRE = regexp.MustCompile(`(?i)(?:^|[\s(])(?:e\.g|i\.e|cf|incl|approx|vs)$`)
)

// splitSentences cuts cleaned text into sentences at full stops followed
// by a capital, a bullet or a dash; at colons that introduce a list; and
// at bullets. Abbreviations (e.g., i.e., Art.) do not end a sentence.
func splitSentences(s string) []string {
	var out []string
	start := 0
	emit := func(end int) {
		if t := trimSentence(s[start:end]); t != "" {
			out = append(out, t)
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case strings.ContainsRune(bullets, r):
			emit(i)
			start = i + size
		case r == '.' || r == '!' || r == '?':
			if sentenceEnds(s[i+size:]) && !abbrevRE.MatchString(s[start:i]) {
				emit(i + size)
				start = i + size
			}
		case r == ':':
			next := strings.TrimLeft(s[i+size:], " ")
			if startsWithDash(next) || startsUpper(next) && !countMarkRE.MatchString(s[start:i]) {
				emit(i + size)
				start = i + size
			}
		case r == ',':
			if commaSentenceRE.MatchString(s[i:]) {
				emit(i)
				start = i + size
			}
		}
		i += size
	}
	emit(len(s))
	return out
}

func sentenceEnds(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	if rest == "" {
		return true
	}
	if startsWithDash(rest) {
		return true
	}
	r, size := utf8.DecodeRuneInString(rest)
	if strings.ContainsRune(bullets, r) {
		return true
	}
	if strings.ContainsRune(`"“‘'`, r) {
		rest = rest[size:]
	}
	return startsUpper(rest)
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func startsWithDash(s string) bool {
	for _, d := range []string{"- ", "– ", "— ", "-A", "–A"} {
		if strings.HasPrefix(s, d) {
			return true
		}
	}
	return false
}

func trimSentence(s string) string {
	return strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), "-–—*"+bullets+" "))
}

// numPat is a count written as digits or as an English word.
const numPat = `(\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)`

var numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20}

func parseNum(s string) int {
	s = strings.ToLower(s)
	if n, ok := numberWords[s]; ok {
		return n
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// scopePat names a country scope: Member States, Associated Countries or
// plain countries.
const scopePat = `((?:the\s+)?(?:EU\s+)?Member\s+States?(?:\s*(?:,|or|and|and/or)\s+(?:in\s+)?(?:a\s+|an\s+)?(?:Horizon\s+Europe\s+|HE\s+)?Associated\s+Countr(?:y|ies))?|(?:Horizon\s+Europe\s+)?Associated\s+Countr(?:y|ies)|countries)`

func scopeOf(s string) string {
	s = strings.ToLower(s)
	switch {
	case strings.Contains(s, "associated"):
		return ScopeMemberOrAssociated
	case strings.Contains(s, "member"):
		return ScopeMember
	}
	return ScopeAny
}

var (
	// A count with its quantifier: "at least 3", "a minimum of three (3)".
	quantRE = regexp.MustCompile(`(?i)\b(at\s+least|a\s+minimum\s+of|minimum\s+of|minimum|no\s+fewer\s+than|not\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|a\s+maximum\s+of|maximum\s+of|maximum|at\s+most|up\s+to|no\s+more\s+than|not\s+more\s+than)\s+` + numPat + `\b(?:\s*\(\s*\d{1,4}\s*\))?`)
	// A bare count after a list connector: "and 3 public procurers".
	bareRE = regexp.MustCompile(`(?i)(?:\b(?:and|as\s+well\s+as|plus|of|include|includes|including|involve|involves)|[;,:])\s+` + numPat + `\b(?:\s*\(\s*\d{1,4}\s*\))?`)
	// What follows a number that counts something other than partners.
	notPartnersRE = regexp.MustCompile(`(?i)^\s*(?:%|percent|per\s+cent|of\b|different\b|(?:eu\s+)?member\b|associated\b|countr|months?\b|years?\b|weeks?\b|days?\b|hours?\b|million|billion|eur\b|euros?\b|€|pages?\b|times?\b|prototypes?\b|solutions?\b)`)
	maxQuantRE    = regexp.MustCompile(`(?i)maximum|at\s+most|up\s+to|no\s+more|not\s+more`)

	clauseCountRE = regexp.MustCompile(`(?i)\b(?:from|in|located\s+in|established\s+in|based\s+in|coming\s+from)\s+(?:at\s+least\s+)?` + numPat + `\s+(?:different\s+)?` + scopePat)
	clauseEachRE  = regexp.MustCompile(`(?i)(?:,\s*)?\beach\s+(?:(?:established|located|based)\s+)?in\s+a\s+different\s+` + scopePat)
	clauseScopeRE = regexp.MustCompile(`(?i)\b(?:from|in|located\s+in|established\s+in|based\s+in|coming\s+from)\s+(?:an?\s+|the\s+)?(?:eligible\s+)?((?:the\s+)?(?:EU\s+)?Member\s+States?(?:\s*(?:,|or|and|and/or)\s+(?:in\s+)?(?:Horizon\s+Europe\s+|HE\s+)?Associated\s+Countr(?:y|ies))?|(?:Horizon\s+Europe\s+)?Associated\s+Countr(?:y|ies))`)
	clauseMSRE    = regexp.MustCompile(`(?i)(?:,?\s*and)?\s*\bwith\s+at\s+least\s+` + numPat + `\s+of\s+them\s+(?:(?:established|located|based)\s+)?in\s+(?:a|an|the)\s+(?:EU\s+)?Member\s+States?`)
	asFollowsRE   = regexp.MustCompile(`(?i)\bas\s+follows\b`)
	independentRE = regexp.MustCompile(`(?i)\bindependent\b`)

	backRefRE    = regexp.MustCompile(`(?i)^(?:these|those|all\s+these|all\s+the|the)\s+(?:beneficiaries|participants|organi[sz]ations|partners|entities|practitioners)\s+(?:must|shall|should|have\s+to)\s+(?:be|come)\s+(?:established\s+|located\s+|based\s+)?(?:from|in)\s+(?:at\s+least\s+)?` + numPat + `\s+(?:different\s+)?` + scopePat + `\s*\.?$`)
	portfolioRE  = regexp.MustCompile(`(?i)\bthese\s+practitioners\s+(?:should|must|shall)\s+(?:represent|come\s+from|belong\s+to)\b[^:]*:\s*(.+)$`)
	allInScopeRE = regexp.MustCompile(`(?i)\b(?:is|are)\s+(?:limited|restricted)\s+to\s+(?:legal\s+)?entities\s+(?:established|located|based)\s+in\s+` + scopePat + `|\bonly\s+(?:legal\s+)?entities\s+(?:established|located|based)\s+in\s+` + scopePat + `\s+(?:are|may)\b`)

	proceduralRE    = regexp.MustCompile(`(?i)\bfill\s+in\s+the\s+table\b|\bcopernicus\b|\bgalileo\b|\begnos\b`)
	overlapRE       = regexp.MustCompile(`(?i)\bcan\s+have\s+the\s+role\s+of\b.*\bsimultaneously\b`)
	requirementRE   = regexp.MustCompile(`(?i)\b(?:at\s+least|minimum|maximum|at\s+most|must|shall|required|requires?|restrict\w*|limited\s+to|not\s+eligible|only|mandatory|obligatory)\b`)
	notCheckedRE    = regexp.MustCompile(`(?i)\bcontroll?ed\s+by\b|\bcontrol\b|communication\s+networks|\bbudget\b|%|\bper\s?cent\b|\bconsultations?\b|\bsubcontract|financial\s+support\s+to\s+third\s+parties|\bduration\b`)
	enumeratorTail  = regexp.MustCompile(`(?i)\s*\((?:[ivx]{1,4}|[a-h]|\d{1,2})\)$`)
	connectorTail   = regexp.MustCompile(`(?i)\s+(?:and|or|as\s+well\s+as|plus|to|of)$`)
	genericNounHead = regexp.MustCompile(`(?i)^(?:organi[sz]ations?|authorit(?:y|ies)|agenc(?:y|ies)|services?|bodies|body)\b`)
)

// typePatterns recognise the kinds of partner that calls name. Specific
// ones win over "practitioner" and "legal entity" in the same phrase:
// "practitioner organisations (first responders)" asks for first
// responders.
var typePatterns = []struct {
	re    *regexp.Regexp
	types []string
}{
	{regexp.MustCompile(`(?i)\bborder,?\s+(?:or\s+)?coast\s+guard,?\s+or\s+customs(?:\s+authorit(?:y|ies))?`), []string{directory.RoleBorderGuard, directory.RoleCustoms}},
	{regexp.MustCompile(`(?i)\bborder\s+(?:or|and)\s+coast\s+guards?(?:\s+authorit(?:y|ies))?`), []string{directory.RoleBorderGuard}},
	{regexp.MustCompile(`(?i)\b(?:border|coast)\s+guards?(?:\s+authorit(?:y|ies))?`), []string{directory.RoleBorderGuard}},
	{regexp.MustCompile(`(?i)\bcustoms(?:\s+authorit(?:y|ies)|\s+administrations?|\s+services?)?`), []string{directory.RoleCustoms}},
	{regexp.MustCompile(`(?i)\bpolice(?:\s+authorit(?:y|ies)|\s+forces?|\s+services?|\s+organi[sz]ations?)?`), []string{directory.RolePolice}},
	{regexp.MustCompile(`(?i)\blaw\s+enforcement(?:\s+agenc(?:y|ies)|\s+authorit(?:y|ies))?`), []string{directory.RolePolice}},
	{regexp.MustCompile(`(?i)\b(?:safety\s+or\s+security\s+)?first\s+responders?(?:['’]s?)?(?:\s+organi[sz]ations?(?:\s+or\s+agencies)?|\s+agenc(?:y|ies))?`), []string{directory.RoleFirstResponder}},
	{regexp.MustCompile(`(?i)\bfire\s+(?:brigades?|services?|fighters?|and\s+rescue\s+services?)|\bfirefighters?`), []string{directory.RoleFirstResponder}},
	{regexp.MustCompile(`(?i)\bmedical\s+emergency(?:\s+authorit(?:y|ies)|\s+services?|\s+organi[sz]ations?)?|\bemergency\s+medical\s+services?`), []string{directory.RoleMedicalEmergency}},
	{regexp.MustCompile(`(?i)\bcivil\s+protection(?:\s+authorit(?:y|ies)|\s+agenc(?:y|ies)|\s+organi[sz]ations?|\s+units?)?`), []string{directory.RoleCivilProtection}},
	{regexp.MustCompile(`(?i)\bauthorit(?:y|ies)\s+(?:in\s+charge\s+of|responsible\s+for)\s+(?:managing\s+)?(?:disaster\s+risk(?:\s+management)?(?:\s+(?:or|and)\s+crisis\s+communication)?|crisis\s+communication|natech\b[^,;]*?\bevents?)`), []string{directory.RoleCivilProtection, directory.RoleDisasterRisk}},
	{regexp.MustCompile(`(?i)\bdisaster\s+(?:risk\s+)?management\s+authorit(?:y|ies)`), []string{directory.RoleCivilProtection, directory.RoleDisasterRisk}},
	{regexp.MustCompile(`(?i)\blocal\s+(?:or|and|and/or)\s+regional\s+authorit(?:y|ies)|\b(?:local|regional)\s+authorit(?:y|ies)|\bmunicipalit(?:y|ies)`), []string{TypeLocalAuthority}},
	{regexp.MustCompile(`(?i)\b(?:public\s+)?procurers?\b`), []string{directory.RolePublicProcurer}},
	{regexp.MustCompile(`(?i)\bcritical\s+infrastructure\s+operators?|\boperators?\s+of\s+critical\s+infrastructures?|\bauthorit(?:y|ies)\s+responsible\s+for\s+critical\s+infrastructure(?:\s+resilience)?|\bprivate\s+companies\s+providing\s+security\s+for\s+critical\s+infrastructures?`), []string{directory.RoleCriticalInfrastructure}},
	{youthRE, []string{TypeYouth}},
	{nonSMERE, []string{TypeNonSMEIndustry}},
	{regexp.MustCompile(`(?i)\bcivil\s+society\s+organi[sz]ations?|\bcsos?\b|\bnon-governmental\s+organi[sz]ations?|\bngos?\b`), []string{TypeCivilSociety}},
	{regexp.MustCompile(`(?i)\bresearch\s+and\s+technology\s+organi[sz]ations?|\brtos?\b`), []string{TypeResearch}},
	{regexp.MustCompile(`(?i)\bsmes?\b|\bsmall\s+and\s+medium-sized\s+enterprises?`), []string{TypeSME}},
	{regexp.MustCompile(`(?i)\btraining\s+cent(?:re|er)s?\b`), []string{TypeTrainingCentre}},
	{regexp.MustCompile(`(?i)\bend[-\s]users?(?:\s+organi[sz]ations?)?`), []string{TypePractitioner}},
	{regexp.MustCompile(`(?i)\b(?:security\s+)?practitioners?(?:\s+organi[sz]ations?)?`), []string{TypePractitioner}},
	{regexp.MustCompile(`(?i)\b(?:independent\s+)?legal\s+entit(?:y|ies)\b|\bpartners?\b|\borgani[sz]ations?\b|\bbeneficiar(?:y|ies)\b|\bentit(?:y|ies)\b|\bparticipants?\b`), []string{TypeLegalEntity}},
}

// findTypes returns the partner types a phrase names, the specific ones
// only when there are any, and where the last of those ends. A type found
// inside the words of a narrower one (the "NGOs" of "NGOs representing
// young people") is the narrower one only.
func findTypes(phrase string) (types []string, end int) {
	type hit struct {
		t          string
		start, end int
	}
	var hits []hit
	narrow := map[string][][]int{TypeYouth: youthRE.FindAllStringIndex(phrase, -1), TypeNonSMEIndustry: nonSMERE.FindAllStringIndex(phrase, -1)}
	inside := func(t string, loc []int) bool {
		for nt, spans := range narrow {
			if nt != t && slices.ContainsFunc(spans, func(y []int) bool { return loc[0] >= y[0] && loc[1] <= y[1] }) {
				return true
			}
		}
		return false
	}
	for _, tp := range typePatterns {
		for _, loc := range tp.re.FindAllStringIndex(phrase, -1) {
			for _, t := range tp.types {
				if inside(t, loc) {
					continue
				}
				hits = append(hits, hit{t, loc[0], loc[1]})
			}
		}
	}
	rank := func(t string) int {
		switch t {
		case TypeLegalEntity:
			return 0
		case TypePractitioner:
			return 1
		}
		return 2
	}
	best := 0
	for _, h := range hits {
		best = max(best, rank(h.t))
	}
	for _, h := range hits {
		if rank(h.t) == best {
			types = append(types, h.t)
			end = max(end, h.end)
		}
	}
	return normalizeTypes(types), end
}

// clause is a country condition within a phrase.
type clause struct {
	found        bool
	start        int
	scope        string
	minCountries int
	each         bool // "each in a different ...": as many countries as members
	minInMS      int
}

func findClause(phrase string) clause {
	c := clause{start: len(phrase), scope: ScopeAny}
	take := func(loc []int) bool {
		if loc == nil {
			return false
		}
		c.found = true
		c.start = min(c.start, loc[0])
		return true
	}
	if m := clauseCountRE.FindStringSubmatchIndex(phrase); take(m) {
		c.minCountries = parseNum(phrase[m[2]:m[3]])
		c.scope = scopeOf(phrase[m[4]:m[5]])
	} else if m := clauseEachRE.FindStringSubmatchIndex(phrase); take(m) {
		c.each = true
		c.scope = scopeOf(phrase[m[2]:m[3]])
	} else if m := clauseScopeRE.FindStringSubmatchIndex(phrase); take(m) {
		c.scope = scopeOf(phrase[m[2]:m[3]])
	}
	if m := clauseMSRE.FindStringSubmatchIndex(phrase); take(m) {
		c.minInMS = parseNum(phrase[m[2]:m[3]])
	}
	return c
}

// item is one counted kind of partner in a sentence.
type item struct {
	count       int
	max         bool
	phrase      string
	types       []string
	qualifier   string
	independent bool
	clause      clause
	group       bool // "N organisations ... as follows: (i) ... (ii) ..."
}

type candidate struct {
	start, end int // span of quantifier and number; the phrase follows end
	num        int
	max        bool
}

// counts finds the numbers in a sentence that count partners.
func counts(s string) []candidate {
	var cs []candidate
	seen := map[int]bool{}
	add := func(start, numStart, numEnd, end int, isMax bool) {
		if seen[numStart] || notPartnersRE.MatchString(s[end:]) {
			return
		}
		seen[numStart] = true
		cs = append(cs, candidate{start: start, end: end, num: parseNum(s[numStart:numEnd]), max: isMax})
	}
	for _, m := range quantRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], m[4], m[5], m[1], maxQuantRE.MatchString(s[m[2]:m[3]]))
	}
	for _, m := range bareRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[2], m[2], m[3], m[1], false)
	}
	slices.SortFunc(cs, func(a, b candidate) int { return a.start - b.start })
	return cs
}

func trimPhrase(p string) string {
	for {
		before := p
		p = strings.TrimRight(p, " .,;:")
		p = enumeratorTail.ReplaceAllString(p, "")
		p = connectorTail.ReplaceAllString(p, "")
		if p == before {
			return strings.TrimSpace(p)
		}
	}
}

func cleanQualifier(q string) string {
	for {
		before := q
		q = strings.TrimLeft(q, " .,;:)'’")
		if strings.HasPrefix(q, "(") {
			if i := strings.IndexByte(q, ')'); i >= 0 {
				q = q[i+1:]
			}
		}
		q = genericNounHead.ReplaceAllString(q, "")
		if q == before {
			break
		}
	}
	return trimPhrase(q)
}

func items(s string) ([]item, bool) {
	cs := counts(s)
	out := make([]item, 0, len(cs))
	for i, c := range cs {
		end := len(s)
		if i+1 < len(cs) {
			end = cs[i+1].start
		}
		phrase := trimPhrase(s[c.end:end])
		out = append(out, item{count: c.num, max: c.max, phrase: phrase})
	}
	// "a minimum of three (3) to a maximum of seven (7) partners": a
	// count without a noun takes the next one's.
	for i := len(out) - 2; i >= 0; i-- {
		if out[i].phrase == "" {
			out[i].phrase = out[i+1].phrase
		}
	}
	for i := range out {
		it := &out[i]
		it.clause = findClause(it.phrase)
		typePhrase := it.phrase[:it.clause.start]
		if loc := asFollowsRE.FindStringIndex(it.phrase); loc != nil {
			it.group = true
			typePhrase = it.phrase[:min(loc[0], it.clause.start)]
		}
		var end int
		it.types, end = findTypes(typePhrase)
		if len(it.types) == 0 {
			return nil, false
		}
		it.qualifier = cleanQualifier(typePhrase[end:])
		it.independent = independentRE.MatchString(typePhrase)
		if it.clause.each {
			it.clause.minCountries = it.count
		}
	}
	return out, true
}

func kindFor(types []string) string {
	if slices.Equal(types, []string{TypeLegalEntity}) {
		return KindMinPartners
	}
	if !slices.ContainsFunc(types, func(t string) bool { return !isPractitionerType(t) }) {
		return KindMinPractitioners
	}
	return KindMinEntitiesOfType
}

type parser struct {
	rules    []Rule
	unparsed []Unparsed
	// last holds the indexes of the rules the latest counting sentence
	// produced, which "These beneficiaries must be from ..." refers to.
	last []int
}

func (p *parser) leave(s, reason string) {
	p.unparsed = append(p.unparsed, Unparsed{Sentence: s, Reason: reason})
}

func (p *parser) unread(s string) {
	if notCheckedRE.MatchString(s) {
		p.leave(s, ReasonNotChecked)
		return
	}
	p.leave(s, ReasonNotUnderstood)
}

func (p *parser) sentence(s string) {
	if proceduralRE.MatchString(s) || overlapRE.MatchString(s) {
		return
	}
	if m := backRefRE.FindStringSubmatch(s); m != nil {
		p.backReference(s, parseNum(m[1]), scopeOf(m[2]))
		return
	}
	if m := portfolioRE.FindStringSubmatch(s); m != nil {
		p.portfolio(s, m[1])
		return
	}
	if p.budget(s) {
		return
	}
	if m := allInScopeRE.FindStringSubmatch(s); m != nil {
		scope := scopeOf(m[1] + m[2])
		if scope == ScopeAny {
			p.unread(s)
			return
		}
		p.add(s, []Rule{{Kind: KindAllInScope, Types: []string{TypeLegalEntity}, CountryScope: scope, Source: s, Origin: OriginTopic}})
		return
	}
	its, ok := items(s)
	switch {
	case !ok:
		p.unread(s)
		return
	case len(its) == 0:
		if strings.HasSuffix(s, ":") {
			return // a lead-in to a list ("Consortia must include:")
		}
		if requirementRE.MatchString(s) {
			p.unread(s)
		}
		return
	}
	rules, ok := rulesFor(s, its)
	if !ok {
		p.unread(s)
		return
	}
	if p.add(s, rules) {
		p.last = p.last[:0]
		for i := len(p.rules) - len(rules); i < len(p.rules); i++ {
			p.last = append(p.last, i)
		}
	}
}

// add keeps rules only when every one of them is valid: a sentence that
// reads as a rule nobody can meet is left for a person instead.
func (p *parser) add(s string, rules []Rule) bool {
	for _, r := range rules {
		if len(r.Validate()) > 0 {
			p.leave(s, ReasonCannotBeMet)
			return false
		}
	}
	p.rules = append(p.rules, rules...)
	return true
}

// rulesFor turns the counted items of one sentence into rules. A country
// condition stated once after several items ("2 X and 2 Y from at least 3
// different Member States") binds them together: each must come from the
// scope, and a min_countries rule holds the number of countries.
func rulesFor(s string, its []item) ([]Rule, bool) {
	base := func(it item) Rule {
		r := Rule{Kind: kindFor(it.types), Count: it.count, Types: it.types, Qualifier: it.qualifier,
			MinCountries: it.clause.minCountries, CountryScope: it.clause.scope,
			MinInMemberState: it.clause.minInMS, Independent: it.independent, Source: s, Origin: OriginTopic}
		if it.max {
			r.Kind = KindMaxPartners
			r.Qualifier = ""
		}
		return r
	}
	var rules []Rule
	for _, it := range its {
		if it.max && !slices.Equal(it.types, []string{TypeLegalEntity}) {
			return nil, false // a maximum of some kind of partner: not modelled
		}
	}
	// A group: "at least 3 organisations from at least 3 countries as
	// follows: (i) one X; (ii) one Y; (iii) one Z".
	if len(its) > 1 && its[0].group && !its[0].max {
		g := its[0]
		joint := Rule{Kind: KindMinCountries, Count: g.count, MinCountries: g.clause.minCountries,
			CountryScope: g.clause.scope, MinInMemberState: g.clause.minInMS, Independent: g.independent,
			Source: s, Origin: OriginTopic}
		var members []Rule
		for _, it := range its[1:] {
			if !it.clause.found {
				it.clause.scope = g.clause.scope
			}
			r := base(it)
			joint.Types = append(joint.Types, r.Types...)
			members = append(members, r)
		}
		joint.Types = normalizeTypes(joint.Types)
		if joint.MinCountries == 0 {
			joint.Kind = kindFor(joint.Types)
		}
		return append([]Rule{joint}, members...), true
	}
	last := its[len(its)-1]
	shared := len(its) > 1 && last.clause.found &&
		slices.ContainsFunc(its[:len(its)-1], func(it item) bool { return !it.clause.found })
	if !shared {
		for _, it := range its {
			rules = append(rules, base(it))
		}
		return rules, true
	}
	joint := Rule{Kind: KindMinCountries, MinCountries: last.clause.minCountries, CountryScope: last.clause.scope,
		MinInMemberState: last.clause.minInMS, Source: s, Origin: OriginTopic}
	for i, it := range its {
		if i == len(its)-1 || !it.clause.found {
			it.clause = clause{found: true, scope: last.clause.scope}
			joint.Types = append(joint.Types, it.types...)
		}
		rules = append(rules, base(it))
	}
	if joint.MinCountries > 0 || joint.MinInMemberState > 0 {
		joint.Types = normalizeTypes(joint.Types)
		joint.MinCountries = max(joint.MinCountries, 1)
		rules = append(rules, joint)
	}
	return rules, true
}

// backReference handles "These beneficiaries must be from at least 3
// different Member States or Associated Countries", which sets the
// country condition for the partners the sentence before counted.
func (p *parser) backReference(s string, n int, scope string) {
	var types []string
	for _, i := range p.last {
		if p.rules[i].Kind != KindMaxPartners && p.rules[i].Kind != KindAllInScope {
			types = append(types, p.rules[i].Types...)
		}
	}
	if len(types) == 0 {
		p.unread(s)
		return
	}
	p.add(s, []Rule{{Kind: KindMinCountries, Types: normalizeTypes(types), MinCountries: n,
		CountryScope: scope, Source: s, Origin: OriginTopic}})
}

// portfolio narrows "at least 3 relevant practitioners" by the sentence
// that follows it: "these practitioners should represent one or several
// of the following portfolios: critical infrastructure operator, civil
// protection authority, ...". The rule's source then holds both
// sentences.
func (p *parser) portfolio(s, list string) {
	target := -1
	for _, i := range p.last {
		if slices.Equal(p.rules[i].Types, []string{TypePractitioner}) {
			if target >= 0 {
				target = -1 // more than one: ambiguous
				break
			}
			target = i
		}
	}
	if target < 0 {
		p.unread(s)
		return
	}
	var types []string
	for _, entry := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' }) {
		entry = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(entry), "and "))
		if entry == "" || strings.Trim(entry, ".") == "" {
			continue
		}
		ts, _ := findTypes(entry)
		if len(ts) == 0 || slices.Contains(ts, TypeLegalEntity) || slices.Contains(ts, TypePractitioner) {
			p.unread(s) // a portfolio we cannot name: leave the rule as it is
			return
		}
		types = append(types, ts...)
	}
	if len(types) == 0 {
		p.unread(s)
		return
	}
	narrowed := p.rules[target]
	narrowed.Types = normalizeTypes(types)
	narrowed.Kind = kindFor(narrowed.Types)
	narrowed.Source += " " + s
	if len(narrowed.Validate()) > 0 {
		p.unread(s)
		return
	}
	p.rules[target] = narrowed
}
