package calls

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/directory"
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

// CreateCall validates c and stores it as a new call.
func (s *Service) CreateCall(ctx context.Context, c *Call) error {
	if err := ValidateCall(c); err != nil {
		return err
	}
	return s.store.CreateCall(ctx, c)
}

// UpdateCall validates c and replaces the stored call c.ID.
func (s *Service) UpdateCall(ctx context.Context, c *Call) error {
	if err := ValidateCall(c); err != nil {
		return err
	}
	return s.store.UpdateCall(ctx, c)
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
