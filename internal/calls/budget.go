package calls

import (
	"fmt"
	"math"
	"slices"

	"github.com/escnet/escnet/internal/validate"
)

// Budget rules: how a consortium's budget may be shared among its
// members (KindMinBudgetShare, KindMaxBudgetShare). A consortium is
// checked against them twice: Rule.Check says whether some split could
// meet the rule with these members (an SME to give the SMEs' share to, a
// member outside a capped group to take the rest), and CheckSplit and
// ProposeSplit work on the euros.

// IsBudgetRule reports whether r shares the budget rather than counting
// members.
func IsBudgetRule(r Rule) bool { return r.Kind == KindMinBudgetShare || r.Kind == KindMaxBudgetShare }

// checkBudgetRoom is Rule.Check for a budget rule: a minimum share needs
// a member of the types, a maximum below 100% a member outside them.
func (r Rule) checkBudgetRoom(members []Member) Result {
	res := Result{Rule: r, Contributors: []string{}, Need: 1}
	for _, m := range members {
		if m.hasAny(r.Types) == (r.Kind == KindMinBudgetShare) {
			res.Have++
			res.Contributors = append(res.Contributors, m.ID)
		}
	}
	if r.Kind == KindMaxBudgetShare && r.Percent >= 100 {
		res.Need = 0
	}
	res.Satisfied = res.Have >= res.Need
	if !res.Satisfied {
		if r.Kind == KindMinBudgetShare {
			res.Missing = "1 more " + nouns(r.Types, false, "or") + fmt.Sprintf(" to receive %d%% of the budget", r.Percent)
		} else {
			res.Missing = "1 more partner that is not " + nouns(r.Types, false, "or") +
				fmt.Sprintf(", to take the %d%% of the budget they may not have", 100-r.Percent)
		}
	}
	return res
}

// Share is one member's part of a budget split.
type Share struct {
	ID string `json:"id"`
	// Cents is the member's part of the EU contribution, in euro cents
	// (0 when the call states no budget: then only Percent counts).
	Cents int64 `json:"cents"`
	// Percent is the member's part of the budget, to two decimals.
	Percent float64 `json:"percent"`
}

// Split is a proposed division of a consortium's budget.
type Split struct {
	// Total is the budget divided, in cents: the call's budget per project
	// unless the request named another (0: the call states none).
	Total  int64   `json:"total"`
	Shares []Share `json:"shares"`
	// Results are the budget rules, each with Have the percent of the
	// budget its members receive (rounded toward failing) and Need the
	// rule's percent.
	Results []Result `json:"results"`
}

// splitBasis is the notional total when the call states no budget: shares
// are computed on it and only their percentages are shown.
const splitBasis = 1_000_000_00

// ProposeSplit divides total (cents; 0 for shares only) among members so
// that every budget rule holds: an equal split, then the capped groups
// scaled down and the groups with a minimum scaled up until all hold. It
// returns an error naming the rule it cannot meet with these members.
func ProposeSplit(rules []Rule, members []Member, total int64) (Split, error) {
	sp := Split{Total: total, Shares: make([]Share, len(members)), Results: []Result{}}
	var budget []Rule
	for _, r := range rules {
		if IsBudgetRule(r) {
			budget = append(budget, r)
		}
	}
	if len(members) == 0 {
		return sp, fmt.Errorf("no members to share the budget")
	}
	in := make([][]bool, len(budget)) // in[r][i]: member i counts for rule r
	for ri, r := range budget {
		in[ri] = make([]bool, len(members))
		for i, m := range members {
			in[ri][i] = m.hasAny(r.Types)
		}
	}
	w := make([]float64, len(members))
	for i := range w {
		w[i] = 1
	}
	for round := 0; round < 50 && !sharesHold(budget, in, w); round++ {
		for ri, r := range budget {
			scaleGroup(w, in[ri], float64(r.Percent)/100, r.Kind == KindMinBudgetShare)
		}
	}
	basis := total
	if basis <= 0 {
		basis = splitBasis
	}
	cents := toCents(w, basis, budget, in)
	for i, m := range members {
		sp.Shares[i] = Share{ID: m.ID, Percent: math.Round(float64(cents[i])*10000/float64(basis)) / 100}
		if total > 0 {
			sp.Shares[i].Cents = cents[i]
		}
	}
	sp.Results = CheckSplit(rules, members, cents, basis)
	for _, res := range sp.Results {
		if !res.Satisfied {
			return sp, fmt.Errorf("%s: %s", res.Rule.Describe(), res.Missing)
		}
	}
	return sp, nil
}

// scaleGroup scales the weights of a rule's members so that together they
// hold share p of the total: up when min and below, down when max and
// above. A group with no weight or no one outside it is left alone.
func scaleGroup(w []float64, member []bool, p float64, min bool) {
	var a, b float64
	for i, x := range w {
		if member[i] {
			a += x
		} else {
			b += x
		}
	}
	if a+b == 0 {
		return
	}
	share := a / (a + b)
	if min && share >= p || !min && share <= p {
		return
	}
	switch {
	case p >= 1:
		for i := range w {
			if !member[i] {
				w[i] = 0
			}
		}
	case a == 0 || b == 0:
	default:
		f := p * b / (a * (1 - p))
		for i := range w {
			if member[i] {
				w[i] *= f
			}
		}
	}
}

func sharesHold(rules []Rule, in [][]bool, w []float64) bool {
	var all float64
	for _, x := range w {
		all += x
	}
	for ri, r := range rules {
		var a float64
		for i, x := range w {
			if in[ri][i] {
				a += x
			}
		}
		p := float64(r.Percent) / 100 * all
		if r.Kind == KindMinBudgetShare && a < p-1e-9 || r.Kind == KindMaxBudgetShare && a > p+1e-9 {
			return false
		}
	}
	return true
}

// toCents rounds the weights to cents of basis: every capped member
// rounds down, and what is left goes to the members no cap holds, those
// a minimum asks for first.
func toCents(w []float64, basis int64, rules []Rule, in [][]bool) []int64 {
	var all float64
	for _, x := range w {
		all += x
	}
	out := make([]int64, len(w))
	var given int64
	for i, x := range w {
		out[i] = int64(math.Floor(x / all * float64(basis)))
		given += out[i]
	}
	capped := func(i int) bool {
		for ri, r := range rules {
			if r.Kind == KindMaxBudgetShare && in[ri][i] {
				return true
			}
		}
		return false
	}
	wanted := func(i int) bool {
		for ri, r := range rules {
			if r.Kind == KindMinBudgetShare && in[ri][i] {
				return true
			}
		}
		return false
	}
	best := -1
	for i := range w {
		if capped(i) {
			continue
		}
		if best < 0 || wanted(i) && !wanted(best) || wanted(i) == wanted(best) && w[i] > w[best] {
			best = i
		}
	}
	if best < 0 {
		best = 0
	}
	out[best] += basis - given
	return out
}

// CheckSplit checks cents (one per member, of total) against the budget
// rules among rules, in their order.
func CheckSplit(rules []Rule, members []Member, cents []int64, total int64) []Result {
	out := []Result{}
	for _, r := range rules {
		if !IsBudgetRule(r) {
			continue
		}
		res := Result{Rule: r, Contributors: []string{}, Need: r.Percent}
		var sum int64
		for i, m := range members {
			if m.hasAny(r.Types) {
				sum += cents[i]
				res.Contributors = append(res.Contributors, m.ID)
			}
		}
		if total <= 0 {
			res.Missing = "no budget to share"
			out = append(out, res)
			continue
		}
		if r.Kind == KindMinBudgetShare {
			res.Have = int(sum * 100 / total) // rounded down: toward failing
			res.Satisfied = sum*100 >= int64(r.Percent)*total
			if !res.Satisfied {
				res.Missing = fmt.Sprintf("%s receive %s%% of the budget, less than %d%%", nouns(r.Types, true, "and"), pct(sum, total), r.Percent)
			}
		} else {
			res.Have = int((sum*100 + total - 1) / total) // rounded up
			res.Satisfied = sum*100 <= int64(r.Percent)*total
			if !res.Satisfied {
				res.Missing = fmt.Sprintf("%s receive %s%% of the budget, more than %d%%", nouns(r.Types, true, "and"), pct(sum, total), r.Percent)
			}
		}
		out = append(out, res)
	}
	return out
}

func pct(part, total int64) string {
	return fmt.Sprintf("%.2f", float64(part)*100/float64(total))
}

// BudgetContradicts is the message key of a budget rule that no split can
// meet together with another rule of the call.
const BudgetContradicts = "error.calls.budget_contradicts"

func init() {
	validate.Define(map[string]string{BudgetContradicts: "contradicts rule {other}: no split of the budget can meet both"})
}

// implies reports whether every member of type a is also of type b.
func implies(a, b string) bool {
	switch {
	case a == b, b == TypeLegalEntity:
		return true
	case b == TypePractitioner:
		return isPractitionerType(a)
	case b == TypeCivilSociety:
		return a == TypeYouth
	}
	return false
}

// exclusive reports whether no member can be of both types: the SME flag
// is for companies only, and a research organisation is not a company.
func exclusive(a, b string) bool {
	group := []string{TypeSME, TypeNonSMEIndustry, TypeResearch}
	return a != b && slices.Contains(group, a) && slices.Contains(group, b)
}

// within reports whether every member of one of types as is of one of bs.
func within(as, bs []string) bool {
	return len(as) > 0 && !slices.ContainsFunc(as, func(a string) bool {
		return !slices.ContainsFunc(bs, func(b string) bool { return implies(a, b) })
	})
}

// apart reports whether no member can be of one of as and one of bs.
func apart(as, bs []string) bool {
	return !slices.ContainsFunc(as, func(a string) bool {
		return slices.ContainsFunc(bs, func(b string) bool { return !exclusive(a, b) })
	})
}

// checkBudget reports budget rules that contradict another rule of the
// call: a minimum for a group inside a group capped lower, or minimums
// for groups no member can share that add up to more than 100%. The
// error names the later rule's percent and the earlier rule's number.
func checkBudget(errs *validate.Errors, rules []Rule) {
	for i, r := range rules {
		if !IsBudgetRule(r) {
			continue
		}
		for j, o := range rules[:i] {
			if !IsBudgetRule(o) || o.Kind == r.Kind {
				continue
			}
			lo, hi := r, o
			if r.Kind == KindMaxBudgetShare {
				lo, hi = o, r
			}
			if lo.Percent > hi.Percent && within(lo.Types, hi.Types) {
				errs.Add(fmt.Sprintf("rules[%d].percent", i), BudgetContradicts, "other", j+1,
					"detail", fmt.Sprintf("%s, but %s", lo.Describe(), hi.Describe()))
			}
		}
	}
	// Minimums of groups no member shares add up.
	for i, r := range rules {
		if r.Kind != KindMinBudgetShare {
			continue
		}
		sum := r.Percent
		for j, o := range rules[:i] {
			if o.Kind == KindMinBudgetShare && apart(r.Types, o.Types) {
				sum += o.Percent
				if sum > 100 {
					errs.Add(fmt.Sprintf("rules[%d].percent", i), BudgetContradicts, "other", j+1,
						"detail", fmt.Sprintf("together the minimum shares come to %d%% of the budget", sum))
					break
				}
			}
		}
	}
}
