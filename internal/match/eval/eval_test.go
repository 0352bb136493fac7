package eval

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/match"
)

// realData is where the shared CORDIS exports live, relative to this
// package; tests that need them skip when they are absent.
const realData = "../../../../shared/data/cordis"

var realFiles = []string{"cordisref-topics.csv", "cordis-fp7projects.csv", "cordis-fp7organizations.csv",
	"cordis-h2020projects.csv", "cordis-h2020organizations.csv"}

func loadReal(t testing.TB) *CORDIS {
	t.Helper()
	var c CORDIS
	for _, name := range realFiles {
		f, err := os.Open(filepath.Join(realData, name))
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("%s not found; skipping the replay on real CORDIS data", name)
		}
		if err != nil {
			t.Fatal(err)
		}
		r, err := cordis.NewReader(name, f)
		if err != nil {
			f.Close()
			t.Fatal(err)
		}
		if err := c.Read(r); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return &c
}

func TestReplay2017(t *testing.T) {
	c := loadReal(t)
	rep, err := Run(c.Snapshot(), "2017-01-01", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.Table())
}

// TestReplayProperties checks what must hold of any replay: metrics in
// [0, 1], recall growing with depth, projects evaluated.
func TestReplayProperties(t *testing.T) {
	c := loadReal(t)
	rep, err := Run(c.Snapshot(), "2017-01-01", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Projects == 0 || rep.History == 0 {
		t.Fatalf("evaluated %d projects on %d of history, want both > 0", rep.Projects, rep.History)
	}
	if got, want := len(rep.Rows), len(Methods)*len(QueryKinds); got != want {
		t.Fatalf("%d rows, want %d", got, want)
	}
	for _, row := range rep.Rows {
		for split, m := range map[string]Metrics{"overall": row.Overall, "seen": row.Seen, "new": row.New} {
			for name, v := range map[string]float64{"recall@10": m.Recall10, "recall@20": m.Recall20, "recall@50": m.Recall50, "nDCG@20": m.NDCG20} {
				if v < 0 || v > 1 {
					t.Errorf("%s/%s/%s: %s = %v, want in [0,1]", row.Query, row.Method, split, name, v)
				}
			}
			if !(m.Recall10 <= m.Recall20 && m.Recall20 <= m.Recall50) {
				t.Errorf("%s/%s/%s: recall@10 %v, @20 %v, @50 %v: want non-decreasing", row.Query, row.Method, split, m.Recall10, m.Recall20, m.Recall50)
			}
		}
		if row.Overall.Projects != rep.Projects {
			t.Errorf("%s/%s: averaged over %d projects, want %d", row.Query, row.Method, row.Overall.Projects, rep.Projects)
		}
	}
	// The model must beat every baseline on both kinds of query.
	for _, q := range QueryKinds {
		model := rep.Row(MethodModel, q).Overall.Recall20
		for _, m := range Methods[1:] {
			if m == MethodHand {
				continue // not a baseline: the model before it was learned
			}
			if base := rep.Row(m, q).Overall.Recall20; model <= base {
				t.Errorf("%s query: model recall@20 %.3f does not beat %s (%.3f)", q, model, m, base)
			}
		}
	}
}

func TestActionType(t *testing.T) {
	tests := []struct {
		scheme string
		want   string
		ok     bool
	}{
		{"RIA", "RIA", true}, {"HORIZON-IA", "IA", true}, {"CSA", "CSA", true},
		{"CP", "RIA", true}, {"CP-FP", "RIA", true}, {"CP-IP", "IA", true},
		{"CSA-CA", "CSA", true}, {"CSA-SA", "CSA", true}, {"CP-CSA", "CSA", true},
		{"SME-1", "", false}, {"SME-2", "", false}, {"PCP", "", false}, {"NoE", "", false}, {"ERC-STG", "", false},
	}
	for _, tt := range tests {
		got, ok := ActionType(tt.scheme)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ActionType(%q) = %q, %v; want %q, %v", tt.scheme, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMetrics(t *testing.T) {
	ranked := []string{"a", "x", "b", "y"}
	truth := []string{"a", "b", "c", "d"}
	if got := Recall(ranked, truth, 1); got != 0.25 {
		t.Errorf("Recall@1 = %v, want 0.25", got)
	}
	if got := Recall(ranked, truth, 10); got != 0.5 {
		t.Errorf("Recall@10 = %v, want 0.5", got)
	}
	if got := NDCG([]string{"a", "b"}, []string{"a", "b"}, 20); got != 1 {
		t.Errorf("perfect NDCG = %v, want 1", got)
	}
	if got := NDCG([]string{"x", "a"}, []string{"a"}, 20); got <= 0.6 || got >= 0.7 {
		t.Errorf("NDCG of a hit at rank 2 = %v, want 1/log2(3) ≈ 0.63", got)
	}
	if got := NDCG(nil, []string{"a"}, 20); got != 0 {
		t.Errorf("NDCG of nothing = %v, want 0", got)
	}
}

func TestRunBadCutoff(t *testing.T) {
	p := func(id, start, scheme string, orgs ...string) match.Project {
		pr := match.Project{ID: id, Title: "crisis communication " + id, Start: start, Scheme: scheme}
		for i, o := range orgs {
			role := "participant"
			if i == 0 {
				role = match.RoleCoordinator
			}
			pr.Participants = append(pr.Participants, match.Participant{OrgID: o, Role: role})
		}
		return pr
	}
	s := match.Snapshot{Projects: []match.Project{
		p("1", "2015-01-01", "RIA", "a", "b", "c"),
		p("2", "2016-06-01", "RIA", "a", "b", "d"),
		p("3", "2017-03-01", "SME-1", "e"),
	}}
	tests := []struct {
		cutoff string
		want   string
	}{
		{"2017/01/01", "not a date"},
		{"", "not a date"},
		{"2010-01-01", "no project starts before it"},
		{"2015-01-01", "no project starts before it"},
		{"2017-01-01", "no collaborative project"}, // only an SME-1 after it
		{"2030-01-01", "the data ends on 2017-03-01"},
	}
	for _, tt := range tests {
		_, err := Run(s, tt.cutoff, Options{})
		var ce *CutoffError
		if !errors.As(err, &ce) || !errors.Is(err, ErrCutoff) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Run(cutoff %q) = %v, want a *CutoffError saying %q", tt.cutoff, err, tt.want)
		}
	}
	if _, err := Run(match.Snapshot{}, "2017-01-01", Options{}); !errors.Is(err, ErrCutoff) {
		t.Errorf("Run on no data = %v, want ErrCutoff", err)
	}
	rep, err := Run(s, "2016-01-01", Options{})
	if err != nil || rep.Projects != 1 || rep.History != 1 {
		t.Errorf("Run(2016-01-01) = %+v, %v; want 1 project on 1 of history", rep, err)
	}
}
