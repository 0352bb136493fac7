package web

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
)

// Calls in words: budgets, action types, partner types and paragraphs
// as the pages show them, and amounts in euros as forms take them.

// otherPartnerTypes are the partner types that are not practitioner
// roles: those have their names under "role." already.
func otherPartnerTypes() []string {
	return slices.DeleteFunc(calls.PartnerTypes(), func(t string) bool { return slices.Contains(directory.PractitionerRoles, t) })
}

func partnerTypeLabel(l *Localizer, t string) string {
	if slices.Contains(directory.PractitionerRoles, t) {
		return l.T("role." + t)
	}
	if _, ok := l.lookup("partner_type." + t); ok {
		return l.T("partner_type." + t)
	}
	return t
}

func actionTypeLabel(l *Localizer, t string) string {
	if slices.Contains(actionTypes, t) {
		return t + " — " + l.T("action_type."+strings.ToLower(t))
	}
	return t
}

// budgetText writes a call's budget per project in euros: one amount, a
// range, or nothing when the topic gives none.
func budgetText(l *Localizer, minCents, maxCents int64) string {
	euros := func(c int64) string { return l.T("call.euros", "amount", l.Num((c+50)/100)) }
	switch {
	case maxCents == 0 && minCents == 0:
		return ""
	case minCents == 0 || minCents == maxCents:
		return euros(max(minCents, maxCents))
	case maxCents == 0:
		return euros(minCents)
	}
	return l.T("call.budget_range", "min", euros(minCents), "max", euros(maxCents))
}

// Where the portal's export lost a paragraph or list break.
var (
	// gluedBreak finds a sentence or heading ending straight into the
	// next capital ("...lifecycle management;Secure and trusted...",
	// "Scope:The").
	gluedBreak = regexp.MustCompile(`([\p{Ll})’”0-9][.;:!?])(\p{Lu})`)
	// gluedSection finds a numbered section heading glued to the text
	// before it ("...General Annexes.2. Eligible Countries").
	gluedSection = regexp.MustCompile(`([\p{L}.])(\d[a-z]?\.\s?\p{Lu})`)
	// topicHeading finds the portal's headings of a topic's description
	// that follow the previous sentence on the same line.
	topicHeading = regexp.MustCompile(`([.;!?])[ \t]*(Expected Outcomes?:|Scope:)`)
)

// paragraphs splits a long text at its line breaks and at the breaks the
// portal's export glued together, so it reads as written but not as one
// block. The words are left exactly as they are.
func paragraphs(s string) []string {
	s = gluedBreak.ReplaceAllString(s, "$1\n$2")
	s = gluedSection.ReplaceAllString(s, "$1\n$2")
	s = topicHeading.ReplaceAllString(s, "$1\n$2")
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func centsToEuros(c int64) string {
	if c == 0 {
		return ""
	}
	if c%100 == 0 {
		return strconv.FormatInt(c/100, 10)
	}
	return fmt.Sprintf("%d.%02d", c/100, c%100)
}

// eurosToCents reads an amount in euros ("4000000", "1500000.50").
func eurosToCents(s string) (int64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, " ", ""))
	if s == "" {
		return 0, true
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, false
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}
