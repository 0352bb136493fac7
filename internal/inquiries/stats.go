package inquiries

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store"
)

// StatsRow is one group of cases in the statistics.
type StatsRow struct {
	Dimension string `json:"dimension"` // cluster, domain, kind or month
	Key       string `json:"key"`       // cluster id, capability code, requester kind or YYYY-MM
	Received  int    `json:"received"`
	Answered  int    `json:"answered"`
	// AnsweredShare is Answered / Received (0..1).
	AnsweredShare float64 `json:"answered_share"`
	// MedianHours and P90Hours are the time to first answer of the
	// answered cases, in hours (0 without answers).
	MedianHours float64 `json:"median_hours"`
	P90Hours    float64 `json:"p90_hours"`
	Handoffs    int     `json:"handoffs"`
	Rated       int     `json:"rated"`
	// Satisfaction is the mean rating (1..5) of the rated cases.
	Satisfaction float64 `json:"satisfaction"`
}

// Dimensions of the statistics.
var Dimensions = []string{"cluster", "domain", "kind", "month"}

// Statistics groups cases by each dimension. Spam is left out: it is not
// a question received.
func Statistics(cases []Inquiry) []StatsRow {
	type acc struct {
		row   StatsRow
		hours []float64
		stars int
	}
	groups := map[[2]string]*acc{}
	for _, q := range cases {
		if q.CloseReason == CloseSpam || q.CloseReason == CloseMerged {
			continue
		}
		keys := [][2]string{{"cluster", q.ClusterID}, {"domain", q.Domain}, {"kind", q.RequesterKind}, {"month", q.CreatedAt.UTC().Format("2006-01")}}
		for _, k := range keys {
			g := groups[k]
			if g == nil {
				g = &acc{row: StatsRow{Dimension: k[0], Key: k[1]}}
				groups[k] = g
			}
			g.row.Received++
			g.row.Handoffs += q.Handoffs
			if q.FirstAnswerAt != nil {
				g.row.Answered++
				g.hours = append(g.hours, q.FirstAnswerAt.Sub(q.CreatedAt).Hours())
			}
			if q.Rating > 0 {
				g.row.Rated++
				g.stars += q.Rating
			}
		}
	}
	out := make([]StatsRow, 0, len(groups))
	for _, g := range groups {
		r := g.row
		r.AnsweredShare = float64(r.Answered) / float64(r.Received)
		r.MedianHours, r.P90Hours = Percentile(g.hours, 0.5), Percentile(g.hours, 0.9)
		if r.Rated > 0 {
			r.Satisfaction = float64(g.stars) / float64(r.Rated)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b StatsRow) int {
		if c := cmp.Compare(slices.Index(Dimensions, a.Dimension), slices.Index(Dimensions, b.Dimension)); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}

// Percentile is the nearest-rank percentile p (0..1) of xs (0 when empty).
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// Stats returns the statistics of the cases the viewer may see: their
// desks' cases, or all for the alliance administrator.
func (s *Service) Stats(ctx context.Context) ([]StatsRow, error) {
	v, d, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	sys := access.ScopeFrom(ctx).All
	if !v.AllianceAdmin && !sys && len(v.ManagedClusters)+len(d.Clusters) == 0 {
		if v.Anonymous() {
			return nil, store.ErrNotFound
		}
		return nil, store.ErrForbidden
	}
	f := Filter{All: v.AllianceAdmin || sys, Clusters: append(slices.Clone(v.ManagedClusters), d.Clusters...)}
	cases, err := s.store.ListInquiries(ctx, f)
	if err != nil {
		return nil, err
	}
	// Only cases held by the viewer's clusters count (not ones offered to
	// them).
	if !f.All {
		cases = slices.DeleteFunc(cases, func(q Inquiry) bool { return !slices.Contains(f.Clusters, q.ClusterID) })
	}
	return Statistics(cases), nil
}

// Month is the first day of t's month, for charts.
func Month(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }
