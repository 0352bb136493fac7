// Package textindex turns text in English, Dutch, French or German into
// search terms and keeps them in an inverted index with BM25 weights. The
// stemmers are the Snowball project's (github.com/blevesearch/snowballstem)
// and folding uses golang.org/x/text; the package writes neither. It does
// no I/O.
package textindex

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Lang is a text language the analyser can stem.
type Lang string

// The languages of the alliance's interface, and so of its texts.
const (
	English Lang = "en"
	Dutch   Lang = "nl"
	French  Lang = "fr"
	German  Lang = "de"
)

// Langs lists the supported languages.
var Langs = []Lang{English, Dutch, French, German}

// ParseLang maps an ISO 639-1 code to a Lang; anything else is unknown.
func ParseLang(code string) (Lang, bool) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(code))); l {
	case English, Dutch, French, German:
		return l, true
	}
	return "", false
}

var stemmers = map[Lang]func(*snowball.Env) bool{
	English: english.Stem,
	Dutch:   dutch.Stem,
	French:  french.Stem,
	German:  german.Stem,
}

// maxTokenRunes bounds a token: longer runs of letters are identifiers,
// hashes or glued text, not words anyone searches for.
const maxTokenRunes = 40

// Token is one analysed word: Term is what the index keeps (stemmed,
// folded), Surface the word as written (lower case), for explanations.
type Token struct {
	Term    string
	Surface string
}

// Detect guesses the language of text from the share of each language's
// function words. Text too short to tell is English, the language most
// project texts and queries are in.
func Detect(text string) Lang {
	var hits [4]int
	n := 0
	eachWord(text, func(w string) bool {
		for i, l := range Langs {
			if _, ok := stopwords[l][w]; ok {
				hits[i]++
			}
		}
		n++
		return n < 400 // the start of a text is enough to tell
	})
	best, second := 0, -1
	for i := 1; i < len(hits); i++ {
		if hits[i] > hits[best] {
			best = i
		}
	}
	for i := range hits {
		if i != best && (second < 0 || hits[i] > hits[second]) {
			second = i
		}
	}
	// Two function words and a clear lead over the runner-up; otherwise
	// the default.
	if hits[best] < 2 || hits[best] <= hits[second] {
		return English
	}
	return Langs[best]
}

// Analyze detects the language of text and returns its terms.
func Analyze(text string) []Token { return AnalyzeLang(text, Detect(text)) }

// AnalyzeLang returns the terms of text in a known language: lower-cased
// words, function words dropped, stemmed by the language's Snowball
// stemmer, then folded (diacritics removed) so that "Sécurité" and
// "securite" meet.
func AnalyzeLang(text string, lang Lang) []Token {
	stem, ok := stemmers[lang]
	if !ok {
		lang, stem = English, stemmers[English]
	}
	stop := stopwords[lang]
	env := envPool.Get().(*snowball.Env)
	defer envPool.Put(env)
	var out []Token
	eachWord(text, func(w string) bool {
		if _, skip := stop[w]; skip {
			return true
		}
		if lang != English {
			if _, skip := stopwords[English][w]; skip && len(w) <= 4 {
				// English function words inside other-language text
				// (titles, acronyms) carry nothing either.
				return true
			}
		}
		if !hasLetter(w) {
			return true
		}
		env.SetCurrent(w)
		stem(env)
		t := fold(env.Current())
		if utf8.RuneCountInString(t) < 2 {
			return true
		}
		out = append(out, Token{Term: t, Surface: w})
		return true
	})
	return out
}

// Terms returns only the terms of Analyze(text).
func Terms(text string) []string {
	toks := Analyze(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Term
	}
	return out
}

var envPool = sync.Pool{New: func() any { return snowball.NewEnv("") }}

// eachWord calls f with each lower-cased run of letters and digits until
// f returns false. Runs longer than maxTokenRunes are skipped.
func eachWord(text string, f func(string) bool) {
	var b strings.Builder
	runesIn := 0
	flush := func() bool {
		defer func() { b.Reset(); runesIn = 0 }()
		if runesIn == 0 || runesIn > maxTokenRunes {
			return true
		}
		return f(b.String())
	}
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			runesIn++
			if runesIn <= maxTokenRunes {
				b.WriteRune(unicode.ToLower(r))
			}
			continue
		}
		if !flush() {
			return
		}
	}
	flush()
}

func hasLetter(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

var folder = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Fold removes diacritics from a lower-case word ("sécurité" →
// "securite"); plain ASCII passes through without allocating.
func Fold(w string) string { return fold(w) }

func fold(w string) string {
	if isASCII(w) {
		return w
	}
	t := folder.Get().(transform.Transformer)
	defer folder.Put(t)
	t.Reset()
	out, _, err := transform.String(t, w)
	if err != nil {
		return w
	}
	return out
}
