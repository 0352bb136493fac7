package practices

import (
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// pdfText extracts up to maxTextKept bytes of a stored PDF's text for
// search, with github.com/ledongthuc/pdf. A PDF the library cannot read
// (encrypted, damaged, or only images) yields no text rather than an
// error: it is still a valid attachment. The library may panic on
// malformed input; that is recovered here.
func pdfText(path string) (text string) {
	defer func() {
		if recover() != nil {
			text = ""
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return ""
	}
	r, err := pdf.NewReader(f, fi.Size())
	if err != nil {
		return ""
	}
	plain, err := r.GetPlainText()
	if err != nil {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(plain, maxTextKept))
	s := string(b)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	return s
}
