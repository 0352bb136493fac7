package geo

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/escnet/escnet/internal/country"
)

func TestProject(t *testing.T) {
	type place struct{ lat, lon float64 }
	amsterdam, berlin, paris := place{52.37, 4.90}, place{52.52, 13.40}, place{48.86, 2.35}
	ax, ay := Project(amsterdam.lat, amsterdam.lon)
	bx, _ := Project(berlin.lat, berlin.lon)
	px, py := Project(paris.lat, paris.lon)
	if !(ax < bx) {
		t.Errorf("Amsterdam x %.1f not west of Berlin x %.1f", ax, bx)
	}
	if !(ay < py) {
		t.Errorf("Amsterdam y %.1f not north of (above) Paris y %.1f", ay, py)
	}
	if !(px < ax) {
		t.Errorf("Paris x %.1f not west of Amsterdam x %.1f", px, ax)
	}
	for name, p := range map[string]place{
		"Amsterdam": amsterdam, "Berlin": berlin, "Paris": paris,
		"Lisbon": {38.72, -9.14}, "Reykjavík": {64.15, -21.94}, "Helsinki": {60.17, 24.94},
		"Nicosia": {35.17, 33.36}, "Valletta": {35.90, 14.51}, "Heraklion": {35.34, 25.13},
		"Tromsø": {69.65, 18.96}, "Tel Aviv": {32.08, 34.78}, "Kyiv": {50.45, 30.52},
		"Las Palmas": {28.12, -15.43}, "Funchal": {32.65, -16.91}, "Ponta Delgada": {37.74, -25.68},
	} {
		x, y := Project(p.lat, p.lon)
		if !InFrame(x, y) {
			t.Errorf("%s at (%.1f, %.1f): outside the viewBox", name, x, y)
		}
	}
	// The Canaries are in their inset, not south-west of the frame.
	x, y := Project(28.12, -15.43)
	in := Insets()[2]
	if in.Name != "Canarias" || x < in.X || x > in.X+in.W || y < in.Y || y > in.Y+in.H {
		t.Errorf("Las Palmas at (%.1f, %.1f), want inside the %s box %+v", x, y, in.Name, in)
	}
	if x, y := ProjectMain(28.12, -15.43); InFrame(x, y) {
		t.Errorf("Las Palmas in the main projection at (%.1f, %.1f), want outside the frame", x, y)
	}
	if x, y := Project(40.71, -74.0); InFrame(x, y) {
		t.Errorf("New York at (%.1f, %.1f): inside the frame", x, y)
	}
	if x, y := Project(-52, -170); InFrame(x, y) {
		t.Errorf("antipode at (%.1f, %.1f): inside the frame", x, y)
	}
}

func TestCountries(t *testing.T) {
	m := Europe()
	if m.Width != Width || m.Height != Height {
		t.Fatalf("viewBox %d×%d", m.Width, m.Height)
	}
	for _, code := range country.EU {
		c, ok := m.Country(code)
		if !ok {
			t.Errorf("member state %s missing", code)
			continue
		}
		if !c.NUTS || c.Path == "" {
			t.Errorf("%s: NUTS %v, path %d bytes", code, c.NUTS, len(c.Path))
		}
		if len(m.RegionsOf(code)) == 0 {
			t.Errorf("%s: no NUTS-2 regions", code)
		}
	}
	for _, code := range []string{"NO", "CH", "GB", "IS", "RS", "TR", "UA", "BA", "XK", "MD", "BY", "IL", "RU"} {
		if c, ok := m.Country(code); !ok || c.Path == "" {
			t.Errorf("neighbour %s missing", code)
		}
	}
	for _, code := range []string{"EL", "UK"} {
		if c, ok := m.Country(code); !ok || c.Code != isoCode(code) {
			t.Errorf("Country(%q) = %q, %v; want the ISO code", code, c.Code, ok)
		}
	}
	if _, ok := m.Country("US"); ok {
		t.Error("US on the map of Europe")
	}
	for _, c := range m.Countries {
		if !country.Valid(c.Code) && c.Code != "XK" {
			t.Errorf("country code %q is not ISO 3166-1", c.Code)
		}
	}
}

// TestCrimea: world-atlas draws Crimea as Russian; the generator gives it
// back to Ukraine, as the EU holds.
func TestCrimea(t *testing.T) {
	m := Europe()
	for _, city := range []struct {
		name     string
		lat, lon float64
	}{{"Simferopol", 44.95, 34.10}, {"Sevastopol", 44.60, 33.52}, {"Kerch", 45.36, 36.47}, {"Kyiv", 50.45, 30.52}} {
		x, y := Project(city.lat, city.lon)
		p := Point{int(x + .5), int(y + .5)}
		for code, want := range map[string]bool{"UA": true, "RU": false} {
			c, _ := m.Country(code)
			rings, err := parsePath(c.Path)
			if err != nil {
				t.Fatal(err)
			}
			if got := insideRings(rings, p); got != want {
				t.Errorf("%s inside %s: %v, want %v", city.name, code, got, want)
			}
		}
	}
}

func TestRegions(t *testing.T) {
	m := Europe()
	for code, want := range map[string]string{
		"NL33": "Zuid-Holland", "DE21": "Oberbayern", "FRL0": "Provence-Alpes-Côte d’Azur",
		"BE22": "Prov. Limburg (BE)", "EL30": "Attiki", "ES70": "Canarias", "PT20": "Região Autónoma dos Açores",
		"PT30": "Região Autónoma da Madeira", "UKI3": "Inner London — West", "FI1B": "Helsinki-Uusimaa",
	} {
		r, ok := m.Region(code)
		if !ok {
			t.Errorf("region %s missing", code)
			continue
		}
		if r.Name != want || r.Path == "" {
			t.Errorf("%s: name %q (want %q), path %d bytes", code, r.Name, want, len(r.Path))
		}
	}
	if r, _ := m.Region("EL30"); r.Country != "GR" {
		t.Errorf("EL30 country %q, want GR", r.Country)
	}
	if r, _ := m.Region("UKI3"); r.Country != "GB" {
		t.Errorf("UKI3 country %q, want GB", r.Country)
	}
	// The French outermost regions are not drawn (documented in project.go).
	if _, ok := m.Region("FRY1"); ok {
		t.Error("FRY1 (Guadeloupe) drawn")
	}
	if n := len(m.Regions); n < 300 {
		t.Errorf("%d regions, want the ~330 of NUTS 2021 in the frame", n)
	}
}

// TestGeometry parses every path: all points inside the viewBox, label
// points inside their outline.
func TestGeometry(t *testing.T) {
	m := Europe()
	check := func(code, path string, label Point) {
		rings, err := parsePath(path)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			return
		}
		for _, r := range rings {
			if len(r) < 3 {
				t.Errorf("%s: ring of %d points", code, len(r))
			}
			for _, p := range r {
				if p.X < 0 || p.Y < 0 || p.X > m.Width || p.Y > m.Height {
					t.Errorf("%s: point %v outside the viewBox", code, p)
					return
				}
			}
		}
		// Tiny outlines (Ceuta, Melilla: a triangle of a few units) have no
		// whole point inside: the label then sits on the outline.
		if !insideRings(rings, label) && !onVertex(rings, label) {
			t.Errorf("%s: label point %v outside its outline", code, label)
		}
	}
	for _, c := range m.Countries {
		check(c.Code, c.Path, c.Label)
	}
	for _, r := range m.Regions {
		check(r.Code, r.Path, r.Label)
	}
}

func TestParse(t *testing.T) {
	for _, bad := range []string{
		`{`,
		`{"format":"other","width":1000,"height":1040}`,
		`{"format":"escnet-europe/1","width":10,"height":10}`,
		`{"format":"escnet-europe/1","width":1000,"height":1040,"countries":[{"code":"NL"}]}`,
		`{"format":"escnet-europe/1","width":1000,"height":1040,"countries":[{"code":"NL","path":"M0 0l1 0 0 1z"}],"regions":[{"code":"DE21","country":"DE","path":"M0 0l1 0 0 1z"}]}`,
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s): no error", bad)
		}
	}
	if len(europeJSON) > 300<<10 {
		t.Errorf("europe.json is %d bytes, want well under 300 KB", len(europeJSON))
	}
}

// parsePath reads the path data the generator writes: M x y l dx dy … z.
func parsePath(d string) ([][]Point, error) {
	var rings [][]Point
	var cur []Point
	var nums []int
	cmd := byte(0)
	flush := func() error {
		switch cmd {
		case 'M':
			if len(nums) != 2 {
				return errorf("M with %d numbers", len(nums))
			}
			cur = []Point{{nums[0], nums[1]}}
		case 'l':
			if len(nums)%2 != 0 || len(cur) == 0 {
				return errorf("l with %d numbers", len(nums))
			}
			for i := 0; i < len(nums); i += 2 {
				last := cur[len(cur)-1]
				cur = append(cur, Point{last.X + nums[i], last.Y + nums[i+1]})
			}
		}
		nums = nums[:0]
		return nil
	}
	for i := 0; i < len(d); {
		c := d[i]
		switch {
		case c == 'M' || c == 'l' || c == 'z':
			if err := flush(); err != nil {
				return nil, err
			}
			cmd = c
			if c == 'z' {
				rings = append(rings, cur)
				cur = nil
			}
			i++
		case c == ' ':
			i++
		case c == '-' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(d) && d[j] >= '0' && d[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(d[i:j])
			if err != nil {
				return nil, err
			}
			nums = append(nums, n)
			i = j
		default:
			return nil, errorf("unexpected %q", c)
		}
	}
	if cur != nil || len(nums) > 0 {
		return nil, errorf("unclosed ring")
	}
	return rings, nil
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func onVertex(rings [][]Point, p Point) bool {
	for _, r := range rings {
		for _, q := range r {
			if q == p {
				return true
			}
		}
	}
	return false
}

// insideRings applies the even-odd rule.
func insideRings(rings [][]Point, p Point) bool {
	in := false
	x, y := float64(p.X), float64(p.Y)
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			ax, ay, bx, by := float64(r[i].X), float64(r[i].Y), float64(r[j].X), float64(r[j].Y)
			if (ay > y) != (by > y) && x < (bx-ax)*(y-ay)/(by-ay)+ax {
				in = !in
			}
		}
	}
	return in
}
