package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestPracticeAttachmentsOverHTTP: uploads stream through the API, bad
// ones are refused naming the field with nothing stored, and downloads
// are attachments only, never sniffed.
func TestPracticeAttachmentsOverHTTP(t *testing.T) {
	env := newEnvWith(t, storetest.NewSQLite(t), envConfig{Attachments: practices.AttachmentConfig{Dir: t.TempDir(), MaxSize: 1024}})
	tok := env.tokens["member.tno@example.org"]
	auth := []string{"Authorization", "Bearer " + tok}
	r := env.do("POST", "/api/v1/practices", practices.EntryInput{Kind: "guideline", Axis: "safety",
		Texts: []practices.Text{{Lang: "en", Title: "HTTP attachments"}}}, auth...)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var e practices.Entry
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatal(err)
	}
	if r.header.Get("ETag") != `"v1"` {
		t.Errorf("ETag %q", r.header.Get("ETag"))
	}
	base := "/api/v1/practices/" + e.ID + "/attachments"
	for _, c := range []struct {
		name, file, body, field string
		want                    int
	}{
		{"over the limit", "big.txt", strings.Repeat("a", 1025), "file", 422},
		{"type not allowed", "tool.exe", "MZ", "name", 422},
		{"content not matching its name", "scan.pdf", "<html>", "file", 422},
		{"no name", "", "text", "name", 422},
	} {
		r := env.do("POST", base+"?name="+c.file, c.body, auth...)
		if r.status != c.want || !strings.Contains(string(r.body), `"field": "`+c.field+`"`) {
			t.Errorf("%s: %d %s, want %d naming %s", c.name, r.status, r.body, c.want, c.field)
		}
	}
	r = env.do("POST", base+"?name=notes.txt", "<script>alert(1)</script> plain notes", auth...)
	if r.status != 201 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	var a practices.Attachment
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatal(err)
	}
	got := env.do("GET", base+"/"+a.ID, nil, auth...)
	h := got.header
	if got.status != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("Content-Type") != "text/plain; charset=utf-8" || string(got.body) != "<script>alert(1)</script> plain notes" {
		t.Errorf("download: %d %v %q", got.status, h, got.body)
	}
	one := env.do("GET", "/api/v1/practices/"+e.ID, nil, auth...)
	var again practices.Entry
	_ = json.Unmarshal(one.body, &again)
	if len(again.Attachments) != 1 {
		t.Errorf("entry has %d attachments after four refusals and one upload, want 1", len(again.Attachments))
	}
	// A stale If-Match is refused.
	stale := env.do("PUT", "/api/v1/practices/"+e.ID, practices.EntryInput{Kind: "guideline", Axis: "safety", Texts: again.Texts}, append(auth, "If-Match", `"v9"`)...)
	if stale.status != http.StatusPreconditionFailed {
		t.Errorf("PUT with a stale If-Match: %d", stale.status)
	}
}
