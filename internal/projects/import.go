package projects

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/escnet/escnet/internal/cordis"
)

// Source is a file to import. Open may be called more than once: the
// import reads a file to hash it, to check it (strict mode) and to load it.
type Source struct {
	Name string
	Size int64
	Open func() (io.ReadCloser, error)
}

// Options tune an import.
type Options struct {
	// Strict checks every row of every file first and writes nothing
	// when any row is bad. Without it, bad rows are skipped and reported,
	// and every good row is stored.
	Strict bool
	// BatchSize is the number of rows per transaction (default 500).
	BatchSize int
	// Progress is called after each batch and at each file's end.
	Progress func(Progress)
	// Problem is called for each rejected row and each warning.
	Problem func(e cordis.RowError, warning bool)
	// AfterBatch is called after each committed batch with the number of
	// batches so far (tests use it to interrupt an import).
	AfterBatch func(n int)
}

// Progress is where an import is.
type Progress struct {
	Phase      string // "checking" or "importing"
	File       string
	Bytes      int64 // read so far in this phase, over all files
	TotalBytes int64
	Rows       int
	Rejected   int
}

// FileSummary says what happened to one file.
type FileSummary struct {
	Name     string `json:"name"`
	Layout   string `json:"layout"`
	Rows     int    `json:"rows"`
	Rejected int    `json:"rejected"`
	Warnings int    `json:"warnings"`
	// Resumed counts rows skipped because an interrupted earlier run had
	// committed them.
	Resumed int `json:"resumed"`
}

// Summary is the outcome of an import.
type Summary struct {
	Files         []FileSummary `json:"files"`
	Topics        Counts        `json:"topics"`
	Projects      Counts        `json:"projects"`
	Organisations Counts        `json:"organisations"`
	Linked        int           `json:"linked"`
	// Links is what the linker did after the import: CORDIS records
	// linked to organisations entered in the directory (linking.go).
	Links          LinkRun           `json:"links"`
	Participations Counts            `json:"participations"`
	Rejected       int               `json:"rejected"`
	Warnings       int               `json:"warnings"`
	Problems       []cordis.RowError `json:"problems"`
	WarningList    []cordis.RowError `json:"warning_list"`
}

// MaxListed is how many problems and warnings a summary keeps; the counts
// hold them all.
const MaxListed = 200

// ErrRejected means a strict import found bad rows and wrote nothing.
var ErrRejected = errors.New("bad rows found; nothing was imported")

// ErrBadFile means a file could not be read as a CORDIS export; nothing
// was imported.
var ErrBadFile = errors.New("a file is not a CORDIS export; nothing was imported")

type importer struct {
	st    Store
	opts  Options
	sum   Summary
	prog  Progress
	done  int64 // bytes of the files finished in this phase
	batch int
	// checked is set after a strict check passed: its warnings were
	// reported already and are only counted again per file.
	checked bool
}

// Import reads CORDIS files and stores their topics, projects and
// participations. Files are taken in dependency order whatever the order
// given: topics, then projects, then organisations, so that a
// participation finds its project. It is idempotent (a second run of the
// same files writes nothing) and resumable (a run interrupted after some
// batches continues after the last committed one).
func Import(ctx context.Context, st Store, sources []Source, opts Options) (Summary, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	im := &importer{st: st, opts: opts}
	files, err := im.layouts(sources)
	if err != nil {
		return im.sum, err
	}
	for _, f := range files {
		im.prog.TotalBytes += f.src.Size
	}
	if opts.Strict {
		if err := im.check(ctx, files); err != nil {
			return im.sum, err
		}
		im.prog, im.done, im.checked = Progress{TotalBytes: im.prog.TotalBytes}, 0, true
		for i := range files {
			*files[i].sum = FileSummary{Name: files[i].sum.Name, Layout: files[i].sum.Layout}
		}
	}
	for i := range files {
		if err := im.load(ctx, &files[i]); err != nil {
			return im.sum, err
		}
	}
	return im.sum, nil
}

type file struct {
	src    Source
	layout cordis.Layout
	sum    *FileSummary
}

// layouts reads every file's header first: a file that is not a CORDIS
// export stops the import before anything is written.
func (im *importer) layouts(sources []Source) ([]file, error) {
	var files []file
	bad := 0
	for _, src := range sources {
		r, closeFn, err := open(src)
		if err != nil {
			var re *cordis.RowError
			if !errors.As(err, &re) {
				return nil, err
			}
			im.problem(*re, false)
			bad++
			continue
		}
		closeFn()
		files = append(files, file{src: src, layout: r.Layout()})
	}
	if bad > 0 {
		return nil, ErrBadFile
	}
	order := func(l cordis.Layout) int {
		switch {
		case l == cordis.Topics:
			return 0
		case l.HoldsProjects():
			return 1
		}
		return 2
	}
	slices.SortStableFunc(files, func(a, b file) int { return cmp.Compare(order(a.layout), order(b.layout)) })
	for i := range files {
		im.sum.Files = append(im.sum.Files, FileSummary{Name: files[i].src.Name, Layout: files[i].layout.Name()})
	}
	for i := range files {
		files[i].sum = &im.sum.Files[i]
	}
	return files, nil
}

// counting counts the bytes read, for progress.
type counting struct {
	r io.Reader
	n *int64
}

func (c counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}

func open(src Source) (*cordis.Reader, func() error, error) {
	rc, err := src.Open()
	if err != nil {
		return nil, nil, err
	}
	r, err := cordis.NewReader(src.Name, rc)
	if err != nil {
		rc.Close()
		return nil, nil, err
	}
	return r, rc.Close, nil
}

func (im *importer) openCounting(src Source, n *int64) (*cordis.Reader, func() error, error) {
	rc, err := src.Open()
	if err != nil {
		return nil, nil, err
	}
	r, err := cordis.NewReader(src.Name, counting{rc, n})
	if err != nil {
		rc.Close()
		return nil, nil, err
	}
	return r, rc.Close, nil
}

func (im *importer) problem(e cordis.RowError, warning bool) {
	if warning {
		im.sum.Warnings++
		if len(im.sum.WarningList) < MaxListed {
			im.sum.WarningList = append(im.sum.WarningList, e)
		}
	} else {
		if e.Line > 0 {
			im.sum.Rejected++
		}
		if len(im.sum.Problems) < MaxListed {
			im.sum.Problems = append(im.sum.Problems, e)
		}
	}
	if im.opts.Problem != nil {
		im.opts.Problem(e, warning)
	}
}

func (im *importer) progress(name string, read int64) {
	if im.opts.Progress == nil {
		return
	}
	im.prog.File = name
	im.prog.Bytes = im.done + read
	im.prog.Rejected = im.sum.Rejected
	im.opts.Progress(im.prog)
}

// check reads every file without writing and reports every bad row,
// including participations whose project is neither in the files nor in
// the database. It keeps the set of project ids of the files (a few bytes
// per project; participations, the bulk of an export, are not kept).
func (im *importer) check(ctx context.Context, files []file) error {
	im.prog.Phase = "checking"
	projects := map[string]bool{}
	for _, f := range files {
		var read int64
		r, closeFn, err := im.openCounting(f.src, &read)
		if err != nil {
			return err
		}
		var pending []pendingRef // participations whose project is not in the files
		flush := func() error {
			if len(pending) == 0 {
				return nil
			}
			ids := make([]string, len(pending))
			for i, p := range pending {
				ids[i] = p.project
			}
			known, err := im.st.KnownProjects(ctx, ids)
			if err != nil {
				return err
			}
			for _, p := range pending {
				if !known[p.project] {
					f.sum.Rejected++
					im.problem(missingProject(f.src.Name, p.line, p.field, p.project), false)
				}
			}
			pending = pending[:0]
			return nil
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			f.sum.Rows++
			if err != nil {
				var re *cordis.RowError
				if !errors.As(err, &re) {
					closeFn()
					return err
				}
				f.sum.Rejected++
				im.problem(*re, false)
				continue
			}
			im.prog.Rows++
			for _, w := range rec.Warnings {
				f.sum.Warnings++
				im.problem(w, true)
			}
			switch {
			case rec.Project != nil:
				projects[rec.Project.ID] = true
			case rec.Participation != nil && !projects[rec.Participation.ProjectID]:
				pending = append(pending, pendingRef{rec.Line, projectColumn, rec.Participation.ProjectID})
				if len(pending) >= im.opts.BatchSize {
					if err := flush(); err != nil {
						closeFn()
						return err
					}
				}
			}
			if im.prog.Rows%im.opts.BatchSize == 0 {
				im.progress(f.src.Name, read)
			}
		}
		closeFn()
		if err := flush(); err != nil {
			return err
		}
		im.done += read
		im.progress(f.src.Name, 0)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if im.sum.Rejected > 0 {
		return ErrRejected
	}
	return nil
}

type pendingRef struct {
	line    int
	field   string
	project string
}

// projectColumn names the project reference of an organisation row (the
// same in both layouts).
const projectColumn = "projectID"

func missingProject(file string, line int, field, project string) cordis.RowError {
	return cordis.RowError{File: file, Line: line, Field: field,
		Problem: fmt.Sprintf("project %s is missing: it is neither in the project files of this import nor in the database", project)}
}

// hash returns the SHA-256 of a source's content.
func hash(src Source) (string, error) {
	rc, err := src.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", fmt.Errorf("%s: %w", src.Name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// batch is the rows read since the last store call, of one kind.
type batch struct {
	topics   []cordis.Topic
	projects []cordis.Project
	parts    []cordis.Participation
	lines    []int
}

func (b *batch) add(rec cordis.Record) {
	switch {
	case rec.Topic != nil:
		b.topics = append(b.topics, *rec.Topic)
	case rec.Project != nil:
		b.projects = append(b.projects, *rec.Project)
	case rec.Participation != nil:
		b.parts = append(b.parts, *rec.Participation)
	}
	b.lines = append(b.lines, rec.Line)
}

// flush stores the batch with the checkpoint of its last line and
// reports whether it changed anything.
func (im *importer) flush(ctx context.Context, f *file, b *batch, cp *Checkpoint, read int64) (changed bool, err error) {
	if len(b.lines) == 0 {
		return false, nil
	}
	cp.Line = b.lines[len(b.lines)-1]
	switch {
	case len(b.topics) > 0:
		c, err := im.st.ImportTopics(ctx, b.topics, *cp)
		if err != nil {
			return false, err
		}
		im.sum.Topics.Add(c)
		changed = c.Changed() > 0
	case len(b.projects) > 0:
		c, err := im.st.ImportProjects(ctx, b.projects, *cp)
		if err != nil {
			return false, err
		}
		im.sum.Projects.Add(c)
		changed = c.Changed() > 0
	case len(b.parts) > 0:
		res, err := im.st.ImportParticipations(ctx, b.parts, *cp)
		if err != nil {
			return false, err
		}
		im.sum.Organisations.Add(res.Organisations)
		im.sum.Participations.Add(res.Participations)
		im.sum.Linked += res.Linked
		changed = res.Organisations.Changed()+res.Participations.Changed()+res.Linked > 0
		for _, i := range res.MissingProject {
			im.problem(missingProject(f.src.Name, b.lines[i], projectColumn, b.parts[i].ProjectID), false)
			f.sum.Rejected++
		}
	}
	b.topics, b.projects, b.parts, b.lines = b.topics[:0], b.projects[:0], b.parts[:0], b.lines[:0]
	im.batch++
	if im.opts.AfterBatch != nil {
		im.opts.AfterBatch(im.batch)
	}
	im.progress(f.src.Name, read)
	return changed, nil
}

// load imports one file in batches, resuming after the checkpoint of an
// interrupted earlier run.
func (im *importer) load(ctx context.Context, f *file) error {
	im.prog.Phase = "importing"
	h, err := hash(f.src)
	if err != nil {
		return err
	}
	cp, err := im.st.ImportCheckpoint(ctx, h)
	if err != nil {
		return err
	}
	skipTo := 0
	if !cp.Done {
		skipTo = cp.Line
	}
	cp = Checkpoint{Hash: h, Name: f.src.Name, Layout: f.layout.Name()}

	var read int64
	r, closeFn, err := im.openCounting(f.src, &read)
	if err != nil {
		return err
	}
	defer closeFn()

	var b batch
	changed := false
	before := im.sum
	flush := func() error {
		c, err := im.flush(ctx, f, &b, &cp, read)
		changed = changed || c
		return err
	}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if rec.Line > 0 && rec.Line <= skipTo {
			f.sum.Resumed++
			continue
		}
		if err != nil {
			var re *cordis.RowError
			if !errors.As(err, &re) {
				return err
			}
			f.sum.Rows++
			f.sum.Rejected++
			im.problem(*re, false)
			continue
		}
		f.sum.Rows++
		im.prog.Rows++
		for _, w := range rec.Warnings {
			f.sum.Warnings++
			if !im.checked {
				im.problem(w, true)
			}
		}
		b.add(rec)
		if len(b.lines) >= im.opts.BatchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	cp.Line, cp.Done = r.Line(), true
	detail := fmt.Sprintf("file %s (%s): %d rows, %d rejected; projects %d new, %d updated; organisations %d new, %d updated, %d linked; participations %d new, %d updated",
		f.src.Name, f.layout.Name(), f.sum.Rows, f.sum.Rejected,
		im.sum.Projects.New-before.Projects.New, im.sum.Projects.Updated-before.Projects.Updated,
		im.sum.Organisations.New-before.Organisations.New, im.sum.Organisations.Updated-before.Organisations.Updated, im.sum.Linked-before.Linked,
		im.sum.Participations.New-before.Participations.New, im.sum.Participations.Updated-before.Participations.Updated)
	if err := im.st.FinishImport(ctx, cp, changed, detail); err != nil {
		return err
	}
	im.done += read
	im.progress(f.src.Name, 0)
	return nil
}
