package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store/engine"
)

// TestFacilitiesImport drives "escnet facilities import": a good file adds
// and then updates facilities; a file with a bad row writes nothing and
// names each problem by line and field.
func TestFacilitiesImport(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "escnet.db")
	ctx := access.AsSystem(context.Background())
	db, _, err := engine.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	svc := directory.NewService(db)
	for slug, name := range map[string]string{"twente": "Twente", "kit": "KIT"} {
		if err := svc.CreateCluster(ctx, &directory.Cluster{Slug: slug, Name: name, Country: "NL"}); err != nil {
			t.Fatal(err)
		}
	}
	owner := &directory.Organisation{Slug: "twente-airport", Name: "Twente Airport", Kind: "company", Country: "NL",
		Memberships: []directory.Membership{{ClusterID: "twente", Role: "member"}}}
	if err := svc.CreateOrganisation(ctx, owner); err != nil {
		t.Fatal(err)
	}
	db.Close()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	importFile := func(path string, extra ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"facilities", "import", "--db", dsn, "--org", "twente-airport", "--file", path}, extra...), &out, &out)
		return out.String(), err
	}
	good := write("good.csv", "slug,name,kind,country,city,latitude,longitude,capabilities,restrictions,certifications,price_model,price_cents,price_unit,cluster\n"+
		`drone-range,Drone range,test_range,NL,Enschede,52.2758,6.8903,drones.testing drones.counter-drone,airspace radio,"EASA; ISO 9001",fixed,45000,day,twente`+"\n"+
		"drone-hall,\"Drone hall, indoor\",laboratory,NL,Enschede,,,,,,free,,,\n")
	if out, err := importFile(good, "--dry-run"); err != nil || !strings.Contains(out, "2 facilities checked") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if out, err := importFile(good); err != nil || !strings.Contains(out, "2 facilities added, 0 updated") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if out, err := importFile(good); err != nil || !strings.Contains(out, "0 facilities added, 2 updated") {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	bad := write("bad.csv", "slug,name,kind,country,time_zone,latitude,cluster\n"+
		"new-range,New range,test_range,NL,,52.1,\n"+
		"ok-range,OK range,test_range,NL,Europe/Amsterdam,,twente\n"+
		"zone-range,Zone range,shooting_range,NL,Mars/Olympus,north,\n"+
		"kit-range,KIT range,test_range,NL,Europe/Amsterdam,,kit\n")
	out, err := importFile(bad)
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("bad file: err = %v", err)
	}
	for _, want := range []string{"line 2: longitude: is required", "line 4: kind: must be one of", "line 4: time_zone: is not a known IANA time zone", "line 4: latitude: is not a number",
		"line 5: cluster_id: must be a cluster that the facility's organisation is a member of"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	db, _, err = engine.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.ListFacilities(ctx, directory.Filter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 2 {
		t.Errorf("%d facilities after a refused file, want the 2 of the good one", p.Total)
	}
	f, err := db.GetFacility(ctx, "drone-range")
	if err != nil {
		t.Fatal(err)
	}
	if f.TimeZone != "Europe/Amsterdam" || f.Latitude == nil || len(f.Certifications) != 2 || f.PriceCents != 45000 || f.ClusterName != "Twente" {
		t.Errorf("imported facility %+v", f)
	}
}
