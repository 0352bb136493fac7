package storetest

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/validate"
)

type viewerKey struct{}

// as returns a context for viewer v: its scope, and v for the service.
func as(v access.Viewer) context.Context {
	c := context.WithValue(context.Background(), viewerKey{}, v)
	return access.WithScope(c, access.ScopeOf(v))
}

func viewerOf(c context.Context) access.Viewer {
	v, _ := c.Value(viewerKey{}).(access.Viewer)
	return v
}

// practiceWorld: organisation owner (cluster hsd) with a member and an
// administrator; a peer organisation in hsd; an outsider in kit.
type practiceWorld struct {
	svc                        *practices.Service
	dir                        string
	owner, peer, outsider      directory.Organisation
	member, admin, peerV, outV access.Viewer
	author                     directory.Person
}

func newPracticeWorld(t *testing.T, db *sqlstore.DB, max int64) *practiceWorld {
	t.Helper()
	d := svc(db)
	must(t, d.CreateCluster(ctx, cluster("hsd", "HSD", "NL")))
	must(t, d.CreateCluster(ctx, cluster("kit", "KIT", "DE")))
	w := &practiceWorld{dir: t.TempDir()}
	for _, o := range []struct {
		p       *directory.Organisation
		slug, c string
	}{{&w.owner, "fire-brigade", "hsd"}, {&w.peer, "city-lab", "hsd"}, {&w.outsider, "kit-lab", "kit"}} {
		org := org(o.slug, "Example "+o.slug, "NL", "public_body", o.c)
		must(t, d.CreateOrganisation(ctx, org))
		got, err := db.GetOrganisation(ctx, org.ID)
		must(t, err)
		*o.p = got
	}
	clusters := func(o directory.Organisation) []string {
		var out []string
		for _, m := range o.Memberships {
			out = append(out, m.ClusterID)
		}
		return out
	}
	w.author = directory.Person{Name: "Anna Example", OrganisationID: w.owner.ID, Listed: true, Visibility: access.Public}
	must(t, d.CreatePerson(ctx, &w.author))
	w.member = access.Viewer{UserID: "u-member", OrganisationID: w.owner.ID, Clusters: clusters(w.owner), WriteAllowed: true}
	w.admin = access.Viewer{UserID: "u-admin", OrganisationID: w.owner.ID, Clusters: clusters(w.owner), OrgAdmin: true, WriteAllowed: true}
	w.peerV = access.Viewer{UserID: "u-peer", OrganisationID: w.peer.ID, Clusters: clusters(w.peer), WriteAllowed: true}
	w.outV = access.Viewer{UserID: "u-out", OrganisationID: w.outsider.ID, Clusters: clusters(w.outsider), WriteAllowed: true}
	w.svc = practices.NewService(db, practices.DirBlobs{Dir: w.dir}, practices.Config{Viewer: viewerOf,
		Attachments: practices.AttachmentConfig{Dir: w.dir, MaxSize: max}})
	return w
}

func ptr(s string) *string { return &s }

func (w *practiceWorld) amberEntry(t *testing.T) practices.Entry {
	t.Helper()
	e, err := w.svc.Create(as(w.member), practices.EntryInput{Kind: "lesson_learned", Axis: "safety", Visibility: ptr("alliance"), TLP: ptr("AMBER"),
		Capabilities: []string{"crisis-management"}, Authors: []string{w.author.ID},
		Texts: []practices.Text{{Lang: "nl", Original: true, Title: "Evacuatie bij overstromingen", Body: "De brandweer **evacueerde** de wijk bij hoogwater."}}})
	must(t, err)
	return e
}

func fieldCode(err error) (string, string) {
	var ve validate.Errors
	if errors.As(err, &ve) && len(ve) > 0 {
		return ve[0].Field, ve[0].Code
	}
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		return ce.Field, ce.Code
	}
	return "", ""
}

func TestPractices(t *testing.T) {
	for name, newDB := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": func(t testing.TB) *sqlstore.DB { return NewSQLite(t) }, "postgres": func(t testing.TB) *sqlstore.DB { return NewPostgres(t) }} {
		t.Run(name, func(t *testing.T) {
			for _, tt := range []struct {
				name string
				fn   func(*testing.T, *practiceWorld)
			}{
				{"LanguagesAndVisibility", testPracticeLanguages},
				{"Summary", testPracticeSummary},
				{"Attachments", testPracticeAttachments},
				{"HistoryAndComments", testPracticeHistory},
			} {
				t.Run(tt.name, func(t *testing.T) { tt.fn(t, newPracticeWorld(t, newDB(t), 1<<20)) })
			}
		})
	}
}

func testPracticeLanguages(t *testing.T, w *practiceWorld) {
	e := w.amberEntry(t)
	if e.Version != 1 || len(e.Texts) != 1 || !e.Texts[0].Original {
		t.Fatalf("created entry = %+v", e)
	}
	e, err := w.svc.AddText(as(w.member), e.ID, practices.Text{Lang: "en", Title: "Flood evacuation", Body: "The fire brigade evacuated the district."})
	must(t, err)
	if len(e.Texts) != 2 || e.Version != 2 {
		t.Fatalf("after adding English: %d texts, version %d; want 2, 2", len(e.Texts), e.Version)
	}
	_, err = w.svc.AddText(as(w.member), e.ID, practices.Text{Lang: "nl", Title: "Tweede Nederlandse versie"})
	if f, code := fieldCode(err); f != "lang" || code != practices.LangPresent {
		t.Errorf("second Dutch version: err %v (field %q code %q), want lang %s", err, f, code, practices.LangPresent)
	}
	again, _ := w.svc.Get(as(w.member), e.ID)
	if len(again.Texts) != 2 || again.Version != 2 {
		t.Errorf("after refused version: %d texts, version %d; want nothing stored", len(again.Texts), again.Version)
	}
	// Who sees an AMBER entry: the owner's cluster, not another cluster.
	for _, c := range []struct {
		who  string
		v    access.Viewer
		sees bool
	}{{"member", w.member, true}, {"peer", w.peerV, true}, {"outsider", w.outV, false}, {"anonymous", access.Viewer{}, false}} {
		_, err := w.svc.Get(as(c.v), e.ID)
		if got := err == nil; got != c.sees {
			t.Errorf("%s Get: err %v, want sees=%v", c.who, err, c.sees)
		}
		for _, q := range []string{"overstromingen", "evacuated", "brandweer"} {
			res, err := w.svc.Search(as(c.v), practices.Filter{Query: q})
			must(t, err)
			if got := res.Total == 1; got != c.sees {
				t.Errorf("%s Search(%q): total %d, want sees=%v", c.who, q, res.Total, c.sees)
			}
		}
	}
	res, err := w.svc.Search(as(w.peerV), practices.Filter{Query: "overstroming"})
	must(t, err)
	if len(res.Facets.Lang) != 2 || len(res.Facets.Kind) != 1 || res.Facets.Kind[0].Value != "lesson_learned" || len(res.Facets.Cluster) != 1 {
		t.Errorf("facets = %+v", res.Facets)
	}
	// A peer may see but not change it.
	if _, err := w.svc.Update(as(w.peerV), e.ID, 0, practices.EntryInput{Kind: "case_study", Axis: "safety", Texts: e.Texts}); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("peer update: %v, want forbidden", err)
	}
	if _, err := w.svc.Update(as(w.outV), e.ID, 0, practices.EntryInput{Kind: "case_study", Axis: "safety", Texts: e.Texts}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("outsider update: %v, want not found", err)
	}
	// Stale version.
	if _, err := w.svc.Update(as(w.member), e.ID, 1, practices.EntryInput{Kind: "case_study", Axis: "safety", Texts: e.Texts}); !errors.Is(err, store.ErrStale) {
		t.Errorf("update at version 1: %v, want stale", err)
	}
	// Widening is the administrators' decision.
	in := practices.EntryInput{Kind: "lesson_learned", Axis: "safety", TLP: ptr("GREEN"), Texts: e.Texts}
	if _, err := w.svc.Update(as(w.member), e.ID, 2, in); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("member widening to GREEN: %v, want forbidden", err)
	}
	if _, err := w.svc.Update(as(w.admin), e.ID, 2, in); err != nil {
		t.Errorf("administrator widening to GREEN: %v", err)
	}
	if _, err := w.svc.Get(as(w.outV), e.ID); err != nil {
		t.Errorf("outsider after GREEN: %v", err)
	}
	// RED never in a bulk export, not even for the alliance administrator.
	red, err := w.svc.Create(as(w.member), practices.EntryInput{Kind: "guideline", Axis: "security", TLP: ptr("RED"), Texts: []practices.Text{{Lang: "en", Title: "Red guideline"}}})
	must(t, err)
	all, err := w.svc.Export(as(access.Viewer{UserID: "root", AllianceAdmin: true}), practices.Filter{})
	must(t, err)
	for _, x := range all {
		if x.ID == red.ID {
			t.Errorf("RED entry in the export")
		}
	}
	if len(all) != 1 {
		t.Errorf("export holds %d entries, want 1", len(all))
	}
}

func testPracticeSummary(t *testing.T, w *practiceWorld) {
	e := w.amberEntry(t)
	sum := practices.SummaryInput{TLP: "GREEN", Title: "Flood evacuation: lessons exist", Abstract: "Ask the fire brigade about evacuating districts in floods.", ContactID: w.author.ID}
	if _, err := w.svc.PublishSummary(as(w.member), e.ID, sum); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("member publishing a summary: %v, want forbidden (administrators review)", err)
	}
	red, err := w.svc.Create(as(w.member), practices.EntryInput{Kind: "guideline", Axis: "security", TLP: ptr("RED"), Texts: []practices.Text{{Lang: "en", Title: "Red"}}})
	must(t, err)
	wide := sum
	wide.TLP = "CLEAR"
	if _, err := w.svc.PublishSummary(as(w.admin), red.ID, wide); !hasField(err, "tlp", practices.SummaryTooWide) {
		t.Errorf("CLEAR summary of RED: %v, want tlp %s", err, practices.SummaryTooWide)
	}
	bad := sum
	bad.TLP = "AMBER"
	if _, err := w.svc.PublishSummary(as(w.admin), e.ID, bad); !hasField(err, "tlp", validate.InvalidChoice) {
		t.Errorf("AMBER summary: %v, want tlp invalid", err)
	}
	res, err := w.svc.Search(as(w.outV), practices.Filter{Query: "evacuation"})
	must(t, err)
	if len(res.Summaries) != 0 {
		t.Fatalf("refused summaries stored: %+v", res.Summaries)
	}
	s, err := w.svc.PublishSummary(as(w.admin), e.ID, sum)
	must(t, err)
	res, err = w.svc.Search(as(w.outV), practices.Filter{Query: "evacuating"})
	must(t, err)
	if res.Total != 0 || len(res.Summaries) != 1 || res.Summaries[0].ID != s.ID || res.Summaries[0].ContactName != "Anna Example" {
		t.Errorf("outsider search: %d entries, summaries %+v; want the summary only", res.Total, res.Summaries)
	}
	if _, err := w.svc.GetSummary(as(access.Viewer{}), s.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("anonymous sees GREEN summary: %v", err)
	}
	// Narrowing the original withdraws the summary.
	got, _ := w.svc.Get(as(w.member), e.ID)
	if _, err := w.svc.Update(as(w.member), e.ID, got.Version, practices.EntryInput{Kind: got.Kind, Axis: got.Axis, TLP: ptr("AMBER+STRICT"), Texts: got.Texts}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.GetSummary(as(w.outV), s.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("summary after narrowing: %v, want withdrawn", err)
	}
}

func hasField(err error, field, code string) bool {
	var ve validate.Errors
	if !errors.As(err, &ve) {
		return false
	}
	for _, fe := range ve {
		if fe.Field == field && fe.Code == code {
			return true
		}
	}
	return false
}

func zipOf(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		f, err := zw.Create(name)
		must(t, err)
		io.WriteString(f, body)
	}
	must(t, zw.Close())
	return buf.Bytes()
}

func filesIn(t *testing.T, dir string) int {
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	must(t, err)
	return len(names)
}

func testPracticeAttachments(t *testing.T, w *practiceWorld) {
	e := w.amberEntry(t)
	docx := zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
	bomb := zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": strings.Repeat("A", 11<<20)})
	cases := []struct {
		name, file string
		body       []byte
		field      string
		code       string
	}{
		{"text", "notes.txt", []byte("Hoogwater evacuatieplan: zandzakken."), "", ""},
		{"pdf", "report.pdf", []byte("%PDF-1.7\n%%EOF"), "", ""},
		{"docx", "plan.docx", docx, "", ""},
		{"over the limit", "big.txt", bytes.Repeat([]byte("a"), 1<<20+1), "file", validate.TooLarge},
		{"type not allowed", "run.exe", []byte("MZ...."), "name", practices.TypeNotAllowed},
		{"content not matching the name", "photo.png", []byte("%PDF-1.4"), "file", practices.ContentMismatch},
		{"binary named text", "notes.txt", []byte("abc\x00def"), "file", practices.ContentMismatch},
		{"zip bomb", "bomb.docx", bomb, "file", practices.ZipBomb},
		{"zip without its parts", "empty.docx", zipOf(t, map[string]string{"a.txt": "x"}), "file", practices.OfficeParts},
	}
	for _, c := range cases {
		before := filesIn(t, w.dir)
		a, err := w.svc.AddAttachment(as(w.member), e.ID, c.file, bytes.NewReader(c.body))
		if c.code == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			} else if a.Size != int64(len(c.body)) || len(a.SHA256) != 64 {
				t.Errorf("%s: stored %+v", c.name, a)
			}
			continue
		}
		if !hasField(err, c.field, c.code) {
			t.Errorf("%s: err %v, want %s %s", c.name, err, c.field, c.code)
		}
		if after := filesIn(t, w.dir); after != before {
			t.Errorf("%s: %d files on disk after refusal, want %d", c.name, after, before)
		}
	}
	got, _ := w.svc.Get(as(w.member), e.ID)
	if len(got.Attachments) != 3 {
		t.Errorf("entry has %d attachments, want 3", len(got.Attachments))
	}
	// The text attachment is searchable; its file only for those who see the entry.
	res, err := w.svc.Search(as(w.peerV), practices.Filter{Query: "zandzakken"})
	must(t, err)
	if res.Total != 1 {
		t.Errorf("search for attachment text: %d", res.Total)
	}
	if _, _, err := w.svc.OpenAttachment(as(w.outV), e.ID, got.Attachments[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("outsider opens attachment: %v", err)
	}
	_, f, err := w.svc.OpenAttachment(as(w.peerV), e.ID, got.Attachments[0].ID)
	must(t, err)
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "Hoogwater evacuatieplan: zandzakken." {
		t.Errorf("attachment content %q", b)
	}
	if _, err := w.svc.AddAttachment(as(w.peerV), e.ID, "x.txt", strings.NewReader("x")); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("peer attaching: %v, want forbidden", err)
	}
}

func testPracticeHistory(t *testing.T, w *practiceWorld) {
	e := w.amberEntry(t)
	texts := append(e.Texts, practices.Text{Lang: "en", Title: "Flood evacuation"})
	_, err := w.svc.Update(as(w.member), e.ID, 1, practices.EntryInput{Kind: "case_study", Axis: "both", Texts: texts})
	must(t, err)
	h, err := w.svc.History(as(w.peerV), e.ID)
	must(t, err)
	if len(h) != 2 || h[0].Version != 2 || strings.Join(h[0].Fields, ",") != "kind,axis,capabilities,authors,texts.en" {
		t.Errorf("history = %+v", h)
	}
	if _, err := w.svc.AddComment(as(w.peerV), e.ID, "Useful, thank you."); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AddComment(as(w.outV), e.ID, "I cannot see this."); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("outsider comment: %v", err)
	}
	if _, err := w.svc.AddComment(as(w.peerV), e.ID, " "); !hasField(err, "body", validate.Required) {
		t.Errorf("empty comment: %v", err)
	}
	cs, _ := w.svc.Comments(as(w.member), e.ID)
	if len(cs) != 1 {
		t.Errorf("%d comments, want 1", len(cs))
	}
}

// TestAttachmentMemoryFlat uploads an attachment of the maximum size (64
// MiB) from a generator and checks that the heap grows far less than the
// file: the upload streams.
func TestAttachmentMemoryFlat(t *testing.T) {
	const max = 64 << 20
	w := newPracticeWorld(t, NewSQLite(t), max)
	e := w.amberEntry(t)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := io.MultiReader(strings.NewReader("%PDF-1.7\n"), io.LimitReader(zeroes{}, max-9))
	peak := uint64(0)
	done := make(chan struct{})
	go func() {
		defer close(done)
		a, err := w.svc.AddAttachment(as(w.member), e.ID, "big.pdf", r)
		if err != nil || a.Size != max {
			t.Errorf("upload: %+v %v", a, err)
		}
	}()
	for {
		select {
		case <-done:
			runtime.ReadMemStats(&after)
			peak = max64(peak, after.HeapAlloc)
			growth := int64(peak) - int64(before.HeapAlloc)
			t.Logf("heap before %d KiB, peak %d KiB, growth %d KiB for a %d MiB upload", before.HeapAlloc>>10, peak>>10, growth>>10, max>>20)
			if growth > 8<<20 {
				t.Errorf("heap grew %d MiB for a %d MiB upload: not streamed", growth>>20, max>>20)
			}
			fi, _ := os.ReadDir(w.dir)
			if len(fi) != 1 {
				t.Errorf("%d files stored", len(fi))
			}
			return
		default:
			runtime.ReadMemStats(&after)
			peak = max64(peak, after.HeapAlloc)
			runtime.Gosched()
		}
	}
}

type zeroes struct{}

func (zeroes) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func max64(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
