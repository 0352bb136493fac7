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
	// Now is the clock a call's status is read from (nil: time.Now);
	// tests and the demo set a fixed moment.
	Now func() time.Time
}

// now is the service's clock.
func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
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
	f.Status = strings.TrimSpace(f.Status)
	if f.Status == "" {
		f.Status = StatusCurrent
	}
	errs.Choice("status", f.Status, false, StatusFilters...)
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
	now := s.now()
	f.OpenFrom, f.Today = OpenFrom(now), Today(now)
	if f.Status == StatusAll {
		p, err = s.listAll(ctx, f)
	} else {
		p, err = s.store.ListCalls(ctx, f)
	}
	for i := range p.Items {
		p.Items[i].WithStatus(now)
	}
	return p, err
}

// Cursor prefixes of a list of every call: the current part, then the
// closed part.
const (
	cursorCurrent = "c:"
	cursorClosed  = "x:"
)

// listAll lists the current calls, then the closed ones: a page that ends
// the current part goes on with the first closed calls, and its cursor
// says which part the next page continues.
func (s *Service) listAll(ctx context.Context, f Filter) (directory.Page[Call], error) {
	cur, closed := f, f
	cur.Status, closed.Status = StatusCurrent, StatusClosed
	cur.Cursor, closed.Cursor = "", ""
	inClosed := strings.HasPrefix(f.Cursor, cursorClosed)
	switch {
	case inClosed:
		closed.Cursor = strings.TrimPrefix(f.Cursor, cursorClosed)
	case f.Cursor != "":
		if !strings.HasPrefix(f.Cursor, cursorCurrent) {
			return directory.Page[Call]{}, validate.Errors{{Field: "cursor", Code: validate.InvalidFormat}}
		}
		cur.Cursor = strings.TrimPrefix(f.Cursor, cursorCurrent)
	}
	var out directory.Page[Call]
	out.Items = []Call{}
	if !inClosed {
		p, err := s.store.ListCalls(ctx, cur)
		if err != nil {
			return out, err
		}
		out.Items, out.Total = p.Items, p.Total
		if p.Next != "" {
			out.Next = cursorCurrent + p.Next
			n, err := s.store.ListCalls(ctx, Filter{Query: f.Query, Programme: f.Programme, ActionType: f.ActionType,
				DeadlineAfter: f.DeadlineAfter, Status: StatusClosed, OpenFrom: f.OpenFrom, Today: f.Today, Limit: 1})
			out.Total += n.Total
			return out, err
		}
		closed.Limit = f.Limit - len(p.Items)
	}
	if closed.Limit < 1 {
		closed.Limit = 1
	}
	p, err := s.store.ListCalls(ctx, closed)
	if err != nil {
		return out, err
	}
	if !inClosed && len(out.Items) >= f.Limit {
		// The current part filled the page exactly: the closed part is
		// only counted.
		out.Total += p.Total
		if p.Total > 0 {
			out.Next = cursorClosed
		}
		return out, nil
	}
	if inClosed {
		cnt, err := s.store.ListCalls(ctx, Filter{Query: f.Query, Programme: f.Programme, ActionType: f.ActionType,
			DeadlineAfter: f.DeadlineAfter, Status: StatusCurrent, OpenFrom: f.OpenFrom, Today: f.Today, Limit: 1})
		if err != nil {
			return out, err
		}
		out.Total = cnt.Total
	}
	out.Items = append(out.Items, p.Items...)
	out.Total += p.Total
	if p.Next != "" {
		out.Next = cursorClosed + p.Next
	}
	return out, nil
}

// Get returns call id, with its status now.
func (s *Service) Get(ctx context.Context, id string) (c Call, err error) {
	defer wrap(&err, "calls.Get(%q)", id)
	c, err = s.store.GetCall(ctx, id)
	c.WithStatus(s.now())
	return c, err
}

// StatusOf is the status of c now, by the service's clock.
func (s *Service) StatusOf(c Call) string { return c.StatusAt(s.now()) }

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
