package match

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/escnet/escnet/internal/directory"
)

// The ranking is a learned linear model over features of an
// organisation's evidence (features below), trained with a listwise
// logistic loss on the validation replay of CORDIS history
// (internal/match/eval, TestTrain; docs/benchmarks.md says how). What the
// replay cannot teach — CORDIS holds no declared profiles, capabilities
// or practitioner roles — keeps hand-set weights, in the same units.

// Features, in the order of Model.Weights.
const (
	fText         = iota // the most similar past project (relative, recency-weighted)
	fBreadth             // more similar projects: log(1 + their summed similarity)
	fLead                // projects with the lead or locked partners, recent and on-topic ones counting more
	fLeadCount           // how many projects with the lead: log(1+n)/log(9)
	fLeadRecent          // how recent the latest project with the lead is (half-life 2 years)
	fNetwork             // partners shared with the lead (Adamic-Adar, relative)
	fPopularity          // past projects: log(1+n), relative to the most
	fActivity            // recent projects (half-life 2 years), relative
	fSynergy             // on the subject and close to the lead: sqrt(text × max(lead, network))
	fTextPop             // text × popularity
	fSameCountry         // same country as the lead
	fSameKind            // same kind as the lead
	fResearch            // a research organisation
	fUniversity          // a university
	fCompany             // a company
	fPublic              // a public body
	fSME                 // an SME
	fCSAPop              // coordination and support action × popularity
	fCSAText             // coordination and support action × text
	fIACompany           // innovation action × company
	fNoLeadText          // no lead known × text
	fLeadShare           // share of the lead's projects it was in
	fPartnerShare        // share of its projects that were with the lead
	fLeadText            // lead × text
	fLeadPop             // lead × popularity
	fNetworkText         // network × text
	fActivityText        // activity × text
	fCircle              // worked with the organisations of the most similar projects
	numFeatures
)

// FeatureNames name the features in order.
var FeatureNames = []string{"text", "breadth", "lead", "lead_count", "lead_recent", "network", "popularity",
	"activity", "synergy", "text_popularity", "same_country", "same_kind", "research", "university", "company",
	"public_body", "sme", "csa_popularity", "csa_text", "ia_company", "no_lead_text", "lead_share", "partner_share",
	"lead_text", "lead_popularity", "network_text", "activity_text", "circle"}

// Model is the ranking model: learned weights of the features and
// hand-set weights of what the replay cannot teach.
type Model struct {
	Features []string  `json:"features"`
	Weights  []float64 `json:"weights"`
	// Declared weighs the declared description and capability labels as
	// text; Capability a declared capability that is, or is next to in
	// the taxonomy, one the call or idea needs; Fit being of a partner
	// type the call asks for. Set by hand (see docs/benchmarks.md).
	Declared   float64 `json:"declared"`
	Capability float64 `json:"capability"`
	Fit        float64 `json:"fit"`
	// Trained says on what and how the weights were learned.
	Trained string `json:"trained"`
}

//go:embed model.json
var modelJSON []byte

// DefaultModel is the committed model (model.json).
var DefaultModel = mustModel(modelJSON)

func mustModel(b []byte) *Model {
	m, err := ParseModel(b)
	if err != nil {
		panic(err)
	}
	return m
}

// ParseModel reads a model as MarshalModel writes it; its features must be
// the ones this version computes, in order.
func ParseModel(b []byte) (*Model, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Model
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("match: model: %w", err)
	}
	if !slices.Equal(m.Features, FeatureNames) || len(m.Weights) != numFeatures {
		return nil, fmt.Errorf("match: model: features %v, want %v", m.Features, FeatureNames)
	}
	return &m, nil
}

// MarshalModel writes a model as model.json holds it.
func MarshalModel(m *Model) ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	return append(b, '\n'), err
}

// NumFeatures is the number of learned features.
const NumFeatures = numFeatures

// features computes an organisation's learned features for a query.
func (ix *Index) features(p *prepared, w *work, o uint32, ev *evidence, s *Signals) [numFeatures]float64 {
	var f [numFeatures]float64
	org := &ix.orgs[o]
	f[fText] = s.Text
	f[fBreadth] = s.Breadth
	f[fLead] = s.Lead
	if ev.coN > 0 {
		f[fLeadCount] = math.Log1p(float64(ev.coN)) / math.Log(9)
		age := max(ix.asOf-float64(ev.lastCo), 0)
		f[fLeadRecent] = math.Pow(0.5, age/2)
	}
	if ev.coN > 0 && p.lead >= 0 {
		f[fLeadShare] = min(float64(ev.coN)/float64(max(len(ix.orgs[p.lead].projects), 1)), 1)
		f[fPartnerShare] = min(float64(ev.coN)/float64(max(len(org.projects), 1)), 1)
	}
	f[fLeadText] = s.Lead * s.Text
	f[fLeadPop] = s.Lead * s.Popularity
	f[fNetworkText] = s.Network * s.Text
	f[fActivityText] = s.Activity * s.Text
	f[fCircle] = s.Circle
	f[fNetwork] = s.Network
	f[fPopularity] = s.Popularity
	f[fActivity] = s.Activity
	f[fSynergy] = math.Sqrt(s.Text * max(s.Lead, s.Network))
	f[fTextPop] = s.Text * s.Popularity
	if p.lead >= 0 {
		lead := &ix.orgs[p.lead]
		if lead.Country != "" && normCountry(lead.Country) == normCountry(org.Country) {
			f[fSameCountry] = 1
		}
		if lead.Kind != "" && lead.Kind == org.Kind {
			f[fSameKind] = 1
		}
	} else {
		f[fNoLeadText] = s.Text
	}
	switch org.Kind {
	case directory.KindResearch:
		f[fResearch] = 1
	case directory.KindHigherEducation:
		f[fUniversity] = 1
	case directory.KindCompany:
		f[fCompany] = 1
	case directory.KindPublicBody:
		f[fPublic] = 1
	}
	if org.SME {
		f[fSME] = 1
	}
	switch p.action {
	case "CSA":
		f[fCSAPop] = s.Popularity
		f[fCSAText] = s.Text
	case "IA":
		f[fIACompany] = f[fCompany]
	}
	return f
}

// linear is the model's score of the features.
func (m *Model) linear(f *[numFeatures]float64) float64 {
	var s float64
	for i, x := range f {
		s += m.Weights[i] * x
	}
	return s
}

// hand is the hand-weighted part of a score: the declared text, and the
// better of a capability the query needs and a partner type it asks for
// (a fire brigade asked for as first responders and declaring "first
// responders" has shown one thing, not two).
func (m *Model) hand(s *Signals) float64 {
	return m.Declared*s.Declared + max(m.Capability*s.Capability, m.Fit*s.Fit)
}

// softplus keeps scores positive (the consortium builder divides by the
// best) without changing their order.
func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// Candidate is an organisation a query reached, with its features: what
// the evaluation learns the model from.
type Candidate struct {
	ID       string
	Features [numFeatures]float64
	// Declared, Capability and Fit are the hand-weighted signals.
	Declared, Capability, Fit float64
}

// Candidates returns every organisation the query reaches (as Rank would
// consider them, before the limit), with its features, in no order.
func (ix *Index) Candidates(q Query) ([]Candidate, error) {
	p, err := ix.prepare(q)
	if err != nil {
		return nil, err
	}
	w := ix.work.Get().(*work)
	defer ix.work.Put(w)
	ix.gather(p, w)
	var out []Candidate
	for _, o := range w.touched {
		ev := &w.ev[o]
		if !ev.candidate && ev.aa < 0.25*w.norm.aa && ev.circle < 0.25*w.norm.circle {
			continue
		}
		if !ix.admits(p, o) {
			continue
		}
		s := ix.scoreOrg(p, w, o).sig
		out = append(out, Candidate{ID: ix.orgs[o].ID, Features: ix.features(p, w, o, ev, &s),
			Declared: s.Declared, Capability: s.Capability, Fit: s.Fit})
	}
	return out, nil
}
