package directory

import (
	"context"
	"errors"

	"github.com/escnet/escnet/internal/access"
)

// Auditor records an action in the audit log (the store implements it).
type Auditor interface {
	Audit(ctx context.Context, action, entity, entityID, detail string) error
}

// ExportOrganisations calls each for every organisation matching f that
// the viewer may see, in list order. It is a bulk export: RED records never
// appear, and the export is audited (with detail, e.g. the query) before
// the first row.
func (s *Service) ExportOrganisations(ctx context.Context, f Filter, detail string, each func(Organisation) error) error {
	au, ok := s.store.(Auditor)
	if !ok {
		return errors.New("directory: the store keeps no audit log")
	}
	ctx = access.WithScope(ctx, access.ScopeFrom(ctx).ForBulk())
	if err := au.Audit(ctx, "export.organisations", "organisation", "", detail); err != nil {
		return err
	}
	f.Limit = MaxListLimit
	for {
		p, err := s.store.ListOrganisations(ctx, f)
		if err != nil {
			return err
		}
		for _, o := range p.Items {
			if err := each(o); err != nil {
				return err
			}
		}
		if p.Next == "" {
			return nil
		}
		f.Cursor = p.Next
	}
}
