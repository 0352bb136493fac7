package governance

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Roadmap statuses.
const (
	StatusPlanned = "planned"
	StatusRunning = "running"
	StatusDone    = "done"
	StatusDropped = "dropped"
)

// Statuses lists the roadmap statuses in order.
var Statuses = []string{StatusPlanned, StatusRunning, StatusDone, StatusDropped}

// Roadmap item kinds.
const (
	ItemGoal      = "goal"
	ItemAction    = "action"
	ItemMilestone = "milestone"
)

// Item is a goal, an action under a goal, or a milestone under an action
// of the joint roadmap. Actions and milestones are owned by clusters and
// dated: an action from Starts to Ends, a milestone on Due, within its
// action's dates.
type Item struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	ParentID    string    `json:"parent_id,omitempty"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Owners      []string  `json:"owners"` // cluster ids
	Starts      string    `json:"starts,omitempty"`
	Ends        string    `json:"ends,omitempty"`
	Due         string    `json:"due,omitempty"`
	Status      string    `json:"status"`
	Updates     []Update  `json:"updates"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
}

// Update is one change of an item's status, kept as its history.
type Update struct {
	At     time.Time `json:"at"`
	Status string    `json:"status"`
	Note   string    `json:"note,omitempty"`
	By     string    `json:"by"`
}

// RoadmapStore reads and writes the roadmap; it checks no permission.
type RoadmapStore interface {
	CreateItem(ctx context.Context, it *Item) error
	GetItem(ctx context.Context, id string) (Item, error)
	ListItems(ctx context.Context) ([]Item, error)
	// AddUpdate sets the item's status and appends u when expected is 0
	// or the current version.
	AddUpdate(ctx context.Context, id string, expected int, u Update) (Item, error)
	// UpdateItem writes it's title, description, owners and dates when
	// expected is 0 or the current version (else store.ErrStale).
	UpdateItem(ctx context.Context, it *Item, expected int) error
	// OverdueItems lists the actions and milestones, planned or running,
	// whose end or due date is before today and whose owners were not
	// reminded of that date yet.
	OverdueItems(ctx context.Context, today string) ([]Item, error)
	// MarkReminded records that the owners of item were reminded of date.
	// It reports false when they were already (another run was first).
	MarkReminded(ctx context.Context, itemID, date string, at time.Time) (bool, error)
	// ManagerEmails lists the addresses of a cluster's managers.
	ManagerEmails(ctx context.Context, clusterID string) ([]string, error)
}

// OutsideAction is the message key of a milestone dated outside its action.
const OutsideAction = "error.gov.outside_action"

// AddItem validates and stores a roadmap item. Goals are the alliance
// administrators'; an action or milestone may be added by them or by a
// manager of one of its owning clusters. A milestone outside its action's
// dates is refused on due.
func (s *Service) AddItem(ctx context.Context, it *Item) error {
	v := access.ViewerFrom(ctx)
	if !v.WriteAllowed || v.Anonymous() {
		return store.ErrForbidden
	}
	if it.Status == "" {
		it.Status = StatusPlanned
	}
	if err := s.checkItem(ctx, it); err != nil {
		return err
	}
	if !mayOwn(v, *it) {
		return store.ErrForbidden
	}
	it.Updates = []Update{}
	return s.roadmap.CreateItem(ctx, it)
}

// mayOwn reports whether the viewer may write an item with it's owners:
// an alliance administrator, or for an action or milestone a manager of
// one of its owning clusters.
func mayOwn(v access.Viewer, it Item) bool {
	if !v.WriteAllowed {
		return false
	}
	allowed := v.AllianceAdmin
	for _, o := range it.Owners {
		allowed = allowed || (it.Kind != ItemGoal && slices.Contains(v.ManagedClusters, o))
	}
	return allowed
}

// checkItem normalises it and reports every bad field.
func (s *Service) checkItem(ctx context.Context, it *Item) error {
	var errs validate.Errors
	it.Title, it.Description = strings.TrimSpace(it.Title), strings.TrimSpace(it.Description)
	errs.Choice("kind", it.Kind, true, ItemGoal, ItemAction, ItemMilestone)
	errs.Text("title", it.Title, true, 300)
	errs.Text("description", it.Description, false, 10000)
	errs.Choice("status", it.Status, true, Statuses...)
	if it.Owners == nil {
		it.Owners = []string{}
	}
	var parent Item
	if it.Kind != ItemGoal && it.Kind != "" {
		var err error
		if parent, err = s.roadmap.GetItem(ctx, it.ParentID); err != nil || parent.Kind != map[string]string{ItemAction: ItemGoal, ItemMilestone: ItemAction}[it.Kind] {
			errs.Add("parent_id", validate.NotFound)
		}
		if len(it.Owners) == 0 {
			errs.Add("owners", validate.Required)
		}
	}
	switch it.Kind {
	case ItemAction:
		checkDate(&errs, "starts", it.Starts)
		checkDate(&errs, "ends", it.Ends)
		if it.Starts != "" && it.Ends != "" && it.Ends < it.Starts {
			errs.Add("ends", validate.MinOverMax, "min", it.Starts, "max", it.Ends)
		}
	case ItemMilestone:
		checkDate(&errs, "due", it.Due)
		if parent.ID != "" && it.Due != "" && (it.Due < parent.Starts || it.Due > parent.Ends) {
			errs.Add("due", OutsideAction, "starts", parent.Starts, "ends", parent.Ends)
		}
	}
	return errs.Err()
}

// EditableItem returns the item if the viewer may change it (an alliance
// administrator, or a manager of an owning cluster of an action or
// milestone), else store.ErrForbidden.
func (s *Service) EditableItem(ctx context.Context, id string) (Item, error) {
	it, err := s.roadmap.GetItem(ctx, id)
	if err != nil {
		return it, err
	}
	if !mayOwn(access.ViewerFrom(ctx), it) {
		return it, store.ErrForbidden
	}
	return it, nil
}

// UpdateItem changes an item's title, description, owners and dates (not
// its kind, place or status: the status has its own history). Who may is
// decided on the item as it is and as it would be, so that a manager
// cannot hand an item over to clusters they do not manage alone. An
// action's new dates must still hold its milestones. expected is the
// version the change was based on (0: no check).
func (s *Service) UpdateItem(ctx context.Context, it *Item, expected int) error {
	cur, err := s.EditableItem(ctx, it.ID)
	if err != nil {
		return err
	}
	it.Kind, it.ParentID, it.Status = cur.Kind, cur.ParentID, cur.Status
	if err := s.checkItem(ctx, it); err != nil {
		return err
	}
	if !mayOwn(access.ViewerFrom(ctx), *it) {
		return store.ErrForbidden
	}
	if it.Kind == ItemAction {
		all, err := s.roadmap.ListItems(ctx)
		if err != nil {
			return err
		}
		var errs validate.Errors
		for _, m := range all {
			if m.ParentID == it.ID && m.Due != "" && (m.Due < it.Starts || m.Due > it.Ends) {
				errs.Add("ends", ErrMilestoneOutside, "title", m.Title, "due", m.Due)
				break
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
	}
	if err := s.roadmap.UpdateItem(ctx, it, expected); err != nil {
		return err
	}
	updated, err := s.roadmap.GetItem(ctx, it.ID)
	*it = updated
	return err
}

// ErrMilestoneOutside is the message key of an action's new dates that
// leave one of its milestones outside.
const ErrMilestoneOutside = "error.gov.milestone_outside"

// Roadmap returns every item; the roadmap is public.
func (s *Service) Roadmap(ctx context.Context) ([]Item, error) { return s.roadmap.ListItems(ctx) }

// SetStatus records a status update of an item, by an alliance
// administrator or a manager of an owning cluster.
func (s *Service) SetStatus(ctx context.Context, id string, expected int, status, note string) (Item, error) {
	v := access.ViewerFrom(ctx)
	it, err := s.roadmap.GetItem(ctx, id)
	if err != nil {
		return it, err
	}
	allowed := v.WriteAllowed && v.AllianceAdmin
	for _, o := range it.Owners {
		allowed = allowed || (v.WriteAllowed && slices.Contains(v.ManagedClusters, o))
	}
	if !allowed {
		return it, store.ErrForbidden
	}
	var errs validate.Errors
	errs.Choice("status", status, true, Statuses...)
	errs.Text("note", strings.TrimSpace(note), false, 5000)
	if err := errs.Err(); err != nil {
		return it, err
	}
	return s.roadmap.AddUpdate(ctx, id, expected, Update{At: s.cfg.Now(), Status: status, Note: strings.TrimSpace(note), By: author(v)})
}

// MayAddItems reports whether the viewer may add to the roadmap at all
// (an alliance administrator, or a manager of a cluster, with a token
// that may write); which items is decided by AddItem.
func MayAddItems(v access.Viewer) bool {
	return v.WriteAllowed && (v.AllianceAdmin || len(v.ManagedClusters) > 0)
}

// MayEditItem reports whether the viewer may change it (see UpdateItem).
func MayEditItem(v access.Viewer, it Item) bool { return mayOwn(v, it) }
