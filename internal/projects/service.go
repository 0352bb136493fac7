package projects

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/directory"
	escmail "github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Auditor records a decision in the audit log.
type Auditor interface {
	Audit(ctx context.Context, action, entity, entityID, detail string) error
}

// Service holds the use cases of projects: reads, imports and the
// merging of duplicate organisations. Each method takes the viewer from
// the context (access.ViewerFrom) and decides what it may do.
type Service struct {
	store   Store
	audit   Auditor
	mail    escmail.Sender // invitations (linking_service.go); nil: none sent
	baseURL string
}

// NewService returns a Service over s, auditing to a.
func NewService(s Store, a Auditor) *Service { return &Service{store: s, audit: a} }

// system is ctx with the application's own scope: merges and imports
// read and write organisations whatever their visibility, once the
// viewer is allowed to do them at all.
func system(ctx context.Context) context.Context { return access.WithScope(ctx, access.System) }

// MayMerge (and mayMerge) lets alliance administrators merge organisations (a merge
// changes records of two organisations, possibly in clusters no one else
// manages); write also needs a read-write credential.
func (s *Service) MayMerge(ctx context.Context, write bool) error { return mayMerge(ctx, write) }

func mayMerge(ctx context.Context, write bool) error {
	v := access.ViewerFrom(ctx)
	if !v.AllianceAdmin || write && !v.WriteAllowed {
		return store.ErrForbidden
	}
	return nil
}

// List returns the projects the filter selects.
func (s *Service) List(ctx context.Context, f Filter) (p directory.Page[Project], err error) {
	defer wrap(&err, "projects.List")
	return s.store.ListProjects(ctx, f)
}

// Get returns project id.
func (s *Service) Get(ctx context.Context, id string) (p Project, err error) {
	defer wrap(&err, "projects.Get(%q)", id)
	return s.store.GetProject(ctx, id)
}

// TrackRecord returns what organisation (id or slug) did in EU projects.
func (s *Service) TrackRecord(ctx context.Context, organisation string) (tr TrackRecord, err error) {
	defer wrap(&err, "projects.TrackRecord(%q)", organisation)
	return s.store.TrackRecord(ctx, organisation)
}

// Candidates returns up to limit (1..1000) pairs of organisations that
// look like one, and how many there are in all.
func (s *Service) Candidates(ctx context.Context, limit int) (cs []MergeCandidate, total int, err error) {
	defer wrap(&err, "projects.Candidates")
	if err := mayMerge(ctx, false); err != nil {
		return nil, 0, err
	}
	if limit < 1 || limit > 1000 {
		return nil, 0, validate.Errors{{Field: "limit", Code: validate.InvalidChoice, Args: map[string]any{"choices": "1..1000"}}}
	}
	ctx = system(ctx)
	keys, err := s.store.OrganisationKeys(ctx)
	if err != nil {
		return nil, 0, err
	}
	distinct, err := s.store.DistinctPairs(ctx)
	if err != nil {
		return nil, 0, err
	}
	cs = FindCandidates(keys, distinct)
	if cs, err = s.withLinkCandidates(ctx, cs); err != nil {
		return nil, 0, err
	}
	total = len(cs)
	if len(cs) > limit {
		cs = cs[:limit]
	}
	if cs == nil {
		cs = []MergeCandidate{}
	}
	return cs, total, nil
}

// Merges returns the latest merges, newest first.
func (s *Service) Merges(ctx context.Context, limit int) (ms []Merge, err error) {
	defer wrap(&err, "projects.Merges")
	if err := mayMerge(ctx, false); err != nil {
		return nil, err
	}
	return s.store.ListMerges(system(ctx), limit)
}

// Merge merges organisation from into organisation into (ids or slugs).
// Of two identical merges at once exactly one succeeds; the other gets a
// *store.ConflictError.
func (s *Service) Merge(ctx context.Context, into, from string) (m Merge, err error) {
	defer wrap(&err, "projects.Merge(%q, %q)", into, from)
	if err := mayMerge(ctx, true); err != nil {
		return m, err
	}
	if err := ValidateMerge(into, from); err != nil {
		return m, err
	}
	return s.store.MergeOrganisations(system(ctx), strings.TrimSpace(into), strings.TrimSpace(from))
}

// Undo undoes merge id.
func (s *Service) Undo(ctx context.Context, id string) (m Merge, err error) {
	defer wrap(&err, "projects.Undo(%q)", id)
	if err := mayMerge(ctx, true); err != nil {
		return m, err
	}
	return s.store.UndoMerge(system(ctx), id)
}

// MarkDistinct records that a and b are different organisations.
func (s *Service) MarkDistinct(ctx context.Context, a, b string) (err error) {
	defer wrap(&err, "projects.MarkDistinct(%q, %q)", a, b)
	if err := mayMerge(ctx, true); err != nil {
		return err
	}
	if err := ValidatePair(a, b); err != nil {
		return err
	}
	return s.store.MarkDistinct(system(ctx), strings.TrimSpace(a), strings.TrimSpace(b))
}

// MayImport reports whether the viewer may import CORDIS files (the
// alliance administrator, with a read-write credential).
func (s *Service) MayImport(ctx context.Context) error {
	if !access.CanManageAlliance(access.ViewerFrom(ctx)) {
		return store.ErrForbidden
	}
	return nil
}

// ImportFiles imports CORDIS files for the viewer, recording the outcome
// (done or refused) in the audit log.
func (s *Service) ImportFiles(ctx context.Context, sources []Source, opts Options) (Summary, error) {
	if err := s.MayImport(ctx); err != nil {
		return Summary{}, err
	}
	if len(sources) == 0 {
		return Summary{}, validate.Errors{{Field: "files", Code: validate.Required}}
	}
	ctx = system(ctx)
	sum, err := Import(ctx, s.store, sources, opts)
	if err != nil {
		if aerr := s.audit.Audit(ctx, "cordis.import_refused", "", "", oneLine(err)); aerr != nil {
			return sum, errors.Join(err, aerr)
		}
		return sum, err
	}
	detail := fmt.Sprintf("files=%d projects=%+v organisations=%+v participations=%+v rejected=%d",
		len(sources), sum.Projects, sum.Organisations, sum.Participations, sum.Rejected)
	if err := s.audit.Audit(ctx, "cordis.import", "", "", detail); err != nil {
		return sum, err
	}
	if _, ok := s.store.(LinkStore); !ok {
		return sum, nil
	}
	// Link the imported records to the organisations entered in the
	// directory: each link is a merge, audited and undoable.
	sum.Links, err = s.linkRun(ctx, nil)
	return sum, err
}

// RowError returns the row error that stopped an import, if one did.
func RowError(err error) (*cordis.RowError, bool) {
	var re *cordis.RowError
	ok := errors.As(err, &re)
	return re, ok
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// wrap adds the operation to an error crossing the package boundary,
// keeping it matchable with errors.Is / errors.As. Sentinel answers the
// client sees (validation, not found, conflict, forbidden) stay as they
// are for the web layer's mapping; only their message gains context.
func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *err)
	}
}
