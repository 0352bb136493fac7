package projects

import (
	"errors"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/validate"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AIRBUS DS SAS", "airbus ds"},
		{"Airbus DS", "airbus ds"},
		{"FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG E.V.", "fraunhofer gesellschaft zur foerderung der angewandten forschung"},
		{"Teknologian tutkimuskeskus VTT Oy", "teknologian tutkimuskeskus vtt"},
		{"SRM - SOCIETA RETI E MOBILITA SRL", "srm societa reti e mobilita"},
		{"Fixture Drones B.V.", "fixture drones"},
		{"Stiftelsen SINTEF A.S.", "stiftelsen sintef"},
		{"Société Générale S.A.", "societe generale"},
		{"ITTI Sp. z o.o.", "itti"},
		{"Ltd", ""},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWebsiteHost(t *testing.T) {
	tests := []struct{ in, want string }{
		{"www.tno.nl", "tno.nl"},
		{"http://www.TNO.nl/en/", "tno.nl"},
		{"https://innovation.tno.nl", "innovation.tno.nl"},
		{"", ""},
		{"://", ""},
	}
	for _, tt := range tests {
		if got := WebsiteHost(tt.in); got != tt.want {
			t.Errorf("WebsiteHost(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func key(id, name, country, city, website string, vats ...string) OrgKey {
	return OrgKey{OrgRef: OrgRef{ID: id, Slug: id, Name: name, Country: country, City: city}, Website: website, VATs: vats}
}

func TestFindCandidates(t *testing.T) {
	orgs := []OrgKey{
		key("a1", "AIRBUS DS SAS", "FR", "ELANCOURT", "www.cassidian.com"),
		key("a2", "Airbus DS", "FR", "Élancourt", ""),
		key("a3", "Airbus DS GmbH", "DE", "Elancourt", ""), // another country
		key("v1", "DEPARTMENT FOR TRANSPORT", "GB", "LONDON", "", "GB888810569"),
		key("v2", "MARITIME AND COASTGUARD AGENCY", "GB", "SOUTHAMPTON", "", "GB888810569"),
		key("w1", "VTT", "FI", "ESPOO", "http://www.vtt.fi"),
		key("w2", "VTT Oy", "FI", "Helsinki", "https://vtt.fi/en"),
		key("n1", "Ministry of Interior", "BG", "Sofia", ""),
		key("n2", "Ministry of Interior", "BG", "Plovdiv", ""), // same name, nothing else shared
		key("d1", "Blücher GmbH", "DE", "Erkrath", ""),
		key("d2", "Blucher", "DE", "ERKRATH", ""),
	}
	distinct := map[[2]string]bool{PairKey("d2", "d1"): true}
	got := FindCandidates(orgs, distinct)
	var lines []string
	for _, c := range got {
		lines = append(lines, c.Reason+" "+c.A.ID+" "+c.B.ID)
	}
	want := []string{
		"same_vat v1 v2",
		"same_name_city a1 a2", // A is the first name in byte order
		"same_name_website w1 w2",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("candidates:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG E.V.", "fraunhofer-gesellschaft-zur-foerderung-der-angewandten"},
		{"ENTENTE POUR LA FORÊT MÉDITERRANÉENNE", "entente-pour-la-foret-mediterraneenne"},
		{"Blücher GmbH", "blucher-gmbh"},
		{"Straße & Søn ApS", "strasse-son-aps"},
		{"ΕΘΝΙΚΟ ΚΕΝΤΡΟ", "org"},
		{"  --  ", "org"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Slug(tt.in); len(got) > 60 {
			t.Errorf("Slug(%q) is %d characters, want at most 60", tt.in, len(got))
		}
	}
	if got := SlugCandidates("DFRC AG", "988554064"); strings.Join(got, ",") != "dfrc-ag,dfrc-ag-4064,dfrc-ag-988554064" {
		t.Errorf("SlugCandidates = %v", got)
	}
}

func TestReconcile(t *testing.T) {
	prev := OrgFields{Name: "ALPHA BV", Kind: "company", Country: "NL", City: "Delft", VAT: "NL1"}
	next := OrgFields{Name: "ALPHA B.V.", Kind: "company", Country: "NL", City: "Den Haag", VAT: "NL1", Website: "http://alpha.example"}
	tests := []struct {
		name     string
		cur      OrgFields
		prev     OrgFields
		want     OrgFields
		wantNote string
	}{
		{"untouched follows CORDIS", prev, prev, next, ""},
		{"hand-edited name stays", OrgFields{Name: "Alpha", Kind: "company", Country: "NL", City: "Delft", VAT: "NL1"}, prev,
			OrgFields{Name: "Alpha", Kind: "company", Country: "NL", City: "Den Haag", VAT: "NL1", Website: "http://alpha.example"}, ""},
		{"first link fills empty fields only", OrgFields{Name: "Alpha", Kind: "research", Country: "NL"}, OrgFields{},
			OrgFields{Name: "Alpha", Kind: "research", Country: "NL", City: "Den Haag", VAT: "NL1", Website: "http://alpha.example"}, ""},
	}
	for _, tt := range tests {
		if got := Reconcile(tt.cur, tt.prev, next); got != tt.want {
			t.Errorf("%s: Reconcile = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	// SME only for companies, even when the hand-entered kind differs.
	got := Reconcile(OrgFields{Kind: "research"}, OrgFields{}, OrgFields{Kind: "company", SME: true})
	if got.SME {
		t.Errorf("Reconcile made a research organisation an SME")
	}
}

func TestFieldsFromCORDIS(t *testing.T) {
	p := &cordis.Participation{Name: strings.Repeat("N", 310), ShortName: strings.Repeat("S", 123), Kind: "research", SME: true,
		Country: "GR", City: "ATHINA", Website: "www.ntua.gr", VAT: "EL099793475"}
	f := FieldsFromCORDIS(p)
	if len(f.Name) != 300 || len(f.ShortName) != 60 || f.SME || f.Website != "http://www.ntua.gr" {
		t.Errorf("fields = %+v: want name cut to 300, short name to 60, no SME for research, a website with scheme", f)
	}
	for in, want := range map[string]string{"see our page": "", "https://x.eu/": "https://x.eu/", "localhost": "", "ftp://x.eu": ""} {
		if got := NormalizeWebsite(in); got != want {
			t.Errorf("NormalizeWebsite(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidateMerge(t *testing.T) {
	tests := []struct {
		into, from string
		want       []string // fields with errors
	}{
		{"a", "b", nil},
		{"", "b", []string{"into"}},
		{"", "", []string{"into", "from"}},
		{"a", "a", []string{"from"}},
	}
	for _, tt := range tests {
		err := ValidateMerge(tt.into, tt.from)
		var ve validate.Errors
		errors.As(err, &ve)
		var got []string
		for _, fe := range ve {
			got = append(got, fe.Field)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("ValidateMerge(%q, %q) fields %v, want %v", tt.into, tt.from, got, tt.want)
		}
	}
}
