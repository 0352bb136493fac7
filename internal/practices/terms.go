package practices

import (
	"slices"

	"github.com/escnet/escnet/internal/textindex"
)

// maxTerms bounds the distinct terms indexed for one document.
const maxTerms = 5000

// DocTerms returns the distinct analysed terms (stemmed in the text's
// language, folded) of an entry's language versions and its attachments'
// text (whose language is detected), sorted.
func DocTerms(texts []Text, attachments []string) []string {
	seen := map[string]bool{}
	add := func(toks []textindex.Token) {
		for _, t := range toks {
			if len(seen) < maxTerms {
				seen[t.Term] = true
			}
		}
	}
	for _, t := range texts {
		l, ok := textindex.ParseLang(t.Lang)
		if !ok {
			l = textindex.English
		}
		add(textindex.AnalyzeLang(t.Title+"\n"+t.Summary+"\n"+t.Body, l))
	}
	for _, a := range attachments {
		add(textindex.Analyze(a))
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// QueryTerms analyses a query: one group per word, holding the word's
// term in each of the four languages (a document matches a word when it
// holds any of them), so that a Dutch query finds a Dutch text stemmed
// the Dutch way and an English one the English way. Stop words drop out.
func QueryTerms(q string) [][]string {
	// A word that is a stop word in one language may be a word in
	// another, so each raw word is analysed in every language.
	groups := [][]string{}
	seen := map[string]bool{}
	for _, w := range rawWords(q) {
		var g []string
		stop := false
		for _, l := range textindex.Langs {
			toks := textindex.AnalyzeLang(w, l)
			stop = stop || len(toks) == 0
			for _, t := range toks {
				if !slices.Contains(g, t.Term) {
					g = append(g, t.Term)
				}
			}
		}
		if stop || len(g) == 0 {
			continue // a stop word in any language is not searched for
		}
		slices.Sort(g)
		key := g[0] + "|" + g[len(g)-1]
		if seen[key] {
			continue
		}
		seen[key] = true
		groups = append(groups, g)
		if len(groups) == 8 {
			break
		}
	}
	return groups
}

func rawWords(q string) []string {
	var out []string
	word := []rune{}
	flush := func() {
		if len(word) > 0 {
			out = append(out, string(word))
			word = word[:0]
		}
	}
	for _, r := range q {
		if r == ' ' || r == '\t' || r == '\n' || r == ',' || r == ';' || r == '.' || r == '"' {
			flush()
			continue
		}
		word = append(word, r)
	}
	flush()
	return out
}
