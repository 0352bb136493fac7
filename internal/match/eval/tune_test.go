package eval

import (
	"fmt"
	"os"
	"testing"

	"github.com/escnet/escnet/internal/match"
)

// TestTune searches the ranking weights by coordinate ascent on the
// validation replay (cutoff 2015-01-01, data cut at 2017-01-01: nothing of
// the test years); it runs only with ESCNET_TUNE=1.
func TestTune(t *testing.T) {
	if os.Getenv("ESCNET_TUNE") == "" {
		t.Skip("set ESCNET_TUNE=1 to run the validation replay")
	}
	c := loadReal(t)
	s := c.Snapshot()
	objective := func(w match.Weights) (float64, float64) {
		rep, err := Run(s, "2015-01-01", Options{Until: "2017-01-01", Weights: &w})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Row(MethodModel, QueryTopic).Overall.Recall20, rep.Row(MethodModel, QueryIdea).Overall.Recall20
	}
	w := match.DefaultWeights
	tp, id := objective(w)
	best := tp + id
	fmt.Printf("start topic=%.3f idea=%.3f\n", tp, id)
	fields := []struct {
		name string
		p    *float64
	}{{"Text", &w.Text}, {"Breadth", &w.Breadth}, {"Declared", &w.Declared}, {"Lead", &w.Lead},
		{"Network", &w.Network}, {"Fit", &w.Fit}, {"Prior", &w.Prior}, {"Synergy", &w.Synergy},
		{"Activity", &w.Activity}, {"Circle", &w.Circle}}
	for round := 0; round < 3; round++ {
		improved := false
		for _, f := range fields {
			if f.name == "Declared" || f.name == "Fit" {
				continue // nothing to learn from: CORDIS has no declared profiles
			}
			orig := *f.p
			for _, v := range []float64{0, orig * 0.5, orig * 0.75, orig * 1.5, orig * 2, orig + 0.25} {
				*f.p = v
				tp, id := objective(w)
				if tp+id > best+1e-9 {
					best, orig, improved = tp+id, v, true
					fmt.Printf("round %d %s=%.3f topic=%.3f idea=%.3f\n", round, f.name, v, tp, id)
				}
			}
			*f.p = orig
		}
		if !improved {
			break
		}
	}
	fmt.Printf("best %+v\n", w)
}
