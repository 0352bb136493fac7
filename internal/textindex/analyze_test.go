package textindex

import (
	"slices"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		text string
		want Lang
	}{
		{"The detection of drones at airports and the protection of the public", English},
		{"De detectie van drones bij luchthavens en de bescherming van het publiek", Dutch},
		{"La détection des drones dans les aéroports et la protection du public", French},
		{"Die Erkennung von Drohnen an Flughäfen und der Schutz der Öffentlichkeit", German},
		{"drone detection", English}, // too short to tell: the default
		{"", English},
	}
	for _, tt := range tests {
		if got := Detect(tt.text); got != tt.want {
			t.Errorf("Detect(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
}

func TestAnalyzeStemsAndFolds(t *testing.T) {
	tests := []struct {
		text string
		lang Lang
		want []string
	}{
		{"Detecting drones, detected drone", English, []string{"detect", "drone", "detect", "drone"}},
		{"de beveiliging van luchthavens", Dutch, []string{"beveil", "luchthaven"}},
		{"la sécurité des aéroports", French, []string{"secur", "aeroport"}},
		{"die Sicherheit der Flughäfen", German, []string{"sich", "flughaf"}},
		{"Pôle Risques: 2024 résilience!", French, []string{"pol", "risqu", "resilient"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range AnalyzeLang(tt.text, tt.lang) {
			got = append(got, tok.Term)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("AnalyzeLang(%q, %s) = %q, want %q", tt.text, tt.lang, got, tt.want)
		}
	}
}

func TestAnalyzeDropsNoise(t *testing.T) {
	long := make([]byte, 100)
	for i := range long {
		long[i] = 'a'
	}
	for _, text := range []string{"", "the and of", "123 4567", "!!! ---", string(long)} {
		if got := Analyze(text); len(got) != 0 {
			t.Errorf("Analyze(%q) = %v, want no terms", text, got)
		}
	}
}

func TestIndexRanksByBM25(t *testing.T) {
	b := NewBuilder()
	docs := []string{
		"drone detection at airports",
		"cyber security of hospitals",
		"detection of drones and counter-drone systems for airports and prisons",
		"flood forecasting",
	}
	for _, d := range docs {
		b.Add(b.NewDoc(), Analyze(d), 1)
	}
	ix := b.Build()
	s := ix.NewScores()
	ix.Score(ix.Query(Analyze("drone detection airport"), 10), s)
	top := s.Top(10)
	var got []uint32
	for _, h := range top {
		got = append(got, h.Doc)
	}
	if want := []uint32{0, 2}; !slices.Equal(got, want) {
		t.Fatalf("ranked docs = %v, want %v", got, want)
	}
	s.Reset()
	if len(s.Touched()) != 0 || s.Get(0) != 0 {
		t.Errorf("Reset left scores behind")
	}
	if id, ok := ix.TermID("drone"); !ok || !ix.Has(id, 2) || ix.Has(id, 1) {
		t.Errorf("Has(drone) wrong: id %d ok %v", id, ok)
	}
}

func TestQueryKeepsMostTellingTerms(t *testing.T) {
	b := NewBuilder()
	for _, d := range []string{"security research", "security drones", "security floods", "security cyber"} {
		b.Add(b.NewDoc(), Analyze(d), 1)
	}
	ix := b.Build()
	q := ix.Query(Analyze("security drones"), 1)
	if len(q) != 1 {
		t.Fatalf("got %d terms, want 1", len(q))
	}
	if term, _ := ix.Term(q[0].ID); term != "drone" {
		t.Errorf("kept %q, want the rarer term drone", term)
	}
}
