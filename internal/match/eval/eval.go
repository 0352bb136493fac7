// Package eval replays history to measure the partner finder: for each
// collaborative project that starts on or after a cutoff, it ranks
// organisations using only the projects that started before that project,
// with the coordinator as the lead, and checks how many of the project's
// real partners come out on top — next to simple baselines computed the
// same way. It does no I/O; the caller hands it a snapshot.
package eval

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/match"
)

// Query kinds: what the replay knows of a project when it asks for
// partners.
const (
	// QueryTopic is the project's call topic titles and call name: what a
	// call page asks.
	QueryTopic = "topic"
	// QueryIdea is the project's own title and objective: an idea text.
	QueryIdea = "idea"
)

// Methods: the model and the baselines.
const (
	MethodModel = "escnet"
	// MethodHand is escnet with the hand-set weights it had before the
	// model was learned.
	MethodHand       = "escnet, hand-set weights"
	MethodPopularity = "popularity"
	MethodLead       = "lead's partners"
	MethodText       = "similar projects' partners"
)

// Methods in report order.
var Methods = []string{MethodModel, MethodHand, MethodPopularity, MethodLead, MethodText}

// QueryKinds in report order.
var QueryKinds = []string{QueryTopic, QueryIdea}

// depth is how far down a ranking the metrics look.
const depth = 50

// ActionType maps a funding scheme to RIA, IA or CSA, the collaborative
// action types the replay evaluates; ok is false for the others (SME
// instrument, PCP, ERC, networks of excellence, ...). FP7's collaborative
// projects map to their Horizon 2020 successors: small or medium-scale
// focused research projects (CP-FP) and plain CP to RIA, large-scale
// integrating projects (CP-IP: the security theme's demonstration
// projects) to IA, coordination and support actions (CSA-CA, CSA-SA, and
// the mixed CP-CSA, a coordinating project) to CSA.
func ActionType(scheme string) (string, bool) {
	s := strings.ToUpper(strings.TrimSpace(scheme))
	s = strings.TrimPrefix(s, "HORIZON-")
	switch {
	case s == "RIA" || s == "CP" || s == "CP-FP" || strings.HasPrefix(s, "RIA-"):
		return "RIA", true
	case s == "IA" || s == "CP-IP" || strings.HasPrefix(s, "IA-"):
		return "IA", true
	case s == "CSA" || s == "CSA-CA" || s == "CSA-SA" || s == "CP-CSA" || strings.HasPrefix(s, "CSA-"):
		return "CSA", true
	}
	return "", false
}

// Options tune a replay.
type Options struct {
	// Until, when set, drops every project starting on or after it, as
	// if the data ended there: a replay that ends before the real
	// cutoff is where the ranking's weights may be tuned without
	// looking at the test years.
	Until string
	// Weights rank with hand-set weights instead of the model.
	Weights *match.Weights
	// Model replaces match.DefaultModel.
	Model *match.Model
}

// ErrCutoff is wrapped by *CutoffError.
var ErrCutoff = errors.New("bad cutoff")

// CutoffError says why a cutoff cannot be replayed.
type CutoffError struct {
	Cutoff  string
	Problem string
}

func (e *CutoffError) Error() string { return fmt.Sprintf("cutoff %q: %s", e.Cutoff, e.Problem) }

// Unwrap makes errors.Is(err, ErrCutoff) hold.
func (e *CutoffError) Unwrap() error { return ErrCutoff }

// Metrics are averaged over the evaluated projects (for Seen and New,
// over the projects that have such partners).
type Metrics struct {
	Projects int     `json:"projects"` // projects averaged over
	Partners int     `json:"partners"` // partners to find, in all
	Recall10 float64 `json:"recall_10"`
	Recall20 float64 `json:"recall_20"`
	Recall50 float64 `json:"recall_50"`
	NDCG20   float64 `json:"ndcg_20"`
}

// Row is one method on one kind of query.
type Row struct {
	Method  string  `json:"method"`
	Query   string  `json:"query"`
	Overall Metrics `json:"overall"`
	// Seen are partners that took part in a project before the cutoff;
	// New the others.
	Seen Metrics `json:"seen"`
	New  Metrics `json:"new"`
}

// Report is the outcome of a replay.
type Report struct {
	Cutoff string `json:"cutoff"`
	Until  string `json:"until,omitempty"`
	// Projects is the number of projects evaluated; History the projects
	// that started before the cutoff.
	Projects   int    `json:"projects"`
	History    int    `json:"history"`
	DataFrom   string `json:"data_from"`
	DataTo     string `json:"data_to"`
	LeadKnown  int    `json:"lead_known"` // evaluated projects whose coordinator had a past project
	Rows       []Row  `json:"rows"`
	TopicTexts int    `json:"topic_texts"` // projects whose topic had a title (others used the call id)
}

// Row returns the row of a method and query kind.
func (r Report) Row(method, query string) Row {
	for _, row := range r.Rows {
		if row.Method == method && row.Query == query {
			return row
		}
	}
	return Row{}
}

// Run replays history from cutoff (YYYY-MM-DD).
func Run(s match.Snapshot, cutoff string, opt Options) (Report, error) {
	acc := newAccumulator()
	var popular []string
	var lastIx *match.Index
	rep, err := walk(s, cutoff, opt, func(ix *match.Index, t target, q match.Query, kind string, seen map[string]bool) error {
		if ix != lastIx {
			lastIx, popular = ix, ix.Popular(depth+1)
		}
		return replay(ix, t, q, kind, popular, opt, acc, seen)
	})
	if err != nil {
		return rep, err
	}
	rep.Rows = acc.rows()
	return rep, nil
}

// walk replays history from cutoff and calls fn for each target project
// and kind of query with the index of the history before it.
func walk(s match.Snapshot, cutoff string, opt Options, fn func(ix *match.Index, t target, q match.Query, kind string, seen map[string]bool) error) (Report, error) {
	cut, err := time.Parse(time.DateOnly, cutoff)
	if err != nil {
		return Report{}, &CutoffError{cutoff, "not a date: write it as YYYY-MM-DD"}
	}
	cutoff = cut.Format(time.DateOnly)
	projects := make([]match.Project, 0, len(s.Projects))
	for _, p := range s.Projects {
		if _, err := time.Parse(time.DateOnly, p.Start); err != nil {
			continue // no start date: cannot be placed in time
		}
		if opt.Until != "" && p.Start >= opt.Until {
			continue
		}
		projects = append(projects, p)
	}
	slices.SortStableFunc(projects, func(a, b match.Project) int { return cmp.Compare(a.Start, b.Start) })
	rep := Report{Cutoff: cutoff, Until: opt.Until}
	if len(projects) == 0 {
		return rep, &CutoffError{cutoff, "the data holds no project with a start date"}
	}
	rep.DataFrom, rep.DataTo = projects[0].Start, projects[len(projects)-1].Start
	if cutoff <= rep.DataFrom {
		return rep, &CutoffError{cutoff, fmt.Sprintf("no project starts before it, so there is no history to rank from; the data starts on %s", rep.DataFrom)}
	}
	targets, seen := splitAt(projects, cutoff, &rep)
	if len(targets) == 0 {
		return rep, &CutoffError{cutoff, fmt.Sprintf("no collaborative project (RIA, IA or CSA with at least 3 partners) starts on or after it; the data ends on %s", rep.DataTo)}
	}
	rep.Projects = len(targets)
	orgByID := map[string]match.Org{}
	for _, o := range s.Orgs {
		orgByID[o.ID] = o
	}
	an := match.MemoAnalyzer()
	for i := 0; i < len(targets); {
		date := targets[i].p.Start
		j := i
		for j < len(targets) && targets[j].p.Start == date {
			j++
		}
		ix, err := buildHistory(projects, orgByID, date, an)
		if err != nil {
			return rep, err
		}
		for _, t := range targets[i:j] {
			lead := t.lead
			if !ix.Has(lead) || ix.PastProjects(lead) == 0 {
				lead = ""
			} else {
				rep.LeadKnown++
			}
			if hasTopicTitle(t.p) {
				rep.TopicTexts++
			}
			action, _ := ActionType(t.p.Scheme)
			for _, kind := range QueryKinds {
				q := match.Query{Lead: lead, Limit: depth, Weights: opt.Weights, Model: opt.Model}
				if kind == QueryIdea {
					q.Text = t.p.Title + "\n" + t.p.Objective
				} else {
					q.CallTitle, q.ActionType = topicQuery(t.p), action
				}
				if err := fn(ix, t, q, kind, seen); err != nil {
					return rep, err
				}
			}
		}
		i = j
	}
	return rep, nil
}

// target is a project to predict: its lead and the partners it had.
type target struct {
	p     *match.Project
	lead  string
	truth []string
}

// splitAt counts the history before cutoff (and who took part in it) and
// returns the collaborative projects from cutoff on, with a lead and at
// least two partners, to predict.
func splitAt(projects []match.Project, cutoff string, rep *Report) ([]target, map[string]bool) {
	var targets []target
	seen := map[string]bool{}
	for i := range projects {
		p := &projects[i]
		if p.Start < cutoff {
			rep.History++
			for _, pt := range p.Participants {
				seen[pt.OrgID] = true
			}
			continue
		}
		if _, ok := ActionType(p.Scheme); !ok {
			continue
		}
		var lead string
		var members []string
		for _, pt := range p.Participants {
			if pt.OrgID == "" || slices.Contains(members, pt.OrgID) {
				continue
			}
			members = append(members, pt.OrgID)
			if pt.Role == match.RoleCoordinator && lead == "" {
				lead = pt.OrgID
			}
		}
		if lead == "" || len(members) < 3 {
			continue
		}
		truth := slices.DeleteFunc(members, func(id string) bool { return id == lead })
		targets = append(targets, target{p, lead, truth})
	}
	return targets, seen
}

// replay ranks partners for one target and kind of query with every
// method on the history index ix, and scores the lists against what
// happened.
func replay(ix *match.Index, t target, q match.Query, kind string, popular []string, opt Options, acc *accumulator, seen map[string]bool) error {
	text := q.Text + q.CallTitle
	lists := map[string][]string{
		MethodPopularity: without(popular, t.lead),
	}
	for _, m := range []string{MethodModel, MethodHand} {
		mq := q
		if m == MethodHand {
			if opt.Weights != nil || opt.Model != nil {
				continue // a replay of given weights has no "before"
			}
			w := match.DefaultWeights
			mq.Weights = &w
		}
		res, err := ix.Rank(mq)
		if err != nil && !errors.Is(err, match.ErrInvalidQuery) {
			return err
		}
		for _, o := range res.Orgs {
			lists[m] = append(lists[m], o.ID)
		}
	}
	if q.Lead != "" {
		for _, pc := range ix.Partners(q.Lead) {
			lists[MethodLead] = append(lists[MethodLead], pc.ID)
		}
	}
	lists[MethodText] = textBaseline(ix, text, t.lead)
	for _, m := range Methods {
		acc.add(m, kind, lists[m], t.truth, seen)
	}
	return nil
}

// buildHistory indexes the projects that started before date, with the
// organisations they name: nothing of the future leaks in.
func buildHistory(projects []match.Project, orgs map[string]match.Org, date string, an match.Analyzer) (*match.Index, error) {
	n, _ := slices.BinarySearchFunc(projects, date, func(p match.Project, d string) int { return cmp.Compare(p.Start, d) })
	past := projects[:n]
	snap := match.Snapshot{Projects: past}
	in := map[string]bool{}
	for _, p := range past {
		for _, pt := range p.Participants {
			if in[pt.OrgID] {
				continue
			}
			in[pt.OrgID] = true
			if o, ok := orgs[pt.OrgID]; ok {
				snap.Orgs = append(snap.Orgs, o)
			}
		}
	}
	return match.Build(snap, match.BuildOptions{Analyzer: an, AsOf: date})
}

func hasTopicTitle(p *match.Project) bool {
	return slices.ContainsFunc(p.Topics, func(t match.Topic) bool { return t.Title != "" })
}

// topicQuery is what a call page knows: the topic titles and the call's
// name (its identifier when the name is unknown).
func topicQuery(p *match.Project) string {
	var parts []string
	for _, t := range p.Topics {
		parts = appendNew(parts, t.Title)
		parts = appendNew(parts, t.CallName)
	}
	if len(parts) == 0 {
		parts = append(parts, p.Call)
	}
	return strings.Join(parts, "\n")
}

func appendNew(s []string, v string) []string {
	if v == "" || slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// textBaseline lists the members of the most similar past projects, most
// similar project first.
func textBaseline(ix *match.Index, text, lead string) []string {
	sim, err := ix.SimilarProjects(text, depth)
	if err != nil {
		return nil
	}
	var out []string
	listed := map[string]bool{lead: true}
	for _, sp := range sim {
		for _, m := range sp.Members {
			if !listed[m] {
				listed[m] = true
				out = append(out, m)
			}
		}
		if len(out) >= depth {
			break
		}
	}
	return out
}

func without(list []string, id string) []string {
	out := make([]string, 0, len(list))
	for _, x := range list {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// accumulator sums per-project metrics per method, query kind and split.
type accumulator struct {
	sums map[[3]string]*sum
}

type sum struct {
	projects, partners  int
	r10, r20, r50, ndcg float64
}

func newAccumulator() *accumulator { return &accumulator{sums: map[[3]string]*sum{}} }

func (a *accumulator) add(method, kind string, ranked, truth []string, seen map[string]bool) {
	var seenT, newT []string
	for _, id := range truth {
		if seen[id] {
			seenT = append(seenT, id)
		} else {
			newT = append(newT, id)
		}
	}
	for split, ts := range map[string][]string{"overall": truth, "seen": seenT, "new": newT} {
		if len(ts) == 0 {
			continue
		}
		key := [3]string{method, kind, split}
		s := a.sums[key]
		if s == nil {
			s = &sum{}
			a.sums[key] = s
		}
		s.projects++
		s.partners += len(ts)
		s.r10 += Recall(ranked, ts, 10)
		s.r20 += Recall(ranked, ts, 20)
		s.r50 += Recall(ranked, ts, 50)
		s.ndcg += NDCG(ranked, ts, 20)
	}
}

func (a *accumulator) rows() []Row {
	var out []Row
	for _, kind := range QueryKinds {
		for _, m := range Methods {
			r := Row{Method: m, Query: kind}
			r.Overall = a.metrics(m, kind, "overall")
			r.Seen = a.metrics(m, kind, "seen")
			r.New = a.metrics(m, kind, "new")
			out = append(out, r)
		}
	}
	return out
}

func (a *accumulator) metrics(method, kind, split string) Metrics {
	s := a.sums[[3]string{method, kind, split}]
	if s == nil || s.projects == 0 {
		return Metrics{}
	}
	n := float64(s.projects)
	return Metrics{Projects: s.projects, Partners: s.partners,
		Recall10: s.r10 / n, Recall20: s.r20 / n, Recall50: s.r50 / n, NDCG20: s.ndcg / n}
}

// Recall is the share of truth found in the first k of ranked.
func Recall(ranked, truth []string, k int) float64 {
	if len(truth) == 0 {
		return 0
	}
	found := 0
	for _, id := range ranked[:min(k, len(ranked))] {
		if slices.Contains(truth, id) {
			found++
		}
	}
	return float64(found) / float64(len(truth))
}

// NDCG is the normalised discounted cumulative gain of the first k of
// ranked with binary relevance: 1 when everything relevant is on top.
func NDCG(ranked, truth []string, k int) float64 {
	if len(truth) == 0 {
		return 0
	}
	var dcg, ideal float64
	for i, id := range ranked[:min(k, len(ranked))] {
		if slices.Contains(truth, id) {
			dcg += 1 / math.Log2(float64(i)+2)
		}
	}
	for i := range min(k, len(truth)) {
		ideal += 1 / math.Log2(float64(i)+2)
	}
	return dcg / ideal
}

// Table renders the report as Markdown: one table for all partners, one
// for the seen/new split.
func (r Report) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Cutoff %s", r.Cutoff)
	if r.Until != "" {
		fmt.Fprintf(&b, ", data until %s", r.Until)
	}
	fmt.Fprintf(&b, ": %d projects evaluated (%d with a coordinator seen before), %d projects of history; data from %s to %s.\n\n",
		r.Projects, r.LeadKnown, r.History, r.DataFrom, r.DataTo)
	b.WriteString("| query | method | recall@10 | recall@20 | recall@50 | nDCG@20 |\n|---|---|---:|---:|---:|---:|\n")
	for _, row := range r.Rows {
		m := row.Overall
		fmt.Fprintf(&b, "| %s | %s | %.3f | %.3f | %.3f | %.3f |\n", row.Query, row.Method, m.Recall10, m.Recall20, m.Recall50, m.NDCG20)
	}
	b.WriteString("\n| query | method | seen: recall@10 | @20 | @50 | nDCG@20 | new: recall@10 | @20 | @50 | nDCG@20 |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, row := range r.Rows {
		s, n := row.Seen, row.New
		fmt.Fprintf(&b, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", row.Query, row.Method,
			s.Recall10, s.Recall20, s.Recall50, s.NDCG20, n.Recall10, n.Recall20, n.Recall50, n.NDCG20)
	}
	if len(r.Rows) > 0 {
		s, n := r.Rows[0].Seen, r.Rows[0].New
		fmt.Fprintf(&b, "\nPartners to find: %d seen before the cutoff (in %d projects), %d new (in %d projects).\n",
			s.Partners, s.Projects, n.Partners, n.Projects)
		for _, q := range QueryKinds {
			m, pop := r.Row(MethodModel, q), r.Row(MethodPopularity, q)
			if pop.Overall.Recall20 > 0 && pop.Seen.Recall20 > 0 {
				fmt.Fprintf(&b, "Lift of escnet over popularity, %s queries: recall@20 %.2f× (seen partners %.2f×); recall@20 on new partners %.3f.\n",
					q, m.Overall.Recall20/pop.Overall.Recall20, m.Seen.Recall20/pop.Seen.Recall20, m.New.Recall20)
			}
		}
	}
	return b.String()
}
