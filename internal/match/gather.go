package match

import "math"

// gather collects the query's evidence for every organisation it reaches.
func (ix *Index) gather(p *prepared, w *work) {
	w.gen++
	if w.gen == 0 { // wrapped: clear the stamps once
		clear(w.seen)
		w.gen = 1
	}
	w.touched = w.touched[:0]

	// Similar past projects, recent ones counting more.
	w.ps.Reset()
	ix.projText.Score(p.pq, w.ps)
	hits := w.topProjects(ix)
	var top float32
	if len(hits) > 0 {
		top = hits[0].Score
	}
	w.topScore = top
	for _, h := range hits {
		e := h.Score / top
		if e < evidenceFloor {
			break
		}
		for _, o := range ix.projects[h.Doc].members {
			ev := w.at(o)
			if e > ev.best {
				ev.best, ev.bestProj = e, int32(h.Doc)
			}
			ev.sum += e
			ev.nSimilar++
			ev.candidate = true
		}
	}

	// The circle of the field: partners of the organisations with the
	// most similar projects.
	if !p.legacy && p.model.Weights[fCircle] != 0 || p.legacy && p.w.Circle != 0 {
		for _, h := range hits[:min(len(hits), circleProjects)] {
			e := h.Score / top
			for _, n := range ix.projects[h.Doc].members {
				share := e / float32(math.Log(2+float64(len(ix.adj[n]))))
				for _, m := range ix.closest[n][:min(circleFanOut, len(ix.closest[n]))] {
					w.at(m.org).circle += share
				}
			}
		}
	}

	// Declared profiles.
	if len(p.oq) > 0 {
		w.os.Reset()
		ix.orgText.Score(p.oq, w.os)
		dh := w.os.Top(topDeclared)
		if len(dh) > 0 {
			dtop := dh[0].Score
			for _, h := range dh {
				ev := w.at(h.Doc)
				ev.declared = h.Score / dtop
				ev.candidate = true
			}
		}
	}

	ix.gatherCapabilities(p, w)
	ix.gatherRoles(p, w)
	ix.gatherNetwork(p, w, top)

	w.norm = norms{}
	for _, o := range w.touched {
		ev := &w.ev[o]
		w.norm.aa = max(w.norm.aa, ev.aa)
		w.norm.co = max(w.norm.co, ev.co)
		w.norm.circle = max(w.norm.circle, ev.circle)
	}
}

// gatherNetwork collects the lead's and locked partners' network: who
// worked with them, and who shares partners with them (each shared
// partner counting less the more partners it has).
func (ix *Index) gatherNetwork(p *prepared, w *work, top float32) {
	for _, a := range p.anchors {
		// Worked with the anchor: recent projects together count most,
		// and more so when they were on the query's subject.
		for _, pj := range ix.orgs[a.org].projects {
			age := ix.asOf - ix.projects[pj].start
			if math.IsNaN(age) || age < 0 {
				age = 0
			}
			r := a.weight * float32(math.Pow(0.5, age/leadHalfLife))
			if top > 0 {
				r *= 1 + w.ps.Get(pj)/top
			}
			start := float32(ix.projects[pj].start)
			for _, m := range ix.projects[pj].members {
				if m != a.org {
					ev := w.at(m)
					ev.co += r
					ev.candidate = true
					if ev.coN < math.MaxUint16 {
						ev.coN++
					}
					if start > ev.lastCo {
						ev.lastCo = start
					}
				}
			}
		}
		for _, n := range ix.closest[a.org] {
			deg := len(ix.adj[n.org])
			share := a.weight / float32(math.Log(2+float64(deg)))
			for _, m := range ix.closest[n.org] {
				if m.org != a.org {
					ev2 := w.at(m.org)
					ev2.aa += share
				}
			}
		}
	}
}
