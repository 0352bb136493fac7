package projects

import (
	"slices"
	"strings"
	"unicode"

	"github.com/escnet/escnet/internal/directory"
)

// The CORDIS linker: is an organisation entered in the directory the same
// legal entity as a CORDIS participant? Identifiers decide first (the
// PIC, the VAT number); then evidence is weighed — the names read across
// languages and legal forms (link_words.go), acronyms and short names,
// the website, the city, the kind — and what speaks against it: other
// distinctive words on both sides (a subsidiary, a branch, a namesake),
// other acronyms, another VAT number or PIC, another country. Strong
// evidence links automatically; weaker evidence makes a merge candidate
// with its reasons. Pure functions: the service reads and writes.

// Verdicts of a comparison.
const (
	LinkNone      = "none"      // not the same organisation, as far as can be told
	LinkCandidate = "candidate" // perhaps: a person decides (a merge candidate)
	LinkAuto      = "link"      // the same legal entity: linked automatically
)

// Thresholds of the evidence score (tuned on the "tune" part of
// testdata/links.tsv only; see docs/benchmarks.md).
const (
	linkAutoScore      = 4.5
	linkCandidateScore = 2.5
)

// Reason codes of a comparison (message keys "links.reason.<code>").
const (
	ReasonSamePIC      = "same_pic"
	ReasonSameName     = "same_name"     // the same name, read across languages and legal forms
	ReasonNameContains = "name_contains" // one name holds the other's
	ReasonNameWords    = "name_words"    // some distinctive words in common
	ReasonBothNames    = "both_names"    // the short names agree too
	ReasonAcronym      = "acronym"       // an acronym or short name in common
	ReasonSameWebsite  = "same_website"  // the same website
	ReasonSameDomain   = "same_domain"   // the same domain, another address
	ReasonGroupWebsite = "group_website" // a website several organisations share
	ReasonSameCity     = "same_city"     // the same city (Köln, Koeln, Cologne)
	ReasonSameKind     = "same_kind"     // the same kind of organisation
	ReasonOtherCity    = "other_city"    // another city
	ReasonOtherWords   = "other_words"   // distinctive words on both sides the other lacks
	ReasonOtherAcronym = "other_acronym" // other acronyms
	ReasonOtherVAT     = "other_vat"     // another VAT number
	ReasonOtherPIC     = "other_pic"     // another PIC
	ReasonOtherKind    = "other_kind"    // another kind of organisation
	ReasonOtherCountry = "other_country" // another country
	ReasonOtherForm    = "other_form"    // another legal form: a foundation and a company
)

// LinkReasonCodes lists every reason code, for the translations' test.
var LinkReasonCodes = []string{ReasonSamePIC, ReasonVAT, ReasonSameName, ReasonNameContains, ReasonNameWords,
	ReasonBothNames, ReasonAcronym, ReasonSameWebsite, ReasonSameDomain, ReasonGroupWebsite, ReasonSameCity,
	ReasonSameKind, ReasonOtherCity, ReasonOtherWords, ReasonOtherAcronym, ReasonOtherVAT, ReasonOtherPIC,
	ReasonOtherKind, ReasonOtherCountry, ReasonOtherForm}

// LinkRecord is one side of a comparison: a directory organisation or a
// CORDIS participant. Kind is a directory kind (a CORDIS activity type is
// mapped with directory.KindFromCORDIS).
type LinkRecord struct {
	ID, Slug, Name, ShortName, Kind, Country, City, Website, PIC, VAT string
}

// LinkReason is one piece of evidence, for or against; Value is what it
// rests on (the shared words, the acronym, the host, the city).
type LinkReason struct {
	Code  string `json:"code"`
	Value string `json:"value,omitempty"`
}

// LinkEvidence is the outcome of a comparison.
type LinkEvidence struct {
	Verdict string       `json:"verdict"`
	Score   float64      `json:"score"`
	Reasons []LinkReason `json:"reasons"`
}

// LinkCorpus knows what the compared records share: how many CORDIS
// records give each website host (a group's host such as thalesgroup.com
// is weak evidence).
type LinkCorpus struct{ hosts map[string]int }

// NewLinkCorpus counts the website hosts of records.
func NewLinkCorpus(records []LinkRecord) *LinkCorpus {
	c := &LinkCorpus{hosts: map[string]int{}}
	seen := map[string]bool{}
	for _, r := range records {
		h := WebsiteHost(r.Website)
		if h == "" || seen[r.ID+"\x00"+h] {
			continue
		}
		seen[r.ID+"\x00"+h] = true
		c.hosts[h]++
	}
	return c
}

// Compare weighs the evidence that entered (a directory organisation) and
// record (a CORDIS participant) are one legal entity.
func (c *LinkCorpus) Compare(entered, record LinkRecord) LinkEvidence {
	return c.compare(entered, record, func() (analysed, analysed) { return analyse(entered), analyse(record) })
}

// compare is Compare with the names' analysis given (read once per
// record when many pairs are compared), computed only when identifiers
// and the country do not decide.
func (c *LinkCorpus) compare(entered, record LinkRecord, names func() (analysed, analysed)) LinkEvidence {
	var ev LinkEvidence
	add := func(code, value string, points float64) {
		ev.Reasons = append(ev.Reasons, LinkReason{code, value})
		ev.Score += points
	}
	if entered.PIC != "" && entered.PIC == record.PIC {
		add(ReasonSamePIC, record.PIC, 10)
		ev.Verdict = LinkAuto
		return ev
	}
	va, vb := normVAT(entered.VAT), normVAT(record.VAT)
	if va != "" && va == vb {
		add(ReasonVAT, vb, 10)
		ev.Verdict = LinkAuto
		return ev
	}
	ca, cb := normCountry(entered.Country), normCountry(record.Country)
	if ca != "" && cb != "" && ca != cb {
		add(ReasonOtherCountry, cb, -10)
		ev.Verdict = LinkNone
		return ev
	}
	conflict := false
	against := func(code, value string, points float64) {
		add(code, value, points)
		conflict = true
	}
	if va != "" && vb != "" {
		against(ReasonOtherVAT, vb, -3)
	}
	if entered.PIC != "" && record.PIC != "" {
		// CORDIS knows some entities under several PICs (VTT before and
		// after 2015): another PIC weighs against, it does not rule out.
		add(ReasonOtherPIC, record.PIC, -1.5)
	}
	na, nb := names()
	if fa, fb := formOf(entered.Name), formOf(record.Name); fa != "" && fb != "" && fa != fb {
		against(ReasonOtherForm, fb, -1)
	}
	c.names(na, nb, add, against)
	c.acronyms(na, nb, add, against)
	c.website(entered.Website, record.Website, add)
	c.place(entered, record, add)
	switch {
	case ev.Score >= linkAutoScore && !conflict:
		ev.Verdict = LinkAuto
	case ev.Score >= linkCandidateScore:
		ev.Verdict = LinkCandidate
	default:
		ev.Verdict = LinkNone
	}
	return ev
}

type adder func(code, value string, points float64)

// names compares the names (and short names of several words, which are
// names too) and adds the best agreement, or the words against.
func (c *LinkCorpus) names(a, b analysed, add, against adder) {
	best, bestWords, same := nameResult{}, "", 0
	for i, x := range a.variants {
		for j, y := range b.variants {
			r := compareWords(x, y)
			r.full = i == 0 && j == 0
			if r.kind == nameSame {
				same++
			}
			if r.better(best) {
				// The reason names the record's name as written (not the
				// concepts it was read as).
				best, bestWords = r, b.names[j]
			}
		}
	}
	switch best.kind {
	case nameSame:
		pts := 3.0
		if !best.full {
			pts = 2 // through a short name only
		}
		add(ReasonSameName, bestWords, pts)
		if same > 1 || best.full && a.short != "" && a.short == b.short {
			add(ReasonBothNames, "", 1)
		}
	case nameContains:
		pts := 1.0
		if best.sim >= 0.75 {
			pts = 1.5
		}
		add(ReasonNameContains, bestWords, pts)
	case namePartial:
		add(ReasonNameWords, bestWords, 0.5)
		if best.extra != "" {
			against(ReasonOtherWords, bestWords, -1)
		}
	case nameNone:
		if best.extra != "" {
			against(ReasonOtherWords, b.names[0], -1)
		}
	}
}

// acronyms compares short names and acronyms: one side's acronym among
// the other's acronyms or initials.
func (c *LinkCorpus) acronyms(a, b analysed, add, against adder) {
	points := func(x string) float64 {
		switch {
		case a.words[x] && b.words[x]:
			return 0.5 // a word of both names: counted with the names already
		case len(x) >= 3:
			return 2
		}
		return 1
	}
	for _, x := range sortedKeys(a.acronyms) {
		if b.acronyms[x] || b.initials[x] {
			add(ReasonAcronym, strings.ToUpper(x), points(x))
			return
		}
	}
	for _, y := range sortedKeys(b.acronyms) {
		if a.initials[y] {
			add(ReasonAcronym, strings.ToUpper(y), points(y))
			return
		}
	}
	if a.short != "" && b.short != "" && !strings.Contains(a.short, b.short) && !strings.Contains(b.short, a.short) {
		add(ReasonOtherAcronym, strings.ToUpper(b.short), -1)
	}
}

// website compares the hosts: the same host, unless a group's (several
// records give it) or a portal's with other paths; the same domain.
func (c *LinkCorpus) website(a, b string, add adder) {
	ha, hb := WebsiteHost(a), WebsiteHost(b)
	if ha == "" || hb == "" {
		return
	}
	switch {
	case ha == hb && c.hosts[hb] > 1:
		add(ReasonGroupWebsite, hb, 0.5)
	case ha == hb && websitePath(a) != "" && websitePath(b) != "":
		add(ReasonSameDomain, hb, 1)
	case ha == hb:
		add(ReasonSameWebsite, hb, 2)
	case siteLabel(ha) != "" && siteLabel(ha) == siteLabel(hb):
		add(ReasonSameDomain, siteLabel(hb), 1)
	}
}

// place compares the city and the kind.
func (c *LinkCorpus) place(a, b LinkRecord, add adder) {
	switch ca, cb := cityKeys(a.City), cityKeys(b.City); {
	case len(ca) == 0 || len(cb) == 0:
	case intersects(ca, cb):
		add(ReasonSameCity, b.City, 1)
	default:
		add(ReasonOtherCity, b.City, -0.5)
	}
	switch {
	case a.Kind == "" || b.Kind == "":
	case a.Kind == b.Kind:
		add(ReasonSameKind, b.Kind, 0.5)
	default:
		add(ReasonOtherKind, b.Kind, -0.5)
	}
}

// analysed is what the linker reads of a record's names.
type analysed struct {
	variants []map[string]float64 // the name, and a short name of several words, as weighted concepts
	names    []string             // the variants as written
	acronyms map[string]bool      // short name and upper-case words of the name, folded, letters only
	initials map[string]bool      // initials of the name's words
	short    string               // the short name if it is one acronym-like word
	words    map[string]bool      // the name's words, folded
}

func analyse(r LinkRecord) analysed {
	a := analysed{acronyms: map[string]bool{}, initials: map[string]bool{}, words: map[string]bool{}}
	city := cityKeys(r.City)
	if v := conceptWords(r.Name, city); len(v) > 0 {
		a.variants, a.names = append(a.variants, v), append(a.names, r.Name)
	}
	shortWords := nameWords(r.ShortName)
	if len(shortWords) >= 2 {
		if v := conceptWords(r.ShortName, city); len(v) > 0 {
			a.variants, a.names = append(a.variants, v), append(a.names, r.ShortName)
		}
	}
	if sq := squash(r.ShortName); sq != "" && (len(shortWords) == 1 || len(sq) <= 10) {
		a.acronyms[sq] = true
		if len(shortWords) == 1 && len(sq) <= 8 {
			a.short = sq
		}
	}
	if len(shortWords) >= 3 {
		// "CENTRE FOR RESEARCH AND TECHNOLOGY HELLAS CERTH": the last word
		// of a long short name, if it is no word of the name, is an acronym.
		f := foldUmlauts(squash(shortWords[len(shortWords)-1]))
		if len(f) >= 2 && len(f) <= 6 && !stopWords[f] && !legalForms[f] && !linkForms[f] && concepts[f] == "" && !demonyms[f] && cityWords[f] == "" &&
			!slices.ContainsFunc(nameWords(r.Name), func(w string) bool { return foldUmlauts(squash(w)) == f }) {
			a.acronyms[f] = true
		}
	}
	words := nameWords(r.Name)
	if len(words) == 1 {
		a.acronyms[squash(words[0])] = true
	}
	mixed := r.Name != strings.ToUpper(r.Name)
	var ini strings.Builder
	for _, w := range words {
		if mixed && len(w) >= 2 && len(w) <= 6 && w == strings.ToUpper(w) && hasLetter(w) {
			a.acronyms[squash(w)] = true
		}
		f := squash(w)
		if f == "" || stopWords[f] || legalForms[f] {
			continue
		}
		a.words[f] = true
		ini.WriteByte(f[0])
	}
	if ini.Len() >= 2 {
		a.initials[ini.String()] = true
		// National bodies' acronyms often start with the country's
		// initial in English: "BFP" for the Belgian federal police.
		if c := countryInitial[normCountry(r.Country)]; c != "" {
			a.initials[c+ini.String()] = true
		}
	}
	return a
}

// countryInitial is the first letter of a country's English adjective.
var countryInitial = map[string]string{"BE": "b", "NL": "n", "DE": "g", "FR": "f", "FI": "f", "DK": "d", "ES": "s", "IT": "i",
	"AT": "a", "SE": "s", "NO": "n", "GR": "h", "PT": "p", "PL": "p", "IE": "i", "GB": "b", "RO": "r", "LU": "l"}

// nameWords splits a name into its words as written, dropping dots so
// that "e.V." is one word.
func nameWords(s string) []string {
	s = strings.ReplaceAll(s, ".", "")
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func squash(s string) string {
	var b strings.Builder
	for _, r := range directory.Fold(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

// foldUmlauts writes "ae", "oe", "ue" as "a", "o", "u", so that the
// spellings with and without umlauts ("Muenchen", "München") meet.
func foldUmlauts(w string) string {
	if !strings.ContainsAny(w, "e") {
		return w
	}
	return strings.NewReplacer("ae", "a", "oe", "o", "ue", "u").Replace(w)
}

// conceptWords reads a name as weighted concepts: little words and legal
// forms dropped, words of the languages mapped to one concept, country
// names left out, city names mapped to one name; a generic concept
// weighs 0.3, a city 0.6, any other word 1.
func conceptWords(name string, city map[string]bool) map[string]float64 {
	out := map[string]float64{}
	put := func(k string, w float64) {
		if w > out[k] {
			out[k] = w
		}
	}
	for _, w := range nameWords(strings.NewReplacer("'", " ", "’", " ", "&", " and ").Replace(name)) {
		f := squash(w)
		u := foldUmlauts(f)
		switch {
		case len(f) < 2 || stopWords[f] || legalForms[f] || legalForms[u] || linkForms[f]:
		case demonyms[f] || demonyms[u]:
		case compounds[f] != nil || compounds[u] != nil:
			parts := compounds[f]
			if parts == nil {
				parts = compounds[u]
			}
			for _, p := range parts {
				put(p, conceptWeight(p))
			}
		case concepts[f] != "":
			put(concepts[f], conceptWeight(concepts[f]))
		case concepts[u] != "":
			put(concepts[u], conceptWeight(concepts[u]))
		case cityWords[u] != "":
			put("city:"+cityWords[u], 0.6)
		case city[u] || city[strings.TrimSuffix(u, "r")] || city[strings.TrimSuffix(u, "er")] || city[strings.TrimSuffix(u, "s")]:
			// The record's own city, or its adjective ("Karlsruher").
			c := u
			for _, k := range []string{u, strings.TrimSuffix(u, "r"), strings.TrimSuffix(u, "er"), strings.TrimSuffix(u, "s")} {
				if city[k] {
					c = k
					break
				}
			}
			put("city:"+c, 0.6)
		default:
			put(u, conceptWeight(u))
		}
	}
	return out
}

func conceptWeight(c string) float64 {
	if generic[c] {
		return 0.3
	}
	return 1
}

const (
	nameNone = iota
	namePartial
	nameContains
	nameSame
)

// nameResult is how two names compare.
type nameResult struct {
	kind        int
	sim         float64 // weighted Jaccard
	distinctive bool    // a distinctive word (not generic) is shared
	shared      string  // the shared words
	extra       string  // distinctive words of both sides the other lacks
	full        bool    // the full names (not a short name) compared
}

func (r nameResult) better(o nameResult) bool {
	return r.kind > o.kind || r.kind == o.kind && (r.sim > o.sim || r.sim == o.sim && r.full && !o.full)
}

// onlyFormWords reports whether the words one name has and the other
// lacks all name a kind of body.
func onlyFormWords(a, b map[string]float64) bool {
	for k := range a {
		if _, ok := b[k]; !ok && !bodyWords[k] {
			return false
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok && !bodyWords[k] {
			return false
		}
	}
	return true
}

var bodyWords = setOf("foundation council city association society")

func compareWords(a, b map[string]float64) nameResult {
	var r nameResult
	var ws, xa, xb float64
	var shared, da, db []string
	for k, w := range a {
		if wb, ok := b[k]; ok {
			ws += min(w, wb)
			shared = append(shared, strings.TrimPrefix(k, "city:"))
			if w == 1 || strings.HasPrefix(k, "city:") {
				r.distinctive = true
			}
		} else {
			xa += w
			if w == 1 {
				da = append(da, k)
			}
		}
	}
	for k, w := range b {
		if _, ok := a[k]; !ok {
			xb += w
			if w == 1 {
				db = append(db, k)
			}
		}
	}
	slices.Sort(shared)
	slices.Sort(da)
	slices.Sort(db)
	r.shared = strings.Join(shared, " ")
	if len(da) > 0 && len(db) > 0 {
		r.extra = strings.Join(db, " ")
	}
	if ws == 0 {
		return r
	}
	r.sim = ws / (ws + xa + xb)
	switch {
	case xa == 0 && xb == 0, r.distinctive && xa+xb <= 0.3 && onlyFormWords(a, b):
		// The same words, or but a word of the kind of body more
		// ("Fundación", "Council").
		r.kind = nameSame
	case len(da) > 0 && len(db) > 0:
		r.kind = namePartial
	case (r.distinctive || ws >= 0.89) && ws >= 0.75*min(ws+xa, ws+xb):
		r.kind = nameContains
	default:
		r.kind = namePartial
	}
	return r
}
