package directory

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
)

// jrcTaxonomyPath is the shared JRC data, outside the module on purpose:
// it is read at test time and never copied into the repository.
const jrcTaxonomyPath = "../../../shared/data/taxonomy/jrc_cybersecurity_taxonomy.json"

const jrcSource = "JRC cybersecurity taxonomy (2019)"

func mustTaxonomy(t *testing.T) []Capability {
	t.Helper()
	caps, err := Taxonomy()
	if err != nil {
		t.Fatalf("Taxonomy: %v", err)
	}
	if len(caps) == 0 {
		t.Fatal("Taxonomy: empty")
	}
	return caps
}

func TestTaxonomyStructure(t *testing.T) {
	caps := mustTaxonomy(t)
	tests := []struct {
		name  string
		check func(t *testing.T, caps []Capability)
	}{
		{"codes valid and unique", func(t *testing.T, caps []Capability) {
			seen := map[string]bool{}
			for _, c := range caps {
				if !ValidCapabilityCode(c.Code) {
					t.Errorf("invalid code %q", c.Code)
				}
				if seen[c.Code] {
					t.Errorf("duplicate code %q", c.Code)
				}
				seen[c.Code] = true
			}
		}},
		{"parent exists and precedes child", func(t *testing.T, caps []Capability) {
			pos := map[string]int{}
			for i, c := range caps {
				if c.Parent != "" {
					p, ok := pos[c.Parent]
					if !ok {
						t.Errorf("%s: parent %q missing or after child", c.Code, c.Parent)
					} else if caps[p].Parent != "" {
						t.Errorf("%s: parent %q is not top-level; tree must stay two levels deep", c.Code, c.Parent)
					}
					if !strings.HasPrefix(c.Code, c.Parent+".") || strings.Contains(c.Code[len(c.Parent)+1:], ".") {
						t.Errorf("%s: code does not extend parent %q by one level", c.Code, c.Parent)
					}
				} else if strings.Contains(c.Code, ".") {
					t.Errorf("%s: dotted code without parent", c.Code)
				}
				pos[c.Code] = i
			}
		}},
		{"labels in every language", func(t *testing.T, caps []Capability) {
			for _, c := range caps {
				for _, lang := range Languages {
					if strings.TrimSpace(c.Labels[lang]) == "" {
						t.Errorf("%s: no %s label", c.Code, lang)
					}
				}
				for lang := range c.Labels {
					if !slices.Contains(Languages, lang) {
						t.Errorf("%s: label in unknown language %q", c.Code, lang)
					}
				}
			}
		}},
		{"top-level labels translated", func(t *testing.T, caps []Capability) {
			for _, c := range caps {
				if c.Parent != "" {
					continue
				}
				for _, lang := range Languages {
					if lang != "en" && c.Labels[lang] == c.Labels["en"] {
						t.Errorf("%s: %s label %q is the English one", c.Code, lang, c.Labels[lang])
					}
				}
			}
		}},
		{"nature known", func(t *testing.T, caps []Capability) {
			for _, c := range caps {
				if !slices.Contains(Natures, c.Nature) {
					t.Errorf("%s: nature %q not in %v", c.Code, c.Nature, Natures)
				}
			}
		}},
		{"positions follow file order", func(t *testing.T, caps []Capability) {
			for i, c := range caps {
				if c.Position != i {
					t.Errorf("%s: position %d, want %d", c.Code, c.Position, i)
				}
			}
		}},
		{"source only on JRC domains", func(t *testing.T, caps []Capability) {
			for _, c := range caps {
				want := ""
				if c.Parent == "cybersecurity" {
					want = jrcSource
				}
				if c.Source != want {
					t.Errorf("%s: source %q, want %q", c.Code, c.Source, want)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, caps) })
	}
}

func TestTaxonomyRequiredCodes(t *testing.T) {
	caps := mustTaxonomy(t)
	byCode := map[string]Capability{}
	for _, c := range caps {
		byCode[c.Code] = c
	}
	tests := []struct {
		code, parent string
	}{
		{"crisis-management", ""},
		{"crime-terrorism", ""},
		{"border-security", ""},
		{"critical-infrastructure", ""},
		{"cybersecurity", ""},
		{"drones", ""},
		{"cbrne", ""},
		{"forensics", ""},
		{"first-responders", ""},
		{"privacy-identity", ""},
		{"societal-ethics", ""},
		{"crisis-management.early-warning", "crisis-management"},
		{"crisis-management.emergency-communication", "crisis-management"},
		{"crisis-management.natural-hazards", "crisis-management"},
		{"crisis-management.situational-awareness", "crisis-management"},
		{"crime-terrorism.radicalisation", "crime-terrorism"},
		{"crime-terrorism.cybercrime", "crime-terrorism"},
		{"crime-terrorism.public-spaces", "crime-terrorism"},
		{"crime-terrorism.intelligence-analysis", "crime-terrorism"},
		{"border-security.surveillance", "border-security"},
		{"border-security.maritime", "border-security"},
		{"border-security.document-fraud", "border-security"},
		{"critical-infrastructure.energy", "critical-infrastructure"},
		{"critical-infrastructure.transport", "critical-infrastructure"},
		{"critical-infrastructure.water", "critical-infrastructure"},
		{"critical-infrastructure.resilience", "critical-infrastructure"},
		{"drones.testing", "drones"},
		{"drones.counter-drone", "drones"},
		{"drones.autonomy", "drones"},
		{"cbrne.detection", "cbrne"},
		{"cbrne.decontamination", "cbrne"},
		{"cbrne.explosives", "cbrne"},
		{"forensics.digital", "forensics"},
		{"forensics.crime-scene", "forensics"},
		{"first-responders.firefighting", "first-responders"},
		{"first-responders.medical", "first-responders"},
		{"first-responders.training", "first-responders"},
		{"first-responders.equipment", "first-responders"},
		{"privacy-identity.biometrics", "privacy-identity"},
		{"privacy-identity.data-protection", "privacy-identity"},
		{"societal-ethics.ethics", "societal-ethics"},
		{"societal-ethics.resilience", "societal-ethics"},
		{"societal-ethics.trust", "societal-ethics"},
		{"cybersecurity.assurance-audit-certification", "cybersecurity"},
		{"cybersecurity.cryptology", "cybersecurity"},
		{"cybersecurity.data-security-privacy", "cybersecurity"},
		{"cybersecurity.education-training", "cybersecurity"},
		{"cybersecurity.human-aspects", "cybersecurity"},
		{"cybersecurity.identity-management", "cybersecurity"},
		{"cybersecurity.incident-handling-forensics", "cybersecurity"},
		{"cybersecurity.legal-aspects", "cybersecurity"},
		{"cybersecurity.network-distributed-systems", "cybersecurity"},
		{"cybersecurity.security-management-governance", "cybersecurity"},
		{"cybersecurity.security-measurements", "cybersecurity"},
		{"cybersecurity.software-hardware-security", "cybersecurity"},
		{"cybersecurity.steganography", "cybersecurity"},
		{"cybersecurity.theoretical-foundations", "cybersecurity"},
		{"cybersecurity.trust-management", "cybersecurity"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			c, ok := byCode[tt.code]
			if !ok {
				t.Fatalf("code %q missing", tt.code)
			}
			if c.Parent != tt.parent {
				t.Errorf("parent %q, want %q", c.Parent, tt.parent)
			}
		})
	}
	top := 0
	for _, c := range caps {
		if c.Parent == "" {
			top++
		}
	}
	if top != 11 {
		t.Errorf("%d top-level nodes, want 11", top)
	}
}

func TestTaxonomyCoversJRCDomains(t *testing.T) {
	data, err := os.ReadFile(jrcTaxonomyPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("JRC taxonomy not available at %s; skipping cross-check", jrcTaxonomyPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var jrc struct {
		Domains map[string][]string `json:"domains"`
	}
	if err := json.Unmarshal(data, &jrc); err != nil {
		t.Fatalf("decode %s: %v", jrcTaxonomyPath, err)
	}
	if len(jrc.Domains) == 0 {
		t.Fatalf("%s: no domains", jrcTaxonomyPath)
	}
	children := map[string]string{} // English label → code
	for _, c := range mustTaxonomy(t) {
		if c.Parent == "cybersecurity" {
			children[c.Labels["en"]] = c.Code
		}
	}
	for domain := range jrc.Domains {
		if _, ok := children[domain]; !ok {
			t.Errorf("JRC domain %q is not the English label of a child of cybersecurity", domain)
		}
	}
	if len(children) != len(jrc.Domains) {
		t.Errorf("cybersecurity has %d children, JRC has %d domains", len(children), len(jrc.Domains))
	}
}

func TestTaxonomyFresh(t *testing.T) {
	a := mustTaxonomy(t)
	want := a[0].Labels["en"]
	a[0].Code = "changed"
	a[0].Labels["en"] = "changed"
	b := mustTaxonomy(t)
	if b[0].Code == "changed" || b[0].Labels["en"] != want {
		t.Error("Taxonomy shares state between calls")
	}
}

func TestParseTaxonomyRejects(t *testing.T) {
	tests := []struct {
		name, data string
	}{
		{"unknown field", `[{"code":"a","labels":{"en":"A"},"nature":"safety","lable":"x"}]`},
		{"not an array", `{"code":"a"}`},
		{"trailing data", `[] []`},
		{"malformed", `[{"code":`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseTaxonomy([]byte(tt.data)); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestValidCapabilityCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"cybersecurity", true},
		{"crisis-management.early-warning", true},
		{"a.b.c", true},
		{"cbrne2.x9", true},
		{strings.Repeat("a", 120), true},
		{strings.Repeat("a", 121), false},
		{"", false},
		{"Crisis", false},
		{"crisis_management", false},
		{"-crisis", false},
		{"crisis-", false},
		{"crisis--management", false},
		{".crisis", false},
		{"crisis.", false},
		{"crisis..early", false},
		{"crisis management", false},
		{"crisis\n", false},
		{"crïsis", false},
	}
	for _, tt := range tests {
		if got := ValidCapabilityCode(tt.code); got != tt.want {
			t.Errorf("ValidCapabilityCode(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}
