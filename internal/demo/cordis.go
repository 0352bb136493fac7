package demo

import (
	"compress/gzip"
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/projects"
)

// cordisData is a gzip-compressed copy of the public CORDIS security
// subset in ../shared/data/cordis: the FP7-SECURITY projects and the
// H2020 "Secure Societies" (H2020-EU.3.7) projects with their
// participations and the topic titles. © European Union, CORDIS; reuse is
// authorised under Commission Decision 2011/833/EU, with attribution.
//
//go:embed cordisdata/*.csv.gz
var cordisData embed.FS

// CORDISAttribution is the notice that goes with every use of the
// embedded CORDIS records.
const CORDISAttribution = "© European Union, CORDIS; reuse authorised, Commission Decision 2011/833/EU"

// CORDISSources returns the embedded CORDIS files as import sources, each
// decompressed as it is read. Size is the compressed size (the import uses
// it only for its progress figures).
func CORDISSources() ([]projects.Source, error) {
	names, err := fs.Glob(cordisData, "cordisdata/*.csv.gz")
	if err != nil {
		return nil, err
	}
	var out []projects.Source
	for _, name := range names {
		st, err := fs.Stat(cordisData, name)
		if err != nil {
			return nil, err
		}
		out = append(out, projects.Source{
			Name: strings.TrimSuffix(strings.TrimPrefix(name, "cordisdata/"), ".gz"),
			Size: st.Size(),
			Open: func() (io.ReadCloser, error) { return openGzip(name) },
		})
	}
	return out, nil
}

type gzipFile struct {
	*gzip.Reader
	f fs.File
}

func (g gzipFile) Close() error {
	err := g.Reader.Close()
	if cerr := g.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func openGzip(name string) (io.ReadCloser, error) {
	f, err := cordisData.Open(name)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return gzipFile{zr, f}, nil
}

// LoadCORDIS imports the embedded CORDIS security subset through the same
// path as `escnet import cordis` (projects.Service.ImportFiles), as the
// system, audited as "demo". The demo's organisations keep their records;
// linking them to their CORDIS participants is the linker's work.
func LoadCORDIS(ctx context.Context, a *app.App) (projects.Summary, error) {
	ctx = audit.WithActor(access.AsSystem(ctx), audit.Actor{Label: "demo"})
	src, err := CORDISSources()
	if err != nil {
		return projects.Summary{}, err
	}
	sum, err := a.Projects.ImportFiles(ctx, src, projects.Options{})
	if err != nil {
		return sum, fmt.Errorf("demo CORDIS records: %w", err)
	}
	return sum, nil
}
