package eval

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/escnet/escnet/internal/match"
)

// Learning to rank: the model's weights are learned on a replay (the
// validation replay only: cutoff 2015-01-01, data cut at 2017-01-01) with
// a listwise logistic loss: for each query, the softmax over the
// organisations it reaches should put the project's real partners on
// top. A linear model over a score that is a sum of a few signals is
// enough at this size (about 180 queries of about 1,500 candidates), and
// it stays as fast as the hand-set sum it replaces.

// Group is one query of a replay: its candidates and which of them were
// real partners.
type Group struct {
	Kind       string
	Candidates []match.Candidate
	Positive   []bool
}

// Collect replays history from cutoff as Run does and returns, for each
// target project and kind of query, the candidates the model reaches.
func Collect(s match.Snapshot, cutoff string, opt Options) ([]Group, error) {
	var groups []Group
	_, err := walk(s, cutoff, opt, func(ix *match.Index, t target, q match.Query, kind string, _ map[string]bool) error {
		cands, err := ix.Candidates(q)
		if err != nil && !errors.Is(err, match.ErrInvalidQuery) {
			return err
		}
		g := Group{Kind: kind, Candidates: cands, Positive: make([]bool, len(cands))}
		any := false
		for i, c := range cands {
			for _, id := range t.truth {
				if c.ID == id {
					g.Positive[i], any = true, true
				}
			}
		}
		if any {
			groups = append(groups, g)
		}
		return nil
	})
	return groups, err
}

// pairGrad adds the gradient of the pairwise logistic loss of a group's
// positives against its hard best-scored negatives to grad and returns the
// group's loss.
func pairGrad(g *Group, scores []float64, hard int, grad []float64) float64 {
	negs := make([]int, 0, len(scores))
	for i, p := range g.Positive {
		if !p {
			negs = append(negs, i)
		}
	}
	slices.SortFunc(negs, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	negs = negs[:min(hard, len(negs))]
	var loss float64
	local := make([]float64, len(grad))
	n := 0
	for i, p := range g.Positive {
		if !p {
			continue
		}
		for _, j := range negs {
			d := scores[i] - scores[j]
			loss += math.Log1p(math.Exp(-d))
			sig := 1 / (1 + math.Exp(d)) // -dloss/dd
			for k := range local {
				local[k] -= sig * (g.Candidates[i].Features[k] - g.Candidates[j].Features[k])
			}
			n++
		}
	}
	if n == 0 {
		return 0
	}
	for k := range grad {
		grad[k] += local[k] / float64(n)
	}
	return loss / float64(n)
}

// The hand-set weights, relative to the learned weight of text
// similarity (what the replay cannot teach: CORDIS has no declared
// profiles).
const (
	HandDeclared   = 1.0
	HandCapability = 2.5
	HandFit        = 2.0
)

// topGap is the mean gap of the learned scores between the first and the
// twentieth candidate of the groups.
func topGap(groups []Group, w []float64) float64 {
	var sum float64
	n := 0
	for _, g := range groups {
		scores := make([]float64, len(g.Candidates))
		for i := range g.Candidates {
			for k, x := range g.Candidates[i].Features {
				scores[i] += w[k] * x
			}
		}
		if len(scores) < 20 {
			continue
		}
		slices.Sort(scores)
		slices.Reverse(scores)
		sum += scores[0] - scores[19]
		n++
	}
	if n == 0 {
		return 1
	}
	return sum / float64(n)
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// TrainOptions tune Train.
type TrainOptions struct {
	Iterations int     // full-batch steps (default 600)
	Rate       float64 // Adam's step size (default 0.05)
	L2         float64 // weight decay (default 0.01)
	// Hard, when set, trains on pairs instead: each real partner against
	// the Hard best-scored others of its query (by the current weights),
	// with the logistic loss, which looks at the top of the ranking only.
	Hard int
}

// Train learns the features' weights from the groups by gradient descent
// (Adam) on the listwise logistic loss: the mean over groups and their
// positives of -log softmax(score of the positive among the group).
// The hand-weighted signals of start are kept and enter every score.
func Train(groups []Group, start *match.Model, opt TrainOptions) (*match.Model, float64) {
	if opt.Iterations == 0 {
		opt.Iterations = 600
	}
	if opt.Rate == 0 {
		opt.Rate = 0.05
	}
	if opt.L2 == 0 {
		opt.L2 = 0.01
	}
	n := match.NumFeatures
	w := make([]float64, n)
	copy(w, start.Weights)
	m1, m2 := make([]float64, n), make([]float64, n)
	grad := make([]float64, n)
	const b1, b2, eps = 0.9, 0.999, 1e-8
	var loss float64
	fixed := func(c *match.Candidate) float64 {
		return start.Declared*c.Declared + max(start.Capability*c.Capability, start.Fit*c.Fit)
	}
	scores := []float64{}
	for it := 1; it <= opt.Iterations; it++ {
		clear(grad)
		loss = 0
		for gi := range groups {
			g := &groups[gi]
			scores = scores[:0]
			top := math.Inf(-1)
			for ci := range g.Candidates {
				c := &g.Candidates[ci]
				s := fixed(c)
				for k, x := range c.Features {
					s += w[k] * x
				}
				scores = append(scores, s)
				top = max(top, s)
			}
			if opt.Hard > 0 {
				loss += pairGrad(g, scores, opt.Hard, grad)
				continue
			}
			var z float64
			for i := range scores {
				scores[i] = math.Exp(scores[i] - top)
				z += scores[i]
			}
			npos := 0
			for _, p := range g.Positive {
				if p {
					npos++
				}
			}
			// d loss / d s_i = p_i - y_i / npos (y normalised to sum 1).
			for ci := range g.Candidates {
				c := &g.Candidates[ci]
				d := scores[ci] / z
				if g.Positive[ci] {
					d -= 1 / float64(npos)
					loss -= math.Log(scores[ci]/z) / float64(npos)
				}
				for k, x := range c.Features {
					grad[k] += d * x
				}
			}
		}
		ng := float64(len(groups))
		for k := range w {
			gk := grad[k]/ng + opt.L2*w[k]
			m1[k] = b1*m1[k] + (1-b1)*gk
			m2[k] = b2*m2[k] + (1-b2)*gk*gk
			mh := m1[k] / (1 - math.Pow(b1, float64(it)))
			vh := m2[k] / (1 - math.Pow(b2, float64(it)))
			w[k] -= opt.Rate * mh / (math.Sqrt(vh) + eps)
		}
		loss /= ng
	}
	out := *start
	out.Weights = w
	// The hand-set weights follow the learned scale, measured as the mean
	// gap between the first and the twentieth organisation of a query: a
	// declared profile that matches the query counts as much as that, a
	// declared capability the query needs two and a half times that (a
	// member that declares what is needed must rank among the first few
	// however many projects others did: the trust cases of
	// internal/match/live), and so does a practitioner role the call
	// asks for (by its rules or by name in its text; a broad type such
	// as "any practitioner" or "SME" half of it).
	scale := topGap(groups, w)
	out.Declared = round3(HandDeclared * scale)
	out.Capability = round3(HandCapability * scale)
	out.Fit = round3(HandFit * scale)
	for k := range out.Weights {
		out.Weights[k] = round3(out.Weights[k])
	}
	out.Features = append([]string(nil), match.FeatureNames...)
	out.Trained = fmt.Sprintf("listwise logistic loss, Adam, %d iterations, step %g, L2 %g, on %d queries",
		opt.Iterations, opt.Rate, opt.L2, len(groups))
	return &out, loss
}
