package calls

import (
	"context"
	"errors"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
)

// memStore is a Store in memory, for the service's decisions.
type memStore struct{ calls map[string]Call }

func (m *memStore) ListCalls(context.Context, Filter) (directory.Page[Call], error) {
	return directory.Page[Call]{}, nil
}
func (m *memStore) GetCall(_ context.Context, id string) (Call, error) {
	c, ok := m.calls[id]
	if !ok {
		return c, store.ErrNotFound
	}
	return c, nil
}
func (m *memStore) CreateCall(_ context.Context, c *Call) error {
	c.Version = 1
	m.calls[c.ID] = *c
	return nil
}
func (m *memStore) UpdateCall(_ context.Context, c *Call, version int) error {
	cur := m.calls[c.ID]
	if version != 0 && version != cur.Version {
		return store.ErrStale
	}
	c.Version = cur.Version + 1
	m.calls[c.ID] = *c
	return nil
}
func (m *memStore) DeleteCall(_ context.Context, id string, _ int) error {
	delete(m.calls, id)
	return nil
}
func (m *memStore) UpsertCalls(context.Context, []Call) (Counts, error) { return Counts{}, nil }
func (m *memStore) CallChoices(context.Context) (Choices, error)        { return Choices{}, nil }

// TestServicePermissions decides without HTTP who may create, change and
// delete calls: alliance administrators and cluster managers with a
// read-write credential; a missing call is not found for everyone.
func TestServicePermissions(t *testing.T) {
	valid := func(id string) *Call {
		c := &Call{ID: id, Title: "Border checks", Programme: "Horizon Europe", ActionType: "IA", Keywords: []string{}}
		c.ReadConditions()
		return c
	}
	tests := []struct {
		name string
		v    access.Viewer
		may  bool
	}{
		{"anonymous", access.Viewer{}, false},
		{"member", access.Viewer{UserID: "u1", OrganisationID: "o1", WriteAllowed: true}, false},
		{"organisation admin", access.Viewer{UserID: "u2", OrganisationID: "o1", OrgAdmin: true, WriteAllowed: true}, false},
		{"cluster manager", access.Viewer{UserID: "u3", ManagedClusters: []string{"hsd"}, WriteAllowed: true}, true},
		{"cluster manager, read token", access.Viewer{UserID: "u3", ManagedClusters: []string{"hsd"}}, false},
		{"alliance admin", access.Viewer{UserID: "u4", AllianceAdmin: true, WriteAllowed: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &memStore{calls: map[string]Call{"T-1": *valid("T-1")}}
			m.calls["T-1"] = Call{ID: "T-1", Version: 1}
			s := NewService(m)
			ctx := access.WithViewer(context.Background(), tt.v)
			check := func(op string, err error) {
				t.Helper()
				if tt.may && err != nil {
					t.Errorf("%s: %v, want success", op, err)
				}
				if !tt.may && !errors.Is(err, store.ErrForbidden) {
					t.Errorf("%s: %v, want ErrForbidden", op, err)
				}
			}
			check("create", s.CreateCall(ctx, valid("T-2")))
			check("update", s.UpdateCall(ctx, "T-1", 1, valid("")))
			check("delete", s.DeleteCall(ctx, "T-1", 0))
			if err := s.DeleteCall(ctx, "NONE", 0); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("delete of a missing call: %v, want ErrNotFound", err)
			}
			if s.CanEdit(ctx) != tt.may {
				t.Errorf("CanEdit = %v, want %v", s.CanEdit(ctx), tt.may)
			}
		})
	}
	// A stale version and a changed id, for an editor.
	m := &memStore{calls: map[string]Call{"T-1": {ID: "T-1", Version: 3}}}
	s := NewService(m)
	ctx := access.WithViewer(context.Background(), access.Viewer{UserID: "u4", AllianceAdmin: true, WriteAllowed: true})
	if err := s.UpdateCall(ctx, "T-1", 2, valid("")); !errors.Is(err, store.ErrStale) {
		t.Errorf("update of version 2 of version 3: %v, want ErrStale", err)
	}
	if err := s.UpdateCall(ctx, "T-1", 0, valid("T-9")); err == nil {
		t.Errorf("update that renames the call succeeded")
	}
}
