package inquiries

import (
	"context"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// DeskList is a cluster's named desk staff (besides its managers, who
// work the desk by their role) and the list's version.
type DeskList struct {
	ClusterID string       `json:"cluster_id"`
	Version   int          `json:"version"`
	Items     []DeskMember `json:"items"`
}

// deskCluster resolves a cluster for a viewer who may read its desk: its
// managers and the alliance administrator; an anonymous viewer learns
// nothing (not found).
func (s *Service) deskCluster(ctx context.Context, cluster string) (string, error) {
	id, err := s.store.ClusterExists(ctx, cluster)
	if err != nil {
		return "", err
	}
	v := access.ViewerFrom(ctx)
	if !v.AllianceAdmin && !slices.Contains(v.ManagedClusters, id) {
		if v.Anonymous() {
			return "", store.ErrNotFound
		}
		return "", store.ErrForbidden
	}
	return id, nil
}

// Desk returns the named desk staff of a cluster (for its managers and
// the alliance administrator).
func (s *Service) Desk(ctx context.Context, cluster string) (DeskList, error) {
	id, err := s.deskCluster(ctx, cluster)
	if err != nil {
		return DeskList{}, err
	}
	return s.deskList(ctx, id)
}

func (s *Service) deskList(ctx context.Context, id string) (DeskList, error) {
	items, err := s.store.ListDesk(ctx, id)
	if err != nil {
		return DeskList{}, err
	}
	v, err := s.store.DeskVersion(ctx, id)
	return DeskList{ClusterID: id, Version: v, Items: items}, err
}

// SetDesk names a cluster's desk staff by their e-mail addresses,
// replacing the list when it is still at version (0: no check; an older
// one is store.ErrStale). An address without an account fails on its
// field (desk[i]).
func (s *Service) SetDesk(ctx context.Context, cluster string, emails []string, version int) (DeskList, error) {
	id, err := s.manageDesk(ctx, cluster)
	if err != nil {
		return DeskList{}, err
	}
	var ids []string
	var errs validate.Errors
	for i, e := range emails {
		uid, err := s.store.UserIDByEmail(ctx, e)
		if err != nil {
			errs.Add("desk["+itoa(i)+"]", validate.NotFound)
			continue
		}
		if !slices.Contains(ids, uid) {
			ids = append(ids, uid)
		}
	}
	if err := errs.Err(); err != nil {
		return DeskList{}, err
	}
	return s.writeDesk(ctx, id, ids, version)
}

// AddDesk names one more person to a cluster's desk by their account's
// e-mail address (the desk form); naming someone already there changes
// nothing.
func (s *Service) AddDesk(ctx context.Context, cluster, email string, version int) (DeskList, error) {
	id, err := s.manageDesk(ctx, cluster)
	if err != nil {
		return DeskList{}, err
	}
	email = strings.TrimSpace(email)
	if email == "" {
		return DeskList{}, validate.Errors{{Field: "email", Code: validate.Required}}
	}
	uid, err := s.store.UserIDByEmail(ctx, email)
	if err != nil {
		return DeskList{}, validate.Errors{{Field: "email", Code: ErrNoAccount}}
	}
	cur, err := s.deskList(ctx, id)
	if err != nil {
		return DeskList{}, err
	}
	ids := memberIDs(cur.Items)
	if slices.Contains(ids, uid) {
		if version > 0 && version != cur.Version {
			return DeskList{}, store.ErrStale
		}
		return cur, nil
	}
	return s.writeDesk(ctx, id, append(ids, uid), version)
}

// RemoveDesk takes a person off a cluster's desk (the desk form).
func (s *Service) RemoveDesk(ctx context.Context, cluster, userID string, version int) (DeskList, error) {
	id, err := s.manageDesk(ctx, cluster)
	if err != nil {
		return DeskList{}, err
	}
	cur, err := s.deskList(ctx, id)
	if err != nil {
		return DeskList{}, err
	}
	ids := memberIDs(cur.Items)
	i := slices.Index(ids, userID)
	if i < 0 {
		return DeskList{}, validate.Errors{{Field: "desk", Code: validate.NotFound}}
	}
	return s.writeDesk(ctx, id, slices.Delete(ids, i, i+1), version)
}

// manageDesk resolves a cluster whose desk the viewer may change.
func (s *Service) manageDesk(ctx context.Context, cluster string) (string, error) {
	id, err := s.deskCluster(ctx, cluster)
	if err != nil {
		return "", err
	}
	if !access.CanManageDesk(access.ViewerFrom(ctx), id) {
		return "", store.ErrForbidden
	}
	return id, nil
}

func (s *Service) writeDesk(ctx context.Context, id string, ids []string, version int) (DeskList, error) {
	if _, err := s.store.SetDesk(ctx, id, ids, version); err != nil {
		return DeskList{}, err
	}
	return s.deskList(ctx, id)
}

func memberIDs(ms []DeskMember) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.UserID
	}
	return ids
}
