package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// maxUpload bounds one import upload (the four CORDIS security files are
// under 3 MB; a full programme export is a few hundred).
const maxUpload = 512 << 20

// importPage is the data of the CORDIS upload page.
type importPage struct {
	layout
	Summary  *projects.Summary
	Problems []cordis.RowError
	Strict   bool
	Failed   string // message key of a failed import
	Errors   []ProblemField
}

func (s *Server) pageImport(w http.ResponseWriter, r *http.Request) error {
	if err := s.proj.MayImport(r.Context()); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "import", importPage{layout: s.layout(r, "title.import", "admin")})
}

// postImport takes uploaded CORDIS files, spools them to temporary files
// (the importer reads a file more than once: layout, strict check, rows)
// and runs the same import as `escnet import cordis`.
func (s *Server) postImport(w http.ResponseWriter, r *http.Request) error {
	if err := s.proj.MayImport(r.Context()); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		return errBadRequest("Send the files as multipart/form-data.", validate.Errors{{Field: "files", Code: validate.Malformed}})
	}
	dir, err := os.MkdirTemp("", "escnet-import-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	data := importPage{layout: s.layout(r, "title.import", "admin")}
	var sources []projects.Source
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			data.Errors = fieldsOf(validate.Errors{{Field: "files", Code: validate.TooLarge, Args: map[string]any{"max": maxUpload}}})
			return s.render(w, http.StatusRequestEntityTooLarge, "import", data)
		}
		if err != nil {
			return errBadRequest("The upload could not be read.", validate.Errors{{Field: "files", Code: validate.Malformed}})
		}
		switch part.FormName() {
		case "strict":
			data.Strict = true
		case "files":
			if part.FileName() == "" {
				continue
			}
			src, err := spool(dir, len(sources), part)
			if errors.As(err, &tooBig) {
				data.Errors = fieldsOf(validate.Errors{{Field: "files", Code: validate.TooLarge, Args: map[string]any{"max": maxUpload}}})
				return s.render(w, http.StatusRequestEntityTooLarge, "import", data)
			}
			if err != nil {
				return err
			}
			sources = append(sources, src)
		}
		part.Close()
	}
	if len(sources) == 0 {
		data.Errors = fieldsOf(validate.Errors{{Field: "files", Code: validate.Required}})
		return s.render(w, http.StatusUnprocessableEntity, "import", data)
	}
	sum, err := s.proj.ImportFiles(r.Context(), sources, projects.Options{Strict: data.Strict})
	data.Summary = &sum
	data.Problems = sum.Problems
	if err != nil {
		re, isRow := projects.RowError(err)
		switch {
		case errors.Is(err, store.ErrForbidden):
			return err
		case isRow:
			data.Problems = append([]cordis.RowError{*re}, data.Problems...)
			data.Failed = "import.failed_file"
		case data.Strict && sum.Rejected > 0:
			data.Failed = "import.failed_strict"
		default:
			s.log.ErrorContext(r.Context(), "import", "err", err)
			data.Failed = "import.failed"
		}
		return s.render(w, http.StatusUnprocessableEntity, "import", data)
	}
	return s.render(w, http.StatusOK, "import", data)
}

// spool copies an uploaded file to dir and returns it as an import source
// under its own (base) name, which problems then cite.
func spool(dir string, n int, part io.Reader) (projects.Source, error) {
	name := "upload"
	if p, ok := part.(interface{ FileName() string }); ok {
		name = filepath.Base(p.FileName())
	}
	path := filepath.Join(dir, fmt.Sprintf("%03d.csv", n))
	f, err := os.Create(path)
	if err != nil {
		return projects.Source{}, err
	}
	size, err := io.Copy(f, part)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return projects.Source{}, err
	}
	return projects.Source{Name: name, Size: size, Open: func() (io.ReadCloser, error) { return os.Open(path) }}, nil
}
