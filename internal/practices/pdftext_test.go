package practices

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// minimalPDF writes a one-page PDF whose page shows text, with a correct
// cross-reference table.
func minimalPDF(text string) []byte {
	content := fmt.Sprintf("BT /F1 12 Tf 72 712 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestPDFText(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.pdf")
	if err := os.WriteFile(good, minimalPDF("Zandzakken bij hoogwater"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := pdfText(good); !strings.Contains(got, "Zandzakken") {
		t.Errorf("pdfText = %q, want the page's text", got)
	}
	bad := filepath.Join(dir, "bad.pdf")
	if err := os.WriteFile(bad, []byte("%PDF-1.4\nthis is not a pdf"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := pdfText(bad); got != "" {
		t.Errorf("pdfText of a damaged PDF = %q, want no text", got)
	}
}

// TestStreamPDFIndexed checks that an uploaded PDF's text reaches the
// terms search reads.
func TestStreamPDFIndexed(t *testing.T) {
	blobs := DirBlobs{Dir: t.TempDir()}
	c, err := stream(blobs, AttachmentConfig{MaxSize: 1 << 20}, "plan.pdf", bytes.NewReader(minimalPDF("Evacuatieplan overstroming")))
	if err != nil {
		t.Fatal(err)
	}
	terms := DocTerms(nil, []string{c.text})
	groups := QueryTerms("overstroming")
	found := false
	for _, g := range groups {
		for _, term := range g {
			for _, d := range terms {
				found = found || d == term
			}
		}
	}
	if !found {
		t.Errorf("PDF text %q gives terms %v, none of the query's %v", c.text, terms, groups)
	}
}
