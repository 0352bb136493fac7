package calls

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Service applies the rules of calls around a Store: every call is
// validated (ValidateCall) before it is stored, whether typed in a page,
// sent to the API or imported.
type Service struct {
	store Store
}

// NewService returns a Service over s.
func NewService(s Store) *Service { return &Service{store: s} }

// Store returns the underlying store for reads.
func (s *Service) Store() Store { return s.store }

// NormalizeFilter applies defaults and checks a filter, naming the query
// parameters the API and the pages use.
func NormalizeFilter(f Filter) (Filter, error) {
	var errs validate.Errors
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > directory.MaxListLimit {
		errs.Add("limit", validate.InvalidChoice, "choices", fmt.Sprintf("1..%d", directory.MaxListLimit))
	}
	f.Query, f.Programme = strings.TrimSpace(f.Query), strings.TrimSpace(f.Programme)
	errs.Text("q", f.Query, false, 200)
	errs.Text("programme", f.Programme, false, 200)
	f.ActionType = NormalizeActionType(f.ActionType)
	if f.ActionType != "" && (len(f.ActionType) > 40 || !actionTypePattern.MatchString(f.ActionType)) {
		errs.Add("action_type", validate.InvalidFormat)
	}
	f.DeadlineAfter = strings.TrimSpace(f.DeadlineAfter)
	if f.DeadlineAfter != "" {
		if _, err := time.Parse(time.DateOnly, f.DeadlineAfter); err != nil {
			errs.Add("deadline_after", validate.InvalidDate)
		}
	}
	return f, errs.Err()
}

// CanEdit reports whether the viewer in ctx may create, change and
// delete calls and correct their rules (docs/access.md).
func (s *Service) CanEdit(ctx context.Context) bool {
	return access.CanEditCalls(access.ViewerFrom(ctx))
}

// MayEdit returns store.ErrForbidden unless the viewer may change calls.
func (s *Service) MayEdit(ctx context.Context) error {
	if !s.CanEdit(ctx) {
		return store.ErrForbidden
	}
	return nil
}

// List returns the calls f selects. Calls are public records.
func (s *Service) List(ctx context.Context, f Filter) (p directory.Page[Call], err error) {
	defer wrap(&err, "calls.List")
	if f, err = NormalizeFilter(f); err != nil {
		return p, err
	}
	return s.store.ListCalls(ctx, f)
}

// Get returns call id.
func (s *Service) Get(ctx context.Context, id string) (c Call, err error) {
	defer wrap(&err, "calls.Get(%q)", id)
	return s.store.GetCall(ctx, id)
}

// Choices returns the programmes and action types the stored calls use.
func (s *Service) Choices(ctx context.Context) (Choices, error) {
	return s.store.CallChoices(ctx)
}

// Editable returns call id for the viewer to change: store.ErrNotFound
// when there is no such call, store.ErrForbidden when the viewer may not
// change calls.
func (s *Service) Editable(ctx context.Context, id string) (c Call, err error) {
	defer wrap(&err, "calls.Editable(%q)", id)
	if c, err = s.store.GetCall(ctx, id); err != nil {
		return c, err
	}
	return c, s.MayEdit(ctx)
}

// CreateCall stores c as a new call, if the viewer may and c is valid.
func (s *Service) CreateCall(ctx context.Context, c *Call) (err error) {
	defer wrap(&err, "calls.CreateCall(%q)", c.ID)
	if err := s.MayEdit(ctx); err != nil {
		return err
	}
	if err := ValidateCall(c); err != nil {
		return err
	}
	return s.store.CreateCall(ctx, c)
}

// UpdateCall replaces call id with c, if the viewer may and c is valid.
// The topic identifier is the key: c may repeat it but not change it.
// version is what the writer read (0: no check); an older one gives
// store.ErrStale.
func (s *Service) UpdateCall(ctx context.Context, id string, version int, c *Call) (err error) {
	defer wrap(&err, "calls.UpdateCall(%q)", id)
	if _, err := s.Editable(ctx, id); err != nil {
		return err
	}
	if cid := strings.TrimSpace(c.ID); cid != "" && cid != id {
		return validate.Errors{{Field: "id", Code: validate.InvalidChoice, Args: map[string]any{"choices": id}}}
	}
	c.ID = id
	if err := ValidateCall(c); err != nil {
		return err
	}
	return s.store.UpdateCall(ctx, c, version)
}

// DeleteCall removes call id, if the viewer may (version as for
// UpdateCall).
func (s *Service) DeleteCall(ctx context.Context, id string, version int) (err error) {
	defer wrap(&err, "calls.DeleteCall(%q)", id)
	if _, err := s.Editable(ctx, id); err != nil {
		return err
	}
	return s.store.DeleteCall(ctx, id, version)
}

// wrap adds the operation to an error leaving the package, keeping it
// matchable with errors.Is / errors.As.
func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *err)
	}
}

// Import validates every call and stores them all, or none when any is
// invalid; errors name the call by its position ("calls[3].title").
func (s *Service) Import(ctx context.Context, cs []Call) (Counts, error) {
	var errs validate.Errors
	seen := map[string]int{}
	for i := range cs {
		prefix := fmt.Sprintf("calls[%d].", i)
		if err := ValidateCall(&cs[i]); err != nil {
			var verrs validate.Errors
			if !errors.As(err, &verrs) {
				return Counts{}, err
			}
			for _, fe := range verrs {
				fe.Field = prefix + fe.Field
				errs = append(errs, fe)
			}
			continue
		}
		if j, dup := seen[cs[i].ID]; dup {
			errs.Add(prefix+"id", validate.Duplicate, "index", j)
		}
		seen[cs[i].ID] = i
	}
	if len(errs) > 0 {
		return Counts{}, errs
	}
	return s.store.UpsertCalls(ctx, cs)
}
