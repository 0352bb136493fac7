package eval

import (
	"fmt"
	"os"
	"testing"

	"github.com/escnet/escnet/internal/match"
)

// Validation replay: the weights are learned here and nowhere else.
const (
	validationCutoff = "2015-01-01"
	validationUntil  = "2017-01-01"
)

// TestTrain learns the model's weights on the validation replay and
// writes them to ../model.json; it runs only with ESCNET_TRAIN=1:
//
//	ESCNET_TRAIN=1 go test ./internal/match/eval/ -run TestTrain -v
//
// The test replay (TestReplay2017) is run once the weights are written.
func TestTrain(t *testing.T) {
	if os.Getenv("ESCNET_TRAIN") == "" {
		t.Skip("set ESCNET_TRAIN=1 to learn the model on the validation replay")
	}
	c := loadReal(t)
	s := c.Snapshot()
	opt := Options{Until: validationUntil}
	groups, err := Collect(s, validationCutoff, opt)
	if err != nil {
		t.Fatal(err)
	}
	start := *match.DefaultModel
	start.Weights = make([]float64, match.NumFeatures)
	topt := TrainOptions{}
	if h := os.Getenv("ESCNET_TRAIN_OPTS"); h != "" { // "iterations rate l2 hard", to try others
		fmt.Sscan(h, &topt.Iterations, &topt.Rate, &topt.L2, &topt.Hard)
	}
	m, loss := Train(groups, &start, topt)
	fmt.Printf("%d groups, loss %.4f\n", len(groups), loss)
	for i, n := range match.FeatureNames {
		fmt.Printf("  %-16s %+.3f\n", n, m.Weights[i])
	}
	for _, model := range []*match.Model{match.DefaultModel, m} {
		rep, err := Run(s, validationCutoff, Options{Until: validationUntil, Model: model})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("validation (%s): topic %.3f idea %.3f; seen topic %.3f idea %.3f\n", model.Trained,
			rep.Row(MethodModel, QueryTopic).Overall.Recall20, rep.Row(MethodModel, QueryIdea).Overall.Recall20,
			rep.Row(MethodModel, QueryTopic).Seen.Recall20, rep.Row(MethodModel, QueryIdea).Seen.Recall20)
	}
	b, err := match.MarshalModel(m)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("ESCNET_TRAIN") == "write" {
		if err := os.WriteFile("../model.json", b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
