// Package synth generates a reproducible synthetic alliance at scale for
// the matcher's benchmarks: organisations, projects and participations
// with realistic text (words drawn from real project texts, grouped in
// themes), a heavy-tailed number of projects per organisation, and
// consortia that favour organisations of the project's theme and their
// past partners. Same seed, same data.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/textindex"
)

// Config sizes a synthetic alliance.
type Config struct {
	Seed           uint64
	Orgs           int
	Participations int
	// Texts are real texts (project objectives) whose words make the
	// vocabulary and whose paragraphs make the themes; Fallback is used
	// when empty.
	Texts []string
}

// Fallback is a small built-in corpus for when no real texts are at hand.
var Fallback = []string{
	"Detection of drones near airports, counter-drone systems, radar and radio frequency sensors protecting critical infrastructure.",
	"Crisis communication and public warning for first responders, fire brigades and civil protection during floods and wildfires.",
	"Cyber security of hospitals and health systems: ransomware, incident response, threat intelligence sharing.",
	"Border surveillance with maritime sensors, satellites and unmanned vehicles; search and rescue at sea.",
	"Fighting organised crime and terrorism: forensic analysis, financial investigation, online radicalisation, police cooperation.",
	"Resilience of energy and transport networks against extreme weather, cascading failures and physical attacks.",
	"Chemical, biological, radiological and nuclear threats: detection, decontamination and medical countermeasures.",
	"Training of practitioners with virtual reality, serious games and exercises for emergency medical services.",
}

// Data is a generated alliance and the texts queries can be drawn from.
type Data struct {
	Snapshot match.Snapshot
	// Themes are the theme texts: a query about theme i finds the
	// projects of theme i.
	Themes []string
}

var kinds = []struct {
	kind  string
	share float64
}{{directory.KindCompany, 0.45}, {directory.KindResearch, 0.2}, {directory.KindHigherEducation, 0.2},
	{directory.KindPublicBody, 0.1}, {directory.KindOther, 0.05}}

var countries = []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
	"IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "NO", "GB", "IL", "CH", "TR", "UA", "RS"}

var clusters = []string{"hsd", "safe", "censec", "tampere", "kit", "munich", "flanders-issn", "twente"}

// Generate builds the alliance described by c.
func Generate(c Config) Data {
	r := rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))
	texts := c.Texts
	if len(texts) == 0 {
		texts = Fallback
	}
	themes, vocab := themesOf(texts)
	nOrgs := max(c.Orgs, 10)
	nParts := max(c.Participations, 3)
	d := Data{Themes: make([]string, len(themes))}
	for i, ws := range themes {
		d.Themes[i] = strings.Join(ws, " ")
	}

	orgs, byTheme := makeOrgs(r, nOrgs, themes, vocab)
	// Heavy tail: organisation i is drawn with weight 1/(rank+10).
	rank := r.Perm(nOrgs)
	cum := make([]float64, nOrgs)
	total := 0.0
	for i := range cum {
		total += 1 / float64(rank[i]+10)
		cum[i] = total
	}
	draw := func() int {
		x := r.Float64() * total
		i, _ := slices.BinarySearch(cum, x)
		return min(i, nOrgs-1)
	}

	projects := make([]match.Project, 0, nParts/10+1)
	partners := make([][]int, nOrgs) // recent partners, for repeat consortia
	for done, p := 0, 0; done < nParts; p++ {
		projects = append(projects, match.Project{})
		pr := &projects[p]
		t := r.IntN(len(themes))
		pr.ID = fmt.Sprintf("%09d", 100000000+p)
		pr.Acronym = fmt.Sprintf("SYN%d", p)
		year := 2008 + done*17/nParts
		pr.Start = fmt.Sprintf("%d-%02d-01", year, 1+r.IntN(12))
		pr.Scheme = []string{"RIA", "IA", "CSA"}[r.IntN(3)]
		pr.Title = sentence(r, themes[t], vocab, 10)
		pr.Objective = sentence(r, themes[t], vocab, 120)
		size := min(3+r.IntN(15), nOrgs)
		if left := nParts - done; left < size+3 {
			size = min(left, nOrgs) // the last project takes what is left
		}
		var members []int
		add := func(o int) {
			if !slices.Contains(members, o) {
				members = append(members, o)
			}
		}
		coord := draw()
		add(coord)
		for tries := 0; len(members) < size && tries < 10*size; tries++ {
			switch x := r.IntN(10); {
			case x < 3 && len(partners[coord]) > 0: // a past partner of the coordinator
				add(partners[coord][r.IntN(len(partners[coord]))])
			case x < 7 && len(byTheme[t]) > 0: // someone of the theme
				add(byTheme[t][r.IntN(len(byTheme[t]))])
			default: // anyone, heavy-tailed
				add(draw())
			}
		}
		for k, m := range members {
			role := "participant"
			if k == 0 {
				role = match.RoleCoordinator
			}
			pr.Participants = append(pr.Participants, match.Participant{OrgID: orgs[m].ID, Role: role})
			for _, n := range members {
				if n != m {
					partners[m] = append(partners[m], n)
					if len(partners[m]) > 40 {
						partners[m] = partners[m][1:]
					}
				}
			}
		}
		done += len(members)
	}
	d.Snapshot = match.Snapshot{Orgs: orgs, Projects: projects}
	return d
}

// themesOf splits the theme texts into words (themes of fewer than 8
// words are left out) and collects the vocabulary of all of them.
func themesOf(texts []string) (themes [][]string, vocab []string) {
	seen := map[string]bool{}
	for _, t := range texts {
		ws := words(t)
		if len(ws) < 8 {
			continue
		}
		themes = append(themes, ws)
	}
	for _, ws := range themes {
		for _, w := range ws {
			if !seen[w] {
				seen[w] = true
				vocab = append(vocab, w)
			}
		}
	}
	return themes, vocab
}

// makeOrgs draws n organisations, each with a home theme, and returns
// them with the organisations of each theme.
func makeOrgs(r *rand.Rand, n int, themes [][]string, vocab []string) ([]match.Org, [][]int) {
	// Organisations: a home theme each, a heavy-tailed appetite for
	// projects, and for some a declared profile.
	orgs := make([]match.Org, n)
	home := make([]int, n)
	byTheme := make([][]int, len(themes))
	for i := range orgs {
		o := &orgs[i]
		o.ID = fmt.Sprintf("org-%06d", i)
		o.Name = fmt.Sprintf("Organisation %d", i)
		o.Country = countries[zipf(r, len(countries), 0.8)]
		x := r.Float64()
		for _, k := range kinds {
			if x < k.share {
				o.Kind = k.kind
				break
			}
			x -= k.share
		}
		if o.Kind == "" {
			o.Kind = directory.KindOther
		}
		o.SME = o.Kind == directory.KindCompany && r.IntN(3) > 0
		if o.Kind == directory.KindPublicBody && r.IntN(2) == 0 {
			o.Roles = []string{directory.PractitionerRoles[r.IntN(len(directory.PractitionerRoles))]}
		}
		if r.IntN(20) == 0 {
			o.Clusters = []string{clusters[r.IntN(len(clusters))]}
		}
		home[i] = r.IntN(len(themes))
		byTheme[home[i]] = append(byTheme[home[i]], i)
		if r.IntN(10) == 0 {
			o.Description = sentence(r, themes[home[i]], vocab, 25)
		}
	}
	return orgs, byTheme
}

// sentence draws n words: most from the theme, some from the whole
// vocabulary, so themes overlap as real topics do.
func sentence(r *rand.Rand, theme, vocab []string, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		if r.IntN(10) < 7 {
			b.WriteString(theme[r.IntN(len(theme))])
		} else {
			b.WriteString(vocab[zipf(r, len(vocab), 1.0)])
		}
	}
	return b.String()
}

// zipf draws from 0..n-1 with weight 1/(i+1)^s, roughly.
func zipf(r *rand.Rand, n int, s float64) int {
	// Inverse of the continuous approximation; good enough for data.
	u := r.Float64()
	if s == 1 {
		x := int(math.Pow(float64(n+1), u)) - 1
		return min(max(x, 0), n-1)
	}
	x := int(math.Pow(u*(math.Pow(float64(n+1), 1-s)-1)+1, 1/(1-s))) - 1
	return min(max(x, 0), n-1)
}

func words(t string) []string {
	return strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' })
}

// Analyzer analyses generated text word by word with a cache: generated
// text is English words separated by spaces, so caching per word gives
// the terms textindex.AnalyzeLang gives, at a fraction of the cost of
// analysing millions of words again.
func Analyzer() match.Analyzer {
	var mu sync.Mutex
	cache := map[string][]textindex.Token{}
	return func(text string) []textindex.Token {
		var out []textindex.Token
		for _, w := range strings.Fields(text) {
			mu.Lock()
			toks, ok := cache[w]
			mu.Unlock()
			if !ok {
				toks = textindex.AnalyzeLang(w, textindex.English)
				mu.Lock()
				cache[w] = toks
				mu.Unlock()
			}
			out = append(out, toks...)
		}
		return out
	}
}
