package main

// The input files: GeoJSON (NUTS) and TopoJSON (world-atlas).

import (
	"encoding/json"
	"fmt"
)

type featureCollection struct {
	Features []struct {
		Geometry   geometry `json:"geometry"`
		Properties struct {
			NUTSID      string `json:"NUTS_ID"`
			CountryCode string `json:"CNTR_CODE"`
			NameLatin   string `json:"NAME_LATN"`
		} `json:"properties"`
	} `json:"features"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

func (g geometry) polygons() ([][]ring, error) {
	var raw [][][][2]float64
	switch g.Type {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return nil, err
		}
		raw = [][][][2]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &raw); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("geometry %s", g.Type)
	}
	out := make([][]ring, 0, len(raw))
	for _, p := range raw {
		var poly []ring
		for _, r := range p {
			rr := make(ring, len(r))
			for i, c := range r {
				rr[i] = pt{c[0], c[1]}
			}
			poly = append(poly, dedupe(rr))
		}
		out = append(out, poly)
	}
	return out, nil
}

// TopoJSON input (world-atlas).

// transfers move a part of a country to another where Natural Earth's de
// facto lines differ from the EU's position: world-atlas 2.0.2 (Natural
// Earth 4.1) draws Crimea as part of Russia; the EU holds it to be part of
// Ukraine. The part is joined to Ukraine along their common border.
var transfers = []struct {
	name, from, to string
	box            [4]float64 // minLon, minLat, maxLon, maxLat of the part
}{
	{"Crimea", "643", "804", [4]float64{32.3, 44.2, 36.8, 46.4}},
}

func within(r ring, box [4]float64) bool {
	for _, q := range r {
		if q.x < box[0] || q.x > box[2] || q.y < box[1] || q.y > box[3] {
			return false
		}
	}
	return len(r) > 0
}

// mergePolygon adds a polygon (rings of arc indexes) to a country. When its
// outer ring shares an arc with the outer ring of one of the country's
// polygons (walked the other way, as neighbours do), the two become one:
// the shared arc is dropped and the rest of the new ring takes its place.
// Otherwise the polygon is added as an island.
func mergePolygon(polys [][][]int, part [][]int) [][][]int {
	add := part[0]
	for k, p := range polys {
		outer := p[0]
		for i, a := range outer {
			for j, b := range add {
				if a != ^b {
					continue
				}
				// outer = … a …; add = … ^a …: replace a by the arcs of add
				// that follow ^a, around to the one before it.
				merged := append([]int(nil), outer[:i]...)
				merged = append(merged, add[j+1:]...)
				merged = append(merged, add[:j]...)
				merged = append(merged, outer[i+1:]...)
				np := append([][]int{merged}, p[1:]...)
				np = append(np, part[1:]...)
				out := append([][][]int(nil), polys...)
				out[k] = np
				return out
			}
		}
	}
	return append(polys, part)
}

type topoCountry struct {
	id, name string
	polygons [][]ring
}

// topology is what is read of a TopoJSON file: quantised, delta-encoded
// arcs and the countries as rings of arc indexes.
type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type       string          `json:"type"`
				ID         string          `json:"id"`
				Arcs       json.RawMessage `json:"arcs"`
				Properties struct {
					Name string `json:"name"`
				} `json:"properties"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

// topoGeom is a country as polygons → rings → arc indexes (^i: arc i
// reversed).
type topoGeom struct {
	id, name string
	polys    [][][]int
}

func readTopology(data []byte) ([]topoCountry, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, err
	}
	arcs := t.arcs()
	geoms, byID, err := t.geometries()
	if err != nil {
		return nil, err
	}
	if err := applyTransfers(byID, arcs); err != nil {
		return nil, err
	}
	var out []topoCountry
	for _, g := range geoms {
		c := topoCountry{id: g.id, name: g.name}
		for _, p := range g.polys {
			var poly []ring
			for _, r := range p {
				poly = append(poly, arcs.stitch(r))
			}
			c.polygons = append(c.polygons, poly)
		}
		out = append(out, c)
	}
	return out, nil
}

// arcSet holds the decoded arcs in longitude and latitude.
type arcSet []ring

// arcs decodes the arcs.
func (t *topology) arcs() arcSet {
	arcs := make(arcSet, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		r := make(ring, len(a))
		for k, d := range a {
			x, y = x+d[0], y+d[1]
			r[k] = pt{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		arcs[i] = r
	}
	return arcs
}

// stitch joins the arcs of a ring.
func (arcs arcSet) stitch(idx []int) ring {
	var r ring
	for n, i := range idx {
		var a ring
		if i >= 0 {
			a = arcs[i]
		} else {
			a = reversed(arcs[^i])
		}
		if n > 0 {
			a = a[1:]
		}
		r = append(r, a...)
	}
	return dedupe(r)
}

// geometries returns the countries with a geometry, in file order and by
// id.
func (t *topology) geometries() ([]*topoGeom, map[string]*topoGeom, error) {
	var geoms []*topoGeom
	byID := map[string]*topoGeom{}
	for _, g := range t.Objects.Countries.Geometries {
		tg := &topoGeom{id: g.ID, name: g.Properties.Name}
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, nil, err
			}
			tg.polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &tg.polys); err != nil {
				return nil, nil, err
			}
		default:
			continue // null geometries
		}
		geoms = append(geoms, tg)
		if g.ID != "" {
			byID[g.ID] = tg
		}
	}
	return geoms, byID, nil
}

// applyTransfers moves the parts named in transfers.
func applyTransfers(byID map[string]*topoGeom, arcs arcSet) error {
	for _, tr := range transfers {
		from, to := byID[tr.from], byID[tr.to]
		if from == nil || to == nil {
			return fmt.Errorf("transfer %s: no country %s or %s", tr.name, tr.from, tr.to)
		}
		moved := -1
		for k, p := range from.polys {
			if within(arcs.stitch(p[0]), tr.box) {
				moved = k
				break
			}
		}
		if moved < 0 {
			return fmt.Errorf("transfer %s: no part of %s in %v", tr.name, tr.from, tr.box)
		}
		part := from.polys[moved]
		from.polys = append(from.polys[:moved:moved], from.polys[moved+1:]...)
		to.polys = mergePolygon(to.polys, part)
	}
	return nil
}
