package directory

import (
	"context"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/validate"
)

// ListCapabilities returns the taxonomy in display order; with q, only the
// nodes whose code or a label contains every word of q.
func (s *Service) ListCapabilities(ctx context.Context, q string) ([]Capability, error) {
	caps, err := s.store.ListCapabilities(ctx)
	if err != nil || q == "" {
		return caps, err
	}
	words := Words(q)
	out := []Capability{}
	for _, c := range caps {
		text := SearchText(c.Code, c.Labels["en"], c.Labels["nl"], c.Labels["fr"], c.Labels["de"])
		ok := true
		for _, w := range words {
			if !strings.Contains(text, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// GetCapability returns one taxonomy node.
func (s *Service) GetCapability(ctx context.Context, code string) (Capability, error) {
	return s.store.GetCapability(ctx, code)
}

// CreateCapability adds a taxonomy node: the alliance administrator's
// decision.
func (s *Service) CreateCapability(ctx context.Context, c *Capability) error {
	if v := access.ViewerFrom(ctx); !access.CanManageAlliance(v) {
		return refuse(v)
	}
	if err := s.ValidateCapability(ctx, c); err != nil {
		return err
	}
	return s.store.CreateCapability(ctx, c)
}

// UpdateCapability replaces the node with code key by c (whose code, when
// given, must be key: a code never changes). c.Version is the version the
// change was based on (0: no check).
func (s *Service) UpdateCapability(ctx context.Context, key string, c *Capability) error {
	cur, err := s.store.GetCapability(ctx, key)
	if err != nil {
		return err
	}
	if v := access.ViewerFrom(ctx); !access.CanManageAlliance(v) {
		return refuse(v)
	}
	if c.Code != "" && c.Code != cur.Code {
		return validate.Errors{{Field: "code", Code: validate.InvalidChoice, Args: map[string]any{"choices": cur.Code}}}
	}
	c.Code = cur.Code
	if err := s.ValidateCapability(ctx, c); err != nil {
		return err
	}
	return s.store.UpdateCapability(ctx, c)
}

// DeleteCapability removes an unused leaf of the taxonomy: the alliance
// administrator's decision.
func (s *Service) DeleteCapability(ctx context.Context, code string) error {
	c, err := s.store.GetCapability(ctx, code)
	if err != nil {
		return err
	}
	if v := access.ViewerFrom(ctx); !access.CanManageAlliance(v) {
		return refuse(v)
	}
	return s.store.DeleteCapability(ctx, c.Code)
}
