package textindex

import (
	"regexp"
	"strings"
)

// Call texts (Funding & Tenders topic descriptions) are written to a
// template: headings ("Expected Outcome:", "Scope:"), sentences every
// topic of a destination repeats ("Finally, proposals are expected to
// address all applicable considerations expressed in the Introduction of
// the ... Destination"), footnotes, links and the identifiers of other
// topics. None of it says what a partner must know. CallBoilerplate holds
// the terms that come from that template (generated from the real topics,
// see boilerplate.go) and StripCallMarkup removes the links, identifiers
// and footnote marks before a call text is analysed.

var (
	urlRE = regexp.MustCompile(`(?i)\b(?:https?://|www\.|//)[^\s)\]]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:eu|europa\.eu|org|com|int)/[^\s)\]]*`)
	// Topic and call identifiers: HORIZON-CL3-2026-01-FCT-01,
	// SU-DRS02-2018-2019-2020, H2020-SEC-2016-2017, JOIN/2023/8.
	identRE    = regexp.MustCompile(`\b[A-Z][A-Z0-9]*(?:[-/_][A-Z0-9]+){2,}\b`)
	footnoteRE = regexp.MustCompile(`\[\d{1,3}\]`)
	celexRE    = regexp.MustCompile(`(?i)\bcelex[:%][^\s]*`)
)

// StripCallMarkup removes from a call text what is not about the work:
// links, topic and call identifiers, footnote marks.
func StripCallMarkup(s string) string {
	s = urlRE.ReplaceAllString(s, " ")
	s = celexRE.ReplaceAllString(s, " ")
	s = identRE.ReplaceAllString(s, " ")
	s = footnoteRE.ReplaceAllString(s, " ")
	return s
}

// IsBoilerplate reports whether an analysed term of a call text comes
// from the template of call texts rather than from its subject.
func IsBoilerplate(term string) bool {
	_, ok := callBoilerplate[term]
	return ok
}

// IsIdeaBoilerplate reports whether an analysed term of an idea text is a
// word of the call template that says nothing of a subject ("proposals",
// "expected", "outcome", "destination"): the words every call shares and
// the taxonomy's words stay.
func IsIdeaBoilerplate(term string) bool {
	_, ok := ideaBoilerplate[term]
	return ok
}

// DropBoilerplate returns toks without the terms of the call template
// (in place: toks is reused); idea texts lose only the template's own
// words (IsIdeaBoilerplate).
func DropBoilerplate(toks []Token, call bool) []Token {
	out := toks[:0]
	for _, t := range toks {
		if call && IsBoilerplate(t.Term) || !call && IsIdeaBoilerplate(t.Term) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// SplitSentences cuts a text into sentences at '.', ';', ':', '?' and '!'
// (also where the portal glued the next sentence on without a space, as
// in "the following:Enhanced security") and at line breaks.
func SplitSentences(s string) []string {
	var out []string
	start := 0
	rs := []rune(s)
	flush := func(end int) {
		if t := strings.TrimSpace(string(rs[start:end])); t != "" {
			out = append(out, t)
		}
		start = end
	}
	for i, r := range rs {
		switch r {
		case '\n':
			flush(i + 1)
		case '.', ';', ':', '?', '!':
			// A full stop inside a number or an abbreviation (e.g.,
			// 2.5) is not the end of a sentence.
			if i+1 < len(rs) && (rs[i+1] == ' ' || isUpper(rs[i+1])) && !(r == '.' && i > 0 && isDigit(rs[i-1]) && i+1 < len(rs) && isDigit(rs[i+1])) {
				flush(i + 1)
			}
		}
	}
	flush(len(rs))
	return out
}

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' }
func isDigit(r rune) bool { return r >= '0' && r <= '9' }
