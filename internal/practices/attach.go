package practices

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/escnet/escnet/internal/validate"
)

// Message keys of attachment checks.
const (
	TypeNotAllowed  = "error.attachment.type_not_allowed"
	ContentMismatch = "error.attachment.content_mismatch"
	ZipBomb         = "error.attachment.zip_bomb"
	OfficeParts     = "error.attachment.office_parts"
)

// fileType is an allowed kind of attachment: its media type, how its
// content starts and, for office documents, the parts its zip container
// must hold.
type fileType struct {
	media string
	magic [][]byte
	zip   []string // parts of an office document ("mimetype=…" checks that file's content)
	text  bool     // plain text: valid UTF-8 without NUL bytes
}

var pkZip = [][]byte{[]byte("PK\x03\x04")}

// fileTypes maps allowed extensions to what their content must be.
var fileTypes = map[string]fileType{
	".pdf":  {media: "application/pdf", magic: [][]byte{[]byte("%PDF-")}},
	".png":  {media: "image/png", magic: [][]byte{[]byte("\x89PNG\r\n\x1a\n")}},
	".jpg":  {media: "image/jpeg", magic: [][]byte{{0xFF, 0xD8, 0xFF}}},
	".jpeg": {media: "image/jpeg", magic: [][]byte{{0xFF, 0xD8, 0xFF}}},
	".gif":  {media: "image/gif", magic: [][]byte{[]byte("GIF87a"), []byte("GIF89a")}},
	".txt":  {media: "text/plain; charset=utf-8", text: true},
	".md":   {media: "text/markdown; charset=utf-8", text: true},
	".docx": {media: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", magic: pkZip, zip: []string{"[Content_Types].xml", "word/document.xml"}},
	".xlsx": {media: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", magic: pkZip, zip: []string{"[Content_Types].xml", "xl/workbook.xml"}},
	".pptx": {media: "application/vnd.openxmlformats-officedocument.presentationml.presentation", magic: pkZip, zip: []string{"[Content_Types].xml", "ppt/presentation.xml"}},
	".odt":  {media: "application/vnd.oasis.opendocument.text", magic: pkZip, zip: []string{"mimetype=application/vnd.oasis.opendocument.text", "content.xml"}},
	".ods":  {media: "application/vnd.oasis.opendocument.spreadsheet", magic: pkZip, zip: []string{"mimetype=application/vnd.oasis.opendocument.spreadsheet", "content.xml"}},
	".odp":  {media: "application/vnd.oasis.opendocument.presentation", magic: pkZip, zip: []string{"mimetype=application/vnd.oasis.opendocument.presentation", "content.xml"}},
}

// AllowedExtensions lists the extensions an attachment may have.
func AllowedExtensions() []string {
	out := make([]string, 0, len(fileTypes))
	for k := range fileTypes {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// AttachmentConfig bounds attachments.
type AttachmentConfig struct {
	// Dir is where files are kept.
	Dir string
	// MaxSize is the largest attachment in bytes.
	MaxSize int64
	// MaxUnpacked bounds what an office document may unpack to, in
	// bytes (a zip bomb is refused); 0 means 10 × MaxSize.
	MaxUnpacked int64
}

// maxTextKept is how much of a text attachment is kept for search.
const maxTextKept = 256 << 10

// checked is the result of streaming an upload to disk.
type checked struct {
	typ    fileType
	size   int64
	sum    string
	text   string
	stored string
}

// DirBlobs keeps attachments as files in a directory.
type DirBlobs struct{ Dir string }

// Create opens a new file for writing and returns its name.
func (d DirBlobs) Create() (string, io.WriteCloser, error) {
	if err := os.MkdirAll(d.Dir, 0o750); err != nil {
		return "", nil, err
	}
	f, err := os.CreateTemp(d.Dir, "att-*")
	if err != nil {
		return "", nil, err
	}
	return filepath.Base(f.Name()), f, nil
}

// Open opens a stored file.
func (d DirBlobs) Open(name string) (io.ReadSeekCloser, error) {
	if name != filepath.Base(name) || name == "." || name == ".." {
		return nil, fmt.Errorf("attachment path %q: %w", name, os.ErrNotExist)
	}
	return os.Open(filepath.Join(d.Dir, name))
}

// Remove deletes a stored file.
func (d DirBlobs) Remove(name string) error {
	if name != filepath.Base(name) {
		return os.ErrNotExist
	}
	return os.Remove(filepath.Join(d.Dir, name))
}

// path returns the file's full path, for zip checks.
func (d DirBlobs) path(name string) string { return filepath.Join(d.Dir, name) }

// fieldErr is one validate error on field "file".
func fieldErr(code string, args ...any) error {
	var errs validate.Errors
	errs.Add("file", code, args...)
	return errs
}

// typeOf returns the allowed type for a file name, or a 422 on "name".
func typeOf(name string) (fileType, error) {
	var errs validate.Errors
	errs.Text("name", name, true, 200)
	if len(errs) > 0 {
		return fileType{}, errs
	}
	if strings.ContainsAny(name, "/\\\x00") {
		errs.Add("name", validate.InvalidFormat)
		return fileType{}, errs
	}
	t, ok := fileTypes[strings.ToLower(filepath.Ext(name))]
	if !ok {
		errs.Add("name", TypeNotAllowed, "choices", strings.Join(AllowedExtensions(), ", "))
		return fileType{}, errs
	}
	return t, nil
}

// textCheck watches a text upload as it streams: valid UTF-8 (checked
// across chunk boundaries), no NUL bytes, and the first maxTextKept bytes
// kept for search.
type textCheck struct {
	kept    bytes.Buffer
	partial []byte
	bad     bool
}

func (c *textCheck) Write(p []byte) (int, error) {
	if c.kept.Len() < maxTextKept {
		c.kept.Write(p[:min(len(p), maxTextKept-c.kept.Len())])
	}
	buf := append(c.partial, p...)
	if bytes.IndexByte(p, 0) >= 0 {
		c.bad = true
	}
	// Keep an incomplete rune at the end for the next chunk.
	cut := len(buf)
	for i := 1; i <= utf8.UTFMax && i <= len(buf); i++ {
		if utf8.RuneStart(buf[len(buf)-i]) {
			if !utf8.FullRune(buf[len(buf)-i:]) {
				cut = len(buf) - i
			}
			break
		}
	}
	if !utf8.Valid(buf[:cut]) {
		c.bad = true
	}
	c.partial = append(c.partial[:0], buf[cut:]...)
	return len(p), nil
}

func (c *textCheck) ok() bool { return !c.bad && len(c.partial) == 0 }

// stream copies r to a new blob, never holding more than a buffer of it,
// checking its size, its first bytes against the name's type and, for
// text, its encoding. On any error the blob is removed.
func stream(blobs Blobs, cfg AttachmentConfig, name string, r io.Reader) (c checked, err error) {
	typ, err := typeOf(name)
	if err != nil {
		return c, err
	}
	c.typ = typ
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return c, err
	}
	head = head[:n]
	if n == 0 {
		return c, fieldErr(validate.Required)
	}
	if len(typ.magic) > 0 && !slices.ContainsFunc(typ.magic, func(m []byte) bool { return bytes.HasPrefix(head, m) }) {
		return c, fieldErr(ContentMismatch, "type", strings.TrimPrefix(filepath.Ext(name), "."))
	}
	stored, w, err := blobs.Create()
	if err != nil {
		return c, err
	}
	c.stored = stored
	defer func() {
		if err != nil {
			_ = blobs.Remove(stored)
		}
	}()
	h := sha256.New()
	var tc textCheck
	sinks := []io.Writer{w, h}
	if typ.text {
		sinks = append(sinks, &tc)
	}
	out := io.MultiWriter(sinks...)
	src := io.MultiReader(bytes.NewReader(head), r)
	// Read one byte past the limit to know it was passed.
	c.size, err = io.Copy(out, io.LimitReader(src, cfg.MaxSize+1))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return c, err
	}
	if c.size > cfg.MaxSize {
		return c, fieldErr(validate.TooLarge, "max", cfg.MaxSize)
	}
	if typ.text {
		if !tc.ok() {
			return c, fieldErr(ContentMismatch, "type", strings.TrimPrefix(filepath.Ext(name), "."))
		}
		c.text = tc.kept.String()
		if !utf8.ValidString(c.text) { // cut inside a rune at maxTextKept
			c.text = strings.ToValidUTF8(c.text, "")
		}
	}
	c.sum = hex.EncodeToString(h.Sum(nil))
	if db, ok := blobs.(DirBlobs); ok {
		if len(typ.zip) > 0 {
			if err := checkZip(db.path(stored), typ, cfg); err != nil {
				return c, err
			}
		}
		if typ.media == "application/pdf" {
			c.text = pdfText(db.path(stored))
		}
	}
	return c, nil
}

// checkZip opens an office document's container and checks the parts its
// type requires. Every member is read through a limit of its declared
// size and the total through the configured bound, so a member that
// unpacks to more than it declares, or a container that unpacks to more
// than the bound (a zip bomb), is refused without filling memory or disk.
func checkZip(path string, typ fileType, cfg AttachmentConfig) error {
	limit := cfg.MaxUnpacked
	if limit <= 0 {
		limit = 10 * cfg.MaxSize
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fieldErr(ContentMismatch, "type", "zip")
	}
	defer zr.Close()
	if len(zr.File) > 10000 {
		return fieldErr(ZipBomb, "max", limit)
	}
	var declared uint64
	names := map[string]*zip.File{}
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		names[f.Name] = f
	}
	if declared > uint64(limit) {
		return fieldErr(ZipBomb, "max", limit)
	}
	var total int64
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return fieldErr(ContentMismatch, "type", "zip")
		}
		n, err := io.Copy(io.Discard, io.LimitReader(rc, int64(f.UncompressedSize64)+1))
		rc.Close()
		total += n
		if n > int64(f.UncompressedSize64) || total > limit {
			return fieldErr(ZipBomb, "max", limit)
		}
		if err != nil {
			return fieldErr(ContentMismatch, "type", "zip")
		}
	}
	for _, part := range typ.zip {
		name, want, hasWant := strings.Cut(part, "=")
		f, ok := names[name]
		if !ok {
			return fieldErr(OfficeParts, "part", name)
		}
		if hasWant {
			rc, err := f.Open()
			if err != nil {
				return fieldErr(OfficeParts, "part", name)
			}
			b, _ := io.ReadAll(io.LimitReader(rc, 200))
			rc.Close()
			if strings.TrimSpace(string(b)) != want {
				return fieldErr(OfficeParts, "part", name)
			}
		}
	}
	return nil
}
