package inquiries_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/inquiries"
)

// largeSnapshot grows the demonstration alliance to orgs organisations
// and people experts, and benchPractices practices: profiles are
// recombined from the demo's own descriptions, capabilities and clusters,
// with a fixed seed.
func largeSnapshot(t testing.TB, orgs, people int) inquiries.Snapshot {
	base := demoSnapshot(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var words []string
	for _, o := range base.Organisations {
		words = append(words, strings.Fields(o.Description)...)
	}
	codes := make([]string, len(base.Capabilities))
	for i, c := range base.Capabilities {
		codes[i] = c.Code
	}
	s := inquiries.Snapshot{Capabilities: base.Capabilities, Clusters: base.Clusters, Facilities: base.Facilities}
	text := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}
	levels := access.Levels
	for i := range orgs {
		id := fmt.Sprintf("org-%06d", i)
		o := inquiries.OrgDoc{ID: id, Slug: id, Name: "Organisation " + text(2), Description: text(25 + rng.IntN(30)),
			Country: base.Organisations[rng.IntN(len(base.Organisations))].Country}
		for range 2 + rng.IntN(4) {
			o.Capabilities = append(o.Capabilities, codes[rng.IntN(len(codes))])
		}
		o.Clusters = []string{base.Clusters[rng.IntN(len(base.Clusters))].ID}
		o.Record = access.Record{OwnerOrg: id, OwnerClusters: o.Clusters, Visibility: levels[rng.IntN(len(levels))]}
		s.Organisations = append(s.Organisations, o)
	}
	for i := range people {
		o := s.Organisations[rng.IntN(len(s.Organisations))]
		e := inquiries.ExpertDoc{PersonID: fmt.Sprintf("person-%06d", i), Name: "Expert " + text(2), Title: text(3), Summary: text(15),
			OrganisationID: o.ID, Languages: []string{"en"}}
		for range 1 + rng.IntN(3) {
			e.Expertise = append(e.Expertise, codes[rng.IntN(len(codes))])
		}
		e.Record = access.Record{OwnerOrg: o.ID, OwnerClusters: o.Clusters, PersonID: e.PersonID, Visibility: levels[rng.IntN(len(levels))]}
		s.Experts = append(s.Experts, e)
	}
	kinds := []string{"lesson_learned", "case_study", "guideline", "exercise_report", "project_result", "position_paper"}
	for i := range benchPractices {
		o := s.Organisations[rng.IntN(len(s.Organisations))]
		p := inquiries.PracticeDoc{ID: fmt.Sprintf("practice-%06d", i), Kind: kinds[rng.IntN(len(kinds))], OrganisationID: o.ID,
			Texts: []inquiries.PracticeText{{Lang: "en", Title: text(6), Summary: text(30), Body: text(150)}}}
		for range 1 + rng.IntN(3) {
			p.Capabilities = append(p.Capabilities, codes[rng.IntN(len(codes))])
		}
		p.Record = access.Record{OwnerOrg: o.ID, OwnerClusters: o.Clusters, Visibility: levels[rng.IntN(len(levels))]}
		s.Practices = append(s.Practices, p)
	}
	return s
}

// benchPractices is how many practices the large snapshot holds.
const benchPractices = 10_000

// benchScope is a desk member of one cluster: the scope that filters the
// most per candidate.
var benchScope = access.Scope{MinReach: 2, Clusters: []string{"hsd"}}

// BenchmarkSuggest routes the evaluation questions over 100,000
// organisations, 20,000 experts and 10,000 practices. Run on one core:
// go test ./internal/inquiries/ -run '^$' -bench Suggest -cpu 1
func BenchmarkSuggest(b *testing.B) {
	r := inquiries.Build(largeSnapshot(b, 100_000, 20_000))
	qs := loadQuestionsB(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := qs[i%len(qs)]
		r.Suggest(inquiries.Query{Text: q.Q, Lang: q.Lang, Country: q.Country, Scope: benchScope})
	}
}

// TestSuggestLatency measures one routing over 100,000 organisations,
// 20,000 experts and 10,000 practices: wall time, and the CPU time of the thread running it
// (on a shared machine the wall time also counts other people's work).
// It builds a large snapshot, so it runs only when asked:
// ESCNET_INQUIRY_LATENCY=1 go test ./internal/inquiries/ -run SuggestLatency -cpu 1 -v
func TestSuggestLatency(t *testing.T) {
	if os.Getenv("ESCNET_INQUIRY_LATENCY") == "" {
		t.Skip("set ESCNET_INQUIRY_LATENCY=1 to measure (builds a large snapshot)")
	}
	built := time.Now()
	r := inquiries.Build(largeSnapshot(t, 100_000, 20_000))
	t.Logf("snapshot built in %v; load average %s", time.Since(built).Round(time.Millisecond), loadavg())
	qs := loadQuestions(t)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var wall, cpu []time.Duration
	for round := range 10 {
		for _, q := range qs {
			start, startCPU := time.Now(), threadCPU()
			r.Suggest(inquiries.Query{Text: q.Q, Lang: q.Lang, Country: q.Country, Scope: benchScope})
			if round > 0 { // the first round warms the scratch space
				wall = append(wall, time.Since(start))
				cpu = append(cpu, threadCPU()-startCPU)
			}
		}
	}
	slices.Sort(wall)
	slices.Sort(cpu)
	pct := func(d []time.Duration, p int) time.Duration { return d[len(d)*p/100] }
	t.Logf("%d routings over 100,000 organisations, 20,000 experts and 10,000 practices: CPU p50 %v, p99 %v; wall p50 %v, p99 %v",
		len(cpu), pct(cpu, 50), pct(cpu, 99), pct(wall, 50), pct(wall, 99))
	t.Logf("load average after: %s", loadavg())
	if p99 := pct(cpu, 99); p99 > 50*time.Millisecond {
		t.Errorf("CPU p99 %v, want at most 50 ms", p99)
	}
}

// loadavg is the machine's load (1, 5 and 15 minutes), to read beside
// the wall time on a shared machine.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// threadCPU is the CPU time the current thread has used.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadQuestionsB(b *testing.B) []evalQuestion { return loadQuestionsTB(b) }
