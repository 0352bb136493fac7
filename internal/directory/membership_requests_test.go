package directory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// TestMembershipRequests walks a request to join a cluster: asked by the
// organisation's administrator, invisible to others, refused to the
// asker, accepted by the cluster's manager (the membership starts, the
// organisation's version moves, all audited), and not decided twice.
func TestMembershipRequests(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		r := &directory.MembershipRequest{ClusterID: "c2", Role: "partner", Note: "We test drones."}
		for who, want := range map[string]string{"anonymous": "not found", "member o1": "forbidden", "manager c2": "not found", "read-only": "forbidden"} {
			x := *r
			if got := outcome(w.svc.RequestMembership(w.as(who), w.o1.ID, &x)); got != want {
				t.Errorf("%s asks for o1: %s, want %s", who, got, want)
			}
		}
		must(t, w.svc.RequestMembership(w.as("admin o1"), "o1", r))
		if r.State != directory.RequestOpen || r.ClusterID != w.c2.ID || r.OrganisationID != w.o1.ID {
			t.Fatalf("request: %+v", r)
		}
		var ce *store.ConflictError
		again := &directory.MembershipRequest{ClusterID: w.c2.ID, Role: "member"}
		if err := w.svc.RequestMembership(w.as("admin o1"), w.o1.ID, again); !errors.As(err, &ce) || ce.Field != "cluster_id" {
			t.Errorf("second open request: %v, want a conflict on cluster_id", err)
		}
		var ve validate.Errors
		member := &directory.MembershipRequest{ClusterID: w.c1.ID, Role: "member"}
		if err := w.svc.RequestMembership(w.as("admin o1"), w.o1.ID, member); !errors.As(err, &ve) || ve[0].Field != "cluster_id" || ve[0].Code != validate.Duplicate {
			t.Errorf("request for a cluster it is in: %v, want a duplicate cluster_id", err)
		}
		bad := &directory.MembershipRequest{ClusterID: "nowhere", Role: "chief"}
		if err := w.svc.RequestMembership(w.as("admin o1"), w.o1.ID, bad); !errors.As(err, &ve) || len(ve) != 2 {
			t.Errorf("unknown cluster and role: %v, want two field errors", err)
		}

		// Who sees it.
		for who, want := range map[string]int{"admin o1": 1, "manager c2": 1, "alliance": 1, "manager c1": 0, "member o1": 0, "admin o2": 0} {
			list, err := w.svc.ListMembershipRequests(w.as(who), directory.RequestFilter{State: directory.RequestOpen})
			must(t, err)
			if len(list) != want {
				t.Errorf("%s sees %d open requests, want %d", who, len(list), want)
			}
		}
		if _, err := w.svc.ListMembershipRequests(w.as("anonymous"), directory.RequestFilter{}); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("anonymous lists requests: %v, want forbidden", err)
		}

		// Who decides.
		for who, want := range map[string]string{"admin o1": "forbidden", "manager c1": "not found", "member o1": "not found", "anonymous": "not found"} {
			if _, err := w.svc.DecideMembershipRequest(w.as(who), r.ID, true); outcome(err) != want {
				t.Errorf("%s accepts: %s, want %s", who, outcome(err), want)
			}
		}
		before, err := w.svc.GetOrganisation(w.as("alliance"), w.o1.ID)
		must(t, err)
		got, err := w.svc.DecideMembershipRequest(w.as("manager c2"), r.ID, true)
		must(t, err)
		if got.State != directory.RequestAccepted || got.DecidedAt == nil {
			t.Errorf("after accepting: %+v", got)
		}
		after, err := w.svc.GetOrganisation(w.as("alliance"), w.o1.ID)
		must(t, err)
		if len(after.Memberships) != 2 || after.Version != before.Version+1 {
			t.Errorf("after accepting: memberships %+v, version %d (was %d)", after.Memberships, after.Version, before.Version)
		}
		for _, m := range after.Memberships {
			if m.ClusterID == w.c2.ID && m.Role != "partner" {
				t.Errorf("membership in c2 has role %q, want partner", m.Role)
			}
		}
		if _, err := w.svc.DecideMembershipRequest(w.as("manager c2"), r.ID, false); !errors.As(err, &ce) || ce.Field != "state" {
			t.Errorf("deciding twice: %v, want a conflict on state", err)
		}

		// A refused request leaves the memberships alone.
		r2 := &directory.MembershipRequest{ClusterID: w.c1.ID, Role: "member"}
		must(t, w.svc.RequestMembership(w.as("admin o2"), w.o2.ID, r2))
		if _, err := w.svc.DecideMembershipRequest(w.as("alliance"), r2.ID, false); err != nil {
			t.Fatal(err)
		}
		o2, err := w.svc.GetOrganisation(w.as("alliance"), w.o2.ID)
		must(t, err)
		if len(o2.Memberships) != 1 {
			t.Errorf("after refusing: %d memberships, want 1", len(o2.Memberships))
		}

		// Asked, accepted and refused are in the audit log.
		sys := access.AsSystem(context.Background())
		rows, err := w.db.SQL().QueryContext(sys, `SELECT action FROM audit_log WHERE entity = 'membership_request' ORDER BY id`)
		must(t, err)
		defer rows.Close()
		var actions []string
		for rows.Next() {
			var a string
			must(t, rows.Scan(&a))
			actions = append(actions, a)
		}
		want := []string{"membership_request.create", "membership_request.accept", "membership_request.create", "membership_request.refuse"}
		if len(actions) != len(want) {
			t.Fatalf("audit: %v, want %v", actions, want)
		}
		for i := range want {
			if actions[i] != want[i] {
				t.Errorf("audit[%d] = %s, want %s", i, actions[i], want[i])
			}
		}
	})
}
