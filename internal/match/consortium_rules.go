package match

import (
	"fmt"

	"github.com/escnet/escnet/internal/calls"
)

// The consortium builder against the call's rules: whether the pool can
// meet them at all, how far a set is from meeting them, and why it
// failed.

// feasible checks, before any search, that the whole pool could satisfy
// each rule and that the size leaves room for it.
func (b *builder) feasible() error {
	all := make([]calls.Member, len(b.cands))
	for i, c := range b.cands {
		all[i] = c.member
	}
	if len(b.cands) < b.size {
		return &InfeasibleError{Rule: fmt.Sprintf("a consortium of %d partners", b.size),
			Missing: count(b.size-len(b.cands), "more organisation", "more organisations"),
			Reason:  fmt.Sprintf("only %d organisations match the query and filters", len(b.cands))}
	}
	for _, r := range b.rules {
		res := r.Check(all)
		if !res.Satisfied && r.Kind != calls.KindMaxPartners && r.Kind != calls.KindAllInScope {
			return &InfeasibleError{Rule: r.Describe(), Missing: res.Missing,
				Reason: "the organisations you can see (with these filters and exclusions) do not include enough of them"}
		}
		if r.Kind == calls.KindAllInScope && !res.Satisfied {
			// Only the fixed members can break it: candidates outside
			// the scope were left out of the pool.
			return &InfeasibleError{Rule: r.Describe(), Missing: "", Reason: res.Missing}
		}
		need := max(r.Count, r.MinCountries, r.MinInMemberState)
		if r.Kind != calls.KindMaxPartners && r.Kind != calls.KindAllInScope && need > b.size {
			return &InfeasibleError{Rule: r.Describe(), Missing: res.Missing,
				Reason: fmt.Sprintf("a consortium of %d has no room for it: raise the size", b.size)}
		}
	}
	return nil
}

// deficit is how far a set of members is from satisfying the rules: 0
// when it satisfies them all.
func (b *builder) deficit(members []calls.Member) int {
	d := 0
	for _, r := range b.rules {
		res := r.Check(members)
		if res.Satisfied {
			continue
		}
		switch r.Kind {
		case calls.KindMaxPartners:
			d += res.Have - res.Need
		case calls.KindAllInScope:
			d += res.Need - res.Have
		default:
			d += max(res.Need-res.Have, 0) + max(res.NeedCountries-res.Countries, 0) + max(r.MinInMemberState-res.InMemberState, 0)
			if res.Have >= res.Need && res.Countries >= res.NeedCountries && res.InMemberState >= r.MinInMemberState {
				d++ // unsatisfied for a reason the counts do not show
			}
		}
	}
	if d == 0 && b.splitFails(members) {
		d++ // each budget rule has room, but no split meets them all
	}
	return d
}

// infeasible explains why the best set found breaks a rule.
func (b *builder) infeasible(set []int) error {
	ms := b.members(set)
	for _, r := range b.rules {
		if res := r.Check(ms); !res.Satisfied {
			return &InfeasibleError{Rule: r.Describe(), Missing: res.Missing,
				Reason: fmt.Sprintf("no consortium of %d found that also meets the other rules", b.size)}
		}
	}
	if sp, err := calls.ProposeSplit(b.rules, ms, b.budget); err != nil {
		for _, res := range sp.Results {
			if !res.Satisfied {
				return &InfeasibleError{Rule: res.Rule.Describe(), Missing: res.Missing,
					Reason: "no split of the budget among the partners found meets the call's budget rules"}
			}
		}
	}
	return &InfeasibleError{Rule: "the call's rules", Reason: "no consortium found"}
}

// budgetWeight is the cost per partner a budget share makes awkward.
const budgetWeight = 0.75

// budgetFit is the cost of a set's mix against the call's budget shares:
// for a cap of q%, each capped partner beyond the q% of the partners
// (one at least), and for a minimum of p%, each partner of the kind short
// of p% of the partners. A split can still meet the rules (the capped
// partners get little), but a consortium where a handful of partners
// share 15% of the budget is a poor proposal.
func (b *builder) budgetFit(set []int) float64 {
	cost := 0.0
	n := len(set)
	for r, rule := range b.rules[:min(len(b.rules), 64)] {
		if !calls.IsBudgetRule(rule) {
			continue
		}
		k := 0
		for _, i := range set {
			if b.cands[i].counts&(1<<r) != 0 {
				k++
			}
		}
		if rule.Kind == calls.KindMaxBudgetShare {
			room := max(1, rule.Percent*n/100)
			cost -= budgetWeight * float64(max(0, k-room))
		} else {
			need := (rule.Percent*n + 99) / 100
			cost -= budgetWeight * float64(max(0, need-k))
		}
	}
	return cost
}

// hasBudgetRules reports whether the call shares its budget by rule.
func (b *builder) hasBudgetRules() bool {
	for _, r := range b.rules {
		if calls.IsBudgetRule(r) {
			return true
		}
	}
	return false
}

// splitFails reports whether no split of the budget among members meets
// the budget rules (beyond what each rule's Check already says).
func (b *builder) splitFails(members []calls.Member) bool {
	if !b.hasBudgetRules() {
		return false
	}
	_, err := calls.ProposeSplit(b.rules, members, b.budget)
	return err != nil
}
