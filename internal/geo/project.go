package geo

import "math"

// The drawing's coordinate system: a viewBox of Width × Height units. The
// main map is a Lambert azimuthal equal-area projection centred at 52°N
// 10°E (the centre of ETRS89-LAEA, EPSG:3035, here on a sphere), at
// kmPerUnit kilometres per unit. The frame reaches from Portugal and Iceland
// in the west to Cyprus and Israel in the east, and from the North Cape down
// to Crete and Eilat. The Azores, Madeira and the Canary Islands are drawn
// in insets at the bottom left, each in its own projection at the same
// scale; the French outermost regions (FRY1–FRY5) and Svalbard are not
// drawn.
const (
	Width  = 1000
	Height = 1040

	earthRadiusKm = 6371.0088
	kmPerUnit     = 4.25
	frameWestKm   = -1745 // x of the left edge in projected kilometres
	frameNorthKm  = 2250  // y of the top edge in projected kilometres

	centreLat = 52.0
	centreLon = 10.0
)

// Inset is a box at the edge of the map that shows islands far from the
// mainland in their own projection, at the main map's scale.
type Inset struct {
	Name       string  // the islands' name, shown in the box
	X, Y, W, H float64 // the box in viewBox units

	// The geographic box whose land the inset shows, and the centre of its
	// projection (which lands in the middle of the box).
	minLon, minLat, maxLon, maxLat float64
	lat0, lon0                     float64
}

// insets are the outermost regions drawn in boxes at the bottom left, in a
// band of the map that holds only Morocco and Algeria (the generator checks
// that no NUTS region of the main map reaches into a box, and that the
// islands fit their box). The Selvagens, south of Madeira, fall outside
// every box and the frame, and are not drawn.
var insets = []Inset{
	{Name: "Açores", X: 6, Y: 958, W: 140, H: 76, minLon: -31.6, minLat: 36.7, maxLon: -24.6, maxLat: 40.1, lat0: 38.5, lon0: -28.0},
	{Name: "Madeira", X: 152, Y: 958, W: 50, H: 76, minLon: -17.6, minLat: 32.3, maxLon: -15.9, maxLat: 33.3, lat0: 32.75, lon0: -16.75},
	{Name: "Canarias", X: 208, Y: 958, W: 134, H: 76, minLon: -18.5, minLat: 27.4, maxLon: -13.2, maxLat: 29.6, lat0: 28.4, lon0: -15.8},
}

// Insets returns the inset boxes (a copy).
func Insets() []Inset { return append([]Inset(nil), insets...) }

// laea projects a point in degrees to kilometres east and north of the
// centre (lat0, lon0) in the spherical Lambert azimuthal equal-area
// projection. ok is false at the antipode, where the projection is undefined.
func laea(lat, lon, lat0, lon0 float64) (x, y float64, ok bool) {
	phi, lam := lat*math.Pi/180, (lon-lon0)*math.Pi/180
	phi0 := lat0 * math.Pi / 180
	sinPhi, cosPhi := math.Sincos(phi)
	sinPhi0, cosPhi0 := math.Sincos(phi0)
	sinLam, cosLam := math.Sincos(lam)
	d := 1 + sinPhi0*sinPhi + cosPhi0*cosPhi*cosLam
	if d < 1e-12 {
		return 0, 0, false
	}
	k := math.Sqrt(2 / d)
	return earthRadiusKm * k * cosPhi * sinLam, earthRadiusKm * k * (cosPhi0*sinPhi - sinPhi0*cosPhi*cosLam), true
}

// Contains reports whether the inset shows the point (in degrees).
func (in Inset) Contains(lat, lon float64) bool {
	return lon >= in.minLon && lon <= in.maxLon && lat >= in.minLat && lat <= in.maxLat
}

// insetOf returns the inset that shows the point, or nil.
func insetOf(lat, lon float64) *Inset {
	for i := range insets {
		if insets[i].Contains(lat, lon) {
			return &insets[i]
		}
	}
	return nil
}

// Project returns the position in the map's viewBox of a point given in
// degrees of latitude and longitude (WGS84). Points on the islands of an
// inset land in the inset's box. A point outside the frame gets coordinates
// outside [0, Width] × [0, Height]; see InFrame.
func Project(lat, lon float64) (x, y float64) {
	return project(lat, lon, insetOf(lat, lon))
}

// ProjectMain is Project without the insets: the position a point has in
// the main projection even when it lies on the islands of an inset. The
// generator uses it for outlines that only partly reach into an inset's
// box; callers want Project.
func ProjectMain(lat, lon float64) (x, y float64) { return project(lat, lon, nil) }

// project places a point with the main projection (in == nil) or an inset's.
func project(lat, lon float64, in *Inset) (x, y float64) {
	if in != nil {
		px, py, _ := laea(lat, lon, in.lat0, in.lon0)
		return in.X + in.W/2 + px/kmPerUnit, in.Y + in.H/2 - py/kmPerUnit
	}
	px, py, ok := laea(lat, lon, centreLat, centreLon)
	if !ok {
		return math.Inf(1), math.Inf(1)
	}
	return (px - frameWestKm) / kmPerUnit, (frameNorthKm - py) / kmPerUnit
}

// InFrame reports whether a projected point lies inside the viewBox.
func InFrame(x, y float64) bool {
	return x >= 0 && x <= Width && y >= 0 && y <= Height
}
