package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/geo"
)

// src is ../shared/data/geo from the project root.
var src = filepath.Join("..", "..", "..", "..", "shared", "data", "geo")

// TestCommittedFileIsCurrent regenerates europe.json and compares it with
// the committed file byte for byte.
func TestCommittedFileIsCurrent(t *testing.T) {
	if _, err := os.Stat(filepath.Join(src, nuts0File)); err != nil {
		t.Skipf("no map data: %v", err)
	}
	got, err := Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "europe.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Errorf("line %d differs:\n got %.200s\nwant %.200s", i+1, gl[i], wl[i])
				break
			}
		}
		t.Fatalf("generated %d bytes differ from the committed %d: run go generate ./internal/geo", len(got), len(want))
	}
	again, err := Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, again) {
		t.Error("two runs of the generator differ")
	}
	if _, err := geo.Parse(got); err != nil {
		t.Errorf("the generated file does not parse: %v", err)
	}
}

// TestSharedBorder checks that a border shared by two outlines, walked in
// opposite directions, is simplified to the same points in both.
func TestSharedBorder(t *testing.T) {
	// A wiggly border from (10, 0) down to (10, 20), between a left and a
	// right square.
	border := ring{{10, 0}, {10.3, 2}, {9.8, 4}, {11.5, 6}, {10.2, 8}, {10, 10}, {9.1, 12}, {10.4, 14}, {10, 16}, {12, 18}, {10, 20}}
	left := ring{{0, 0}}
	left = append(left, border...)
	left = append(left, pt{0, 20})
	right := ring{{20, 0}, {20, 20}}
	right = append(right, reversed(border)...)
	a := &feature{code: "A", polys: []polygon{{rings: []ring{left}}}}
	b := &feature{code: "B", polys: []polygon{{rings: []ring{right}}}}
	simplify([]*feature{a, b})
	onBorder := func(r ring) map[pt]bool {
		out := map[pt]bool{}
		for _, q := range r {
			if q.x > 5 && q.x < 15 {
				out[q] = true
			}
		}
		return out
	}
	pa, pb := onBorder(a.polys[0].rings[0]), onBorder(b.polys[0].rings[0])
	if len(pa) < 3 || len(pa) != len(pb) {
		t.Fatalf("border points differ: %v and %v", pa, pb)
	}
	for q := range pa {
		if !pb[q] {
			t.Errorf("point %v on A's border, not on B's", q)
		}
	}
}

func TestClipSharesCrossings(t *testing.T) {
	// Two triangles sharing the edge (-10, 500)–(30, 520), which crosses the
	// left edge of the frame.
	a := clip(ring{{-10, 500}, {30, 520}, {-20, 560}})
	b := clip(ring{{30, 520}, {-10, 500}, {40, 480}})
	shared := func(r ring) (pt, bool) {
		for _, q := range r {
			if q.x == 0 && q.y > 500 && q.y < 520 {
				return q, true
			}
		}
		return pt{}, false
	}
	qa, oka := shared(a)
	qb, okb := shared(b)
	if !oka || !okb || qa != qb {
		t.Errorf("crossings %v (%v) and %v (%v), want one point", qa, oka, qb, okb)
	}
	if r := clip(ring{{-30, 10}, {-10, 10}, {-10, 30}}); r != nil {
		t.Errorf("ring outside the frame clipped to %v", r)
	}
}

func TestPath(t *testing.T) {
	f := &feature{polys: []polygon{{rings: []ring{{{10, 20}, {15, 18}, {12, 25}}, {{1, 1}, {2, 1}, {2, 3}}}}}}
	if got, want := f.path(), "M10 20l5-2-3 7zM1 1l1 0 0 2z"; got != want {
		t.Errorf("path %q, want %q", got, want)
	}
}
