package textindex

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// BM25 parameters: the usual defaults, which suit project abstracts and
// short organisation profiles alike.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Builder collects documents for an Index. Documents are numbered from 0
// in the order they are started.
type Builder struct {
	dict    map[string]int32
	terms   []string
	surface []string
	docs    []map[int32]float32 // term → weighted frequency
	lens    []float32
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{dict: map[string]int32{}} }

// NewDoc starts a document and returns its number.
func (b *Builder) NewDoc() int {
	b.docs = append(b.docs, map[int32]float32{})
	b.lens = append(b.lens, 0)
	return len(b.docs) - 1
}

// Add adds tokens to document doc, each counting weight times (a title
// counts more than a body).
func (b *Builder) Add(doc int, toks []Token, weight float32) {
	m := b.docs[doc]
	for _, t := range toks {
		id, ok := b.dict[t.Term]
		if !ok {
			id = int32(len(b.terms))
			b.dict[t.Term] = id
			b.terms = append(b.terms, t.Term)
			b.surface = append(b.surface, t.Surface)
		}
		m[id] += weight
	}
	b.lens[doc] += weight * float32(len(toks))
}

// Build freezes the documents into an Index with BM25 impacts: each
// posting holds the term's whole contribution to the document's score,
// so a query only adds numbers.
func (b *Builder) Build() *Index {
	n := len(b.docs)
	ix := &Index{
		n:       n,
		dict:    b.dict,
		terms:   b.terms,
		surface: b.surface,
		docs:    make([][]uint32, len(b.terms)),
		imps:    make([][]float32, len(b.terms)),
		idf:     make([]float32, len(b.terms)),
	}
	var total float64
	for _, l := range b.lens {
		total += float64(l)
	}
	avg := float32(1)
	if n > 0 && total > 0 {
		avg = float32(total / float64(n))
	}
	df := make([]int32, len(b.terms))
	for _, m := range b.docs {
		for id := range m {
			df[id]++
		}
	}
	for id := range df {
		ix.docs[id] = make([]uint32, 0, df[id])
		ix.imps[id] = make([]float32, 0, df[id])
		ix.idf[id] = float32(math.Log(1 + (float64(n)-float64(df[id])+0.5)/(float64(df[id])+0.5)))
	}
	for d, m := range b.docs {
		norm := bm25K1 * (1 - bm25B + bm25B*b.lens[d]/avg)
		for id, tf := range m {
			ix.docs[id] = append(ix.docs[id], uint32(d))
			ix.imps[id] = append(ix.imps[id], ix.idf[id]*tf*(bm25K1+1)/(tf+norm))
		}
		b.docs[d] = nil // let the maps go as we go
	}
	b.docs = nil
	return ix
}

// Index is a frozen inverted index: for each term, the documents holding
// it (in increasing order) and the term's BM25 impact in each.
type Index struct {
	n       int
	dict    map[string]int32
	terms   []string
	surface []string
	docs    [][]uint32
	imps    [][]float32
	idf     []float32
}

// Len is the number of documents.
func (ix *Index) Len() int { return ix.n }

// QueryTerm is one term of a query with its weight.
type QueryTerm struct {
	ID     int32
	Weight float32 // how much the query stresses the term (1 + log tf)
	IDF    float32
}

// Query turns analysed tokens into query terms known to the index, keeping
// at most max of them: the ones that tell documents apart best (highest
// weight × idf), so a long idea text costs no more than a paragraph.
func (ix *Index) Query(toks []Token, max int) []QueryTerm {
	tf := map[int32]int{}
	var order []int32
	for _, t := range toks {
		id, ok := ix.dict[t.Term]
		if !ok {
			continue
		}
		if tf[id] == 0 {
			order = append(order, id)
		}
		tf[id]++
	}
	q := make([]QueryTerm, len(order))
	for i, id := range order {
		q[i] = QueryTerm{ID: id, Weight: 1 + float32(math.Log(float64(tf[id]))), IDF: ix.idf[id]}
	}
	slices.SortStableFunc(q, func(a, b QueryTerm) int { return cmp.Compare(b.Weight*b.IDF, a.Weight*a.IDF) })
	if max > 0 && len(q) > max {
		q = q[:max]
	}
	return q
}

// Term returns the term text and a surface form of a term id.
func (ix *Index) Term(id int32) (term, surface string) { return ix.terms[id], ix.surface[id] }

// TermID returns the id of a term, if the index knows it.
func (ix *Index) TermID(term string) (int32, bool) {
	id, ok := ix.dict[term]
	return id, ok
}

// DF is the number of documents holding term id.
func (ix *Index) DF(id int32) int { return len(ix.docs[id]) }

// Has reports whether document doc holds term id.
func (ix *Index) Has(id int32, doc uint32) bool {
	ds := ix.docs[id]
	i := sort.Search(len(ds), func(i int) bool { return ds[i] >= doc })
	return i < len(ds) && ds[i] == doc
}

// Impact is the term's contribution to doc's score (0 when absent).
func (ix *Index) Impact(id int32, doc uint32) float32 {
	ds := ix.docs[id]
	i := sort.Search(len(ds), func(i int) bool { return ds[i] >= doc })
	if i < len(ds) && ds[i] == doc {
		return ix.imps[id][i]
	}
	return 0
}

// Scores accumulates document scores for one query; reuse one per
// goroutine to avoid allocating an array the size of the index per query.
type Scores struct {
	acc     []float32
	touched []uint32
}

// NewScores returns an accumulator for ix.
func (ix *Index) NewScores() *Scores { return &Scores{acc: make([]float32, ix.n)} }

// Reset clears the accumulator for the next query.
func (s *Scores) Reset() {
	for _, d := range s.touched {
		s.acc[d] = 0
	}
	s.touched = s.touched[:0]
}

// Get returns doc's accumulated score.
func (s *Scores) Get(doc uint32) float32 { return s.acc[doc] }

// Touched lists the documents with a non-zero score, in no order.
func (s *Scores) Touched() []uint32 { return s.touched }

// Score adds the BM25 scores of the query terms to s (which must come from
// ix.NewScores and be Reset between queries).
func (ix *Index) Score(q []QueryTerm, s *Scores) {
	if len(s.acc) < ix.n {
		s.acc = make([]float32, ix.n)
		s.touched = s.touched[:0]
	}
	acc := s.acc
	for _, t := range q {
		docs, imps := ix.docs[t.ID], ix.imps[t.ID]
		w := t.Weight
		for i, d := range docs {
			if acc[d] == 0 {
				s.touched = append(s.touched, d)
			}
			acc[d] += w * imps[i]
		}
	}
}

// Hit is a scored document.
type Hit struct {
	Doc   uint32
	Score float32
}

// Top returns the k best documents in s, best first (ties by document
// number, so results are stable).
func (s *Scores) Top(k int) []Hit {
	if k <= 0 {
		return nil
	}
	// A min-heap of the best k seen so far.
	h := make([]Hit, 0, k)
	less := func(a, b Hit) bool { return a.Score < b.Score || a.Score == b.Score && a.Doc > b.Doc }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			m := l
			if r := l + 1; r < len(h) && less(h[r], h[l]) {
				m = r
			}
			if !less(h[m], h[i]) {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for _, d := range s.touched {
		x := Hit{d, s.acc[d]}
		if x.Score <= 0 {
			continue
		}
		if len(h) < k {
			h = append(h, x)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !less(h[i], h[p]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			continue
		}
		if less(h[0], x) {
			h[0] = x
			down(0)
		}
	}
	slices.SortFunc(h, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Doc, b.Doc)
	})
	return h
}

// Scale multiplies doc's accumulated score by f (recency, for one).
func (s *Scores) Scale(doc uint32, f float32) { s.acc[doc] *= f }
