package web

import (
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/calls/follow"
	"github.com/escnet/escnet/internal/match"
)

// Budget splits, call statuses, the calls feed and digest in words.

// callsxKeyFamilies are the message keys this part of the pages writes
// from Go, for the locale test.
func callsxKeyFamilies() map[string][]string {
	return map[string][]string{
		"match.": {"budget_share", "budget_percent", "budget_have", "budget_rule_summary"},
		"call.":  {"and"},
		// The calls digest (internal/calls/follow), rendered with the
		// web's messages.
		"": follow.MessageKeys,
	}
}

// memberBudgetText is a partner's part of the proposed budget: an amount
// and its percent, or the percent alone when the call states no budget.
func memberBudgetText(l *Localizer, m match.Member, total int64) string {
	pct := strconv.FormatFloat(m.BudgetPercent, 'f', 1, 64)
	if l.Lang != "en" {
		pct = strings.Replace(pct, ".", ",", 1)
	}
	if total <= 0 {
		return l.T("match.budget_percent", "percent", pct)
	}
	return l.T("match.budget_share", "amount", l.T("call.euros", "amount", l.Num(int(m.BudgetCents/100))), "percent", pct)
}
