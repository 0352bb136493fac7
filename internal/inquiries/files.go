package inquiries

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/escnet/escnet/internal/validate"
)

// FileInput is an uploaded file, read as a stream.
type FileInput struct {
	Name string
	Body io.Reader
}

// fileTypes maps the extensions accepted to what http.DetectContentType
// must find in the content.
var fileTypes = map[string]string{
	".pdf":  "application/pdf",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".txt":  "text/plain; charset=utf-8",
	".csv":  "text/plain; charset=utf-8",
	".docx": "application/zip",
	".xlsx": "application/zip",
	".pptx": "application/zip",
	".odt":  "application/zip",
	".zip":  "application/zip",
}

// checkType returns the content type of a file whose first bytes are
// head, or "" when the content is not what its name says.
func checkType(name string, head []byte) string {
	want, ok := fileTypes[strings.ToLower(filepath.Ext(name))]
	if !ok {
		return ""
	}
	got := http.DetectContentType(head)
	if got != want {
		return ""
	}
	return got
}

// saveFiles streams the files into the attachment directory under new
// names, checking each one's type and size; on any problem it removes
// what it wrote and returns field errors.
func (s *Service) saveFiles(inquiryID, messageID string, files []FileInput) ([]Attachment, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if s.cfg.AttachmentDir == "" {
		return nil, validate.Errors{{Field: "files[0]", Code: ErrFileType}}
	}
	var out []Attachment
	var errs validate.Errors
	for i, f := range files {
		field := fmt.Sprintf("files[%d]", i)
		a, code, err := s.saveFile(inquiryID, messageID, f)
		if err != nil {
			s.removeFiles(out)
			return nil, err
		}
		if code != "" {
			errs.Add(field, code, "max", s.cfg.MaxAttachment)
			continue
		}
		out = append(out, a)
	}
	if len(errs) > 0 {
		s.removeFiles(out)
		return nil, errs
	}
	return out, nil
}

func (s *Service) saveFile(inquiryID, messageID string, f FileInput) (Attachment, string, error) {
	name := filepath.Base(strings.ReplaceAll(f.Name, `\`, "/"))
	if name == "." || name == "/" || len(name) > 200 {
		return Attachment{}, validate.InvalidFormat, nil
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f.Body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Attachment{}, "", err
	}
	head = head[:n]
	ct := checkType(name, head)
	if ct == "" {
		return Attachment{}, ErrFileType, nil
	}
	if err := os.MkdirAll(s.cfg.AttachmentDir, 0o750); err != nil {
		return Attachment{}, "", err
	}
	a := Attachment{ID: newID(), InquiryID: inquiryID, MessageID: messageID, Name: name, ContentType: ct, CreatedAt: s.cfg.Now()}
	a.StoredName = a.ID
	path := filepath.Join(s.cfg.AttachmentDir, a.StoredName)
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return Attachment{}, "", err
	}
	written, err := io.Copy(out, io.LimitReader(io.MultiReader(strings.NewReader(string(head)), f.Body), s.cfg.MaxAttachment+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil || written > s.cfg.MaxAttachment {
		os.Remove(path)
		if err != nil {
			return Attachment{}, "", err
		}
		return Attachment{}, validate.TooLarge, nil
	}
	a.Size = written
	return a, "", nil
}

func (s *Service) removeFiles(atts []Attachment) {
	for _, a := range atts {
		os.Remove(filepath.Join(s.cfg.AttachmentDir, a.StoredName))
	}
}

func (s *Service) openFile(a Attachment) (Attachment, *os.File, error) {
	f, err := os.Open(filepath.Join(s.cfg.AttachmentDir, filepath.Base(a.StoredName)))
	return a, f, err
}
