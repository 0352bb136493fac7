package live_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/textindex"
)

// sharedData is the shared data directory, relative to this package.
const sharedData = "../../../../shared/data"

// demoWithCORDIS loads the demo into a fresh SQLite database, imports the
// shared CORDIS files as `escnet import cordis` does and the 45 real
// Horizon Europe Cluster 3 topics as `escnet import calls` does; it skips
// when the shared files are absent.
func demoWithCORDIS(t *testing.T) *sqlstore.DB {
	t.Helper()
	dir := filepath.Join(sharedData, "cordis")
	names := []string{"cordisref-topics.csv", "cordis-fp7organizations.csv", "cordis-h2020organizations.csv",
		"cordis-fp7projects.csv", "cordis-h2020projects.csv"}
	var srcs []projects.Source
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Skipf("shared CORDIS files absent: %v", err)
		}
		srcs = append(srcs, projects.Source{Name: name, Size: int64(len(b)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }})
	}
	topics, err := os.ReadFile(filepath.Join(sharedData, "calls", "horizon-cl3-2026-2027-topics.json"))
	if err != nil {
		t.Skipf("shared topics absent: %v", err)
	}
	db := storetest.NewSQLite(t)
	if _, err := demo.Load(sys, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	if _, err := projects.Import(sys, db, srcs, projects.Options{}); err != nil {
		t.Fatal(err)
	}
	cs, err := calls.DecodeTopics(bytes.NewReader(topics))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := calls.NewService(db).Import(sys, cs); err != nil {
		t.Fatal(err)
	}
	return db
}

// rankingCase is a query and a member of the demo that must rank in its
// first Top: the member that declares what the query needs.
type rankingCase struct {
	name string
	req  live.PartnerRequest
	want []string // slugs: any of them

	top    int
	reason string // a reason kind the member must have
}

// rankingCases are the partner finder's trust cases on the demo with the
// shared CORDIS files imported: for each, the member whose declared
// capabilities (or practitioner role) the query needs. They were written
// from the members' declared capabilities, before looking at a ranking.
var rankingCases = []rankingCase{
	{"counter-drone idea", live.PartnerRequest{Text: "A counter-drone system to detect, track and neutralise unauthorised drones over airports and public events"}, []string{"muster-aerospace"}, 5, match.ReasonCapability},
	{"counter-drone idea, the testing SME", live.PartnerRequest{Text: "Detecting and neutralising unauthorised drones near airports: counter-drone systems tested in real conditions"}, []string{"proef-drones"}, 5, match.ReasonCapability},
	{"maritime surveillance", live.PartnerRequest{Text: "Maritime surveillance of small boats and smuggling at sea with radar and satellite data"}, []string{"eksempel-maritime"}, 5, match.ReasonCapability},
	{"cryptography and identities", live.PartnerRequest{Text: "Post-quantum cryptography for the identity management of citizens' digital wallets"}, []string{"muster-cyber"}, 5, match.ReasonCapability},
	{"digital forensics", live.PartnerRequest{Text: "Digital forensics tools for investigating cybercrime and ransomware attacks"}, []string{"voorbeeld-forensics"}, 5, match.ReasonCapability},
	{"decontamination", live.PartnerRequest{Text: "Decontamination of first responders and victims after a chemical release"}, []string{"beredskabsstyrelsen"}, 5, match.ReasonCapability},
	{"firefighting equipment", live.PartnerRequest{Text: "Protective gear and equipment for firefighting in forest fires"}, []string{"branddirektion-karlsruhe"}, 5, match.ReasonCapability},
	{"explosives detection", live.PartnerRequest{Text: "Sensors for the detection of explosives and CBRNE threats in crowded places"}, []string{"beispiel-sensorik"}, 5, match.ReasonCapability},
	{"energy grids", live.PartnerRequest{Text: "Resilience of energy infrastructure and power grids against cyber attacks and storms"}, []string{"beispiel-energie"}, 5, match.ReasonCapability},
	{"emergency medical services", live.PartnerRequest{Text: "Emergency medical services coordination during mass casualty incidents"}, []string{"region-midtjylland"}, 5, match.ReasonCapability},
	{"biometrics", live.PartnerRequest{Text: "Biometrics at the entrances of stadiums and the protection of public spaces"}, []string{"voorbeeld-beveiliging"}, 5, match.ReasonCapability},
	{"document fraud", live.PartnerRequest{Text: "Detection of document fraud and forged passports at border crossings"}, []string{"finnish-customs"}, 5, match.ReasonCapability},
	{"training of first responders", live.PartnerRequest{Text: "Training and exercises for first responders in a virtual reality training centre"}, []string{"pirkanmaa-rescue-department", "stad-genk", "provincie-limburg", "veiligheidsregio-twente"}, 5, match.ReasonCapability},
	{"counter-drone idea in Dutch", live.PartnerRequest{Text: "Drone-detectie en -bestrijding rond luchthavens en grote evenementen"}, []string{"proef-drones", "muster-aerospace"}, 5, match.ReasonCapability},
	{"natural hazards in French", live.PartnerRequest{Text: "Prévision des risques naturels et alerte précoce pour les feux de forêt en Provence"}, []string{"aix-marseille-universite"}, 5, match.ReasonCapability},
	{"energy infrastructure in German", live.PartnerRequest{Text: "Schutz der Energieinfrastruktur und der Stromnetze gegen Angriffe"}, []string{"beispiel-energie"}, 5, match.ReasonCapability},
	{"radicalisation", live.PartnerRequest{Text: "Preventing radicalisation and violent extremism with community police officers"}, []string{"federale-politie"}, 5, match.ReasonCapability},
	{"telecommunications", live.PartnerRequest{Text: "Resilient telecommunications networks for emergency communication between rescue services"}, []string{"kpn"}, 5, ""},
	{"drone autonomy", live.PartnerRequest{Text: "Autonomy and navigation of drones for search and rescue in collapsed buildings"}, []string{"exemple-drones"}, 5, match.ReasonCapability},
	{"public trust", live.PartnerRequest{Text: "Public trust and acceptance of camera surveillance in city centres"}, []string{"innos"}, 10, match.ReasonCapability},
	{"situational awareness with a lead", live.PartnerRequest{Text: "Situational awareness for crisis managers from drone imagery", Lead: "tno"}, []string{"exemple-drones"}, 5, match.ReasonCapability},
	{"topic: border surveillance", live.PartnerRequest{Call: "HORIZON-CL3-2026-01-BM-01"}, []string{"eksempel-maritime"}, 10, match.ReasonCapability},
	{"topic: post-quantum cryptography", live.PartnerRequest{Call: "HORIZON-CL3-2027-02-CS-ECCC-03"}, []string{"muster-cyber"}, 10, match.ReasonCapability},
	{"topic: CBRN-E protective gear", live.PartnerRequest{Call: "HORIZON-CL3-2027-01-DRS-01"}, []string{"branddirektion-karlsruhe"}, 10, match.ReasonCapability},
	{"topic: software and hardware security", live.PartnerRequest{Call: "HORIZON-CL3-2026-02-CS-ECCC-01"}, []string{"tu-delft"}, 10, match.ReasonCapability},
	{"topic: cargo threats for customs", live.PartnerRequest{Call: "HORIZON-CL3-2027-01-BM-03"}, []string{"finnish-customs"}, 10, ""},
	{"topic: online harms investigation", live.PartnerRequest{Call: "HORIZON-CL3-2027-01-FCT-01"}, []string{"voorbeeld-forensics", "polizeipraesidium-muenchen"}, 10, match.ReasonCapability},
	{"topic: critical communication system", live.PartnerRequest{Call: "HORIZON-CL3-2026-01-SSRI-04"}, []string{"kpn"}, 10, ""},
}

// TestRankingCases runs the trust cases; it also checks that the words
// shown as counting most are never call-template words.
func TestRankingCases(t *testing.T) {
	t.Parallel()
	db := demoWithCORDIS(t)
	svc := live.New(db, live.Options{})
	defer svc.Close()
	failed := 0
	for _, c := range rankingCases {
		req := c.req
		req.Limit = 200
		res, err := svc.Partners(sys, req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		rank := slices.IndexFunc(res.Partners, func(p live.Partner) bool { return slices.Contains(c.want, p.Slug) })
		switch {
		case rank < 0 || rank >= c.top:
			failed++
			var top []string
			for _, p := range res.Partners[:min(c.top, len(res.Partners))] {
				top = append(top, p.Slug)
			}
			t.Errorf("%s: %v ranks %d, want in the first %d (needs %v, types %v); first: %v", c.name, c.want, rank+1, c.top, res.Needs, res.Prefer, top)
		case c.reason != "" && !slices.ContainsFunc(res.Partners[rank].Reasons, func(r match.Reason) bool { return r.Kind == c.reason }):
			t.Errorf("%s: %s has no %s reason: %+v", c.name, res.Partners[rank].Slug, c.reason, res.Partners[rank].Reasons)
		default:
			t.Logf("%s: %s ranks %d (needs %v, types %v)", c.name, res.Partners[rank].Slug, rank+1, res.Needs, res.Prefer)
		}
		for _, w := range res.Terms {
			for _, tok := range textindex.Analyze(w) {
				if req.Call != "" && textindex.IsBoilerplate(tok.Term) || textindex.IsIdeaBoilerplate(tok.Term) {
					t.Errorf("%s: call-template word %q among the words that counted most: %v", c.name, w, res.Terms)
				}
			}
		}
	}
	if len(rankingCases) < 25 {
		t.Errorf("%d cases, want at least 25", len(rankingCases))
	}
	t.Logf("%d of %d cases met", len(rankingCases)-failed, len(rankingCases))
}

func TestProbe(t *testing.T) { // ESCNET_PROBE=1: print rankings
	if os.Getenv("ESCNET_PROBE") == "" {
		t.Skip()
	}
	db := demoWithCORDIS(t)
	svc := live.New(db, live.Options{})
	for _, req := range []live.PartnerRequest{
		{Text: "A counter-drone system to detect, track and neutralise unauthorised drones over airports and public events", Limit: 200},
		{Call: "HORIZON-CL3-2026-01-BM-01", Limit: 20},
		{Call: "HORIZON-CL3-2026-01-SSRI-01", Limit: 20},
	} {
		res, err := svc.Partners(sys, req)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("terms %v, %d candidates", res.Terms, res.Candidates)
		for i, p := range res.Partners {
			if i < 10 || p.Slug == "muster-aerospace" {
				t.Logf("%d %s %s %.3f %+v %v", i+1, p.Slug, p.Name, p.Score, p.Signals, p.Reasons)
			}
		}
	}
}
