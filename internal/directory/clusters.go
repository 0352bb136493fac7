package directory

import (
	"context"

	"github.com/escnet/escnet/internal/access"
)

// ListClusters lists the clusters matching f.
func (s *Service) ListClusters(ctx context.Context, f Filter) (Page[Cluster], error) {
	return s.store.ListClusters(ctx, f)
}

// GetCluster returns a cluster by id or slug.
func (s *Service) GetCluster(ctx context.Context, key string) (Cluster, error) {
	return s.store.GetCluster(ctx, key)
}

// EditableCluster returns the cluster if the viewer may change it: its
// managers and the alliance administrator.
func (s *Service) EditableCluster(ctx context.Context, key string) (Cluster, error) {
	c, err := s.store.GetCluster(ctx, key)
	if err != nil {
		return c, err
	}
	if v := access.ViewerFrom(ctx); !access.CanEditCluster(v, c.ID) {
		return c, refuse(v)
	}
	return c, nil
}

// CreateCluster adds a cluster: the alliance administrator's decision.
func (s *Service) CreateCluster(ctx context.Context, c *Cluster) error {
	if v := access.ViewerFrom(ctx); !access.CanManageAlliance(v) {
		return refuse(v)
	}
	if err := s.ValidateCluster(ctx, c); err != nil {
		return err
	}
	return s.store.CreateCluster(ctx, c)
}

// UpdateCluster replaces the cluster named by c.ID (id or slug) with c, if
// the viewer may change it. c.Version is the version the change was based
// on (0: no check); a stale one is store.ErrStale. On success c is the
// stored record with its new version.
func (s *Service) UpdateCluster(ctx context.Context, c *Cluster) error {
	cur, err := s.EditableCluster(ctx, c.ID)
	if err != nil {
		return err
	}
	c.ID = cur.ID
	if err := s.ValidateCluster(ctx, c); err != nil {
		return err
	}
	return s.store.UpdateCluster(ctx, c)
}

// DeleteCluster removes a cluster without members or facilities: the
// alliance administrator's decision.
func (s *Service) DeleteCluster(ctx context.Context, key string) error {
	c, err := s.store.GetCluster(ctx, key)
	if err != nil {
		return err
	}
	if v := access.ViewerFrom(ctx); !access.CanManageAlliance(v) {
		return refuse(v)
	}
	return s.store.DeleteCluster(ctx, c.ID)
}
