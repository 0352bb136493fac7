package facilities

import (
	"context"
	"slices"

	"github.com/escnet/escnet/internal/access"
)

// Stays tells the facilities which facilities the viewer may use today
// as the guest of a signed exchange plan: the host records the plan
// names, from the first to the last day of the stay (internal/exchanges
// implements it; the App wires it).
type Stays interface {
	StayFacilities(ctx context.Context) ([]string, error)
}

// WithStays returns a copy of the service that consults stays: a guest
// sees the facilities their stay grants, their resources and free slots,
// and books them for their own organisation, as a member of the host's
// clusters would. Nothing else widens; the grant ends with the stay.
func (s *Service) WithStays(st Stays) *Service {
	c := *s
	c.stays = st
	return &c
}

// stay returns ctx with the viewer's scope widened by the facilities a
// stay grants them today. Should the question fail, nothing is widened:
// a failure allows less, never more.
func (s *Service) stay(ctx context.Context) context.Context {
	if s.stays == nil {
		return ctx
	}
	sc := access.ScopeFrom(ctx)
	if sc.All || access.ViewerFrom(ctx).Anonymous() {
		return ctx
	}
	ids, err := s.stays.StayFacilities(ctx)
	if err != nil || len(ids) == 0 {
		return ctx
	}
	sc.Facilities = append(slices.Clone(sc.Facilities), ids...)
	return access.WithScope(ctx, sc)
}
